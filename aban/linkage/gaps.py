"""Scoring on demand the pairs that clustering would otherwise have to guess.

Clustering (:mod:`aban.linkage.clusters`) averages the weights of every pair of
records across two clusters, and a pair that no blocking rule brought up, or
that scored below the pair floor, counts as a fixed strong "different"
(:data:`aban.linkage.rules.MISSING_WEIGHT`). When one record resembles two
others above the threshold but those two were never compared (their names are
spelled apart so that no blocking key is shared, one has no city), that guess
keeps a true person in two clusters: the average of a cluster of two and a
record scored with one of them at a weight of -2.5 is about -4.8 with the guess,
below the threshold weight of about -4.2.

So, before clustering, every such *gap* (two records that share a neighbour
scored at or above the threshold, and that have no score of their own) is scored
by the trained model, through one more prediction whose only blocking rule
joins the two ends of each gap. Clustering then sees the pair's own weight,
high or low. Records with more than :data:`MAX_NEIGHBOURS` neighbours above the
threshold (a common name in a big block) are left out: their gaps grow with the
square of their neighbours, and such a record joins no cluster by the average
of one pair.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

#: A record with more neighbours at or above the threshold than this adds no
#: gaps (their number grows with the square of its neighbours).
MAX_NEIGHBOURS = 30
#: The column that holds each record's gap numbers in the gap prediction.
GAP_COLUMN = "gap_ids"


def triangle_gaps(
    pairs: pd.DataFrame, threshold: float, limit: int = MAX_NEIGHBOURS
) -> pd.DataFrame:
    """The unscored pairs of records that share a neighbour at or above
    ``threshold`` (a match weight).

    Args:
        pairs: Scored pairs: ``rid_l``, ``rid_r``, ``match_weight``.
        threshold: The clustering's threshold weight.
        limit: Records with more strong neighbours than this add no gaps.

    Returns:
        ``rid_l``, ``rid_r`` (``rid_l < rid_r``), sorted, one row a gap.
    """
    strong = pairs.loc[pairs["match_weight"] >= threshold, ["rid_l", "rid_r"]]
    ends = pd.DataFrame(
        {
            "hub": np.concatenate((strong["rid_l"], strong["rid_r"])),
            "end": np.concatenate((strong["rid_r"], strong["rid_l"])),
        },
        dtype="int64",
    )
    degree = ends.groupby("hub")["end"].transform("size")
    ends = ends[degree <= limit]
    both = ends.merge(ends, on="hub", suffixes=("_l", "_r"))
    both = both[both["end_l"] < both["end_r"]]
    found = pd.DataFrame(
        {"rid_l": both["end_l"], "rid_r": both["end_r"]}
    ).drop_duplicates()
    known = pairs[["rid_l", "rid_r"]].astype("int64")
    found = found.merge(known, how="left", on=["rid_l", "rid_r"], indicator=True)
    found = found.loc[found["_merge"] == "left_only", ["rid_l", "rid_r"]]
    return found.sort_values(["rid_l", "rid_r"], ignore_index=True)


def gap_column(records: int, gaps: pd.DataFrame) -> list[list[int] | None]:
    """Each record's gap numbers (None for a record in no gap): two records
    share a number exactly when they are the ends of that gap."""
    column: list[list[int] | None] = [None] * records
    for n, (a, b) in enumerate(zip(gaps["rid_l"], gaps["rid_r"], strict=True)):
        for rid in (int(a), int(b)):
            held = column[rid]
            if held is None:
                column[rid] = [n]
            else:
                held.append(n)
    return column


def gap_model(model: dict[str, Any]) -> dict[str, Any]:
    """The trained model with one blocking rule: the ends of each gap."""
    rules = model["blocking_rules_to_generate_predictions"]
    dialect = rules[0].get("sql_dialect", "duckdb") if rules else "duckdb"
    out = {k: v for k, v in model.items() if k != "linker_uid"}
    out["blocking_rules_to_generate_predictions"] = [
        {
            "blocking_rule": f"l.{GAP_COLUMN} = r.{GAP_COLUMN}",
            "sql_dialect": dialect,
            "arrays_to_explode": [GAP_COLUMN],
        }
    ]
    return out


def score_gaps(
    api: Any, table: pd.DataFrame, model: dict[str, Any], gaps: pd.DataFrame
) -> Any:
    """Score ``gaps`` with the trained ``model`` on the records' ``table``
    (the whole table, so that name frequencies are those of every record).

    Returns:
        The linker and its prediction table (every gap, whatever its weight).
    """
    from splink import Linker

    marked = table.assign(**{GAP_COLUMN: gap_column(len(table), gaps)})
    frame = api.register(marked, dataset_display_name="__aban__gaps")
    linker: Any = Linker(frame, gap_model(model), log_level=None)
    return linker, linker.inference.predict()
