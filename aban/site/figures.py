"""The figures a publication shows: counted persons, vocabulary values, no small count.

Figures and charts count persons; they never describe one (issue 13). So:

* **Who.** The persons the toll counts (:func:`aban.grade.scope.counted_persons`:
  not discounted, in scope) whose grade the policy lists, whatever their consent: a
  withheld person is counted, never named or described. Discounted persons are in
  no figure (the tables have no discounted column).
* **What.** Values from vocabularies only, never text as a source wrote it: the
  gazetteer's provinces and cities (any other place is ``other``), ``female`` and
  ``male`` (else ``other``), the statuses of the records format (else ``other``),
  dates, age bands, body regions and forces (the tables already read those as
  vocabulary, ``unrecognized`` for the rest).
* **Small counts** (``[publication] min_cell``, at least 3). A place with fewer
  persons than ``min_cell`` is not named: it is counted under ``other`` with the
  places the gazetteer does not know. Then, in every table, a row counting 1 to
  ``min_cell - 1`` persons is suppressed: its counts are null and it reads "fewer
  than N". When a table would have exactly one such row, its total would give the
  row away, so the next smallest row is suppressed too (it reads "not shown").
  Figures that add rows up would give a suppressed row away as well: the 48-hour
  window and the head-or-torso share are published only when no row they add up
  is suppressed and their counts reach ``min_cell``, and a force's mentions are
  not shown when a suppressed row of the force table names that force.

Every suppressed row keeps its label and has ``"suppressed": true``, ``"counts"``
and ``"total"`` null and ``"fewer_than"`` N (null for the row suppressed so that
the other cannot be worked out). A row that is shown has ``"suppressed": false``
and ``"fewer_than"`` null.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from functools import cache
from typing import Any

from aban.analysis.breakdowns import REGIONS
from aban.analysis.report import BY, analyse
from aban.analysis.tables import UNKNOWN
from aban.analysis.victims import Victim, victim_from_canonical
from aban.event import Event
from aban.site.people import PersonRow
from aban.site.policy import PublicationPolicy
from aban.text.forces import FORCE_SEPARATOR
from aban.text.gazetteer import find_city, find_province
from aban.vocab.columns import STATUSES

__all__ = [
    "CHART_FIELDS",
    "OTHER",
    "figure_victims",
    "in_vocabulary",
    "protect",
    "published_figures",
]

#: The label of places the figures do not name, and of other values outside a
#: vocabulary.
OTHER = "other"
#: The person field each analysis table counts by: a table is published only when
#: the policy publishes its field.
CHART_FIELDS = {
    "day": "date_of_death",
    "province": "province",
    "city": "city",
    "age-band": "age",
    "sex": "sex",
    "injury": "injury_location",
    "force": "alleged_force",
}
_PLACES = ("province", "city")
_SEXES = ("female", "male")

Row = dict[str, Any]


@cache
def _known(label: str, kind: str) -> str:
    """The gazetteer's name of a place, else ``other`` (cached: places repeat)."""
    found = find_city(label) if kind == "city" else find_province(label)
    return OTHER if found is None else found.name_en


def in_vocabulary(victim: Victim) -> Victim:
    """The victim with vocabulary values only: the gazetteer's places (else
    ``other``), female or male (else ``other``), a known status (else ``other``)."""
    status, province, city = victim.status, victim.province, victim.city
    return replace(
        victim,
        province=None if province is None else _known(province, "province"),
        city=None if city is None else _known(city, "city"),
        sex=victim.sex if victim.sex in (None, *_SEXES) else OTHER,
        status=status if status in (None, *STATUSES) else OTHER,
    )


def figure_victims(
    rows: Iterable[PersonRow], counted: set[int], policy: PublicationPolicy
) -> list[Victim]:
    """The persons the figures count, with vocabulary values only.

    Args:
        rows: every person as :func:`aban.site.collect.collect_site` reads them.
        counted: row ids of the persons the toll counts.
        policy: the publication policy (its grades).
    """
    return [
        in_vocabulary(victim_from_canonical(pid, grade, canonical))
        for row_id, pid, canonical, _, grade, _ in rows
        if row_id in counted and grade in policy.grades
    ]


def protect(totals: Sequence[int], min_cell: int, partition: bool = True) -> list[str]:
    """Which counts of a table to suppress.

    Args:
        totals: the rows' counts, in order.
        min_cell: the smallest count shown.
        partition: whether the rows add up to a published total (then one
            suppressed row alone is given away by the others).

    Returns:
        For each row: ``""`` (shown), ``"small"`` (1 to ``min_cell - 1``: reads
        "fewer than N") or ``"complement"`` (suppressed so that the small row
        cannot be worked out from the total).
    """
    marks = ["small" if 0 < n < min_cell else "" for n in totals]
    if partition and marks.count("small") == 1:
        shown = [(n, i) for i, n in enumerate(totals) if n and not marks[i]]
        if shown:
            marks[min(shown)[1]] = "complement"
    return marks


