"""Spellings learned from a first pass, and the level that uses them (issue 16).

After training, a first pass scores the records (all of them up to
:data:`LEARN_RECORDS`, else the records of a set of whole cities of about that
size) and keeps the pairs it links with confidence (match probability at least
:data:`CONFIDENT`), with the reviewers' match decisions. The skeletons of their
given, family and father's names teach which letters the lists write for one
another (:func:`aban.text.spellings.learn_spellings`). When something is
learned, each name gets a *learned key* (``given_lk``, ``family_lk``,
``father_lk``: the skeleton with the learned folds) and each name comparison a
level, ``learned spelling`` (the same learned key, weighted by its frequency),
between the skeleton levels and disagreement; a blocking rule meets the records
that share the given name's learned key and whose family names' learned keys are
the same or one letter apart (``Darvishvand``/``Darvihchvand``); and the records
are scored again.

With DuckDB, when the first pass scored every record, the second pass scores
again only the pairs it can change (:func:`changed_pairs`: the first pass's
pairs whose learned keys agree where their skeletons do not, and the pairs that
the learned blocking rule meets); every other pair keeps its first-pass score,
moved by the change in the u of its levels (:func:`adjust_weights`). Pairs that
the first pass scored below the floor stay there unless that rule meets them.

The new level is not trained by EM again (that would double the training
time): it is split off the levels below it. Its u is what random pairs at those
levels share a learned key, counted exactly from the keys' frequencies (the
similar-spelling level, which Jaro-Winkler decides, is not told apart), and the
levels below give that much of their u up. Its m is the share of the confident
pairs at each of those levels that share a learned key, times that level's m;
the levels below keep their m: the share rests on few pairs (18 of 18 given
names at the similar-skeleton level on 10,000 records with letter noise), and
taking it from them would leave a typo the weight of a veto (recall on records
with typos fell from 0.840 to 0.829 when it did). So each comparison's m sum to
a little more than 1: the learned level gets a weight of its own, the others
keep theirs.
"""

from __future__ import annotations

import copy
import zlib
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from aban.linkage.comparisons import below_skeleton
from aban.linkage.evidence import level_weights, nearest_label
from aban.text.keys import near_forms
from aban.text.spellings import SpellingTable, learn_spellings

#: Pairs the first pass links at this match probability or above teach spellings.
CONFIDENT = 0.99
#: The first pass scores every record up to this many, else a set of whole
#: cities of about this many records (a person's records mostly share a city).
LEARN_RECORDS = 50_000
#: The name comparisons that get a learned level.
NAMES = ("given", "family", "father")
LABEL = "learned spelling"
#: Below this level (by label) of each name comparison the learned level stands.
_ABOVE = "same skeleton"
_SIMILAR = "similar skeleton"
#: The one level above the learned level that two skeletons can reach.
_JARO = "similar spelling"
_P_MIN = 1e-4
#: The column of the family name's learned key and its forms one letter short.
NEAR = "family_lnear"
#: The blocking rule on the learned keys: the same given name's, and the family
#: name's the same or one letter apart (through :data:`NEAR`).
LEARNED_RULE: dict[str, Any] = {
    "blocking_rule": f"l.given_lk = r.given_lk and l.{NEAR} = r.{NEAR}",
    "arrays_to_explode": [NEAR],
}
#: The array column of tokens of the pairs that the second pass scores again.
RESCORE = "rescore"


def learning_sample(table: pd.DataFrame) -> pd.DataFrame:
    """The records of the first pass: all, or whole cities up to LEARN_RECORDS.

    Cities are taken in the order of a hash of their name (the same on every
    run), each if it still fits.
    """
    if len(table) <= LEARN_RECORDS:
        return table
    city = table["city"].fillna("").astype(str)
    sizes = city.value_counts()
    order = sorted(sizes.index, key=lambda c: (zlib.crc32(c.encode("utf-8")), c))
    chosen, total = set(), 0
    for name in order:
        if total + int(sizes[name]) <= LEARN_RECORDS:
            chosen.add(name)
            total += int(sizes[name])
    return table[city.isin(chosen).to_numpy()]


