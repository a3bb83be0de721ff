"""What it costs to hold pairwise precision at 0.97 as the lists grow (issue 16).

For each list set (``ABAN_BENCH_PRECISION``, default
``hard:10k:20191115,hard:10k:7,outside:2000:20191115,hard:100k:20191115,
outside:100000:20191115``; entries as in :mod:`bench.cluster_losses`, ``1M``
included), the records are linked once with the defaults, then the same scored
pairs are clustered again (:func:`aban.linkage.clusters.cluster_records`) under
each rule below, and every clustering is scored against the truth (pairwise
precision, recall, F1; B-cubed F1):

* **threshold t**: the clustering threshold as a match probability (the
  default is :data:`aban.linkage.engine.DEFAULT_THRESHOLD`, 0.05);
* **competition**: each pair's odds divided by one plus the odds of the other
  candidates of its records in the other record's source, as if a source listed
  a person once (the one-to-one constraint of bipartite matching, Sadinle 2017):
  ``odds'(A~B) = odds(A~B) / (1 + sum over C of odds(A~C) + sum over D of
  odds(B~D))``, C of B's source, D of A's source; a competitor C counts
  ``1 - p(B~C)`` of its odds, so that two records of one person in one source
  do not compete;
* **estimated**: the least threshold of :data:`LADDER` at which the model's
  own estimate of precision (the *path* estimate below, its shift fixed by the
  default clustering) reaches :data:`TARGET`;
* **ambiguous dropped**: a pair below 0 bits is not given to clustering when a
  record of the other record's source (not likely its duplicate: ``p < 0.5``)
  is a candidate of its record within :data:`MARGIN` bits of it.

A second table gives the model's own estimate of the default clustering's
precision beside the true one: the mean, over the pairs of records inside a
cluster, of the pair's match probability once calibrated (every weight moved by
the constant that makes the expected matches among the scored pairs equal to
the scored pairs that the clustering joins); *direct* takes the pair's own
weight (a pair not scored at the floor's), *path* the best of it and of the
weaker link of each path through a third record of the cluster.

The ground truth is read here only, for diagnosis. Not a section of
BENCHMARKS.md (a 1M entry links for about 10 minutes in 9 GiB and clusters
again for about a minute a rule): run it with ``python -c "import
bench.precision_rules as p; print(p.run())"``.
"""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

TITLE = "Linkage: precision at scale, and what holding it costs"
ENTRIES = (
    "hard:10k:20191115,hard:10k:7,outside:2000:20191115,"
    "hard:100k:20191115,outside:100000:20191115"
)
#: Thresholds (match probabilities) the clustering is run at.
THRESHOLDS = (0.05, 0.07, 0.1, 0.14)
#: Bits within which a competing candidate makes a pair ambiguous.
MARGIN = 1.0
#: The **estimated** rule's target: the path estimate's false share ran 1.66 to
#: 2.3 times the true one on the default entries (an estimate of 0.95 for 0.97).
TARGET = 0.95
#: The thresholds the **estimated** rule tries, in order.
LADDER = (0.05, 0.06, 0.07, 0.08, 0.1, 0.12, 0.14, 0.17, 0.2, 0.25, 0.3)


def _sigmoid(bits: Any) -> Any:
    return 1.0 / (1.0 + np.exp2(-np.asarray(bits, dtype=float)))


def _probability_of(i: Any, j: Any, w: Any, n: int) -> Any:
    """A function giving the match probability of pairs (0 where not scored)."""
    code = np.minimum(i, j) * n + np.maximum(i, j)
    order = np.argsort(code)
    codes, probability = code[order], _sigmoid(w)[order]

    def lookup(a: Any, b: Any) -> Any:
        c = np.minimum(a, b) * n + np.maximum(a, b)
        k = np.minimum(np.searchsorted(codes, c), len(codes) - 1)
        return np.where(codes[k] == c, probability[k], 0.0)

    return lookup


