"""The LCMCR kernels' random variates against the exact distributions and NumPy.

Each variate of aban.estimate.kernels is checked by a goodness-of-fit test against
the exact distribution (scipy.stats) and by a two-sample test against its NumPy
twin (np.random.Generator). Seeds are fixed, so the tests are deterministic; the
thresholds (p > 1e-4) still catch any wrong algorithm at these sample sizes.
"""

from __future__ import annotations

import numba
import numpy as np
import pytest
from scipy import stats

from aban.estimate import kernels

SIZE = 200_000
P_MIN = 1e-4


@numba.njit
def _gammas(s, shape, size):
    out = np.empty(size)
    for i in range(size):
        out[i] = kernels.gamma(s, shape)
    return out


@numba.njit
def _normals(s, size):
    out = np.empty(size)
    for i in range(size):
        out[i] = kernels.normal(s)
    return out


@numba.njit
def _uniforms(s, size):
    out = np.empty(size)
    for i in range(size):
        out[i] = kernels.uniform(s)
    return out


@numba.njit
def _binomials(s, n, p, size):
    out = np.empty(size, dtype=np.int64)
    for i in range(size):
        out[i] = kernels.binomial(s, n, p)
    return out


@numba.njit
def _lanes(s, n, p, size):
    out = np.empty(size, dtype=np.int64)
    for i in range(size):
        out[i] = kernels._lanes(s, n, p)
    return out


@numba.njit
def _poissons(s, lam, size):
    out = np.empty(size, dtype=np.int64)
    for i in range(size):
        out[i] = kernels.poisson(s, lam)
    return out


def _state(seed: int) -> np.ndarray:
    return kernels.new_state(np.random.SeedSequence(seed))


def _chisquare_pvalue(draws: np.ndarray, pmf: np.ndarray, support: np.ndarray) -> float:
    """Chi-square test of integer draws; cells with expectation < 5 are pooled."""
    observed = np.array([(draws == k).sum() for k in support], dtype=float)
    expected = pmf * draws.size
    keep = expected >= 5
    obs = np.append(observed[keep], draws.size - observed[keep].sum())
    exp = np.append(expected[keep], draws.size - expected[keep].sum())
    if exp[-1] < 5:
        obs[-2] += obs[-1]
        exp[-2] += exp[-1]
        obs, exp = obs[:-1], exp[:-1]
    return float(stats.chisquare(obs, exp).pvalue)


def test_xoshiro_matches_the_published_reference_outputs():
    # xoshiro256** from state (1, 2, 3, 4): the reference C code's first outputs.
    s = np.array([1, 2, 3, 4], dtype=np.uint64)
    first = [int(kernels._next(s)) for _ in range(4)]
    assert first == [11520, 0, 1509978240, 1215971899390074240]


def test_uniform_is_uniform_on_the_unit_interval():
    u = _uniforms(_state(1), SIZE)
    assert u.min() >= 0.0 and u.max() < 1.0
    assert stats.kstest(u, "uniform").pvalue > P_MIN


def test_normal_fits_the_standard_normal_including_the_tail():
    x = _normals(_state(2), 4 * SIZE)
    assert stats.kstest(x, "norm").pvalue > P_MIN
    # The ziggurat's base layer hands over to the tail at r = 3.654.
    tail = (np.abs(x) > kernels.ZIGGURAT_R).sum()
    expected = 2 * stats.norm.sf(kernels.ZIGGURAT_R) * x.size
    assert abs(tail - expected) < 5 * np.sqrt(expected)
    numpy_twin = np.random.default_rng(2).standard_normal(SIZE)
    assert stats.ks_2samp(x[:SIZE], numpy_twin).pvalue > P_MIN


@pytest.mark.parametrize("shape", [0.05, 0.3, 1.0, 1.5, 7.0, 4400.0])
def test_gamma_fits_the_exact_distribution_and_numpy(shape):
    x = _gammas(_state(3), shape, SIZE)
    assert stats.kstest(x, stats.gamma(shape).cdf).pvalue > P_MIN
    numpy_twin = np.random.default_rng(3).gamma(shape, size=SIZE)
    assert stats.ks_2samp(x, numpy_twin).pvalue > P_MIN


