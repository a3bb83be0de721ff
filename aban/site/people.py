"""The persons a publication lists, built field by field from the policy's allow-list.

Only persons the toll counts (:func:`aban.grade.scope.counted_persons`: not
discounted, with a counted status) whose grade the policy names and whose
consent is not ``withheld`` are listed. Each listed person is built from an
explicit allow-list: a field is read from the canonical values only when the
policy allows it, and only the value itself (never its record ids or conflicts).

Consent decides the rest (issue 13). What identifies a person
(:data:`IDENTIFYING_FIELDS`, the story and the portrait) appears only with
``public`` consent. So does text as a source wrote it (:data:`WRITTEN_FIELDS`, and
a place the gazetteer does not know), and then only when the source of that value
is not protected (:func:`aban.vocab.sources.source_text`); without it, a person is
described by vocabulary values alone (age, sex, the gazetteer's places, date of
death, body region, forces).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any, cast

from aban.site.consent import why_unnamed
from aban.site.policy import Consent, PublicationPolicy
from aban.text import parse_sex
from aban.text.forces import FORCE_SEPARATOR, known_forces, parse_forces
from aban.text.gazetteer import find_city, find_province
from aban.text.injuries import injury_region
from aban.text.keys import drop_honorifics
from aban.text.transliterate import NameLexicon, learn_lexicon, published_persian
from aban.text.vocab import VocabularyError, is_unknown
from aban.vocab.sources import source_text
from aban.vocab.traits import age_of

__all__ = [
    "IDENTIFYING_FIELDS",
    "WRITTEN_FIELDS",
    "PersonRow",
    "Place",
    "PublishedPerson",
    "effective_consent",
    "listed_persons",
    "published_person",
    "with_transliterations",
]

#: A person as read from the register: row id, person id, canonical values,
#: identification level, grade and recorded consent (None when not recorded).
PersonRow = tuple[int, str, Mapping[str, Any], str, str, str | None]
_SEX = {"m": "male", "f": "female"}
#: Name scripts and where each goes (a mixed-script name only when no Latin one).
_SCRIPTS = (("latin", "latin"), ("persian", "persian"), ("mixed", "latin"))
#: Fields that identify a person: published only with ``public`` consent (as
#: are the story and the portrait).
IDENTIFYING_FIELDS = ("name", "father_name", "national_id", "birth_date")
#: Fields published as a source wrote them (free text): only with ``public``
#: consent, and only from a source that is not protected.
WRITTEN_FIELDS = ("cause", "occupation")
_NAME_FIELDS = ("name", "father_name")


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
        unnamed: why no name is shown (:data:`aban.site.consent.Unnamed`), ""
            when one is.
        documented: how the person was documented: the grade's ``basis`` and
            the number of independent ``sources`` (when the grade is published).
        told: the story the team wrote (``biography`` and ``circumstances``,
            each by language), for ``public`` consent only.
        transliterated: ``name`` and ``father_name`` to the script (``latin``
            or ``persian``) whose name is a transliteration, not a source's
            spelling (:func:`with_transliterations`).
    """

    person_id: str
    consent: Consent
    names: dict[str, str] = field(default_factory=dict)
    father_names: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    story: str = ""
    portrait: str = ""
    unnamed: str = ""
    documented: dict[str, Any] = field(default_factory=dict)
    told: dict[str, dict[str, str]] = field(default_factory=dict)
    transliterated: dict[str, str] = field(default_factory=dict)

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
            **({"unnamed": self.unnamed} if self.unnamed else {}),
            **({"documented": self.documented} if self.documented else {}),
            **({"told": self.told} if self.told else {}),
            "transliterated": dict(self.transliterated),
        }


def _value(canonical: Mapping[str, Any], name: str) -> Any:
    entry = canonical.get("fields", {}).get(name)
    value = None if entry is None else entry.get("value")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value