def _competitors(i: Any, j: Any, w: Any, sources: list[str]) -> Any:
    """Every (pair, side, competitor's weight, competitor's probability of being
    the other record's duplicate): the candidates of each pair's record in the
    other record's source, other than the other record."""
    n = len(sources)
    source = pd.factorize(pd.Series(sources))[0]
    rows = np.arange(len(i))
    edges = pd.DataFrame(
        {
            "record": np.concatenate([i, j]),
            "other": np.concatenate([j, i]),
            "w": np.concatenate([w, w]),
            "pair": np.concatenate([rows, rows]),
        }
    )
    edges["source"] = source[edges["other"].to_numpy()]
    both = edges.merge(edges, on=["record", "source"], suffixes=("", "_c"))
    both = both[both["other"] != both["other_c"]]
    duplicate = _probability_of(i, j, w, n)(
        both["other"].to_numpy(), both["other_c"].to_numpy()
    )
    return both.assign(duplicate=duplicate)


def competition_weights(i: Any, j: Any, w: Any, sources: list[str]) -> Any:
    """The weights of the **competition** rule (module docstring)."""
    both = _competitors(i, j, w, sources)
    odds = np.exp2(both["w_c"].to_numpy()) * (1.0 - both["duplicate"].to_numpy())
    rival = np.bincount(both["pair"].to_numpy(), weights=odds, minlength=len(i))
    return np.asarray(w, dtype=float) - np.log2(1.0 + rival)


def ambiguous_pairs(i: Any, j: Any, w: Any, sources: list[str]) -> Any:
    """Which pairs the **ambiguous dropped** rule drops (module docstring)."""
    both = _competitors(i, j, w, sources)
    both = both[both["duplicate"].to_numpy() < 0.5]
    best = np.full(len(i), -np.inf)
    np.maximum.at(best, both["pair"].to_numpy(), both["w_c"].to_numpy())
    w = np.asarray(w, dtype=float)
    return (best >= w - MARGIN) & (w < 0.0)


