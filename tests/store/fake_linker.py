"""A tiny stand-in for the linkage engine, and helpers to fill a test register.

The fake scores every pair of records by a plain rule on names and city, and
clusters pairs at or above the threshold like a real engine would: reviewers'
must-links first, and never a merge that joins a cannot-link pair.
"""

from __future__ import annotations

import csv
import itertools
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from aban.ingest.importer import import_file
from aban.linkage import LinkResult
from aban.store.workspace import Workspace

COLUMNS = [
    "record_id",
    "full_name",
    "given_name",
    "family_name",
    "father_name",
    "sex",
    "age",
    "date_of_death",
    "city",
    "province",
    "status",
    "cause",
    "injury_location",
    "informant",
    "contact",
    "notes_private",
]


def import_rows(
    ws: Workspace, tmp: Path, source: str, rows: Sequence[dict[str, Any]]
) -> None:
    """Write ``rows`` as a records CSV and import it for ``source``."""
    path = tmp / f"{source}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    result = import_file(ws, path, source=source)
    assert not result.refused, [i.render() for i in result.issues]


def _name(record: dict[str, Any]) -> str:
    full = record.get("full_name") or " ".join(
        filter(None, (record.get("given_name"), record.get("family_name")))
    )
    return " ".join(str(full or "").casefold().split())


def rule_score(a: dict[str, Any], b: dict[str, Any]) -> float | None:
    """0.97 for the same name, 0.5 for the same family name in the same city."""
    name_a, name_b = _name(a), _name(b)
    if name_a and name_a == name_b:
        return 0.97
    if (
        name_a
        and name_b
        and name_a.split()[-1] == name_b.split()[-1]
        and a.get("city") == b.get("city")
    ):
        return 0.5
    return None


class FakeLinker:
    """Callable like ``aban.linkage.link_records``; remembers its calls."""

    def __init__(
        self,
        score: Callable[[dict[str, Any], dict[str, Any]], float | None] = rule_score,
        obey: bool = True,
    ) -> None:
        self.score = score
        self.obey = obey
        self.calls: list[dict[str, Any]] = []

    def __call__(
        self,
        records: pd.DataFrame,
        *,
        must_link: Sequence[tuple[str, str]] = (),
        cannot_link: Sequence[tuple[str, str]] = (),
        labels: Sequence[tuple[str, str, bool]] = (),
        threshold: float = 0.9,
        engine: str = "duckdb",
        seed: int = 1,
        progress: Callable[[str], None] | None = None,
    ) -> LinkResult:
        self.calls.append(
            {
                "keys": records["key"].tolist(),
                "must_link": list(must_link),
                "cannot_link": list(cannot_link),
                "labels": list(labels),
                "threshold": threshold,
                "engine": engine,
            }
        )
        rows = records.to_dict("records")
        pairs = []
        for a, b in itertools.combinations(rows, 2):
            p = self.score(a, b)
            if p is not None:
                pairs.append((*sorted((a["key"], b["key"])), p))
        clusters = self._cluster(
            [r["key"] for r in rows], pairs, threshold, must_link, cannot_link
        )
        frame = pd.DataFrame(
            {
                "key_l": [p[0] for p in pairs],
                "key_r": [p[1] for p in pairs],
                "match_probability": [p[2] for p in pairs],
                "match_weight": [math.log2(p[2] / (1 - p[2])) for p in pairs],
                "given_level": ["same spelling" for _ in pairs],
                "given_weight": [2.5 for _ in pairs],
                "dod_level": ["missing" for _ in pairs],
                "dod_weight": [0.0 for _ in pairs],
            }
        )
        return LinkResult(clusters, frame, {"fake": True}, threshold)

    def _cluster(
        self,
        keys: list[str],
        pairs: list[tuple[str, str, float]],
        threshold: float,
        must: Sequence[tuple[str, str]],
        cannot: Sequence[tuple[str, str]],
    ) -> dict[str, str]:
        parent = {k: k for k in keys}

        def root(k: str) -> str:
            while parent[k] != k:
                k = parent[k]
            return k

        def members(r: str) -> set[str]:
            return {k for k in keys if root(k) == r}

        for a, b in must if self.obey else ():
            parent[root(a)] = root(b)
        for a, b, p in sorted(pairs, key=lambda x: -x[2]):
            ra, rb = root(a), root(b)
            if p < threshold or ra == rb:
                continue
            joined = members(ra) | members(rb)
            if self.obey and any(x in joined and y in joined for x, y in cannot):
                continue
            parent[ra] = rb
        return {k: f"C{root(k)}" for k in keys}
