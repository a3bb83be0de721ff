"""What the cells of a real list mean beyond their column's format (issue 15).

Lists written by hand say "not known" in words (``Unknown``, ``نامعلوم``, ``-``,
``؟``), put honorifics before names (``شهید``, ``سید``, ``Haj``), leave the year out of
dates of the event they document (``25 آبان``) and have rows that say nothing about
a person. The functions here work on a batch's columns, as aban/ingest/validate.py
reads them: each costs a scan of a column, and work per cell only where a cell
needs it.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections.abc import Callable, Sequence
from typing import Any

from aban.ingest.issues import Issue
from aban.text import normalise_name
from aban.text.dates import date_within, parse_day_month
from aban.text.keys import HONORIFICS, drop_honorifics
from aban.text.vocab import NOT_KNOWN_WORDS, PLACEHOLDER_MARKS, is_unknown
from aban.vocab.columns import PERSON_COLUMNS

__all__ = [
    "CELL_ERRORS",
    "EventDates",
    "FEW_VALUES",
    "blank_not_known",
    "drop_honorific_norm",
    "drop_honorific_norms",
    "empty_bad_cells",
    "rows_without_person",
    "years_from_event",
]

#: The first and last day of the workspace's event (aban.toml ``[event]``).
EventDates = tuple[dt.date, dt.date]
#: The longest cell that can be a word for "not known" ("اطلاعی نیست" and the like).
_LONGEST_NOT_KNOWN = 40
#: Errors about one cell's value: with ``--skip-invalid cells`` the cell is emptied
#: and the row kept. (Errors of a record id, a source or a row's shape refuse it.)
CELL_ERRORS = frozenset(
    (
        "cell-too-long",
        "control-characters",
        "formula-in-cell",
        "date-unparseable",
        "date-impossible",
        "date-year-missing",
        "date-in-future",
        "date-too-early",
        "birth-after-death",
        "age-not-a-number",
        "age-out-of-range",
        "sex-unknown",
        "status-unknown",
    )
)
_HONORIFIC_START = re.compile(
    "^(?:" + "|".join(map(re.escape, sorted(HONORIFICS, key=len, reverse=True))) + ") ",
    re.MULTILINE,
)


# Spellings of one letter that is_unknown folds (Arabic yeh and kaf, alef forms).
_LETTER_FORMS = {
    "ی": "یيىئ",
    "ک": "کك",
    "ا": "اآأإ",
}
_INSIDE = r"[ \t\u00a0\u200c-\u200f\u061c\-_.]*"
_EDGE = r"(?:[^\S\x1f]|[\u200c-\u200f\u061c\-_.])*"


def _word_pattern(word: str) -> str:
    """A word for "not known" as a pattern: each letter in any of its forms, with
    spaces, joiners, hyphens or dots between them."""
    letters = [
        f"[{re.escape(_LETTER_FORMS[c])}]" if c in _LETTER_FORMS else re.escape(c)
        for c in word.replace(" ", "")
    ]
    return _INSIDE.join(letters)


#: The first letters of the words and the marks, in both cases: a cell that starts
#: with none of them is passed over after one look.
_FIRST = (
    re.escape(
        "".join(
            sorted(
                {f for w in NOT_KNOWN_WORDS for f in _LETTER_FORMS.get(w[0], w[0])}
                | {w[0].upper() for w in NOT_KNOWN_WORDS}
            )
        )
    )
    + PLACEHOLDER_MARKS
)
#: A cell that may be a word for "not known" (checked then with is_unknown), among
#: cells joined by \x1f, the string starting with one: a search with a literal
#: first looks only at the start of each cell, in C, where most cells fail at once.
_MAYBE_NOT_KNOWN = re.compile(
    f"\x1f{_EDGE}(?=[{_FIRST}])(?:"
    + "|".join(_word_pattern(w) for w in sorted(NOT_KNOWN_WORDS, key=len, reverse=True))
    + rf"|[{PLACEHOLDER_MARKS}][{PLACEHOLDER_MARKS} \t]*"
    + f"){_EDGE}(?=\x1f|$)",
    re.IGNORECASE,
)


@functools.lru_cache(1 << 16)
def _not_known(value: str) -> bool:
    return 0 < len(value) <= _LONGEST_NOT_KNOWN and is_unknown(value)


#: A column of a batch with at most this many distinct values has each value looked
#: at once (most columns: sex, status, places, causes), not each cell searched.
FEW_VALUES = 64


@functools.lru_cache(1 << 16)
def _blank(value: str) -> bool:
    """Whether :func:`blank_not_known` empties the cell ``value`` (in a column
    whose cells hold no \\x1f): the search finds it, and it is a word for "not
    known"."""
    return _MAYBE_NOT_KNOWN.match("\x1f" + value) is not None and _not_known(value)


def blank_not_known(
    column: Sequence[str], distinct: set[str] | None = None
) -> tuple[Sequence[str], int]:
    """A column's cells with each word for "not known" made empty, and how many were.

    The words are :func:`aban.text.vocab.is_unknown`'s (``Unknown``, ``n/a``, ``-``,
    ``?``, ``نامعلوم``, ``نامشخص``, ``مشخص نیست``, ``ندارد``, ...). If the column
    has few distinct values (``distinct``, when given), each is checked once;
    otherwise one search finds the cells that may be one, and only those are checked.

    Example:
        >>> blank_not_known(["Tehran", "Unknown", "-", "Tehran"])
        (['Tehran', '', '', 'Tehran'], 2)
    """
    if (
        distinct is not None
        and len(distinct) <= FEW_VALUES
        and not any("\x1f" in value for value in distinct)
    ):
        hits = {value for value in distinct if _blank(value)}
        if not hits:
            return column, 0
        found = hits.__contains__
        return ["" if found(v) else v for v in column], sum(map(found, column))
    joined = "\x1f" + "\x1f".join(column)
    first = _MAYBE_NOT_KNOWN.search(joined)
    if first is None:
        return column, 0  # most columns: one search in C, no cell looked at alone
    if joined.count("\x1f") != len(column):  # a cell holds the separator
        hits = {value for value in set(column) if _not_known(value)}
        found = hits.__contains__
        return ["" if found(v) else v for v in column], sum(map(found, column))
    out, count, row, at = list(column), 0, 0, 0
    for match in _MAYBE_NOT_KNOWN.finditer(joined, first.start()):
        row += joined.count("\x1f", at, match.start())
        at = match.start()
        if _not_known(column[row]):
            out[row] = ""
            count += 1
    return (out, count) if count else (column, 0)


