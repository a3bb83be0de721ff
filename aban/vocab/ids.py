"""The formats of the ids aban gives and reads: persons, evidence, record keys."""

from __future__ import annotations

import re

#: A person id as a user may type it: ``P000123``, ``P123`` or ``p123``.
_PERSON_ID = re.compile(r"^[Pp]0*(\d{1,12})$")
#: A person id as aban writes it.
_STORED_PERSON_ID = re.compile(r"^P(\d+)$")


def format_person_id(number: int) -> str:
    """The person id for ``number``: ``P`` and at least six digits."""
    return f"P{number:06d}"


def parse_person_id(text: str) -> str | None:
    """``P000123`` for ``P123``, ``p000123`` ...; None when not a person id."""
    match = _PERSON_ID.match(text.strip())
    return format_person_id(int(match.group(1))) if match else None


def person_number(person_id: str) -> int | None:
    """The number of a person id as aban writes it (``P000123``: 123), else None."""
    match = _STORED_PERSON_ID.match(person_id)
    return int(match.group(1)) if match else None


def format_evidence_id(row_id: int) -> str:
    """The evidence id of row ``row_id``: ``E`` and at least six digits."""
    return f"E{row_id:06d}"


def record_key(source: str, record_id: str) -> str:
    """The linkage key of a record: its source name and record id."""
    return f"{source}\x1f{record_id}"