@pytest.mark.parametrize(
    ("n", "p"),
    [
        (1, 0.3),
        (5, 0.3),  # the trials as bits (_lanes), one word
        (40, 0.2),
        (64, 0.5),  # one full word of trials
        (65, 0.3),  # two words, the second holding one trial
        (100, 0.05),
        (128, 0.77),  # two full words, on the flipped side
        (60, 0.004),  # n p < 0.3: inversion, (1 - p)^n by squaring
        (200, 0.049),  # inversion, (1 - p)^n through log1p
        (129, 0.34),  # BTRD just above the trials as bits
        (1131, 0.9),  # BTRD on the flipped side
        (6000, 0.02),
        (1_000_000, 0.3),  # BTRD with the Stirling-correction branch
    ],
)
def test_binomial_fits_the_exact_distribution(n, p):
    x = _binomials(_state(4), n, p, SIZE)
    sd = np.sqrt(n * p * (1 - p))
    support = np.arange(max(0, int(n * p - 9 * sd)), min(n, int(n * p + 9 * sd)) + 1)
    assert x.min() >= 0 and x.max() <= n
    assert _chisquare_pvalue(x, stats.binom.pmf(support, n, p), support) > P_MIN
    assert abs(x.mean() - n * p) < 5 * sd / np.sqrt(SIZE)


@pytest.mark.parametrize(
    ("n", "p"),
    [
        (1, 0.5),
        (7, 1e-3),  # below the cut where binomial() uses _lanes: exact all the same
        (64, 0.1234567),
        (64, 1.5 * 2.0**-12),  # p's first 11 binary digits 0
        (100, 0.5 - 2.0**-50),  # p's binary digits all 1 after the first
        (128, 0.3),
        (300, 0.2),  # five words, the last partly used
    ],
)
def test_trials_as_bits_fit_the_exact_distribution(n, p):
    x = _lanes(_state(9), n, p, SIZE)
    sd = np.sqrt(n * p * (1 - p))
    support = np.arange(0, min(n, int(n * p + 9 * sd) + 2) + 1)
    assert x.min() >= 0 and x.max() <= n
    assert _chisquare_pvalue(x, stats.binom.pmf(support, n, p), support) > P_MIN
    assert abs(x.mean() - n * p) < 5 * max(sd, 1e-3) / np.sqrt(SIZE)


def test_trials_as_bits_at_p_zero_and_below_two_to_the_minus_64():
    s = _state(10)
    assert _lanes(s, 64, 0.0, 1000).max() == 0
    assert _lanes(s, 128, 2.0**-70, 1000).max() == 0
    assert kernels._lanes(s, 0, 0.3) == 0


@numba.njit
def _popcount(word):
    return kernels.popcount(word)


def test_popcount_counts_bits():
    assert _popcount(np.uint64(0)) == 0
    assert _popcount(np.uint64(0b1011)) == 3
    assert _popcount(~np.uint64(0)) == 64


def test_binomial_edge_cases():
    s = _state(5)
    assert kernels.binomial(s, 0, 0.5) == 0
    assert kernels.binomial(s, 10, 0.0) == 0
    assert kernels.binomial(s, 10, 1.0) == 10


@pytest.mark.parametrize("lam", [0.5, 5.0, 9.99, 10.0, 50.0, 5000.0])
def test_poisson_fits_the_exact_distribution(lam):
    x = _poissons(_state(6), lam, SIZE)
    support = np.arange(
        max(0, int(lam - 9 * np.sqrt(lam))), int(lam + 9 * np.sqrt(lam)) + 2
    )
    assert _chisquare_pvalue(x, stats.poisson.pmf(support, lam), support) > P_MIN


def test_states_from_different_seeds_give_different_streams():
    a = _uniforms(_state(7), 8)
    b = _uniforms(_state(8), 8)
    again = _uniforms(_state(7), 8)
    assert not np.array_equal(a, b)
    assert np.array_equal(a, again)
