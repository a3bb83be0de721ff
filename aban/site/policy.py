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
    stories = true           # the stories the team wrote (aban person story)
    portraits = false        # portraits from evidence marked publishable
    contact = "corrections@example.org"       # "correct this entry" address
    title = ""               # the site's title (default: the event's name)
    min_cell = 3             # smallest count a figure shows (at least 3)
    honorifics = false       # keep honorifics before names (Seyed, حاج, شهید...)

Consent (``aban person consent``): ``public`` (name and descriptors),
``public-without-name`` (shown as "name unknown" with descriptors), ``withheld``
(not published at all). What identifies a person (names, father's name, national
id, birth date, portrait, story) and text as a source wrote it (cause,
occupation, a place the gazetteer does not know) are shown only for persons whose
consent is ``public``, and text as a source wrote it only from a source that is
not protected.

Figures and charts count persons, never list them: ``min_cell`` is the smallest
count they show (:mod:`aban.site.figures`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from aban.config import CONFIG_NAME, load_section
from aban.errors import ConfigError
from aban.vocab.grades import GRADES

__all__ = [
    "CONSENTS",
    "DEFAULT_FIELDS",
    "MIN_CELL",
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
#: The smallest ``min_cell`` (and its default): a count of 1 or 2 could point at
#: a family, as statistical offices hold.
MIN_CELL = 3
_KEYS = (
    "fields",
    "grades",
    "default_consent",
    "story",
    "portraits",
    "contact",
    "title",
    "min_cell",
    "honorifics",
    "stories",
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
        min_cell: the smallest count the figures show; a place with fewer
            persons is not named, a smaller count shows as "fewer than N".
        honorifics: whether published names keep the honorifics written before
            them (Seyed, Haj, Martyr, سید, حاج, شهید...); by default they are left
            out, as the linkage leaves them out (issue 15).
        stories: whether the stories the team wrote (``aban person story``)
            appear, for persons whose consent is ``public``.
    """

    fields: tuple[str, ...] = field(
        default=DEFAULT_FIELDS,
        metadata={"help": "the person fields published (an allow-list)"},
    )
    grades: tuple[str, ...] = field(
        default=DEFAULT_GRADES,
        metadata={"help": "the grades whose persons are listed; never discounted"},
    )
    default_consent: Consent = field(
        default="public-without-name",
        metadata={
            "help": "the consent of a person without a recorded one: public, "
            "public-without-name or withheld"
        },
    )
    story: str = field(
        default="",
        metadata={
            "help": '"circumstances" shows that field as a short story (public '
            "consent, sources that are not protected); '' for none"
        },
    )
    portraits: bool = field(
        default=False,
        metadata={
            "help": "portraits from evidence marked publishable (public consent)"
        },
    )
    contact: str = field(
        default="", metadata={"help": "the 'correct this entry' address; '' for none"}
    )
    title: str = field(
        default="", metadata={"help": "the site's title; '' for the event's name"}
    )
    min_cell: int = field(
        default=MIN_CELL,
        metadata={
            "help": "the smallest count figures and charts show (at least 3): a "
            "place with fewer persons is counted under 'other', a smaller count "
            "shows as 'fewer than N'"
        },
    )

    honorifics: bool = field(
        default=False,
        metadata={
            "help": "keep the honorifics written before names (Seyed, Haj, Martyr, "
            "سید, حاج, شهید...) in published names"
        },
    )

    stories: bool = field(
        default=True,
        metadata={
            "help": "the stories the team wrote with 'aban person story' (public "
            "consent only)"
        },
    )

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
            "min_cell": self.min_cell,
            "honorifics": self.honorifics,
            "stories": self.stories,
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
    honorifics = table.get("honorifics", False)
    if not isinstance(honorifics, bool):
        errors.append("honorifics must be true or false")
    stories = table.get("stories", True)
    if not isinstance(stories, bool):
        errors.append("stories must be true or false")
    contact = table.get("contact", "")
    if not isinstance(contact, str) or (contact and not _CONTACT.match(contact)):
        errors.append("contact must be an address without spaces or quotes")
    title = table.get("title", "")
    if not isinstance(title, str) or not _TITLE.match(title):
        errors.append("title must be text of at most 200 characters on one line")
    min_cell = table.get("min_cell", MIN_CELL)
    if (
        isinstance(min_cell, bool)
        or not isinstance(min_cell, int)
        or min_cell < MIN_CELL
    ):
        errors.append(
            f"min_cell must be a whole number of at least {MIN_CELL} (a smaller "
            "count could point at a family)"
        )
    return {
        "default_consent": consent,
        "story": story,
        "portraits": portraits,
        "contact": contact,
        "title": title,
        "min_cell": min_cell,
        "honorifics": honorifics,
        "stories": stories,
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
        min_cell=int(scalars["min_cell"]),
        honorifics=bool(scalars["honorifics"]),
        stories=bool(scalars["stories"]),
    )


def load_policy(workspace: Path) -> PublicationPolicy:
    """The publication policy of a workspace (defaults without ``[publication]``).

    Raises:
        ConfigError: aban.toml is unreadable or ``[publication]`` is invalid.
    """
    table = load_section(workspace, "publication")
    return policy_from_mapping(table, str(workspace / CONFIG_NAME))
