"""A person's canonical values, chosen from its records, with provenance and conflicts.

For each field the records' values are grouped by their matching form (the
normalised name or place, the alleged force's keys, else the case-folded text), and
the groups ranked by:

1. the number of independence groups among the sources that give the value (two
   sources in one group count once; a source without a group is its own group);
2. the best reliability (HURIDOCS A best, then B ... E, then none) among them;
3. the number of records that give it;
4. the earliest record (register order), so the choice is deterministic.

The first group gives the value; its record from the most reliable source is the
provenance. The other groups are the conflicts, each with its records. Spellings
that differ only in form (``Tehran``, ``TEHRAN``) are variants of one value, not
conflicts; so are a city's or a province's names that the gazetteer reads as one
place (``Karaj`` and ``کرج``). Names are chosen per script, so a Persian and a
Latin spelling are both kept. Protected fields (informant, contact, private notes)
never enter.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from aban.text import script_of
from aban.text.gazetteer import find_city, find_province
from aban.vocab.columns import DESCRIPTOR_COLUMNS, NAME_COLUMNS
from aban.vocab.sources import Source

NAME_FIELDS = NAME_COLUMNS
FIELDS = DESCRIPTOR_COLUMNS
#: Fields compared by their stored matching form (the alleged force by its keys, so
#: that ``IRGC`` and ``سپاه`` are one value).
MATCH_COLUMNS = {
    f: f"{f}_norm" for f in (*NAME_FIELDS, "city", "province", "alleged_force")
}


@dataclass(frozen=True)
class _Candidate:
    value: Any
    key: str
    order: int
    record_id: str
    source: Source

    @property
    def ref(self) -> list[str]:
        return [self.source.name, self.record_id]

    @property
    def preference(self) -> tuple[int, int]:
        return (self.source.rank, self.order)


def _group_rank(group: Sequence[_Candidate]) -> tuple[int, int, int, int]:
    return (
        -len({c.source.independence for c in group}),
        min(c.source.rank for c in group),
        -len(group),
        min(c.order for c in group),
    )


def _refs(group: Iterable[_Candidate]) -> list[list[str]]:
    return [c.ref for c in sorted(group, key=lambda c: c.order)]


def _display(group: Sequence[_Candidate]) -> _Candidate:
    """The record whose spelling shows the value: most common, then most reliable."""
    counts = Counter(str(c.value) for c in group)
    return min(group, key=lambda c: (-counts[str(c.value)], *c.preference))


def _single(only: _Candidate) -> dict[str, Any]:
    return {
        "value": only.value,
        "source": only.source.name,
        "record_id": only.record_id,
        "independent_sources": 1,
        "records": [only.ref],
        "conflicts": [],
    }


def _choose(candidates: Sequence[_Candidate]) -> dict[str, Any]:
    """The canonical entry of one field from its candidates (at least one)."""
    if len(candidates) == 1:
        return _single(candidates[0])
    groups: dict[str, list[_Candidate]] = {}
    for candidate in candidates:
        groups.setdefault(candidate.key, []).append(candidate)
    ranked = sorted(groups.values(), key=_group_rank)
    best = ranked[0]
    shown = _display(best)
    entry: dict[str, Any] = {
        "value": shown.value,
        "source": shown.source.name,
        "record_id": shown.record_id,
        "independent_sources": len({c.source.independence for c in best}),
        "records": _refs(best),
        "conflicts": [
            {"value": _display(g).value, "records": _refs(g)} for g in ranked[1:]
        ],
    }
    variants = sorted({str(c.value) for c in best} - {str(shown.value)})
    if variants:
        entry["variants"] = variants
    return entry


@cache
def _place_key(field: str, text: str) -> str | None:
    """The gazetteer's name of a city or province (issue 17: ``Karaj`` and ``کرج``,
    ``Mahshahr`` and ``Bandar-e Mahshahr`` are one place, not a conflict)."""
    found = find_city(text) if field == "city" else find_province(text)
    return None if found is None else f"gazetteer:{found.name_en}"


def _candidates(
    field: str,
    records: Sequence[Mapping[str, Any]],
    sources: Mapping[str, Source],
) -> list[_Candidate]:
    found = []
    for order, record in enumerate(records):
        value = record.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        key = record.get(MATCH_COLUMNS.get(field, "")) or str(value).casefold()
        if field in ("city", "province"):
            key = _place_key(field, str(value)) or key
        source = sources.get(record["source"]) or Source(record["source"])
        found.append(
            _Candidate(value, str(key), order, str(record["record_id"]), source)
        )
    return found


def canonical_values(
    records: Sequence[Mapping[str, Any]], sources: Mapping[str, Source]
) -> dict[str, Any]:
    """Choose a person's canonical values from its records.

    Args:
        records: the person's records in register order, each with ``source``
            (its name), ``record_id`` and records-format fields, plus the stored
            ``*_norm`` matching forms where there are any.
        sources: source metadata by name; a source missing here counts as its own
            independence group with no reliability.

    Returns:
        ``{"names": {field: {script: entry}}, "fields": {field: entry}}``, only
        for fields some record gives. An entry is ``{"value", "source",
        "record_id", "independent_sources", "records", "conflicts"}`` (plus
        ``"variants"`` when spellings differ); ``records`` are ``[source,
        record_id]`` pairs and each conflict is ``{"value", "records"}``.
    """
    names: dict[str, dict[str, Any]] = {}
    for field in NAME_FIELDS:
        by_script: dict[str, list[_Candidate]] = {}
        for candidate in _candidates(field, records, sources):
            script = script_of(str(candidate.value)) or "none"
            by_script.setdefault(script, []).append(candidate)
        if by_script:
            names[field] = {s: _choose(c) for s, c in sorted(by_script.items())}
    fields = {}
    for field in FIELDS:
        found = _candidates(field, records, sources)
        if found:
            fields[field] = _choose(found)
    return {"names": names, "fields": fields}


def display_name(canonical: Mapping[str, Any], script: str | None = None) -> str | None:
    """The person's name to show: the full name, else given and family names.

    Args:
        canonical: what :func:`canonical_values` returned.
        script: ``"persian"`` or ``"latin"`` to prefer that script; otherwise the
            script with the most independent support.

    Returns:
        The name, or None when no record names the person.
    """
    names = canonical.get("names", {})

    def pick(field: str) -> str | None:
        entries = names.get(field, {})
        if not entries:
            return None
        if script in entries:
            return str(entries[script]["value"])
        best = max(entries.values(), key=lambda e: len(e["records"]))
        return str(best["value"])

    full = pick("full_name")
    if full:
        return full
    parts = [p for p in (pick("given_name"), pick("family_name")) if p]
    return " ".join(parts) or None


def name_in_script(canonical: Mapping[str, Any], script: str) -> str | None:
    """The person's name as a source wrote it in ``script`` (``latin`` or
    ``persian``): the full name, else given and family names; None when no source
    wrote it in that script (never a transliteration, never the other script)."""
    names = canonical.get("names", {})

    def pick(field: str) -> str | None:
        entry = names.get(field, {}).get(script)
        return str(entry["value"]) if entry else None

    parts = [p for p in (pick("given_name"), pick("family_name")) if p]
    return pick("full_name") or " ".join(parts) or None
