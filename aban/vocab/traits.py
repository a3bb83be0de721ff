"""A person's traits for strata and analysis: province, day, sex, age band.

Read from a person's canonical values (``persons.canonical``, see
:mod:`aban.vocab.canonical`); light on purpose (no NumPy or SciPy), so that
``aban analysis`` and ``aban estimate`` share one definition of each stratum.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

from aban.errors import EstimationError
from aban.text.gazetteer import find_city, find_province

__all__ = ["AGE_BANDS", "BY", "UNKNOWN", "By", "age_band", "age_of", "stratum_of"]

By = Literal["province", "day", "sex", "age-band"]
BY: tuple[By, ...] = ("province", "day", "sex", "age-band")
UNKNOWN = "unknown"
#: Age bands (inclusive lower bound, label); the last is open-ended.
AGE_BANDS = ((0, "0-17"), (18, "18-29"), (30, "30-44"), (45, "45+"))
_SEX = {"m": "male", "f": "female"}


def _value(canonical: Mapping[str, Any], name: str) -> Any:
    entry = canonical.get("fields", {}).get(name)
    return None if entry is None else entry.get("value")


def _province(canonical: Mapping[str, Any]) -> str:
    """The gazetteer province (from the province, else the city), else the text."""
    text = _value(canonical, "province")
    found = find_province(str(text)) if text else None
    if found is not None:
        return found.name_en
    city = _value(canonical, "city")
    place = find_city(str(city)) if city else None
    if place is not None:
        return place.province_en
    return " ".join(str(text).split()) if text else UNKNOWN


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def age_of(canonical: Mapping[str, Any]) -> int | None:
    """The age, else the whole years from birth to death."""
    age = _value(canonical, "age")
    if age is not None and str(age).strip().isdigit():
        return int(str(age).strip())
    born = _date(_value(canonical, "birth_date"))
    died = _date(_value(canonical, "date_of_death"))
    if born is None or died is None or died < born:
        return None
    return died.year - born.year - ((died.month, died.day) < (born.month, born.day))


def age_band(age: int | None) -> str:
    """The age band of an age in years: 0-17, 18-29, 30-44, 45+, or unknown."""
    if age is None or age < 0:
        return UNKNOWN
    return [label for low, label in AGE_BANDS if age >= low][-1]


def stratum_of(canonical: Mapping[str, Any], by: By) -> str:
    """A person's stratum from its canonical values.

    * ``province``: the province in the gazetteer's English name (from the
      province given, else from the city); a province the gazetteer does not know
      stays as written.
    * ``day``: the ISO date of death.
    * ``sex``: ``male`` or ``female``.
    * ``age-band``: 0-17, 18-29, 30-44, 45+ from the age (else from the birth and
      death dates).

    A missing or unreadable value gives the stratum ``unknown``.
    """
    if by == "province":
        return _province(canonical)
    if by == "day":
        died = _date(_value(canonical, "date_of_death"))
        return UNKNOWN if died is None else died.isoformat()
    if by == "sex":
        sex = _value(canonical, "sex")
        return _SEX.get(str(sex).strip().lower(), str(sex)) if sex else UNKNOWN
    if by == "age-band":
        return age_band(age_of(canonical))
    raise EstimationError(f"unknown stratum {by!r}: use one of {', '.join(BY)}")
