"""Simulation-based calibration of the whole LCMCR sampler (Talts et al. 2018).

Draw every parameter from the model's own prior, simulate a capture-history
table, fit it, and take the rank of the true N among the posterior draws: for a
correct sampler the rank is uniform. N is drawn log-uniformly on [200, 20,000],
which is the 1/N prior restricted to a range the posteriors stay within. This
checks every conditional together, the unseen count's included, which matching
published posteriors cannot.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from aban.estimate.lcmcr import fit_lcmcr

K, LISTS, REPLICATIONS, DRAWS = 3, 4, 200, 39


def prior_table(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, int]:
    """A table simulated from parameters drawn from the LCMCR prior."""
    alpha = rng.gamma(0.25, 1 / 0.25)
    v = np.append(rng.beta(1.0, alpha, K - 1), 1.0)
    pi = v * np.concatenate([[1.0], np.cumprod(1.0 - v[:-1])])
    lam = rng.uniform(size=(LISTS, K))
    n = int(np.exp(rng.uniform(np.log(200), np.log(20_000))))
    classes = rng.choice(K, size=n, p=pi / pi.sum())
    seen = (rng.random((n, LISTS)) < lam[:, classes].T).astype(np.int8)
    patterns, counts = np.unique(seen[seen.any(axis=1)], axis=0, return_counts=True)
    return patterns, counts, n


def test_rank_of_the_true_population_size_is_uniform():
    rng = np.random.default_rng(2024)
    ranks = []
    for rep in range(REPLICATIONS):
        patterns, counts, n = prior_table(rng)
        result = fit_lcmcr(
            patterns,
            counts,
            K=K,
            burnin=3_000,
            samples=DRAWS,
            thinning=30,
            chains=1,
            seed=rep,
        )
        draws = result.draws.ravel()
        ranks.append((draws < n).sum() + rng.integers(0, (draws == n).sum() + 1))
    ranks = np.array(ranks)
    histogram = np.bincount(ranks * 10 // (DRAWS + 1), minlength=10)
    assert stats.chisquare(histogram).pvalue > 1e-3, histogram
    # Mean rank of a uniform rank: 1/2, sd sqrt(1/12 / REPLICATIONS).
    assert abs(ranks.mean() / DRAWS - 0.5) < 4 * np.sqrt(1 / 12 / REPLICATIONS)
