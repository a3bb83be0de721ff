"""Combining estimates made on many clusterings of the same records.

When the persons are drawn many times from the linkage model (see
:mod:`aban.linkage.draws`), each clustering gives its own estimate of the total.
Multiple imputation (Rubin 1987) combines them, as Sadinle (2018) does for
linkage uncertainty in population size estimation:

* LCMCR: the posterior draws of N of every clustering are pooled, the same
  number from each (every clustering is fitted with the same settings), and the
  total is the median of the pooled draws with their 2.5% and 97.5% quantiles:
  the posterior of N averaged over the clusterings (:func:`pool_draws`).
* log-linear: each clustering's estimate stands for the sampling distribution
  its log-transformed interval assumes, ``n + f0 * exp(Z)`` with ``Z`` normal of
  variance ``log(1 + se**2 / f0**2)`` (Chao 1987); the total is the median of
  the equal mixture of these distributions and the interval its 2.5% and 97.5%
  quantiles (:func:`mixture_quantiles`). With one clustering this is exactly the
  plain log-transformed interval.

How much of the uncertainty is linkage is measured by Rubin's rules on log N
(:func:`rubin`): within-clustering variance ``W`` (mean of the clusterings'
variances of log N: posterior variance for LCMCR, ``(se / N)**2`` for
log-linear), between-clustering variance ``B`` (variance of the clusterings'
mean log N), total ``T = W + (1 + 1/m) B``; the linkage share is
``(1 + 1/m) B / T``. Pure numerics: no randomness.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from typing import Any

import numpy as np
import numpy.typing as npt

from aban.errors import EstimationError

__all__ = ["Decomposition", "mixture_quantiles", "pool_draws", "rubin"]

#: The 97.5% point of the standard normal (as in the log-transformed interval).
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Decomposition:
    """Rubin's rules on log N over ``m`` clusterings.

    Attributes:
        clusterings: m, the clusterings combined.
        within: W, the mean within-clustering variance of log N.
        between: B, the variance of the clusterings' log N (0 when m is 1).
        total: T = W + (1 + 1/m) B.
        df: Rubin's degrees of freedom (infinite when B is 0).
    """

    clusterings: int
    within: float
    between: float
    total: float
    df: float

    @property
    def linkage_share(self) -> float:
        """(1 + 1/m) B / T: the part of the variance due to linkage."""
        if self.total <= 0 or not math.isfinite(self.total):
            return 0.0
        return (1 + 1 / self.clusterings) * self.between / self.total

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the variances on log N, shares and degrees of freedom."""

        def number(value: float) -> float | None:
            return float(value) if math.isfinite(value) else None

        share = self.linkage_share
        return {
            "scale": "log N",
            "clusterings": self.clusterings,
            "within": number(self.within),
            "between": number(self.between),
            "total": number(self.total),
            "df": number(self.df),
            "linkage_share": number(share),
            "sampling_share": number(1.0 - share),
        }


def rubin(means: Sequence[float], variances: Sequence[float]) -> Decomposition:
    """Rubin's rules: within, between and total variance of ``m`` estimates.

    Args:
        means: each clustering's estimate (here mean log N).
        variances: each clustering's variance of it.

    Returns:
        The decomposition (see :class:`Decomposition`).

    Raises:
        EstimationError: no estimates, or lengths that differ.
    """
    q = np.asarray(means, dtype=np.float64)
    u = np.asarray(variances, dtype=np.float64)
    if q.size == 0 or q.shape != u.shape:
        raise EstimationError("one variance for each of one or more estimates")
    m = int(q.size)
    within = float(u.mean())
    # Identical estimates have no spread (np.var would leave rounding error).
    between = float(q.var(ddof=1)) if m > 1 and np.ptp(q) > 0 else 0.0
    total = within + (1 + 1 / m) * between
    if between > 0 and m > 1:
        r = (1 + 1 / m) * between / within if within > 0 else math.inf
        df = (m - 1) * (1 + 1 / r) ** 2 if math.isfinite(r) else float(m - 1)
    else:
        df = math.inf
    return Decomposition(m, within, between, total, df)


