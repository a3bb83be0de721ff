"""Reference vectors: published capture-recapture tables and their printed figures.

Sources and citations: tests/data/reference/README.md. Figures are compared to the
precision the source printed. Rcapture's conventions (AIC/BIC with the full Poisson
log-likelihood and the intercept counted, SE**2 = f0 + f0**2 Var(intercept)) are
ours, so AIC and BIC are compared too.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from aban.estimate.chao import chao_from_histories, chao_lower_bound
from aban.estimate.hierarchy import HierarchicalModel
from aban.estimate.loglinear import fit_model
from aban.estimate.selection import loglinear_estimate, search_models
from aban.estimate.tables import complete_table
from aban.estimate.twolist import lincoln_petersen, pairwise_chapman
from aban.ingest.histories import Frequencies, Histories, read_histories

DATA = Path(__file__).parent.parent / "data" / "reference"


def load(name: str) -> Histories:
    data = read_histories(DATA / name)
    assert isinstance(data, Histories)
    return data


def table(name: str) -> np.ndarray:
    data = load(name)
    return complete_table(data.patterns, data.counts)


# (file, BIC-best generating class, N, SE) from Rcapture (README.md).
BIC_BEST = [
    ("kosovo_1999.csv", "[123,14,34]", 10356.5, 785.9),
    ("diabetes_italy.csv", "[13,24,34]", 2472.2, 53.5),
    ("congenital_massachusetts.csv", "[12,13,45]", 620.5, 14.8),
    ("allegheny_survey.csv", "[12,14,23,24,34]", 6349.0, 533.5),
]


@pytest.mark.parametrize(("name", "terms", "estimate", "se"), BIC_BEST)
def test_bic_best_model(name: str, terms: str, estimate: float, se: float) -> None:
    data = load(name)
    est = loglinear_estimate(data.patterns, data.counts, data.lists)
    assert est.terms_text == terms
    assert est.estimate == pytest.approx(estimate, abs=0.05)
    assert est.se == pytest.approx(se, abs=0.05)
    assert est.observed == int(data.counts.sum())
    assert est.settings["search"] == "exhaustive"


# (file, model, N, SE, half a unit of the printed precision) for models fitted as
# given (README.md).
FIXED = [
    ("kosovo_1999.csv", "[1,2,3,4]", 7394.6, None, 0.05),
    ("kosovo_1999.csv", "[123,134]", 12741, None, 0.5),
    ("hiv_rome.csv", "[1,2,3,4]", 11124.6, 904.8, 0.05),
    ("hiv_rome.csv", "[12,3,4]", 12318.5, 1188.7, 0.05),
    ("hepatitis_a_taiwan.csv", "[1,2,3]", 388.5, None, 0.05),
    ("hepatitis_a_taiwan.csv", "[12,13,23]", 1313, 518, 0.5),
    ("snowshoe_hare.csv", "[1,2,3,4,5,6]", 75.07, None, 0.005),
]


@pytest.mark.parametrize(("name", "terms", "estimate", "se", "tolerance"), FIXED)
def test_fixed_model(
    name: str, terms: str, estimate: float, se: float | None, tolerance: float
) -> None:
    tab = table(name)
    t = int(np.log2(len(tab)))
    fit = fit_model(tab, HierarchicalModel.parse(terms, t))
    assert fit.estimate == pytest.approx(estimate, abs=tolerance)
    if se is not None:
        assert fit.se == pytest.approx(se, abs=tolerance)
    assert fit.warnings == ()


def test_kosovo_bic_best_in_full() -> None:
    data = load("kosovo_1999.csv")
    est = loglinear_estimate(data.patterns, data.counts, data.lists)
    assert est.lists == ("EXH", "ABA", "OSCE", "HRW")
    assert est.extra["deviance"] == pytest.approx(9.32, abs=0.005)
    assert est.extra["df"] == 4
    assert est.extra["aic"] == pytest.approx(132.7, abs=0.05)
    assert est.extra["bic"] == pytest.approx(203.03, abs=0.005)
    log_lo, log_hi = est.extra["log_interval"]
    assert (round(log_lo), round(log_hi)) == (9004, 12106)
    assert est.interval == "profile"
    assert (round(est.lower), round(est.upper)) == (8994, 12110)
    runner_up = est.extra["models"][1]
    assert runner_up["terms"] == "[123,134]"
    assert runner_up["estimate"] == pytest.approx(12741, abs=0.5)


def test_kosovo_log_transformed_interval() -> None:
    data = load("kosovo_1999.csv")
    est = loglinear_estimate(
        data.patterns,
        data.counts,
        data.lists,
        model="[123,14,34]",
        interval="log-transformed",
    )
    assert est.interval == "log-transformed"
    assert (round(est.lower), round(est.upper)) == (9004, 12106)


def test_kosovo_ranking_by_bic() -> None:
    search = search_models(table("kosovo_1999.csv"))
    assert [f.model.text for f in search.fits[:2]] == ["[123,14,34]", "[123,134]"]
    assert len(search.fits) == 113


def test_hepatitis_pairwise() -> None:
    data = load("hepatitis_a_taiwan.csv")
    pairs = pairwise_chapman(data.patterns, data.counts, data.lists)
    chapman = [round(p.estimate) for p in pairs]
    petersen = [round(p.extra["lincoln_petersen"]) for p in pairs]
    assert chapman == [334, 374, 331]
    assert petersen == [336, 378, 334]
    lp = lincoln_petersen(data.patterns, data.counts, data.lists, pair=(0, 2))
    assert round(lp.estimate) == 378


def test_kosovo_chapman_first_pair() -> None:
    data = load("kosovo_1999.csv")
    first = pairwise_chapman(data.patterns, data.counts, data.lists)[0]
    assert first.settings["pair"] == ["EXH", "ABA"]
    assert round(first.estimate) == 7231


def test_netherlands_chao() -> None:
    data = read_histories(DATA / "illegal_immigrants_nl_frequencies.csv")
    assert isinstance(data, Frequencies)
    est = chao_lower_bound(data.counts_by_k)
    assert est.estimate == pytest.approx(9273.5, abs=0.05)
    assert est.se == pytest.approx(662.6, abs=0.05)
    assert est.interval == "profile"
    assert (round(est.lower), round(est.upper)) == (8088, 10704)


def test_hare_chao_by_hand() -> None:
    # Hare: f1 = 25 hares caught once, f2 = 22 twice, S = 68 caught at all.
    # Plain bound 68 + 25**2 / (2 * 22) = 82.2045...; with (t - 1)/t for t = 6
    # occasions, 68 + (5/6) * 625 / 44 = 79.837..., Rcapture's "Mh Chao" 79.84.
    data = load("snowshoe_hare.csv")
    plain = chao_from_histories(data.patterns, data.counts, occasions_factor=False)
    assert plain.extra["f1"] == 25 and plain.extra["f2"] == 22
    assert plain.estimate == pytest.approx(68 + 625 / 44)
    six = chao_from_histories(data.patterns, data.counts)
    assert six.estimate == pytest.approx(68 + 5 / 6 * 625 / 44)
    assert round(six.estimate, 2) == 79.84


# Issue 14: the BIC-best model with pairwise interactions on the four tables of
# SparseMSE (README.md): (file, model, N, BIC, AIC). N and AIC agree with SparseMSE's
# modelfit() on the same model; BIC is AIC + p (log n - 2).
PAIRWISE_BEST = [
    ("netherlands_trafficking.csv", "[12,16,25,34,36,45,46]", 116667.0, 310.44, 212.22),
    ("uk_modern_slavery_2013.csv", "[12,13,25,35,36,45]", 12349.6, 244.12, 167.20),
    ("new_orleans_trafficking.csv", "[1,2,3,45,6,7,8]", 1183.7, 145.27, 113.07),
    ("us_western_trafficking.csv", "[15,2,3,4]", 2483.4, 118.74, 91.84),
]


@pytest.mark.parametrize(("name", "terms", "estimate", "bic", "aic"), PAIRWISE_BEST)
def test_best_model_on_many_sparse_lists(
    name: str, terms: str, estimate: float, bic: float, aic: float
) -> None:
    data = load(name)
    est = loglinear_estimate(data.patterns, data.counts, data.lists)
    assert est.terms_text == terms
    assert est.estimate == pytest.approx(estimate, abs=0.05)
    assert est.extra["bic"] == pytest.approx(bic, abs=0.005)
    assert est.extra["aic"] == pytest.approx(aic, abs=0.005)
    expected = "exhaustive" if len(data.lists) <= 5 else "branch-and-bound"
    assert est.settings["search"] == expected


def test_netherlands_stepwise_stops_short() -> None:
    # Issue 14: one stepwise path stops at BIC 312.79 (N 43,585); SparseMSE's own
    # stepwise (p-values, pthresh 0.02) picks [12,16,23,25,34,36,45,46] (the pairs
    # 12 and 25 share no one and are fitted as 0): N 111,139.4, BIC 312.43. The
    # branch-and-bound search finds both beaten by [12,16,25,34,36,45,46], 310.44.
    tab = table("netherlands_trafficking.csv")
    stepwise = search_models(tab, method="stepwise")
    assert stepwise.best.model.text == "[12,14,16,23,24,25,26,36,46,56]"
    assert stepwise.best.bic == pytest.approx(312.79, abs=0.005)
    assert stepwise.best.estimate == pytest.approx(43584.7, abs=0.05)
    sparse = fit_model(tab, HierarchicalModel.parse("[12,16,23,25,34,36,45,46]", 6))
    assert sparse.estimate == pytest.approx(111139.4, abs=0.05)
    assert sparse.bic == pytest.approx(312.43, abs=0.005)
    exact = search_models(tab)
    assert exact.complete
    assert [f.model.text for f in exact.fits[:3]] == [
        "[12,16,25,34,36,45,46]",
        "[16,25,34,36,45,46]",
        "[12,16,23,25,34,36,45,46]",
    ]


@pytest.mark.parametrize(
    "name", ["us_western_trafficking.csv", "congenital_massachusetts.csv"]
)
def test_branch_and_bound_equals_enumeration(name: str) -> None:
    # Every pairwise model on five lists (1,024) against branch and bound: the same
    # models, in the same order, within the window.
    tab = table(name)
    every = search_models(tab, method="exhaustive", max_order=2)
    bound = search_models(tab, method="branch-and-bound", window=6.0)
    best = every.score(every.best)
    near = [f.model.text for f in every.fits if every.score(f) - best <= 6.0]
    found = [f.model.text for f in bound.fits if bound.score(f) - best <= 6.0]
    assert found == near
    assert len(every.fits) == 1024
    assert len(bound.fits) < 1024
