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
    "unseen_probability",
    "update_alpha_numpy",
    "update_lambda_numpy",
    "update_sticks_numpy",
]

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
Engine = Literal["numba", "numpy"]
# Iterations per call into the sampler between two progress reports.
CHUNK = 20_000
RHAT_LIMIT = 1.05
ESS_LIMIT = 100.0


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
        settings: seed, K, burnin, samples, thinning, chains, a_alpha, b_alpha, engine.
        n_lists: the number of lists in the table.
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

    def __post_init__(self) -> None:
        object.__setattr__(self, "settings", MappingProxyType(dict(self.settings)))

    def warnings(self) -> tuple[str, ...]:
        """Problems with this posterior, as one-line messages (empty when none)."""
        found = []
        if 0 < self.n_lists < 3:
            found.append(
                f"only {self.n_lists} lists: latent classes are not identified from "
                "them, so the estimate rests on the priors; use 3 lists or more"
            )
        if not self.rhat <= RHAT_LIMIT:
            found.append(
                f"R-hat of N is {self.rhat:.3f} (above {RHAT_LIMIT}): the chains "
                "disagree; run longer (raise burn-in or thinning)"
            )
        if not self.ess >= ESS_LIMIT:
            found.append(
                f"effective sample size of N is {self.ess:.0f} (below {ESS_LIMIT:.0f}):"
                " the interval is imprecise; raise samples or thinning"
            )
        return tuple(found)

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
            },
        )


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


def class_probabilities(patterns: npt.NDArray[np.int8], lam: F64, pi: F64) -> F64:
    """P(class k | pattern), rows x K, from the exact formula in logarithms.

    p(k | x) is proportional to pi_k prod_j lambda_jk^x_j (1 - lambda_jk)^(1 - x_j).
    """
    x = patterns.astype(np.float64)
    with np.errstate(divide="ignore"):
        log_w = np.log(pi)[None, :] + x @ np.log(lam) + (1.0 - x) @ np.log1p(-lam)
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


def update_sticks_numpy(
    rng: np.random.Generator, nk: I64, alpha: float
) -> tuple[F64, float]:
    """V_k ~ Beta(1 + n_k, alpha + sum_{h>k} n_h); returns pi and sum log(1 - V_k)."""
    later = nk.sum() - np.cumsum(nk)
    v = rng.beta(1.0 + nk[:-1], alpha + later[:-1])
    log1m_v = np.maximum(np.log1p(-np.minimum(v, 1.0 - 1e-16)), math.log(1e-300))
    log_left = np.concatenate([[0.0], np.cumsum(log1m_v)])
    pi = np.exp(log_left) * np.append(v, 1.0)
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
) -> None:
    """One Gibbs iteration of the reference sampler, updating ``state``."""
    nk, sjk = allocate_numpy(rng, patterns, counts, state)
    state.lam = update_lambda_numpy(rng, nk, sjk)
    state.pi, sum_log1m_v = update_sticks_numpy(rng, nk, state.alpha)
    state.alpha = update_alpha_numpy(rng, sum_log1m_v, nk.shape[0], *prior)
    state.n0 = draw_n0_numpy(rng, int(counts.sum()), state.lam, state.pi)


def initial_state(
    rng: np.random.Generator, n_list: int, n_class: int, n_obs: int, alpha: float
) -> ChainState:
    """A starting point drawn from the prior, with n0 = n."""
    lam = rng.beta(1.0, 1.0, size=(n_list, n_class))
    v = np.append(rng.beta(1.0, alpha, size=n_class - 1), 1.0)
    pi = v * np.concatenate([[1.0], np.cumprod(1.0 - v[:-1])])
    return ChainState(lam=lam, pi=pi, alpha=alpha, n0=n_obs)


