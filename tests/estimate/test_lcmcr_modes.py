"""LCMCR: log-scale sticks, where chains start, separated modes, sequential Monte Carlo.

The multimodal table and what each sampler gives on it: tests/data/lcmcr/README.md.
"""

from __future__ import annotations

import math
from pathlib import Path

import numba
import numpy as np
import pytest
from scipy import integrate, special

from aban.estimate import kernels
from aban.estimate.lcmcr import (
    LcmcrResult,
    _csr,
    fit_lcmcr,
    frequency_state,
    kernel_arrays,
    log_gamma_numpy,
    log_likelihood_numpy,
    posterior_modes,
    sort_by_weight,
    update_alpha_numpy,
    update_sticks_numpy,
)

DATA = Path(__file__).resolve().parents[1] / "data"


def _table(path: Path) -> tuple[np.ndarray, np.ndarray]:
    table = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.int64)
    return table[:, :-1].astype(np.int8), table[:, -1]


MODES = _table(DATA / "lcmcr" / "modes_20_lists.csv")
KOSOVO = _table(DATA / "reference" / "kosovo_1999.csv")
SPARSE20_SEED9 = _table(DATA / "reference" / "sparse" / "sparse20_seed9.csv")


@numba.njit
def _log_gammas(rs, shape, reps):
    out = np.empty(reps)
    for i in range(reps):
        out[i] = kernels.log_gamma(rs, shape)
    return out


@pytest.mark.parametrize("shape", [1e-3, 0.3, 2.5])
def test_log_gamma_has_the_moments_of_a_log_gamma_variate(shape):
    # E[log G] = digamma(a), Var[log G] = trigamma(a), for G ~ Gamma(a, 1): both
    # engines, for shapes where the draw itself would underflow to 0.
    reps = 40_000
    rs = kernels.new_state(np.random.SeedSequence(3))
    twin = log_gamma_numpy(np.random.default_rng(3), np.full(reps, shape))
    for draws in (_log_gammas(rs, shape, reps), twin):
        sd = math.sqrt(special.polygamma(1, shape))
        assert abs(draws.mean() - special.digamma(shape)) < 5 * sd / math.sqrt(reps)
        assert draws.std() == pytest.approx(sd, rel=0.03)


def _alpha_posterior_cdf(n: int, a: float, b: float):
    """CDF of alpha given every one of n people in the first class (truncated DP):
    p(alpha | nk) ~ alpha^(a-1) e^(-b alpha) Gamma(alpha + 1) Gamma(n + 1) /
    Gamma(n + 1 + alpha), integrated on the log scale."""

    def density(log_alpha: float) -> float:
        alpha = math.exp(log_alpha)
        return math.exp(
            a * log_alpha
            - b * alpha
            + math.lgamma(alpha + 1.0)
            + math.lgamma(n + 1.0)
            - math.lgamma(n + 1.0 + alpha)
        )

    low, high = -80.0, 5.0
    total = integrate.quad(density, low, high, limit=400, points=[-10.0, -3.0])[0]

    def cdf(x: float) -> float:
        return integrate.quad(density, low, math.log(x), limit=400)[0] / total

    return cdf


@numba.njit
def _alpha_chain(rs, nk, reps, a, b):
    pi = np.empty(nk.shape[0])
    alpha = 1.0
    out = np.empty(reps)
    for i in range(reps):
        stat = kernels.update_sticks(rs, nk, alpha, pi)
        alpha = kernels.update_alpha(rs, stat, nk.shape[0], a, b)
        out[i] = alpha
    return out


def test_alpha_reaches_its_full_posterior_near_zero():
    # Everyone in one class: alpha's posterior puts a tenth of its mass below about
    # 1e-5. Sticks floored at log(1 - V) >= log(1e-300) held alpha above about
    # 2e-3 (and the NumPy twin's 1e-16 above about 0.03): an upward bias on N on
    # tables such as US Western. Both engines now reach the exact quantiles. Near
    # 0 alpha moves as a random walk on its log (steps of about 1/3), so the
    # chains are long: 400,000 sweeps compiled, 40,000 for the twin (looser).
    nk = np.zeros(10, dtype=np.int64)
    nk[0] = 1_000
    cdf = _alpha_posterior_cdf(1_000, 0.25, 0.25)
    rs = kernels.new_state(np.random.SeedSequence(5))
    compiled = _alpha_chain(rs, nk, 400_000, 0.25, 0.25)
    rng = np.random.default_rng(5)
    twin, alpha = [], 1.0
    for _ in range(40_000):
        _, stat = update_sticks_numpy(rng, nk, alpha)
        alpha = update_alpha_numpy(rng, stat, 10, 0.25, 0.25)
        twin.append(alpha)
    for draws, tolerance in ((compiled, 0.02), (np.array(twin), 0.06)):
        assert np.quantile(draws, 0.1) < 1e-3
        for q in (0.1, 0.5, 0.9):
            at = float(np.quantile(draws, q))
            assert cdf(at) == pytest.approx(q, abs=tolerance)


