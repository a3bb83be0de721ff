"""Bayesian latent-class capture-recapture (LCMCR), Manrique-Vallier (2016).

Model (D. Manrique-Vallier, "Bayesian population size estimation using Dirichlet
process mixtures", Biometrics 72, 2016): each of the N individuals belongs to a
latent class k with probability pi_k and, given its class, is recorded by list j
independently with probability lambda_jk. The class weights follow a Dirichlet
process truncated at K classes (stick-breaking, V_k ~ Beta(1, alpha)), lambda_jk
~ Beta(1, 1), alpha ~ Gamma(a_alpha, b_alpha) and p(N) is proportional to 1/N.
Only individuals recorded at least once are observed; the count n0 of the
all-zero pattern is augmented, so N = n + n0.

The Gibbs sampler works on capture *patterns*: for each distinct pattern it draws
how many of its individuals fall in each class (a multinomial draw), then updates
lambda from the class-by-list counts, the sticks from the class counts, alpha,
and n0 from its negative-binomial full conditional. An iteration costs
O(patterns x K x lists), whatever the number of people.

This module holds the public API (:func:`fit_lcmcr`) and the NumPy reference
sampler; :mod:`aban.estimate.kernels` holds the compiled twin used by default.
"""

from __future__ import annotations

import dataclasses
import math
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from types import MappingProxyType, ModuleType
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from aban.errors import EstimationError
from aban.estimate import native
from aban.estimate.diagnostics import ess_bulk, rank_rhat
from aban.estimate.result import Estimate

__all__ = [
    "ChainState",
    "LcmcrResult",
    "allocate_numpy",
    "class_probabilities",
    "draw_n0_numpy",
    "fit_lcmcr",
    "initial_state",
    "kernel_arrays",
    "prepare_table",
    "sort_by_weight",
    "unseen_probability",
    "update_alpha_numpy",
    "update_lambda_numpy",
    "update_sticks_numpy",
]

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
Engine = Literal["numba", "numpy"]
Init = Literal["dispersed", "r", "prior"]
INITS: tuple[Init, ...] = ("dispersed", "r", "prior")
Sampler = Literal["auto", "gibbs", "smc"]
SAMPLERS: tuple[Sampler, ...] = ("auto", "gibbs", "smc")
# Iterations per call into the sampler between two progress reports.
CHUNK = 20_000
RHAT_LIMIT = 1.05
# Above this R-hat, with chains whose intervals exclude each other's medians, the
# chains are said to sit in different modes, not merely to need more iterations.
MODES_RHAT = 1.1
ESS_LIMIT = 100.0
# Iterations of warm-up before the burn-in, alpha held at its start (R's: 0.3 / K
# from the frequency start), after which the classes are sorted by weight as R
# sorts them (see sort_by_weight). Every start has it: a chain started from the
# prior and never sorted drifted as R's start once did (issue 14).
WARMUP = 500
# From this many lists up, sampler="auto" samples by sequential Monte Carlo.
SMC_LISTS = 10


