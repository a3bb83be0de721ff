"""Chao's lower bound for the population size (Chao 1987, 1989).

From the capture frequencies ``f_k`` (the number of people seen on exactly ``k``
lists, or captured exactly ``k`` times), with ``S = sum f_k`` seen at all, and
``a = (t - 1) / t`` for ``t`` lists (occasions) or ``a = 1`` when there is no
fixed number of occasions (frequency data, van der Heijden et al. 2003):

* ``N = S + a f1**2 / (2 f2)`` when ``f2 > 0``, with the delta-method variance
  ``f2 (a**2 r**4 / 4 + a**2 r**3 + a r**2 / 2)``, ``r = f1 / f2`` (Chao 1987;
  with ``a = 1`` this is Chao's ``f2 (r**4 / 4 + r**3 + r**2 / 2)``);
* the bias-corrected ``N = S + a f1 (f1 - 1) / (2 (f2 + 1))`` when ``f2 = 0``,
  with variance ``a f1 (f1 - 1) / 2 + a**2 f1 (2 f1 - 1)**2 / 4
  - a**2 f1**4 / (4 N)`` (Chao 2005).

It is a lower bound of N under heterogeneous capture probabilities and
consistent when they are equal. With ``a = (t - 1) / t`` it is Rcapture's
"Mh Chao" estimate. The intervals are:

* log-transformed: ``S + f0/C`` to ``S + f0*C``,
  ``C = exp(1.96 sqrt(log(1 + Var / f0**2)))``;
* profile likelihood (when ``f1, f2 > 0``): the multinomial likelihood of N in
  which ``f0, f1, f2`` lie on one Poisson (``a = 1``) or binomial curve and the
  higher frequencies are free (the log-linear form of this bound).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy.special import gammaln, xlogy

from aban.errors import EstimationError
from aban.estimate.profile import likelihood_interval
from aban.estimate.result import Estimate
from aban.estimate.tables import (
    capture_frequencies,
    check_table,
    list_names,
    log_interval,
)

__all__ = ["chao_from_histories", "chao_lower_bound"]


def _point(f1: int, f2: int, seen: int, a: float) -> tuple[float, float]:
    """f0 and the variance of N-hat."""
    if f2 > 0:
        r = f1 / f2
        variance = f2 * (a * a * r**4 / 4.0 + a * a * r**3 + a * r**2 / 2.0)
        return a * f1 * f1 / (2.0 * f2), variance
    f0 = a * f1 * (f1 - 1) / 2.0
    total = seen + f0
    variance = (
        a * f1 * (f1 - 1) / 2.0
        + a * a * f1 * (2 * f1 - 1) ** 2 / 4.0
        - a * a * f1**4 / (4.0 * total)
    )
    return f0, max(variance, 0.0)


def _profile_loglik(total: float, seen: int, f1: int, f2: int, a: float) -> float:
    """The multinomial log-likelihood of N, (f0, f1, f2) on one curve.

    The curve is ``s (1, lam, c lam**2)`` with ``c = a / 2``: Poisson for
    ``a = 1``, binomial on t occasions for ``a = (t - 1) / t``.
    """
    y = np.array([total - seen, f1, f2], dtype=np.float64)
    c = a / 2.0
    share = (f1 + 2.0 * f2) / y.sum()
    quad, lin = c * (2.0 - share), 1.0 - share
    lam = (-lin + math.sqrt(lin * lin + 4.0 * quad * share)) / (2.0 * quad)
    scale = y.sum() / (1.0 + lam + c * lam * lam)
    mu = scale * np.array([1.0, lam, c * lam * lam])
    poisson = float(np.sum(xlogy(y, mu) - mu - gammaln(y + 1.0)))
    return poisson + float(gammaln(total + 1.0)) + total - total * math.log(total)


def chao_lower_bound(
    frequencies: npt.ArrayLike,
    lists: Sequence[str] = (),
    *,
    occasions: int | None = None,
    interval: Literal["profile", "log-transformed"] = "profile",
) -> Estimate:
    """Chao's lower bound from capture frequencies.

    Args:
        frequencies: element ``k`` is f_k, the number seen exactly ``k`` times;
            element 0 must be 0 (no one is counted as seen 0 times).
        lists: the list names, if the frequencies come from lists.
        occasions: t, the number of lists or occasions, for the factor
            ``(t - 1) / t``; None (no fixed number) leaves it out.
        interval: ``"profile"`` (default; log-transformed when ``f2 = 0``) or
            ``"log-transformed"``.

    Returns:
        The estimate; ``extra`` holds f1, f2, f0, the form used and both intervals.

    Raises:
        EstimationError: negative frequencies, a count for 0 captures, or no one.

    Example:
        >>> chao_lower_bound([0, 40, 10, 5]).estimate
        135.0
    """
    freq = np.asarray(frequencies, dtype=np.int64)
    if freq.ndim != 1 or len(freq) < 2 or (freq < 0).any() or freq[0] != 0:
        raise EstimationError(
            "capture frequencies must be non-negative counts for 1, 2, ... captures"
        )
    seen, f1, f2 = int(freq.sum()), int(freq[1]), int(freq[2]) if len(freq) > 2 else 0
    if seen == 0:
        raise EstimationError("the capture frequencies hold no one: every count is 0")
    if occasions is not None and (occasions < 2 or occasions < len(freq) - 1):
        raise EstimationError(
            f"{occasions} occasions cannot give capture frequencies "
            f"up to {len(freq) - 1}"
        )
    a = 1.0 if occasions is None else (occasions - 1) / occasions
    f0, variance = _point(f1, f2, seen, a)
    se = math.sqrt(variance)
    log_lo, log_hi = log_interval(seen, f0, se)
    extra = {"f1": f1, "f2": f2, "f0": f0, "log_interval": [log_lo, log_hi]}
    extra["form"] = "classic" if f2 > 0 else "bias-corrected"
    lower, upper, kind = log_lo, log_hi, "log-transformed"
    notes = []
    if f2 == 0:
        notes.append(
            "no one was seen exactly twice: the bias-corrected form "
            "S + f1(f1 - 1)/(2(f2 + 1)) is used, with a log-transformed interval"
        )
    elif interval == "profile" and f1 > 0:
        lower, upper = likelihood_interval(
            lambda total: _profile_loglik(total, seen, f1, f2, a), seen, seen + f0, se
        )
        kind = "profile"
        extra["profile_interval"] = [lower, upper]
    return Estimate(
        model="chao",
        terms=None,
        estimate=seen + f0,
        lower=lower,
        upper=upper,
        observed=seen,
        lists=tuple(lists),
        settings={"interval": interval, "occasions": occasions},
        se=se,
        interval=kind,
        warnings=tuple(notes),
        extra=extra,
    )


def chao_from_histories(
    patterns: npt.ArrayLike,
    counts: npt.ArrayLike,
    lists: Sequence[str] | None = None,
    *,
    interval: Literal["profile", "log-transformed"] = "profile",
    occasions_factor: bool = True,
) -> Estimate:
    """Chao's lower bound from capture histories (f_k from the row sums).

    Args:
        patterns: rows x lists of 0/1 capture histories.
        counts: the number of people with each history.
        lists: the list names.
        interval: as for :func:`chao_lower_bound`.
        occasions_factor: apply ``(t - 1) / t`` for the t lists (Chao 1987 for t
            occasions, Rcapture's "Mh Chao"); False gives ``S + f1**2 / (2 f2)``.

    Returns:
        The estimate, as :func:`chao_lower_bound` gives it.
    """
    pat, cnt = check_table(patterns, counts)
    names = list_names(pat.shape[1], lists)
    t = pat.shape[1] if occasions_factor else None
    freq = capture_frequencies(pat, cnt)
    return chao_lower_bound(freq, names, occasions=t, interval=interval)
