"""Chao's lower bound: closed forms, the bias-corrected form, the intervals."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aban.errors import EstimationError
from aban.estimate.chao import chao_from_histories, chao_lower_bound


def test_classic_form_by_hand() -> None:
    # S = 55, f1 = 40, f2 = 10: N = 55 + 1600 / 20 = 135; r = 4,
    # Var = 10 * (256/4 + 64 + 16/2) = 1360.
    est = chao_lower_bound([0, 40, 10, 5])
    assert est.estimate == 135.0
    assert est.se == pytest.approx(math.sqrt(1360.0))
    assert est.extra["form"] == "classic"
    assert est.interval == "profile"
    assert est.lower < 135.0 < est.upper
    lo, hi = est.extra["log_interval"]
    c = math.exp(1.959963984540054 * math.sqrt(math.log1p(1360.0 / 80.0**2)))
    assert (lo, hi) == pytest.approx((55 + 80 / c, 55 + 80 * c))


def test_bias_corrected_when_no_doubles() -> None:
    # f2 = 0: N = 8 + 5 * 4 / 2 = 18, Var = 10 + 5 * 81 / 4 - 625 / 72.
    est = chao_lower_bound([0, 5, 0, 3])
    assert est.estimate == 18.0
    assert est.se == pytest.approx(math.sqrt(10 + 5 * 81 / 4 - 625 / 72))
    assert est.interval == "log-transformed"
    assert est.extra["form"] == "bias-corrected"
    assert est.warnings == (
        "no one was seen exactly twice: the bias-corrected form "
        "S + f1(f1 - 1)/(2(f2 + 1)) is used, with a log-transformed interval",
    )


def test_occasions_factor() -> None:
    # t = 4: N = 55 + (3/4) * 1600 / 20 = 115.
    assert chao_lower_bound([0, 40, 10, 5], occasions=4).estimate == 115.0


def test_from_histories_uses_row_sums() -> None:
    pats = np.array([[1, 0, 0], [0, 1, 0], [1, 1, 0], [1, 1, 1]], dtype=np.int8)
    est = chao_from_histories(pats, [30, 10, 10, 5], occasions_factor=False)
    assert (est.extra["f1"], est.extra["f2"]) == (40, 10)
    assert est.estimate == 55 + 1600 / 20
    assert est.lists == ("1", "2", "3")


@pytest.mark.parametrize("freq", [[5, 3], [0, -1, 2], [0], [0, 0, 0]])
def test_bad_frequencies(freq: list[int]) -> None:
    with pytest.raises(EstimationError):
        chao_lower_bound(freq)


@given(st.lists(st.integers(0, 1000), min_size=2, max_size=8))
def test_at_least_seen(tail: list[int]) -> None:
    if sum(tail) == 0:
        return
    est = chao_lower_bound([0, *tail])
    assert est.estimate >= est.observed == sum(tail)
    assert est.observed <= est.lower <= est.estimate <= est.upper
