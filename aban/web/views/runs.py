"""The runs page: an analyst links and grades the register from the app.

``GET /runs`` shows the run going (its stage, polled from ``GET /api/runs`` by
``static/runs.js``) or the last one's result: persons, reviewers' decisions
applied, pairs left to review, the headline grades and the audit head; a failed
run shows its one-line error. ``POST /runs`` starts a run (:mod:`aban.web.runs`),
unless one is going: then the page says who started it and when (409).
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response

from aban.store.db import Connection
from aban.store.runs import last_run, run_details
from aban.vocab.grades import GRADES
from aban.web.auth import guard
from aban.web.context import Ctx
from aban.web.runs import RunStatus

#: The stages a run goes through, for the page's words (see :mod:`aban.web.runs`).
STAGE_KEYS = (
    "starting",
    "preparing",
    "training",
    "scoring",
    "rescoring",
    "clustering",
    "linking",
    "grading",
    "done",
    "failed",
)


def stored_run(conn: Connection) -> dict[str, Any] | None:
    """The register's last link run: its id, times and counts (None if none)."""
    run_id = last_run(conn, "link")
    if run_id is None:
        return None
    details = run_details(conn, run_id)
    return {
        "id": run_id,
        "started_at": details["started_at"],
        "finished_at": details["finished_at"],
        "persons": details["counts"].get("persons"),
        "records": details["counts"].get("records"),
    }


async def _page(ctx: Ctx, status: RunStatus, code: int = 200) -> Response:
    return ctx.render(
        "runs.html",
        code,
        run=status,
        busy=code == 409,
        stored=await ctx.read(stored_run),
        grades=GRADES,
        stage_words={k: ctx.words.t(f"stage_{k}") for k in STAGE_KEYS},
    )


@guard("analyst")
async def runs_page(ctx: Ctx) -> Response:
    """GET /runs: the run going, or the last one's result, and a start button."""
    return await _page(ctx, ctx.state.runs.status())


@guard("analyst")
async def run_start(ctx: Ctx) -> Response:
    """POST /runs: start a link-and-grade run, unless one is going."""
    if ctx.field("action", 20) != "start":
        raise HTTPException(400)
    started, status = ctx.state.runs.start(ctx.state.db, ctx.user.name)
    if not started:
        return await _page(ctx, status, 409)
    return RedirectResponse("/runs", status_code=303)


@guard("analyst", api=True)
async def runs_json(ctx: Ctx) -> Response:
    """GET /api/runs: the run's state as JSON (the page polls it)."""
    return JSONResponse({"ok": True, "run": ctx.state.runs.status().to_dict()})