def drop_honorific_norm(
    display: str | None, norm: str | None, family: bool = False
) -> str | None:
    """:func:`drop_honorific_norms` of one name (a cell read once for its repeats).

    Example:
        >>> drop_honorific_norm("Seyed Ali Rostami", "seyed ali rostami")
        'ali rostami'
    """
    if not display or not norm or _HONORIFIC_START.match(norm) is None:
        return norm
    rest = drop_honorifics(display, family)
    return (normalise_name(rest) or None) if rest != display else norm


def drop_honorific_norms(
    displays: Sequence[str | None],
    norms: Sequence[str | None],
    family: bool = False,
) -> Sequence[str | None]:
    """The normalised forms of name cells without the honorifics in front.

    The display forms keep them (as the raw values do); the normalised form of a
    name written ``شهید سید علی رستمی`` is that of ``علی رستمی``. Only a word of its
    own is an honorific, never the only word left (:func:`drop_honorifics`).

    Args:
        displays: the names' display forms (cleaned as written).
        norms: their normalised forms, as read (one per display form).
        family: the names are family names (:func:`drop_honorifics`).
    """
    joined = "\n".join([norm or "" for norm in norms])
    first = _HONORIFIC_START.search(joined)
    if first is None:
        return norms
    out, row, at = list(norms), 0, 0
    for match in _HONORIFIC_START.finditer(joined, first.start()):
        row += joined.count("\n", at, match.start())
        at = match.start()
        out[row] = drop_honorific_norm(displays[row], norms[row], family)
    return out


_read_day_month = functools.lru_cache(1 << 12)(parse_day_month)


def years_from_event(
    cells: Sequence[str],
    values: list[Any],
    codes: list[str | None],
    event: EventDates | None,
) -> None:
    """Read the dates of a column written without a year, in place.

    A cell that is not a date (``date-unparseable``) but a day and a month name
    (``25 آبان``, ``Nov 16``) takes the year in which that day falls within the
    event's dates (code ``date-year-from-event``, a warning); without an event, or
    when the day falls outside it, the code is ``date-year-missing`` (an error).

    Args:
        cells: the column's cells as written.
        values: the dates read (None where unreadable); filled in.
        codes: each cell's issue code or None; changed where a year was looked for.
        event: the event's first and last day, if the workspace has an event.
    """
    for row in itertools.compress(range(len(codes)), codes):
        if codes[row] != "date-unparseable":
            continue
        day = _read_day_month(cells[row])
        if day is None:
            continue
        date = date_within(*day, *event) if event else None
        values[row] = date
        codes[row] = "date-year-missing" if date is None else "date-year-from-event"


@functools.lru_cache(16)
def _cell_slots(fields: tuple[str, ...]) -> dict[str, tuple[int, ...]]:
    """Where a record keeps each column that can be emptied: its value and its
    normalised form."""
    slot = {name: i for i, name in enumerate(fields)}
    return {
        name: tuple(slot[f] for f in (name, f"{name}_norm") if f in slot)
        for name in fields
        if name not in ("record_id", "source") and not name.endswith("_norm")
    }


def empty_bad_cells(
    issues: dict[int, list[Issue]],
    columns: list[Sequence[Any]],
    fields: Sequence[str],
    nested: set[int],
    issue: Callable[[int, str, Issue], Issue],
) -> None:
    """Empty the cells whose value is an error, keeping their rows
    (``--skip-invalid cells``), in place.

    Each error of :data:`CELL_ERRORS` in a column of the record becomes the warning
    ``issue(row, column, error)`` (``cell-emptied``) and the column's values in that
    row (value and normalised form) become None. Rows with a nested value are left
    as they are: they are refused.

    Args:
        issues: the issues by row.
        columns: the values read, one sequence per field (lists where any value is
            set).
        fields: the name of each field.
        nested: the rows with a nested value.
        issue: makes the warning that replaces an error.
    """
    slots = _cell_slots(tuple(fields))
    for row, found in issues.items():
        if row in nested:
            continue
        for k, error in enumerate(found):
            where = slots.get(error.column or "")
            if error.severity != "error" or error.code not in CELL_ERRORS or not where:
                continue
            for slot in where:
                if columns[slot][row] is not None:
                    columns[slot][row] = None  # type: ignore[index]  # a list
            found[k] = issue(row, error.column or "", error)


def rows_without_person(
    columns: list[Sequence[Any]], fields: Sequence[str], rows: int
) -> list[int]:
    """The rows with no value in any of :data:`aban.vocab.columns.PERSON_COLUMNS`.

    Example:
        >>> rows_without_person([["Ali", None], [None, None]], ["full_name", "age"], 2)
        [1]
    """
    candidates: list[int] = list(range(rows))
    for name in PERSON_COLUMNS:
        if name not in fields or not candidates:
            continue
        column = columns[list(fields).index(name)]
        candidates = [row for row in candidates if column[row] is None]
    return candidates
