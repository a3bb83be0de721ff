"""Checking and normalising one row into a record, collecting issues."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Sequence
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
#: A name or place cell read: display form, normalised form, script of the display form.
NameReading = tuple[str | None, str | None, str]


def _cached_reader(parser: Callable[[str], Any]) -> Callable[[str], Reading]:
    @functools.lru_cache(_CACHE)
    def read(value: str) -> Reading:
        try:
            return parser(text.clean_text(value)), None
        except VocabularyError as err:
            return None, err.code

    return read


@functools.lru_cache(_CACHE)
def _read_word(word: str) -> NameReading:
    clean = text.clean_text(word)
    return clean or None, text.normalise_name(clean) or None, text.script_of(clean)


@functools.lru_cache(_CACHE)
def _read_name(value: str) -> NameReading:
    """A name or place cell: (display form, normalised form, script of the display).

    Read word by word (words repeat far more than whole names): clean_text,
    normalise_name and script_of treat whitespace-separated words independently and
    join them with single spaces, so the result is the same as reading the whole
    cell (tests/ingest/test_validate.py checks it).
    """
    words = value.split()
    if len(words) == 1:
        return _read_word(words[0])
    parts = [_read_word(word) for word in words]
    clean = " ".join([p[0] for p in parts if p[0]])
    norm = " ".join([p[1] for p in parts if p[1]])
    return clean or None, norm or None, _combined_script({p[2] for p in parts})


def _combined_script(scripts: set[str]) -> str:
    """script_of of texts joined by spaces, from the script of each ("" if none)."""
    scripts.discard("")
    if len(scripts) > 1:
        return "mixed"
    return scripts.pop() if scripts else ""


_read_text = functools.lru_cache(_CACHE)(text.clean_text)
_read_date = _cached_reader(text.parse_date)
_VOCABULARIES: dict[str, Callable[[str], Reading]] = {
    "sex": _cached_reader(text.parse_sex),
    "status": _cached_reader(text.parse_status),
    "age": _cached_reader(text.parse_age),
    "birth_date": _read_date,
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
_NAMED = NAME_COLUMNS + PLACE_COLUMNS
#: The columns normalise_row returns, in order.
NORMALISED_COLUMNS = (
    *_NAMED, *(f"{c}_norm" for c in _NAMED), *TEXT_COLUMNS, "sex", "status", "age",
    *DATE_COLUMNS, "script",
)  # fmt: skip
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")
_FORMULA_START = frozenset("=+-@")
# What might be a cell issue in a row joined with \x1f: a control character (NESTED
# starts with \x00), or a cell that starts with a formula character. Separate patterns
# with a literal or a class first: the regex engine scans for those quickly.
_CONTROL_IN_ROW = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1e\x7f\x80-\x9f]")
_FORMULA_IN_ROW = re.compile(r"\x1f\s*[=+\-@]")
_FORMULA_FIRST = re.compile(r"\s*[=+\-@]")
_FORMULA = re.compile(r"^\s*(=|[+\-@]\s*[A-Za-z_][A-Za-z0-9_.]*\s*\()")


class RowContext(NamedTuple):
    """Where a row comes from, for issue locations (a tuple: one is made per row)."""

    file: str
    row: int
    record_id: str | None
    source: str | None


def _clean_row(values: Sequence[str], limit: int) -> bool:
    """True if no cell of the row can have a cell issue (one scan for the row)."""
    joined = "\x1f".join(values)
    return (
        _CONTROL_IN_ROW.search(joined) is None
        and _FORMULA_IN_ROW.search(joined) is None
        and _FORMULA_FIRST.match(joined) is None
        and joined.count("\x1f") == len(values) - 1
        and (len(joined) <= limit or max(map(len, values), default=0) <= limit)
    )


def cell_issues(
    cells: dict[str, str], ctx: RowContext, settings: Settings
) -> list[Issue]:
    """Issues that any cell can have, whatever its column."""
    return _cell_issues(tuple(cells), tuple(cells.values()), ctx, settings)


def _cell_issues(
    columns: Sequence[str], values: Sequence[str], ctx: RowContext, settings: Settings
) -> list[Issue]:
    issues: list[Issue] = []
    limit = settings.max_cell_length
    if _clean_row(values, limit):
        return issues
    for column, value in zip(columns, values, strict=True):
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


class RowReader:
    """Reads the cells of rows that share one header into a record's values.

    Built once per header: each row is then read in one pass over its cells, into a
    list laid out as ``fields``, with no per-row dictionary.

    Args:
        columns: the records-format column of each cell (unknown columns are checked
            for cell issues but not read).
        fields: the layout of the values returned; it must hold every column a
            record stores (see :data:`NORMALISED_COLUMNS`), and may hold others, left
            None.
    """

    def __init__(self, columns: Sequence[str], fields: Sequence[str]) -> None:
        self.columns = tuple(columns)
        self.size = len(fields)
        slot = {name: i for i, name in enumerate(fields)}
        cells = list(enumerate(self.columns))
        self.names = [
            (i, slot[c], slot[f"{c}_norm"]) for i, c in cells if c in NAME_COLUMNS
        ]
        self.places = [
            (i, slot[c], slot[f"{c}_norm"]) for i, c in cells if c in PLACE_COLUMNS
        ]
        self.texts = [(i, slot[c]) for i, c in cells if c in TEXT_COLUMNS]
        self.vocabularies = [
            (i, slot[c], _VOCABULARIES[c], c) for i, c in cells if c in _VOCABULARIES
        ]
        self.age, self.script = slot["age"], slot["script"]
        self.dates = [(slot[c], c) for c in DATE_COLUMNS]

    def read(
        self,
        values: Sequence[str],
        ctx: RowContext,
        settings: Settings,
        today: dt.date,
    ) -> tuple[list[Any] | None, list[Issue]]:
        """Normalise one row's cells (``values``, in the order of ``columns``).

        Returns:
            The record's values (None if a cell holds a nested value) and the issues
            found. The row is valid if no issue has severity ``error``.
        """
        issues = _cell_issues(self.columns, values, ctx, settings)
        if issues and any(i.code == "nested-value" for i in issues):
            return None, issues
        out: list[Any] = [None] * self.size
        scripts: set[str] = set()
        for i, display, norm in self.names:
            if value := values[i]:
                out[display], out[norm], script = _read_name(value)
                scripts.add(script)
        for i, display, norm in self.places:
            if value := values[i]:
                out[display], out[norm], _ = _read_name(value)
        for i, column in self.texts:
            if value := values[i]:
                out[column] = _read_text(value) or None
        for i, column, read, name in self.vocabularies:
            if value := values[i]:
                out[column], code = read(value)
                if code:
                    issues.append(_issue(code, ctx, name, max_age=settings.max_age))
        self._check_values(out, ctx, settings, today, issues)
        out[self.script] = _combined_script(scripts) or "none"
        return out, issues

    def _check_values(
        self,
        out: list[Any],
        ctx: RowContext,
        settings: Settings,
        today: dt.date,
        issues: list[Issue],
    ) -> None:
        """Range checks on age and dates; values that fail are cleared."""
        age = out[self.age]
        if age is not None and age > settings.max_age:
            issues.append(
                _issue("age-out-of-range", ctx, "age", max_age=settings.max_age)
            )
            out[self.age] = age = None
        (birth_slot, _), (death_slot, _) = self.dates
        if out[birth_slot] is None and out[death_slot] is None:
            return
        earliest = settings.earliest_date
        for slot, column in self.dates:
            date = out[slot]
            if date is None:
                continue
            if date > today:
                issues.append(_issue("date-in-future", ctx, column))
                out[slot] = None
            elif date.isoformat() < earliest:
                issues.append(_issue("date-too-early", ctx, column, earliest=earliest))
                out[slot] = None
        _cross_check(out[birth_slot], out[death_slot], age, ctx, issues)
        for slot, _ in self.dates:
            if out[slot] is not None:
                out[slot] = out[slot].isoformat()


@functools.lru_cache(64)
def _reader(columns: tuple[str, ...]) -> RowReader:
    return RowReader(columns, NORMALISED_COLUMNS)


def normalise_row(
    cells: dict[str, str], ctx: RowContext, settings: Settings, today: dt.date
) -> tuple[dict[str, Any], list[Issue]]:
    """Normalise the cells of one row (already renamed to records columns).

    Returns:
        The record's stored columns (display values and normalised forms) and the
        issues found. The row is valid if no issue has severity ``error``.
    """
    values, issues = _reader(tuple(cells)).read(
        tuple(cells.values()), ctx, settings, today
    )
    return (
        {} if values is None else dict(zip(NORMALISED_COLUMNS, values, strict=True))
    ), issues


def _cross_check(
    birth: dt.date | None,
    death: dt.date | None,
    age: int | None,
    ctx: RowContext,
    issues: list[Issue],
) -> None:
    if birth and death and birth > death:
        issues.append(_issue("birth-after-death", ctx, "birth_date"))
    elif birth and death and age is not None:
        years = (death - birth).days / 365.25
        if abs(years - age) > 1.5:
            issues.append(_issue("age-birth-mismatch", ctx, "age"))
