"""Accounts, for admins: list, add, change role, disable and enable, and require,
waive or reset two-factor sign-in."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from aban.errors import ConfigError, StoreError
from aban.store.two_factor import set_two_factor, two_factor_by_user
from aban.store.users import ROLES, add_user, list_users, set_disabled, set_role
from aban.store.workspace import Workspace
from aban.web.auth import guard
from aban.web.context import Ctx

ACTIONS = ("role", "disable", "enable", "require", "waive", "reset")
TWO_FACTOR_ACTIONS = ("require", "waive", "reset")


async def _page(
    ctx: Ctx, status: int = 200, error: str = "", name: str = ""
) -> Response:
    return ctx.render(
        "users.html",
        status,
        users=await ctx.read(list_users),
        factors=await ctx.read(two_factor_by_user),
        roles=ROLES,
        error=error,
        name=name,
    )


@guard("admin")
async def users_page(ctx: Ctx) -> Response:
    """GET /admin/users: the accounts."""
    return await _page(ctx)


def _add(ws: Workspace, name: str, role: str, password: str) -> str:
    return add_user(ws, name, role, password)[1]


@guard("admin")
async def user_create(ctx: Ctx) -> Response:
    """POST /admin/users: add an account."""
    name, role = ctx.field("name", 100).strip(), ctx.field("role", 20)
    try:
        await ctx.write(_add, name, role, ctx.field("password", 2000))
    except (ConfigError, StoreError) as err:
        return await _page(ctx, 400, str(err), name)
    return RedirectResponse("/admin/users?done=user_saved", status_code=303)


def _change(ws: Workspace, name: str, action: str, role: str) -> str:
    if action == "role":
        return set_role(ws, name, role)
    if action in TWO_FACTOR_ACTIONS:
        return set_two_factor(ws, name, action)
    return set_disabled(ws, name, action == "disable")


@guard("admin")
async def user_change(ctx: Ctx) -> Response:
    """POST /admin/users/{name}: change an account's role, or disable or enable it."""
    name = str(ctx.request.path_params["name"])[:100]
    action = ctx.field("action", 20)
    if action not in ACTIONS:
        raise HTTPException(400)
    if name.casefold() == ctx.user.name.casefold():
        # An admin cannot lock themselves out (nor leave the app without an admin).
        return await _page(ctx, 400, "change your own account with 'aban user'")
    try:
        await ctx.write(_change, name, action, ctx.field("role", 20))
    except StoreError:
        raise HTTPException(404) from None
    except ConfigError as err:
        return await _page(ctx, 400, str(err))
    return RedirectResponse("/admin/users?done=user_saved", status_code=303)
