"""The persons a publication lists, built field by field from the policy's allow-list.

Only persons the toll counts (:func:`aban.grade.scope.counted_persons`: not
discounted, with a counted status) whose grade the policy names and whose
consent is not ``withheld`` are listed. Each listed person is built from an
explicit allow-list: a field is read from the canonical values only when the
policy allows it, and only the value itself (never its sources, record ids or
conflicts). Names appear only with ``public`` consent; a story (and a portrait)
only with ``public`` consent and a policy that allows it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, cast

from aban.site.policy import Consent, PublicationPolicy
from aban.text import parse_sex
from aban.text.forces import FORCE_SEPARATOR, known_forces, parse_forces
from aban.text.gazetteer import find_city, find_province
from aban.text.injuries import injury_region
from aban.text.vocab import VocabularyError, is_unknown
from aban.vocab.traits import age_of

__all__ = [
    "PersonRow",
    "Place",
    "PublishedPerson",
    "effective_consent",
    "listed_persons",
    "published_person",
]

#: A person as read from the register: row id, person id, canonical values,
#: identification level, grade and recorded consent (None when not recorded).
PersonRow = tuple[int, str, Mapping[str, Any], str, str, str | None]
_SEX = {"m": "male", "f": "female"}
#: Name scripts and where each goes (a mixed-script name only when no Latin one).
_SCRIPTS = (("latin", "latin"), ("persian", "persian"), ("mixed", "latin"))
#: Text fields published as written, when the policy allows them.
_PLAIN = ("cause", "occupation", "national_id")


@dataclass(frozen=True)
class Place:
    """A place in both scripts: the gazetteer's names, else the text as written."""

    en: str
    fa: str

    def to_dict(self) -> dict[str, str]:
        return {"en": self.en, "fa": self.fa}


@dataclass(frozen=True)
class PublishedPerson:
    """What a publication shows of one person (allowed fields only).

    Attributes:
        person_id: the person's id (``P000123``): page names come from it.
        consent: the consent in effect (recorded, else the policy's default).
        names: the name in each script (``latin``, ``persian``), when shown.
        father_names: the father's name in each script, when shown.
        values: the other allowed fields that have a value.
        story: the short story, when the policy and consent allow one.
        portrait: the portrait's file name under ``portraits/``, if any.
    """

    person_id: str
    consent: Consent
    names: dict[str, str] = field(default_factory=dict)
    father_names: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    story: str = ""
    portrait: str = ""

    @property
    def named(self) -> bool:
        """Whether a name is shown."""
        return bool(self.names)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (for the release digest; no provenance)."""
        values = {
            k: v.to_dict() if isinstance(v, Place) else v
            for k, v in self.values.items()
        }
        return {
            "person_id": self.person_id,
            "consent": self.consent,
            "names": dict(self.names),
            "father_names": dict(self.father_names),
            "values": values,
            "story": self.story,
            "portrait": self.portrait,
        }


def _value(canonical: Mapping[str, Any], name: str) -> Any:
    entry = canonical.get("fields", {}).get(name)
    value = None if entry is None else entry.get("value")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value


def _scripted(canonical: Mapping[str, Any], name: str, script: str) -> str | None:
    entry = canonical.get("names", {}).get(name, {}).get(script)
    value = None if entry is None else entry.get("value")
    return " ".join(str(value).split()) if value else None


def _names(canonical: Mapping[str, Any], *fields: str) -> dict[str, str]:
    """The name in each script: the full name, else the given and family names."""
    found: dict[str, str] = {}
    for script, slot in _SCRIPTS:
        if slot in found:
            continue
        parts = [_scripted(canonical, f, script) for f in fields[:1]]
        if not parts[0] and len(fields) > 1:
            parts = [_scripted(canonical, f, script) for f in fields[1:]]
        text = " ".join(p for p in parts if p)
        if text:
            found[slot] = text
    return found


def _place(text: Any, kind: str) -> Place | None:
    return None if text is None else _known_place(str(text), kind)


@cache
def _known_place(text: str, kind: str) -> Place | None:
    """A place's names in both scripts (cached: places repeat)."""
    if is_unknown(text):
        return None
    known = find_city(text) if kind == "city" else find_province(text)
    if known is not None:
        return Place(known.name_en, known.name_fa)
    written = " ".join(str(text).split())
    return Place(written, written)


