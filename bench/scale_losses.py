"""Why linkage loses true pairs as the lists grow: one link per size, taken apart.

For each simulated list set (``ABAN_BENCH_SCALE``, default
``hard:10k:20191115,hard:100k:20191115``; entries ``noise:size:seed`` as in
:mod:`bench.cluster_losses`, ``1M`` included), the records are linked once with
the defaults and the result is taken apart four ways:

* **the prior**: the model's probability that two random records match, beside
  the share of pairs that truly match;
* **blocking**: each true pair is scored (kept at or above the floor), a
  candidate scored below the floor, or no candidate at all (no blocking rule on
  the records' features nor neighbour pair brings it up; the learned spellings'
  rule, on keys the run learns, is left out, so a few of these were candidates);
* **clustering**: the true pairs lost, by the rule that kept their two clusters
  apart (:func:`bench.cluster_losses._reason`);
* **namesakes**: a true pair is *ambiguous* when a record of another person
  agrees with one of its records on every field of seven (given and family name
  skeletons, city, age, date of death, sex, father's name skeleton) on which
  the pair agrees, with their values present on both sides: those fields alone
  cannot tell the partner from that namesake. Recall is given among the
  ambiguous pairs and the others.

Not a section of BENCHMARKS.md (one 1M entry takes about 15 minutes and 9 GiB):
run it with ``python -c "import bench.scale_losses as s; print(s.run())"``.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

TITLE = "Linkage at scale: where true pairs are lost"

#: The fields of the namesake measure.
FIELDS = ("given_sk", "family_sk", "city", "age", "dod", "sex", "father_sk")


def _codes(features: Any) -> Any:
    """Each record's value of each of :data:`FIELDS` as an integer, -1 missing."""
    import numpy as np
    import pandas as pd

    columns = []
    for name in FIELDS:
        column = features[name]
        text = column.astype(str).where(column.notna(), None)
        columns.append(pd.factorize(text)[0])
    return np.column_stack(columns).astype(np.int64)


def ambiguous(features: Any, person: Any, a: Any, b: Any) -> Any:
    """For true pairs ``(a[k], b[k])`` (row numbers), whether a record of another
    person holds the pair's values on every field of :data:`FIELDS` on which the
    two records agree (see the module docstring)."""
    import numpy as np
    import pandas as pd

    codes = _codes(features)
    agree = (codes[a] == codes[b]) & (codes[a] >= 0)
    mask = (agree * (1 << np.arange(len(FIELDS)))).sum(axis=1)
    found = np.ones(len(a), dtype=bool)
    for value in np.unique(mask):
        fields = [i for i in range(len(FIELDS)) if value >> i & 1]
        rows = np.nonzero(mask == value)[0]
        if not fields:
            continue
        present = (codes[:, fields] >= 0).all(axis=1)
        frame = pd.DataFrame(codes[present][:, fields])
        key = np.full(len(codes), -1, dtype=np.int64)
        key[present] = frame.groupby(list(frame.columns)).ngroup().to_numpy()
        count = np.bincount(key[present])
        own = pd.Series(1, index=[key[present], person[present]]).groupby(level=[0, 1])
        own_count = own.size()
        k = key[a[rows]]
        mine = own_count.reindex(list(zip(k, person[a[rows]], strict=True)))
        found[rows] = count[k] - mine.to_numpy() > 0
    return found


def _candidates(features: Any, model: dict[str, Any], a: Any, b: Any) -> Any:
    """Whether a blocking rule of ``model`` on the features, or a neighbour pair,
    brings up each pair ``(a[k], b[k])`` (row numbers)."""
    import duckdb
    import numpy as np
    import pandas as pd

    from aban.linkage import neighbours

    n = len(features)
    table = features.drop(columns=["family_near"]).assign(rid=np.arange(n))
    pairs = pd.DataFrame({"a": a, "b": b, "k": np.arange(len(a))})
    conditions = [
        rule["blocking_rule"]
        for rule in model["blocking_rules_to_generate_predictions"]
        if not rule.get("arrays_to_explode") and "_lk" not in rule["blocking_rule"]
    ]
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    con.register("records", table)
    con.register("pairs", pairs)
    sql = (
        "select p.k from pairs p join records l on l.rid = p.a "
        "join records r on r.rid = p.b where "
        + " or ".join(f"({c})" for c in conditions)
    )
    hit = np.zeros(len(a), dtype=bool)
    hit[con.execute(sql).fetchnumpy()["k"]] = True
    near = neighbours.neighbour_pairs(features)
    hit |= np.isin(a * n + b, near[:, 0] * n + near[:, 1])
    return hit


def _true_pairs(person: Any) -> tuple[Any, Any]:
    import numpy as np
    import pandas as pd

    frame = pd.DataFrame({"i": np.arange(len(person)), "p": person})
    both = frame.merge(frame, on="p")
    both = both[both["i_x"] < both["i_y"]]
    return both["i_x"].to_numpy(), both["i_y"].to_numpy()


