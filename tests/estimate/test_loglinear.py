"""Hierarchical log-linear models: notation, refusal, identifiability, properties."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aban.errors import EstimationError
from aban.estimate.averaging import averaged_estimate
from aban.estimate.glm import facial_set, fit_poisson
from aban.estimate.hierarchy import HierarchicalModel, enumerate_models, neighbours
from aban.estimate.loglinear import fit_model
from aban.estimate.selection import (
    OCCAM_WINDOW,
    fit_estimate,
    loglinear_estimate,
    search_models,
)
from aban.estimate.tables import complete_table


def all_patterns(t: int) -> np.ndarray:
    return np.array(
        [p for p in itertools.product((0, 1), repeat=t) if any(p)], dtype=np.int8
    )


def test_notation_round_trip() -> None:
    model = HierarchicalModel.parse("[34,123,14]", 4)
    assert model.text == "[123,14,34]"
    assert model.labels == ("123", "14", "34")
    assert model.n_params == 11
    assert str(HierarchicalModel.independence(3)) == "[1,2,3]"
    wide = HierarchicalModel.parse("[1.10,2,3,4,5,6,7,8,9]", 10)
    assert wide.text == "[1.10,2,3,4,5,6,7,8,9]"
    assert wide.n_params == 12


def test_design_columns_are_indicator_products() -> None:
    design = HierarchicalModel.parse("[12,3]", 3).design()
    # Cell 3 = lists 1 and 2 (bits 0 and 1): intercept, 1, 2, 3, 12.
    assert design[3].tolist() == [1, 1, 1, 0, 1]
    assert design[0].tolist() == [1, 0, 0, 0, 0]


def test_non_hierarchical_model_is_refused() -> None:
    with pytest.raises(EstimationError) as err:
        HierarchicalModel.from_terms(4, [{0}, {1}, {2}, {0, 3}])
    assert str(err.value) == (
        "model is not hierarchical: term 14 needs term 4; add it, or give the "
        "generating class instead (e.g. [123,14,34])"
    )
    with pytest.raises(EstimationError, match="term 123 needs term 23"):
        HierarchicalModel.from_terms(3, [{0}, {1}, {2}, {0, 1}, {0, 2}, {0, 1, 2}])


def test_missing_main_effect_is_refused() -> None:
    with pytest.raises(EstimationError) as err:
        loglinear_estimate(all_patterns(4), np.ones(15, dtype=int), model="[12,3]")
    assert str(err.value) == (
        "model [12,3] on 4 lists has no main effect for list 4; add it as a term "
        "of its own"
    )


@pytest.mark.parametrize("text", ["[12,5]", "[1x,2]", "[]"])
def test_malformed_model_is_refused(text: str) -> None:
    with pytest.raises(EstimationError):
        HierarchicalModel.parse(text, 4)


def test_hierarchical_terms_are_accepted() -> None:
    model = HierarchicalModel.from_terms(3, [{0}, {1}, {2}, {0, 1}])
    assert model.text == "[12,3]"


def test_enumeration() -> None:
    three = list(enumerate_models(3))
    assert len(three) == len(set(three)) == 8
    four = list(enumerate_models(4))
    assert len(four) == len(set(four)) == 113
    assert all(m.max_order <= 3 for m in four)
    step = list(neighbours(HierarchicalModel.parse("[12,3]", 3), 2))
    assert sorted(m.text for m in step) == ["[1,2,3]", "[12,13]", "[12,23]"]


def test_saturated_model_is_not_identifiable() -> None:
    table = complete_table(all_patterns(3), np.array([5, 6, 7, 8, 9, 10, 11]))
    fit = fit_model(table, HierarchicalModel.parse("[123]", 3))
    assert math.isnan(fit.estimate)
    assert fit.warnings == (
        "model [123] is not identifiable: its interaction of all 3 lists leaves "
        "nothing to predict the people on no list",
    )
    est = fit_estimate(table, fit, ("a", "b", "c"))
    assert est.warnings == fit.warnings
    assert est.to_dict()["estimate"] is None


def test_two_lists_without_overlap_are_unbounded() -> None:
    pats = np.array([[1, 0], [0, 1], [1, 1]], dtype=np.int8)
    est = loglinear_estimate(pats, [5, 7, 0], model="[1,2]")
    assert est.estimate == math.inf
    assert est.warnings[0] == (
        "the MLE of model [1,2] does not exist (zero cells 11): the number on no "
        "list is unbounded; choose a smaller model"
    )


def test_no_one_on_one_list_alone_is_not_determined() -> None:
    # Everyone on list 2 is also on list 1: the fitted 01 cell goes to 0, and with
    # it any information on the people on no list.
    pats = np.array([[1, 0], [0, 1], [1, 1]], dtype=np.int8)
    est = loglinear_estimate(pats, [3, 0, 5], model="[1,2]")
    assert math.isnan(est.estimate)
    assert est.warnings[0] == (
        "the MLE of model [1,2] does not exist (zero cells 01): the number on no "
        "list is not determined; choose a smaller model"
    )


def test_zero_margin_gives_extended_mle_with_warning() -> None:
    # No one is on both lists 1 and 2: the [12] parameter runs to -infinity.
    pats = all_patterns(3)
    counts = np.array([0 if p[0] and p[1] else 30 for p in pats])
    est = loglinear_estimate(pats, counts, model="[12,3]")
    assert est.warnings[0] == (
        "the MLE of model [12,3] does not exist (zero cells 110, 111): those cells "
        "are fitted as 0, the SE and intervals are approximate"
    )
    assert est.interval == "log-transformed"
    # On the other five cells (all 30) the main effects are 0 and the intercept
    # log 30: 30 people on no list, N = 150 + 30.
    assert est.estimate == pytest.approx(180.0)


def test_facial_set_of_a_simple_table() -> None:
    x = HierarchicalModel.independence(2).design()[1:]
    face = facial_set(x, np.array([5.0, 7.0, 0.0]))
    assert face.tolist() == [True, True, False]
    assert facial_set(x, np.array([5.0, 7.0, 1.0])).all()


def test_irls_matches_closed_form() -> None:
    # Independence on two lists: the fitted cells reproduce the data exactly and
    # the unobserved cell is n10 * n01 / n11.
    x = HierarchicalModel.independence(2).design()[1:]
    fit = fit_poisson(x, np.array([60.0, 40.0, 20.0]))
    assert fit.converged
    assert math.exp(fit.coef[0]) == pytest.approx(60 * 40 / 20)


@given(st.integers(1, 500), st.integers(1, 500), st.integers(1, 500))
def test_two_list_independence_is_lincoln_petersen(a: int, b: int, c: int) -> None:
    pats = np.array([[1, 0], [0, 1], [1, 1]], dtype=np.int8)
    est = loglinear_estimate(pats, [a, b, c], model="[1,2]", interval="log-transformed")
    assert est.estimate == pytest.approx((a + c) * (b + c) / c, rel=1e-9)


def test_search_refuses_table_without_finite_model() -> None:
    pats = np.array([[1, 0], [0, 1], [1, 1]], dtype=np.int8)
    with pytest.raises(EstimationError, match="no log-linear model gives a finite"):
        loglinear_estimate(pats, [5, 7, 0])


tables4 = st.lists(st.integers(1, 300), min_size=15, max_size=15)


@settings(max_examples=20, deadline=None)
@given(tables4, st.permutations(range(4)))
def test_relabelling_lists_changes_nothing(counts: list[int], order: list[int]) -> None:
    pats = all_patterns(4)
    names = ("a", "b", "c", "d")
    base = loglinear_estimate(pats, counts, names)
    moved = loglinear_estimate(pats[:, order], counts, [names[i] for i in order])
    assert moved.extra["bic"] == pytest.approx(base.extra["bic"], rel=1e-9)
    scores = [m["bic"] for m in base.extra["models"]]
    if scores[1] - scores[0] < 1e-6:
        return  # a tie (symmetric counts): either model may come first
    best = HierarchicalModel.parse(base.terms_text or "", 4)
    assert moved.terms_text == best.relabel(order).text
    assert moved.estimate == pytest.approx(base.estimate, rel=1e-7)
    assert moved.lower == pytest.approx(base.lower, rel=1e-5)
    assert moved.upper == pytest.approx(base.upper, rel=1e-5)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 200), min_size=7, max_size=7))
def test_estimate_is_at_least_observed(counts: list[int]) -> None:
    pats = all_patterns(3)
    try:
        est = loglinear_estimate(pats, counts, model="[1,2,3]")
    except EstimationError:
        assert sum(counts) == 0
        return
    assert est.observed == sum(counts)
    assert est.estimate >= est.observed
    if math.isfinite(est.estimate):
        assert est.lower <= est.estimate <= est.upper
        assert est.lower >= est.observed


def test_averaging() -> None:
    pats = all_patterns(3)
    counts = np.array([69, 55, 21, 63, 17, 18, 28])
    search = search_models(complete_table(pats, counts))
    weights = search.weights()
    assert weights.sum() == pytest.approx(1.0)
    avg = averaged_estimate(pats, counts)
    best = search.score(search.best)
    window = [f for f in search.fits if search.score(f) - best <= OCCAM_WINDOW]
    scores = np.array([search.score(f) for f in window])
    w = np.exp(-(scores - scores.min()) / 2)
    expected = sum(wi * f.estimate for f, wi in zip(window, w / w.sum(), strict=True))
    assert avg.estimate == pytest.approx(expected)
    assert avg.extra["members"] == len(window)
    assert avg.model == "loglinear-averaged"
    assert avg.lower <= avg.estimate <= avg.upper


def test_recovers_known_total_with_six_lists() -> None:
    # 2,000 people, six independent lists: the search lands near 2,000.
    rng = np.random.default_rng(20191115)
    caps = (rng.random((2000, 6)) < np.array([0.2, 0.3, 0.25, 0.15, 0.35, 0.2])).astype(
        np.int8
    )
    pats, counts = np.unique(caps[caps.any(axis=1)], axis=0, return_counts=True)
    est = loglinear_estimate(pats, counts)
    assert est.settings["search"] == "branch-and-bound"
    assert est.settings["max_order"] == 2
    assert est.lower <= 2000 <= est.upper
    assert abs(est.estimate - 2000) < 100


def test_averaging_refuses_and_names_members_with_no_finite_estimate() -> None:
    # Issue 14: averaging returned 1.8e79 on US Western from such members.
    counts = np.array([32, 3, 1, 0, 0, 1, 0])
    avg = averaged_estimate(all_patterns(3), counts)
    assert avg.warnings[0] == (
        "model averaging leaves out 3 of the 7 models within 6.0 BIC units of the "
        "best: [13,23] (no finite estimate); [12,23] (no finite estimate); [1,23] "
        "(no finite estimate)"
    )
    assert [r["terms"] for r in avg.extra["refused"]] == [
        "[13,23]",
        "[12,23]",
        "[1,23]",
    ]
    assert avg.extra["members"] == 4
    assert math.isfinite(avg.estimate) and math.isfinite(avg.upper)
