"""The publication policy: what ``aban publish`` may show, from ``[publication]``.

Publication works by allow-list: only the fields named here are read from a
person's canonical values, and only persons of the grades named here, whose
consent allows it, appear. Everything else (sources, record ids, informants,
contacts, private notes, the national id unless named) is never read::

    [publication]
    fields = ["name", "age", "sex", "city", "province", "date_of_death",
              "injury_location", "alleged_force", "identification", "grade"]
    grades = ["confirmed", "corroborated", "single-source"]
    default_consent = "public-without-name"   # for persons without a recorded consent
    story = ""               # "circumstances" shows that field as a short story
    portraits = false        # portraits from evidence marked publishable
    contact = "corrections@example.org"       # "correct this entry" address
    title = ""               # the site's title (default: the event's name)

Consent (``aban person consent``): ``public`` (name and descriptors),
``public-without-name`` (shown as "name unknown" with descriptors), ``withheld``
(not published at all). A story and a portrait are shown only for persons whose
consent is ``public``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

from aban.config import CONFIG_NAME, load_section
from aban.errors import ConfigError
from aban.vocab.grades import GRADES

__all__ = [
    "CONSENTS",
    "DEFAULT_FIELDS",
    "PUBLISHABLE_FIELDS",
    "Consent",
    "PublicationPolicy",
    "load_policy",
    "policy_from_mapping",
]

Consent = Literal["public", "public-without-name", "withheld"]
CONSENTS: tuple[Consent, ...] = ("public", "public-without-name", "withheld")
#: Every field a policy may allow, in the order pages and open data show them.
PUBLISHABLE_FIELDS: tuple[str, ...] = (
    "name",
    "father_name",
    "age",
    "birth_date",
    "sex",
    "city",
    "province",
    "date_of_death",
    "cause",
    "injury_location",
    "alleged_force",
    "occupation",
    "identification",
    "grade",
    "national_id",
)
DEFAULT_FIELDS: tuple[str, ...] = (
    "name",
    "age",
    "sex",
    "city",
    "province",
    "date_of_death",
    "injury_location",
    "alleged_force",
    "identification",
    "grade",
)
DEFAULT_GRADES: tuple[str, ...] = ("confirmed", "corroborated", "single-source")
#: Fields that can never be published, whatever the policy says.
PROTECTED_FIELDS = ("informant", "contact", "notes_private")
#: Fields that may give the short story.
STORY_FIELDS = ("circumstances",)
_KEYS = (
    "fields",
    "grades",
    "default_consent",
    "story",
    "portraits",
    "contact",
    "title",
)
_TITLE = re.compile(r"^[^\x00-\x1f\x7f]{0,200}$")
_CONTACT = re.compile(r"^[^\s<>\"'`]{1,200}$")


@dataclass(frozen=True)
class PublicationPolicy:
    """What a publication may show (``[publication]`` of aban.toml).

    Attributes:
        fields: the person fields allowed, in :data:`PUBLISHABLE_FIELDS` order.
        grades: the grades whose persons appear (never ``discounted``).
        default_consent: the consent of a person without a recorded one.
        story: the field shown as a short story, or "" for none.
        portraits: whether portraits from publishable evidence appear.
        contact: the address for corrections ("" for none).
        title: the site's title ("" for the event's name).
    """

    fields: tuple[str, ...] = DEFAULT_FIELDS
    grades: tuple[str, ...] = DEFAULT_GRADES
    default_consent: Consent = "public-without-name"
    story: str = ""
    portraits: bool = False
    contact: str = ""
    title: str = ""

    def allows(self, name: str) -> bool:
        """Whether the field ``name`` may be published."""
        return name in self.fields

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (published on the methodology page; no personal data)."""
        return {
            "fields": list(self.fields),
            "grades": list(self.grades),
            "default_consent": self.default_consent,
            "story": self.story,
            "portraits": self.portraits,
            "contact": self.contact,
            "title": self.title,
        }


