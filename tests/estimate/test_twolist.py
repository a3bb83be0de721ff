"""Lincoln-Petersen and Chapman: closed forms on hand-computed tables."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aban.errors import EstimationError
from aban.estimate.twolist import (
    chapman,
    lincoln_petersen,
    pairwise_chapman,
    two_list_counts,
)

PATTERNS = np.array([[1, 0], [0, 1], [1, 1]], dtype=np.int8)


def test_lincoln_petersen_by_hand() -> None:
    # n1 = 80, n2 = 60, m = 20: N = 80 * 60 / 20 = 240,
    # Var = 80 * 60 * 60 * 40 / 20**3 = 1440.
    est = lincoln_petersen(PATTERNS, [60, 40, 20], ["a", "b"])
    assert est.estimate == 240.0
    assert est.se == pytest.approx(math.sqrt(1440.0))
    assert est.observed == 120
    # Log-transformed: f0 = 120, C = exp(1.96 sqrt(log(1 + 1440 / 120**2))).
    c = math.exp(1.959963984540054 * math.sqrt(math.log(1.1)))
    assert est.lower == pytest.approx(120 + 120 / c)
    assert est.upper == pytest.approx(120 + 120 * c)
    assert est.interval == "log-transformed"


def test_chapman_by_hand() -> None:
    # (81 * 61) / 21 - 1 = 234.285714...; Var = 81*61*60*40 / (21**2 * 22).
    est = chapman(PATTERNS, [60, 40, 20])
    assert est.estimate == pytest.approx(81 * 61 / 21 - 1)
    assert est.se == pytest.approx(math.sqrt(81 * 61 * 60 * 40 / (21**2 * 22)))
    assert est.extra["lincoln_petersen"] == 240.0
    assert est.settings["pair"] == ["1", "2"]
    assert est.warnings == ()


def test_no_overlap() -> None:
    with pytest.raises(EstimationError) as err:
        lincoln_petersen(PATTERNS, [5, 7, 0])
    assert str(err.value) == (
        "no one is on both lists, so the Lincoln-Petersen estimate is infinite; "
        "use Chapman's estimator (--model chapman)"
    )
    est = chapman(PATTERNS, [5, 7, 0])
    assert est.estimate == 6 * 8 / 1 - 1
    assert est.warnings[0] == (
        "only 0 people are on both lists; two-list estimates are unreliable with "
        "fewer than 7"
    )


def test_pairwise_uses_every_pair_in_order() -> None:
    pats = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [1, 0, 1], [1, 1, 1]])
    counts = [10, 20, 30, 4, 5, 6]
    pairs = pairwise_chapman(pats, counts, ["x", "y", "z"])
    assert [p.settings["pair"] for p in pairs] == [["x", "y"], ["x", "z"], ["y", "z"]]
    assert two_list_counts(pats, counts, 0, 2) == (25, 41, 11)
    assert pairs[1].estimate == pytest.approx(26 * 42 / 12 - 1)
    assert all(p.observed == 75 for p in pairs)


def test_same_list_twice_is_refused() -> None:
    with pytest.raises(EstimationError, match="not two different lists"):
        chapman(PATTERNS, [1, 2, 3], pair=(1, 1))


@given(st.integers(0, 400), st.integers(0, 400), st.integers(0, 400))
def test_chapman_at_least_seen_and_symmetric(a: int, b: int, c: int) -> None:
    if a + b + c == 0:
        return
    est = chapman(PATTERNS, [a, b, c])
    assert est.estimate >= a + b + c - 1e-9
    assert est.lower <= est.estimate <= est.upper
    swapped = chapman(PATTERNS[:, ::-1], [a, b, c])
    assert swapped.estimate == pytest.approx(est.estimate)