@dataclass(frozen=True, eq=False)
class LcmcrResult:
    """Posterior of the population size N from :func:`fit_lcmcr`.

    Attributes:
        draws: posterior draws of N, shape (chains, samples per chain).
        alpha: the matching draws of the concentration parameter alpha.
        observed: n, the number of individuals recorded by at least one list.
        median: posterior median of N.
        lower: 2.5% posterior quantile of N.
        upper: 97.5% posterior quantile of N.
        mean: posterior mean of N.
        sd: posterior standard deviation of N.
        rhat: rank-normalized split R-hat of N (1 when the chains agree).
        ess: bulk effective sample size of N.
        settings: seed, K, burnin, samples, thinning, chains, a_alpha, b_alpha,
            engine and init (and sampler, with its own settings, when sampled
            by :mod:`aban.estimate.smc`).
        n_lists: the number of lists in the table.
        occupied: the matching draws of the number of occupied latent classes.
        rhat_occupied: rank-normalized split R-hat of ``occupied`` (NaN when it
            never varies; infinite when each chain holds one count throughout
            but not all the same one).
        gibbs_medians: when sampled by sequential Monte Carlo, the medians of
            Gibbs chains run beside it as a check (the first started as R's
            LCMCR starts); a median outside the interval is a mode that the
            interval leaves out, and :meth:`warnings` says so.
    """

    draws: I64
    alpha: F64
    observed: int
    median: float
    lower: float
    upper: float
    mean: float
    sd: float
    rhat: float
    ess: float
    settings: Mapping[str, Any] = field(default_factory=dict)
    n_lists: int = 0
    occupied: I64 | None = None
    rhat_occupied: float = math.nan
    gibbs_medians: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "settings", MappingProxyType(dict(self.settings)))

    def chain_medians(self) -> tuple[float, ...]:
        """The median of N in each chain."""
        return tuple(float(m) for m in np.median(self.draws, axis=1))

    def separated_chains(self) -> bool:
        """True when the chains sit in different modes: R-hat of N above
        :data:`MODES_RHAT`, and either some chain's median outside another chain's
        95% interval or the chains holding different numbers of occupied classes
        (their R-hat above :data:`MODES_RHAT` too)."""
        if self.draws.shape[0] < 2 or not self.rhat > MODES_RHAT:
            return False
        if self.rhat_occupied > MODES_RHAT:
            return True
        low, mid, high = np.quantile(self.draws, [0.025, 0.5, 0.975], axis=1)
        return bool(
            ((mid[:, None] < low[None, :]) | (mid[:, None] > high[None, :])).any()
        )

    def modes(self) -> tuple[tuple[float, float], ...]:
        """Modes of the pooled posterior of N: (location, share of the draws) each.

        Found on a histogram of log N (smoothed); two peaks are separate modes
        when the density between them falls below half of the lower peak. One
        mode is the common case.
        """
        return posterior_modes(self.draws)

    def warnings(self) -> tuple[str, ...]:
        """Problems with this posterior, as one-line messages (empty when none)."""
        found = []
        if 0 < self.n_lists < 3:
            found.append(
                f"only {self.n_lists} lists: latent classes are not identified from "
                "them, so the estimate rests on the priors; use 3 lists or more"
            )
        if self.separated_chains():
            medians = sorted(self.chain_medians())
            found.append(
                f"the chains settled in different modes of the posterior (chain "
                f"medians {medians[0]:,.0f} to {medians[-1]:,.0f}, R-hat of N "
                f"{self.rhat:.2f}): the interval may miss part of the posterior; "
                "sample by sequential Monte Carlo (--sampler smc), which does not "
                "depend on chains crossing between modes"
            )
        elif not self.rhat <= RHAT_LIMIT:
            found.append(
                f"R-hat of N is {self.rhat:.3f} (above {RHAT_LIMIT}): the chains "
                "disagree; run longer (raise burn-in or thinning)"
            )
        if self.rhat_occupied > MODES_RHAT and not self.separated_chains():
            found.append(self._occupied_warning())
        outside = [m for m in self.gibbs_medians if not self.lower <= m <= self.upper]
        if outside:
            found.append(
                "Gibbs chains run beside sequential Monte Carlo (the first started "
                "as R's LCMCR starts) settled at "
                + ", ".join(f"{m:,.0f}" for m in self.gibbs_medians)
                + f", outside this interval ({self.lower:,.0f} - {self.upper:,.0f}):"
                " the posterior has another mode, which sequential Monte Carlo "
                "gives little weight and R's LCMCR would report; compare "
                "--sampler gibbs --init r"
            )
        if not self.ess >= ESS_LIMIT:
            found.append(
                f"effective sample size of N is {self.ess:.0f} (below {ESS_LIMIT:.0f}):"
                " the interval is imprecise; raise samples or thinning"
            )
        return tuple(found)

    def _occupied_warning(self) -> str:
        """The warning for chains that hold different numbers of occupied classes."""
        held = self.occupied
        if held is not None and (held == held[:, :1]).all():
            # Each chain at its own count throughout: R-hat has no within-chain
            # spread to measure the gap against (it is infinite), but the chains
            # plainly disagree.
            counts = sorted({int(count) for count in held[:, 0]})
            found = (
                "each chain kept one number of occupied latent classes throughout, "
                f"but not the same one ({counts[0]} to {counts[-1]})"
            )
        else:
            found = (
                f"R-hat of the number of occupied latent classes is "
                f"{self.rhat_occupied:.2f} (above {MODES_RHAT})"
            )
        return (
            f"{found}: the chains hold different class structures; run longer, "
            "or sample with --sampler smc"
        )

    def to_estimate(self, lists: Sequence[str]) -> Estimate:
        """This posterior as the common :class:`Estimate` (posterior median, 95%)."""
        return Estimate(
            model="lcmcr",
            terms=None,
            estimate=self.median,
            lower=self.lower,
            upper=self.upper,
            observed=self.observed,
            lists=tuple(lists),
            settings=self.settings,
            interval="posterior-quantiles",
            warnings=self.warnings(),
            extra={
                "mean": self.mean,
                "sd": self.sd,
                "rhat": self.rhat,
                "ess": self.ess,
                "rhat_occupied": self.rhat_occupied,
                "chain_medians": list(self.chain_medians()),
                "modes": [{"at": at, "share": share} for at, share in self.modes()],
                "gibbs_medians": list(self.gibbs_medians),
            },
        )