def _scripted(canonical: Mapping[str, Any], name: str, script: str) -> str | None:
    """A name in one script as published: spaces collapsed, and a Persian name in
    Persian letters without diacritics (a list saved in Windows-1256 writes the
    Arabic ي and ك; :func:`aban.text.transliterate.published_persian`)."""
    entry = canonical.get("names", {}).get(name, {}).get(script)
    value = None if entry is None else entry.get("value")
    if not value:
        return None
    text = " ".join(str(value).split())
    return text if script == "latin" else published_persian(text)


def _names(
    canonical: Mapping[str, Any], honorifics: bool, *fields: str
) -> dict[str, str]:
    """The name in each script: the full name, else the given and family names;
    without the honorifics in front of each unless ``honorifics``."""
    found: dict[str, str] = {}
    for script, slot in _SCRIPTS:
        if slot in found:
            continue
        names = fields[:1]
        parts = [_scripted(canonical, f, script) for f in names]
        if not parts[0] and len(fields) > 1:
            names = fields[1:]
            parts = [_scripted(canonical, f, script) for f in names]
        if not honorifics:
            parts = [
                drop_honorifics(p, f == "family_name") if p else p
                for f, p in zip(names, parts, strict=True)
            ]
        text = " ".join(p for p in parts if p)
        if text:
            found[slot] = text
    return found


@dataclass(frozen=True)
class _Reader:
    """Reads a person's values as the consent and the sources allow.

    Attributes:
        canonical: the person's canonical values (values, and the source of
            those that may be text as a source wrote it).
        written: whether text as a source wrote it may be shown (``public``
            consent); even then, never a protected source's.
        protected: the names of the protected sources.
    """

    canonical: Mapping[str, Any]
    written: bool
    protected: Collection[str]

    def value(self, name: str) -> Any:
        return _value(self.canonical, name)

    def text(self, name: str) -> str | None:
        """A value as a source wrote it, when this person's may be shown."""
        value = self.value(name)
        if value is None or not self.written:
            return None
        # A value whose source was not read counts as a protected source's.
        source = self.canonical["fields"][name].get("source")
        hidden = source is None or source in self.protected
        return source_text(" ".join(str(value).split()), hidden)

    def place(self, kind: str) -> Place | None:
        text = self.value(kind)
        if text is None or _not_known(str(text)):
            return None
        known = _known_place(str(text), kind)
        if known is not None:
            return known
        written = self.text(kind)
        return None if written is None else Place(written, written)


@cache
def _not_known(text: str) -> bool:
    """Whether a place is a word for "not known" (cached: places repeat)."""
    return is_unknown(text)


@cache
def _known_place(text: str, kind: str) -> Place | None:
    """A place's names in both scripts, if the gazetteer knows it (cached)."""
    known = find_city(text) if kind == "city" else find_province(text)
    return None if known is None else Place(known.name_en, known.name_fa)


def _province(reader: _Reader) -> Place | None:
    place = reader.place("province")
    if place is not None:
        return place
    city = find_city(str(reader.value("city") or ""))
    if city is None:
        return None
    return _known_place(city.province_en, "province")


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


def _field(reader: _Reader, name: str) -> Any:
    """One allowed descriptor, in its published form (None when absent)."""
    if name == "age":
        return age_of(reader.canonical)
    if name in ("date_of_death", "birth_date"):
        return _date(reader.value(name))
    if name == "sex":
        sex = reader.value("sex")
        return None if sex is None else _sex(str(sex))
    if name == "city":
        return reader.place("city")
    if name == "province":
        return _province(reader)
    if name == "injury_location":
        text = reader.value("injury_location")
        return None if text is None else injury_region(str(text)) or "other"
    if name == "alleged_force":
        text = reader.value("alleged_force")
        return None if text is None else _forces(str(text))
    if name in WRITTEN_FIELDS:
        return reader.text(name)
    if name == "national_id":
        text = reader.value(name)
        return None if text is None else " ".join(str(text).split())
    return None


