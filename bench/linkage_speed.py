"""Record linkage on simulated cross-script lists: aban against a plain Splink setup.

For each size, ``aban simulate`` writes four sources (Persian script with Solar
Hijri dates, English, a noisy Latin list, a mixed and partial family source);
then each configuration runs in its own process (so that peak memory is its own)
and its clusters are scored against the truth: pairwise precision, recall and
F1, and B-cubed F1.

* **aban**: :func:`aban.linkage.link_records` with its defaults.
* **plain Splink**: what a user might write without this project: lower-cased
  full name compared by Jaro-Winkler (0.9, 0.7), exact age, city and date of
  death as written; blocking on the first three letters of the full name and on
  city with age; u from random pairs, the prior from exact name and city
  (recall 0.7), EM blocked on the full name and on city with age; connected
  components at 0.9. No script awareness. It is skipped where its blocking
  would make more than :data:`PLAIN_LIMIT` comparisons.

Both are timed from the records in memory (the sources' cells in a pandas frame)
to every record's cluster, Splink's and DuckDB's import included on both sides:
for aban its reading of the cells (scripts, dates, name keys), training, both
scoring passes and clustering; for plain Splink its lower-casing, training,
prediction and clustering.

Each size runs on two kinds of simulated lists (``ABAN_BENCH_LINKAGE_NOISE``,
default ``none,hard``): ``aban simulate``'s defaults, and the same lists with the
noise kinds of issue 16 on (``--noise hard``: letter-level transliteration noise,
"Family, Given" names, one-word names, report dates, ages off by 4 years or
more). Then the lists written apart from aban's simulator
(:mod:`bench.outside_lists`) for ``ABAN_BENCH_OUTSIDE_PERSONS`` persons (default
``2000,100000``; empty to skip), first seed only. ``ABAN_BENCH_LINKAGE_SIZES``
empty runs the outside lists alone. Beside precision, recall and F1,
recall is given per noise kind: over the true pairs with a record that the kind
touched (as the truth names it), the share in one cluster; ``none`` is the pairs
that no kind touched, ``wrong_*`` the pairs with a contradicting city, age, date
or sex.

Sizes come from ``ABAN_BENCH_LINKAGE_SIZES`` (default ``10k,100k,1M``), seeds
from ``ABAN_BENCH_LINKAGE_SEEDS`` (default ``20191115,7``; the 1M simulation
runs with the first seed only). ``ABAN_BENCH_SURNAME_EXPONENT`` replaces the
simulator's Zipf exponent of family names (``FAMILY_EXPONENT``, 0.63), for a
study of denser namesakes (0.8 puts Mohammadi at 3.5% of persons). At 10k each
configuration runs three times (fresh processes) and the run with the median
wall time is reported. Each row also gives the CPU time of the linking process
and the load average (1 minute) before and after it: the machine is shared, and
aban and plain Splink are compared within the same run.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

TITLE = "Record linkage: accuracy, time and memory (aban vs plain Splink)"

#: Persons simulated for about 10k, 100k and 1M records (the latent-class world
#: lists about 1.96 records per simulated person).
SIZES = {"10k": 5_100, "100k": 51_000, "1M": 510_000}
#: The plain configuration is not run beyond this many blocked comparisons.
PLAIN_LIMIT = 300_000_000
#: Runs per configuration (the median is reported): small sizes take seconds, and
#: one run's time on a shared machine says little.
REPEATS = {"10k": 3}
#: Seeds of the simulated lists (the 1M size runs with the first only).
SEEDS = "20191115,7"


def _truth(folder: Path) -> Any:
    import pandas as pd

    truth = pd.read_csv(
        folder / "truth" / "records.csv", dtype=str, keep_default_na=False
    )
    truth.insert(0, "key", truth["source"] + "\x1f" + truth["record_id"])
    return truth


def _records(folder: Path) -> tuple[Any, dict[str, str]]:
    import pandas as pd

    frames = [
        pd.read_csv(p, dtype=str, keep_default_na=False)
        for p in sorted((folder / "sources").glob("*.csv"))
    ]
    records = pd.concat(frames, ignore_index=True).fillna("")
    records.insert(0, "key", records["source"] + "\x1f" + records["record_id"])
    truth = _truth(folder)
    return records, dict(zip(truth["key"], truth["person_id"], strict=True))


def record_kinds(folder: Path) -> dict[str, frozenset[str]]:
    """Record key -> the noise kinds the truth names for it, and ``wrong_<field>``
    for a contradicting value."""
    truth = _truth(folder)
    noise = truth["noise"] if "noise" in truth else [""] * len(truth)
    return {
        key: frozenset(k for k in kinds.split(";") if k)
        | ({f"wrong_{wrong}"} if wrong else set())
        for key, kinds, wrong in zip(
            truth["key"], noise, truth["contradiction"], strict=True
        )
    }


def recall_by_kind(
    clusters: dict[str, str],
    truth: dict[str, str],
    kinds: dict[str, frozenset[str]],
) -> dict[str, list[int]]:
    """Kind -> [true pairs found in one cluster, true pairs] over the true pairs
    with a record the kind touched; ``none`` for pairs no kind touched."""
    from collections import defaultdict
    from itertools import combinations

    people: dict[str, list[str]] = defaultdict(list)
    for key, person in truth.items():
        people[person].append(key)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for keys in people.values():
        for a, b in combinations(keys, 2):
            found = int(clusters[a] == clusters[b])
            for kind in kinds[a] | kinds[b] or {"none"}:
                counts[kind][0] += found
                counts[kind][1] += 1
    return dict(sorted(counts.items()))


def _plain_frame(records: Any) -> Any:
    import pandas as pd

    frame = pd.DataFrame(
        {
            "unique_id": records["key"],
            "full_name": records["full_name"].str.lower(),
            "age": records["age"],
            "city": records["city"].str.lower(),
            "date_of_death": records["date_of_death"],
        }
    )
    return frame.replace("", None)


def _plain_settings() -> Any:
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("full_name", [0.9, 0.7]),
            cl.ExactMatch("age"),
            cl.ExactMatch("city"),
            cl.ExactMatch("date_of_death"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("substr(full_name, 1, 3)"),
            block_on("city", "age"),
        ],
    )


def plain_comparisons(records: Any) -> int:
    """How many comparisons the plain configuration's blocking makes."""
    from splink import DuckDBAPI
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    db = DuckDBAPI()
    with warnings.catch_warnings():
        # A 10% sample of records is plenty for an order of magnitude.
        warnings.simplefilter("ignore", UserWarning)
        counted = count_comparisons_from_blocking_rules(
            db.register(_plain_frame(records)),
            blocking_rules=_plain_settings().blocking_rules_to_generate_predictions,
            link_type="dedupe_only",
            record_sample_proportion=0.1,
        )
    return int(counted[-1]["cumulative_comparison_count"])


