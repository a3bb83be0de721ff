"""The review queue: one pair side by side, decided with buttons or keys m, n, s.

Decisions are stored as ``aban review`` stores them
(:func:`aban.linkage.register.decide_pair`: ``link_decisions`` with the user as
reviewer, and a ``link-decision`` audit entry), so the next ``aban link`` applies
them. A pair decided meanwhile is not stored twice (:mod:`aban.web.queue`).
"""

from __future__ import annotations

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
from aban.web.auth import guard
from aban.web.context import Ctx
from aban.web.queue import Next, is_decided

Outcome = Literal["stored", "taken"]
CHOICES = ("match", "non_match", "skip")
LAST = ("stored", "taken", "skipped")


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
        "rows": rows,
    }


def next_view(conn: Connection, ctx: Ctx) -> tuple[Next, dict[str, Any] | None]:
    """The reviewer's next pair (leased to them) and what the page shows of it."""
    found = ctx.state.queue.next_pair(conn, ctx.user.digest)
    return found, _pair_view(conn, found.pair) if found.pair else None


@guard("reviewer")
async def review_page(ctx: Ctx) -> Response:
    """GET /review: the next pair, or why there is none."""
    if ctx.request.query_params.get("again") == "1":
        ctx.state.queue.unskip(ctx.user.digest)
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
        queue.skip(ctx.user.digest, pair)
        outcome = "skipped"
    else:
        decision: Decision = "match" if choice == "match" else "non_match"
        outcome = await ctx.write(store_decision, stored, decision)
        queue.mark_decided(pair)
    return RedirectResponse(f"/review?last={outcome}", status_code=303)
