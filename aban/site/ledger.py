"""The claims ledger and the releases as the home and data pages show them.

:func:`ledger_columns` turns :meth:`aban.claims.ledger.Ledger.series` into the
chart's columns: each claim, each register count frozen by a release or other
snapshot (a release's count is dated by its build time), and each estimate, in
date order. The register's "now" point is left out: every release freezes the
count it publishes, so the newest release already shows it.
:func:`release_rows` adds to each release its change from the one before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from aban.claims.ledger import Ledger
from aban.site.releases import Release

__all__ = ["ledger_columns", "release_rows"]

_RELEASE = re.compile(r"^release (\d+)$")
_ORDER = {"claim": 0, "register": 1, "estimate": 2}


def _claim_kinds(ledger: Ledger) -> dict[tuple[Any, ...], tuple[str, str, str]]:
    """A claim's kind, its kind in Persian and its claimant in Persian ("" for
    none), by claimant, date and figures."""
    return {
        (c.claimant, c.date[:7] if len(c.date) == 7 else c.date, c.low, c.high): (
            c.kind or "",
            c.kind_fa or "",
            c.claimant_fa or "",
        )
        for c in ledger.claims
    }


def _column(
    kind: str,
    name: str,
    point: dict[str, Any],
    kinds: dict[tuple[Any, ...], tuple[str, str, str]],
) -> dict[str, Any]:
    column: dict[str, Any] = {
        "kind": kind,
        "name": name,
        "name_fa": "",
        "point": point,
        "claim_kind": "",
        "claim_kind_fa": "",
        "release": None,
        "note": "",
    }
    if kind == "claim":
        date = point["date"][:7] if point["precision"] == "month" else point["date"]
        found = kinds.get((name, date, point["low"], point["high"]), ("", "", ""))
        column["claim_kind"], column["claim_kind_fa"], column["name_fa"] = found
    elif kind == "estimate":
        column["note"] = str(point["label"]).split(" ")[0]
    return column


def ledger_columns(ledger: Ledger, releases: Sequence[Release]) -> list[dict[str, Any]]:
    """The claims ledger chart's columns, in date order.

    Args:
        ledger: the claims ledger.
        releases: the releases published so far (their build times date the
            register's counts they froze).
    """
    dated = {f"release {r.number}": r for r in releases}
    kinds = _claim_kinds(ledger)
    columns = []
    for series in ledger.series():
        kind, name = str(series["kind"]), str(series["name"])
        for point in series["points"]:
            if point["low"] is None and point["value"] is None:
                continue
            if kind == "register" and point["label"] == "now":
                continue
            column = _column(kind, name, dict(point), kinds)
            release = dated.get(str(point["label"])) if kind == "register" else None
            if release is not None:
                column["point"]["date"] = release.published_at[:10]
                column["release"] = release.number
            elif kind == "register":
                column["note"] = str(point["label"])
            columns.append(column)
    return sorted(columns, key=lambda c: (c["point"]["date"], _ORDER.get(c["kind"], 3)))


def release_rows(releases: Sequence[Release]) -> list[dict[str, Any]]:
    """Each release (oldest first) with its change from the release before."""
    rows, before = [], None
    for release in releases:
        # The audit head stays with the team (the CLI prints it): the site shows
        # only the content digest, so two copies of one register publish alike.
        row = {k: v for k, v in release.to_dict().items() if k != "head"}
        figures = release.figures
        row["change"] = (
            None
            if before is None
            else {
                key: int(figures.get(key) or 0) - int(before.get(key) or 0)
                for key in ("minimum", "upper", "listed")
            }
        )
        rows.append(row)
        before = figures
    return rows