def plain_clusters(records: Any) -> dict[str, str]:
    """Cluster with the plain Splink configuration (see the module docstring)."""
    from splink import DuckDBAPI, Linker, block_on

    db = DuckDBAPI()
    linker = Linker(db.register(_plain_frame(records)), _plain_settings(), log_level=40)
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("full_name", "city")], recall=0.7
    )
    training.estimate_u_using_random_sampling(max_pairs=3e6, seed=1)
    training.estimate_parameters_using_expectation_maximisation(block_on("full_name"))
    training.estimate_parameters_using_expectation_maximisation(block_on("city", "age"))
    predictions = linker.inference.predict(threshold_match_probability=0.9)
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=0.9
    ).as_pandas_dataframe()
    found = dict(zip(clustered["unique_id"], clustered["cluster_id"], strict=True))
    return {k: str(found.get(k, k)) for k in records["key"]}


class _Stages:
    """Wall and CPU seconds of each stage of a link, from its progress messages
    (the stage a message opens lasts until the next; numbers are dropped)."""

    def __init__(self) -> None:
        self.times: list[list[Any]] = []
        self._start = (time.perf_counter(), self._cpu(), "start")

    @staticmethod
    def _cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    def say(self, message: str) -> None:
        wall, cpu, name = self._start
        now, used = time.perf_counter(), self._cpu()
        self.times.append([name, round(now - wall, 2), round(used - cpu, 2)])
        words = [w for w in message.split() if not w.replace(",", "").isdigit()]
        self._start = (now, used, " ".join(words))


def measure(config: str, folder: Path) -> dict[str, Any]:
    """Run one configuration on one simulation (in this process); score it."""
    from aban.linkage import link_records
    from aban.linkage.metrics import bcubed_scores, pairwise_scores

    records, truth = _records(folder)
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    stages = _Stages()
    if config == "aban":
        clusters = link_records(records, progress=stages.say).clusters
        stages.say("done")
    else:
        clusters = plain_clusters(records)
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime
    pairwise = pairwise_scores(clusters, truth)
    peak = usage.ru_maxrss / 2**20
    by_kind = recall_by_kind(clusters, truth, record_kinds(folder))
    return {
        "by_kind": by_kind,
        "records": len(records),
        "precision": pairwise.precision,
        "recall": pairwise.recall,
        "f1": pairwise.f1,
        "bcubed_f1": bcubed_scores(clusters, truth).f1,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "load": f"{load:.1f}-{os.getloadavg()[0]:.1f}",
        "peak_gib": peak,
        "stages": stages.times[1:],
    }