def test_the_log_likelihood_kernel_matches_its_twin():
    patterns, counts = MODES
    rng = np.random.default_rng(2)
    lam = rng.uniform(0.001, 0.4, size=(patterns.shape[1], 6))
    pi = rng.dirichlet(np.ones(6))
    pi[5] = 0.0  # an empty class costs nothing and breaks nothing
    pi /= pi.sum()
    ptr, idx = _csr(patterns)
    from aban.estimate.lcmcr import ChainState

    ratio, pi_k, prod0, seen, _ = kernel_arrays(ChainState(lam, pi, 1.0, 0))
    compiled = kernels.log_likelihood(ptr, idx, counts, ratio, pi_k, prod0, seen)
    assert compiled == pytest.approx(
        log_likelihood_numpy(patterns, counts, lam, pi), rel=1e-12
    )
    terms = np.empty((1, counts.shape[0]))
    rows = np.arange(counts.shape[0])
    kernels.pattern_log_likelihoods(
        ptr, idx, rows, ratio[None], pi_k[None], prod0[None], seen[None], terms
    )
    assert (terms[0] * counts).sum() == pytest.approx(compiled, rel=1e-12)


def test_r_start_puts_every_class_at_the_lists_frequencies():
    patterns, counts = KOSOVO
    state = frequency_state(np.random.default_rng(1), patterns, counts, 10)
    share = (patterns.T @ counts) / counts.sum()
    assert state.lam.shape == (4, 10)
    assert np.allclose(state.lam, share[:, None])
    assert state.alpha == pytest.approx(0.03)
    assert state.n0 == 0
    assert state.pi.sum() == pytest.approx(1.0)


def test_after_r_warm_up_the_classes_are_sorted_by_weight_alike():
    # Issue 14: R's LCMCR sorts its classes by weight after its warm-up; without
    # that, chains from R's start drifted for 200,000 iterations on US Western.
    pi = np.array([0.1, 0.6, 0.0, 0.3])
    lam = np.arange(8, dtype=np.float64).reshape(2, 4)
    seen = pi * 2.0
    sort_by_weight(pi, lam, seen)
    assert pi.tolist() == [0.6, 0.3, 0.1, 0.0]
    assert lam.tolist() == [[1.0, 3.0, 0.0, 2.0], [5.0, 7.0, 4.0, 6.0]]
    assert seen.tolist() == [1.2, 0.6, 0.2, 0.0]


def test_posterior_modes_finds_two_separated_modes_and_their_shares():
    rng = np.random.default_rng(0)
    low = rng.normal(1_400, 40, size=3_000)
    high = rng.normal(2_100, 60, size=1_000)
    modes = posterior_modes(np.concatenate([low, high]).round())
    assert len(modes) == 2
    (first, first_share), (second, second_share) = modes
    assert first == pytest.approx(1_400, rel=0.02)
    assert second == pytest.approx(2_100, rel=0.02)
    assert first_share == pytest.approx(0.75, abs=0.02)
    assert second_share == pytest.approx(0.25, abs=0.02)
    one = posterior_modes(rng.lognormal(math.log(1_500), 0.1, size=4_000).round())
    assert len(one) == 1 and one[0][1] == 1.0


def _result(draws: np.ndarray, occupied: np.ndarray | None = None) -> LcmcrResult:
    from aban.estimate.diagnostics import ess_bulk, rank_rhat

    return LcmcrResult(
        draws=draws,
        alpha=np.ones(draws.shape),
        observed=900,
        median=float(np.median(draws)),
        lower=float(np.quantile(draws, 0.025)),
        upper=float(np.quantile(draws, 0.975)),
        mean=float(draws.mean()),
        sd=float(draws.std()),
        rhat=rank_rhat(draws),
        ess=ess_bulk(draws),
        n_lists=20,
        occupied=occupied,
        rhat_occupied=math.nan if occupied is None else rank_rhat(occupied),
    )


def _separated_message(result: LcmcrResult) -> str:
    medians = sorted(result.chain_medians())
    return (
        "the chains settled in different modes of the posterior (chain medians "
        f"{medians[0]:,.0f} to {medians[-1]:,.0f}, R-hat of N {result.rhat:.2f}): "
        "the interval may miss part of the posterior; sample by sequential Monte "
        "Carlo (--sampler smc), which does not depend on chains crossing between "
        "modes"
    )


def test_chains_in_different_modes_are_named_in_a_warning():
    rng = np.random.default_rng(1)
    apart = np.stack(
        [rng.normal(1_408, 30, 500).round(), rng.normal(2_258, 50, 500).round()]
    )
    result = _result(apart)
    assert result.separated_chains()
    assert result.warnings()[0] == (
        "the chains settled in different modes of the posterior (chain medians "
        f"{np.median(apart[0]):,.0f} to {np.median(apart[1]):,.0f}, R-hat of N "
        f"{result.rhat:.2f}): the interval may miss part of the posterior; sample "
        "by sequential Monte Carlo (--sampler smc), which does not depend on chains "
        "crossing between modes"
    )
    together = _result(np.stack([rng.normal(1_408, 30, 500).round()] * 2))
    assert not together.separated_chains()


