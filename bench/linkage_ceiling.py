"""How far today's comparisons could go: the link scored again with true m and u.

For each simulated list set (``ABAN_BENCH_CEILING``, default
``hard:10k:20191115,outside:2000:20191115``; entries as in
:mod:`bench.cluster_losses`), the records are linked as aban links them, keeping
every candidate pair that blocking met (not only those above the floor), and
besides, scored with the same model but kept apart, every true pair that no
blocking rule met and a sample of random pairs. Then each level's m (and, in
the last variants, u and the prior) is replaced by the value the ground truth
gives on the same comparison levels, every pair's weight moved by the change,
and the pairs above the floor clustered again with the same rules:

* **trained**: aban's own weights (the link as it is; the floor's pairs only);
* **true m (blocked)**: each level's m is its share of the true pairs among the
  candidate pairs (where the comparison is not null);
* **true m (all true pairs)**: its share among every true pair, blocked or not;
* **true m, clipped**: the first, clipped as training clips m
  (:func:`aban.linkage.model.clip_probabilities`);
* **true prior**: aban's m and u, the prior the share of true pairs;
* **true m and u**, **true m, u and prior**: the first with each level's u its
  share of the random pairs that are not matches (levels weighted by frequency
  keep theirs: the value's frequency stands in for u), and the true prior.

The pairs are those of a plain link but for one difference: a pair that the
second pass scores again (:func:`aban.linkage.learning.changed_pairs`) below
the floor is dropped there, where a plain link keeps its first-pass score
(:func:`aban.linkage.engine._second_pass` drops only the first-pass pairs that
came back above the floor): 2 pairs at 2,000 outside persons.

A second table ranks the candidate pairs, without clustering, by aban's
weight, by the weight with true m, with true m, u and prior, and by the share of
true pairs among the candidates of the pair's pattern (every comparison's level,
and the names' weights to two bits), cross-fitted: each half of the candidates
is scored by the shares of the other half, with two pairs at the probability of
true m, u and prior besides. Not Fellegi-Sunter, this takes the fields together,
as a weighting of today's levels could if it learnt which patterns are matches
(the count of candidates in patterns of fewer than 5, where it leans on true m,
u and prior, is given). Each row gives the best pairwise F1 over every cut of
the ranking, the true pairs that are not candidates counting as missed.

A table lists the levels whose trained m is furthest from the true m (blocked),
with the bits the difference moves each pair at the level and how many true and
false candidate pairs (above the floor) stand there. With
``ABAN_BENCH_CEILING_EACH=1`` each comparison's true m is also put in alone.
Four more tables count the true pairs that the trained link split, and the false
candidate pairs it joined, by their given and family name levels, and those
whose given and family names agree (:data:`AGREE`) by their age, date of death
and place levels.

The ground truth is read here only, for diagnosis: nothing aban ships reads it.
Not a section of BENCHMARKS.md: run it with ``python -c "import
bench.linkage_ceiling as c; print(c.run())"``.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from aban.linkage.rules import weight as probability_weight

TITLE = "Linkage: the ceiling of today's comparisons"
#: Random pairs scored for the true u.
RANDOM_PAIRS = 200_000
#: Levels listed in the table of differences.
TOP_LEVELS = 14
#: The fields that tell namesakes apart, in the tables of pairs whose names agree.
FIELDS = ("age", "dod", "place")
_MISSING = "missing"


def _true_codes(rid_of: dict[str, int], truth: dict[str, str], n: int) -> Any:
    people: dict[str, list[int]] = defaultdict(list)
    for key, person in truth.items():
        people[person].append(rid_of[key])
    codes = [
        min(a, b) * n + max(a, b)
        for rids in people.values()
        for i, a in enumerate(rids)
        for b in rids[i + 1 :]
    ]
    return np.unique(np.asarray(codes, dtype=np.int64))


def _random_codes(n: int, seed: int) -> Any:
    rng = np.random.default_rng(seed)
    a = rng.integers(0, n, RANDOM_PAIRS * 2)
    b = rng.integers(0, n, RANDOM_PAIRS * 2)
    keep = a != b
    codes = np.minimum(a, b)[keep] * n + np.maximum(a, b)[keep]
    return np.unique(codes)[:RANDOM_PAIRS]


def _codes(frame: pd.DataFrame, n: int) -> Any:
    left = frame["rid_l"].to_numpy(dtype=np.int64)
    right = frame["rid_r"].to_numpy(dtype=np.int64)
    return np.minimum(left, right) * n + np.maximum(left, right)


def _link(records: pd.DataFrame, extra: Any) -> tuple[Any, Any]:
    """Link as aban does, with every candidate pair kept (floor 0) and the pairs
    of ``extra`` (codes) scored besides through the closure step: the result and
    the codes of the pairs scored only for that. The closure chooses its pairs
    from the pairs above the floor, as in a plain link."""
    from aban.linkage import engine, learning, link_records, neighbours

    floor = engine.PAIR_FLOOR
    floor_weight = probability_weight(floor)
    closure, changed = neighbours.closure_pairs, learning.changed_pairs
    added: list[Any] = []

    def closure_pairs(scored: pd.DataFrame, threshold: float, n: int) -> Any:
        above = scored[scored["match_weight"].to_numpy(dtype=float) >= floor_weight]
        pairs = closure(above, threshold, n)
        seen = _codes(scored, n)
        # A chosen pair scored below the floor in the first pass is scored again
        # (with the learned level) as in a plain link: a duplicate, see ceiling.
        chosen = pairs[:, 0].astype(np.int64) * n + pairs[:, 1]
        add = extra[~np.isin(extra, seen)]
        add = add[~np.isin(add, chosen)]
        added.append(add)
        codes = np.unique(np.concatenate([chosen, add]))
        return np.stack([codes // n, codes % n], axis=1)

    def changed_pairs(scored: pd.DataFrame, table: Any, model: Any) -> Any:
        # A plain link rescores only the first pass's pairs above the floor.
        above = scored["match_probability"].to_numpy(dtype=float) >= floor
        return changed(scored, table, model) & above

    engine.PAIR_FLOOR = 0.0
    neighbours.closure_pairs = closure_pairs
    learning.changed_pairs = changed_pairs
    try:
        result = link_records(records)
    finally:
        engine.PAIR_FLOOR = floor
        neighbours.closure_pairs = closure
        learning.changed_pairs = changed
    return result, np.concatenate(added) if added else np.zeros(0, np.int64)


def _levels(model: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    """Comparison -> label -> the level's m, u and whether frequencies weigh it."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for comparison in model["comparisons"]:
        levels = {}
        for lv in comparison["comparison_levels"]:
            if lv.get("is_null_level"):
                continue
            levels[str(lv["label_for_charts"])] = {
                "m": float(lv["m_probability"]),
                "u": float(lv["u_probability"]),
                "tf": bool(lv.get("tf_adjustment_column")),
            }
        out[comparison["output_column_name"]] = levels
    return out


