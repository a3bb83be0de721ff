"""The home page (register counts) and the persons list with its search."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from starlette.responses import JSONResponse, Response

from aban.store.db import Connection
from aban.store.rows import count_persons, persons_where
from aban.store.status import register_status
from aban.text import normalise_name
from aban.text.transliterate import NameLexicon
from aban.vocab.canonical import display_name, name_in_script
from aban.vocab.grades import GRADES
from aban.vocab.ids import parse_person_id
from aban.web.auth import guard
from aban.web.context import Ctx
from aban.web.search import NameIndex

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


def _like_persons(conn: Connection, key: str) -> set[int]:
    """Persons with a record whose name (or father's name) holds ``key`` as written."""
    tests = " or ".join(f"r.{c} like ? escape '\\'" for c in _NAME_COLUMNS)
    rows = conn.execute(
        "select distinct pr.person_id from person_records pr "
        f"join live_records r on r.id = pr.record_id where {tests}",
        [_like(key)] * len(_NAME_COLUMNS),
    )
    return {int(row) for (row,) in rows}


def _where(
    conn: Connection, query: str, grade: str, index: NameIndex
) -> tuple[str | None, list[Any]]:
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
        # Names only: searching other fields would let a viewer probe protected
        # ones. A name in either script (issue 18: "Hosseini" found 1 of 7 حسینی),
        # or any part of a name as written.
        found = index.persons(conn, query, _like_persons(conn, normalise_name(query)))
        clauses.append("p.id in (select value from json_each(?))")
        params.append(json.dumps(sorted(found)))
    return " and ".join(clauses) or None, params


def names_in_both_scripts(
    values: dict[str, Any], lexicon: NameLexicon
) -> tuple[dict[str, str | None], str | None]:
    """A person's name in Latin and in Persian letters, and which of the two is a
    transliteration (no source wrote the name in that script), as the site shows
    names (:mod:`aban.text.transliterate`)."""
    latin = name_in_script(values, "latin")
    persian = name_in_script(values, "persian")
    made = None
    if latin and not persian:
        persian, made = lexicon.persian(latin), "persian"
    elif persian and not latin:
        latin, made = lexicon.latin(persian), "latin"
    return {"latin": latin, "persian": persian}, made


def _row(person: dict[str, Any], lexicon: NameLexicon) -> dict[str, Any]:
    values = person["canonical"]
    fields = values.get("fields", {})
    shown = {f: fields[f]["value"] for f in LIST_FIELDS if f in fields}
    names, made = names_in_both_scripts(values, lexicon)
    return {
        "person_id": person["person_id"],
        "name": display_name(values),
        "names": names,
        "transliterated": made,
        "grade": person["grade"],
        "identification": person["identification"],
        **{f: shown.get(f) for f in LIST_FIELDS},
    }


def search_persons(
    conn: Connection,
    query: str,
    grade: str,
    page: int,
    index: NameIndex | None = None,
) -> PersonsPage:
    """The persons with a name that matches ``query`` in either script (or with
    that person id), by id.

    Args:
        conn: the register.
        query: a name or part of one (either script: :mod:`aban.web.search`) or
            a person id; empty for everyone.
        grade: only persons of this grade (ignored when not a grade).
        page: the page number (1-based; clamped to the pages there are).
        index: the app's name index (a new one, built here, when None).
    """
    index = index or NameIndex()
    where, params = _where(conn, query, grade, index)
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
    return PersonsPage([_row(p, index.lexicon) for p in persons], total, page, pages)


def _page_number(text: str) -> int:
    return int(text) if text.isdigit() and len(text) < 9 else 1


async def _search(ctx: Ctx) -> PersonsPage:
    params = ctx.request.query_params
    query, grade = params.get("q", "")[:200], params.get("grade", "")
    return await ctx.read(
        search_persons,
        query,
        grade,
        _page_number(params.get("page", "1")),
        ctx.state.names,
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
