"""Checking and normalising rows into records, collecting issues.

Rows are read a batch at a time, column by column: each column's cells go through
their column's cached reader in one ``map``, so most cells cost a cache lookup and no
Python-level step of their own. Issues are collected per row, in the order a row-by-row
reading finds them: cell issues in column order, then vocabulary issues in column
order, then range checks (age, then each date), then cross-checks.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from aban.config import Settings
from aban.ingest.cells import (
    CACHE,
    DATE_READERS,
    NORMALISED_TEXTS,
    VOCABULARIES,
    NameReading,
    cell_issue,
    clean_cells,
    read_name,
    read_names_by_word,
    read_text,
    record_script,
)
from aban.ingest.issues import Issue, make_issue
from aban.ingest.lenient import (
    FEW_VALUES,
    EventDates,
    blank_not_known,
    drop_honorific_norm,
    drop_honorific_norms,
    years_from_event,
)
from aban.vocab.columns import (
    ALL_COLUMNS,
    DESCRIPTOR_COLUMNS,
    NAME_COLUMNS,
    PROTECTED_COLUMNS,
    STATUSES,
)

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
_IDENTITY = ("record_id", "source")
#: The records format's words in the message of ``status-unknown``.
_STATUS_WORDS = {"kinds": "status", "words": ", ".join(STATUSES)}
#: The columns normalise_row returns, in order.
NORMALISED_COLUMNS = (
    *_NAMED,
    *(f"{c}_norm" for c in _NAMED),
    *TEXT_COLUMNS,
    "sex",
    "status",
    "age",
    *DATE_COLUMNS,
    "script",
    *(f"{c}_norm" for c in NORMALISED_TEXTS),
)


class RowContext(NamedTuple):
    """Where a row comes from, for issue locations."""

    file: str
    row: int
    record_id: str | None
    source: str | None

    def issue(self, code: str, column: str | None, **fields: Any) -> Issue:
        """The issue ``code`` at this row and ``column`` (see :func:`make_issue`)."""
        return make_issue(
            code,
            self.file,
            self.row,
            column,
            record_id=self.record_id,
            source=self.source,
            **fields,
        )


#: Issues found in a batch, by row (its index in the batch); rows without are absent.
RowIssues = dict[int, list[Issue]]
Contexts = Callable[[int], RowContext]


def cell_issues(
    cells: dict[str, str], ctx: RowContext, settings: Settings
) -> list[Issue]:
    """Issues that any cell can have, whatever its column."""
    issues: list[Issue] = []
    limit = settings.max_cell_length
    if clean_cells(list(cells.values()), limit):
        return issues
    for column, value in cells.items():
        code, fields = cell_issue(value, limit)
        if code:
            issues.append(ctx.issue(code, column, **fields))
    return issues


class Batch(NamedTuple):
    """A batch of rows read: stored values by column, issues, nested-value rows,
    and by column the cells that held a word for "not known" (read as empty)."""

    columns: list[Sequence[Any]]
    issues: RowIssues
    nested: set[int]
    not_known: dict[str, int]


_ITEMS = tuple(map(operator.itemgetter, range(3)))


def _unzip(readings: list[tuple[Any, ...]], items: int) -> list[Sequence[Any]]:
    """The first ``items`` items of every reading, as one list per item. (Cheaper than
    ``zip(*readings)``, which makes an iterator per reading.)"""
    return [list(map(item, readings)) for item in _ITEMS[:items]]


@functools.lru_cache(2 * CACHE)
def _read_family_name(value: str) -> NameReading:
    """A family name cell read (:func:`read_name`), its normalised form without
    the honorifics in front (:func:`drop_honorific_norm`). (Family names are varied:
    the cache holds a million records' 80,000.)"""
    display, norm, script = read_name(value)
    return display, drop_honorific_norm(display, norm, True), script


@functools.lru_cache(CACHE)
def _read_given_name(value: str) -> NameReading:
    """A given or father's name cell (or a full name's) read as
    :func:`_read_family_name` reads a family name."""
    display, norm, script = read_name(value)
    return display, drop_honorific_norm(display, norm), script


#: A cell's issue whatever its column (:func:`cell_issue`), by value and limit.
_cell_issue = functools.lru_cache(CACHE)(cell_issue)


def _add(found: Batch, row: int, issue: Issue) -> None:
    found.issues.setdefault(row, []).append(issue)


def _date_verdict(date: dt.date | None, today: dt.date, earliest: str) -> str | None:
    if date is None:
        return None
    if date > today:
        return "date-in-future"
    if date.isoformat() < earliest:
        return "date-too-early"
    return None


class BatchReader:
    """Reads batches of rows that share one header into their records' values.

    Args:
        columns: the records-format column of each cell (unknown columns are checked
            for cell issues but not read).
        date_orders: by date column, the order of day and month its numeric
            dates are read in (``day-first``, the default; ``month-first``;
            ``mixed``: see :mod:`aban.ingest.dateorder`).
        fields: the layout of the values read; it must hold every column a record
            stores (:data:`NORMALISED_COLUMNS`), and may hold others, left None.
    """

    def __init__(
        self,
        columns: Sequence[str],
        fields: Sequence[str],
        date_orders: Mapping[str, str] | None = None,
    ) -> None:
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
        self.text_norms = [
            (i, slot[f"{c}_norm"], NORMALISED_TEXTS[c])
            for i, c in cells
            if c in NORMALISED_TEXTS
        ]
        readers = {
            **VOCABULARIES,
            **{c: DATE_READERS[o] for c, o in (date_orders or {}).items()},
        }
        self.vocabularies = [
            (i, slot[c], readers[c], c) for i, c in cells if c in VOCABULARIES
        ]
        self.age, self.script = slot["age"], slot["script"]
        # Full names are read word by word (see read_names_by_word); other name and
        # place cells repeat whole, so each cell's reading is cached.
        self.full_name = next((i for i, c in cells if c == "full_name"), None)
        self.dates = [(slot[c], c) for c in DATE_COLUMNS]
        # Every cell of the records format but the identity reads a word for "not
        # known" as empty (issue 15).
        self.blankable = [
            (i, c) for i, c in cells if c in ALL_COLUMNS and c not in _IDENTITY
        ]

    def read(
        self,
        cells: Sequence[Sequence[str]],
        contexts: Contexts,
        settings: Settings,
        today: dt.date,
        event: EventDates | None = None,
    ) -> Batch:
        """Normalise a batch of rows, given as one sequence of cells per column (in
        the order of ``columns``); ``contexts(i)`` locates row ``i`` for its issues.
        A date without a year takes the year within ``event``'s dates (the first
        and last day of the workspace's event), if given.

        Returns:
            The values of each field, one per row (those of rows with a nested value
            are meaningless), the issues by row, the rows with a nested value, and
            the count of cells read as "not known" by column. A row is valid if
            none of its issues has severity ``error``.
        """
        rows = len(cells[0]) if cells else 0
        found = Batch([(None,) * rows] * self.size, {}, set(), {})
        if not rows:
            return found
        distinct = list(map(set, cells))
        self._cell_issues(cells, distinct, contexts, settings, found)
        cells = self._blank_not_known(cells, distinct, found)
        self._read_names(cells, rows, found.columns)
        for i, slot in self.texts:
            found.columns[slot] = list(map(read_text, cells[i]))
        for i, slot, normalise in self.text_norms:
            found.columns[slot] = list(map(normalise, cells[i]))
        self._read_vocabularies(cells, contexts, settings, found, event)
        self._check_age(contexts, settings, found)
        self._check_dates(contexts, settings, today, found)
        self._cross_check(contexts, found)
        for slot, _ in self.dates:
            dates = found.columns[slot]
            iso = {d: d.isoformat() for d in set(dates) if d is not None}
            found.columns[slot] = list(map(iso.get, dates))
        return found

    def _cell_issues(
        self,
        cells: Sequence[Sequence[str]],
        distinct: list[set[str]],
        contexts: Contexts,
        settings: Settings,
        found: Batch,
    ) -> None:
        """Issues any cell can have; a column's distinct values are each looked at
        once, unless they are many and one scan finds none can have one."""
        limit = settings.max_cell_length
        for column, values, kinds in zip(self.columns, cells, distinct, strict=True):
            if len(kinds) > FEW_VALUES and clean_cells(values, limit):
                continue
            bad = {v for v in kinds if _cell_issue(v, limit)[0]}
            if not bad:
                continue
            for row, value in enumerate(values):
                code, fields = _cell_issue(value, limit) if value in bad else (None, {})
                if code:
                    _add(found, row, contexts(row).issue(code, column, **fields))
                    if code == "nested-value":
                        found.nested.add(row)

    def _blank_not_known(
        self, cells: Sequence[Sequence[str]], distinct: list[set[str]], found: Batch
    ) -> Sequence[Sequence[str]]:
        """The cells with each word for "not known" made empty, counted by column."""
        out = list(cells)
        for i, column in self.blankable:
            out[i], count = blank_not_known(cells[i], distinct[i])
            if count:
                found.not_known[column] = found.not_known.get(column, 0) + count
        return out

    def _read_names(
        self, cells: Sequence[Sequence[str]], rows: int, out: list[Sequence[Any]]
    ) -> None:
        scripts = []
        for i, display, norm in self.names:
            family = self.columns[i] == "family_name"
            if i == self.full_name and (by_word := read_names_by_word(cells[i])):
                out[display], out[norm], script = by_word
                out[norm] = drop_honorific_norms(out[display], out[norm], family)
            else:
                read = _read_family_name if family else _read_given_name
                out[display], out[norm], script = _unzip(list(map(read, cells[i])), 3)
            scripts.append(script)
        for i, display, norm in self.places:
            out[display], out[norm] = _unzip(list(map(read_name, cells[i])), 2)
        if scripts:
            out[self.script] = list(map(record_script, zip(*scripts, strict=True)))
        else:
            out[self.script] = ("none",) * rows

    def _read_vocabularies(
        self,
        cells: Sequence[Sequence[str]],
        contexts: Contexts,
        settings: Settings,
        found: Batch,
        event: EventDates | None,
    ) -> None:
        for i, slot, read, column in self.vocabularies:
            values, codes = _unzip(list(map(read, cells[i])), 2)
            if column in DATE_COLUMNS and "date-unparseable" in codes:
                years_from_event(cells[i], values, codes, event)  # type: ignore[arg-type]  # lists
            found.columns[slot] = values
            if not any(codes):
                continue
            for row in itertools.compress(range(len(codes)), codes):
                if row not in found.nested:
                    issue = contexts(row).issue(
                        codes[row], column, max_age=settings.max_age, **_STATUS_WORDS
                    )
                    _add(found, row, issue)

    def _check_age(self, contexts: Contexts, settings: Settings, found: Batch) -> None:
        """Ages above the largest plausible are reported and cleared."""
        max_age = settings.max_age
        ages = found.columns[self.age]
        too_old = {a for a in set(ages) if a is not None and a > max_age}
        if not too_old:
            return
        found.columns[self.age] = ages = list(ages)
        for row, age in enumerate(ages):
            if age in too_old and row not in found.nested:
                _add(
                    found,
                    row,
                    contexts(row).issue("age-out-of-range", "age", max_age=max_age),
                )
                ages[row] = None

    def _check_dates(
        self, contexts: Contexts, settings: Settings, today: dt.date, found: Batch
    ) -> None:
        """Dates in the future or before the earliest plausible are reported and
        cleared."""
        earliest = settings.earliest_date
        for slot, column in self.dates:
            dates = found.columns[slot]
            verdicts = {d: _date_verdict(d, today, earliest) for d in set(dates)}
            if not any(verdicts.values()):
                continue
            found.columns[slot] = dates = list(dates)
            for row, date in enumerate(dates):
                code = verdicts[date]
                if code and row not in found.nested:
                    fields = {"earliest": earliest} if code == "date-too-early" else {}
                    _add(found, row, contexts(row).issue(code, column, **fields))
                    dates[row] = None

    def _cross_check(self, contexts: Contexts, found: Batch) -> None:
        """Birth after death, and an age that disagrees with the two dates."""
        (birth_slot, _), (death_slot, _) = self.dates
        births, deaths = found.columns[birth_slot], found.columns[death_slot]
        ages = found.columns[self.age]
        for row in itertools.compress(range(len(births)), births):
            birth, death, age = births[row], deaths[row], ages[row]
            if not death or row in found.nested:
                continue
            if birth > death:
                _add(found, row, contexts(row).issue("birth-after-death", "birth_date"))
            elif age is not None and abs((death - birth).days / 365.25 - age) > 1.5:
                _add(found, row, contexts(row).issue("age-birth-mismatch", "age"))


@functools.lru_cache(64)
def _reader(columns: tuple[str, ...]) -> BatchReader:
    return BatchReader(columns, NORMALISED_COLUMNS)


def normalise_row(
    cells: dict[str, str], ctx: RowContext, settings: Settings, today: dt.date
) -> tuple[dict[str, Any], list[Issue]]:
    """Normalise the cells of one row (already renamed to records columns).

    Returns:
        The record's stored columns (display values and normalised forms) and the
        issues found. The row is valid if no issue has severity ``error``.
    """
    found = _reader(tuple(cells)).read(
        [(value,) for value in cells.values()], lambda _: ctx, settings, today
    )
    issues = found.issues.get(0, [])
    if found.nested:
        return {}, issues
    values = (column[0] for column in found.columns)
    return dict(zip(NORMALISED_COLUMNS, values, strict=True)), issues
