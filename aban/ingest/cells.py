"""Reading one cell: cached normalisers, and the checks every cell gets.

Lists repeat their values (places, dates, common names, vocabularies) a great deal,
so each cell's reading is cached: value in, (result, issue code or None) out. Names
are read word by word, since words repeat far more than whole names.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
from collections.abc import Callable, Sequence
from typing import Any

from aban import text
from aban.ingest.json import NESTED
from aban.text import VocabularyError
from aban.text.dates import DateError, numeric_order

CACHE = 1 << 16
#: Words of names and places: a million simulated records with surnames as varied
#: as Iran's hold about 80,000 distinct words, and a cache smaller than the words
#: of a file evicts each before it comes again (the import slowed by a quarter).
WORD_CACHE = 1 << 18
#: A vocabulary cell read: (value, issue code or None); (None, None) when empty.
Reading = tuple[Any, str | None]
#: A name or place cell read: display form, normalised form, script of the display.
NameReading = tuple[str | None, str | None, str]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")
_FORMULA_START = frozenset("=+-@")
_FORMULA = re.compile(r"^\s*(=|[+\-@]\s*[A-Za-z_][A-Za-z0-9_.]*\s*\()")
# What might be a cell issue in cells joined with \x1f: a control character (NESTED
# starts with \x00), or a cell that starts with a formula character. Separate patterns
# with a literal or a class first: the regex engine scans for those quickly. The
# whitespace before a formula character excludes \x1f (itself whitespace), so that a
# run of empty cells is not scanned again from each of them.
_CONTROL_IN_CELLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1e\x7f\x80-\x9f]")
_FORMULA_IN_CELLS = re.compile(r"\x1f[^\S\x1f]*[=+\-@]")
_FORMULA_FIRST = re.compile(r"[^\S\x1f]*[=+\-@]")


def cached_reader(parser: Callable[[str], Any]) -> Callable[[str], Reading]:
    """``parser`` of the cleaned cell, cached, its VocabularyError as an issue code."""

    @functools.lru_cache(CACHE)
    def read(value: str) -> Reading:
        if not value:
            return None, None
        try:
            return parser(text.clean_text(value)), None
        except VocabularyError as err:
            return None, err.code

    return read


@functools.lru_cache(WORD_CACHE)
def read_word(word: str) -> NameReading:
    """One word of a name or place: display form, normalised form, script."""
    clean = text.clean_text(word)
    return clean or None, text.normalise_name(clean) or None, text.script_of(clean)


@functools.lru_cache(CACHE)
def read_name(value: str) -> NameReading:
    """A name or place cell: (display form, normalised form, script of the display).

    Read word by word: clean_text, normalise_name and script_of treat
    whitespace-separated words independently and join them with single spaces, so
    the result is the same as reading the whole cell (tests/ingest/test_validate.py).
    """
    words = value.split()
    if len(words) == 1:
        return read_word(words[0])
    if not words:
        return None, None, ""
    cleans, norms, scripts = zip(*map(read_word, words), strict=True)
    script = scripts[0] if len(set(scripts)) == 1 else combined_script(set(scripts))
    if None in cleans or None in norms:
        clean, norm = " ".join(filter(None, cleans)), " ".join(filter(None, norms))
        return clean or None, norm or None, script
    return " ".join(cleans), " ".join(norms), script


# Reading a column of names word by word: each cell's words, then an end mark, which
# no word can be (words hold no whitespace), read as a separator, which no reading of
# a word holds (control characters are removed).
_END, _SEPARATOR = " ", "\x00"
_SEPARATED: NameReading = (_SEPARATOR, _SEPARATOR, _SEPARATOR)
_AFTER_CELL = [_END]
_ITEMS = tuple(map(operator.itemgetter, range(3)))


@functools.lru_cache(WORD_CACHE)
def _column_word(word: str) -> NameReading:
    return _SEPARATED if word == _END else read_word(word)


@functools.lru_cache(1024)
def _words_script(scripts: str) -> str:
    return combined_script(set(scripts.split()))


def read_names_by_word(cells: Sequence[str]) -> list[Sequence[Any]] | None:
    """The readings of a column of name cells (as :func:`read_name`), as three
    columns: display forms, normalised forms, scripts.

    For cells of several words, which seldom repeat whole: every word is read from
    the word cache, and the words of each cell joined, in one pass over the column.
    None if a word reads as nothing (then read each cell with :func:`read_name`).
    """
    cut = map(operator.add, map(str.split, cells), itertools.repeat(_AFTER_CELL))
    readings = list(map(_column_word, itertools.chain.from_iterable(cut)))
    cleans, norms = list(map(_ITEMS[0], readings)), list(map(_ITEMS[1], readings))
    if None in cleans or None in norms:
        return None
    joined = [" ".join(forms).split(_SEPARATOR)[:-1] for forms in (cleans, norms)]
    display, norm = ([p.strip() or None for p in parts] for parts in joined)
    scripts = " ".join(map(_ITEMS[2], readings)).split(_SEPARATOR)[:-1]
    return [display, norm, list(map(_words_script, scripts))]


def combined_script(scripts: set[str]) -> str:
    """script_of of texts joined by spaces, from the script of each ("" if none)."""
    scripts.discard("")
    if len(scripts) > 1:
        return "mixed"
    return scripts.pop() if scripts else ""


@functools.lru_cache(256)
def record_script(scripts: tuple[str, ...]) -> str:
    """A record's script from the scripts of its names ("none" if it has none)."""
    return combined_script(set(scripts)) or "none"


