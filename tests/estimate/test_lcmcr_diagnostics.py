"""R-hat, effective sample size and quantile MCSE on chains with known answers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import special, stats

from aban.estimate.diagnostics import (
    autocovariance,
    average_ranks,
    ess,
    ess_bulk,
    ess_tail,
    mcse_quantile,
    normal_quantile,
    rank_normalize,
    rank_rhat,
    split_chains,
    split_rhat,
)


def ar1(chains: int, n: int, phi: float, seed: int) -> np.ndarray:
    """Stationary AR(1) chains with unit marginal variance."""
    rng = np.random.default_rng(seed)
    x = np.empty((chains, n))
    x[:, 0] = rng.standard_normal(chains)
    noise = rng.standard_normal((chains, n)) * math.sqrt(1 - phi**2)
    for t in range(1, n):
        x[:, t] = phi * x[:, t - 1] + noise[:, t]
    return x


def test_split_chains_halves_each_chain_and_drops_the_middle_draw():
    x = np.arange(14).reshape(2, 7)
    assert split_chains(x).tolist() == [[0, 1, 2], [7, 8, 9], [4, 5, 6], [11, 12, 13]]


def test_autocovariance_matches_the_direct_sum():
    x = np.random.default_rng(1).standard_normal(257)
    y = x - x.mean()
    direct = np.array([y[: y.size - k] @ y[k:] / y.size for k in range(y.size)])
    assert np.allclose(autocovariance(x), direct, atol=1e-12)


def test_rank_normalize_gives_normal_scores_with_averaged_ties():
    z = rank_normalize(np.array([[3.0, 1.0, 2.0, 2.0]]))
    ranks = np.array([4.0, 1.0, 2.5, 2.5])
    assert np.allclose(z[0], stats.norm.ppf((ranks - 0.375) / 4.25))


def test_normal_quantile_matches_scipy_to_the_last_digits():
    # The diagnostics' own AS 241 keeps SciPy out of the LCMCR command's start-up.
    p = np.concatenate(
        [
            np.linspace(1e-9, 1 - 1e-9, 20_001),
            np.logspace(-300, -2, 500),
            1.0 - np.logspace(-15, -2, 200),
        ]
    )
    expected = special.ndtri(p)
    assert np.allclose(normal_quantile(p), expected, rtol=1e-14, atol=1e-13)
    assert normal_quantile(np.array([0.5]))[0] == 0.0


def test_average_ranks_match_scipy_with_many_ties():
    x = np.random.default_rng(3).integers(0, 40, size=(3, 500)).astype(float)
    assert np.array_equal(average_ranks(x), stats.rankdata(x, method="average"))
    assert average_ranks(np.array([2.0, 2.0, 2.0])).tolist() == [2.0, 2.0, 2.0]


def test_iid_chains_have_rhat_one_and_full_ess():
    x = np.random.default_rng(2).standard_normal((4, 2_000))
    assert split_rhat(x) < 1.01
    assert rank_rhat(x) < 1.01
    for value in (ess(x), ess_bulk(x), ess_tail(x)):
        assert 0.85 * x.size < value < 1.15 * x.size


@pytest.mark.parametrize("phi", [0.5, 0.9])
def test_ar1_ess_matches_the_integrated_autocorrelation_time(phi):
    x = ar1(4, 10_000, phi, seed=3)
    expected = x.size * (1 - phi) / (1 + phi)
    assert ess(x) == pytest.approx(expected, rel=0.15)
    assert ess_bulk(x) == pytest.approx(expected, rel=0.15)


def test_rhat_detects_a_chain_in_another_place():
    x = np.random.default_rng(4).standard_normal((4, 1_000))
    x[0] += 2.0
    # Split means 2, 2, 0 x 6: between variance 6/7, so R-hat about sqrt(1 + 6/7).
    assert split_rhat(x) == pytest.approx(math.sqrt(1 + 6 / 7), rel=0.05)
    assert rank_rhat(x) > 1.2


def test_rank_rhat_detects_a_chain_with_another_scale_that_split_rhat_misses():
    x = np.random.default_rng(5).standard_normal((4, 1_000))
    x[0] *= 3.0
    assert split_rhat(x) < 1.05
    assert rank_rhat(x) > 1.05


def test_split_rhat_detects_a_trend_within_one_chain():
    x = np.random.default_rng(6).standard_normal((1, 2_000))
    x[0] += np.linspace(0, 3, 2_000)
    assert split_rhat(x) > 1.2


def test_mcse_of_the_median_of_iid_draws():
    x = np.random.default_rng(7).standard_normal((2, 20_000))
    # Asymptotic sd of a sample median: sqrt(p (1 - p) / n) / density.
    expected = 0.5 / math.sqrt(x.size) / stats.norm.pdf(0.0)
    assert mcse_quantile(x, 0.5) == pytest.approx(expected, rel=0.15)


def test_chains_each_constant_at_different_values_have_an_infinite_rhat():
    # Issue 14: chains at 2 and 3 occupied classes throughout disagree, though no
    # chain varies; the folded draws are all alike, so the bulk R-hat answers.
    x = np.repeat(np.array([[2.0], [3.0], [3.0], [2.0]]), 100, axis=1)
    assert split_rhat(x) == math.inf
    assert rank_rhat(x) == math.inf
    assert math.isnan(rank_rhat(np.full((4, 100), 3.0)))


def test_undefined_cases_are_nan():
    assert math.isnan(split_rhat(np.ones((2, 100))))
    assert math.isnan(rank_rhat(np.zeros((2, 3))))
    assert math.isnan(ess(np.full((2, 100), 7.0)))
    assert math.isnan(ess_bulk(np.zeros((1, 2))))
    assert math.isnan(mcse_quantile(np.zeros((1, 2)), 0.5))
