"""``aban serve`` (the team's web app) and ``aban user`` (its accounts)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.table import Table

from aban.cli import AppContext, cli, passphrase
from aban.cli.output import json_option, print_json, report_head, say, stdout
from aban.errors import ConfigError
from aban.store.audit import head as audit_head
from aban.store.users import (
    ROLES,
    add_user,
    list_users,
    set_disabled,
    set_password,
    set_role,
)
from aban.store.workspace import open_workspace

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from aban.web import Database

pass_app = click.make_pass_decorator(AppContext)
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _allowed_hosts(host: str) -> list[str]:
    if host in ("0.0.0.0", "::"):
        return ["*"]
    return sorted({"127.0.0.1", "localhost", "::1", "[::1]", host})


@cli.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on."
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8000,
    show_default=True,
    help="Port.",
)
@click.option(
    "--get",
    "get_path",
    metavar="PATH",
    help="Print one page (e.g. /persons) without starting a server.",
)
@click.option("--as", "as_user", metavar="NAME", help="The account --get acts as.")
@click.option(
    "--template-dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="A folder of templates that override the app's own.",
)
@pass_app
def serve(
    app: AppContext,
    host: str,
    port: int,
    get_path: str | None,
    as_user: str | None,
    template_dir: Path | None,
) -> None:
    """Serve the team's web app: review queue, person pages, data entry.

    Accounts come from 'aban user add'. The app listens on 127.0.0.1 only, unless
    --host says otherwise (then put it behind HTTPS). Ctrl-C stops it.

    \b
    Example:
        aban -w ./aban-2019 serve --port 8000
        aban -w ./aban-2019 serve --get /persons --as ana
    """
    from aban.web import Database, create_app

    key = passphrase()
    db = Database(open_workspace(app.workspace, key), key)
    web = create_app(
        db,
        allowed_hosts=_allowed_hosts(host),
        template_dir=template_dir,
        # The app's writes are audited as they happen; show the head they left.
        on_shutdown=lambda: report_head(db.read(audit_head)),
    )
    if get_path is not None:
        _print_page(web, get_path, as_user, db)
        return
    if not db.read(list_users):
        say("warning: no accounts yet; add one with 'aban user add NAME --role admin'")
    _run(web, host, port)


def _print_page(web: Starlette, path: str, user: str | None, db: Database) -> None:
    from aban.web.local import get_page

    try:
        status, body = get_page(web, path, user)
    finally:
        db.close()
    click.echo(body)
    if status >= 300:
        raise click.ClickException(f"{path}: the app answered {status}")


def _run(web: Starlette, host: str, port: int) -> None:
    import uvicorn

    if host not in LOOPBACK:
        say(
            f"warning: listening on {host}, not only this computer; serve it "
            "behind HTTPS"
        )
    shown = f"[{host}]" if ":" in host else host
    say(f"serving on http://{shown}:{port}/ (Ctrl-C stops)")
    # No access log: URLs carry searched names.
    uvicorn.run(
        web,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        server_header=False,
    )


@cli.group()
def user() -> None:
    """Accounts of the web app ('aban serve') and their roles.

    Roles: viewer (reads persons, never protected fields), reviewer (also decides
    pairs), analyst (also enters records and events), admin (also accounts).
    """


def _new_password() -> str:
    value = os.environ.get("ABAN_USER_PASSWORD")
    if value:
        return value
    if not sys.stdin.isatty():
        raise ConfigError("no password: set ABAN_USER_PASSWORD, or run in a terminal")
    text: str = click.prompt(
        "Password", hide_input=True, confirmation_prompt=True, err=True
    )
    return text


@user.command("add")
@click.argument("name")
@click.option(
    "--role", type=click.Choice(ROLES), required=True, help="What NAME may do."
)
@pass_app
def user_add(app: AppContext, name: str, role: str) -> None:
    """Add the account NAME; its password comes from ABAN_USER_PASSWORD or a prompt.

    \b
    Example:
        aban -w ./aban-2019 user add ana --role reviewer
    """
    password = _new_password()
    with app.open() as ws:
        _, head = add_user(ws, name, role, password)
    say(f"user {name} added ({role})")
    report_head(head)


@user.command("list")
@json_option
@pass_app
def user_list(app: AppContext, as_json: bool) -> None:
    """List the accounts, their roles and whether they are disabled.

    \b
    Example:
        aban -w ./aban-2019 user list
    """
    with app.open() as ws:
        users = list_users(ws.conn)
    if as_json:
        print_json([u.to_dict() for u in users])
        return
    table = Table("name", "role", "state", "created")
    for u in users:
        table.add_row(
            u.name, u.role, "disabled" if u.disabled else "active", u.created_at
        )
    stdout().print(table)


@user.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
@pass_app
def user_role(app: AppContext, name: str, role: str) -> None:
    """Give the account NAME another ROLE.

    \b
    Example:
        aban -w ./aban-2019 user role ana analyst
    """
    with app.open() as ws:
        head = set_role(ws, name, role)
    say(f"user {name} is now {role}")
    report_head(head)


@user.command("disable")
@click.argument("name")
@click.option("--enable", is_flag=True, help="Enable the account again instead.")
@pass_app
def user_disable(app: AppContext, name: str, enable: bool) -> None:
    """Disable the account NAME (signed out at once), or enable it again.

    \b
    Example:
        aban -w ./aban-2019 user disable ana
    """
    with app.open() as ws:
        head = set_disabled(ws, name, not enable)
    say(f"user {name} {'enabled' if enable else 'disabled'}")
    report_head(head)


@user.command("password")
@click.argument("name")
@pass_app
def user_password(app: AppContext, name: str) -> None:
    """Set a new password for NAME (from ABAN_USER_PASSWORD or a prompt).

    \b
    Example:
        aban -w ./aban-2019 user password ana
    """
    password = _new_password()
    with app.open() as ws:
        head = set_password(ws, name, password)
    say(f"user {name}: password changed, signed out everywhere")
    report_head(head)