def sample_model(model: dict[str, Any], records: int, sample: int) -> dict[str, Any]:
    """The trained model for a sample of ``sample`` of the ``records`` records.

    The prior (the chance that two random records match) scales with the sample:
    a record has as many matches in it but fewer other records.
    """
    out = copy.deepcopy(model)
    out.pop("linker_uid", None)
    scale = (records - 1) / max(1, sample - 1)
    prior = float(out["probability_two_random_records_match"]) * scale
    out["probability_two_random_records_match"] = min(0.5, prior)
    return out


def confident_pairs(predictions: pd.DataFrame) -> pd.DataFrame:
    """The predictions at :data:`CONFIDENT` or above."""
    keep = predictions["match_probability"].to_numpy(dtype=float) >= CONFIDENT
    return predictions[keep]


def learn_from_pairs(
    table: pd.DataFrame, confident: pd.DataFrame, labels: pd.DataFrame | None
) -> SpellingTable:
    """Learn spellings from the names of confident pairs and reviewers' matches.

    Args:
        table: The records' features with ``rid`` (row number).
        confident: Pairs ``rid_l``, ``rid_r`` linked with confidence.
        labels: Reviewers' match pairs ``rid_l``, ``rid_r``, or None.
    """
    frames = [confident[["rid_l", "rid_r"]]]
    if labels is not None:
        frames.append(labels[["rid_l", "rid_r"]])
    pairs = pd.concat(frames, ignore_index=True).drop_duplicates()
    left = pairs["rid_l"].to_numpy(dtype="int64")
    right = pairs["rid_r"].to_numpy(dtype="int64")
    found: list[tuple[str, str]] = []
    for name in NAMES:
        sk = table[f"{name}_sk"].to_numpy(dtype=object)
        found += [
            (a, b)
            for a, b in zip(sk[left], sk[right], strict=True)
            if isinstance(a, str) and isinstance(b, str)
        ]
    return learn_spellings(found)


def add_learned_keys(table: pd.DataFrame, spellings: SpellingTable) -> pd.DataFrame:
    """``table`` with ``given_lk``, ``family_lk`` and ``father_lk`` (None if empty),
    and :data:`NEAR`: the family name's learned key and its forms one letter
    short (:func:`aban.text.keys.near_forms`; the key alone below four letters).

    The other columns are not copied (pandas copies on write).
    """
    keys = {}
    for name in NAMES:
        sk = table[f"{name}_sk"]
        lookup = {v: spellings.key(v) or None for v in sk.dropna().unique()}
        keys[f"{name}_lk"] = sk.map(lookup).astype(object)
    family = keys["family_lk"]
    near = {v: near_forms(v) or [v] for v in family.dropna().unique()}
    keys[NEAR] = family.map(near).astype(object)
    return table.assign(**keys)


def _random_share(sk: pd.Series, lk: pd.Series, name: str) -> dict[str, float]:
    """Of all ordered pairs of records with the name, the share that differ in
    skeleton but share a learned key, by the level they reached before."""
    both = pd.DataFrame({"sk": sk, "lk": lk}).dropna()
    n = len(both)
    out: dict[str, float] = {}
    if n < 2:
        return out
    counts = both.value_counts()
    classes: dict[str, list[tuple[str, int]]] = {}
    for (sk_value, lk_value), size in counts.items():
        classes.setdefault(str(lk_value), []).append((str(sk_value), int(size)))
    for items in classes.values():
        for i, (a, na) in enumerate(items):
            for b, nb in items[i + 1 :]:
                level = below_skeleton(a, b, affixes=name == "family")
                out[level] = out.get(level, 0.0) + 2.0 * na * nb
    return {k: v / (n * (n - 1)) for k, v in out.items()}


def _level_by_keys(a: object, b: object, name: str) -> str | None:
    """The level below the same skeleton that skeletons ``a`` and ``b`` reach
    (None when they agree or one is missing); Jaro-Winkler is not told apart."""
    if not isinstance(a, str) or not isinstance(b, str) or a == b:
        return None
    return below_skeleton(a, b, affixes=name == "family")