def posterior_modes(draws: npt.ArrayLike) -> tuple[tuple[float, float], ...]:
    """Modes of pooled draws of N: (location, share of the draws) each, largest first.

    A histogram of log N with 40 bins, smoothed by a 5-bin moving average; local
    maxima are merged with a neighbour unless the lowest density between them is
    below half of the lower of the two. Each draw belongs to the mode of its
    basin (split at that lowest point).
    """
    x = np.log(np.asarray(draws, dtype=np.float64).ravel())
    if x.size < 20 or np.ptp(x) == 0.0:
        return ((float(np.exp(np.median(x))) if x.size else math.nan, 1.0),)
    hist, edges = np.histogram(x, bins=40)
    smooth = np.convolve(hist, np.ones(5) / 5.0, mode="same")
    peaks = [
        i
        for i in range(len(smooth))
        if smooth[i] > 0
        and smooth[i] >= (smooth[i - 1] if i else 0.0)
        and smooth[i] > (smooth[i + 1] if i + 1 < len(smooth) else 0.0)
    ]
    cuts: list[int] = []
    kept = [peaks[0]]
    for peak in peaks[1:]:
        low = kept[-1] + int(np.argmin(smooth[kept[-1] : peak + 1]))
        if smooth[low] < 0.5 * min(smooth[kept[-1]], smooth[peak]):
            cuts.append(low)
            kept.append(peak)
        elif smooth[peak] > smooth[kept[-1]]:
            kept[-1] = peak
    bounds = [edges[0]] + [edges[c] + (edges[1] - edges[0]) / 2 for c in cuts]
    bounds.append(edges[-1] + 1.0)
    found = []
    for low, high in zip(bounds[:-1], bounds[1:], strict=True):
        inside = x[(x >= low) & (x < high)]
        if inside.size:
            found.append((float(np.exp(np.median(inside))), inside.size / x.size))
    return tuple(sorted(found, key=lambda mode: -mode[1]))


@dataclass
class ChainState:
    """The parameters of one chain: lambda (lists x K), pi (K), alpha and n0."""

    lam: F64
    pi: F64
    alpha: float
    n0: int


def prepare_table(
    patterns: npt.ArrayLike, counts: npt.ArrayLike
) -> tuple[npt.NDArray[np.int8], I64]:
    """Validate a capture-history table; merge repeated patterns, drop zero counts.

    Raises:
        EstimationError: wrong shapes, values other than 0/1, negative counts, an
            all-zero pattern with a positive count, fewer than 2 lists, or nobody
            observed.
    """
    pat = np.asarray(patterns)
    cnt = np.asarray(counts)
    if pat.ndim != 2 or cnt.ndim != 1 or pat.shape[0] != cnt.shape[0]:
        raise EstimationError(
            "capture histories must be a rows x lists 0/1 array with one count per row"
        )
    if pat.shape[1] < 2:
        raise EstimationError("LCMCR needs at least 2 lists")
    if pat.size and not np.isin(pat, (0, 1)).all():
        raise EstimationError("capture histories may only hold 0 and 1")
    if cnt.size and ((cnt < 0).any() or (cnt != np.round(cnt)).any()):
        raise EstimationError("capture-history counts must be non-negative integers")
    keep = cnt > 0
    pat, cnt = pat[keep].astype(np.int8), cnt[keep].astype(np.int64)
    if (pat.sum(axis=1) == 0).any():
        raise EstimationError(
            "a capture history with no list recorded (all zeros) has a count; "
            "the unobserved cell is what LCMCR estimates: drop that row"
        )
    if cnt.sum() == 0:
        raise EstimationError("nobody is recorded in the capture histories")
    unique, inverse = np.unique(pat, axis=0, return_inverse=True)
    merged = np.bincount(inverse.ravel(), weights=cnt).astype(np.int64)
    return unique.astype(np.int8), merged


def _log_joint(patterns: npt.NDArray[np.int8], lam: F64, pi: F64) -> F64:
    """log pi_k + log P(x | class k), rows x K (minus infinity for an empty class)."""
    x = patterns.astype(np.float64)
    with np.errstate(divide="ignore"):
        log_w = np.log(pi)[None, :] + x @ np.log(lam) + (1.0 - x) @ np.log1p(-lam)
    return np.asarray(log_w, dtype=np.float64)


def class_probabilities(patterns: npt.NDArray[np.int8], lam: F64, pi: F64) -> F64:
    """P(class k | pattern), rows x K, from the exact formula in logarithms.

    p(k | x) is proportional to pi_k prod_j lambda_jk^x_j (1 - lambda_jk)^(1 - x_j).
    """
    log_w = _log_joint(patterns, lam, pi)
    log_w -= log_w.max(axis=1, keepdims=True)
    w = np.exp(log_w)
    return np.asarray(w / w.sum(axis=1, keepdims=True), dtype=np.float64)


