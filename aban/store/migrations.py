"""Numbered schema migrations, recorded in the register's ``_migrations`` table.

Each migration is a function registered with :func:`migration`; :func:`migrate` applies
the ones not yet recorded, in order, each inside its own transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from importlib import resources

from aban.store.db import Connection, transaction

Migration = Callable[[Connection], None]
MIGRATIONS: dict[int, tuple[str, Migration]] = {}


def migration(number: int, name: str) -> Callable[[Migration], Migration]:
    """Register ``fn`` as migration ``number``."""

    def register(fn: Migration) -> Migration:
        if number in MIGRATIONS:
            raise ValueError(f"migration {number} is registered twice")
        MIGRATIONS[number] = (name, fn)
        return fn

    return register


@migration(1, "initial schema")
def _initial(conn: Connection) -> None:
    ddl = resources.files("aban.store").joinpath("schema.sql").read_text("utf-8")
    lines = [line for line in ddl.splitlines() if not line.lstrip().startswith("--")]
    for statement in "\n".join(lines).split(";"):
        if statement.strip():
            conn.execute(statement)


def applied(conn: Connection) -> list[int]:
    """Numbers of the migrations already applied to this register."""
    conn.execute(
        "create table if not exists _migrations "
        "(id integer primary key, name text not null, applied_at text not null)"
    )
    return [row[0] for row in conn.execute("select id from _migrations order by id")]


def migrate(conn: Connection) -> list[int]:
    """Apply every pending migration; return the numbers applied now."""
    done = set(applied(conn))
    now_applied = []
    for number in sorted(MIGRATIONS):
        if number in done:
            continue
        name, fn = MIGRATIONS[number]
        with transaction(conn):
            fn(conn)
            conn.execute(
                "insert into _migrations (id, name, applied_at) values (?, ?, ?)",
                (number, name, dt.datetime.now(dt.UTC).isoformat(timespec="seconds")),
            )
        now_applied.append(number)
    return now_applied
