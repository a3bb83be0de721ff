"""Linkage on a real Spark standalone cluster (issue 16, "beyond one machine").

The test starts a master and two workers on loopback with pyspark's own daemon
script, authentication and encryption on (see ``standalone.py``), links the same
simulated records with DuckDB and on the cluster, and checks that the persons are
the same and that nothing readable is left on disk. Small on purpose (a CI run on
two cores): the 10k-record comparison is the ``spark_cluster`` bench section.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyspark")

from aban.linkage import engine, link_records  # noqa: E402
from aban.linkage.spark_settings import SECRET_ENV, spark_settings  # noqa: E402

from .simdata import simulated  # noqa: E402
from .standalone import LOOPBACK_DRIVER, standalone_cluster  # noqa: E402

#: A family name no simulated record has; found in a file, it is plaintext.
CANARY = "zqxcanaryfamily"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("java") is None, reason="needs Java for Spark"),
    pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs /proc"),
]


def _files(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _plain(files: dict[Path, bytes], text: str) -> list[str]:
    return sorted(str(p) for p, data in files.items() if text.encode() in data)


def test_a_standalone_cluster_gives_duckdb_persons_and_leaves_nothing_readable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records, _ = simulated(tmp_path / "sim", persons=100, seed=8)
    records.loc[records.index[::3], "family_name"] = CANARY.title()
    records.loc[records.index[::3], "full_name"] = "Mahdi " + CANARY.title()
    on_duckdb = link_records(records)

    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    with standalone_cluster(tmp_path / "cluster") as cluster:
        section = {
            "spark_master": cluster.master,
            "spark": LOOPBACK_DRIVER,
        }
        settings = spark_settings(section, {SECRET_ENV: cluster.secret})
        seen: dict[str, Any] = {}
        fetch = engine._fetch

        def inspect(linker: Any, predictions: Any, **options: Any) -> Any:
            from pyspark import SparkContext

            if linker._sql_dialect_str != "spark":  # the first pass, on DuckDB
                return fetch(linker, predictions, **options)
            seen["blocks"] = _files(cluster.local_dirs)
            seen["executors"] = sorted(cluster.work_dir.glob("app-*/*"))
            context: Any = SparkContext._active_spark_context
            pid = context._gateway.proc.pid
            seen["cmdline"] = Path(f"/proc/{pid}/cmdline").read_bytes()
            return fetch(linker, predictions, **options)

        monkeypatch.setattr(engine, "_fetch", inspect)
        on_cluster = link_records(records, engine="spark", spark=settings)
        # A worker removes an application's local folders once it has ended.
        deadline = time.monotonic() + 60
        while _files(cluster.local_dirs) and time.monotonic() < deadline:
            time.sleep(1)
        seen["blocks_after"] = _files(cluster.local_dirs)

    assert on_cluster.clusters == on_duckdb.clusters
    assert len(on_cluster.pairs) == len(on_duckdb.pairs)
    assert on_cluster.model["sql_dialect"] == "spark"
    assert len(seen["executors"]) == 2, "the run did not use both workers"
    assert seen["blocks"], "the test needs the executors to have written blocks"
    assert _plain(seen["blocks"], CANARY) == [], "plaintext in the workers' blocks"
    assert cluster.secret.encode() not in seen["cmdline"]
    assert b"spark.network.crypto.enabled=true" in seen["cmdline"]
    left = _files(cluster.root)
    assert _plain(left, CANARY) == [], "records left on the cluster's disks"
    assert _plain(left, cluster.secret) == [], "the secret written to disk"
    assert seen["blocks_after"] == {}, "blocks outlived the run"
    assert list(temp.iterdir()) == [], "the driver's private folder outlived the run"