def _coarsen(rows: Sequence[Row], min_cell: int) -> list[Row]:
    """A place table's rows with the places under ``min_cell`` merged into ``other``."""
    kept: list[Row] = []
    merged: list[Row] = []
    for row in rows:
        small = row["total"] < min_cell or row["label"] == OTHER
        if row["label"] != UNKNOWN and small:
            merged.append(row)
        else:
            kept.append(row)
    if not merged:
        return kept
    counts: dict[str, int] = {}
    for row in merged:
        for grade, n in row["counts"].items():
            counts[grade] = counts.get(grade, 0) + n
    other = {"label": OTHER, "counts": counts, "total": sum(counts.values())}
    named = [r for r in kept if r["label"] != UNKNOWN]
    return [*named, other, *[r for r in kept if r["label"] == UNKNOWN]]


def _row(row: Mapping[str, Any], grades: Sequence[str], mark: str, n: int) -> Row:
    """A published row: counts of the policy's grades, or none when suppressed."""
    out = {k: v for k, v in row.items() if k != "discounted"}
    counts = {g: int(row["counts"].get(g, 0)) for g in grades}
    out.update(
        counts=None if mark else counts,
        total=None if mark else sum(counts.values()),
        suppressed=bool(mark),
        fewer_than=n if mark == "small" else None,
    )
    return out


def _rows(
    rows: Sequence[Mapping[str, Any]],
    grades: Sequence[str],
    min_cell: int,
    partition: bool = True,
) -> list[Row]:
    totals = [sum(int(r["counts"].get(g, 0)) for g in grades) for r in rows]
    marks = protect(totals, min_cell, partition)
    return [_row(r, grades, m, min_cell) for r, m in zip(rows, marks, strict=True)]


def _share(
    value: Mapping[str, Any] | None,
    of: str,
    grades: Sequence[str],
    n: int,
    hidden: bool,
) -> Any:
    """A window or share, or None when it adds up a suppressed row (``hidden``)
    or one of its counts is below ``n``."""
    if value is None or hidden or 0 < value["total"] < n or 0 < value[of] < n:
        return None
    return _row(value, grades, "", n)


def _mentions(
    mentions: Sequence[Mapping[str, Any]],
    rows: Sequence[Row],
    grades: Sequence[str],
    n: int,
) -> list[Row]:
    """A force's mentions, not shown when a suppressed row names the force (its
    mentions minus the rows shown would give that row away)."""
    named = {
        force
        for row in rows
        if row["suppressed"]
        for force in str(row["label"]).split(FORCE_SEPARATOR)
    }
    shown = _rows(mentions, grades, n, partition=False)
    return [
        _row(m, grades, "complement", n)
        if m["label"] in named and not r["suppressed"]
        else r
        for m, r in zip(mentions, shown, strict=True)
    ]


def _table(by: str, table: Mapping[str, Any], grades: Sequence[str], n: int) -> Row:
    rows = [dict(r) for r in table["rows"]]
    if by in _PLACES:
        rows = _coarsen(rows, n)
    out = dict(table)
    out["grades"] = list(grades)
    out["rows"] = _rows(rows, grades, n)
    out["total"] = _row(table["total"], grades, "", n)
    hidden = {str(r["label"]) for r in out["rows"] if r["suppressed"]}
    if "mentions" in table:
        out["mentions"] = _mentions(table["mentions"], out["rows"], grades, n)
    window = table.get("within_48h")
    if window is not None:
        days = [d for d in hidden if window["from"] <= d <= window["to"]]
        out["within_48h"] = _share(window, "of_dated", grades, n, bool(days))
    if "head_torso" in table:
        regions = set(REGIONS) & hidden  # the share adds up every region's row
        share = _share(table["head_torso"], "of_known", grades, n, bool(regions))
        out["head_torso"] = share
    return out


def _summary(summary: Mapping[str, Any], grades: Sequence[str], n: int) -> Row:
    killed = {k: v for k, v in summary["killed"].items() if k != "discounted"}
    counts = {g: int(killed["counts"].get(g, 0)) for g in grades}
    others = dict(summary["not_analysed"])
    marks = protect(list(others.values()), n)
    return {
        "persons": summary["persons"],
        "killed": {"counts": counts, "total": sum(counts.values())},
        "not_analysed": {
            status: None if mark else count
            for (status, count), mark in zip(others.items(), marks, strict=True)
        },
    }


def published_figures(
    rows: Iterable[PersonRow],
    counted: set[int],
    policy: PublicationPolicy,
    event: Event | None,
    age_bounds: Sequence[int],
) -> dict[str, Any]:
    """The analysis a publication shows (``Analysis.to_dict()``, protected).

    Only the tables whose field the policy publishes are computed; see the
    module for who is counted, by what values, and how small counts are shown.

    Args:
        rows: every person, as :func:`aban.site.collect.collect_site` reads them.
        counted: row ids of the persons the toll counts.
        policy: the publication policy (grades, fields, ``min_cell``).
        event: the event whose dates and moments frame the day table.
        age_bounds: lower bounds of the age bands after the first.
    """
    victims = figure_victims(rows, counted, policy)
    charted = [b for b in BY if b not in CHART_FIELDS or policy.allows(CHART_FIELDS[b])]
    analysis = analyse(victims, event, charted, age_bounds).to_dict()
    grades = list(policy.grades)
    n = policy.min_cell
    out: dict[str, Any] = {"event": analysis["event"]}
    out["summary"] = _summary(analysis["summary"], grades, n)
    for by in charted:
        out[by] = _table(by, analysis[by], grades, n)
    return out
