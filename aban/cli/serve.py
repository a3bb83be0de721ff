"""``aban serve`` (the team's web app) and ``aban user`` (its accounts)."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.table import Table

from aban.cli import AppContext, cli, passphrase
from aban.cli.output import json_option, print_json, report_head, say, stdout
from aban.config import load_settings
from aban.errors import ConfigError
from aban.store.audit import head as audit_head
from aban.store.two_factor import set_two_factor
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
    from aban.web.serving import ServePlan

pass_app = click.make_pass_decorator(AppContext)


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
    "--tls-cert",
    type=click.Path(dir_okay=False, exists=True, resolve_path=True),
    help="Speak HTTPS with this certificate (PEM; setting serve_tls_cert).",
)
@click.option(
    "--tls-key",
    type=click.Path(dir_okay=False, exists=True, resolve_path=True),
    help="The certificate's unencrypted private key (PEM; setting serve_tls_key).",
)
@click.option(
    "--behind-tls-proxy",
    is_flag=True,
    help="An HTTPS proxy is in front: listen off loopback, cookies Secure.",
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="A host name to answer to besides this computer's (setting serve_hosts).",
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
    tls_cert: str | None,
    tls_key: str | None,
    behind_tls_proxy: bool,
    allow_hosts: tuple[str, ...],
    get_path: str | None,
    as_user: str | None,
    template_dir: Path | None,
) -> None:
    """Serve the team's web app: review, persons, entry, linking, corrections.

    Accounts come from 'aban user add'. The app listens on 127.0.0.1 only. To
    listen elsewhere it must speak HTTPS (--tls-cert and --tls-key) or stand
    behind an HTTPS proxy (--behind-tls-proxy); on every interface (0.0.0.0) it
    also needs the host names it answers to (--allow-host). X-Forwarded-For is
    believed only from the proxy in the setting serve_trusted_proxy. Ctrl-C stops
    it.

    \b
    Example:
        aban -w ./aban-2019 serve --port 8000
        aban -w ./aban-2019 serve --get /persons --as ana
        aban -w ./aban-2019 serve --host 0.0.0.0 --allow-host aban.lan \\
            --tls-cert cert.pem --tls-key key.pem
    """
    from aban.web import Database, create_app
    from aban.web.serving import bind_socket, plan_serving

    flags = {"serve_tls_cert": tls_cert, "serve_tls_key": tls_key}
    overrides: dict[str, str] = {k: v for k, v in flags.items() if v is not None}
    if allow_hosts:
        overrides["serve_hosts"] = ",".join(allow_hosts)
    settings = load_settings(app.workspace, overrides)
    plan = plan_serving(
        settings, app.workspace, host, port, behind_tls_proxy=behind_tls_proxy
    )
    # The port before anything else: a busy one stops here, before the register
    # is opened (issue 18: it said "serving on ..." and then failed).
    sock = None if get_path is not None else bind_socket(plan)
    key = passphrase()
    db = Database(open_workspace(app.workspace, key), key)
    web = create_app(
        db,
        allowed_hosts=plan.allowed_hosts,
        template_dir=template_dir,
        # The app's writes are audited as they happen; show the head they left.
        on_shutdown=lambda: report_head(db.read(audit_head)),
        secure_cookies=plan.secure_cookies,
    )
    if sock is None:
        _print_page(web, get_path or "/", as_user, db)
        return
    if not db.read(list_users):
        say("warning: no accounts yet; add one with 'aban user add NAME --role admin'")
    _run(web, plan, sock)


def _print_page(web: Starlette, path: str, user: str | None, db: Database) -> None:
    from aban.web.local import get_page

    try:
        status, body = get_page(web, path, user)
    finally:
        db.close()
    click.echo(body)
    if status >= 300:
        raise click.ClickException(f"{path}: the app answered {status}")


def _run(web: Starlette, plan: ServePlan, sock: socket.socket) -> None:
    import uvicorn

    from aban.web.serving import is_loopback

    if not is_loopback(plan.host):
        say(
            f"listening on {plan.host}: other computers can reach it, as "
            + ", ".join(n for n in plan.allowed_hosts if not is_loopback(n))
        )
    say(f"serving on {plan.url} (Ctrl-C stops)")
    options = plan.uvicorn_options()
    del options["host"], options["port"]  # the socket is bound already
    server = uvicorn.Server(uvicorn.Config(web, **options))
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    if not server.started:
        raise click.ClickException("the web app did not start; see the lines above")


@cli.group()
def user() -> None:
    """Accounts of the web app ('aban serve') and their roles.

    Roles: viewer (reads persons, never protected fields), reviewer (also decides
    pairs), analyst (also enters records and events, imports lists), admin (also
    accounts); and documenter, a documenter in the field, who enters records and
    sees only the records it entered (no person, review or export).
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


@user.command("two-factor")
@click.argument("name")
@click.argument("change", type=click.Choice(("require", "waive", "reset")))
@pass_app
def user_two_factor(app: AppContext, name: str, change: str) -> None:
    """Require two-factor sign-in (TOTP codes) of NAME, stop requiring it (waive),
    or forget its secret (reset: a lost phone; NAME is signed out, and enrols
    again at its next sign-in if required). Users enrol from their own page in
    the app; the setting serve_two_factor = "required" requires it of everyone.

    \b
    Example:
        aban -w ./aban-2019 user two-factor ana require
    """
    with app.open() as ws:
        head = set_two_factor(ws, name, change)
    said = {"require": "required", "waive": "not required", "reset": "reset"}
    say(f"user {name}: two-factor sign-in {said[change]}")
    report_head(head)
