"""Combining estimates over clusterings: Rubin's rules, pooled draws, mixtures."""

from __future__ import annotations

import math

import numpy as np
import pytest

from aban.errors import EstimationError
from aban.estimate.pooling import mixture_quantiles, pool_draws, rubin
from aban.estimate.tables import log_interval


def test_rubin_rules_by_hand() -> None:
    # Means 1, 2, 3 (variance 1), within variances 0.5 each: T = 0.5 + 4/3.
    found = rubin([1.0, 2.0, 3.0], [0.5, 0.5, 0.5])
    assert found.clusterings == 3
    assert found.within == pytest.approx(0.5)
    assert found.between == pytest.approx(1.0)
    assert found.total == pytest.approx(0.5 + 4 / 3)
    assert found.linkage_share == pytest.approx((4 / 3) / (0.5 + 4 / 3))
    r = (4 / 3) / 0.5
    assert found.df == pytest.approx(2 * (1 + 1 / r) ** 2)
    shares = found.to_dict()
    assert shares["scale"] == "log N"
    assert shares["linkage_share"] + shares["sampling_share"] == pytest.approx(1.0)


def test_identical_clusterings_have_no_linkage_share() -> None:
    found = rubin([2.0] * 5, [0.1] * 5)
    assert found.between == 0.0
    assert found.total == pytest.approx(0.1)
    assert found.linkage_share == 0.0
    assert math.isinf(found.df)


def test_rubin_needs_one_variance_per_estimate() -> None:
    with pytest.raises(EstimationError, match="one variance for each"):
        rubin([1.0, 2.0], [0.1])


def test_pooled_draws_weigh_each_clustering_by_how_often_it_was_drawn() -> None:
    a = np.array([[1, 2], [3, 4]], dtype=np.int64)
    b = np.array([[10, 20], [30, 40]], dtype=np.int64)
    # One distinct clustering drawn five times gives back its own draws.
    assert pool_draws([a], [5]).tolist() == [1, 2, 3, 4]
    # Drawn 4 and 2 times: twice as many of a's draws as of b's.
    pooled = pool_draws([a, b], [4, 2])
    assert sorted(pooled.tolist()) == sorted([1, 2, 3, 4] * 2 + [10, 20, 30, 40])
    with pytest.raises(EstimationError, match="same number of draws"):
        pool_draws([a, b[:1]], [1, 1])


def test_one_clustering_mixture_is_the_log_transformed_interval() -> None:
    lower, median, upper = mixture_quantiles([400.0], [120.0], [35.0])
    expected = log_interval(400, 120.0, 35.0)
    assert median == pytest.approx(520.0, rel=1e-9)
    assert lower == pytest.approx(expected[0], rel=1e-9)
    assert upper == pytest.approx(expected[1], rel=1e-9)


def test_mixture_of_two_clusterings_spans_both() -> None:
    lower, median, upper = mixture_quantiles([400.0, 420.0], [100.0, 200.0], [5.0, 5.0])
    assert 500 < median < 620
    assert lower < 500 and upper > 620
    # An estimate with no finite bound puts its mass at infinity.
    _, _, upper = mixture_quantiles([400.0, 400.0], [100.0, math.inf], [5.0, 5.0])
    assert math.isinf(upper)
