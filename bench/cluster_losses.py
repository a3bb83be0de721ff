"""Where clustering loses true pairs: a breakdown by the rule that kept them apart.

For each simulated list set (``ABAN_BENCH_LOSSES``, default ``hard:10k:20191115``;
entries ``noise:size:seed`` for ``aban simulate``, or ``outside:persons:seed`` for
:mod:`bench.outside_lists`), the records are linked with the defaults, and every
true person found in more than one cluster is examined fragment by fragment: for
two clusters that each hold some of its records, the first of these that holds
says why they were not merged, and the person's pairs across them count there.

* **no scored pair**: no pair across the two clusters was scored (blocking);
* **all scored below threshold**: every scored pair across is below the threshold;
* **a pair below the least weight**: a pair across vetoes the merge;
* **same source**: the merge would put two records of one source together;
* **average lowered by unscored pairs**: the scored pairs' average reaches the
  threshold, the average with unscored pairs at the fixed weight does not;
* **average of scored pairs**: the scored pairs' average is below the threshold.

Not a section of BENCHMARKS.md: run it with ``python -c "import bench.cluster_losses
as c; print(c.run())"``.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

TITLE = "Clustering: where true pairs are lost"

REASONS = [
    "no scored pair",
    "all scored below threshold",
    "a pair below the least weight",
    "same source",
    "average lowered by unscored pairs",
    "average of scored pairs",
]


def _folder(entry: str, work: Path) -> Path:
    from bench.linkage_speed import SIZES

    kind, size, seed = entry.split(":")
    folder = work / entry.replace(":", "-")
    if kind == "outside":
        from bench.outside_lists import write_lists

        write_lists(folder, int(size), int(seed))
        return folder
    from aban.sim.noise import PRESETS
    from aban.simulate import SimulationSettings, simulate, write_scenario

    settings = SimulationSettings(
        persons=SIZES[size], sources=4, seed=int(seed), noise=PRESETS[kind]
    )
    write_scenario(simulate(settings), folder, kinds=True)
    return folder


def _reason(a: list[str], b: list[str], weight: dict[Any, float], rules: Any) -> str:
    scored = [weight[(x, y)] for x in a for y in b if (x, y) in weight]
    if not scored:
        return REASONS[0]
    if max(scored) < rules.threshold:
        return REASONS[1]
    if min(scored) < rules.min_weight:
        return REASONS[2]
    source = {k: k.split("\x1f")[0] for k in a + b}
    for x, y in itertools.product(a, b):
        if (
            source[x] == source[y]
            and weight.get((x, y), -99) < rules.same_source_weight
        ):
            return REASONS[3]
    if sum(scored) / len(scored) >= rules.threshold:
        return REASONS[4]
    return REASONS[5]


def losses(folder: Path) -> dict[str, Any]:
    """Link the lists in ``folder`` and count the true pairs lost, by reason."""
    from aban.linkage import link_records
    from aban.linkage.engine import DEFAULT_THRESHOLD, cluster_rules
    from aban.linkage.metrics import pairwise_scores
    from bench.linkage_speed import _records

    records, truth = _records(folder)
    result = link_records(records)
    rules = cluster_rules(DEFAULT_THRESHOLD)
    pairs = result.pairs
    weight: dict[Any, float] = {}
    for x, y, w in zip(
        pairs["key_l"], pairs["key_r"], pairs["match_weight"], strict=True
    ):
        weight[(x, y)] = weight[(y, x)] = float(w)
    members: dict[str, list[str]] = defaultdict(list)
    for key, person in result.clusters.items():
        members[person].append(key)
    lost: Counter[str] = Counter()
    for person, keys in _people(truth).items():
        found = sorted({result.clusters[k] for k in keys})
        for c1, c2 in itertools.combinations(found, 2):
            mine = sum(truth[k] == person for k in members[c1]) * sum(
                truth[k] == person for k in members[c2]
            )
            lost[_reason(members[c1], members[c2], weight, rules)] += mine
    scores = pairwise_scores(result.clusters, truth)
    true_pairs = sum(len(k) * (len(k) - 1) // 2 for k in _people(truth).values())
    return {"scores": scores, "lost": lost, "true_pairs": true_pairs}


def _people(truth: dict[str, str]) -> dict[str, list[str]]:
    people: dict[str, list[str]] = defaultdict(list)
    for key, person in truth.items():
        people[person].append(key)
    return people


def run() -> str:
    entries = os.environ.get("ABAN_BENCH_LOSSES", "hard:10k:20191115").split(",")
    head = "| lists | precision | recall | F1 | true pairs | " + " | ".join(REASONS)
    lines = [f"## {TITLE}", "", head + " |", "|" + "---|" * (5 + len(REASONS))]
    with tempfile.TemporaryDirectory(prefix="aban-losses-") as work:
        for entry in entries:
            got = losses(_folder(entry, Path(work)))
            s, lost = got["scores"], got["lost"]
            cells = [f"{lost[r]:,}" for r in REASONS]
            lines.append(
                f"| {entry} | {s.precision:.4f} | {s.recall:.4f} | {s.f1:.4f} | "
                f"{got['true_pairs']:,} | " + " | ".join(cells) + " |"
            )
    return "\n".join(lines) + "\n"