def published_person(
    person_id: str,
    canonical: Mapping[str, Any],
    level: str,
    grade: str,
    consent: Consent,
    policy: PublicationPolicy,
    protected: Collection[str] = frozenset(),
) -> PublishedPerson:
    """The published form of one listed person, from the policy's allow-list.

    Args:
        person_id: the person's id.
        canonical: ``persons.canonical`` (only allowed values are read; each
            value that may be text as a source wrote it with its ``source``).
        level: the identification level.
        grade: the verification grade.
        consent: the consent in effect (not ``withheld``).
        policy: the publication policy.
        protected: the names of the protected sources, whose text as written
            is never published.
    """
    public = consent == "public"
    reader = _Reader(canonical, public, protected)
    values: dict[str, Any] = {}
    for name in policy.fields:
        if name == "identification":
            values[name] = level
        elif name == "grade":
            values[name] = grade
        elif name in IDENTIFYING_FIELDS and (name in _NAME_FIELDS or not public):
            continue  # names apart (below); the rest only with public consent
        else:
            found = _field(reader, name)
            if found is not None:
                values[name] = found
    names = father = {}
    if public and policy.allows("name"):
        names = _names(
            canonical, policy.honorifics, "full_name", "given_name", "family_name"
        )
    if public and policy.allows("father_name"):
        father = _names(canonical, policy.honorifics, "father_name")
    story = reader.text(policy.story) if policy.story else None
    return PublishedPerson(person_id, consent, names, father, values, story or "")


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
    rows: Iterable[PersonRow],
    counted: set[int],
    policy: PublicationPolicy,
    protected: Collection[str] = frozenset(),
) -> list[PublishedPerson]:
    """The persons a publication lists, by person id.

    Args:
        rows: ``(row id, person id, canonical values, level, grade, recorded
            consent)`` of every person.
        counted: row ids of the persons the toll counts.
        policy: the publication policy.
        protected: the names of the protected sources.
    """
    listed: list[PublishedPerson] = []
    for row_id, pid, canonical, level, grade, recorded in rows:
        consent = effective_consent(recorded, policy)
        if row_id in counted and grade in policy.grades and consent != "withheld":
            person = published_person(
                pid, canonical, level, grade, consent, policy, protected
            )
            if not person.named:
                why = why_unnamed(recorded, False, policy)
                person = replace(person, unnamed=why)
            listed.append(person)
    return with_transliterations(sorted(listed, key=lambda p: _order(p.person_id)))


def _both(persons: Iterable[PublishedPerson]) -> Iterable[tuple[str, str]]:
    for person in persons:
        for names in (person.names, person.father_names):
            if "latin" in names and "persian" in names:
                yield names["persian"], names["latin"]


def _completed(
    names: dict[str, str], lexicon: NameLexicon
) -> tuple[dict[str, str], str | None]:
    """``names`` with the missing script transliterated, and which one it was."""
    if not names or ("latin" in names and "persian" in names):
        return names, None
    if "latin" in names:
        return {**names, "persian": lexicon.persian(names["latin"])}, "persian"
    return {**names, "latin": lexicon.latin(names["persian"])}, "latin"


def with_transliterations(persons: list[PublishedPerson]) -> list[PublishedPerson]:
    """``persons`` with each name shown in both scripts, transliterated where no
    source wrote it in one (:mod:`aban.text.transliterate`).

    The lexicon learns from the names the listed persons themselves show in both
    scripts (never from a person who is not listed by name), over the bundled
    common name words; ``transliterated`` says which script was made.
    """
    named = [p for p in persons if p.names or p.father_names]
    if not named:
        return persons
    lexicon = learn_lexicon(_both(named))
    out = []
    for person in persons:
        names, made = _completed(person.names, lexicon)
        father, father_made = _completed(person.father_names, lexicon)
        if made is None and father_made is None:
            out.append(person)
            continue
        marks = {"name": made, "father_name": father_made}
        made_in = {k: v for k, v in marks.items() if v is not None}
        out.append(
            replace(person, names=names, father_names=father, transliterated=made_in)
        )
    return out
