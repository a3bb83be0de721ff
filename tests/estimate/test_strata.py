"""Estimating by stratum and combining the strata (aban.estimate.strata)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from aban.errors import EstimationError
from aban.estimate.lcmcr import fit_lcmcr
from aban.estimate.selection import loglinear_estimate
from aban.estimate.strata import (
    LcmcrSettings,
    SparseRule,
    StratumHistories,
    estimate_strata,
    group_histories,
)

LISTS = ("A", "B", "C", "D")
FAST = LcmcrSettings(burnin=2_000, samples=1_000, thinning=5)


def captured(rng: np.random.Generator, size: int, p: list[float]) -> np.ndarray:
    """Independent, homogeneous captures of ``size`` persons (persons x lists)."""
    return (rng.random((size, len(p))) < np.array(p)).astype(np.int8)


@pytest.fixture(scope="module")
def three_strata() -> tuple[tuple[StratumHistories, ...], int]:
    """Strata of 400, 700 and 900 persons, captured independently (truth 2,000)."""
    rng = np.random.default_rng(11)
    parts = [
        captured(rng, 400, [0.5, 0.4, 0.3, 0.45]),
        captured(rng, 700, [0.35, 0.5, 0.4, 0.3]),
        captured(rng, 900, [0.3, 0.3, 0.5, 0.4]),
    ]
    labels = ["north"] * 400 + ["south"] * 700 + ["west"] * 900
    strata, unlisted = group_histories(np.vstack(parts), labels)
    return strata, unlisted


def test_group_histories_merges_patterns_and_counts_the_unlisted() -> None:
    patterns = [[1, 0], [0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    labels = ["unknown", "b", "unknown", "b", "a", "a"]
    strata, unlisted = group_histories(patterns, labels)
    assert unlisted == 2
    assert [s.label for s in strata] == ["a", "b", "unknown"]
    assert [s.observed for s in strata] == [1, 1, 2]
    assert strata[2].patterns.tolist() == [[1, 0]]
    assert strata[2].counts.tolist() == [2]


def test_group_histories_needs_one_label_per_person() -> None:
    with pytest.raises(EstimationError) as err:
        group_histories([[1, 0], [0, 1]], ["a"])
    assert str(err.value) == "one capture pattern per person and one stratum each"


def test_lcmcr_total_recovers_the_truth_and_is_the_sum_of_the_draws(
    three_strata: tuple[tuple[StratumHistories, ...], int],
) -> None:
    strata, _ = three_strata
    result = estimate_strata(strata, LISTS, by="region", seed=5, lcmcr=FAST)
    assert result.sparse == () and result.floor == 0
    assert result.observed == sum(s.observed for s in strata)
    assert result.lower < 2_000 < result.upper
    assert abs(result.estimate - 2_000) < 0.08 * 2_000
    for stratum, truth in zip(result.strata, (400, 700, 900), strict=True):
        assert stratum.estimate is not None
        assert stratum.estimate.lower < truth < stratum.estimate.upper
    # The total is the median of the strata's draws added index by index, each
    # stratum fitted with seed + i.
    draws = [
        fit_lcmcr(
            s.patterns,
            s.counts,
            seed=5 + i,
            K=10,
            burnin=2_000,
            samples=1_000,
            thinning=5,
        ).draws
        for i, s in enumerate(strata)
    ]
    total = np.sum(draws, axis=0).ravel()
    assert result.estimate == float(np.median(total))
    assert result.lower == float(np.quantile(total, 0.025))
    assert result.interval == "posterior-quantiles"
    assert result.settings["seed"] == 5 and result.settings["samples"] == 1_000
    # Independent strata: the sum's interval is narrower than the summed intervals.
    ests = [s.estimate for s in result.strata if s.estimate is not None]
    assert result.lower > sum(e.lower for e in ests)
    assert result.upper < sum(e.upper for e in ests)


def test_one_stratum_is_fitted_exactly_as_fit_lcmcr_with_the_seed(
    three_strata: tuple[tuple[StratumHistories, ...], int],
) -> None:
    stratum = three_strata[0][1]
    result = estimate_strata([stratum], LISTS, seed=9, lcmcr=FAST)
    direct = fit_lcmcr(
        stratum.patterns,
        stratum.counts,
        seed=9,
        burnin=2_000,
        samples=1_000,
        thinning=5,
    )
    assert (result.estimate, result.lower, result.upper) == (
        direct.median,
        direct.lower,
        direct.upper,
    )


def test_loglinear_total_adds_estimates_and_variances(
    three_strata: tuple[tuple[StratumHistories, ...], int],
) -> None:
    strata, _ = three_strata
    result = estimate_strata(strata, LISTS, model="loglinear")
    ests = [
        loglinear_estimate(s.patterns, s.counts, LISTS, criterion="bic") for s in strata
    ]
    assert result.estimate == pytest.approx(sum(e.estimate for e in ests))
    assert result.se == pytest.approx(math.sqrt(sum(e.se**2 for e in ests)))
    assert result.lower < 2_000 < result.upper
    assert result.observed <= result.lower < result.estimate < result.upper
    assert result.interval == "log-transformed"
    assert result.settings == {
        "model": "loglinear",
        "criterion": "bic",
        "sparse_rule": {"min_lists": 2, "min_persons": 30, "min_overlap": 1},
    }


def sparse_strata() -> list[StratumHistories]:
    rng = np.random.default_rng(3)
    big = captured(rng, 600, [0.5, 0.4, 0.5, 0.3])
    one_list = np.array([[1, 0, 0, 0]] * 40, dtype=np.int8)
    small = np.array([[1, 1, 0, 0]] * 5 + [[0, 0, 1, 0]] * 7, dtype=np.int8)
    apart = np.array([[1, 0, 0, 0]] * 20 + [[0, 1, 0, 0]] * 25, dtype=np.int8)
    labels = ["big"] * 600 + ["one-list"] * 40 + ["small"] * 12 + ["apart"] * 45
    strata, _ = group_histories(np.vstack([big, one_list, small, apart]), labels)
    return list(strata)


@pytest.mark.parametrize("model", ["lcmcr", "loglinear"])
def test_sparse_strata_are_flagged_and_counted_as_a_floor(model: str) -> None:
    strata = sparse_strata()
    result = estimate_strata(strata, LISTS, model=model, lcmcr=FAST)  # type: ignore[arg-type]
    by_label = {s.label: s for s in result.strata}
    assert result.sparse == ("apart", "one-list", "small")
    assert by_label["big"].flag == "" and by_label["big"].estimate is not None
    assert by_label["one-list"].reasons == (
        "1 list listed anyone (fewer than 2)",
        "no person is on two or more lists",
    )
    assert by_label["small"].reasons == ("12 persons observed (fewer than 30)",)
    assert by_label["apart"].reasons == ("no person is on two or more lists",)
    assert by_label["one-list"].lists == ("A",)
    assert all(by_label[s].estimate is None for s in result.sparse)
    assert result.floor == 40 + 12 + 45
    big = by_label["big"].estimate
    assert big is not None
    if model == "loglinear":
        assert result.estimate == pytest.approx(big.estimate + result.floor)
    assert result.lower >= big.observed + result.floor
    assert result.notes[0] == (
        "3 of 4 strata not estimated (apart, one-list, small): their 97 observed "
        "persons are added as they are, a floor with no unseen persons"
    )
    flagged = result.to_dict()["strata"][0]
    assert flagged == {
        "label": "apart",
        "observed": 45,
        "lists": ["A", "B"],
        "flag": "sparse",
        "reasons": ["no person is on two or more lists"],
        "estimate": None,
    }


def test_the_sparse_rule_is_a_setting() -> None:
    strata = sparse_strata()
    rule = SparseRule(min_persons=10, min_overlap=0)
    result = estimate_strata(strata, LISTS, model="loglinear", rule=rule)
    assert result.sparse == ("apart", "one-list")
    flags = {s.label: (s.flag, s.reasons) for s in result.strata}
    assert flags["one-list"] == ("sparse", ("1 list listed anyone (fewer than 2)",))
    # Two lists that do not overlap: flagged as failed, not estimated.
    assert flags["apart"] == (
        "failed",
        (
            "no log-linear model gives a finite estimate for this table: the lists "
            "overlap too little (or too completely)",
        ),
    )
    assert flags["small"] == ("", ())
    assert result.settings["sparse_rule"] == {
        "min_lists": 2,
        "min_persons": 10,
        "min_overlap": 0,
    }


def test_no_stratum_estimable_leaves_the_total_unknown() -> None:
    strata = [s for s in sparse_strata() if s.label != "big"]
    result = estimate_strata(strata, LISTS, model="loglinear")
    assert math.isnan(result.estimate) and result.upper == math.inf
    assert result.lower == result.floor == result.observed == 97
    data = result.to_dict()
    assert (data["estimate"], data["lower"], data["upper"]) == (None, 97, None)
    assert data["notes"][-1] == "no stratum could be estimated: the total is unknown"


def test_progress_reaches_the_total_work(
    three_strata: tuple[tuple[StratumHistories, ...], int],
) -> None:
    calls: list[tuple[int, int]] = []
    settings = LcmcrSettings(burnin=100, samples=50, thinning=2, chains=2)
    estimate_strata(
        three_strata[0], LISTS, lcmcr=settings, progress=lambda *a: calls.append(a)
    )
    assert calls[-1] == (3 * settings.iterations(), 3 * 2 * (100 + 25 * 2))
    assert all(a[0] <= b[0] for a, b in zip(calls, calls[1:], strict=False))


def test_errors_are_one_line_and_exact() -> None:
    with pytest.raises(EstimationError) as err:
        estimate_strata([], LISTS)
    assert str(err.value) == "no one is on any list: there is nothing to estimate"
    with pytest.raises(EstimationError) as err:
        estimate_strata(sparse_strata(), ("A", "B"))
    assert str(err.value) == "every stratum needs one column for each of 2 lists"


def test_reordering_the_lists_changes_no_loglinear_total(
    three_strata: tuple[tuple[StratumHistories, ...], int],
) -> None:
    strata, _ = three_strata
    order = [2, 0, 3, 1]
    moved = [StratumHistories(s.label, s.patterns[:, order], s.counts) for s in strata]
    first = estimate_strata(strata, LISTS, model="loglinear")
    second = estimate_strata(moved, [LISTS[i] for i in order], model="loglinear")
    assert second.estimate == pytest.approx(first.estimate, rel=1e-6)
    assert second.upper == pytest.approx(first.upper, rel=1e-6)
    assert first.estimate >= first.observed


def test_shared_checks_name_empty_lists_and_refuse_implausible_strata() -> None:
    # Issue 14: the checks of aban mse apply to the workspace estimate too.
    rng = np.random.default_rng(3)
    good = captured(rng, 500, [0.4, 0.5, 0.3, 0.0])
    good = good[good.any(axis=1)]
    pats, counts = np.unique(good, axis=0, return_counts=True)
    thin = StratumHistories(
        "thin",
        np.array([[1, 0, 0, 0], [0, 1, 0, 0], [1, 1, 0, 0]], dtype=np.int8),
        np.array([400, 400, 1]),
    )
    strata = (StratumHistories("main", pats.astype(np.int8), counts), thin)
    result = estimate_strata(strata, LISTS, model="loglinear")
    assert result.notes[0] == "list D has no records and is left out"
    flagged = result.strata[1]
    assert flagged.flag == "failed"
    assert flagged.reasons == (
        "the loglinear [1,2] estimate 160,801 is 201 times the 801 people observed "
        "(more than 20) and has no upper bound",
    )


def test_lcmcr_stratum_with_too_many_lists_warns() -> None:
    pats = np.eye(6, dtype=np.int8)
    pats[0, 1] = 1
    stratum = StratumHistories("all", pats, np.full(6, 8))
    result = estimate_strata(
        (stratum,),
        tuple("ABCDEF"),
        lcmcr=LcmcrSettings(burnin=50, samples=20, thinning=1, chains=1),
        rule=SparseRule(min_persons=1),
    )
    assert result.notes[0] == (
        "6 lists for 48 people in 6 capture patterns: too few for LCMCR to tell its "
        "latent classes apart (it needs 10 people per list and more patterns than "
        "the 13 parameters of two classes); the estimate may follow the prior, not "
        "the data: merge small lists"
    )
