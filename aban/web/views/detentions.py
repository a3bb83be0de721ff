"""The detentions page (cases by urgency, filtered) and one case's page.

``/detentions`` lists the register's detention cases as of a date, most urgent
first (:meth:`aban.detention.cases.Case.urgency`: a standing death sentence, then
whereabouts denied or unknown, incommunicado, no news), with who each is about,
the current status, the days since the last news and the alerts; filters narrow
it by status, urgency (an alert kind, or any alert) and place (in either script:
``Tehran`` finds ``تهران``). ``/detentions/{person_id}`` shows one person's case:
the dated history with its sources, conflicts and alerts as of a date.

Who may see them: reviewers and above (the issue's rule for the new pages: a
viewer reaches none of them). Names are shown to everyone who reaches the pages,
as on the person pages (names are not protected fields); protected sources and
their notes are hidden from anyone who does not see protected fields, by the
person page's own rules (:mod:`aban.web.redact`). ``/api/detentions`` answers
the list as JSON, with the keys of ``aban detentions --json`` for each case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response

from aban.detention.alerts import ALERT_KINDS, AlertSettings
from aban.detention.cases import NO_NAME, Case
from aban.detention.register import case_names, detention_cases
from aban.detention.vocab import STATUSES
from aban.site.search import place_keys
from aban.store.db import Connection
from aban.store.rows import persons_where
from aban.text import normalise_name
from aban.text.dates import DateError, parse_date
from aban.vocab.ids import parse_person_id
from aban.web.auth import guard
from aban.web.context import Ctx
from aban.web.redact import conflicts_view, history_view, source_name
from aban.web.views.person import protected_sources

PAGE_SIZE = 100
#: The urgency filter's values: any alert, or one alert kind.
URGENCIES = ("any", *ALERT_KINDS)


@dataclass(frozen=True)
class Filters:
    """What the detentions page is asked for (each checked; bad values ignored)."""

    as_of: dt.date
    status: str = ""
    urgency: str = ""
    place: str = ""
    page: int = 1

    def query(self, **changed: Any) -> dict[str, str]:
        """The filters as query parameters (``changed`` replaced)."""
        values = {
            "as_of": self.as_of.isoformat(),
            "status": self.status,
            "urgency": self.urgency,
            "place": self.place,
            "page": str(self.page),
        }
        values.update({k: str(v) for k, v in changed.items()})
        return {k: v for k, v in values.items() if v and not (k == "page" and v == "1")}


def read_filters(params: Any, today: dt.date) -> Filters:
    """The filters from a request's query parameters."""
    text = str(params.get("as_of", ""))[:40].strip()
    try:
        as_of = parse_date(text) if text else None
    except DateError:
        as_of = None
    status = params.get("status", "")
    urgency = params.get("urgency", "")
    page = params.get("page", "1")
    return Filters(
        as_of=as_of or today,
        status=status if status in STATUSES else "",
        urgency=urgency if urgency in URGENCIES else "",
        place=str(params.get("place", ""))[:100].strip(),
        page=int(page) if page.isdigit() and len(page) < 7 else 1,
    )


def _places(case: Case) -> set[str]:
    found = {case.facets.arrest_place, case.facets.facility}
    found |= {e.place for e in case.history.entries}
    return {p for p in found if p}


def _place_matches(case: Case, wanted: str) -> bool:
    """Whether the case was at a place whose name holds ``wanted`` or, when
    ``wanted`` is a city the gazetteer knows, its name in either script or a
    known variant (``تهران`` finds ``Greater Tehran Central Penitentiary``)."""
    keys = place_keys(wanted)
    if not keys:
        return True
    for place in _places(case):
        plain = normalise_name(place).replace(" ", "")
        known = place_keys(place)
        if any(k in plain or any(p.startswith(k) for p in known) for k in keys):
            return True
    return False


def _kept(case: Case, filters: Filters) -> bool:
    if filters.status and case.status != filters.status:
        return False
    kinds = {a.kind for a in case.alerts}
    if filters.urgency == "any" and not kinds:
        return False
    if filters.urgency not in ("", "any") and filters.urgency not in kinds:
        return False
    return not filters.place or _place_matches(case, filters.place)


def _days(since: dt.date | None, as_of: dt.date) -> int | None:
    return (as_of - since).days if since is not None else None


def case_row(case: Case, as_of: dt.date) -> dict[str, Any]:
    """What the list shows of a case (no history)."""
    data = case.to_dict()
    del data["history"]
    data["days_since_news"] = _days(case.history.last_event, as_of)
    return data


