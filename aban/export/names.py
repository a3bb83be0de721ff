"""Source names as an export shows them: protected sources by a stable pseudonym.

Outside the full partner export, a protected source is named ``protected-source-N``
(N its row number in the register, which never changes), and an independence group
holding a protected source ``protected-group-N`` (N the lowest row number of the
group's sources), wherever a source or group is named: the sources table, record
references, detention events and the provenance inside canonical values. Person
canonical values pass through an allow-list of fields and entry keys, so a value
that is not an open field (the national id, anything added later) stays out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aban.export.fields import OPEN_VALUES
from aban.store.db import Connection
from aban.vocab.columns import NAME_COLUMNS

#: Canonical fields an export outside the full one may show (never the national id).
OPEN_FIELDS = frozenset(OPEN_VALUES)
_ENTRY_KEYS = ("value", "source", "record_id", "independent_sources", "records")


@dataclass(frozen=True)
class SourceNames:
    """How sources and groups are named in one export.

    Attributes:
        full: the full partner export (real names, every canonical field).
        names: real name to pseudonym, for protected sources.
        groups: real group to pseudonym, for groups with a protected source.
    """

    full: bool
    names: Mapping[str, str] = field(default_factory=dict)
    groups: Mapping[str, str] = field(default_factory=dict)

    def protected(self, name: str | None) -> bool:
        """Whether source ``name`` is protected (always False in the full
        export, which shows every source as it is)."""
        return name is not None and name in self.names

    def source(self, name: str | None) -> str | None:
        """The name to show for source ``name``."""
        return None if name is None else self.names.get(name, name)

    def group(self, group: str | None) -> str | None:
        """The name to show for independence group ``group``."""
        return None if group is None else self.groups.get(group, group)

    def ref(self, source: str, record_id: str) -> str:
        """A record reference, ``source/record_id`` (a source name has no slash)."""
        return f"{self.source(source)}/{record_id}"

    def canonical(self, value: Mapping[str, Any]) -> dict[str, Any]:
        """A person's canonical values with sources renamed and closed fields out."""
        names = {
            name: {script: self._entry(e) for script, e in by_script.items()}
            for name, by_script in value.get("names", {}).items()
            if self.full or name in NAME_COLUMNS
        }
        fields = {
            name: self._entry(entry)
            for name, entry in value.get("fields", {}).items()
            if self.full or name in OPEN_FIELDS
        }
        return {"names": names, "fields": fields}

    def _refs(self, refs: Any) -> list[list[str]]:
        get = self.names.get
        return [[get(s, s), r] for s, r in refs]

    def _entry(self, entry: Mapping[str, Any]) -> dict[str, Any]:
        if self.full:
            return dict(entry)
        out = {key: entry[key] for key in _ENTRY_KEYS if key in entry}
        out["source"] = self.source(entry.get("source"))
        out["records"] = self._refs(entry.get("records", ()))
        out["conflicts"] = [
            {"value": c.get("value"), "records": self._refs(c.get("records", ()))}
            for c in entry.get("conflicts", ())
        ]
        if "variants" in entry:
            out["variants"] = list(entry["variants"])
        return out


def source_names(conn: Connection, full: bool) -> SourceNames:
    """The naming of sources for an export of the register.

    Args:
        conn: the register.
        full: the full partner export, which shows every real name.
    """
    if full:
        return SourceNames(True)
    rows = conn.execute(
        "select id, name, independence_group, protected from sources order by id"
    ).fetchall()
    names = {name: f"protected-source-{row}" for row, name, _, p in rows if p}
    hidden = {group for _, _, group, p in rows if p and group}
    groups: dict[str, str] = {}
    for row, _, group, _ in rows:
        if group in hidden and group not in groups:
            groups[group] = f"protected-group-{row}"
    return SourceNames(False, names, groups)
