"""The Spark engine (Splink's Spark backend on local[2]) gives DuckDB's clusters,
and keeps what it writes private, encrypted and only while it runs."""

from __future__ import annotations

import stat
import tempfile
from pathlib import Path
from typing import Any

import pytest

from aban.linkage import engine, link_records

from .simdata import simulated


@pytest.mark.slow
def test_spark_matches_duckdb(tmp_path: Path) -> None:
    # Small on purpose: on two cores Spark is pure overhead (a session, then a
    # job per step); below 200 records the model keeps its starting values.
    records, truth = simulated(tmp_path, persons=100, seed=8)
    assert len(records) < 200
    # Reviewers' decisions too: a match across two persons, a non-match inside one.
    keys = sorted(truth)
    by_person: dict[str, list[str]] = {}
    for key in keys:
        by_person.setdefault(truth[key], []).append(key)
    same = next(group for group in by_person.values() if len(group) > 1)
    decided = {"must_link": [(keys[0], keys[-1])], "cannot_link": [tuple(same[:2])]}
    on_duckdb = link_records(records, **decided)
    on_spark = link_records(records, engine="spark", **decided)
    assert on_duckdb.clusters[keys[0]] == on_duckdb.clusters[keys[-1]]
    assert on_duckdb.clusters[same[0]] != on_duckdb.clusters[same[1]]
    assert on_spark.clusters == on_duckdb.clusters
    assert len(on_spark.pairs) == len(on_duckdb.pairs)
    assert on_spark.model["sql_dialect"] == "spark"
    persons = len(set(on_spark.clusters.values()))
    assert persons < len(records)


#: A family name no simulated record has; found in a file, it is plaintext.
CANARY = "zqxcanaryfamily"


def _block_folders(temp: Path) -> set[Path]:
    """Spark's block manager folders in the JVM's default temporary folder and in
    Python's (``temp``)."""
    return {*Path("/tmp").glob("blockmgr-*"), *temp.rglob("blockmgr-*")}


def _spark_state(seen: dict[str, Any], temp: Path) -> None:
    """Record, while the session runs, its block folders, their files and the
    JVM's environment."""
    from pyspark import SparkContext

    folders = sorted(_block_folders(temp) - seen["before"])
    seen["folders"] = folders
    seen["modes"] = [stat.S_IMODE(f.parent.stat().st_mode) for f in folders]
    seen["files"] = {
        path: path.read_bytes()
        for folder in folders
        for path in folder.rglob("*")
        if path.is_file()
    }
    context: Any = SparkContext._active_spark_context
    pid = context._gateway.proc.pid
    seen["pid"] = pid
    seen["environ"] = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
def test_spark_keeps_its_files_private_encrypted_and_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 13, item 6: Spark wrote plaintext shuffle blocks to /tmp/blockmgr-*
    # (world-readable folders, left after a crash) and the JVM inherited the
    # workspace passphrase.
    records, _ = simulated(tmp_path / "sim", persons=100, seed=8)
    records.loc[records.index[::3], "family_name"] = CANARY.title()
    records.loc[records.index[::3], "full_name"] = "Mahdi " + CANARY.title()
    temp, work = tmp_path / "tmp", tmp_path / "work"
    temp.mkdir()
    work.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.chdir(work)
    monkeypatch.setenv("ABAN_PASSPHRASE", "passphrase-canary-4242")
    seen: dict[str, Any] = {"before": _block_folders(temp)}
    fetch = engine._fetch

    def inspect(linker: Any, predictions: Any, **options: Any) -> Any:
        frame = fetch(linker, predictions, **options)
        if linker._sql_dialect_str == "spark":  # not the first pass, on DuckDB
            _spark_state(seen, temp)
        return frame

    monkeypatch.setattr(engine, "_fetch", inspect)
    link_records(records, engine="spark")
    assert len(seen["folders"]) == 1, seen["folders"]
    assert seen["files"], "the test needs Spark to have written blocks"
    plain = [p.name for p, data in seen["files"].items() if CANARY.encode() in data]
    assert plain == [], "plaintext in Spark's local files"
    for folder in seen["folders"]:
        assert folder.parent.parent == temp, "Spark's blocks outside its own folder"
        assert folder.parent.name.startswith("aban-spark-")
    assert set(seen["modes"]) == {0o700}
    assert not any(v.startswith(b"ABAN_PASSPHRASE=") for v in seen["environ"])
    assert list(temp.iterdir()) == [], "the private folder outlived the run"
    assert list(work.iterdir()) == [], "Spark wrote in the working folder"
    assert not Path(f"/proc/{seen['pid']}").exists(), "the JVM outlived the run"
