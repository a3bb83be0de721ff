"""The review queue: one pair side by side, decided with buttons or keys m, n, s.

Decisions are stored as ``aban review`` stores them
(:func:`aban.linkage.register.decide_pair`: ``link_decisions`` with the user as
reviewer, and a ``link-decision`` audit entry), so the next ``aban link`` applies
them. A pair decided meanwhile is not stored twice (:mod:`aban.web.queue`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any, Literal

from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from aban.linkage.pairs import StoredPair
from aban.linkage.register import decide_pair, learned_spellings
from aban.linkage.review import FieldRow, explain_pair
from aban.store.db import Connection
from aban.store.links import Decision
from aban.store.persons import load_records
from aban.store.workspace import Workspace
from aban.text import normalise_name
from aban.text.keys import split_full_name
from aban.web.auth import guard
from aban.web.context import Ctx
from aban.web.queue import Next, is_decided, owner_of

Outcome = Literal["stored", "taken"]
CHOICES = ("match", "non_match", "skip")
LAST = ("stored", "taken", "skipped")


def split_as_written(full: str) -> tuple[str, str]:
    """A full name's given and family names as written (the split of
    :func:`aban.text.keys.split_full_name`: ``Dehghan Zadeh`` stays one family
    name)."""
    words = full.split()
    _, family = split_full_name(full)
    if not family or len(words) < 2:
        return full.strip(), ""
    for cut in range(1, len(words)):
        if normalise_name("".join(words[cut:])).replace(" ", "") == family:
            return " ".join(words[:cut]), " ".join(words[cut:])
    return " ".join(words[:-1]), words[-1]


def _side(field: str, value: str, record: Mapping[str, Any]) -> tuple[str, str]:
    """A name field's value on one side, and where it came from when the record
    wrote the name only the other way: ``parts`` (a full name from the given and
    family names) or ``full_name`` (a given or family name from the full name,
    when the record gives neither)."""
    if value:
        return value, ""
    full = str(record.get("full_name") or "").strip()
    parts = [str(record.get(f) or "").strip() for f in ("given_name", "family_name")]
    if field == "full_name" and any(parts):
        return " ".join(p for p in parts if p), "parts"
    if field in ("given_name", "family_name") and full and not any(parts):
        given, family = split_as_written(full)
        shown = given if field == "given_name" else family
        return shown, "full_name" if shown else ""
    return "", ""


def aligned_rows(
    rows: list[FieldRow], a: Mapping[str, Any], b: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """The rows with names compared on one row whatever the split (issue 18): a
    full name on one side and given and family names on the other fill each
    other's empty cells, marked as read from the other form."""
    shown = []
    for row in rows:
        value_a, from_a = _side(row.field, row.value_a, a)
        value_b, from_b = _side(row.field, row.value_b, b)
        shown.append(
            {
                **asdict(row),
                "value_a": value_a,
                "value_b": value_b,
                "from_a": from_a,
                "from_b": from_b,
            }
        )
    return shown


def _pair_view(conn: Connection, stored: StoredPair) -> dict[str, Any]:
    records = {
        r["id"]: r for r in load_records(conn, (stored.record_a, stored.record_b))
    }
    a, b = records[stored.record_a], records[stored.record_b]
    spellings = learned_spellings(conn)
    rows: list[FieldRow] = explain_pair(stored.pair, a, b, spellings)
    return {
        "record_a": stored.record_a,
        "record_b": stored.record_b,
        "a": {"source": a["source"], "record_id": a["record_id"]},
        "b": {"source": b["source"], "record_id": b["record_id"]},
        "probability": stored.pair.probability,
        "weight": stored.pair.weight,
        "rows": aligned_rows(rows, a, b),
    }


def next_view(conn: Connection, ctx: Ctx) -> tuple[Next, dict[str, Any] | None]:
    """The reviewer's next pair (leased to them) and what the page shows of it."""
    found = ctx.state.queue.next_pair(conn, owner_of(ctx.user.user_id))
    return found, _pair_view(conn, found.pair) if found.pair else None


@guard("reviewer")
async def review_page(ctx: Ctx) -> Response:
    """GET /review: the next pair, or why there is none."""
    if ctx.request.query_params.get("again") == "1":
        ctx.state.queue.unskip(owner_of(ctx.user.user_id))
    found, pair = await ctx.read(next_view, ctx)
    last = ctx.request.query_params.get("last", "")
    return ctx.render(
        "review.html",
        found=found,
        pair=pair,
        last=last if last in LAST else "",
    )


def store_decision(ws: Workspace, stored: StoredPair, decision: Decision) -> Outcome:
    """Store the decision unless the pair was decided meanwhile (holding the writer)."""
    if is_decided(ws.conn, (stored.record_a, stored.record_b)):
        return "taken"
    decide_pair(ws, stored, decision)
    return "stored"


def _pair_ids(ctx: Ctx) -> tuple[int, int]:
    texts = ctx.field("record_a", 20), ctx.field("record_b", 20)
    if not all(t.isdigit() for t in texts):
        raise HTTPException(400)
    return int(texts[0]), int(texts[1])


@guard("reviewer")
async def review_decide(ctx: Ctx) -> Response:
    """POST /review: match, non-match or skip the pair in the form."""
    choice = ctx.field("decision", 20)
    if choice not in CHOICES:
        raise HTTPException(400)
    pair = _pair_ids(ctx)
    queue = ctx.state.queue
    stored = queue.find(pair)
    if stored is None:
        raise HTTPException(409)
    if choice == "skip":
        queue.skip(owner_of(ctx.user.user_id), pair)
        outcome = "skipped"
    else:
        decision: Decision = "match" if choice == "match" else "non_match"
        outcome = await ctx.write(store_decision, stored, decision)
        queue.mark_decided(pair)
    return RedirectResponse(f"/review?last={outcome}", status_code=303)
