"""The stories the team writes for the memorial: a short biography and the
circumstances of the death, in English and Persian (``aban person story``).

A story is the team's own text, written for publication (never a source's
words): it is published only for a person whose consent is ``public``, and only
when ``[publication] stories`` is on (the default). Each write is audited; the
audit entry names the person and the parts written, never the text.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from aban.errors import StoreError
from aban.store.db import Connection, transaction
from aban.store.persons import find_person
from aban.store.workspace import Workspace, now

__all__ = ["PARTS", "STORY_LIMIT", "Story", "StoryChange", "read_stories", "set_story"]

#: The parts of a story, each in English and Persian (``biography_fa``...).
PARTS = ("biography_en", "biography_fa", "circumstances_en", "circumstances_fa")
#: The longest part accepted, in characters: a short story, not a dossier.
STORY_LIMIT = 4_000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_PERSIAN = re.compile("[\u0600-\u06ff]")


@dataclass(frozen=True)
class Story:
    """A person's story as published, each part "" when not written.

    Attributes:
        biography: the short biography, by language (``en``, ``fa``).
        circumstances: the circumstances of the death, by language.
    """

    biography: Mapping[str, str]
    circumstances: Mapping[str, str]

    def to_dict(self) -> dict[str, dict[str, str]]:
        return {
            "biography": dict(self.biography),
            "circumstances": dict(self.circumstances),
        }


@dataclass(frozen=True)
class StoryChange:
    """What :func:`set_story` did (no text: the story may identify a person)."""

    person_id: str
    written: tuple[str, ...]
    head: str


def _clean(text: str, part: str) -> str:
    """A part's text: paragraphs kept, spaces collapsed within each.

    Raises:
        StoreError: control characters, too long, or a Persian part without
            Persian letters.
    """
    if _CONTROL.search(text):
        raise StoreError(f"{part}: control characters; save the file as plain text")
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    cleaned = "\n\n".join(p for p in paragraphs if p)
    if len(cleaned) > STORY_LIMIT:
        raise StoreError(
            f"{part}: {len(cleaned):,} characters; a story holds at most "
            f"{STORY_LIMIT:,}: shorten it"
        )
    if cleaned and part.endswith("_fa") and not _PERSIAN.search(cleaned):
        raise StoreError(f"{part}: no Persian letters; give the Persian text")
    return cleaned


def set_story(ws: Workspace, text: str, parts: Mapping[str, str]) -> StoryChange:
    """Write parts of a person's story (the others are kept) and audit it.

    Args:
        ws: an open workspace.
        text: the person's id (``P000123``).
        parts: the parts to write (:data:`PARTS`), each its text; "" clears one.

    Raises:
        StoreError: unknown person, an unknown part, or a text refused (see
            :func:`_clean`).
    """
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        raise StoreError(
            f"unknown story part {unknown[0]!r} (known: {', '.join(PARTS)})"
        )
    cleaned = {part: _clean(value, part) or None for part, value in parts.items()}
    with transaction(ws.conn):
        row_id, person_id = find_person(ws.conn, text)
        ws.conn.execute(
            "insert or ignore into person_stories (person_id, written_by, written_at) "
            "values (?, ?, ?)",
            (row_id, ws.settings.actor, now()),
        )
        for part, value in cleaned.items():
            # Column names come from PARTS, never from input.
            ws.conn.execute(
                f"update person_stories set {part} = ?, written_by = ?, "
                "written_at = ? where person_id = ?",
                (value, ws.settings.actor, now(), row_id),
            )
        empty = " and ".join(f"{p} is null" for p in PARTS)
        ws.conn.execute(
            f"delete from person_stories where person_id = ? and {empty}", (row_id,)
        )
        written = tuple(sorted(cleaned))
        head = ws.record_audit(
            "person-story", {"person": person_id, "parts": list(written)}
        )
    return StoryChange(person_id, written, head)


def read_stories(conn: Connection, person_ids: Collection[str]) -> dict[str, Story]:
    """The stories of the persons ``person_ids`` (ids such as ``P000123``)."""
    rows = conn.execute(
        "select p.person_id, s.biography_en, s.biography_fa, s.circumstances_en, "
        "s.circumstances_fa from person_stories s join persons p on p.id = s.person_id"
    )
    wanted = set(person_ids)
    return {
        pid: Story(
            {"en": bio_en or "", "fa": bio_fa or ""},
            {"en": cir_en or "", "fa": cir_fa or ""},
        )
        for pid, bio_en, bio_fa, cir_en, cir_fa in rows
        if pid in wanted
    }
