"""The precision study's rules (bench/precision_rules.py, issue 16), on pairs
built by hand: record 0 of source a, records 1 and 2 of source b, record 3 of
source c."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from aban.linkage import link_records
from aban.linkage.metrics import pairwise_scores
from bench.precision_rules import (
    ambiguous_pairs,
    competition_weights,
    estimated_precision,
    study,
)
from tests.linkage.simdata import simulated

SOURCES = ["a", "b", "b", "c"]


def _pairs(*rows: tuple[int, int, float]) -> tuple[np.ndarray, ...]:
    i, j, w = zip(*rows, strict=True)
    return np.asarray(i), np.asarray(j), np.asarray(w, dtype=float)


def test_two_namesakes_of_one_source_share_one_record_of_another() -> None:
    # 0~1 and 0~2 at 1 bit each, and 1~2 not scored (two people): under the
    # one-to-one constraint each has odds 2 / (1 + 2).
    i, j, w = _pairs((0, 1, 1.0), (0, 2, 1.0), (0, 3, 1.0))
    got = competition_weights(i, j, w, SOURCES)
    assert got[:2] == pytest.approx([math.log2(2 / 3)] * 2)
    assert got[2] == pytest.approx(1.0)


def test_a_duplicate_within_a_source_does_not_compete() -> None:
    # 1~2 at 20 bits: one person listed twice in source b.
    i, j, w = _pairs((0, 1, 1.0), (0, 2, 1.0), (1, 2, 20.0))
    got = competition_weights(i, j, w, SOURCES)
    assert got[:2] == pytest.approx([1.0, 1.0], abs=1e-4)
    assert not ambiguous_pairs(i, j, w, SOURCES).any()


def test_a_weak_pair_is_ambiguous_only_beside_a_near_equal_rival() -> None:
    i, j, w = _pairs((0, 1, -1.0), (0, 2, -1.5), (0, 3, -1.0))
    assert ambiguous_pairs(i, j, w, SOURCES).tolist() == [True, True, False]
    # 0~2 has a rival 2 bits stronger; 0~1 none within a bit.
    i, j, w = _pairs((0, 1, -1.0), (0, 2, -3.0))
    assert ambiguous_pairs(i, j, w, SOURCES).tolist() == [False, True]
    i, j, w = _pairs((0, 1, 2.0), (0, 2, 2.0))
    assert not ambiguous_pairs(i, j, w, SOURCES).any()


def test_the_estimate_counts_the_pairs_inside_clusters() -> None:
    i, j, w = _pairs((0, 1, 0.0), (1, 3, 0.0), (0, 3, -2.0), (0, 2, 5.0))
    label = np.asarray([0, 0, 2, 0])
    direct, path = estimated_precision(label, i, j, w, shift=0.0)
    assert direct == pytest.approx((0.5 + 0.5 + 0.2) / 3)
    # 0~3 is as strong as its weaker link through record 1.
    assert path == pytest.approx(0.5)


def test_the_default_row_is_the_link(tmp_path: Path) -> None:
    records, truth = simulated(tmp_path, persons=300, seed=5)
    got = study(tmp_path)
    expected = pairwise_scores(link_records(records).clusters, truth)
    row = got["rows"]["threshold 0.05"]
    assert row["precision"] == pytest.approx(expected.precision)
    assert row["recall"] == pytest.approx(expected.recall)
    assert got["records"] == len(records)
