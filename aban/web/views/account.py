"""The signed-in user's own page: its role, and two-factor sign-in (enrol or renew).

A new secret is offered once, held in memory for the session
(:class:`aban.web.two_factor.Enrolments`) until a code from it confirms it; only
then does it become the account's (in the encrypted register).
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from aban.store.two_factor import enrol, totp_secret, two_factor, use_step
from aban.store.workspace import Workspace
from aban.web.auth import guard
from aban.web.context import Ctx
from aban.web.two_factor import group_secret, matching_step, provisioning_uri


async def _page(
    ctx: Ctx, status: int = 200, secret: str | None = None, message: str = ""
) -> Response:
    return ctx.render(
        "account.html",
        status,
        factor=await ctx.read(two_factor, ctx.user.user_id),
        required_for_all=ctx.state.db.settings.serve_two_factor == "required",
        secret=group_secret(secret) if secret else "",
        uri=provisioning_uri(secret, ctx.user.name) if secret else "",
        message=message,
    )


@guard("viewer", documenter=True)
async def account_page(ctx: Ctx) -> Response:
    """GET /account: the user's own page."""
    return await _page(ctx)


def _confirm(ws: Workspace, user_id: int, secret: str, code: str) -> bool:
    step = matching_step(secret, code)
    if step is None:
        return False
    enrol(ws, user_id, secret, step)
    return True


def _use_current(ws: Workspace, user_id: int, code: str) -> bool:
    found = totp_secret(ws.conn, user_id)
    step = matching_step(found[0], code) if found else None
    return step is not None and use_step(ws, user_id, step)


async def _current_code(ctx: Ctx) -> bool:
    """Whether the form's ``current`` code is the enrolled secret's, unused (wrong
    ones count in the login rate limit)."""
    name = ctx.user.name
    address = ctx.request.client.host if ctx.request.client else "unknown"
    limiter = ctx.state.limiter
    if limiter.blocked(name, address):
        return False
    code = ctx.field("current", 40)
    if await ctx.write(_use_current, ctx.user.user_id, code):
        return True
    limiter.failed(name, address)
    return False


@guard("viewer", documenter=True)
async def account_two_factor(ctx: Ctx) -> Response:
    """POST /account/two-factor: offer a new secret (``start``), or confirm the
    offered one with its code (``confirm``)."""
    action, digest = ctx.field("action", 20), ctx.user.digest
    enrolments = ctx.state.enrolments
    if action == "start":
        factor = await ctx.read(two_factor, ctx.user.user_id)
        # A new secret replaces the one enrolled only with a code from it: a
        # session alone (a browser left open) cannot move the second factor.
        if factor.enrolled and not await _current_code(ctx):
            return await _page(ctx, 400, message="wrong_code")
        return await _page(ctx, secret=enrolments.offer(digest))
    if action != "confirm":
        raise HTTPException(400)
    secret = enrolments.offered(digest)
    if secret is None:
        return await _page(ctx, 400, message="code_expired")
    if not await ctx.write(_confirm, ctx.user.user_id, secret, ctx.field("code", 40)):
        return await _page(ctx, 400, secret, "wrong_code")
    enrolments.end(digest)
    return RedirectResponse("/account?done=two_factor_on", status_code=303)
