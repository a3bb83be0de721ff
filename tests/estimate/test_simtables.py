"""The sparse-table generator behind the committed 10-, 15- and 20-list tables."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from aban.estimate.simtables import sparse_lists

SPARSE = Path(__file__).resolve().parents[1] / "data/reference/sparse"
COMMITTED = [(10, 1), (10, 2), (15, 1), (15, 2), (20, 6), (20, 9)]


def test_same_seed_same_table() -> None:
    first, second = sparse_lists(20, 2_400, seed=3), sparse_lists(20, 2_400, seed=3)
    assert np.array_equal(first.patterns, second.patterns)
    assert np.array_equal(first.counts, second.counts)
    assert first.truth == 2_400


def test_table_is_well_formed() -> None:
    patterns, counts, truth = sparse_lists(20, 2_400, seed=6)
    assert patterns.dtype == np.int8 and counts.dtype == np.int64
    assert patterns.shape == (len(counts), 20)
    assert (counts >= 1).all() and counts.sum() < truth
    assert patterns.any(axis=1).all(), "no all-zero pattern"
    assert patterns.any(axis=0).all(), "every list records somebody"
    assert len(np.unique(patterns, axis=0)) == len(patterns)


def test_sparse_like_a_colombia_stratum() -> None:
    """Most patterns seen once; most observed people on one list only."""
    patterns, counts, _ = sparse_lists(20, 2_400, seed=9)
    assert (counts == 1).sum() > len(counts) / 2
    assert counts[patterns.sum(axis=1) == 1].sum() > counts.sum() / 2


@pytest.mark.parametrize(("n_lists", "seed"), COMMITTED)
def test_committed_tables_come_from_the_generator(n_lists: int, seed: int) -> None:
    """tests/data/reference/sparse/README.md's calls give the committed CSVs."""
    with (SPARSE / f"sparse{n_lists}_seed{seed}.csv").open(newline="") as fh:
        rows = [[int(x) for x in row] for row in list(csv.reader(fh))[1:]]
    table = np.array(rows)
    patterns, counts, _ = sparse_lists(n_lists, 2_400, seed=seed)
    assert np.array_equal(table[:, :-1], patterns)
    assert np.array_equal(table[:, -1], counts)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError) as err:
        sparse_lists(1, 100, seed=1)
    assert str(err.value) == "need 2 lists or more and 1 person or more, got 1 and 100"
    with pytest.raises(ValueError) as err:
        sparse_lists(5, 100, seed=1, shares=(0.5, 0.5))
    assert str(err.value) == "shares must sum to 1 and match visibility in length"
    with pytest.raises(ValueError) as err:
        sparse_lists(20, 3, seed=1)
    assert str(err.value) == (
        "no draw in 1,000 had every list record somebody; raise people or rate"
    )