def allocate_numpy(
    rng: np.random.Generator,
    patterns: npt.NDArray[np.int8],
    counts: I64,
    state: ChainState,
) -> tuple[I64, I64]:
    """Split each pattern's count (and the n0 unseen) among the K classes.

    Returns:
        ``(nk, sjk)``: individuals per class (K), and per list and class (lists x K).
    """
    zero = np.zeros((1, patterns.shape[1]), dtype=np.int8)
    rows = np.vstack([patterns, zero])
    probs = class_probabilities(rows, state.lam, state.pi)
    alloc = rng.multinomial(np.append(counts, state.n0), probs)
    nk = alloc.sum(axis=0).astype(np.int64)
    sjk = (patterns.T.astype(np.int64) @ alloc[:-1]).astype(np.int64)
    return nk, sjk


def update_lambda_numpy(rng: np.random.Generator, nk: I64, sjk: I64) -> F64:
    """lambda_jk ~ Beta(1 + s_jk, 1 + n_k - s_jk)."""
    return np.asarray(rng.beta(1.0 + sjk, 1.0 + nk[None, :] - sjk), dtype=np.float64)


def log_gamma_numpy(rng: np.random.Generator, shape: npt.ArrayLike) -> F64:
    """log of Gamma(shape, 1) draws, exact however small the shape (the twin of
    :func:`aban.estimate.kernels.log_gamma`)."""
    shape = np.asarray(shape, dtype=np.float64)
    small = shape < 1.0
    draws = np.log(np.maximum(rng.gamma(np.where(small, shape + 1.0, shape)), 1e-300))
    boost = np.log1p(-rng.random(shape.shape)) / np.where(small, shape, 1.0)
    return np.asarray(draws + np.where(small, boost, 0.0), dtype=np.float64)


def update_sticks_numpy(
    rng: np.random.Generator, nk: I64, alpha: float
) -> tuple[F64, float]:
    """V_k ~ Beta(1 + n_k, alpha + sum_{h>k} n_h) on the log scale; returns pi and
    sum log(1 - V_k) (never floored, so alpha may approach 0)."""
    later = nk.sum() - np.cumsum(nk)
    lg1 = log_gamma_numpy(rng, 1.0 + nk[:-1])
    lg2 = log_gamma_numpy(rng, alpha + later[:-1])
    log_sum = np.logaddexp(lg1, lg2)
    log1m_v = lg2 - log_sum
    log_left = np.concatenate([[0.0], np.cumsum(log1m_v)])
    pi = np.exp(log_left + np.append(lg1 - log_sum, 0.0))
    return np.asarray(pi, dtype=np.float64), float(log1m_v.sum())


def update_alpha_numpy(
    rng: np.random.Generator,
    sum_log1m_v: float,
    n_class: int,
    a_alpha: float,
    b_alpha: float,
) -> float:
    """alpha ~ Gamma(a + K - 1, rate b - sum log(1 - V_k))."""
    return float(rng.gamma(a_alpha + n_class - 1.0, 1.0 / (b_alpha - sum_log1m_v)))


def unseen_probability(lam: F64, pi: F64) -> tuple[float, float]:
    """``(pi0, p_seen)``: probabilities that an individual is on no list / some list."""
    log_prod0 = np.log1p(-lam).sum(axis=0)
    pi0 = float(pi @ np.exp(log_prod0))
    p_seen = float(pi @ -np.expm1(log_prod0))
    return pi0, p_seen


def draw_n0_numpy(rng: np.random.Generator, n_obs: int, lam: F64, pi: F64) -> int:
    """n0 ~ NegBinomial(n, 1 - pi0): the full conditional under p(N) ~ 1/N.

    Its mean is n * pi0 / (1 - pi0).
    """
    _, p_seen = unseen_probability(lam, pi)
    return int(rng.negative_binomial(n_obs, p_seen))


def _sweep_numpy(
    rng: np.random.Generator,
    patterns: npt.NDArray[np.int8],
    counts: I64,
    state: ChainState,
    prior: tuple[float, float],
) -> int:
    """One Gibbs iteration of the reference sampler, updating ``state``; returns
    the number of occupied classes."""
    nk, sjk = allocate_numpy(rng, patterns, counts, state)
    state.lam = update_lambda_numpy(rng, nk, sjk)
    state.pi, sum_log1m_v = update_sticks_numpy(rng, nk, state.alpha)
    state.alpha = update_alpha_numpy(rng, sum_log1m_v, nk.shape[0], *prior)
    state.n0 = draw_n0_numpy(rng, int(counts.sum()), state.lam, state.pi)
    return int((nk > 0).sum())


