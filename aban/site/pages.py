"""The pages of one language: home, report, memorial, search, methodology, data.

Each ``write_*`` function builds its page's values from the collected
:class:`~aban.site.collect.SiteData` and renders it through the
:class:`~aban.site.render.Writer`. Charts are drawn per language (labels,
digits and direction differ); everything else is shared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aban.site.charts import bar_chart, count_text, ledger_chart, timeline_chart
from aban.site.collect import SiteData
from aban.site.i18n import Locale
from aban.site.maps import bubble_map, choropleth_map
from aban.site.opendata import open_data_columns
from aban.site.people import PublishedPerson
from aban.site.render import Writer
from aban.site.svg import Markup
from aban.site.views import index_line, name_of, person_view, row_label

__all__ = ["PAGE_SIZE", "Shared", "write_language", "write_persons"]

#: Persons per memorial index page.
PAGE_SIZE = 500
#: Person pages between two calls of a progress callback.
PROGRESS_EVERY = 500
COUNTED_GRADES = ("confirmed", "corroborated", "single-source")
ANALYSED_GRADES = (*COUNTED_GRADES, "contested")
_BARS = ("province", "age-band", "sex", "injury", "force")


@dataclass(frozen=True)
class Shared:
    """Values every language's pages share.

    Attributes:
        data: what the site publishes.
        ledger: the claims ledger's columns (``kind``, ``name``, ``name_fa``,
            ``point``, ``claim_kind``, ``claim_kind_fa``, ``release``, ``note``),
            in date order.
        releases: the releases up to this one, each with its change.
        methodology_html: the methodology rendered from Markdown, by language.
    """

    data: SiteData
    ledger: tuple[dict[str, Any], ...]
    releases: tuple[dict[str, Any], ...]
    methodology_html: Mapping[str, Markup]


def _grades(data: SiteData) -> list[str]:
    """The grades the report's bars stack: the analysed ones the policy lists."""
    return [g for g in ANALYSED_GRADES if g in data.policy.grades]


def _total(grades: Sequence[str]) -> Any:
    """A row's count over ``grades`` (0 for a suppressed row, whose counts are
    not published)."""
    return lambda row: sum(int((row["counts"] or {}).get(g, 0)) for g in grades)


