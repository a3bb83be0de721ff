"""LCMCR against the published reference posteriors (tests/data/reference/README.md).

Reference values are posterior medians and 95% intervals printed by the R package
LCMCR (Manrique-Vallier 2016) on the same tables; Kosovo at K=10, a=b=0.25,
100,000 burn-in, 10,000 samples, thinning 100 (two R seeds: 10,434 [9,044-13,635]
and 10,452 [9,180-13,998]). Only numbers are compared.

The runs here are shorter than the reference ones (``make bench`` runs Kosovo at
the full settings), so the tolerance is 4 Monte Carlo standard errors of our
quantile (Vehtari et al. 2021) combined with an allowance for the reference's own
Monte Carlo error (1% of the median, 2% of the lower and 4% of the upper end,
from the spread of the two R seeds on Kosovo).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from aban.estimate.diagnostics import mcse_quantile
from aban.estimate.lcmcr import fit_lcmcr

DATA = Path(__file__).resolve().parents[1] / "data" / "reference"
REFERENCE_ERROR = {0.5: 0.01, 0.025: 0.02, 0.975: 0.04}

CASES = {
    # Ball et al. (2002); LCMCR settings above.
    "kosovo_1999": (10_440, 9_050, 13_800),
    # Chao et al. (2001) data.
    "hepatitis_a_taiwan": (512, 364, 855),
    "diabetes_italy": (2_424, 2_261, 3_145),
    "congenital_massachusetts": (630, 590, 721),
    "allegheny_survey": (5_475, 4_410, 7_124),
}


def load_table(name: str) -> tuple[np.ndarray, np.ndarray]:
    table = np.loadtxt(DATA / f"{name}.csv", delimiter=",", skiprows=1, dtype=np.int64)
    return table[:, :-1].astype(np.int8), table[:, -1]


@pytest.mark.parametrize("name", sorted(CASES))
def test_lcmcr_matches_the_reference_posterior(name):
    patterns, counts = load_table(name)
    result = fit_lcmcr(
        patterns, counts, K=10, burnin=20_000, samples=4_000, thinning=50, seed=1
    )
    ours = {0.5: result.median, 0.025: result.lower, 0.975: result.upper}
    for prob, reference in zip((0.5, 0.025, 0.975), CASES[name], strict=True):
        mcse = mcse_quantile(result.draws, prob)
        tolerance = 4 * np.hypot(mcse, REFERENCE_ERROR[prob] * reference)
        assert abs(ours[prob] - reference) < tolerance, (prob, ours[prob], tolerance)
    assert result.observed == counts.sum()
    assert result.draws.min() >= counts.sum()