def _shares(frame: pd.DataFrame, name: str) -> dict[str, tuple[float, int]]:
    """Label -> (share, count) of the pairs in ``frame`` at each non-null level."""
    counts = frame[f"{name}_level"].astype(str).value_counts()
    counts = counts[counts.index != _MISSING]
    total = float(counts.sum())
    return {str(k): (int(v) / total, int(v)) for k, v in counts.items() if total}


def _true_values(
    pairs: pd.DataFrame, names: list[str], levels: Any
) -> dict[str, dict[str, dict[str, float]]]:
    """Comparison -> variant -> label -> the value the truth gives."""
    cand, true = pairs["candidate"], pairs["true"]
    groups = {
        "m_blocked": pairs[cand & true],
        "m_all": pairs[true & (cand | pairs["unblocked"])],
        "u": pairs[pairs["random"] & ~true],
    }
    out: dict[str, dict[str, dict[str, float]]] = {}
    for name in names:
        out[name] = {}
        for variant, frame in groups.items():
            shares = _shares(frame, name)
            total = sum(c for _, c in shares.values()) or 1
            out[name][variant] = {
                label: shares[label][0] if label in shares else 0.5 / total
                for label in levels[name]
            }
    return out


def _moved(
    pairs: pd.DataFrame,
    levels: Any,
    truth: Any,
    names: list[str],
    variant: str,
    prior_shift: float,
) -> Any:
    """Every pair's weight with the true values of ``variant`` put in."""
    weight = pairs["match_weight"].to_numpy(dtype=float) + prior_shift
    for name in names:
        delta: dict[str, float] = {}
        for label, lv in levels[name].items():
            m = truth[name]["m_blocked" if variant != "m_all" else "m_all"][label]
            if variant == "clipped":
                m = min(1 - 1e-4, max(1e-3, m))
            shift = math.log2(m / lv["m"])
            if variant == "mu" and (not lv["tf"] or label.startswith("one name")):
                shift += math.log2(lv["u"] / truth[name]["u"][label])
            delta[label] = shift
        column = pairs[f"{name}_level"].astype(str)
        weight = weight + column.map(delta).fillna(0.0).to_numpy(dtype=float)
    return weight