def _losses(
    keys: list[str], clusters: dict[str, str], truth: dict[str, str], pairs: Any
) -> Counter[str]:
    from aban.linkage.engine import DEFAULT_THRESHOLD, cluster_rules
    from bench.cluster_losses import _people, _reason

    rules = cluster_rules(DEFAULT_THRESHOLD)
    weight: dict[Any, float] = {}
    for x, y, w in zip(
        pairs["key_l"], pairs["key_r"], pairs["match_weight"], strict=True
    ):
        weight[(x, y)] = weight[(y, x)] = float(w)
    members: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        members[clusters[key]].append(key)
    lost: Counter[str] = Counter()
    for person, mine in _people(truth).items():
        found = sorted({clusters[k] for k in mine})
        for c1, c2 in itertools.combinations(found, 2):
            count = sum(truth[k] == person for k in members[c1]) * sum(
                truth[k] == person for k in members[c2]
            )
            lost[_reason(members[c1], members[c2], weight, rules)] += count
    return lost


def study(folder: Path) -> dict[str, Any]:
    """Link the lists in ``folder`` and take the result apart (module docstring)."""
    import numpy as np

    from aban.linkage import link_records
    from aban.linkage.features import record_features
    from bench.linkage_speed import _records

    records, truth = _records(folder)
    result = link_records(records)
    features = record_features(records).sort_values("key", ignore_index=True)
    keys = features["key"].tolist()
    n = len(keys)
    index = {k: i for i, k in enumerate(keys)}
    person = np.asarray([truth[k] for k in keys])
    cluster = np.asarray([result.clusters[k] for k in keys])
    a, b = _true_pairs(person)
    pairs = result.pairs
    lo = pairs["key_l"].map(index).to_numpy(dtype=np.int64)
    hi = pairs["key_r"].map(index).to_numpy(dtype=np.int64)
    codes = np.minimum(lo, hi) * n + np.maximum(lo, hi)
    scored = np.isin(a * n + b, codes)
    candidate = scored | _candidates(features, result.model, a, b)
    found = cluster[a] == cluster[b]
    unclear = ambiguous(features, person, a, b)
    total = n * (n - 1) / 2
    return {
        "records": n,
        "true_pairs": len(a),
        "prior": result.model.get("probability_two_random_records_match"),
        "true_prior": len(a) / total,
        "precision": len(a[found]) / max(1, _found_pairs(cluster)),
        "recall": float(found.mean()),
        "scored": int(scored.sum()),
        "below_floor": int((candidate & ~scored).sum()),
        "no_candidate": int((~candidate).sum()),
        "lost": _losses(keys, result.clusters, truth, pairs),
        "ambiguous": float(unclear.mean()),
        "recall_ambiguous": float(found[unclear].mean()),
        "recall_clear": float(found[~unclear].mean()),
    }


def _found_pairs(cluster: Any) -> int:
    import numpy as np

    sizes = np.unique(cluster, return_counts=True)[1]
    return int((sizes * (sizes - 1) // 2).sum())


def _row(entry: str, got: dict[str, Any]) -> str:
    t = got["true_pairs"]
    share = [got["scored"], got["below_floor"], got["no_candidate"]]
    return (
        f"| {entry} | {got['records']:,} | {got['precision']:.4f} | "
        f"{got['recall']:.4f} | {got['prior']:.3g} | {got['true_prior']:.3g} | "
        f"{t:,} | " + " | ".join(f"{100 * s / t:.1f}%" for s in share) + " | "
        f"{100 * got['ambiguous']:.1f}% | {got['recall_ambiguous']:.4f} | "
        f"{got['recall_clear']:.4f} |"
    )


def _loss_row(entry: str, got: dict[str, Any]) -> str:
    from bench.cluster_losses import REASONS

    t = got["true_pairs"]
    cells = [f"{got['lost'][r]:,} ({100 * got['lost'][r] / t:.2f}%)" for r in REASONS]
    return f"| {entry} | " + " | ".join(cells) + " |"


def run() -> str:
    from bench.cluster_losses import REASONS, _folder

    entries = os.environ.get(
        "ABAN_BENCH_SCALE", "hard:10k:20191115,hard:100k:20191115"
    ).split(",")
    head = (
        "| lists | records | precision | recall | prior | true share | "
        "true pairs | scored | below floor | no candidate | ambiguous | "
        "recall ambiguous | recall others |"
    )
    results = []
    with tempfile.TemporaryDirectory(prefix="aban-scale-") as work:
        for entry in entries:
            results.append((entry, study(_folder(entry, Path(work)))))
    lines = [f"## {TITLE}", "", head, "|" + "---|" * 13]
    lines += [_row(entry, got) for entry, got in results]
    lines += ["", "True pairs lost, by the rule that kept their clusters apart:", ""]
    lines += ["| lists | " + " | ".join(REASONS) + " |", "|" + "---|" * 7]
    lines += [_loss_row(entry, got) for entry, got in results]
    return "\n".join(lines) + "\n"