def _schedule(burnin: int, n_keep: int, thinning: int) -> list[tuple[int, int]]:
    """Calls into the sampler: (iterations, thinning), thinning 0 during burn-in."""
    steps = []
    left = burnin
    while left > 0:
        steps.append((min(CHUNK, left), 0))
        left -= steps[-1][0]
    per_call = max(1, CHUNK // thinning)
    left = n_keep
    while left > 0:
        kept = min(per_call, left)
        steps.append((kept * thinning, thinning))
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

    ``ratio = lambda / (1 - lambda)`` (lists x K); ``prod0[k]`` and ``seen[k]``
    are the probabilities that class k is on no list / some list; ``base = pi *
    prod0``. Fresh arrays, which the kernels update in place.
    """
    lam = state.lam
    log_prod0 = np.log1p(-lam).sum(axis=0)
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


def _run_numba(
    patterns: npt.NDArray[np.int8],
    counts: I64,
    state: ChainState,
    prior: tuple[float, float],
    seed: np.random.SeedSequence,
    steps: list[tuple[int, int]],
    report: Callable[[int], None],
) -> tuple[I64, F64]:
    """One chain with the compiled kernels."""
    kern = _kernels()
    rs = kern.new_state(seed)
    ptr, idx = _csr(patterns)
    ratio, pi, prod0, seen, base = kernel_arrays(state)
    scalars = np.array([state.alpha, float(state.n0)])
    n_keep = sum(n // thin for n, thin in steps if thin)
    out_n = np.empty(n_keep, dtype=np.int64)
    out_alpha = np.empty(n_keep, dtype=np.float64)
    offset = 0
    for n_iter, thin in steps:
        kern.run_sweeps(
            rs,
            ptr,
            idx,
            counts,
            np.array(prior),
            ratio,
            pi,
            prod0,
            seen,
            base,
            scalars,
            n_iter,
            thin,
            out_n,
            out_alpha,
            offset,
        )
        offset += n_iter // thin if thin else 0
        report(n_iter)
    return out_n, out_alpha


def _run_numpy(
    patterns: npt.NDArray[np.int8],
    counts: I64,
    state: ChainState,
    prior: tuple[float, float],
    rng: np.random.Generator,
    steps: list[tuple[int, int]],
    report: Callable[[int], None],
) -> tuple[I64, F64]:
    """One chain with the NumPy reference sampler."""
    n_obs = int(counts.sum())
    kept_n: list[int] = []
    kept_alpha: list[float] = []
    for n_iter, thin in steps:
        for it in range(n_iter):
            _sweep_numpy(rng, patterns, counts, state, prior)
            if thin and (it + 1) % thin == 0:
                kept_n.append(n_obs + state.n0)
                kept_alpha.append(state.alpha)
        report(n_iter)
    return np.array(kept_n, dtype=np.int64), np.array(kept_alpha, dtype=np.float64)


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
        + (("chains", 1),)
        if not settings[name] >= low
    ]
    errors += [
        f"{name} must be positive (got {settings[name]})"
        for name in ("a_alpha", "b_alpha")
        if not settings[name] > 0
    ]
    if settings["engine"] not in ("numba", "numpy"):
        errors.append(f"engine must be 'numba' or 'numpy' (got {settings['engine']!r})")
    if errors:
        raise EstimationError("invalid LCMCR settings: " + "; ".join(errors))


def _summarize(
    draws: I64, alpha: F64, observed: int, settings: Mapping[str, Any], n_lists: int
) -> LcmcrResult:
    """Posterior summaries and convergence diagnostics of the N draws."""
    pooled = draws.ravel().astype(np.float64)
    lower, median, upper = np.quantile(pooled, [0.025, 0.5, 0.975])
    return LcmcrResult(
        draws=draws,
        alpha=alpha,
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
    )


def fit_lcmcr(
    patterns: npt.NDArray[np.int8],
    counts: I64,
    *,
    K: int = 10,  # noqa: N803 - the model's own name for the truncation level
    a_alpha: float = 0.25,
    b_alpha: float = 0.25,
    burnin: int = 10_000,
    samples: int = 1_000,
    thinning: int = 10,
    chains: int = 2,
    seed: int = 1,
    engine: Engine = "numba",
    progress: Callable[[int], None] | None = None,
) -> LcmcrResult:
    """Estimate the population size with the LCMCR model (Manrique-Vallier 2016).

    Model and sampler: see the module docstring. Assumes a closed population,
    lists that record individuals independently *within* each latent class
    (dependence and heterogeneity between lists are absorbed by the classes), and
    no false matches. An iteration costs O(patterns x K x lists).

    Args:
        patterns: rows x lists of 0/1, one row per capture pattern (no all-zero
            row; repeated rows are merged and zero counts dropped).
        counts: individuals with each pattern.
        K: truncation level of the Dirichlet process (the maximum number of
            latent classes).
        a_alpha: shape of the Gamma prior on the concentration alpha.
        b_alpha: rate of that prior.
        burnin: iterations discarded at the start of *each* chain.
        samples: posterior draws kept in total, split evenly over the chains
            (rounded up to a multiple of ``chains``).
        thinning: one draw kept every ``thinning`` iterations after burn-in.
        chains: independent chains, run in parallel threads (one per core).
        seed: the chains' seeds are ``np.random.SeedSequence(seed).spawn(chains)``;
            the same seed, settings and engine give the same draws.
        engine: ``"numba"`` (compiled, fast) or ``"numpy"`` (the reference
            implementation, 10 to 15 times slower).
        progress: called with the number of iterations just completed by one
            chain (from the chains' threads, serialized by a lock). The total is
            ``chains * (burnin + samples / chains * thinning)``.

    Returns:
        The posterior of N (``draws`` has shape chains x samples per chain), its
        median, 95% equal-tailed interval, mean, sd, R-hat and bulk ESS.

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
    }
    _check_settings(settings)
    pat, cnt = prepare_table(patterns, counts)
    n_obs, prior = int(cnt.sum()), (float(a_alpha), float(b_alpha))
    steps = _schedule(burnin, -(-samples // chains), thinning)
    report = _reporter(progress)
    if engine == "numba":
        _kernels()

    def one_chain(child: np.random.SeedSequence) -> tuple[I64, F64]:
        kernel_seed = child.spawn(1)[0]
        rng = np.random.default_rng(child)
        state = initial_state(rng, pat.shape[1], K, n_obs, a_alpha / b_alpha)
        if engine == "numba":
            return _run_numba(pat, cnt, state, prior, kernel_seed, steps, report)
        return _run_numpy(pat, cnt, state, prior, rng, steps, report)

    children = np.random.SeedSequence(seed).spawn(chains)
    with ThreadPoolExecutor(max_workers=min(chains, os.cpu_count() or 1)) as pool:
        runs = list(pool.map(one_chain, children))
    draws = np.vstack([run[0] for run in runs])
    alpha = np.vstack([run[1] for run in runs])
    return _summarize(draws, alpha, n_obs, settings, pat.shape[1])
