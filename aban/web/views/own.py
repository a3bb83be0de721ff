"""A field documenter's own records: which they are, and the list of them.

A record is a user's own when the import that wrote its current version was that
user's (``import_actors``, the audit actor of the import: the signed-in user for
a record entered in the app). A field documenter sees only those: no other
record, no person page (the person a record belongs to shows only as far as the
record does), no review, no export.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from aban.store.db import Connection
from aban.store.rows import records_where
from aban.web.auth import guard
from aban.web.context import Ctx

#: The condition on ``r`` that a record is the actor's own (one ``?``).
OWN = (
    "exists (select 1 from import_actors a where a.import_id = r.import_id "
    "and a.actor = ?)"
)
#: Records the list shows at most (newest first).
LIST_LIMIT = 500
_LISTED = (
    "id",
    "source",
    "record_id",
    "full_name",
    "given_name",
    "family_name",
    "date_of_death",
    "status",
)


def is_own_record(conn: Connection, row_id: int, actor: str) -> bool:
    """Whether the live record ``row_id`` was written by ``actor``."""
    return bool(records_where(conn, f"r.id = ? and {OWN}", (row_id, actor)))


def own_records(conn: Connection, actor: str) -> list[dict[str, Any]]:
    """The live records ``actor`` wrote, newest first."""
    return records_where(
        conn, OWN, (actor,), select=_LISTED, order_by="r.id desc", limit=LIST_LIMIT
    )


def own_sources(conn: Connection, actor: str) -> list[str]:
    """The names of the sources ``actor`` wrote records of, sorted."""
    return [
        str(name)
        for (name,) in conn.execute(
            "select distinct s.name from imports i join sources s on s.id = "
            "i.source_id join import_actors a on a.import_id = i.id "
            "where a.actor = ? order by s.name",
            (actor,),
        )
    ]


@guard("analyst", documenter=True)
async def own_records_page(ctx: Ctx) -> Response:
    """GET /records/mine: the records the signed-in user entered."""
    records = await ctx.read(own_records, ctx.user.name)
    return ctx.render("own_records.html", records=records, limit=LIST_LIMIT)