def _scores(
    pairs: pd.DataFrame, weight: Any, keys: list[str], truth: Any, at: float = 0.0
) -> Any:
    return _clustered(pairs, weight, keys, truth, at)[0]


def _clustered(
    pairs: pd.DataFrame, weight: Any, keys: list[str], truth: Any, at: float = 0.0
) -> tuple[Any, list[int]]:
    """Cluster the candidate pairs above the floor by ``weight`` with aban's
    rules, at aban's threshold unless ``at`` (a match probability) is given."""
    from aban.linkage.clusters import cluster_records
    from aban.linkage.engine import DEFAULT_THRESHOLD, PAIR_FLOOR, cluster_rules
    from aban.linkage.metrics import pairwise_scores

    keep = pairs["candidate"].to_numpy() & (weight >= probability_weight(PAIR_FLOOR))
    scored = zip(
        pairs["rid_l"].to_numpy()[keep].tolist(),
        pairs["rid_r"].to_numpy()[keep].tolist(),
        weight[keep].tolist(),
        strict=True,
    )
    sources = [k.split("\x1f")[0] for k in keys]
    label = cluster_records(sources, scored, cluster_rules(at or DEFAULT_THRESHOLD))
    found = {k: str(label[i]) for i, k in enumerate(keys)}
    return pairwise_scores(found, truth), label


