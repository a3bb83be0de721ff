"""How well a person is identified (DESIGN.md 3).

Levels, best first:

* ``full_name``: a given and a family name, or a full name of at least two words;
* ``partial_name``: only a given or only a family name (or a one-word full name);
* ``descriptors_only``: no name, but age, birth date, sex, place (city or province)
  or injury location;
* ``unidentified``: none of these.

A father's name alone does not name the person: it is a descriptor. Words are
separated by whitespace only, so a hyphenated or ZWNJ-joined compound
(``Mohammad-Reza``, ``محمد‌رضا``) is one word.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

Level = Literal["full_name", "partial_name", "descriptors_only", "unidentified"]
#: The levels, best first (the same names ``aban status`` counts).
LEVELS: tuple[Level, ...] = (
    "full_name",
    "partial_name",
    "descriptors_only",
    "unidentified",
)
DESCRIPTORS = (
    "age",
    "birth_date",
    "sex",
    "city",
    "province",
    "injury_location",
    "father_name",
)


def _present(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _words(value: Any) -> int:
    return len(str(value).split()) if _present(value) else 0


def identification_level(values: Mapping[str, Any]) -> Level:
    """The identification level of one set of values (a record, or canonical values).

    Args:
        values: records-format fields (``full_name``, ``given_name``,
            ``family_name``, ``age``, ``sex``, ``city``, ...); missing keys and
            empty values count as absent.

    Returns:
        One of :data:`LEVELS`.

    Example:
        >>> identification_level({"given_name": "Ali", "family_name": "Karimi"})
        'full_name'
        >>> identification_level({"full_name": "Ali", "age": 23})
        'partial_name'
    """
    given = _present(values.get("given_name"))
    family = _present(values.get("family_name"))
    full_words = _words(values.get("full_name"))
    if (given and family) or full_words >= 2:
        return "full_name"
    if given or family or full_words == 1:
        return "partial_name"
    if any(_present(values.get(name)) for name in DESCRIPTORS):
        return "descriptors_only"
    return "unidentified"


def person_level(records: Iterable[Mapping[str, Any]]) -> Level:
    """The identification level of a person from all of its records together.

    The records are one person's, so a given name in one record and a family name in
    another identify the person fully.

    Args:
        records: the person's records, records-format fields.

    Returns:
        One of :data:`LEVELS`.
    """
    merged: dict[str, Any] = {}
    best_full = ""
    for record in records:
        for name, value in record.items():
            if _present(value):
                merged.setdefault(name, value)
        if _words(record.get("full_name")) > _words(best_full):
            best_full = str(record["full_name"])
    merged["full_name"] = best_full or None
    return identification_level(merged)