def _confident_share(
    confident: pd.DataFrame,
    labels: pd.DataFrame | None,
    table: pd.DataFrame,
    name: str,
    label: Callable[..., Any],
) -> dict[str, tuple[int, int]]:
    """Of the confident pairs at each level of ``name``, (pairs, sharing a key).

    A confident pair's level is read from its match weight; a reviewer's match
    that the first pass did not link with confidence is placed by its skeletons.
    """
    by_rid = table.set_index("rid")
    lk, sk = by_rid[f"{name}_lk"], by_rid[f"{name}_sk"]
    rounded = confident[f"mw_{name}"].astype(float).round(6)
    lookup = {w: label(w) for w in rounded.unique()}
    levels: list[str | None] = rounded.map(lookup).tolist()
    frames = [confident[["rid_l", "rid_r"]]]
    if labels is not None:
        seen = set(zip(confident["rid_l"], confident["rid_r"], strict=True))
        pairs_in = zip(labels["rid_l"], labels["rid_r"], strict=True)
        extra = labels[[p not in seen for p in pairs_in]]
        frames.append(extra[["rid_l", "rid_r"]])
        left_sk = sk.reindex(extra["rid_l"]).to_numpy(dtype=object)
        right_sk = sk.reindex(extra["rid_r"]).to_numpy(dtype=object)
        levels += [
            _level_by_keys(a, b, name) for a, b in zip(left_sk, right_sk, strict=True)
        ]
    pairs = pd.concat(frames, ignore_index=True)
    left = lk.reindex(pairs["rid_l"]).to_numpy(dtype=object)
    right = lk.reindex(pairs["rid_r"]).to_numpy(dtype=object)
    out: dict[str, tuple[int, int]] = {}
    for level, a, b in zip(levels, left, right, strict=True):
        if level is None:
            continue
        count, hits = out.get(level, (0, 0))
        out[level] = (count + 1, hits + int(isinstance(a, str) and a == b))
    return out


def _split_levels(
    levels: list[dict[str, Any]],
    confident: dict[str, tuple[int, int]],
    random: dict[str, float],
    name: str,
    frequencies: bool,
) -> list[dict[str, Any]]:
    labels = [lv.get("label_for_charts") for lv in levels]
    if _ABOVE not in labels:
        return levels
    at = labels.index(_ABOVE) + 1
    m_new = u_new = 0.0
    out = copy.deepcopy(levels)
    for lv in out[at:]:
        pairs, hits = confident.get(str(lv.get("label_for_charts")), (0, 0))
        share = hits / pairs if pairs else 0.0
        m, u = float(lv["m_probability"]), float(lv["u_probability"])
        taken = min(random.get(str(lv.get("label_for_charts")), 0.0), u - _P_MIN)
        m_new += share * m
        u_new += max(0.0, taken)
        lv["u_probability"] = max(_P_MIN, u - max(0.0, taken))
    if m_new <= 0:
        return levels
    column = f"{name}_lk"
    level: dict[str, Any] = {
        # Unquoted: the model may be in DuckDB's or in Spark's dialect.
        "sql_condition": f"{column}_l = {column}_r",
        "label_for_charts": LABEL,
        "m_probability": m_new,
        "u_probability": max(_P_MIN, u_new),
    }
    if frequencies:
        level |= {"tf_adjustment_column": column, "tf_adjustment_weight": 1.0}
    return [*out[:at], level, *out[at:]]


def extend_model(
    model: dict[str, Any],
    table: pd.DataFrame,
    confident: pd.DataFrame,
    labels: pd.DataFrame | None,
    frequencies: bool,
) -> dict[str, Any]:
    """The trained model with the learned level in each name comparison and a
    blocking rule on the learned keys (see the module docstring).

    Args:
        model: The trained Splink model (``save_model_to_json``).
        table: The records' features with ``rid`` and the learned keys.
        confident: The first pass's confident pairs (with ``mw_<name>``).
        labels: Reviewers' match pairs ``rid_l``, ``rid_r``, or None.
        frequencies: Whether agreement is weighted by frequency.
    """
    out = copy.deepcopy(model)
    out.pop("linker_uid", None)
    weights = level_weights(model)
    for comparison in out["comparisons"]:
        name = comparison["output_column_name"]
        if name not in NAMES:
            continue
        label = nearest_label(weights[name])
        share = _confident_share(confident, labels, table, name, label)
        random = _random_share(table[f"{name}_sk"], table[f"{name}_lk"], name)
        comparison["comparison_levels"] = _split_levels(
            comparison["comparison_levels"], share, random, name, frequencies
        )
    rules = out["blocking_rules_to_generate_predictions"]
    dialect = rules[0].get("sql_dialect", "duckdb") if rules else "duckdb"
    rules.insert(2, {**LEARNED_RULE, "sql_dialect": dialect})
    return out