def ceiling(folder: Path, seed: int = 1) -> dict[str, Any]:
    """Link the lists in ``folder`` and score them with true m, u and prior."""
    from bench.linkage_speed import _records

    records, truth = _records(folder)
    keys = sorted(records["key"].astype(str))
    n = len(keys)
    rid_of = {k: i for i, k in enumerate(keys)}
    true_codes = _true_codes(rid_of, truth, n)
    random_codes = _random_codes(n, seed)
    result, apart = _link(records, np.union1d(true_codes, random_codes))
    pairs = result.pairs
    pairs["rid_l"] = pairs["key_l"].map(rid_of).to_numpy(dtype=np.int64)
    pairs["rid_r"] = pairs["key_r"].map(rid_of).to_numpy(dtype=np.int64)
    # A pair twice (below the floor in the first pass, then chosen by the
    # closure): the closure's score, the higher (only the learned level differs).
    pairs["code"] = _codes(pairs, n)
    pairs = pairs.sort_values(["code", "match_weight"], ignore_index=True)
    pairs = pairs.drop_duplicates("code", keep="last", ignore_index=True)
    codes = pairs["code"].to_numpy()
    person = np.asarray([truth[k] for k in keys], dtype=object)
    pairs["true"] = person[pairs["rid_l"]] == person[pairs["rid_r"]]
    pairs["random"] = np.isin(codes, random_codes)
    # Not candidates: the true pairs blocking missed and random pairs, scored
    # only here.
    candidate = ~np.isin(codes, apart)
    pairs["candidate"] = candidate
    pairs["unblocked"] = ~candidate & pairs["true"].to_numpy()
    levels = _levels(result.model)
    names = list(levels)
    values = _true_values(pairs, names, levels)
    n_true = len(true_codes)
    prior = float(result.model["probability_two_random_records_match"])
    true_prior = n_true / (n * (n - 1) / 2)
    trained, label = _clustered(pairs, pairs["match_weight"].to_numpy(), keys, truth)
    rows = {"trained": trained}
    to_true = probability_weight(true_prior) - probability_weight(prior)
    base = pairs["match_weight"].to_numpy(dtype=float)
    rows["true prior"] = _scores(pairs, base + to_true, keys, truth)
    for variant, title, shift in (
        ("m", "true m (blocked)", 0.0),
        ("m_all", "true m (all true pairs)", 0.0),
        ("clipped", "true m, clipped", 0.0),
        ("mu", "true m and u", 0.0),
        ("mu", "true m, u and prior", to_true),
    ):
        weight = _moved(pairs, levels, values, names, variant, shift)
        rows[title] = _scores(pairs, weight, keys, truth)
    true_mu = _moved(pairs, levels, values, names, "mu", to_true)
    share, rare = _pattern_shares(pairs, names, 1.0 / (1.0 + np.exp2(-true_mu)))
    ranked = {
        "trained": pairs["match_weight"].to_numpy(dtype=float),
        "true m": _moved(pairs, levels, values, names, "m", 0.0),
        "true m, u and prior": true_mu,
        "truth by pattern": share,
    }
    best = {k: _best_pairs(pairs, v, n_true) for k, v in ranked.items()}
    if os.environ.get("ABAN_BENCH_CEILING_EACH"):
        for name in names:
            weight = _moved(pairs, levels, values, [name], "m", 0.0)
            rows[f"true m of {name} alone"] = _scores(pairs, weight, keys, truth)
    return {
        "rows": rows,
        "best": best,
        "table": _differences(pairs, levels, values, names),
        "lost": _by_levels(pairs, np.asarray(label), lost=True),
        "merged": _by_levels(pairs, np.asarray(label), lost=False),
        "lost namesakes": _by_levels(
            pairs, np.asarray(label), True, FIELDS, namesakes=True
        ),
        "merged namesakes": _by_levels(
            pairs, np.asarray(label), False, FIELDS, namesakes=True
        ),
        "counts": {
            "records": n,
            "true pairs": n_true,
            "candidates": int(candidate.sum()),
            "true candidates": int((candidate & pairs["true"].to_numpy()).sum()),
            "true pairs not candidates": int(pairs["unblocked"].sum()),
            "candidates in rare patterns": rare,
            "prior": prior,
            "true prior": true_prior,
        },
    }


def _best_pairs(pairs: pd.DataFrame, score: Any, n_true: int) -> tuple[float, ...]:
    """The best pairwise F1 (with its precision and recall) of the candidate
    pairs taken as matches from the highest ``score`` down, over every cut
    between two scores: how well the score ranks pairs, without clustering. The
    true pairs that are not candidates count as missed."""
    cand = pairs["candidate"].to_numpy()
    value, true = score[cand], pairs["true"].to_numpy()[cand]
    order = np.argsort(-value, kind="stable")
    value, true = value[order], true[order]
    hits = np.cumsum(true)
    ends = np.flatnonzero(np.r_[value[1:] != value[:-1], True])
    precision = hits[ends] / (ends + 1)
    recall = hits[ends] / n_true
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    i = int(np.argmax(f1))
    return float(precision[i]), float(recall[i]), float(f1[i])


