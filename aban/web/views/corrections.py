"""Corrections of one person, for analysts: discount, restore, consent, merge, split.

``GET /persons/{person_id}/corrections`` shows the forms; ``POST`` to the same
path with an ``action`` applies one, each through the function the command line
uses, audited with the signed-in user:

- ``discount`` and ``restore``: :func:`aban.grade.register.discount_person` and
  :func:`~aban.grade.register.restore_person` (``aban person discount|restore``);
  the decision holds the person's records, so it survives re-linking.
- ``consent``: :func:`aban.grade.register.set_consent` (``aban person consent``).
- ``merge`` and ``split``: :func:`aban.linkage.merges.merge_persons` and
  :func:`~aban.linkage.merges.split_record`, stored as reviewers' link decisions
  that the next link run obeys (the runs page starts one).
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from aban.errors import StoreError
from aban.grade.register import (
    CONSENTS,
    discount_person,
    restore_person,
    set_consent,
)
from aban.grade.rules import DISCOUNT_REASONS, load_rules
from aban.linkage.merges import merge_persons, split_record
from aban.store.workspace import Workspace
from aban.web.auth import guard
from aban.web.context import Ctx
from aban.web.views.person import load_person, person_data

ACTIONS = ("discount", "restore", "consent", "merge", "split")
#: What the page says after each action (``?done=``).
DONE = {
    "discount": "corrected_discount",
    "restore": "corrected_restore",
    "consent": "corrected_consent",
    "merge": "corrected_merge",
    "split": "corrected_split",
}


async def _page(ctx: Ctx, status: int = 200, error: str = "") -> Response:
    text = str(ctx.request.path_params["person_id"])[:40]
    loaded = await ctx.read(load_person, text, ctx.state.alerts)
    if loaded is None:
        raise HTTPException(404)
    done = ctx.request.query_params.get("done", "")
    return ctx.render(
        "corrections.html",
        status,
        person=person_data(loaded, ctx.sees_protected),
        reasons=DISCOUNT_REASONS,
        consents=CONSENTS,
        error=error,
        done=DONE[done] if done in DONE else "",
    )


@guard("analyst")
async def corrections_page(ctx: Ctx) -> Response:
    """GET /persons/{person_id}/corrections: the correction forms."""
    return await _page(ctx)


def apply_correction(
    ws: Workspace, action: str, person: str, form: dict[str, str]
) -> str:
    """Apply one correction to ``person`` as the workspace's actor; return the
    person id the page goes back to.

    Raises:
        StoreError: what the store refuses (an unknown person or record, nothing
            to restore, a merge with itself ...), in one line without names.
        ValueError: no reason or consent chosen, or no record.
    """
    if action == "discount":
        if form["reason"] not in DISCOUNT_REASONS:
            raise ValueError("choose why the person is not counted")
        note = form["note"].strip() or None
        rules = load_rules(ws.path)
        return discount_person(ws, person, form["reason"], rules, note).person_id
    if action == "restore":
        return restore_person(ws, person, load_rules(ws.path)).person_id
    if action == "consent":
        if form["consent"] not in CONSENTS:
            raise ValueError("choose the consent the family gave")
        consent: Any = form["consent"]
        return set_consent(ws, person, consent).person_id
    if action == "merge":
        return merge_persons(ws, person, form["other"]).persons[0]
    record = form["record"]
    if not record.isdigit() or len(record) > 18:
        raise ValueError("choose one of the person's records to split off")
    return split_record(ws, person, int(record)).persons[0]


@guard("analyst")
async def correction_apply(ctx: Ctx) -> Response:
    """POST /persons/{person_id}/corrections: apply the form's correction."""
    action = ctx.field("action", 20)
    if action not in ACTIONS:
        raise HTTPException(400)
    person = str(ctx.request.path_params["person_id"])[:40]
    form = {
        "reason": ctx.field("reason", 40),
        "note": ctx.field("note", 4000),
        "consent": ctx.field("consent", 40),
        "other": ctx.field("other", 40).strip(),
        "record": ctx.field("record", 20),
    }
    try:
        person_id = await ctx.write(apply_correction, action, person, form)
    except (StoreError, ValueError) as err:
        return await _page(ctx, 400, str(err))
    return RedirectResponse(
        f"/persons/{person_id}/corrections?done={action}", status_code=303
    )