def changed_pairs(
    scored: pd.DataFrame, table: pd.DataFrame, model: dict[str, Any]
) -> npt.NDArray[np.bool_]:
    """Which of the first pass's scored pairs some name's learned level takes.

    A name reaches the learned level when its learned keys agree, its skeletons
    do not, and no level above it held (of those, only similar spelling can hold
    between two skeletons).

    Args:
        scored: The first pass's pairs (``rid_l``, ``rid_r``, ``mw_<name>``).
        table: The records' features with ``rid`` (row number) and learned keys.
        model: The first pass's model (to read each pair's level).
    """
    left = scored["rid_l"].to_numpy(dtype="int64")
    right = scored["rid_r"].to_numpy(dtype="int64")
    weights = level_weights(model)
    changed = np.zeros(len(scored), dtype=bool)
    for name in NAMES:
        lk = table[f"{name}_lk"].to_numpy(dtype=object)
        sk = table[f"{name}_sk"].to_numpy(dtype=object)
        agree = (lk[left] == lk[right]) & (sk[left] != sk[right])
        agree &= pd.notna(lk[left])
        label = nearest_label(weights[name])
        rounded = scored.loc[agree, f"mw_{name}"].astype(float).round(6)
        similar = rounded.map({w: label(w) == _JARO for w in rounded.unique()})
        changed[np.flatnonzero(agree)[~similar.to_numpy(dtype=bool)]] = True
    return changed


def pair_tokens(pairs: npt.NDArray[np.int64], records: int) -> pd.Series:
    """Each record's tokens (a list, or None) such that two records share a token
    exactly when ``pairs`` (shape (k, 2), row numbers) holds them."""
    token = np.arange(len(pairs), dtype=np.int64)
    flat = pd.Series(np.concatenate([token, token]), index=pairs.T.ravel())
    lists = flat.groupby(level=0).agg(list)
    out = pd.Series([None] * records, dtype=object)
    out.iloc[lists.index.to_numpy()] = lists.to_numpy()
    return out


def rescoring_model(model: dict[str, Any]) -> dict[str, Any]:
    """The extended model with the blocking rules of the pairs to score again:
    the tokens of :data:`RESCORE`, and :data:`LEARNED_RULE`."""
    out = copy.deepcopy(model)
    out.pop("linker_uid", None)
    out["blocking_rules_to_generate_predictions"] = [
        {"blocking_rule": f"l.{RESCORE} = r.{RESCORE}", "arrays_to_explode": [RESCORE]},
        dict(LEARNED_RULE),
    ]
    return out


def adjust_weights(
    scored: pd.DataFrame, model: dict[str, Any], extended: dict[str, Any]
) -> pd.DataFrame:
    """The first pass's pairs with the weights of the extended model: each name's
    level keeps its m and loses the u the learned level took from it, so its
    weight rises by ``log2(u_before / u_after)``."""
    before, after = level_weights(model), level_weights(extended)
    out = scored.copy()
    total = out["match_weight"].to_numpy(dtype=float).copy()
    for name in NAMES:
        moved = {label: w for w, label in after[name]}
        shift = {label: moved.get(label, w) - w for w, label in before[name]}
        label = nearest_label(before[name])
        column = out[f"mw_{name}"].astype(float)
        rounded = column.round(6)
        lookup = {w: shift.get(label(w), 0.0) for w in rounded.unique()}
        delta = rounded.map(lookup).to_numpy(dtype=float)
        out[f"mw_{name}"] = column + delta
        total += delta
    out["match_weight"] = total
    out["match_probability"] = 1.0 / (1.0 + np.exp2(-total))
    return out