def _pattern_shares(
    pairs: pd.DataFrame, names: list[str], prior: Any
) -> tuple[Any, int]:
    """Each pair's share of true pairs among the candidates of its pattern in
    the other half of the candidates (cross-fitted, so that no pair is scored
    with its own truth), taking besides two pairs at the probability ``prior``
    gives it (so that a pattern the other half lacks keeps that); and how many
    candidates are in a pattern of fewer than 5.

    A pattern is every comparison's level, and for the names the weight to the
    nearest two bits (so the frequency of an agreeing name counts).
    """
    columns = [pairs[f"{name}_level"].astype(str) for name in names]
    columns += [
        (pairs[f"{name}_weight"].astype(float) / 2).round().astype(int).astype(str)
        for name in ("given", "family", "father")
    ]
    frame = pd.concat(columns, axis=1, ignore_index=True)
    pattern = frame.groupby(list(frame.columns), sort=False).ngroup().to_numpy()
    cand = pairs["candidate"].to_numpy()
    true = pairs["true"].to_numpy()
    half = np.random.default_rng(0).integers(0, 2, len(pairs))
    share = np.asarray(prior, dtype=float).copy()
    width = int(pattern.max()) + 1
    for side in (0, 1):
        other = cand & (half != side)
        size = np.bincount(pattern[other], minlength=width)
        hits = np.bincount(pattern[other & true], minlength=width)
        at = half == side
        p = pattern[at]
        share[at] = (hits[p] + 2.0 * share[at]) / (size[p] + 2.0)
    size = np.bincount(pattern[cand], minlength=width)
    return share, int((size[pattern][cand] < 5).sum())


def _differences(
    pairs: pd.DataFrame, levels: Any, values: Any, names: list[str]
) -> list[tuple[Any, ...]]:
    from aban.linkage.engine import PAIR_FLOOR

    cand = pairs[pairs["candidate"]]
    above = cand[cand["match_probability"].to_numpy(dtype=float) >= PAIR_FLOOR]
    rows = []
    for name in names:
        at_true = cand[cand["true"]][f"{name}_level"].astype(str).value_counts()
        at_false = above[~above["true"]][f"{name}_level"].astype(str).value_counts()
        for label, lv in levels[name].items():
            m_true = values[name]["m_blocked"][label]
            bits = math.log2(lv["m"] / m_true)
            t, f = int(at_true.get(label, 0)), int(at_false.get(label, 0))
            rows.append((name, label, lv["m"], m_true, bits, t, f, abs(bits) * (t + f)))
    rows.sort(key=lambda r: -r[-1])
    return rows[:TOP_LEVELS]


#: Name levels of agreement: a pair at one of these for both names is a pair of
#: namesakes or of one person, by its names alone.
AGREE = ("same spelling", "same sound", "same skeleton", "learned spelling")


def _by_levels(
    pairs: pd.DataFrame,
    label: Any,
    lost: bool,
    columns: tuple[str, ...] = ("given", "family"),
    namesakes: bool = False,
) -> list[tuple[Any, ...]]:
    """The true pairs the trained link split (``lost``), or the false candidate
    pairs it put in one person, counted by the levels of ``columns`` (only the
    pairs whose given and family names agree when ``namesakes``): (levels...,
    pairs, of which candidates above the floor, below it, not candidates, pairs
    of one source, median weight)."""
    from aban.linkage.engine import PAIR_FLOOR

    apart = label[pairs["rid_l"].to_numpy()] != label[pairs["rid_r"].to_numpy()]
    true = pairs["true"].to_numpy()
    if lost:
        keep = true & apart & (pairs["candidate"] | pairs["unblocked"]).to_numpy()
    else:
        keep = ~true & ~apart & pairs["candidate"].to_numpy()
    if namesakes:
        for name in ("given", "family"):
            keep &= pairs[f"{name}_level"].astype(str).isin(AGREE).to_numpy()
    frame = pairs[keep]
    above = frame["match_probability"].to_numpy(dtype=float) >= PAIR_FLOOR
    source_l = frame["key_l"].str.split("\x1f").str[0]
    source_r = frame["key_r"].str.split("\x1f").str[0]
    frame = frame.assign(
        above=frame["candidate"].to_numpy() & above,
        below=frame["candidate"].to_numpy() & ~above,
        same=(source_l == source_r).to_numpy(),
    )
    groups = frame.groupby([frame[f"{c}_level"].astype(str) for c in columns])
    rows = [
        (
            *levels,
            len(x),
            int(x["above"].sum()),
            int(x["below"].sum()),
            int((~x["candidate"]).sum()),
            int(x["same"].sum()),
            float(x["match_weight"].median()),
        )
        for levels, x in groups
    ]
    rows.sort(key=lambda r: -r[len(columns)])
    return [(len(frame),), *rows[:TOP_LEVELS]]