def test_chains_each_at_its_own_constant_number_of_classes_are_warned_of():
    # Issue 14: chains that each hold one number of occupied classes throughout,
    # but not the same one, had an R-hat of NaN (no variance within a chain), and
    # the warning went silent. Here N alone does not tell them apart.
    rng = np.random.default_rng(2)
    draws = rng.normal(1_750, 60, size=(4, 500)).round()
    apart = np.repeat(np.array([[2], [3], [3], [2]]), 500, axis=1)
    result = _result(draws, apart)
    assert math.isinf(result.rhat_occupied)
    assert result.warnings() == (
        "each chain kept one number of occupied latent classes throughout, but "
        "not the same one (2 to 3): the chains hold different class structures; "
        "run longer, or sample with --sampler smc",
    )
    alike = _result(draws, np.full((4, 500), 2))
    assert math.isnan(alike.rhat_occupied)
    assert alike.warnings() == ()


def test_gibbs_chains_from_prior_starts_warn_on_the_multimodal_table():
    # The chains settle at 2 or 3 occupied classes (N about 1,800 or 1,730) and
    # keep them: the chain medians sit inside each other's intervals, so the
    # classes tell the modes apart. Sorting every start after its warm-up (issue
    # 14) did not make them mix; but where each chain held one count throughout,
    # the R-hat of the counts was NaN and this warning went silent.
    patterns, counts = MODES
    result = fit_lcmcr(
        patterns,
        counts,
        K=15,
        burnin=3_000,
        samples=2_000,
        thinning=10,
        chains=4,
        sampler="gibbs",
        init="prior",
        seed=3,
    )
    held = {tuple(np.unique(chain)) for chain in result.occupied}
    assert len(held) > 1
    assert result.rhat_occupied > 1.1
    assert result.separated_chains()
    assert result.warnings()[0] == _separated_message(result)


def test_the_default_start_warns_where_its_chains_settle_apart():
    # sparse20_seed9: R's start settles near 1,333 or 1,530, chains from the prior
    # in either (tests/data/reference/sparse/README.md); eight chains from the
    # default dispersed start, with every start sorted after its warm-up, still
    # split between the two and say so.
    patterns, counts = SPARSE20_SEED9
    result = fit_lcmcr(
        patterns,
        counts,
        K=15,
        burnin=5_000,
        samples=2_000,
        thinning=20,
        chains=8,
        sampler="gibbs",
        seed=1,
    )
    medians = sorted(result.chain_medians())
    assert medians[0] < 1_400 and medians[-1] > 1_480
    assert result.separated_chains()
    assert result.warnings()[0] == _separated_message(result)


def test_smc_agrees_with_gibbs_where_gibbs_mixes():
    # Kosovo (4 lists): one mode; long Gibbs chains agree (R-hat 1.00).
    patterns, counts = KOSOVO
    gibbs = fit_lcmcr(
        patterns, counts, burnin=20_000, samples=4_000, thinning=50, seed=1
    )
    smc = fit_lcmcr(patterns, counts, sampler="smc", samples=3_000, seed=1)
    assert smc.settings["sampler"] == "smc"
    assert smc.median == pytest.approx(gibbs.median, rel=0.03)
    assert smc.lower == pytest.approx(gibbs.lower, rel=0.05)
    # The long right tail rests on few particles: its Monte Carlo error is larger.
    assert smc.upper == pytest.approx(gibbs.upper, rel=0.10)


def test_smc_finds_the_same_posterior_from_every_seed_on_the_multimodal_table():
    # Gibbs chains land at 1,700-1,950 by start; R's LCMCR at 1,762 and 1,798.
    # Sequential Monte Carlo: the same answer from both seeds and both populations
    # (truth 2,000), and auto chooses it for 20 lists.
    patterns, counts = MODES
    runs = [
        fit_lcmcr(patterns, counts, K=15, particles=250, samples=1_000, seed=seed)
        for seed in (1, 2)
    ]
    for run in runs:
        assert run.settings["sampler"] == "smc"
        low, high = sorted(run.chain_medians())
        assert high / low < 1.03
        # The Gibbs chains run beside it settle lower, as R's LCMCR does: said.
        assert min(run.gibbs_medians) < run.lower
        (warning,) = run.warnings()
        assert warning.startswith(
            "Gibbs chains run beside sequential Monte Carlo (the first started as "
            "R's LCMCR starts) settled at "
        )
        assert warning.endswith("compare --sampler gibbs --init r")
    assert runs[0].median == pytest.approx(runs[1].median, rel=0.03)
    assert runs[0].lower < 2_000 < runs[0].upper


def test_smc_reports_progress_in_the_units_of_gibbs():
    patterns, counts = KOSOVO
    done = []
    fit_lcmcr(
        patterns,
        counts,
        sampler="smc",
        particles=50,
        burnin=1_000,
        samples=100,
        thinning=10,
        progress=done.append,
    )
    total = 2 * (1_000 + 50 * 10)
    assert total - 2 <= sum(done) <= total
