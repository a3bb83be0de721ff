"""Two-factor sign-in of the web app's accounts: the rows of ``user_totp``.

Each account may have a TOTP secret (RFC 6238, base32), kept only inside the
encrypted register and never in a message, log or audit detail; an admin may
require two-factor sign-in of an account (or the setting ``serve_two_factor`` of
every account). ``last_step`` is the time step of the last code that signed in:
a code serves once (:func:`use_step`). Every change but ``last_step`` is one
transaction with its audit entry, whose detail holds the account's row id only.
"""

from __future__ import annotations

from dataclasses import dataclass

from aban.errors import StoreError
from aban.store.db import Connection, transaction
from aban.store.users import get_user
from aban.store.workspace import Workspace, now


@dataclass(frozen=True)
class TwoFactor:
    """An account's two-factor state (its secret apart)."""

    enrolled: bool
    required: bool


def two_factor(conn: Connection, user_id: int) -> TwoFactor:
    """Whether ``user_id`` has a confirmed secret, and whether it is required."""
    row = conn.execute(
        "select secret is not null, required from user_totp where user_id = ?",
        (user_id,),
    ).fetchone()
    return TwoFactor(False, False) if row is None else TwoFactor(*map(bool, row))


def two_factor_by_user(conn: Connection) -> dict[int, TwoFactor]:
    """Every account's two-factor state that is not the default, by row id."""
    return {
        int(user_id): TwoFactor(bool(enrolled), bool(required))
        for user_id, enrolled, required in conn.execute(
            "select user_id, secret is not null, required from user_totp"
        )
    }


def totp_secret(conn: Connection, user_id: int) -> tuple[str, int | None] | None:
    """The account's secret and last used time step, or None (not enrolled)."""
    row = conn.execute(
        "select secret, last_step from user_totp where user_id = ? "
        "and secret is not null",
        (user_id,),
    ).fetchone()
    return None if row is None else (str(row[0]), row[1])


def _upsert(ws: Workspace, user_id: int, column: str, value: object) -> None:
    if column not in ("secret", "required"):
        raise ValueError("not a column a two-factor change may set")
    ws.conn.execute(
        "insert into user_totp (user_id) values (?) on conflict do nothing",
        (user_id,),
    )
    # The column name comes from the fixed pair checked above, never from input.
    ws.conn.execute(
        f"update user_totp set {column} = ? where user_id = ?", (value, user_id)
    )


def enrol(ws: Workspace, user_id: int, secret: str, step: int) -> str:
    """Store the account's confirmed secret (a new one replaces the old), with the
    step of the code that confirmed it as used; return the audit head."""
    with transaction(ws.conn):
        _upsert(ws, user_id, "secret", secret)
        ws.conn.execute(
            "update user_totp set enrolled_at = ?, last_step = ? where user_id = ?",
            (now(), step, user_id),
        )
        return ws.record_audit("user-two-factor-enrol", {"user_id": user_id})


def use_step(ws: Workspace, user_id: int, step: int) -> bool:
    """Mark ``step`` used, if it is later than the last used one (one statement,
    so two sign-ins racing with one code cannot both win)."""
    with transaction(ws.conn):
        cursor = ws.conn.execute(
            "update user_totp set last_step = ? where user_id = ? and secret is not "
            "null and (last_step is null or last_step < ?)",
            (step, user_id, step),
        )
    return int(cursor.rowcount) == 1


def set_two_factor(ws: Workspace, name: str, change: str) -> str:
    """Require two-factor sign-in of ``name`` (``require``), stop requiring it
    (``waive``), or forget its secret (``reset``: a lost phone; it enrols again
    at its next sign-in if required). Its sessions end on ``reset``.

    Returns:
        The audit head.

    Raises:
        StoreError: no such account.
        ValueError: not one of the three changes.
    """
    if change not in ("require", "waive", "reset"):
        raise ValueError("not a two-factor change")
    with transaction(ws.conn):
        user = get_user(ws.conn, name)
        if user is None:
            raise StoreError(f"no user {name}; 'aban user list' shows the accounts")
        if change == "reset":
            _upsert(ws, user.id, "secret", None)
            ws.conn.execute(
                "update user_totp set enrolled_at = null, last_step = null "
                "where user_id = ?",
                (user.id,),
            )
            ws.conn.execute("delete from web_sessions where user_id = ?", (user.id,))
        else:
            _upsert(ws, user.id, "required", int(change == "require"))
        return ws.record_audit(f"user-two-factor-{change}", {"user_id": user.id})