def initial_state(
    rng: np.random.Generator, n_list: int, n_class: int, n_obs: int, alpha: float
) -> ChainState:
    """A starting point drawn from the prior, with n0 = n and the given alpha.

    :func:`fit_lcmcr` starts its ``"prior"`` chains here with alpha at its prior
    mean, then runs :data:`WARMUP` iterations with alpha held there and sorts the
    classes by decreasing weight (:func:`sort_by_weight`) before the burn-in, as
    from R's start.
    """
    lam = rng.beta(1.0, 1.0, size=(n_list, n_class))
    v = np.append(rng.beta(1.0, alpha, size=n_class - 1), 1.0)
    pi = v * np.concatenate([[1.0], np.cumprod(1.0 - v[:-1])])
    return ChainState(lam=lam, pi=pi, alpha=alpha, n0=n_obs)


def frequency_state(
    rng: np.random.Generator,
    patterns: npt.NDArray[np.int8],
    counts: I64,
    n_class: int,
) -> ChainState:
    """R's LCMCR start: every class records list j with its observed frequency.

    lambda_jk = (people on list j) / n for every class k, sticks V_k ~ Beta(1, 1),
    alpha = 0.3 / K and n0 = 0, as in the reference implementation
    (Manrique-Vallier's LCMCR 0.4.14); :func:`fit_lcmcr` then runs
    :data:`WARMUP` iterations with alpha held there and sorts the classes by
    decreasing weight (:func:`sort_by_weight`) before the burn-in, as it does.
    """
    share = (patterns.T.astype(np.float64) @ counts) / counts.sum()
    share = np.clip(share, 1e-6, 1.0 - 1e-6)
    lam = np.repeat(share[:, None], n_class, axis=1)
    v = np.append(rng.beta(1.0, 1.0, size=n_class - 1), 1.0)
    pi = v * np.concatenate([[1.0], np.cumprod(1.0 - v[:-1])])
    return ChainState(lam=lam, pi=pi, alpha=0.3 / n_class, n0=0)


def sort_by_weight(pi: F64, *per_class: F64) -> None:
    """Relabel the classes by decreasing weight, in place, as R's LCMCR does after
    its warm-up.

    ``pi`` (K) and each array of ``per_class`` (the classes on the last axis) are
    permuted alike. The stick-breaking prior is not exchangeable: it expects the
    heavy classes first, and a Gibbs chain reorders its classes only slowly. A
    chain left in the warm-up's order drifts for hundreds of thousands of
    iterations (US Western, 200 chains from R's start: the mean N fell from 1,958
    to 1,925 over the first 200,000 iterations), and so does one started from the
    prior and never sorted (the default start's second chain: median over seeds
    1-16 at 20,000 burn-in 1,881 +- 18, against 1,835 +- 3 sorted; R 1,833).
    Sorted once, before the burn-in: the draws kept are the chain's own.
    """
    order = np.argsort(-pi, kind="stable")
    for arr in (pi, *per_class):
        arr[...] = arr[..., order]


def _schedule(
    burnin: int, n_keep: int, thinning: int, warmup: int
) -> list[tuple[int, int, bool]]:
    """Calls into the sampler: (iterations, thinning, alpha fixed); thinning 0
    stores nothing (warm-up and burn-in)."""
    steps = [(warmup, 0, True)] if warmup else []
    left = burnin
    while left > 0:
        steps.append((min(CHUNK, left), 0, False))
        left -= steps[-1][0]
    per_call = max(1, CHUNK // thinning)
    left = n_keep
    while left > 0:
        kept = min(per_call, left)
        steps.append((kept * thinning, thinning, False))
        left -= kept
    return steps


def _csr(patterns: npt.NDArray[np.int8]) -> tuple[I64, I64]:
    """Each pattern as the indices of the lists that recorded it (CSR layout)."""
    rows, cols = np.nonzero(patterns)
    ptr = np.zeros(patterns.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=patterns.shape[0]), out=ptr[1:])
    return ptr, cols.astype(np.int64)


def kernel_arrays(state: ChainState) -> tuple[F64, F64, F64, F64, F64]:
    """The compiled kernels' view of a state: ratio, pi, prod0, seen and base.

    ``ratio = lambda / (1 - lambda)`` (lists x K; a stack of states, with a leading
    axis on lambda and pi, gives stacked arrays); ``prod0[k]`` and ``seen[k]``
    are the probabilities that class k is on no list / some list; ``base = pi *
    prod0``. Fresh arrays, which the kernels update in place.
    """
    lam = state.lam
    log_prod0 = np.log1p(-lam).sum(axis=-2)
    prod0 = np.exp(log_prod0)
    return (
        lam / (1.0 - lam),
        state.pi.copy(),
        prod0,
        -np.expm1(log_prod0),
        state.pi * prod0,
    )


