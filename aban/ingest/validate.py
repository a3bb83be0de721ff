"""Checking and normalising one row into a record, collecting issues."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from typing import Any, NamedTuple

from aban import text
from aban.config import Settings
from aban.ingest.columns import DESCRIPTOR_COLUMNS, NAME_COLUMNS, PROTECTED_COLUMNS
from aban.ingest.issues import Issue, make_issue
from aban.ingest.json import NESTED
from aban.text import VocabularyError

# Lists repeat their values (places, dates, common names, vocabularies) a great deal,
# so each cell's reading is cached: value in, (result, issue code or None) out.
_CACHE = 1 << 16
Reading = tuple[Any, str | None]


def _cached_reader(parser: Callable[[str], Any]) -> Callable[[str], Reading]:
    @functools.lru_cache(_CACHE)
    def read(value: str) -> Reading:
        try:
            return parser(text.clean_text(value)), None
        except VocabularyError as err:
            return None, err.code

    return read


@functools.lru_cache(_CACHE)
def _read_name(value: str) -> tuple[str | None, str | None]:
    """A name or place cell: (display form, normalised form)."""
    clean = text.clean_text(value)
    return clean or None, text.normalise_name(clean) or None


_read_text = functools.lru_cache(_CACHE)(text.clean_text)
_script_of = functools.lru_cache(_CACHE)(text.script_of)
_VOCABULARIES: dict[str, Callable[[str], Reading]] = {
    "sex": _cached_reader(text.parse_sex),
    "status": _cached_reader(text.parse_status),
    "age": _cached_reader(text.parse_age),
    "birth_date": (_read_date := _cached_reader(text.parse_date)),
    "date_of_death": _read_date,
}

PLACE_COLUMNS = ("city", "province")
DATE_COLUMNS = ("birth_date", "date_of_death")
#: Columns kept as cleaned text: every descriptor that is not a place, a date or a
#: vocabulary, and the protected columns.
TEXT_COLUMNS = (
    tuple(
        c
        for c in DESCRIPTOR_COLUMNS
        if c not in (*PLACE_COLUMNS, *DATE_COLUMNS, "sex", "age", "status")
    )
    + PROTECTED_COLUMNS
)
_NAMED = frozenset(NAME_COLUMNS + PLACE_COLUMNS)
_EMPTY_RECORD: dict[str, Any] = dict.fromkeys(
    [*_NAMED, *(f"{c}_norm" for c in _NAMED), *TEXT_COLUMNS, "sex", "status", "age",
     *DATE_COLUMNS]
)  # fmt: skip
# How each column is read: one dict lookup per cell.
_KIND: dict[str, Callable[[str], Any]] = {
    **dict.fromkeys(_NAMED, _read_name),
    **dict.fromkeys(TEXT_COLUMNS, _read_text),
    **_VOCABULARIES,
}
_NORM = {c: f"{c}_norm" for c in _NAMED}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")
_FORMULA_START = frozenset("=+-@")
# Anything that might be a cell issue in a row joined with \x1f: a control character
# or a cell that starts with a formula character. NESTED starts with \x00.
_SUSPECT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1e\x7f\x80-\x9f]|(?:^|\x1f)\s*[=+\-@]")
_FORMULA = re.compile(r"^\s*(=|[+\-@]\s*[A-Za-z_][A-Za-z0-9_.]*\s*\()")


class RowContext(NamedTuple):
    """Where a row comes from, for issue locations (a tuple: one is made per row)."""

    file: str
    row: int
    record_id: str | None
    source: str | None


def _clean_row(values: list[str], limit: int) -> bool:
    """True if no cell of the row can have a cell issue (one scan for the row)."""
    joined = "\x1f".join(values)
    return (
        _SUSPECT.search(joined) is None
        and joined.count("\x1f") == len(values) - 1
        and max(map(len, values), default=0) <= limit
    )


def cell_issues(
    cells: dict[str, str], ctx: RowContext, settings: Settings
) -> list[Issue]:
    """Issues that any cell can have, whatever its column."""
    issues: list[Issue] = []
    limit = settings.max_cell_length
    if _clean_row(list(cells.values()), limit):
        return issues
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
    record: dict[str, Any] = dict(_EMPTY_RECORD)
    for column, value in cells.items():
        if not value:
            continue
        read = _KIND.get(column)
        if read is None:
            continue
        if column in _NORM:
            record[column], record[_NORM[column]] = _read_name(value)
        elif read is _read_text:
            record[column] = _read_text(value) or None
        else:
            record[column], code = read(value)
            if code:
                issues.append(_issue(code, ctx, column, max_age=settings.max_age))
    _check_values(record, ctx, settings, today, issues)
    names = " ".join(filter(None, (record[c] for c in NAME_COLUMNS)))
    record["script"] = _script_of(names) or "none"
    return record, issues


def _check_values(
    record: dict[str, Any],
    ctx: RowContext,
    settings: Settings,
    today: dt.date,
    issues: list[Issue],
) -> None:
    """Range checks on age and dates; values that fail are cleared."""
    if record["age"] is not None and record["age"] > settings.max_age:
        issues.append(_issue("age-out-of-range", ctx, "age", max_age=settings.max_age))
        record["age"] = None
    earliest = settings.earliest_date
    for column in DATE_COLUMNS:
        date = record[column]
        if date is None:
            continue
        if date > today:
            issues.append(_issue("date-in-future", ctx, column))
            record[column] = None
        elif date.isoformat() < earliest:
            issues.append(_issue("date-too-early", ctx, column, earliest=earliest))
            record[column] = None
    _cross_check(record, ctx, issues)
    for column in DATE_COLUMNS:
        if record[column] is not None:
            record[column] = record[column].isoformat()


def _cross_check(record: dict[str, Any], ctx: RowContext, issues: list[Issue]) -> None:
    birth, death, age = record["birth_date"], record["date_of_death"], record["age"]
    if birth and death and birth > death:
        issues.append(_issue("birth-after-death", ctx, "birth_date"))
    elif birth and death and age is not None:
        years = (death - birth).days / 365.25
        if abs(years - age) > 1.5:
            issues.append(_issue("age-birth-mismatch", ctx, "age"))