def _text_list(value: Any, key: str, errors: list[str]) -> list[str] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors.append(f"{key} must be a list of text")
        return None
    return list(value)


def _fields(value: Any, errors: list[str]) -> tuple[str, ...]:
    found = _text_list(value, "fields", errors)
    if found is None:
        return DEFAULT_FIELDS
    protected = [f for f in found if f in PROTECTED_FIELDS]
    if protected:
        errors.append(f"field {protected[0]!r} is protected and never published")
    unknown = [f for f in found if f not in PUBLISHABLE_FIELDS + PROTECTED_FIELDS]
    if unknown:
        errors.append(
            f"unknown field {unknown[0]!r} in fields "
            f"(known: {', '.join(PUBLISHABLE_FIELDS)})"
        )
    return tuple(f for f in PUBLISHABLE_FIELDS if f in found)


def _grades(value: Any, errors: list[str]) -> tuple[str, ...]:
    found = _text_list(value, "grades", errors)
    if found is None:
        return DEFAULT_GRADES
    if "discounted" in found:
        errors.append("discounted persons are never published; remove it from grades")
    unknown = [g for g in found if g not in GRADES]
    if unknown:
        errors.append(f"unknown grade {unknown[0]!r} in grades")
    return tuple(g for g in GRADES if g in found and g != "discounted")


def _scalars(table: Mapping[str, Any], errors: list[str]) -> dict[str, Any]:
    consent = table.get("default_consent", "public-without-name")
    if consent not in CONSENTS:
        errors.append(f"default_consent must be one of {', '.join(CONSENTS)}")
    story = table.get("story", "")
    if story not in ("", *STORY_FIELDS):
        errors.append(f'story must be "" or one of {", ".join(STORY_FIELDS)}')
    portraits = table.get("portraits", False)
    if not isinstance(portraits, bool):
        errors.append("portraits must be true or false")
    contact = table.get("contact", "")
    if not isinstance(contact, str) or (contact and not _CONTACT.match(contact)):
        errors.append("contact must be an address without spaces or quotes")
    title = table.get("title", "")
    if not isinstance(title, str) or not _TITLE.match(title):
        errors.append("title must be text of at most 200 characters on one line")
    return {
        "default_consent": consent,
        "story": story,
        "portraits": portraits,
        "contact": contact,
        "title": title,
    }


def policy_from_mapping(table: Mapping[str, Any], where: str) -> PublicationPolicy:
    """Validate a ``[publication]`` table and build the policy.

    Args:
        table: the table as TOML reads it (empty for the defaults).
        where: the file it came from, to name in the error.

    Raises:
        ConfigError: one line naming every problem found.
    """
    errors: list[str] = []
    unknown = sorted(set(table) - set(_KEYS))
    if unknown:
        errors.append(f"unknown key {unknown[0]!r} (known: {', '.join(_KEYS)})")
    fields = _fields(table.get("fields", list(DEFAULT_FIELDS)), errors)
    grades = _grades(table.get("grades", list(DEFAULT_GRADES)), errors)
    scalars = _scalars(table, errors)
    if not grades and not errors:
        errors.append("grades must name at least one grade")
    if errors:
        raise ConfigError(f"{where}: [publication] " + "; ".join(errors))
    return PublicationPolicy(
        fields=fields,
        grades=grades,
        default_consent=cast("Consent", scalars["default_consent"]),
        story=str(scalars["story"]),
        portraits=bool(scalars["portraits"]),
        contact=str(scalars["contact"]),
        title=str(scalars["title"]).strip(),
    )


def load_policy(workspace: Path) -> PublicationPolicy:
    """The publication policy of a workspace (defaults without ``[publication]``).

    Raises:
        ConfigError: aban.toml is unreadable or ``[publication]`` is invalid.
    """
    table = load_section(workspace, "publication")
    return policy_from_mapping(table, str(workspace / CONFIG_NAME))
