"""The Spark engine (Splink's Spark backend on local[2]) gives DuckDB's clusters."""

from __future__ import annotations

from pathlib import Path

import pytest

from aban.linkage import link_records

from .simdata import simulated


@pytest.mark.slow
def test_spark_matches_duckdb(tmp_path: Path) -> None:
    # Small on purpose: on two cores Spark is pure overhead (a session, then a
    # job per step); below 200 records the model keeps its starting values.
    records, truth = simulated(tmp_path, persons=100, seed=8)
    assert len(records) < 200
    on_duckdb = link_records(records)
    on_spark = link_records(records, engine="spark")
    assert on_spark.clusters == on_duckdb.clusters
    assert len(on_spark.pairs) == len(on_duckdb.pairs)
    assert on_spark.model["sql_dialect"] == "spark"
    persons = len(set(on_spark.clusters.values()))
    assert persons < len(records)
