"""What a viewer may see: protected fields and protected sources' names removed.

Viewers never see a record's protected fields (``informant``, ``contact``,
``notes_private``, ``national_id``), the raw row as the source wrote it (it holds
them too), an evidence file's original name, nor the name of a protected source:
wherever a source is named, a protected source becomes ``None`` (shown as
"protected source") and its notes are left out (the rule the partner export
follows too: :func:`aban.vocab.sources.source_text`). Every page and JSON answer
is built from what these functions return, so no URL shows more.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from aban.vocab.columns import PROTECTED_COLUMNS
from aban.vocab.sources import source_text

#: Record fields viewers never see.
PROTECTED_FIELDS: tuple[str, ...] = ("national_id", *PROTECTED_COLUMNS)
#: Other values viewers never see: the raw row, evidence files' original names.
HIDDEN_KEYS = frozenset({*PROTECTED_FIELDS, "raw", "original_name"})


def source_name(name: str | None, protected: Collection[str], sees: bool) -> str | None:
    """The source's name, or None when it is protected and the reader a viewer."""
    if name is None or (not sees and name in protected):
        return None
    return name


def _refs(refs: Any, protected: Collection[str], sees: bool) -> list[list[Any]]:
    return [[source_name(s, protected, sees), r] for s, r in refs]


def _entry(
    entry: Mapping[str, Any], protected: Collection[str], sees: bool
) -> dict[str, Any]:
    shown = dict(entry)
    shown["source"] = source_name(entry.get("source"), protected, sees)
    shown["records"] = _refs(entry.get("records", []), protected, sees)
    shown["conflicts"] = [
        {**c, "records": _refs(c.get("records", []), protected, sees)}
        for c in entry.get("conflicts", [])
    ]
    return shown


def canonical_view(
    canonical: Mapping[str, Any], protected: Collection[str], sees: bool
) -> dict[str, Any]:
    """A person's canonical values as the reader may see them."""
    names = {
        field: {script: _entry(e, protected, sees) for script, e in scripts.items()}
        for field, scripts in canonical.get("names", {}).items()
    }
    fields = {
        field: _entry(e, protected, sees)
        for field, e in canonical.get("fields", {}).items()
        if sees or field not in HIDDEN_KEYS
    }
    return {"names": names, "fields": fields}


def record_view(
    record: Mapping[str, Any], protected: Collection[str], sees: bool
) -> dict[str, Any]:
    """A record (a dict of its columns) as the reader may see it."""
    shown = {k: v for k, v in record.items() if sees or k not in HIDDEN_KEYS}
    if "source" in shown:
        shown["source"] = source_name(record["source"], protected, sees)
    return shown


def history_view(
    entries: list[dict[str, Any]], protected: Collection[str], sees: bool
) -> list[dict[str, Any]]:
    """Detention history entries (``Entry.to_dict``) as the reader may see them."""
    shown = []
    for entry in entries:
        source = entry.get("source")
        note = source_text(entry.get("note"), source in protected, sees)
        # the term is read from the note: hidden with it
        term = entry.get("term") if note is not None else None
        shown.append(
            {
                **entry,
                "source": source_name(source, protected, sees),
                "note": note,
                "term": term,
            }
        )
    return shown


def conflicts_view(
    conflicts: list[dict[str, Any]], protected: Collection[str], sees: bool
) -> list[dict[str, Any]]:
    """Detention conflicts (``Conflict.to_dict``) as the reader may see them."""
    return [
        {
            **c,
            "sources": [source_name(s, protected, sees) for s in c.get("sources", [])],
        }
        for c in conflicts
    ]
