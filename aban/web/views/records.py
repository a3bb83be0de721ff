"""A record's page, and the forms that enter a record or a detention event."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response

from aban.detention.vocab import FACTS
from aban.detention.vocab import STATUSES as EVENT_STATUSES
from aban.ingest.issues import Issue
from aban.store.db import Connection
from aban.store.rows import records_where
from aban.vocab.canonical import FIELDS, NAME_FIELDS
from aban.vocab.columns import PROTECTED_COLUMNS, STATUSES
from aban.vocab.ids import parse_person_id
from aban.web.auth import guard
from aban.web.context import Ctx
from aban.web.entry import (
    EVENT_FORM_FIELDS,
    RECORD_FORM_FIELDS,
    EntryResult,
    enter_event,
    enter_record,
)
from aban.web.redact import record_view
from aban.web.views.own import is_own_record, own_sources
from aban.web.views.person import protected_sources

_RECORD_COLUMNS = ("record_id", *NAME_FIELDS, *FIELDS, *PROTECTED_COLUMNS, "raw")
TEXTAREAS = frozenset({"circumstances", "notes_private", "note"})


def load_record(conn: Connection, row_id: int) -> dict[str, Any] | None:
    """A record's columns, its source and person; None for no such record."""
    found = records_where(
        conn, "r.id = ?", (row_id,), select=("source", "person_id", *_RECORD_COLUMNS)
    )
    if not found:
        return None
    return {"id": row_id, **found[0], "protected": sorted(protected_sources(conn))}


async def _record(ctx: Ctx) -> dict[str, Any]:
    text = str(ctx.request.path_params["row_id"])
    row_id = int(text) if len(text) < 19 else 0
    if ctx.user.role == "documenter":
        # Its own records only, shown whole (it typed them), without the person.
        if not await ctx.read(is_own_record, row_id, ctx.user.name):
            raise HTTPException(404)
        loaded = await ctx.read(load_record, row_id)
        if loaded is None:
            raise HTTPException(404)
        loaded.pop("protected")
        loaded["person_id"] = None
        return record_view(loaded, (), True)
    loaded = await ctx.read(load_record, row_id) if row_id else None
    if loaded is None:
        raise HTTPException(404)
    protected = set(loaded.pop("protected"))
    return record_view(loaded, protected, ctx.sees_protected)


@guard("viewer", documenter=True)
async def record_page(ctx: Ctx) -> Response:
    """GET /records/{row_id}: one record as its source gave it."""
    record = await _record(ctx)
    fields = [f for f in (*NAME_FIELDS, *FIELDS, *PROTECTED_COLUMNS) if f in record]
    return ctx.render("record.html", record=record, fields=fields)


@guard("viewer", api=True, documenter=True)
async def record_json(ctx: Ctx) -> Response:
    """GET /api/records/{row_id}: one record as JSON."""
    return JSONResponse({"ok": True, "record": await _record(ctx)})


def source_names(conn: Connection) -> list[str]:
    """Every source's name, sorted."""
    return [str(n) for (n,) in conn.execute("select name from sources order by name")]


async def _record_form(
    ctx: Ctx, values: dict[str, str], result: EntryResult | None, status: int = 200
) -> Response:
    documenter = ctx.user.role == "documenter"
    return ctx.render(
        "record_form.html",
        status,
        sources=await ctx.read(own_sources, ctx.user.name)
        if documenter
        else await ctx.read(source_names),
        fields=RECORD_FORM_FIELDS,
        statuses=STATUSES,
        textareas=TEXTAREAS,
        values=values,
        problems=result.by_field() if result else {},
    )


@guard("analyst", documenter=True)
async def record_form(ctx: Ctx) -> Response:
    """GET /records/new: the form for a new record."""
    return await _record_form(ctx, {}, None)


@guard("analyst", documenter=True)
async def record_create(ctx: Ctx) -> Response:
    """POST /records/new: store the record if it passes the import's checks."""
    names = ("record_id", "source", "new_source", *RECORD_FORM_FIELDS)
    values = {n: ctx.field(n) for n in names}
    source = values["new_source"].strip() or values["source"].strip()
    if not source:
        result = EntryResult()
        result.issues = [_form_issue("source")]
        return await _record_form(ctx, values, result, 400)
    result = await ctx.write(enter_record, source, values)
    if not (result.stored or result.unchanged):
        return await _record_form(ctx, values, result, 400)
    done = "record_stored" if result.stored else "record_unchanged"
    target = f"/records/{result.row_id}" if result.row_id else "/records/new"
    return RedirectResponse(f"{target}?done={done}", status_code=303)


def _form_issue(column: str) -> Issue:
    return Issue("form-missing", "error", "form", None, column, "required")


async def _event_form(
    ctx: Ctx, values: dict[str, str], result: EntryResult | None, status: int = 200
) -> Response:
    return ctx.render(
        "event_form.html",
        status,
        sources=await ctx.read(source_names),
        statuses=(*EVENT_STATUSES, *FACTS),
        values=values,
        problems=result.by_field() if result else {},
    )


@guard("analyst")
async def event_form(ctx: Ctx) -> Response:
    """GET /detentions/new: the form for a detention status event."""
    person = parse_person_id(ctx.request.query_params.get("person", "")[:40]) or ""
    return await _event_form(ctx, {"person_id": person}, None)


@guard("analyst")
async def event_create(ctx: Ctx) -> Response:
    """POST /detentions/new: store the event if it passes the events file's checks."""
    values = {n: ctx.field(n) for n in EVENT_FORM_FIELDS}
    values["person_id"] = parse_person_id(values["person_id"]) or values["person_id"]
    result = await ctx.write(enter_event, values)
    if not (result.stored or result.unchanged):
        return await _event_form(ctx, values, result, 400)
    done = "event_stored" if result.stored else "event_unchanged"
    person = parse_person_id(values["person_id"])
    target = f"/persons/{person}" if person else "/detentions/new"
    return RedirectResponse(f"{target}?done={done}", status_code=303)