def _province(canonical: Mapping[str, Any]) -> Place | None:
    place = _place(_value(canonical, "province"), "province")
    if place is not None:
        return place
    city = find_city(str(_value(canonical, "city") or ""))
    if city is None:
        return None
    return _place(city.province_en, "province")


@cache
def _sex(text: str) -> str:
    """``female``, ``male`` or ``other`` (any other word, as a vocabulary value)."""
    try:
        return _SEX.get(parse_sex(text) or "", "other")
    except VocabularyError:
        return "other"


def _date(value: Any) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        return None


def _forces(text: str) -> str | None:
    """The alleged forces as keys (``irgc;basij``), never the text as written:
    ``other`` when it names no known force, None when it says "not known"."""
    if not parse_forces(text):
        return None
    return FORCE_SEPARATOR.join(known_forces(text)) or "other"


def _field(canonical: Mapping[str, Any], name: str) -> Any:
    """One allowed descriptor, in its published form (None when absent)."""
    if name == "age":
        return age_of(canonical)
    if name in ("date_of_death", "birth_date"):
        return _date(_value(canonical, name))
    if name == "sex":
        sex = _value(canonical, "sex")
        return None if sex is None else _sex(str(sex))
    if name == "city":
        return _place(_value(canonical, "city"), "city")
    if name == "province":
        return _province(canonical)
    if name == "injury_location":
        text = _value(canonical, "injury_location")
        return None if text is None else injury_region(str(text)) or "other"
    if name == "alleged_force":
        text = _value(canonical, "alleged_force")
        return None if text is None else _forces(str(text))
    if name in _PLAIN:
        text = _value(canonical, name)
        return None if text is None else " ".join(str(text).split())
    return None


def published_person(
    person_id: str,
    canonical: Mapping[str, Any],
    level: str,
    grade: str,
    consent: Consent,
    policy: PublicationPolicy,
) -> PublishedPerson:
    """The published form of one listed person, from the policy's allow-list.

    Args:
        person_id: the person's id.
        canonical: ``persons.canonical`` (only allowed values are read).
        level: the identification level.
        grade: the verification grade.
        consent: the consent in effect (not ``withheld``).
        policy: the publication policy.
    """
    public = consent == "public"
    values: dict[str, Any] = {}
    for name in policy.fields:
        if name == "identification":
            values[name] = level
        elif name == "grade":
            values[name] = grade
        elif name not in ("name", "father_name"):
            found = _field(canonical, name)
            if found is not None:
                values[name] = found
    names = father = {}
    if public and policy.allows("name"):
        names = _names(canonical, "full_name", "given_name", "family_name")
    if public and policy.allows("father_name"):
        father = _names(canonical, "father_name")
    story = ""
    if public and policy.story:
        story = " ".join(str(_value(canonical, policy.story) or "").split())
    return PublishedPerson(person_id, consent, names, father, values, story)


def _order(person_id: str) -> tuple[int, str]:
    return (len(person_id), person_id)


def effective_consent(recorded: str | None, policy: PublicationPolicy) -> Consent:
    """The consent in effect: the recorded one, else the policy's default.

    An unrecognised recorded value counts as ``withheld`` (the safe side).
    """
    if recorded is None:
        return policy.default_consent
    if recorded in ("public", "public-without-name"):
        return cast("Consent", recorded)
    return "withheld"


def listed_persons(
    rows: Iterable[PersonRow], counted: set[int], policy: PublicationPolicy
) -> list[PublishedPerson]:
    """The persons a publication lists, by person id.

    Args:
        rows: ``(row id, person id, canonical values, level, grade, recorded
            consent)`` of every person.
        counted: row ids of the persons the toll counts.
        policy: the publication policy.
    """
    listed = []
    for row_id, pid, canonical, level, grade, recorded in rows:
        consent = effective_consent(recorded, policy)
        if row_id in counted and grade in policy.grades and consent != "withheld":
            person = published_person(pid, canonical, level, grade, consent, policy)
            listed.append(person)
    return sorted(listed, key=lambda p: _order(p.person_id))