@functools.lru_cache(CACHE)
def read_text(value: str) -> str | None:
    """A free-text cell's display form, None if nothing is left."""
    return text.clean_text(value) or None


read_date = cached_reader(text.parse_date)


def _parse_mixed(value: str) -> Any:
    """A date of a column that writes some dates day first and some month first
    (:mod:`aban.ingest.dateorder`): one that can be read either way is an issue."""
    kind = numeric_order(value)
    if kind == "either":
        raise DateError("date-order-mixed")
    return text.parse_date(
        value, "month-first" if kind == "month-first" else "day-first"
    )


#: Date readers by a column's order of day and month (see aban/ingest/dateorder.py).
DATE_READERS: dict[str, Callable[[str], Reading]] = {
    "day-first": read_date,
    "month-first": cached_reader(
        functools.partial(text.parse_date, order="month-first")
    ),
    "mixed": cached_reader(_parse_mixed),
}
VOCABULARIES: dict[str, Callable[[str], Reading]] = {
    "sex": cached_reader(text.parse_sex),
    "status": cached_reader(text.parse_status),
    "age": cached_reader(text.parse_age),
    "birth_date": read_date,
    "date_of_death": read_date,
}


@functools.lru_cache(CACHE)
def read_force(value: str) -> str | None:
    """An alleged-force cell's stored form (:func:`aban.text.force_key`)."""
    return text.force_key(value) if value else None


#: Text columns also stored in a normalised form (``<column>_norm``), by reader.
#: Their display form is the cleaned text (:func:`read_text`); a value outside the
#: vocabulary is kept as written, not an issue.
NORMALISED_TEXTS: dict[str, Callable[[str], str | None]] = {
    "alleged_force": read_force,
}


def clean_cells(values: Sequence[str], limit: int) -> bool:
    """True if none of ``values`` can have a cell issue (one scan for all of them)."""
    joined = "\x1f".join(values)
    return (
        _CONTROL_IN_CELLS.search(joined) is None
        and _FORMULA_IN_CELLS.search(joined) is None
        and _FORMULA_FIRST.match(joined) is None
        and joined.count("\x1f") == len(values) - 1
        and (len(joined) <= limit or max(map(len, values), default=0) <= limit)
    )


def cell_issue(value: str, limit: int) -> tuple[str | None, dict[str, Any]]:
    """The issue code any cell can have whatever its column (None if none), and the
    fields of its message."""
    if not value:
        return None, {}
    if value == NESTED:
        return "nested-value", {}
    if len(value) > limit:
        return "cell-too-long", {"limit": limit}
    if _CONTROL.search(value):
        return "control-characters", {}
    if value.lstrip()[:1] in _FORMULA_START and _FORMULA.match(value):
        return "formula-in-cell", {}
    return None, {}
