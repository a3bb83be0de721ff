"""The evidence behind each scored pair, as a reviewer reads it.

For each comparison of the model (:data:`aban.linkage.comparisons.COMPARISONS`), the
level the pair reached (its label, such as ``same sound`` or ``different``) and
the match weight it contributed (log2 Bayes factor, frequency adjustment
included): positive weights are evidence for a match, negative ones against.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from aban.linkage.comparisons import COMPARISONS


def level_weights(model: dict[str, Any]) -> dict[str, list[tuple[float, str]]]:
    """Comparison name -> (match weight, label) of each level; null levels weigh 0."""
    out: dict[str, list[tuple[float, str]]] = {}
    for comparison in model.get("comparisons", []):
        levels: list[tuple[float, str]] = []
        for lv in comparison["comparison_levels"]:
            label = str(lv.get("label_for_charts", ""))
            if lv.get("is_null_level"):
                levels.append((0.0, "missing"))
                continue
            m, u = lv.get("m_probability"), lv.get("u_probability")
            if isinstance(m, float) and isinstance(u, float) and m > 0 and u > 0:
                levels.append((math.log2(m / u), label))
        out[comparison["output_column_name"]] = levels
    return out


def nearest_label(levels: list[tuple[float, str]]) -> Any:
    def label(weight: float) -> str:
        best = min(levels, key=lambda lv: abs(lv[0] - weight), default=(0.0, ""))
        return best[1]

    return label


def empty_pairs() -> pd.DataFrame:
    """A pairs frame with no rows and every column of :func:`evidence_columns`."""
    columns = ["key_l", "key_r", "rid_l", "rid_r", "match_probability", "match_weight"]
    for name in COMPARISONS:
        columns += [f"{name}_level", f"{name}_weight"]
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def evidence_columns(
    predictions: pd.DataFrame, model: dict[str, Any], keys: Any
) -> pd.DataFrame:
    """The scored pairs with each comparison's level label and match weight.

    The level is recognised by its match weight (each level of a comparison has
    its own), so Splink need not keep the comparison vectors.

    Args:
        predictions: Splink's predictions (with intermediate columns).
        model: The trained settings dictionary.
        keys: The record keys, as an array indexed by the row numbers Splink saw
            (``rid``), sorted so that the smaller row number has the smaller key.

    Returns:
        ``key_l``, ``key_r``, ``rid_l``, ``rid_r``, ``match_probability``,
        ``match_weight``, then for
        each comparison ``<name>_level`` and ``<name>_weight`` (log2 Bayes factor,
        term-frequency adjustment included), sorted by ``key_l``, ``key_r``.
    """
    weights = level_weights(model)
    left = predictions["rid_l"].to_numpy(dtype="int64")
    right = predictions["rid_r"].to_numpy(dtype="int64")
    low, high = np.minimum(left, right), np.maximum(left, right)
    out = pd.DataFrame(
        {
            "key_l": keys[low],
            "key_r": keys[high],
            "rid_l": low,
            "rid_r": high,
            "match_probability": predictions["match_probability"].astype(float),
            "match_weight": predictions["match_weight"].astype(float),
        }
    )
    for name in COMPARISONS:
        base = predictions[f"mw_{name}"].astype(float)
        rounded = base.round(6)
        label = nearest_label(weights[name])
        lookup = {w: label(w) for w in rounded.unique()}
        out[f"{name}_level"] = rounded.map(lookup).astype("category")
        tf = f"mw_tf_adj_{name}"
        weight = base + predictions[tf].astype(float) if tf in predictions else base
        out[f"{name}_weight"] = weight.round(3)
    return out.sort_values(["rid_l", "rid_r"], ignore_index=True)
