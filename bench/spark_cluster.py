"""Linkage on a Spark standalone cluster against DuckDB, on the same 10k records.

``aban simulate`` writes about 10,000 records (5,100 persons, four sources, seed
20191115, as the linkage section's 10k size); they are linked with DuckDB (the
default engine) and on a standalone cluster started for the run on loopback
(a master and two workers of one core and 1 GiB each, pyspark's own daemon
script; authentication, RPC and I/O encryption on: ``tests/linkage/standalone.py``).
The table compares the persons: records placed differently, and where the
engines' inputs to clustering differ, the scored pairs and their weights (a
person can only differ where a weight does). After the run it searches every
file the cluster and the driver left for a family name planted in a third of the
records, and for the cluster's secret. That planted name (one family name on a
third of the records) is why F1 is lower here than in the linkage section.

Where the persons can differ: the model is the same (either engine trains it on
DuckDB in the linking process and runs the first pass there, see
:mod:`aban.linkage.engine`; the table checks its m, u and prior), and the
clustering is the same on both (:mod:`aban.linkage.spark_clusters`). What
differs is the SQL that scores the pairs: Spark's Jaro-Winkler and
Damerau-Levenshtein are Splink's Java functions, DuckDB's its own, and the
arithmetic is each engine's, so a pair's weight can differ a little and a pair
near the threshold or the scoring floor may fall on the other side.

Before that change (bench commit 5591ae4), each engine trained its own model and
Splink's training on Spark ran several hundred stages, each planned by the
driver while the executors sat mostly idle: 939 records took 464 s (4.2 s on
DuckDB) and 10k records had not finished after 50 minutes under a load average
of 10 to 13. On 275 records at a load of 12, training was 310 s of a 440 s run
(u 87 s in 80 Spark jobs, the two EM sessions 215 s in 226 jobs and 658
stages). ``ABAN_BENCH_SPARK_PERSONS`` gives a smaller world. The two cores are
shared by the driver, two executors and the master: the cluster's wall time says
what the overhead is, not what a real cluster gives.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

TITLE = "Linkage on a Spark standalone cluster against DuckDB (issue 16)"
#: Persons simulated (about 10,000 records); ``ABAN_BENCH_SPARK_PERSONS`` replaces
#: it for a shorter run.
PERSONS = 5_100
SEED = 20191115
CANARY = "zqxcanaryfamily"


def _records(folder: Path) -> tuple[Any, dict[str, str]]:
    from aban.simulate import SimulationSettings, simulate, write_scenario
    from bench.linkage_speed import _records as read

    persons = int(os.environ.get("ABAN_BENCH_SPARK_PERSONS", PERSONS))
    scenario = simulate(SimulationSettings(persons=persons, sources=4, seed=SEED))
    write_scenario(scenario, folder)
    return read(folder)


def _timed(call: Any) -> tuple[Any, float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    result = call()
    return result, time.perf_counter() - start, time.process_time() - cpu


def _weights(result: Any) -> Any:
    return result.pairs.set_index(["key_l", "key_r"])["match_weight"]


#: A pair's weight counts as different above this many bits.
GAP = 0.01


def _why(duck: Any, spark: Any, common: Any) -> str:
    """The comparisons that differ in the pairs whose weights differ, with the
    levels each engine gave (DuckDB's, then Spark's), commonest first."""
    a = duck.pairs.set_index(["key_l", "key_r"]).loc[common]
    b = spark.pairs.set_index(["key_l", "key_r"]).loc[common]
    apart = (a["match_weight"] - b["match_weight"]).abs() > GAP
    a, b = a[apart], b[apart]
    names = [c[: -len("_weight")] for c in a.columns if c.endswith("_weight")]
    names = [n for n in names if n != "match"]
    found: dict[str, int] = {}
    for name in names:
        gap = (a[f"{name}_weight"] - b[f"{name}_weight"]).abs() > GAP
        for x, y in zip(a[f"{name}_level"][gap], b[f"{name}_level"][gap], strict=True):
            key = f"{name}: {x} / {y}"
            found[key] = found.get(key, 0) + 1
    top = sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))
    return "; ".join(f"{k} ({n})" for k, n in top) or "none"


def _differences(duck: Any, spark: Any, threshold_weight: float) -> list[str]:
    """Where the engines' persons and their inputs differ."""
    moved = sum(
        duck.clusters[k] != spark.clusters[k] for k in duck.clusters
    )  # same ids are ranks of the same smallest keys, so ids compare directly
    a, b = _weights(duck), _weights(spark)
    common = a.index.intersection(b.index)
    gap = (a[common] - b[common]).abs()
    sides = ((a[common] >= threshold_weight) != (b[common] >= threshold_weight)).sum()
    one = sorted(set(a.index).symmetric_difference(b.index))
    alone = ", ".join(
        f"{a.get(k, b.get(k)):.2f} bits on {'DuckDB' if k in a.index else 'Spark'}"
        for k in one[:5]
    )
    return [
        f"| records placed in a different person | {moved:,} |",
        f"| pairs scored: DuckDB, Spark, both | {len(a):,}, {len(b):,}, "
        f"{len(common):,} |",
        f"| the pairs scored by one engine only (weight) | {alone or 'none'} |",
        f"| largest difference of a pair's match weight (bits) | {gap.max():.2e} |",
        f"| pairs whose weights differ by more than {GAP} bits | "
        f"{int((gap > GAP).sum()):,} |",
        f"| in them, the comparisons that differ (DuckDB's level / Spark's) | "
        f"{_why(duck, spark, common)} |",
        f"| pairs on different sides of the threshold | {int(sides):,} |",
    ]