def _kernels() -> ModuleType:
    """The numba kernels, imported on first use (numba is slow to import)."""
    from aban.estimate import kernels

    return kernels


def _load_sweeps(patterns: npt.NDArray[np.int8], counts: I64, n_class: int) -> None:
    """Load the compiled sampler for these arrays on this thread, before the chains.

    numba loads a compiled function from its cache at the first call, holding its
    compiler lock; a chain's thread that made that call would start while the
    other chain's thread waited for the lock. Loaded here (a call of no
    iterations, with the arrays' types of every chain), the chains start together,
    and without numba's full start when the cache holds the sampler
    (:class:`aban.estimate.kernels._Target`). Where the sampler's machine code
    loads without numba (:mod:`aban.estimate.native`), that is all.
    """
    if native.sweeps() is not None:
        return
    lists = patterns.shape[1]
    state = ChainState(
        lam=np.full((lists, n_class), 0.5),
        pi=np.full(n_class, 1.0 / n_class),
        alpha=1.0,
        n0=0,
    )
    seed = np.random.SeedSequence(0)
    with _kernels().target.light():
        _run_numba(patterns, counts, state, (1.0, 1.0), seed, [(0, 0, False)], _quiet)


def _quiet(done: int) -> None:
    """A progress callback that reports nothing."""


@dataclass
class _Chain:
    """What one chain returns: draws of N, alpha and occupied classes."""

    n: I64
    alpha: F64
    occupied: I64