def _level_lines(
    title: str, rows: list[tuple[Any, ...]], columns: tuple[str, ...]
) -> list[str]:
    (total,), rows = rows[0], rows[1:]
    lines = [
        "",
        f"{title} ({total:,}), by {', '.join(columns)}:",
        "",
        "| " + " | ".join(columns) + " | pairs | candidates above the floor | "
        "below | not candidates | one source | median weight |",
        "|" + "---|" * (len(columns) + 6),
    ]
    for row in rows:
        *levels, n, above, below, apart, same, weight = row
        lines.append(
            "| " + " | ".join(levels) + f" | {n:,} | {above:,} | {below:,} | "
            f"{apart:,} | {same:,} | {weight:+.1f} |"
        )
    return lines


def run() -> str:
    from bench.cluster_losses import _folder

    default = "hard:10k:20191115,outside:2000:20191115"
    entries = os.environ.get("ABAN_BENCH_CEILING", default).split(",")
    lines = [f"## {TITLE}", ""]
    with tempfile.TemporaryDirectory(prefix="aban-ceiling-") as work:
        for entry in entries:
            got = ceiling(_folder(entry, Path(work)))
            c = got["counts"]
            lines += [
                f"### {entry}",
                "",
                f"{c['records']:,} records, {c['true pairs']:,} true pairs, "
                f"{c['candidates']:,} candidate pairs ({c['true candidates']:,} "
                f"true), {c['true pairs not candidates']:,} true pairs not "
                f"candidates, {c['candidates in rare patterns']:,} candidates in "
                f"patterns of fewer than 5; prior {c['prior']:.3g} (true "
                f"{c['true prior']:.3g})",
                "",
                "| weights | precision | recall | F1 |",
                "|---|---|---|---|",
            ]
            for title, s in got["rows"].items():
                lines.append(
                    f"| {title} | {s.precision:.4f} | {s.recall:.4f} | {s.f1:.4f} |"
                )
            lines += [
                "",
                "| candidate pairs ranked by | precision | recall | best F1 |",
                "|---|---|---|---|",
            ]
            for title, (p, r, f) in got["best"].items():
                lines.append(f"| {title} | {p:.4f} | {r:.4f} | {f:.4f} |")
            lines += [
                "",
                "| comparison | level | trained m | true m | bits | true pairs "
                "| false pairs above the floor |",
                "|---|---|---|---|---|---|---|",
            ]
            for name, label, m, m_true, bits, t, f, _ in got["table"]:
                lines.append(
                    f"| {name} | {label} | {m:.4g} | {m_true:.4g} | {bits:+.2f} "
                    f"| {t:,} | {f:,} |"
                )
            names = ("given", "family")
            lines += _level_lines("True pairs the link split", got["lost"], names)
            lines += _level_lines("False pairs it joined", got["merged"], names)
            lines += _level_lines(
                "True pairs it split whose names agree", got["lost namesakes"], FIELDS
            )
            lines += _level_lines(
                "False pairs it joined whose names agree",
                got["merged namesakes"],
                FIELDS,
            )
            lines.append("")
    return "\n".join(lines) + "\n"