def _numbers(model: dict[str, Any]) -> list[float]:
    """The model's prior and every level's m and u, in order."""
    levels = [lv for c in model["comparisons"] for lv in c["comparison_levels"]]
    pairs = [(lv.get("m_probability"), lv.get("u_probability")) for lv in levels]
    values = [v for pair in pairs for v in pair if v is not None]
    return [float(model["probability_two_random_records_match"]), *values]


def _model_gap(duck: Any, spark: Any) -> str:
    """The largest relative difference between the two models' numbers."""
    x, y = _numbers(duck.model), _numbers(spark.model)
    if len(x) != len(y):
        return "different levels"
    gaps = [abs(p - q) / max(abs(p), abs(q), 1e-300) for p, q in zip(x, y, strict=True)]
    return f"{max(gaps):.1e}"


def _leftovers(roots: list[Path], secret: str) -> tuple[int, int, int]:
    files = [p for root in roots for p in root.rglob("*") if p.is_file()]
    data = [p.read_bytes() for p in files]
    canary = sum(CANARY.encode() in d for d in data)
    return len(files), canary, sum(secret.encode() in d for d in data)


def run() -> str:
    from aban.linkage import link_records
    from aban.linkage.engine import cluster_rules
    from aban.linkage.metrics import pairwise_scores
    from aban.linkage.spark_settings import SECRET_ENV, spark_settings
    from tests.linkage.standalone import LOOPBACK_DRIVER, standalone_cluster

    if shutil.which("java") is None:
        return "Not run: this machine has no Java for Spark.\n"
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        records, truth = _records(root / "sim")
        marked = records.index[::3]
        records.loc[marked, "family_name"] = CANARY.title()
        records.loc[marked, "full_name"] = "Mahdi " + CANARY.title()
        duck, duck_wall, duck_cpu = _timed(lambda: link_records(records))
        temp = root / "tmp"
        temp.mkdir()
        saved, tempfile.tempdir = tempfile.tempdir, str(temp)
        try:
            with standalone_cluster(root / "cluster") as cluster:
                section = {
                    "spark_master": cluster.master,
                    "spark": LOOPBACK_DRIVER,
                }
                environ = {SECRET_ENV: cluster.secret}
                settings = spark_settings(section, environ)
                spark, spark_wall, spark_cpu = _timed(
                    lambda: link_records(records, engine="spark", spark=settings)
                )
                time.sleep(10)  # the workers remove the application's folders
        finally:
            tempfile.tempdir = saved
        files, canary, secret = _leftovers([root / "cluster", temp], cluster.secret)
    weight = cluster_rules(duck.threshold).threshold
    rows = [
        "| | DuckDB | Spark standalone cluster |",
        "|---|---|---|",
        f"| records | {len(records):,} | {len(records):,} |",
        f"| persons | {len(set(duck.clusters.values())):,} | "
        f"{len(set(spark.clusters.values())):,} |",
        f"| pairwise F1 | {pairwise_scores(duck.clusters, truth).f1:.4f} | "
        f"{pairwise_scores(spark.clusters, truth).f1:.4f} |",
        f"| wall time (s) | {duck_wall:.1f} | {spark_wall:.1f} |",
        f"| CPU time of this process (s) | {duck_cpu:.1f} | {spark_cpu:.1f} |",
        "",
        "| comparison | |",
        "|---|---|",
        f"| same persons | {'yes' if duck.clusters == spark.clusters else 'no'} |",
        "| largest relative difference of an m, a u or the prior between the "
        f"engines' models (each trained on DuckDB) | {_model_gap(duck, spark)} |",
        *_differences(duck, spark, weight),
        f"| files left by the cluster and the driver (logs, executors' "
        f"stdout/stderr) | {files:,} |",
        f"| of them holding the planted family name | {canary} |",
        f"| of them holding the cluster's secret | {secret} |",
        "",
        f"Load average (1 minute) at the start and the end: {load_before:.2f}, "
        f"{os.getloadavg()[0]:.2f} (2 cores).",
    ]
    return "\n".join(rows) + "\n"
