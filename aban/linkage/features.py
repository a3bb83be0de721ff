"""Matching features of records: normalised names, name skeletons, ages, days, places.

Every feature is a pure function of one record, computed in Python once per
distinct value (names repeat a lot), before anything reaches the SQL engine:

* ``given``, ``family``, ``father``: the normalised name
  (:func:`aban.text.normalise_name`) with honorifics (Seyed, سید, Haj...) removed
  and spaces dropped (:func:`aban.text.keys.name_form`), so that a compound
  written joined or spaced (``Mohammadreza``, ``Mohammad Reza``, ``محمد رضا``)
  gives one value.
* ``given_sk``, ``family_sk``, ``father_sk``: the *skeleton* of the name, a
  transliteration-invariant key that the same name shares in both scripts (see
  :func:`aban.text.keys.skeleton`); ``given_sv``, ``family_sv``, ``father_sv``:
  the same with the long vowels kept (:func:`aban.text.keys.sound_key`), finer
  and a little less invariant; ``lone_sk``: the given name's skeleton when there
  is no family name (for blocking records that carry one name only);
  ``family_near``: the family name's skeleton and every form of it with one
  letter dropped (:func:`aban.text.keys.near_forms`: skeletons of four letters
  or more), so that blocking meets a family name with a typo
  (``Soleymanbakhsh``/``Soleymanbahsh``) through a shared form; ``family_core``:
  the family name's skeleton without a prefix or suffix that Persian family
  names begin or end with (:func:`aban.linkage.comparisons.name_core`:
  ``Latifpour`` and ``Latifkar`` share ``ltf``).
* ``status`` (killed, detained, disappeared...: :func:`aban.text.parse_status`);
  ``occupation`` and ``cause`` (of death), each as a kind and its group
  (:mod:`aban.text.occupations`, :mod:`aban.text.causes`).
* ``age`` (whole years; from the birth date and the date of death when no age
  is given), ``dod`` (date of death as days since 1970-01-01), ``sex``.
* ``city`` and ``province``: the gazetteer's English name when the place is known
  in either script, by a spelling it knows or by sound
  (:func:`aban.text.gazetteer.sound_city`: ``Kermanchah``, ``Tehraan``,
  ``Jawanroud``); an unknown place keeps its text, reduced to its sound key (with
  a ``~`` in front) so that its two scripts and spellings still meet.
* ``injury``: the body region of the injury location (:mod:`.injuries`).
* ``born`` (birth date, ISO text) and ``national_id`` (letters and digits only).

When a record has no ``given_name`` and ``family_name``, they are taken from
``full_name`` (:func:`aban.text.keys.split_full_name`): the last word is the
family name (a trailing ``-zadeh``, ``-pour``, ``-nejad``... joins the word
before it), the rest the given name; a one-word name (hyphens included:
``Mohammad-Reza``) is taken as a given name (the comparisons and blocking rules
also try it against family names). A name
written ``Family, Given`` with one comma (``Bageri, Hadi``; ``باقری، هادی`` with
the Persian comma), in the full name or in a given or family name cell, is read
in that order (:func:`comma_name`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache

import pandas as pd

from aban.linkage.comparisons import name_core
from aban.linkage.injuries import injury_region
from aban.text import normalise_name, parse_age, parse_date, parse_sex, parse_status
from aban.text.causes import cause_group, cause_kind
from aban.text.gazetteer import (
    place_key,
    place_sound_key,
    sound_city,
    sound_province,
)
from aban.text.keys import name_form, near_forms, skeleton, sound_key, split_full_name
from aban.text.occupations import occupation_group, occupation_kind
from aban.text.vocab import VocabularyError

#: Columns :func:`record_features` returns, besides ``key`` and ``source``.
FEATURE_COLUMNS: tuple[str, ...] = (
    "given",
    "family",
    "father",
    "given_sk",
    "family_sk",
    "father_sk",
    "given_sv",
    "family_sv",
    "father_sv",
    "lone_sk",
    "family_near",
    "family_core",
    "sex",
    "status",
    "occupation",
    "occupation_group",
    "cause",
    "cause_group",
    "age",
    "dod",
    "city",
    "province",
    "injury",
    "born",
    "national_id",
)


def _cell(value: object) -> str:
    return value if isinstance(value, str) else ""


def _by_value(column: pd.Series, fn: Callable[[str], object]) -> pd.Series:
    """``fn`` of every cell, computed once per distinct value (names, cities,
    ages and dates repeat a lot)."""
    column = column.astype(object)
    lookup = {value: fn(_cell(value)) for value in column.unique()}
    return column.map(lookup).astype(object)


def _names(frame: pd.DataFrame) -> pd.DataFrame:
    def column(name: str, fn: Callable[[str], object]) -> pd.Series:
        if name in frame.columns:
            return _by_value(frame[name], fn)
        return pd.Series([fn("")] * len(frame), index=frame.index, dtype=object)

    given = column("given_name", name_form)
    family = column("family_name", lambda raw: name_form(raw, family=True))
    for name, own in (("given_name", 0), ("family_name", 1)):
        # A cell written "Family, Given" holds both names: its own column takes
        # its part, the other column the other part when it has no value.
        comma = column(name, comma_name)
        parts = [given, family]
        for i in (0, 1):
            take = comma.notna() & ((i == own) | (parts[i] == ""))
            parts[i] = parts[i].where(~take, comma.str[i])
        given, family = parts
    split = column("full_name", _full_name)
    from_full = (given == "") & (family == "")
    given = given.where(~from_full, split.str[0])
    family = family.where(~from_full, split.str[1])
    father = column("father_name", name_form)
    out = pd.DataFrame({"given": given, "family": family, "father": father})
    for name in ("given", "family", "father"):
        out[f"{name}_sk"] = _by_value(out[name], skeleton)
        out[f"{name}_sv"] = _by_value(out[name], sound_key)
    out = out.replace("", None)
    out["lone_sk"] = out["given_sk"].where(out["family_sk"].isna())
    out["family_near"] = _by_value(out["family_sk"].fillna(""), near_forms)
    core = _by_value(out["family_sk"].fillna(""), name_core)
    out["family_core"] = core.where(core != "", None)
    return out


#: Commas that part "Family, Given" (Latin and Persian).
_COMMAS = str.maketrans({"،": ","})


@cache
def comma_name(raw: str) -> tuple[str, str] | None:
    """Given and family name of a name written ``Family, Given`` (one comma, Latin
    or Persian, with a name on either side), each in its matching form
    (:func:`aban.text.keys.name_form`); None for any other text.

    Example:
        >>> comma_name("Bageri, Seyed Hadi"), comma_name("باقری، هادی")
        (('hadi', 'bageri'), ('هادی', 'باقری'))
    """
    family, comma, given = raw.translate(_COMMAS).partition(",")
    if not comma or "," in given:
        return None
    found = name_form(given), name_form(family, family=True)
    return found if all(found) else None


@cache
def _full_name(raw: str) -> tuple[str, str]:
    found = comma_name(raw)
    if found is not None:
        return found
    words = raw.translate(_COMMAS).replace(",", " ").split()
    if len(words) == 1:
        # One word, perhaps joined by hyphens (Mohammad-Reza, Najaf-Nejad): one
        # name, not a given and a family name.
        return name_form(words[0]), ""
    return split_full_name(raw)


@cache
def _age(raw: str) -> int | None:
    try:
        return parse_age(raw)
    except VocabularyError:
        return None


_EPOCH = dt.date(1970, 1, 1)


@cache
def _day(raw: str) -> int | None:
    try:
        date = parse_date(raw)
    except VocabularyError:
        return None
    return None if date is None else (date - _EPOCH).days


@cache
def _iso_date(raw: str) -> str | None:
    day = _day(raw)
    return None if day is None else (_EPOCH + dt.timedelta(days=day)).isoformat()


@cache
def _identifier(raw: str) -> str | None:
    # Digits and letters only: ids are written with spaces, dashes and dots.
    text = "".join(c for c in normalise_name(raw) if c.isalnum())
    return text or None


@cache
def _sex(raw: str) -> str | None:
    try:
        return parse_sex(raw)
    except VocabularyError:
        return None


@cache
def _status(raw: str) -> str | None:
    try:
        return parse_status(raw)
    except VocabularyError:
        return None


@cache
def _place(raw: str, kind: str) -> str | None:
    if not raw.strip():
        return None
    found = sound_city(raw) if kind == "city" else sound_province(raw)
    if found is not None:
        return found.name_en
    sk = place_sound_key(raw)
    return "~" + sk if sk else place_key(raw) or None


@cache
def _province_of_city(raw: str) -> str | None:
    city = sound_city(raw) if raw.strip() else None
    return None if city is None else city.province_en


def _mapped(frame: pd.DataFrame, name: str, fn: Callable[[str], object]) -> pd.Series:
    if name not in frame.columns:
        return pd.Series([None] * len(frame), index=frame.index, dtype=object)
    return _by_value(frame[name], fn)


def record_features(records: pd.DataFrame) -> pd.DataFrame:
    """The matching features of every record, one row per input row.

    Args:
        records: Records with a unique ``key`` column, ``source`` and any of the
            records-format columns (raw text as imported, or already normalised).

    Returns:
        A frame with ``key``, ``source`` and :data:`FEATURE_COLUMNS`; text features
        are ``None`` when empty, ``age`` and ``dod`` nullable integers.
    """
    out = pd.DataFrame(
        {"key": records["key"].astype(str), "source": _mapped(records, "source", str)}
    )
    out = out.join(_names(records))
    out["sex"] = _mapped(records, "sex", _sex)
    out["status"] = _mapped(records, "status", _status)
    for name, kind, group in (
        ("occupation", occupation_kind, occupation_group),
        ("cause", cause_kind, cause_group),
    ):
        out[name] = _mapped(records, name, kind)
        out[f"{name}_group"] = out[name].map(group, na_action="ignore")
    out["dod"] = _mapped(records, "date_of_death", _day).astype("Int64")
    age = _mapped(records, "age", _age).astype("Int64")
    born = _mapped(records, "birth_date", _day).astype("Int64")
    out["age"] = age.fillna((out["dod"] - born) // 365.2425).astype("Int64")
    out["city"] = _mapped(records, "city", lambda s: _place(s, "city"))
    province = _mapped(records, "province", lambda s: _place(s, "province"))
    from_city = _mapped(records, "city", _province_of_city)
    out["province"] = province.where(province.notna(), from_city)
    out["injury"] = _mapped(records, "injury_location", injury_region)
    out["born"] = _mapped(records, "birth_date", _iso_date)
    out["national_id"] = _mapped(records, "national_id", _identifier)
    return out.reset_index(drop=True)