def _days(rows: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The dated rows, with a zero row for each missing day in between."""
    dated = {str(r["label"]): r for r in rows if r["label"] != "unknown"}
    if not dated:
        return []
    first, last = (dt.date.fromisoformat(d) for d in (min(dated), max(dated)))
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    empty: dict[str, int] = {}
    return [
        dated.get(d.isoformat(), {"label": d.isoformat(), "counts": empty})
        for d in days
    ]


def _charts(data: SiteData, loc: Locale, grades: list[str]) -> dict[str, Any]:
    """The report's charts: only those of tables the analysis holds."""
    analysis, shown = data.analysis, _total(grades)
    charts: dict[str, Any] = {}
    if "day" in analysis:
        moments = (analysis["event"] or {}).get("moments", [])
        charts["timeline"] = timeline_chart(
            _days(analysis["day"]["rows"]),
            moments,
            grades,
            loc,
            loc.t("timeline_title"),
        )
    for by in (b for b in _BARS if b in analysis):
        rows = [r for r in analysis[by]["rows"] if shown(r) or r.get("suppressed")]
        title = loc.t("by_" + ("age" if by == "age-band" else by))
        charts[by] = bar_chart(rows, grades, loc, title, row_label(loc, by))
    unplaced = []
    for by in (b for b in ("province", "city") if b in analysis):
        title = loc.t("map_cities" if by == "city" else "map_provinces")
        svg, left = bubble_map(
            analysis[by]["rows"], by, shown, loc, title, row_label(loc, by)
        )
        charts[f"{by}_map"] = svg
        if by == "province":
            charts["province_shaded"] = choropleth_map(
                analysis[by]["rows"], shown, loc, title, row_label(loc, by)
            )
        unplaced += [
            row_label(loc, by)(str(r["label"])) for r in left if r["label"] != "unknown"
        ]
    charts["unplaced"] = loc.t("list_sep").join(sorted(set(unplaced)))
    return charts


def write_report(writer: Writer, loc: Locale, data: SiteData) -> None:
    """The report page: deaths by day, maps, and tables by age, sex, injury, force."""
    grades = _grades(data)
    analysis, shown = data.analysis, _total(grades)
    charts = _charts(data, loc, grades)
    day, injury = analysis.get("day", {}), analysis.get("injury", {})
    unknown = [r for r in day.get("rows", []) if r["label"] == "unknown"]
    undated = count_text(loc, unknown[0], grades) if unknown else loc.num(0)
    force_rows = [str(r["label"]) for r in analysis.get("force", {}).get("rows", [])]
    moments = (analysis["event"] or {}).get("moments", [])
    writer.page(
        loc,
        "report.html",
        "report.html",
        "report",
        grades=grades,
        charts=charts,
        unplaced=charts["unplaced"],
        killed_shown=shown(analysis["summary"]["killed"]),
        moments=moments,
        moment_fa={m["name"]: m.get("name_fa", "") for m in moments},
        undated=undated,
        min_cell=data.policy.min_cell,
        within_48h=day.get("within_48h"),
        head_torso=injury.get("head_torso"),
        force_not_recorded=force_rows == ["unknown"],
    )


def write_home(writer: Writer, loc: Locale, shared: Shared) -> None:
    """The home page: headline figures, estimate, claims ledger, releases."""
    data = shared.data
    svg = ledger_chart(shared.ledger, loc, loc.t("ledger_title"))
    writer.page(
        loc,
        "home.html",
        "index.html",
        "home",
        event=(data.analysis["event"] or None),
        headline=data.headline,
        estimate=data.estimate,
        listed=len(data.persons),
        counted_grades=COUNTED_GRADES,
        ledger_svg=svg,
        ledger_items=[{"number": i, **c} for i, c in enumerate(shared.ledger, 1)],
        releases=shared.releases,
    )


def memorial_file(page: int) -> str:
    """The file name of a memorial index page (page 1 is ``index.html``)."""
    return "index.html" if page == 1 else f"page-{page}.html"


def write_memorial(writer: Writer, loc: Locale, data: SiteData) -> None:
    """The memorial index pages (the persons' own pages: :func:`write_persons`)."""
    persons = data.persons
    pages = max(1, -(-len(persons) // PAGE_SIZE))
    for page in range(1, pages + 1):
        chunk = persons[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        writer.page(
            loc,
            "memorial_index.html",
            f"memorial/{memorial_file(page)}",
            "memorial",
            lines=[index_line(loc, p) for p in chunk],
            page=page,
            pages=pages,
            page_file=memorial_file,
            listed=len(persons),
            named=data.consent.named,
            unnamed=data.consent.reasons(),
        )


def write_persons(
    writer: Writer,
    loc: Locale,
    persons: Sequence[PublishedPerson],
    progress: Callable[[int], None] | None = None,
) -> None:
    """One memorial page per person of ``persons``, in the language of ``loc``.

    ``progress`` is called with the number of pages written, every
    :data:`PROGRESS_EVERY` pages and at the end.
    """
    frame = writer.frame(loc, 1, "memorial")
    body = writer.template("person.html")
    site, words = writer.site, loc.words()
    for done, person in enumerate(persons):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)
        view = person_view(loc, person, site.contact)
        html = body.render(
            root="../../", up="../", pid=person.person_id, v=view, w=words
        )
        title = f"{name_of(loc, person)} · {site.title[loc.lang]}"
        writer.framed(loc, frame, f"memorial/{person.person_id}.html", title, html)
    if progress is not None:
        progress(len(persons))


def write_language(writer: Writer, loc: Locale, shared: Shared) -> None:
    """Every page of one language but the persons' own (:func:`write_persons`)."""
    data = shared.data
    write_home(writer, loc, shared)
    write_report(writer, loc, data)
    write_memorial(writer, loc, data)
    writer.page(loc, "search.html", "search.html", "search")
    writer.page(
        loc,
        "methodology.html",
        "methodology.html",
        "methodology",
        policy=data.policy,
        methodology_html=shared.methodology_html[loc.lang],
    )
    columns = open_data_columns(data.policy)
    writer.page(
        loc,
        "data.html",
        "data.html",
        "data",
        columns=[(c, c) for c in columns],
        releases=shared.releases,
        listed=len(data.persons),
    )
