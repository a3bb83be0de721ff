"""The home page (register counts) and the persons list with its search."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from starlette.responses import JSONResponse, Response

from aban.store.db import Connection
from aban.store.rows import count_persons, persons_where
from aban.store.status import register_status
from aban.text import normalise_name
from aban.vocab.canonical import display_name
from aban.vocab.grades import GRADES
from aban.vocab.ids import parse_person_id
from aban.web.auth import guard
from aban.web.context import Ctx

PAGE_SIZE = 50
_NAME_COLUMNS = (
    "full_name_norm",
    "given_name_norm",
    "family_name_norm",
    "father_name_norm",
)
#: Canonical fields the list shows (none of them protected).
LIST_FIELDS = ("status", "date_of_death", "city", "province")


@dataclass(frozen=True)
class PersonsPage:
    """One page of the persons list."""

    rows: list[dict[str, Any]]
    total: int
    page: int
    pages: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _where(query: str, grade: str) -> tuple[str | None, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if grade in GRADES:
        clauses.append("p.grade = ?")
        params.append(grade)
    query = query.strip()
    person_id = parse_person_id(query) if query else None
    if person_id is not None:
        clauses.append("p.person_id = ?")
        params.append(person_id)
    elif query:
        # Names only: searching other fields would let a viewer probe protected ones.
        key = normalise_name(query)
        tests = " or ".join(f"r.{c} like ? escape '\\'" for c in _NAME_COLUMNS)
        clauses.append(
            "p.id in (select pr.person_id from person_records pr "
            f"join live_records r on r.id = pr.record_id where {tests})"
        )
        params.extend([_like(key)] * len(_NAME_COLUMNS))
    return " and ".join(clauses) or None, params


def _row(person: dict[str, Any]) -> dict[str, Any]:
    values = person["canonical"]
    fields = values.get("fields", {})
    shown = {f: fields[f]["value"] for f in LIST_FIELDS if f in fields}
    return {
        "person_id": person["person_id"],
        "name": display_name(values),
        "grade": person["grade"],
        "identification": person["identification"],
        **{f: shown.get(f) for f in LIST_FIELDS},
    }


def search_persons(conn: Connection, query: str, grade: str, page: int) -> PersonsPage:
    """The persons whose names contain ``query`` (or with that person id), by id.

    Args:
        conn: the register.
        query: part of a name (any script) or a person id; empty for everyone.
        grade: only persons of this grade (ignored when not a grade).
        page: the page number (1-based; clamped to the pages there are).
    """
    where, params = _where(query, grade)
    total = count_persons(conn, where, params)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    persons = persons_where(
        conn,
        where,
        params,
        select=("person_id", "canonical", "grade", "identification"),
        order_by="p.person_id",
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    return PersonsPage([_row(p) for p in persons], total, page, pages)


def _page_number(text: str) -> int:
    return int(text) if text.isdigit() and len(text) < 9 else 1


async def _search(ctx: Ctx) -> PersonsPage:
    params = ctx.request.query_params
    query, grade = params.get("q", "")[:200], params.get("grade", "")
    return await ctx.read(
        search_persons, query, grade, _page_number(params.get("page", "1"))
    )


@guard("viewer")
async def persons_page(ctx: Ctx) -> Response:
    """GET /persons: the persons list, searched by name or id, filtered by grade."""
    found = await _search(ctx)
    params = ctx.request.query_params
    return ctx.render(
        "persons.html",
        found=found,
        q=params.get("q", "")[:200],
        grade=params.get("grade", ""),
        grades=GRADES,
        list_fields=LIST_FIELDS,
    )


@guard("viewer", api=True)
async def persons_json(ctx: Ctx) -> Response:
    """GET /api/persons: the persons list as JSON (same parameters)."""
    return JSONResponse({"ok": True, **(await _search(ctx)).to_dict()})


@guard("viewer")
async def home_page(ctx: Ctx) -> Response:
    """GET /: what the register holds."""
    status = await ctx.read(register_status)
    return ctx.render("home.html", counts=status, grades=GRADES)
