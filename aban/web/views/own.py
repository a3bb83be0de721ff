"""A field documenter's own records: which they are, and the list of them.

A record is a user's own when the import that wrote its current version was that
user's (``import_actors``, the audit actor of the import: the signed-in user for
a record entered in the app). A field documenter sees only those: no other
record, no person page (the person a record belongs to shows only as far as the
record does), no review, no export. It may correct its own records (as may an
analyst the records it entered): a correction is a new version of the record's
source list that names that record alone and retracts nothing.
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from aban.store.db import Connection
from aban.store.rows import records_where
from aban.vocab.columns import STATUSES
from aban.web.auth import guard
from aban.web.context import Ctx
from aban.web.entry import RECORD_FORM_FIELDS, EntryResult, correct_record

#: The condition on ``r`` that a record is the actor's own (one ``?``).
OWN = (
    "exists (select 1 from import_actors a where a.import_id = r.import_id "
    "and a.actor = ?)"
)
#: Records the list shows at most (newest first).
LIST_LIMIT = 500
#: The fields a record's edit form shows.
EDITED = RECORD_FORM_FIELDS
TEXTAREAS = frozenset({"circumstances", "notes_private"})
_LISTED = (
    "id",
    "source",
    "record_id",
    "full_name",
    "given_name",
    "family_name",
    "date_of_death",
    "status",
)


def is_own_record(conn: Connection, row_id: int, actor: str) -> bool:
    """Whether the live record ``row_id`` was written by ``actor``."""
    return bool(records_where(conn, f"r.id = ? and {OWN}", (row_id, actor)))


def own_records(conn: Connection, actor: str) -> list[dict[str, Any]]:
    """The live records ``actor`` wrote, newest first."""
    return records_where(
        conn, OWN, (actor,), select=_LISTED, order_by="r.id desc", limit=LIST_LIMIT
    )


def own_sources(conn: Connection, actor: str) -> list[str]:
    """The names of the sources ``actor`` wrote records of, sorted."""
    return [
        str(name)
        for (name,) in conn.execute(
            "select distinct s.name from imports i join sources s on s.id = "
            "i.source_id join import_actors a on a.import_id = i.id "
            "where a.actor = ? order by s.name",
            (actor,),
        )
    ]


@guard("analyst", documenter=True)
async def own_records_page(ctx: Ctx) -> Response:
    """GET /records/mine: the records the signed-in user entered."""
    records = await ctx.read(own_records, ctx.user.name)
    return ctx.render("own_records.html", records=records, limit=LIST_LIMIT)


def _form_values(record: dict[str, Any]) -> dict[str, str]:
    return {
        f: "" if record.get(f) is None else str(record[f]) for f in RECORD_FORM_FIELDS
    }


async def _own_record(ctx: Ctx) -> dict[str, Any]:
    """The signed-in user's own record named by the path (404 for any other)."""
    text = str(ctx.request.path_params["row_id"])
    row_id = int(text) if len(text) < 19 else 0
    if not await ctx.read(is_own_record, row_id, ctx.user.name):
        raise HTTPException(404)
    found = await ctx.read(_load, row_id)
    return {"id": row_id, **found}


def _load(conn: Connection, row_id: int) -> dict[str, Any]:
    select = ("source", "record_id", *EDITED)
    return records_where(conn, "r.id = ?", (row_id,), select=select)[0]


async def _edit_form(
    ctx: Ctx,
    record: dict[str, Any],
    values: dict[str, str],
    result: EntryResult | None = None,
    status: int = 200,
) -> Response:
    return ctx.render(
        "record_edit.html",
        status,
        record=record,
        fields=RECORD_FORM_FIELDS,
        statuses=STATUSES,
        textareas=TEXTAREAS,
        values=values,
        problems=result.by_field() if result else {},
    )


@guard("analyst", documenter=True)
async def record_edit_form(ctx: Ctx) -> Response:
    """GET /records/{row_id}/edit: the form to correct a record one entered."""
    record = await _own_record(ctx)
    return await _edit_form(ctx, record, _form_values(record))


@guard("analyst", documenter=True)
async def record_edit(ctx: Ctx) -> Response:
    """POST /records/{row_id}/edit: correct a record one entered (its source's
    list version naming it alone; nothing retracted)."""
    record = await _own_record(ctx)
    values = {f: ctx.field(f) for f in RECORD_FORM_FIELDS}
    result = await ctx.write(
        correct_record, record["source"], record["record_id"], values
    )
    if not (result.stored or result.unchanged):
        return await _edit_form(ctx, record, values, result, 400)
    done = "record_corrected" if result.stored else "record_unchanged"
    return RedirectResponse(f"/records/{record['id']}?done={done}", status_code=303)
