"""Accounts of the web app (``aban serve``): names, roles and argon2 password hashes.

Roles, each with everything the one before it may do:

* ``viewer``: reads persons and records, never their protected fields;
* ``reviewer``: also decides pairs of the review queue;
* ``analyst``: also enters records and detention events;
* ``admin``: also manages accounts.

Beside them, off that ladder, ``documenter`` (a documenter in the field) enters
records and sees only the records it entered (their import's actor is its name):
no other record, no person, no review, no export. It may do nothing the other
roles may, and they may do nothing only it may.

Passwords are stored only as argon2id hashes (argon2-cffi's defaults, RFC 9106).
Every change is one transaction with its audit entry, whose detail holds the user's
row id and role, never a password or hash.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from aban.errors import ConfigError, StoreError
from aban.store.db import Connection, transaction
from aban.store.workspace import Workspace, now

Role = Literal["documenter", "viewer", "reviewer", "analyst", "admin"]
#: The roles of the ladder, from least to most allowed.
LADDER: tuple[Role, ...] = ("viewer", "reviewer", "analyst", "admin")
#: Every role: the ladder, then the field documenter (off the ladder).
ROLES: tuple[Role, ...] = (*LADDER, "documenter")
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
#: The hasher; tests may swap in a cheaper one.
HASHER = PasswordHasher()


@dataclass(frozen=True)
class User:
    """An account as stored (never its password hash)."""

    id: int
    name: str
    role: Role
    disabled: bool
    created_at: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def role_at_least(role: str, needed: Role) -> bool:
    """Whether ``role`` may do what ``needed`` may (the ladder is ordered; a
    documenter is on it neither above nor below anyone)."""
    if role == "documenter" or needed == "documenter":
        return role == needed
    return role in LADDER and LADDER.index(role) >= LADDER.index(needed)


def check_user_name(name: str) -> str:
    """Return ``name`` if it can name an account, else raise ConfigError."""
    if not _NAME.match(name):
        raise ConfigError(
            "a user name must be 1-64 letters, digits, dots, hyphens or underscores, "
            "starting with a letter or digit"
        )
    return name


def check_role(role: str) -> Role:
    """Return ``role`` if it is a role, else raise ConfigError."""
    if role not in ROLES:
        raise ConfigError(f"unknown role: choose one of {', '.join(ROLES)}")
    return role


def check_password(password: str) -> str:
    """Return ``password`` if long enough (and not absurdly long), else raise."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise ConfigError(
            f"a password must be {MIN_PASSWORD} to {MAX_PASSWORD} characters long"
        )
    return password


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (with a random salt)."""
    return HASHER.hash(check_password(password))


def _user(row: tuple[Any, ...]) -> User:
    user_id, name, role, disabled, created = row
    return User(int(user_id), str(name), role, bool(disabled), str(created))


_SELECT = "select id, name, role, disabled, created_at from users"


def list_users(conn: Connection) -> list[User]:
    """Every account, by name."""
    return [_user(r) for r in conn.execute(f"{_SELECT} order by name collate nocase")]


def get_user(conn: Connection, name: str) -> User | None:
    """The account called ``name`` (any case), or None."""
    row = conn.execute(f"{_SELECT} where name = ?", (name,)).fetchone()
    return None if row is None else _user(row)


def add_user(ws: Workspace, name: str, role: str, password: str) -> tuple[User, str]:
    """Create an account and audit it.

    Returns:
        The account and the new audit head.

    Raises:
        ConfigError: the name, role or password is not acceptable.
        StoreError: an account of this name exists already.
    """
    name, checked = check_user_name(name), check_role(role)
    digest = hash_password(password)
    with transaction(ws.conn):
        if get_user(ws.conn, name) is not None:
            raise StoreError(f"user {name} exists already; choose another name")
        cursor = ws.conn.execute(
            "insert into users (name, role, password_hash, created_at) "
            "values (?, ?, ?, ?)",
            (name, checked, digest, now()),
        )
        user_id = int(cursor.lastrowid)
        head = ws.record_audit("user-add", {"user_id": user_id, "role": checked})
    user = get_user(ws.conn, name)
    assert user is not None  # inserted just above
    return user, head


def _change(ws: Workspace, name: str, column: str, value: Any, action: str) -> str:
    """Set one column of an account, audited; a disabled account is signed out."""
    if column not in ("role", "disabled"):
        raise ValueError("not a column an account change may set")
    with transaction(ws.conn):
        user = get_user(ws.conn, name)
        if user is None:
            raise StoreError(f"no user {name}; 'aban user list' shows the accounts")
        # The column name comes from the fixed pair checked above, never from input.
        ws.conn.execute(f"update users set {column} = ? where id = ?", (value, user.id))
        if column == "disabled" and value:
            ws.conn.execute("delete from web_sessions where user_id = ?", (user.id,))
        detail: dict[str, Any] = {"user_id": user.id}
        if column == "role":
            detail["role"] = value
        return ws.record_audit(action, detail)


def set_role(ws: Workspace, name: str, role: str) -> str:
    """Give the account ``name`` another role; return the audit head.

    Raises:
        ConfigError: not a role.
        StoreError: no such account.
    """
    return _change(ws, name, "role", check_role(role), "user-role")


def set_disabled(ws: Workspace, name: str, disabled: bool) -> str:
    """Disable (signing it out everywhere) or enable an account; return the head.

    Raises:
        StoreError: no such account.
    """
    action = "user-disable" if disabled else "user-enable"
    return _change(ws, name, "disabled", int(disabled), action)


def set_password(ws: Workspace, name: str, password: str) -> str:
    """Set a new password for ``name`` (its sessions end); return the audit head."""
    digest = hash_password(password)
    with transaction(ws.conn):
        user = get_user(ws.conn, name)
        if user is None:
            raise StoreError(f"no user {name}; 'aban user list' shows the accounts")
        ws.conn.execute(
            "update users set password_hash = ? where id = ?", (digest, user.id)
        )
        ws.conn.execute("delete from web_sessions where user_id = ?", (user.id,))
        return ws.record_audit("user-password", {"user_id": user.id})


# Checked when the name is unknown, so that a wrong name takes as long as a wrong
# password and response times do not reveal which accounts exist.
_DUMMY_HASH: list[str] = []


def credentials(conn: Connection, name: str) -> tuple[User, str] | None:
    """The account ``name`` and its password hash, or None (no such account)."""
    if not _NAME.match(name):
        return None
    row = conn.execute(
        "select id, name, role, disabled, created_at, password_hash "
        "from users where name = ?",
        (name,),
    ).fetchone()
    return None if row is None else (_user(row[:5]), str(row[5]))


def check_credentials(found: tuple[User, str] | None, password: str) -> User | None:
    """The account if ``password`` matches its hash and it is enabled, else None.

    Slow on purpose (argon2): call it without holding a connection.
    """
    if found is None or len(password) > MAX_PASSWORD:
        if not _DUMMY_HASH:
            _DUMMY_HASH.append(HASHER.hash("not a password of anyone"))
        _verify(_DUMMY_HASH[0], password[:MAX_PASSWORD])
        return None
    user, digest = found
    if not _verify(digest, password) or user.disabled:
        return None
    return user


def authenticate(conn: Connection, name: str, password: str) -> User | None:
    """The enabled account ``name`` if ``password`` is its password, else None."""
    return check_credentials(credentials(conn, name), password)


def _verify(digest: str, password: str) -> bool:
    try:
        return bool(HASHER.verify(digest, password))
    except (VerificationError, InvalidHashError):
        return False