def _pairs_count(labels: Any) -> int:
    sizes = np.unique(labels, return_counts=True)[1]
    return int((sizes * (sizes - 1) // 2).sum())


def _scores(label: Any, person: Any) -> dict[str, float]:
    both = _pairs_count(label * (int(person.max()) + 1) + person)
    found, true = _pairs_count(label), _pairs_count(person)
    p, r = both / max(found, 1), both / max(true, 1)
    frame = pd.DataFrame({"c": label, "t": person})
    cell = frame.groupby(["c", "t"])["c"].transform("size").to_numpy()
    size_c = frame.groupby("c")["c"].transform("size").to_numpy()
    size_t = frame.groupby("t")["t"].transform("size").to_numpy()
    bp, br = float((cell / size_c).mean()), float((cell / size_t).mean())
    return {
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "bcubed_f1": 2 * bp * br / (bp + br) if bp + br else 0.0,
    }


def estimated_precision(
    label: Any, i: Any, j: Any, w: Any, shift: float
) -> tuple[float, float]:
    """The model's estimate of the clustering's pairwise precision, direct and
    through paths (module docstring), with weights moved by ``shift`` bits."""
    from aban.linkage.rules import MISSING_WEIGHT

    inside = label[i] == label[j]
    weight: dict[int, dict[int, float]] = defaultdict(dict)
    ends = zip(i[inside].tolist(), j[inside].tolist(), w[inside].tolist(), strict=True)
    for a, b, x in ends:
        weight[a][b] = weight[b][a] = x
    members: dict[int, list[int]] = defaultdict(list)
    for r, c in enumerate(label.tolist()):
        members[c].append(r)
    direct, path = [], []
    for rs in members.values():
        for x, a in enumerate(rs):
            for b in rs[x + 1 :]:
                own = weight[a].get(b, MISSING_WEIGHT)
                best = own
                for m in rs:
                    if m not in (a, b):
                        through = min(
                            weight[a].get(m, MISSING_WEIGHT),
                            weight[b].get(m, MISSING_WEIGHT),
                        )
                        best = max(best, through)
                direct.append(own)
                path.append(best)
    if not direct:
        return 1.0, 1.0
    return (
        float(_sigmoid(np.asarray(direct) + shift).mean()),
        float(_sigmoid(np.asarray(path) + shift).mean()),
    )


def calibration_shift(label: Any, i: Any, j: Any, w: Any) -> float:
    """The bits that make the expected matches among the scored pairs equal the
    scored pairs the clustering joins."""
    from scipy.optimize import brentq

    joined = float((label[i] == label[j]).sum())
    return float(brentq(lambda c: _sigmoid(w + c).sum() - joined, -20.0, 20.0))


def study(folder: Path) -> dict[str, Any]:
    """Link the lists in ``folder`` once, cluster again under each rule."""
    from aban.linkage import link_records
    from aban.linkage.clusters import cluster_records
    from aban.linkage.engine import cluster_rules
    from bench.linkage_speed import _records

    records, truth = _records(folder)
    result = link_records(records)
    keys = sorted(records["key"].tolist())
    index = {k: n for n, k in enumerate(keys)}
    sources = [k.split("\x1f")[0] for k in keys]
    person = np.asarray(pd.factorize(pd.Series([truth[k] for k in keys]))[0])
    i = result.pairs["key_l"].map(index).to_numpy(dtype=np.int64)
    j = result.pairs["key_r"].map(index).to_numpy(dtype=np.int64)
    w = result.pairs["match_weight"].to_numpy(dtype=float)

    def clustered(weights: Any, threshold: float, keep: Any = None) -> Any:
        if keep is None:
            keep = np.ones(len(i), dtype=bool)
        pairs = zip(
            i[keep].tolist(), j[keep].tolist(), weights[keep].tolist(), strict=True
        )
        return np.asarray(cluster_records(sources, pairs, cluster_rules(threshold)))

    rows: dict[str, dict[str, float]] = {}
    default = np.asarray(pd.factorize(pd.Series([result.clusters[k] for k in keys]))[0])
    for t in THRESHOLDS:
        label = default if t == THRESHOLDS[0] else clustered(w, t)
        rows[f"threshold {t:g}"] = _scores(label, person)
    first = THRESHOLDS[0]
    rows[f"competition, {first:g}"] = _scores(
        clustered(competition_weights(i, j, w, sources), first), person
    )
    dropped = ambiguous_pairs(i, j, w, sources)
    for t in (first, 0.1):
        label = clustered(w, t, ~dropped)
        rows[f"ambiguous dropped, {t:g}"] = _scores(label, person)
    shift = calibration_shift(default, i, j, w)
    direct, path = estimated_precision(default, i, j, w, shift)
    for t in LADDER:
        label = default if t == first else clustered(w, t)
        if estimated_precision(label, i, j, w, shift)[1] >= TARGET:
            break
    rows[f"estimated ({t:g})"] = _scores(label, person)
    return {
        "records": len(keys),
        "rows": rows,
        "shift": shift,
        "direct": direct,
        "path": path,
    }


def run() -> str:
    from bench.cluster_losses import _folder

    entries = os.environ.get("ABAN_BENCH_PRECISION", ENTRIES).split(",")
    results = []
    with tempfile.TemporaryDirectory(prefix="aban-precision-") as work:
        for entry in entries:
            results.append((entry, study(_folder(entry, Path(work)))))
    lines = [f"## {TITLE}", ""]
    lines += ["| lists | records | rule | precision | recall | F1 | B-cubed F1 |"]
    lines += ["|---|---:|---|---:|---:|---:|---:|"]
    for entry, got in results:
        for rule, s in got["rows"].items():
            lines.append(
                f"| {entry} | {got['records']:,} | {rule} | {s['precision']:.4f} | "
                f"{s['recall']:.4f} | {s['f1']:.4f} | {s['bcubed_f1']:.4f} |"
            )
    lines += ["", "The model's estimate of the default clustering's precision:", ""]
    lines += ["| lists | true | shift (bits) | estimate, direct | estimate, path |"]
    lines += ["|---|---:|---:|---:|---:|"]
    for entry, got in results:
        true = got["rows"][f"threshold {THRESHOLDS[0]:g}"]["precision"]
        lines.append(
            f"| {entry} | {true:.4f} | {got['shift']:.2f} | {got['direct']:.4f} | "
            f"{got['path']:.4f} |"
        )
    return "\n".join(lines) + "\n"