@dataclass(frozen=True)
class DetentionsPage:
    """One page of the detentions list, with the counts of the whole register."""

    as_of: dt.date
    settings: AlertSettings
    rows: list[dict[str, Any]]
    total: int
    matched: int
    alerts: dict[str, int]
    page: int
    pages: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "settings": {
                "incommunicado_days": self.settings.incommunicado_days,
                "no_news_days": self.settings.no_news_days,
            },
            "counts": {"cases": self.total, "matched": self.matched},
            "alerts": self.alerts,
            "page": self.page,
            "pages": self.pages,
            "cases": self.rows,
        }


def detentions_page_data(
    conn: Connection, filters: Filters, settings: AlertSettings
) -> DetentionsPage:
    """The cases as of the filters' date that pass them, one page, with names."""
    cases = detention_cases(conn, filters.as_of, settings)
    alerts = dict.fromkeys(ALERT_KINDS, 0)
    for case in cases:
        for alert in case.alerts:
            alerts[alert.kind] += 1
    kept = [c for c in cases if _kept(c, filters)]
    pages = max(1, -(-len(kept) // PAGE_SIZE))
    page = min(filters.page, pages)
    shown = kept[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    names = case_names(conn, shown)
    rows = []
    for case in shown:
        row = case_row(case, filters.as_of)
        row.update(names.get(case.key, NO_NAME).to_dict())
        rows.append(row)
    return DetentionsPage(
        filters.as_of, settings, rows, len(cases), len(kept), alerts, page, pages
    )


def _redacted(rows: list[dict[str, Any]], protected: set[str], sees: bool) -> None:
    for row in rows:
        row["conflicts"] = conflicts_view(row["conflicts"], protected, sees)
        row["records"] = [
            {**r, "source": source_name(r["source"], protected, sees)}
            for r in row["records"]
        ]


async def _list(ctx: Ctx) -> tuple[Filters, DetentionsPage]:
    filters = read_filters(ctx.request.query_params, dt.date.today())
    found = await ctx.read(detentions_page_data, filters, ctx.state.alerts)
    protected = await ctx.read(protected_sources)
    _redacted(found.rows, protected, ctx.sees_protected)
    return filters, found


@guard("reviewer")
async def detentions_page(ctx: Ctx) -> Response:
    """GET /detentions: the cases by urgency, with their filters."""
    filters, found = await _list(ctx)
    return ctx.render(
        "detentions.html",
        filters=filters,
        found=found,
        statuses=STATUSES,
        urgencies=URGENCIES,
        script="persian" if ctx.words.lang == "fa" else "latin",
    )


@guard("reviewer", api=True)
async def detentions_json(ctx: Ctx) -> Response:
    """GET /api/detentions: the detentions list as JSON (same parameters)."""
    _, found = await _list(ctx)
    return JSONResponse({"ok": True, **found.to_dict()})


def load_case(
    conn: Connection, text: str, as_of: dt.date, settings: AlertSettings
) -> dict[str, Any] | None:
    """One person's case as of a date, with the person's name; None without one."""
    person_id = parse_person_id(text)
    found = (
        persons_where(conn, "p.person_id = ?", (person_id,), select=("id",))
        if person_id
        else []
    )
    if not found:
        return None
    cases = detention_cases(conn, as_of, settings, person=int(found[0]["id"]))
    if not cases:
        return None
    (case,) = cases
    name = case_names(conn, cases).get(case.key, NO_NAME)
    return {
        **case.to_dict(name),
        "days_since_news": _days(case.history.last_event, as_of),
    }


@guard("reviewer")
async def case_page(ctx: Ctx) -> Response:
    """GET /detentions/{person_id}: one person's case, its history and alerts."""
    filters = read_filters(ctx.request.query_params, dt.date.today())
    person_id = ctx.request.path_params["person_id"]
    case = await ctx.read(load_case, person_id, filters.as_of, ctx.state.alerts)
    if case is None:
        raise HTTPException(404)
    protected = await ctx.read(protected_sources)
    sees = ctx.sees_protected
    case["history"] = history_view(case["history"], protected, sees)
    case["conflicts"] = conflicts_view(case["conflicts"], protected, sees)
    _redacted([case], protected, sees)
    return ctx.render(
        "detention_case.html",
        case=case,
        filters=filters,
        script="persian" if ctx.words.lang == "fa" else "latin",
    )
