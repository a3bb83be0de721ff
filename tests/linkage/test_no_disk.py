"""Linkage writes nothing to disk: DuckDB in memory, spilling off, a memory limit."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from aban.linkage import link_records
from aban.linkage.engine import MEMORY_LIMIT, _duckdb_api

from .simdata import simulated


def test_duckdb_settings() -> None:
    con = _duckdb_api().duckdb_con
    setting = "select current_setting(?)"
    assert con.execute(setting, ["temp_directory"]).fetchone() == ("",)
    assert con.execute("select current_setting('memory_limit')").fetchone() != (None,)
    databases = con.execute(
        "select path from duckdb_databases() where path is not null"
    )
    assert databases.fetchall() == []
    assert MEMORY_LIMIT == "8GB"


def test_a_query_beyond_the_limit_fails_instead_of_spilling(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ABAN_LINKAGE_MEMORY", "32MB")
    monkeypatch.chdir(tmp_path)
    con = _duckdb_api().duckdb_con
    with pytest.raises(duckdb.OutOfMemoryException):
        con.execute(
            "select i, md5(i::varchar) as h from range(5000000) t(i) order by h"
        ).fetchall()
    assert list(tmp_path.iterdir()) == []


def test_linking_leaves_no_file(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    records, _ = simulated(tmp_path_factory.mktemp("sim"), persons=200, seed=3)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("TMPDIR", str(work))
    before = set(os.listdir(work))
    result = link_records(pd.DataFrame(records))
    assert len(result.clusters) == len(records)
    assert set(os.listdir(work)) == before == set()
