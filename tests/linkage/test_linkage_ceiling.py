"""The ceiling diagnostic of the comparisons (bench/linkage_ceiling.py, issue 16)."""

from __future__ import annotations

from pathlib import Path

from aban.linkage import link_records
from aban.linkage.metrics import pairwise_scores
from bench.linkage_ceiling import ceiling
from tests.linkage.simdata import simulated


def test_the_trained_row_is_the_link_and_every_true_pair_is_scored(
    tmp_path: Path,
) -> None:
    records, truth = simulated(tmp_path, persons=300, seed=5)
    got = ceiling(tmp_path)
    assert got["rows"]["trained"] == pairwise_scores(
        link_records(records).clusters, truth
    )
    counts = got["counts"]
    assert counts["records"] == len(records)
    assert (
        counts["true candidates"] + counts["true pairs not candidates"]
        == counts["true pairs"]
    )
    assert 0 < counts["true candidates"] <= counts["candidates"]
    assert {"true m (blocked)", "true m, u and prior"} <= set(got["rows"])
