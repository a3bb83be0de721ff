"""Checking and normalising one row into a record, collecting issues."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aban import text
from aban.config import Settings
from aban.ingest.issues import Issue, make_issue
from aban.ingest.json import NESTED
from aban.text import VocabularyError

# Lists repeat their values (places, dates, common names, vocabularies) a great deal:
# caching the pure text functions makes imports several times faster. Errors are
# exceptions, which lru_cache does not cache.
_CACHE = 1 << 16
clean_text = functools.lru_cache(_CACHE)(text.clean_text)
normalise_name = functools.lru_cache(_CACHE)(text.normalise_name)
script_of = functools.lru_cache(_CACHE)(text.script_of)
parse_age = functools.lru_cache(_CACHE)(text.parse_age)
parse_date = functools.lru_cache(_CACHE)(text.parse_date)
parse_sex = functools.lru_cache(_CACHE)(text.parse_sex)
parse_status = functools.lru_cache(_CACHE)(text.parse_status)

NAME_COLUMNS = ("full_name", "given_name", "family_name", "father_name")
PLACE_COLUMNS = ("city", "province")
DATE_COLUMNS = ("birth_date", "date_of_death")
TEXT_COLUMNS = (
    "country",
    "cause",
    "injury_location",
    "circumstances",
    "occupation",
    "national_id",
    "informant",
    "contact",
    "notes_private",
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")
_FORMULA_START = frozenset("=+-@")
_FORMULA = re.compile(r"^\s*(=|[+\-@]\s*[A-Za-z_][A-Za-z0-9_.]*\s*\()")


@dataclass(frozen=True)
class RowContext:
    """Where a row comes from, for issue locations."""

    file: str
    row: int
    record_id: str | None
    source: str | None


def cell_issues(
    cells: dict[str, str], ctx: RowContext, settings: Settings
) -> list[Issue]:
    """Issues that any cell can have, whatever its column."""
    issues = []
    limit = settings.max_cell_length
    for column, value in cells.items():
        if not value:
            continue
        code: str | None = None
        fields: dict[str, Any] = {}
        if value == NESTED:
            code = "nested-value"
        elif len(value) > limit:
            code, fields = "cell-too-long", {"limit": limit}
        elif _CONTROL.search(value):
            code = "control-characters"
        elif value.lstrip()[:1] in _FORMULA_START and _FORMULA.match(value):
            code = "formula-in-cell"
        if code:
            issues.append(_issue(code, ctx, column, **fields))
    return issues


def _issue(code: str, ctx: RowContext, column: str | None, **fields: Any) -> Issue:
    return make_issue(
        code,
        ctx.file,
        ctx.row,
        column,
        record_id=ctx.record_id,
        source=ctx.source,
        **fields,
    )


def _parse(
    parser: Callable[[str], Any],
    value: str,
    ctx: RowContext,
    column: str,
    issues: list[Issue],
    **fields: Any,
) -> Any:
    try:
        return parser(value)
    except VocabularyError as err:
        issues.append(_issue(err.code, ctx, column, **fields))
        return None


def normalise_row(
    cells: dict[str, str], ctx: RowContext, settings: Settings, today: dt.date
) -> tuple[dict[str, Any], list[Issue]]:
    """Normalise the cells of one row (already renamed to records columns).

    Returns:
        The record's stored columns (display values and normalised forms) and the
        issues found. The row is valid if no issue has severity ``error``.
    """
    issues = cell_issues(cells, ctx, settings)
    if any(i.code == "nested-value" for i in issues):
        return {}, issues
    present = {c: clean_text(v) for c, v in cells.items() if v}
    get = present.get
    record: dict[str, Any] = {}
    for column in NAME_COLUMNS + PLACE_COLUMNS:
        value = get(column)
        record[column] = value or None
        record[f"{column}_norm"] = (normalise_name(value) or None) if value else None
    for column in TEXT_COLUMNS:
        record[column] = get(column) or None
    record["sex"] = _parse(parse_sex, get("sex", ""), ctx, "sex", issues)
    record["status"] = _parse(parse_status, get("status", ""), ctx, "status", issues)
    age = _parse(
        parse_age, get("age", ""), ctx, "age", issues, max_age=settings.max_age
    )
    if age is not None and age > settings.max_age:
        issues.append(_issue("age-out-of-range", ctx, "age", max_age=settings.max_age))
        age = None
    record["age"] = age
    dates = {
        c: _check_date(get(c, ""), ctx, c, settings, today, issues)
        for c in DATE_COLUMNS
    }
    record.update({c: d.isoformat() if d else None for c, d in dates.items()})
    _cross_check(dates, age, ctx, issues)
    names = " ".join(filter(None, (record[c] for c in NAME_COLUMNS)))
    record["script"] = script_of(names) or "none"
    return record, issues


def _check_date(
    value: str,
    ctx: RowContext,
    column: str,
    settings: Settings,
    today: dt.date,
    issues: list[Issue],
) -> dt.date | None:
    parsed: dt.date | None = _parse(parse_date, value, ctx, column, issues)
    if parsed is None:
        return None
    earliest = dt.date.fromisoformat(settings.earliest_date)
    if parsed > today:
        issues.append(_issue("date-in-future", ctx, column))
        return None
    if parsed < earliest:
        issues.append(
            _issue("date-too-early", ctx, column, earliest=earliest.isoformat())
        )
        return None
    return parsed


def _cross_check(
    dates: dict[str, dt.date | None],
    age: int | None,
    ctx: RowContext,
    issues: list[Issue],
) -> None:
    birth, death = dates["birth_date"], dates["date_of_death"]
    if birth and death and birth > death:
        issues.append(_issue("birth-after-death", ctx, "birth_date"))
    elif birth and death and age is not None:
        years = (death - birth).days / 365.25
        if abs(years - age) > 1.5:
            issues.append(_issue("age-birth-mismatch", ctx, "age"))