def _run_numba(
    patterns: npt.NDArray[np.int8],
    counts: I64,
    state: ChainState,
    prior: tuple[float, float],
    seed: np.random.SeedSequence,
    steps: list[tuple[int, int, bool]],
    report: Callable[[int], None],
) -> _Chain:
    """One chain with the compiled kernels."""
    run_sweeps = native.sweeps() or _kernels().run_sweeps
    rs = native.new_state(seed)
    ptr, idx = _csr(patterns)
    ratio, pi, prod0, seen, base = (part[None] for part in kernel_arrays(state))
    scalars = np.array([[state.alpha, float(state.n0)]])
    n_keep = sum(n // thin for n, thin, _ in steps if thin)
    out = _Chain(
        n=np.empty(n_keep, dtype=np.int64),
        alpha=np.empty(n_keep, dtype=np.float64),
        occupied=np.empty(n_keep, dtype=np.int64),
    )
    offset = 0
    for n_iter, thin, fix_alpha in steps:
        run_sweeps(
            rs,
            ptr,
            idx,
            counts[None],
            np.array(prior),
            ratio,
            pi,
            prod0,
            seen,
            base,
            scalars,
            n_iter,
            thin,
            out.n,
            out.alpha,
            out.occupied,
            offset,
            fix_alpha,
        )
        offset += n_iter // thin if thin else 0
        if fix_alpha:
            sort_by_weight(pi[0], ratio[0], prod0[0], seen[0])
        else:
            report(n_iter)
    return out


def log_likelihood_numpy(
    patterns: npt.NDArray[np.int8], counts: I64, lam: F64, pi: F64
) -> float:
    """log L_c = sum_x counts_x [log p(x) - log P(seen)] (the twin of
    :func:`aban.estimate.kernels.log_likelihood`)."""
    log_w = _log_joint(patterns, lam, pi)
    top = log_w.max(axis=1, keepdims=True)
    log_p = (top + np.log(np.exp(log_w - top).sum(axis=1, keepdims=True)))[:, 0]
    _, p_seen = unseen_probability(lam, pi)
    keep = counts > 0
    return float((counts[keep] * (log_p[keep] - math.log(p_seen))).sum())


def _run_numpy(
    patterns: npt.NDArray[np.int8],
    counts: I64,
    state: ChainState,
    prior: tuple[float, float],
    rng: np.random.Generator,
    steps: list[tuple[int, int, bool]],
    report: Callable[[int], None],
) -> _Chain:
    """One chain with the NumPy reference sampler."""
    n_obs = int(counts.sum())
    kept_n: list[int] = []
    kept_alpha: list[float] = []
    kept_occupied: list[int] = []
    for n_iter, thin, fix_alpha in steps:
        for step in range(n_iter):
            alpha = state.alpha
            occupied = _sweep_numpy(rng, patterns, counts, state, prior)
            if fix_alpha:
                state.alpha = alpha
            if thin and (step + 1) % thin == 0:
                kept_n.append(n_obs + state.n0)
                kept_alpha.append(state.alpha)
                kept_occupied.append(occupied)
        if fix_alpha:
            sort_by_weight(state.pi, state.lam)
        else:
            report(n_iter)
    return _Chain(
        n=np.array(kept_n, dtype=np.int64),
        alpha=np.array(kept_alpha, dtype=np.float64),
        occupied=np.array(kept_occupied, dtype=np.int64),
    )


def _reporter(progress: Callable[[int], None] | None) -> Callable[[int], None]:
    """Serialize progress reports from the chain threads."""
    lock = threading.Lock()

    def report(done: int) -> None:
        if progress is not None:
            with lock:
                progress(done)

    return report


def _check_settings(settings: Mapping[str, Any]) -> None:
    """Collect every invalid setting and raise once."""
    errors = [
        f"{name} must be at least {low} (got {settings[name]})"
        for name, low in (("K", 1), ("burnin", 0), ("samples", 1), ("thinning", 1))
        + (("chains", 1), ("particles", 10))
        if not settings[name] >= low
    ]
    errors += [
        f"{name} must be positive (got {settings[name]})"
        for name in ("a_alpha", "b_alpha")
        if not settings[name] > 0
    ]
    if settings["engine"] not in ("numba", "numpy"):
        errors.append(f"engine must be 'numba' or 'numpy' (got {settings['engine']!r})")
    if settings["sampler"] not in SAMPLERS:
        errors.append(
            f"sampler must be one of {', '.join(SAMPLERS)} "
            f"(got {settings['sampler']!r})"
        )
    if settings["init"] not in INITS:
        errors.append(
            f"init must be one of {', '.join(INITS)} (got {settings['init']!r})"
        )
    if errors:
        raise EstimationError("invalid LCMCR settings: " + "; ".join(errors))


def _summarize(
    runs: list[_Chain], observed: int, settings: Mapping[str, Any], n_lists: int
) -> LcmcrResult:
    """Posterior summaries and convergence diagnostics of the N draws."""
    draws = np.vstack([run.n for run in runs])
    occupied = np.vstack([run.occupied for run in runs])
    pooled = draws.ravel().astype(np.float64)
    lower, median, upper = np.quantile(pooled, [0.025, 0.5, 0.975])
    return LcmcrResult(
        draws=draws,
        alpha=np.vstack([run.alpha for run in runs]),
        observed=observed,
        median=float(median),
        lower=float(lower),
        upper=float(upper),
        mean=float(pooled.mean()),
        sd=float(pooled.std(ddof=1)) if pooled.size > 1 else math.nan,
        rhat=rank_rhat(draws),
        ess=ess_bulk(draws),
        settings=settings,
        n_lists=n_lists,
        occupied=occupied,
        rhat_occupied=rank_rhat(occupied),
    )


def fit_lcmcr(
    patterns: npt.NDArray[np.int8],
    counts: I64,
    *,
    K: int = 10,  # noqa: N803 - the model's own name for the truncation level
    a_alpha: float = 0.25,
    b_alpha: float = 0.25,
    burnin: int = 20_000,
    samples: int = 2_000,
    thinning: int = 20,
    chains: int = 2,
    seed: int = 1,
    init: Init = "dispersed",
    sampler: Sampler = "auto",
    particles: int = 500,
    engine: Engine = "numba",
    progress: Callable[[int], None] | None = None,
) -> LcmcrResult:
    """Estimate the population size with the LCMCR model (Manrique-Vallier 2016).

    Model and sampler: see the module docstring. Assumes a closed population,
    lists that record individuals independently *within* each latent class
    (dependence and heterogeneity between lists are absorbed by the classes), and
    no false matches. An iteration costs O(patterns x K x lists).

    On many sparse lists the posterior can have separated modes (class structures
    that a Gibbs chain does not leave): chains then report the mode they settled
    in, and chains that start apart settle apart (:meth:`LcmcrResult.warnings`
    says so). Sequential Monte Carlo (:mod:`aban.estimate.smc`) does not depend on
    chains crossing between modes; ``sampler="auto"`` uses it from
    :data:`SMC_LISTS` lists up.

    Args:
        patterns: rows x lists of 0/1, one row per capture pattern (no all-zero
            row; repeated rows are merged and zero counts dropped).
        counts: individuals with each pattern.
        K: truncation level of the Dirichlet process (the maximum number of
            latent classes).
        a_alpha: shape of the Gamma prior on the concentration alpha.
        b_alpha: rate of that prior.
        burnin: Gibbs: iterations discarded at the start of *each* chain.
        samples: posterior draws kept in total, split evenly over the chains
            (rounded up to a multiple of ``chains``; for SMC, of ``chains *
            particles``).
        thinning: Gibbs: one draw kept every ``thinning`` iterations after burn-in.
        chains: independent chains (SMC: populations), run in parallel threads
            (one per core).
        seed: the chains' seeds are ``np.random.SeedSequence(seed).spawn(chains)``;
            the same seed, settings and engine give the same draws.
        init: Gibbs: where chains start. ``"r"``: as R's LCMCR (every class at the
            lists' observed frequencies, alpha 0.3 / K, 500 warm-up iterations with
            alpha held, then the classes sorted by decreasing weight), which
            reproduces the reference implementation's posterior; ``"prior"``:
            each chain at a draw from the prior (alpha at its prior mean, with
            the same warm-up and sort); ``"dispersed"`` (default): the first
            chain as R starts, the others from the prior, so that chains which
            settle in different modes are seen to.
        sampler: ``"gibbs"``, ``"smc"``, or ``"auto"`` (SMC from
            :data:`SMC_LISTS` lists up, Gibbs below).
        particles: SMC: particles per population.
        engine: Gibbs: ``"numba"`` (compiled, fast) or ``"numpy"`` (the reference
            implementation, 10 to 15 times slower). SMC always runs compiled.
        progress: called with the amount of work just done by one chain (from the
            chains' threads, serialized by a lock). The total is ``chains *
            (burnin + samples / chains * thinning)`` whichever the sampler.

    Returns:
        The posterior of N (``draws`` has shape chains x samples per chain), its
        median, 95% equal-tailed interval, mean, sd, R-hat and bulk ESS, and the
        number of occupied classes with its R-hat. ``settings["sampler"]`` says
        which sampler ran.

    Raises:
        EstimationError: an invalid table or setting.

    Example:
        >>> res = fit_lcmcr(patterns, counts, K=10, burnin=100_000,
        ...                 samples=10_000, thinning=100)  # doctest: +SKIP
        >>> res.to_estimate(["EXH", "ABA", "OSCE", "HRW"]).estimate  # doctest: +SKIP
    """
    settings = {
        "seed": seed,
        "K": K,
        "burnin": burnin,
        "samples": samples,
        "thinning": thinning,
        "chains": chains,
        "a_alpha": a_alpha,
        "b_alpha": b_alpha,
        "engine": engine,
        "init": init,
        "sampler": sampler,
        "particles": particles,
    }
    _check_settings(settings)
    pat, cnt = prepare_table(patterns, counts)
    if sampler == "smc" or (sampler == "auto" and pat.shape[1] >= SMC_LISTS):
        from aban.estimate.smc import sample_smc

        settings["sampler"] = "smc"
        # Progress: sequential Monte Carlo is most of the work, the check the rest.
        work = chains * (burnin + -(-samples // chains) * thinning)
        share = work - work // 10
        smc = sample_smc(
            pat, cnt, settings, _scaled(progress, share, chains * cnt.sum())
        )
        check = fit_lcmcr(
            pat,
            cnt,
            K=K,
            a_alpha=a_alpha,
            b_alpha=b_alpha,
            burnin=burnin,
            samples=samples,
            thinning=thinning,
            chains=chains,
            seed=seed,
            sampler="gibbs",
            progress=_scaled(progress, work - share, work),
        )
        return dataclasses.replace(smc, gibbs_medians=check.chain_medians())
    settings["sampler"] = "gibbs"
    n_obs, prior = int(cnt.sum()), (float(a_alpha), float(b_alpha))
    report = _reporter(progress)
    if engine == "numba":
        _load_sweeps(pat, cnt, K)

    def one_chain(number: int, child: np.random.SeedSequence) -> _Chain:
        kernel_seed = child.spawn(1)[0]
        rng = np.random.default_rng(child)
        start = init if init != "dispersed" else ("r" if number == 0 else "prior")
        if start == "r":
            state = frequency_state(rng, pat, cnt, K)
        else:
            state = initial_state(rng, pat.shape[1], K, n_obs, a_alpha / b_alpha)
        steps = _schedule(burnin, -(-samples // chains), thinning, WARMUP)
        if engine == "numba":
            return _run_numba(pat, cnt, state, prior, kernel_seed, steps, report)
        return _run_numpy(pat, cnt, state, prior, rng, steps, report)

    children = np.random.SeedSequence(seed).spawn(chains)
    with ThreadPoolExecutor(max_workers=min(chains, os.cpu_count() or 1)) as pool:
        runs = list(pool.map(one_chain, range(chains), children))
    return _summarize(runs, n_obs, settings, pat.shape[1])


def _scaled(
    progress: Callable[[int], None] | None, work: int, done_at: int
) -> Callable[[int], None]:
    """A progress callback that turns units of ``done_at`` in all into units of
    ``work`` in all (whole units, the remainders carried), serialized."""
    report = _reporter(progress)
    carried = [0.0]
    lock = threading.Lock()

    def scaled(done: int) -> None:
        with lock:
            carried[0] += done * work / max(done_at, 1)
            whole = int(carried[0])
            carried[0] -= whole
        if whole:
            report(whole)

    return scaled
