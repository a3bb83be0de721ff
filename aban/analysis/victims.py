"""One row per person for the analysis: its grade and the values the tables need.

Values come from the person's canonical values (:mod:`aban.vocab.canonical`):
the date of death, the province (the gazetteer's, from the province given or else
from the city), the city (the gazetteer's English name, else as written), the age
(given, else whole years from birth to death), sex, injury location and alleged
force (as written) and status. A missing or unreadable value, or a place written as
a word for "not known" (``unknown``, ``نامعلوم``), is None, and the tables count it
as unknown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aban.text.gazetteer import find_city
from aban.text.vocab import is_unknown
from aban.vocab.traits import UNKNOWN, age_of, stratum_of

#: The status of the persons the analysis counts.
KILLED = "killed"
#: The records-format column for the alleged perpetrator force.
FORCE_FIELD = "alleged_force"


@dataclass(frozen=True)
class Victim:
    """A person as the analysis sees it.

    Attributes:
        person_id: the person's id (``P000001``).
        grade: its verification grade (``confirmed`` ... ``discounted``).
        status: ``killed``, another status, or None when no record gives one.
        date: the date of death.
        province: the province (gazetteer English name, else as written).
        city: the city (gazetteer English name, else as written).
        age: age in whole years at death.
        sex: ``female`` or ``male`` (other text as written).
        injury_location: the injury location as written.
        force: the alleged perpetrator force as written (one force or several,
            :func:`aban.text.parse_forces` reads it).
    """

    person_id: str
    grade: str
    status: str | None = None
    date: dt.date | None = None
    province: str | None = None
    city: str | None = None
    age: int | None = None
    sex: str | None = None
    injury_location: str | None = None
    force: str | None = None


def _value(canonical: Mapping[str, Any], name: str) -> Any:
    entry = canonical.get("fields", {}).get(name)
    value = None if entry is None else entry.get("value")
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def age_years(canonical: Mapping[str, Any]) -> int | None:
    """The age at death: the age given, else whole years from birth to death."""
    return age_of(canonical)


def _city(canonical: Mapping[str, Any]) -> str | None:
    text = _value(canonical, "city")
    if text is None or is_unknown(str(text)):
        return None
    place = find_city(str(text))
    return place.name_en if place is not None else " ".join(str(text).split())


def _known(label: str) -> str | None:
    """None for the strata's ``unknown`` and for words meaning "not known"."""
    return None if label == UNKNOWN or is_unknown(label) else label


def victim_from_canonical(
    person_id: str, grade: str, canonical: Mapping[str, Any]
) -> Victim:
    """The analysis row of a person from its canonical values.

    Args:
        person_id: the person's id.
        grade: its verification grade.
        canonical: ``persons.canonical`` as :func:`canonical_values` builds it.
    """
    status = _value(canonical, "status")
    injury = _value(canonical, "injury_location")
    force = _value(canonical, FORCE_FIELD)
    return Victim(
        person_id=person_id,
        grade=grade,
        status=str(status) if status is not None else None,
        date=_date(_value(canonical, "date_of_death")),
        province=_known(stratum_of(canonical, "province")),
        city=_city(canonical),
        age=age_years(canonical),
        sex=_known(stratum_of(canonical, "sex")),
        injury_location=str(injury) if injury is not None else None,
        force=str(force) if force is not None else None,
    )
