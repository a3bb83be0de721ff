"""Accounts in the register (aban.store.users): hashes, roles, audit, sessions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from aban.cli import cli
from aban.errors import ConfigError, StoreError
from aban.store.integrity import verify_register
from aban.store.users import (
    ROLES,
    add_user,
    authenticate,
    get_user,
    list_users,
    role_at_least,
    set_disabled,
    set_password,
    set_role,
)
from aban.store.workspace import Workspace, create_workspace, open_workspace
from aban.web.security import create_session, load_session
from tests.conftest import PASSPHRASE

PASSWORD = "a long test password"


def audit(ws: Workspace) -> list[tuple[str, str, dict[str, object]]]:
    rows = ws.conn.execute("select actor, action, detail from audit order by seq")
    return [(a, b, json.loads(c)) for a, b, c in rows][1:]  # after 'init'


def test_an_account_keeps_an_argon2_hash_never_the_password(
    workspace: Workspace,
) -> None:
    user, head = add_user(workspace, "ana", "reviewer", PASSWORD)
    (stored,) = workspace.conn.execute("select password_hash from users").fetchone()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert (user.name, user.role, user.disabled) == ("ana", "reviewer", False)
    assert audit(workspace) == [("cli", "user-add", {"role": "reviewer", "user_id": 1})]
    assert (
        head
        == workspace.conn.execute(
            "select max(hash) from audit where seq = 2"
        ).fetchone()[0]
    )


def test_authenticate_takes_only_the_right_password_of_an_enabled_account(
    workspace: Workspace,
) -> None:
    add_user(workspace, "ana", "viewer", PASSWORD)
    assert authenticate(workspace.conn, "ana", PASSWORD) is not None
    assert authenticate(workspace.conn, "ANA", PASSWORD) is not None  # names: any case
    assert authenticate(workspace.conn, "ana", PASSWORD + "x") is None
    assert authenticate(workspace.conn, "bob", PASSWORD) is None
    assert authenticate(workspace.conn, "a b", PASSWORD) is None
    assert authenticate(workspace.conn, "ana", "x" * 5000) is None
    set_disabled(workspace, "ana", True)
    assert authenticate(workspace.conn, "ana", PASSWORD) is None
    set_disabled(workspace, "ana", False)
    assert authenticate(workspace.conn, "ana", PASSWORD) is not None


def test_names_roles_and_passwords_are_checked(workspace: Workspace) -> None:
    for name, role, password, message in (
        ("", "viewer", PASSWORD, "a user name must be"),
        ("-x", "viewer", PASSWORD, "a user name must be"),
        ("a" * 65, "viewer", PASSWORD, "a user name must be"),
        ("ana", "boss", PASSWORD, "unknown role: choose one of viewer, reviewer"),
        ("ana", "viewer", "short", "a password must be 10 to 1024 characters long"),
    ):
        with pytest.raises(ConfigError, match=message):
            add_user(workspace, name, role, password)
    add_user(workspace, "ana", "viewer", PASSWORD)
    with pytest.raises(StoreError, match="user Ana exists already"):
        add_user(workspace, "Ana", "viewer", PASSWORD)
    assert [u.name for u in list_users(workspace.conn)] == ["ana"]


def test_roles_are_ordered() -> None:
    assert ROLES == ("viewer", "reviewer", "analyst", "admin", "documenter")
    assert role_at_least("admin", "viewer") and role_at_least("analyst", "reviewer")
    assert not role_at_least("reviewer", "analyst")
    assert not role_at_least("root", "viewer")


def test_changes_are_audited_with_ids_only_and_end_sessions(
    workspace: Workspace,
) -> None:
    user, _ = add_user(workspace, "ana", "viewer", PASSWORD)
    token = create_session(workspace, user)
    assert load_session(workspace.conn, token) is not None
    set_role(workspace, "ana", "analyst")
    session = load_session(workspace.conn, token)
    assert session is not None and session.role == "analyst"  # applies at once
    set_password(workspace, "ana", "another long password")
    assert load_session(workspace.conn, token) is None
    token = create_session(workspace, user)
    set_disabled(workspace, "ana", True)
    assert load_session(workspace.conn, token) is None
    actions = [(a, d) for _, a, d in audit(workspace)]
    assert actions == [
        ("user-add", {"role": "viewer", "user_id": 1}),
        ("web-login", {"user_id": 1}),
        ("user-role", {"role": "analyst", "user_id": 1}),
        ("user-password", {"user_id": 1}),
        ("web-login", {"user_id": 1}),
        ("user-disable", {"user_id": 1}),
    ]
    with pytest.raises(StoreError, match="no user bob"):
        set_role(workspace, "bob", "viewer")
    assert get_user(workspace.conn, "bob") is None


def test_field_documenters_and_two_factor_from_the_command_line(
    tmp_path: Path,
) -> None:
    create_workspace(tmp_path / "ws", PASSPHRASE).close()
    env = {"ABAN_PASSPHRASE": PASSPHRASE, "ABAN_USER_PASSWORD": "a long password 1"}

    def run(*args: str) -> Any:
        return CliRunner().invoke(cli, ["-w", str(tmp_path / "ws"), *args], env=env)

    added = run("user", "add", "dana", "--role", "documenter")
    assert added.exit_code == 0, added.output
    assert added.output.startswith("user dana added (documenter)\n")
    required = run("user", "two-factor", "dana", "require")
    assert required.output.startswith("user dana: two-factor sign-in required\n")
    waived = run("user", "two-factor", "dana", "waive")
    assert waived.output.startswith("user dana: two-factor sign-in not required\n")
    reset = run("user", "two-factor", "dana", "reset")
    assert reset.output.startswith("user dana: two-factor sign-in reset\n")
    missing = run("user", "two-factor", "ghost", "require")
    assert (missing.exit_code, missing.output) == (
        1,
        "Error: no user ghost; 'aban user list' shows the accounts\n",
    )


def _as_before_migration_17(path: Path, user_id: int) -> None:
    """Take a register back to its schema before migration 17 (as written then),
    with a session of ``user_id``."""
    with open_workspace(path, PASSPHRASE) as ws:
        conn = ws.conn
        conn.execute("pragma foreign_keys = off")
        for statement in (
            "drop table user_totp",
            "drop table import_actors",
            "alter table web_sessions drop column last_seen_at",
            "create table users_old (id integer primary key, "
            "name text not null unique collate nocase, role text not null "
            "check (role in ('admin', 'analyst', 'reviewer', 'viewer')), "
            "password_hash text not null, disabled integer not null default 0, "
            "created_at text not null)",
            "insert into users_old select * from users",
            "drop table users",
            "alter table users_old rename to users",
            "delete from _migrations where id = 17",
        ):
            conn.execute(statement)
        conn.execute(
            "insert into web_sessions (token_sha256, user_id, csrf, created_at, "
            "expires_at) values ('x', ?, 'c', '2020-01-01', '2999-01-01')",
            (user_id,),
        )
        conn.commit()


def test_migration_17_keeps_accounts_and_ends_sessions(workspace: Workspace) -> None:
    user, _ = add_user(workspace, "ana", "reviewer", PASSWORD)
    path = workspace.path
    workspace.conn.close()
    _as_before_migration_17(path, user.id)
    with open_workspace(path, PASSPHRASE) as ws:  # migrates
        assert list_users(ws.conn) == [user]
        assert ws.conn.execute("select count(*) from web_sessions").fetchone() == (0,)
        assert verify_register(ws.conn).ok
        set_role(ws, "ana", "documenter")
        assert get_user(ws.conn, "ana").role == "documenter"  # type: ignore[union-attr]
        assert verify_register(ws.conn).ok