def _child(config: str, folder: Path, repeats: int) -> dict[str, Any]:
    """Run ``config`` ``repeats`` times, each in a fresh process; the run with the
    median wall time (accuracy is the same in every run: linkage is deterministic)."""
    command = [sys.executable, "-m", "bench.linkage_speed", config, str(folder)]
    root = Path(__file__).resolve().parent.parent
    runs = []
    for _ in range(repeats):
        done = subprocess.run(command, capture_output=True, text=True, cwd=root)
        if done.returncode != 0:
            raise RuntimeError(f"{config} failed:\n{done.stderr[-2000:]}")
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    runs.sort(key=lambda m: m["seconds"])
    result: dict[str, Any] = runs[len(runs) // 2]
    result["runs"] = repeats
    return result


#: The kinds of lists each size runs on (``ABAN_BENCH_LINKAGE_NOISE``).
NOISE = "none,hard"
#: Persons of the outside lists (``ABAN_BENCH_OUTSIDE_PERSONS``).
OUTSIDE = "2000,100000"
_LISTS = {
    "none": "aban simulate",
    "hard": "aban simulate --noise hard",
    "outside": "outside lists",
}


def _row(run: dict[str, Any]) -> str:
    m = run["metrics"]
    head = f"| {run['size']} | {run['seed']} | {_LISTS[run['lists']]} | {run['config']}"
    if m is None:
        return f"{head} | | not run: {run['why']} | | | | | | | | |"
    return (
        f"{head} | {m['records']:,} | {m['precision']:.4f} | "
        f"{m['recall']:.4f} | {m['f1']:.4f} | {m['bcubed_f1']:.4f} | "
        f"{m['seconds']:,.1f} | {m['cpu_seconds']:,.1f} | {m['load']} | "
        f"{m['peak_gib']:.2f} | {m['runs']} |"
    )


def _kind_table(runs: list[dict[str, Any]]) -> list[str]:
    """Recall per noise kind: one row per run, one column per kind."""
    done = [r for r in runs if r["metrics"] is not None]
    kinds = sorted({k for r in done for k in r["metrics"]["by_kind"]})
    kinds = [k for k in kinds if k != "none"] + ["none"]
    lines = [
        "| size | seed | lists | configuration | " + " | ".join(kinds) + " |",
        "|---|---:|---|---|" + "---:|" * len(kinds),
    ]
    for r in done:
        cells = []
        for kind in kinds:
            found, pairs = r["metrics"]["by_kind"].get(kind, [0, 0])
            cells.append(f"{found / pairs:.3f} ({pairs:,})" if pairs else "")
        lines.append(
            f"| {r['size']} | {r['seed']} | {_LISTS[r['lists']]} | {r['config']} | "
            + " | ".join(cells)
            + " |"
        )
    return lines


def _stage_table(runs: list[dict[str, Any]]) -> list[str]:
    """Wall and CPU seconds per stage of each aban run (from its progress)."""
    done = [r for r in runs if r["metrics"] and r["metrics"].get("stages")]
    names: list[str] = []
    for r in done:
        names += [n for n, _w, _c in r["metrics"]["stages"] if n not in names]
    lines = [
        "| size | seed | lists | " + " | ".join(names) + " |",
        "|---|---:|---|" + "---:|" * len(names),
    ]
    for r in done:
        times = {n: f"{w:,.1f} / {c:,.1f}" for n, w, c in r["metrics"]["stages"]}
        cells = [times.get(n, "") for n in names]
        lines.append(
            f"| {r['size']} | {r['seed']} | {_LISTS[r['lists']]} | "
            + " | ".join(cells)
            + " |"
        )
    return lines


def _runs(
    size: str, seed: int, lists: str, folder: Path, repeats: int
) -> list[dict[str, Any]]:
    """aban, then plain Splink unless its blocking makes too many comparisons."""
    base = {"size": size, "seed": seed, "lists": lists}
    print(f"bench: linkage {size} {lists} seed {seed}: aban", file=sys.stderr)
    runs = [{**base, "config": "aban", "metrics": _child("aban", folder, repeats)}]
    comparisons = plain_comparisons(_records(folder)[0])
    if comparisons > PLAIN_LIMIT:
        why = f"its blocking makes about {comparisons:,.0f} comparisons"
        return [*runs, {**base, "config": "plain Splink", "metrics": None, "why": why}]
    print(f"bench: linkage {size} {lists} seed {seed}: plain Splink", file=sys.stderr)
    plain = _child("plain", folder, repeats)
    return [*runs, {**base, "config": "plain Splink", "metrics": plain}]


def _simulated(
    size: str, persons: int, seed: int, noise: str, work: Path
) -> list[dict[str, Any]]:
    from aban.sim.noise import PRESETS
    from aban.simulate import SimulationSettings, simulate, write_scenario

    folder = work / f"{size}-{noise}-{seed}"
    settings = SimulationSettings(
        persons=persons, sources=4, seed=seed, noise=PRESETS[noise]
    )
    write_scenario(simulate(settings), folder, kinds=True)
    return _runs(size, seed, noise, folder, REPEATS.get(size, 1))


def _outside(persons: int, seed: int, work: Path) -> list[dict[str, Any]]:
    from bench.outside_lists import write_lists

    folder = work / f"outside-{persons}-{seed}"
    write_lists(folder, persons, seed)
    size = f"{persons:,} persons"
    return _runs(size, seed, "outside", folder, 3 if persons <= 20_000 else 1)


def _settings() -> tuple[list[str], list[int], list[str], list[int]]:
    sizes = os.environ.get("ABAN_BENCH_LINKAGE_SIZES", ",".join(SIZES))
    wanted = [size for size in sizes.split(",") if size]
    seeds = [
        int(s) for s in os.environ.get("ABAN_BENCH_LINKAGE_SEEDS", SEEDS).split(",")
    ]
    noises = os.environ.get("ABAN_BENCH_LINKAGE_NOISE", NOISE).split(",")
    outside = os.environ.get("ABAN_BENCH_OUTSIDE_PERSONS", OUTSIDE)
    return wanted, seeds, noises, [int(n) for n in outside.split(",") if n]


def run() -> str:
    """The section's Markdown: accuracy and time per run, then recall per kind."""
    wanted, seeds, noises, outside = _settings()
    from aban.sim import names

    calibrated = names.FAMILY_EXPONENT
    exponent = os.environ.get("ABAN_BENCH_SURNAME_EXPONENT")
    if exponent:  # read by aban.sim.people when it draws each population
        names.FAMILY_EXPONENT = float(exponent)
    lines = [
        "Simulated lists (`aban simulate --sources 4`): Persian script, English, "
        "noisy Latin and mixed partial family records; each size also with "
        "`--noise hard` (issue 16: letter-level transliteration noise in 30% of "
        "Latin-script records, 'Family, Given' 10%, one-word names 5%, report "
        "dates 15%, ages off by 4 years or more 10%). Then lists written apart "
        "from aban's simulator (`bench/outside_lists.py`: its own name bank, "
        "romanisation habits and noise). Pairwise precision, recall "
        "and F1 over record pairs; B-cubed F1; wall and CPU time of linkage only "
        "(records already in memory); load average (1 minute) before and after; "
        "peak resident memory of the process. Each configuration runs in a fresh "
        "process; at 10k three times, reported by its median wall time (runs). The "
        "machine is shared (2 cores): times are indicative, compare aban and plain "
        "Splink within one size. Family names come from about 13,000 surnames, "
        f"Zipf exponent {names.FAMILY_EXPONENT:g} (the simulator's {calibrated:g} "
        "is calibrated on Iran's civil registry: Mohammadi 1.1% of persons). "
        "Before 2026-11-22 the simulator drew them from 1,043 names "
        "(Mohammadi 2.6%; at 51,000 persons 59% shared their full name with "
        "someone): on those denser namesakes this linker scored pairwise F1 0.946 "
        "and 0.949 at 100k (seeds 20191115 and 7) and 0.882 at 1M.",
        "",
        "| size | seed | lists | configuration | records | precision | recall | F1 "
        "| B-cubed F1 | seconds | CPU seconds | load | peak GiB | runs |",
        "|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="aban-bench-") as work:
        for size in wanted:
            for seed in seeds[:1] if size == "1M" else seeds:
                for noise in noises:
                    runs += _simulated(size, SIZES[size], seed, noise, Path(work))
        for persons in outside:
            runs += _outside(persons, seeds[0], Path(work))
    lines += [_row(r) for r in runs]
    lines += [
        "",
        "Recall per noise kind: over the true pairs with a record the kind touched "
        "(the truth names the kinds of each record), the share found in one "
        "cluster, and the number of such pairs. `variant`, `typo`, `partial` and "
        "`unnamed` are the simulator's own noise; `habit` (outside lists) a Latin "
        "spelling in another romanisation than the English one; `wrong_*` a "
        "contradicting value; `none` the pairs no kind touched.",
        "",
        *_kind_table(runs),
        "",
        "Time per stage of aban's link (wall / CPU seconds, from its progress "
        "messages; each stage lasts until the next message).",
        "",
        *_stage_table(runs),
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1], Path(sys.argv[2]))))