def pool_draws(
    draws: Sequence[npt.NDArray[np.int64]], multiplicity: Sequence[int]
) -> npt.NDArray[np.int64]:
    """The pooled posterior draws: each distinct clustering as often as drawn.

    Args:
        draws: the posterior draws of N of each distinct clustering (each of the
            same size).
        multiplicity: how many times each was drawn.

    Returns:
        The draws concatenated, each clustering's repeated ``multiplicity /
        g`` times, with ``g`` the multiplicities' greatest common divisor (so one
        distinct clustering gives back its own draws unchanged).

    Raises:
        EstimationError: no draws, sizes that differ, or a multiplicity below 1.
    """
    if not draws or len(draws) != len(multiplicity) or min(multiplicity) < 1:
        raise EstimationError("one multiplicity of at least 1 for each clustering")
    if len({d.size for d in draws}) != 1:
        raise EstimationError("every clustering needs the same number of draws")
    g = reduce(math.gcd, multiplicity)
    parts = [
        np.tile(d.ravel(), c // g) for d, c in zip(draws, multiplicity, strict=True)
    ]
    return np.concatenate(parts).astype(np.int64)


def _mixture_cdf(
    x: float,
    observed: npt.NDArray[np.float64],
    f0: npt.NDArray[np.float64],
    sd: npt.NDArray[np.float64],
) -> float:
    total = 0.0
    for n, f, s in zip(observed, f0, sd, strict=True):
        if x <= n:
            continue
        if f <= 0 or s <= 0:
            total += 1.0 if x >= n + f else 0.0
            continue
        z = (math.log(x - n) - math.log(f)) / s
        total += 0.5 * math.erfc(-z / math.sqrt(2))
    return total / len(observed)


def mixture_quantiles(
    observed: Sequence[float],
    f0: Sequence[float],
    se: Sequence[float],
    probabilities: Sequence[float] = (0.025, 0.5, 0.975),
) -> tuple[float, ...]:
    """Quantiles of the equal mixture of ``n + f0 * exp(Z)`` distributions.

    ``Z`` is normal with mean 0 and variance ``log(1 + se**2 / f0**2)``: the
    distribution under the log-transformed interval of
    :func:`aban.estimate.tables.log_interval`, whose median is ``n + f0`` and
    whose 2.5% and 97.5% quantiles are that interval's ends.

    Args:
        observed: each clustering's n.
        f0: each clustering's estimated unseen count.
        se: each clustering's standard error of N-hat.
        probabilities: the quantiles wanted.

    Returns:
        One value per probability (infinite when a clustering's f0 or se is not
        finite and the probability is beyond what the others hold).
    """
    n = np.asarray(observed, dtype=np.float64)
    f = np.asarray(f0, dtype=np.float64)
    s = np.asarray(se, dtype=np.float64)
    finite = np.isfinite(f) & np.isfinite(s)
    sd = np.zeros_like(f)
    positive = finite & (f > 0)
    sd[positive] = np.sqrt(np.log1p(s[positive] ** 2 / f[positive] ** 2))
    found = []
    for p in probabilities:
        # Clusterings with no finite estimate put their mass at infinity.
        share = p * len(n) / max(int(finite.sum()), 1)
        if not finite.any() or share >= 1.0:
            found.append(math.inf)
            continue
        found.append(_bisect(share, n[finite], f[finite], sd[finite]))
    return tuple(found)


def _bisect(
    p: float,
    n: npt.NDArray[np.float64],
    f: npt.NDArray[np.float64],
    sd: npt.NDArray[np.float64],
) -> float:
    spread = np.exp(8.0 * sd)
    lo = float(n.min())
    hi = float((n + np.maximum(f, 0.0) * spread).max()) + 1.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if _mixture_cdf(mid, n, f, sd) < p:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-9 * max(1.0, hi):
            break
    return 0.5 * (lo + hi)
