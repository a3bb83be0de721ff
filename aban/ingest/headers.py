"""Header words: matching a list's column names, guessing the records column of each.

Headers are compared by :func:`header_key`: the lookup key of the fixed vocabularies
(:func:`aban.text.vocab.vocabulary_key`: Arabic and Persian letter variants such as
ي/ی and ك/ک, ZWNJ, spaces, hyphens, underscores, dots and case do not matter) without
slashes, so that ``victim/name`` and ``victim.name`` (paths into a form's groups) are
one key. A mapping typed with Persian ی matches a header written with Arabic ي.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from aban.text.vocab import vocabulary_key
from aban.vocab.columns import ALL_COLUMNS

__all__ = [
    "HEADER_WORDS",
    "RAW_WORDS",
    "guess_columns",
    "header_key",
    "known_header",
    "raw_header",
]

# fmt: off
#: Records column -> header words that lists use for it, most specific first. A word
#: may stand for one column only. "نام" and "Name" are given names when the list also
#: has a family-name column, full names otherwise (see guess_columns).
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "record_id": (
        "record id", "_repeat_id", "_uuid", "_id", "id", "uuid", "شناسه", "ردیف",
        "شماره ردیف", "شماره", "کد", "no", "no.", "#", "number", "row", "ref",
    ),
    "full_name": (
        "نام و نام خانوادگی", "نام کامل", "اسم و فامیل", "نام جانباخته", "نام شهید",
        "full name", "victim name", "victim", "name of victim", "names",
    ),
    "given_name": ("نام کوچک", "first name", "given name", "forename"),
    "family_name": (
        "نام خانوادگی", "فامیل", "فامیلی", "surname", "family name", "last name",
    ),
    "father_name": (
        "نام پدر", "پدر", "father", "father's name", "father name", "fathers name",
    ),
    "sex": ("جنسیت", "جنس", "sex", "gender"),
    "age": ("سن", "سن (سال)", "age", "age (years)", "age in years"),
    "birth_date": ("تاریخ تولد", "date of birth", "birth date", "dob", "born"),
    "date_of_death": (
        "تاریخ فوت", "تاریخ شهادت", "تاریخ جانباختن", "تاریخ کشته شدن", "تاریخ مرگ",
        "تاریخ", "date of death", "death date", "date died", "died", "date",
    ),
    "city": (
        "شهر", "محل", "محل فوت", "محل جانباختن", "محل کشته شدن", "city", "town",
        "place", "place of death", "location",
    ),
    "province": ("استان", "province", "region", "state"),
    "country": ("کشور", "country"),
    "status": ("وضعیت", "سرنوشت", "status", "fate"),
    "cause": (
        "علت فوت", "علت مرگ", "علت", "نحوه کشته شدن", "نحوه فوت", "cause",
        "cause of death", "how killed",
    ),
    "injury_location": (
        "محل اصابت", "محل اصابت گلوله", "injury location", "wound", "wound location",
        "where hit",
    ),
    "circumstances": (
        "شرح", "شرح حادثه", "شرح ماجرا", "توضیحات", "circumstances", "description",
        "details", "what happened",
    ),
    "occupation": ("شغل", "occupation", "job", "profession"),
    "national_id": ("کد ملی", "شماره ملی", "national id", "national code"),
    "alleged_force": (
        "نیروی ضارب", "ضارب", "عامل", "alleged force", "perpetrator", "force",
    ),
    "informant": ("راوی", "گزارش دهنده", "informant", "reported by"),
    "contact": ("تلفن", "شماره تماس", "تماس", "contact", "phone"),
    "notes_private": ("یادداشت", "notes", "private notes"),
}

#: Header words of columns that have no records column: kept as raw data, and the
#: suggested mapping says so.
RAW_WORDS: tuple[str, ...] = (
    "source url", "url", "link", "لینک", "منبع", "source link", "_submission_time",
    "submission time", "start", "end", "today", "_index", "gps", "_geolocation",
    "عکس", "photo", "image", "timestamp",
)
# fmt: on

#: The words that are a given name beside a family-name column, else a full name.
_BARE_NAME = ("نام", "name", "اسم")


def header_key(header: str) -> str:
    """The key under which a header is compared (see the module docstring).

    Example:
        >>> header_key("نام خانوادگي") == header_key("نام‌خانوادگی")
        True
        >>> header_key("victim/name") == header_key("Victim.Name")
        True
    """
    return vocabulary_key(header).replace("/", "")


@functools.cache
def _word_targets() -> dict[str, str]:
    """Header key -> records column, for every word of :data:`HEADER_WORDS` and
    every records column's own name."""
    table = {header_key(c): c for c in ALL_COLUMNS}
    for target, words in HEADER_WORDS.items():
        for word in words:
            table.setdefault(header_key(word), target)
    return table


@functools.cache
def _raw_keys() -> frozenset[str]:
    return frozenset(map(header_key, RAW_WORDS))


def _last_segment(header: str) -> str:
    """The last part of a path into a form's groups (``victim/name`` -> ``name``)."""
    return header.replace(".", "/").rstrip("/").rsplit("/", 1)[-1]


def known_header(header: str) -> bool:
    """True if ``header`` is a header word (of a records column or of raw data)."""
    key = header_key(header)
    if not key:
        return False
    return (
        key in _word_targets()
        or key in _raw_keys()
        or header_key(_last_segment(header)) in _word_targets()
        or key in map(header_key, _BARE_NAME)
    )


def guess_columns(header: Sequence[str]) -> dict[str, str]:
    """Guess the records column of each header (each records column used once).

    A header is matched whole, then by its last path segment (``victim/age``); an
    earlier word of :data:`HEADER_WORDS` wins over a later one, and an earlier
    header over a later one with the same word. A bare "نام" or "Name" is the given
    name when a family-name column was found, else the full name.

    Returns:
        Header as written -> records column, for the headers guessed (in file order).
    """
    targets = _word_targets()
    keys = [header_key(h) for h in header]
    tails = [header_key(_last_segment(h)) for h in header]
    found: dict[int, str] = {}
    taken: set[str] = set()
    for target, words in (("_own", ALL_COLUMNS), *HEADER_WORDS.items()):
        for word in words:
            key = header_key(word)
            if target == "_own":
                column = targets[key]
            else:
                column = target
            if column in taken:
                continue
            for keyset in (keys, tails):
                at = next(
                    (i for i, k in enumerate(keyset) if k == key and i not in found),
                    None,
                )
                if at is not None:
                    found[at] = column
                    taken.add(column)
                    break
    bare = "given_name" if "family_name" in taken else "full_name"
    if bare not in taken:
        bare_keys = set(map(header_key, _BARE_NAME))
        for keyset in (keys, tails):
            at = next(
                (i for i, k in enumerate(keyset) if k in bare_keys and i not in found),
                None,
            )
            if at is not None:
                found[at] = bare
                break
    return {header[i]: found[i] for i in sorted(found)}


def raw_header(header: str) -> bool:
    """True if ``header`` is a known word of a column kept as raw data."""
    return header_key(header) in _raw_keys()
