"""The person page: records and sources, canonical values, grade, evidence, detention.

``/persons/{person_id}`` shows it; ``/api/persons/{person_id}`` answers the same
data as JSON. Both are built by :func:`person_data`, which a viewer gets redacted
(:mod:`aban.web.redact`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response

from aban.detention.alerts import AlertSettings
from aban.store.db import Connection
from aban.store.rows import persons_where, records_where
from aban.vocab.canonical import FIELDS, NAME_FIELDS, display_name, name_in_script
from aban.vocab.columns import PROTECTED_COLUMNS
from aban.vocab.ids import parse_person_id
from aban.web.auth import guard
from aban.web.context import Ctx
from aban.web.redact import (
    canonical_view,
    conflicts_view,
    history_view,
    record_view,
)
from aban.web.views.detention import person_cases

#: A record's columns shown on the person page (protected ones last).
RECORD_COLUMNS = (
    "id",
    "source",
    "record_id",
    *NAME_FIELDS,
    *FIELDS,
    *PROTECTED_COLUMNS,
)
_EVIDENCE_COLUMNS = (
    "id",
    "kind",
    "sha256",
    "size",
    "publishable",
    "added_at",
    "original_name",
)


def protected_sources(conn: Connection) -> set[str]:
    """The names of the protected sources."""
    return {
        str(n) for (n,) in conn.execute("select name from sources where protected = 1")
    }


def _records(conn: Connection, row_id: int) -> list[dict[str, Any]]:
    return records_where(conn, "p.id = ?", (row_id,), select=RECORD_COLUMNS)


def _evidence(conn: Connection, row_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        f"select distinct {', '.join('e.' + c for c in _EVIDENCE_COLUMNS)} "
        "from evidence e join evidence_links l on l.evidence_id = e.id "
        "where l.person_id = ? or l.record_id in "
        "(select record_id from person_records where person_id = ?) order by e.id",
        (row_id, row_id),
    )
    return [dict(zip(_EVIDENCE_COLUMNS, row, strict=True)) for row in rows]


def load_person(
    conn: Connection, text: str, alerts: AlertSettings | None = None
) -> dict[str, Any] | None:
    """Everything the person page shows, unredacted; None for no such person.

    Args:
        conn: the register.
        text: a person id (``P000123``, ``P123``).
        alerts: the detention alert thresholds (the defaults when None).
    """
    person_id = parse_person_id(text)
    if person_id is None:
        return None
    found = persons_where(
        conn,
        "p.person_id = ?",
        (person_id,),
        select=(
            "id",
            "canonical",
            "identification",
            "grade",
            "grade_reason",
            "consent",
        ),
    )
    if not found:
        return None
    person = found[0]
    row_id = person.pop("id")
    return {
        "person_id": person_id,
        **person,
        "records": _records(conn, int(row_id)),
        "evidence": _evidence(conn, int(row_id)),
        "detention": person_cases(conn, int(row_id), dt.date.today(), alerts),
        "protected": sorted(protected_sources(conn)),
    }


def _case_view(case: dict[str, Any], protected: set[str], sees: bool) -> dict[str, Any]:
    return {
        **case,
        "records": [
            {**r, "source": record_view(r, protected, sees)["source"]}
            for r in case["records"]
        ],
        "history": history_view(case["history"], protected, sees),
        "conflicts": conflicts_view(case["conflicts"], protected, sees),
    }


def person_data(loaded: dict[str, Any], sees: bool) -> dict[str, Any]:
    """The person as the reader may see it (``sees``: protected fields shown)."""
    protected = set(loaded["protected"])
    canonical = canonical_view(loaded["canonical"], protected, sees)
    return {
        "person_id": loaded["person_id"],
        "name": display_name(loaded["canonical"]),
        # the heading's name in the page's script where a source wrote one (issue 18)
        "names": {
            s: name_in_script(loaded["canonical"], s) for s in ("latin", "persian")
        },
        "identification": loaded["identification"],
        "grade": loaded["grade"],
        "grade_reason": loaded["grade_reason"],
        "consent": loaded["consent"],
        "canonical": canonical,
        "records": [record_view(r, protected, sees) for r in loaded["records"]],
        "evidence": [record_view(e, protected, sees) for e in loaded["evidence"]],
        "detention": [_case_view(c, protected, sees) for c in loaded["detention"]],
    }


async def _load(ctx: Ctx) -> dict[str, Any]:
    person_id = ctx.request.path_params["person_id"]
    loaded = await ctx.read(load_person, person_id, ctx.state.alerts)
    if loaded is None:
        raise HTTPException(404)
    return person_data(loaded, ctx.sees_protected)


@guard("viewer")
async def person_page(ctx: Ctx) -> Response:
    """GET /persons/{person_id}: the person page."""
    person = await _load(ctx)
    return ctx.render(
        "person.html",
        person=person,
        record_fields=[
            f
            for f in (*NAME_FIELDS, *FIELDS)
            if ctx.sees_protected or f != "national_id"
        ],
        protected_fields=PROTECTED_COLUMNS if ctx.sees_protected else (),
    )


@guard("viewer", api=True)
async def person_json(ctx: Ctx) -> Response:
    """GET /api/persons/{person_id}: the person page's data as JSON."""
    return JSONResponse({"ok": True, "person": await _load(ctx)})
