"""Writing one source's cells: names, places, dates, labels, in its conventions.

Every function works on whole columns (NumPy object arrays) so that a million
records render in seconds; only typos are applied row by row.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from aban.sim.names import HONORIFICS, Name, NameTable, family_names, given_names, typo
from aban.sim.names import name_table as make_table
from aban.sim.people import START, Population
from aban.sim.specs import SourceSpec
from aban.sim.vocab import (
    CAUSE,
    CIRCUMSTANCES,
    CUSTODY_CAUSE,
    DIED_IN_CUSTODY,
    FORCE,
    INFORMANT,
    INJURY,
    NOTES_PRIVATE,
    OCCUPATION_LABELS,
    STATUS,
    STATUS_SYNONYMS_EN,
    STATUS_SYNONYMS_FA,
    UNKNOWN_FORCE,
    Label,
    arabic_letters,
    draw,
    format_ordinals,
    probabilities,
)
from aban.text.digits import persian_digits
from aban.text.gazetteer import CITIES, PROVINCES

Objects = npt.NDArray[np.object_]
Mask = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]
_DRAW = 1 << 30


@dataclass(frozen=True)
class RowTruth:
    """The values a source's rows start from, after its contradictions."""

    person: npt.NDArray[np.int64]
    duplicate: Mask
    fa: Mask  # rows written in Persian script
    city: npt.NDArray[np.int64]
    age: npt.NDArray[np.int64]
    death: npt.NDArray[np.int64]
    sex: npt.NDArray[np.int8]
    contradiction: Objects  # the field made wrong, or ""


def _place(
    fa: str, en: str, fa_more: tuple[str, ...], en_more: tuple[str, ...]
) -> Name:
    fa_forms = (fa, *fa_more, arabic_letters(fa))
    return Name(fa, en, tuple(dict.fromkeys(fa_forms)), (en, *en_more))


@cache
def place_tables() -> tuple[NameTable, NameTable, Ints]:
    """Cities and provinces as name tables, and the province of every city."""
    cities = make_table(
        [_place(c.name_fa, c.name_en, c.variants_fa, c.variants_en) for c in CITIES]
    )
    provinces = make_table(
        [_place(p.name_fa, p.name_en, (), p.variants_en) for p in PROVINCES]
    )
    order = {p.name_en: i for i, p in enumerate(PROVINCES)}
    province_of = np.array([order[c.province_en] for c in CITIES], dtype=np.int64)
    return cities, provinces, province_of


def _spell(
    table: NameTable, index: Ints, variant: Mask, draw: Ints, fa: Mask
) -> Objects:
    """Standard or variant spelling of each name, in the row's script."""
    result = np.empty(len(index), dtype=object)
    for script, rows in (("fa", fa), ("en", ~fa)):
        if rows.any():
            chosen = np.where(
                variant[rows],
                table.variant(index[rows], draw[rows], script),
                table.standard(index[rows], script),
            )
            result[rows] = chosen
    return result


def _labels(labels: tuple[Label, ...], index: Ints, fa: Mask) -> Objects:
    """Each row's label in its script; index -1 gives an empty cell."""
    en = np.array([label.en for label in labels] + [""], dtype=object)
    fa_words = np.array([label.fa for label in labels] + [""], dtype=object)
    return np.where(fa, fa_words[index], en[index])


def _honorifics(
    spec: SourceSpec,
    pop: Population,
    truth: RowTruth,
    variant: Mask,
    rng: np.random.Generator,
) -> Objects:
    m = len(truth.person)
    keep = pop.honorific[truth.person] & (rng.random(m) < spec.honorific)
    draw = rng.integers(0, _DRAW, m)
    words = {}
    for code, sex in (("m", 0), ("f", 1)):
        fa_word, en_word, en_more = HONORIFICS[code]
        more = np.array(en_more, dtype=object)[draw % len(en_more)]
        words[sex] = np.where(truth.fa, fa_word, np.where(variant, more, en_word))
    word = np.where(pop.sex[truth.person] == 1, words[1], words[0])
    return np.where(keep, word, "")


def _typos(
    spec: SourceSpec,
    given: Objects,
    family: Objects,
    fa: Mask,
    rng: np.random.Generator,
) -> Mask:
    """Misspell one Latin name in a share ``spec.typos`` of rows, in place.

    Returns:
        The rows with a typo.
    """
    m = len(given)
    draws = rng.random((4, m))
    hit: Mask = (draws[0] < spec.typos) & ~fa
    for i in np.flatnonzero(hit).tolist():
        target = given if draws[1, i] < 0.5 else family
        target[i] = typo(target[i], draws[2, i], draws[3, i])
    return hit


def name_cells(
    spec: SourceSpec, pop: Population, truth: RowTruth, rng: np.random.Generator
) -> tuple[dict[str, Objects], dict[str, Mask]]:
    """Full, given, family and father's names of each row, and the rows that each
    of the base noise kinds (:data:`aban.sim.noise.BASE_KINDS`) touched."""
    m = len(truth.person)
    people, fa = truth.person, truth.fa
    given_table, _, _ = given_names()
    variant = (rng.random(m) < spec.variants) | truth.duplicate
    draw = rng.integers(0, _DRAW, (3, m))
    given = _spell(given_table, pop.given[people], variant, draw[0], fa)
    family = _spell(family_names(), pop.family[people], variant, draw[1], fa)
    father = _spell(given_table, pop.father[people], variant, draw[2], fa)
    plain = np.zeros(m, dtype=np.bool_)
    respelt = (given != _spell(given_table, pop.given[people], plain, draw[0], fa)) | (
        family != _spell(family_names(), pop.family[people], plain, draw[1], fa)
    )
    hit = _typos(spec, given, family, fa, rng)
    honorific = _honorifics(spec, pop, truth, variant, rng)
    given = np.where(honorific != "", honorific + " " + given, given)
    part = rng.random(m)
    unnamed = rng.random(m) < spec.unnamed
    given = np.where((part < spec.partial / 3) | unnamed, "", given)
    family = np.where(
        ((part >= spec.partial / 3) & (part < spec.partial)) | unnamed, "", family
    )
    full = [
        f"{g} {f}".strip() for g, f in zip(given.tolist(), family.tolist(), strict=True)
    ]
    cells = {
        "full_name": np.array(full, dtype=object),
        "given_name": given,
        "family_name": family,
        "father_name": father,
    }
    kinds = {
        "variant": respelt & ~unnamed,
        "typo": hit & ~unnamed,
        "partial": (part < spec.partial) & ~unnamed,
        "unnamed": unnamed,
    }
    return cells, kinds


def date_cells(
    spec: SourceSpec, ordinals: Ints, fa: Mask, digits: Mask, rng: np.random.Generator
) -> Objects:
    """Dates in the row's calendar and layout; empty where ``ordinals`` is -1."""
    m = len(ordinals)
    known = ordinals > 0
    days = np.where(known, ordinals, START.toordinal())
    short, text = rng.random(m) < 0.3, rng.random(m) < 0.3
    result = np.empty(m, dtype=object)
    if fa.any():
        solar = np.where(
            short,
            format_ordinals(days, "solar_short"),
            format_ordinals(days, "solar_hijri"),
        )
        solar_fa = np.array([persian_digits(s) for s in solar.tolist()], dtype=object)
        result[fa] = np.where(digits, solar_fa, solar)[fa]
    if (~fa).any():
        layout = spec.latin_dates
        if layout == "day_first_or_text":
            latin = np.where(
                text, format_ordinals(days, "text"), format_ordinals(days, "day_first")
            )
        else:
            latin = format_ordinals(days, layout)
        result[~fa] = latin[~fa]
    return np.where(known, result, "")


def age_cells(
    spec: SourceSpec, truth: RowTruth, digits: Mask, rng: np.random.Generator
) -> Objects:
    """Ages as digits, sometimes with words (``about 25``, ``۲۵ ساله``)."""
    m = len(truth.age)
    ascii_ages = np.array([str(a) for a in range(121)], dtype=object)
    persian = np.array([persian_digits(str(a)) for a in range(121)], dtype=object)
    ages = np.clip(truth.age, 0, 120)
    result = np.where(digits, persian[ages], ascii_ages[ages])
    words, about = rng.random(m) < spec.age_words, rng.random(m) < 0.6
    for i in np.flatnonzero(words).tolist():
        if truth.fa[i]:
            result[i] = f"{result[i]} ساله"
        else:
            result[i] = f"about {result[i]}" if about[i] else f"{result[i]} years"
    return result


def _status_cells(
    spec: SourceSpec, status: Ints, fa: Mask, rng: np.random.Generator
) -> Objects:
    m = len(status)
    pairs = zip(STATUS_SYNONYMS_FA, STATUS_SYNONYMS_EN, strict=True)
    table = make_table([Name(fa[0], en[0], fa, en) for fa, en in pairs])
    synonym = rng.random(m) < spec.status_synonyms
    return _spell(table, status, synonym, rng.integers(0, _DRAW, m), fa)


@cache
def _circumstance_table() -> tuple[Objects, Objects]:
    """Circumstance texts indexed by (status, template, force), in both scripts."""
    shape = (len(STATUS), 3, len(FORCE))
    en, fa = np.empty(shape, dtype=object), np.empty(shape, dtype=object)
    for status, templates in CIRCUMSTANCES.items():
        for t in range(3):
            en_text, fa_text = templates[t % len(templates)]
            for f, force in enumerate(FORCE):
                unknown = force.en == "unknown"
                words = UNKNOWN_FORCE if unknown else {"en": force.en, "fa": force.fa}
                text = en_text.format(force=words["en"])
                en[status, t, f] = text[:1].upper() + text[1:]
                fa[status, t, f] = fa_text.format(force=words["fa"])
    return en, fa


def label_cells(
    spec: SourceSpec, pop: Population, truth: RowTruth, rng: np.random.Generator
) -> dict[str, Objects]:
    """Status, cause, injury, circumstances and occupation of each row."""
    p, fa = truth.person, truth.fa
    status = pop.status[p]
    custody = status == DIED_IN_CUSTODY
    code = pop.cause[p]
    cause = np.where(
        custody,
        _labels(CUSTODY_CAUSE, np.where(custody, code, -1), fa),
        _labels(CAUSE, np.where(custody, -1, code), fa),
    )
    en, fa_text = _circumstance_table()
    index = (status, pop.circumstance[p], pop.force[p])
    return {
        "status": _status_cells(spec, status, fa, rng),
        "cause": cause,
        "injury_location": _labels(INJURY, pop.injury[p], fa),
        "circumstances": np.where(fa, fa_text[index], en[index]),
        "occupation": _labels(OCCUPATION_LABELS, pop.occupation[p], fa),
    }


def place_cells(
    spec: SourceSpec, truth: RowTruth, rng: np.random.Generator
) -> dict[str, Objects]:
    """City, province and country of each row."""
    m = len(truth.city)
    cities, provinces, province_of = place_tables()
    variant = rng.random(m) < spec.variants
    draw = rng.integers(0, _DRAW, (2, m))
    return {
        "city": _spell(cities, truth.city, variant, draw[0], truth.fa),
        "province": _spell(
            provinces, province_of[truth.city], variant, draw[1], truth.fa
        ),
        "country": np.where(truth.fa, "ایران", "Iran").astype(object),
    }


def protected_cells(
    pop: Population, truth: RowTruth, digits: Mask, rng: np.random.Generator
) -> dict[str, Objects]:
    """National id, informant, contact and private notes (all fictitious)."""
    m = len(truth.person)
    ids = [f"{x:010d}" for x in pop.national_id[truth.person].tolist()]
    ids_fa = np.array(
        [
            persian_digits(x) if d else x
            for x, d in zip(ids, digits.tolist(), strict=True)
        ],
        dtype=object,
    )
    informant = draw(rng, probabilities(INFORMANT), m)
    notes = draw(rng, probabilities(NOTES_PRIVATE), m)
    number, email = rng.integers(0, 10_000, m), rng.random(m) < 0.3
    # +98-000 is not an Iranian number range and example.org is reserved.
    contact = [
        f"relative.{n:04d}@example.org" if e else f"+98-000-555-{n:04d}"
        for n, e in zip(number.tolist(), email.tolist(), strict=True)
    ]
    return {
        "national_id": ids_fa,
        "informant": _labels(INFORMANT, informant, truth.fa),
        "contact": np.array(contact, dtype=object),
        "notes_private": _labels(NOTES_PRIVATE, notes, truth.fa),
    }


def render_cells(
    spec: SourceSpec,
    pop: Population,
    truth: RowTruth,
    present: dict[str, Mask],
    rng: np.random.Generator,
) -> tuple[dict[str, Objects], dict[str, Mask]]:
    """Every cell of a source's rows, blank where the source leaves it empty, and
    the rows each base noise kind touched (see :func:`name_cells`)."""
    m = len(truth.person)
    digits = truth.fa & (rng.random(m) < spec.persian_digits)
    cells, kinds = name_cells(spec, pop, truth, rng)
    cells["sex"] = np.where(
        truth.fa,
        np.where(truth.sex == 1, "زن", "مرد"),
        np.where(truth.sex == 1, spec.sex_words[1], spec.sex_words[0]),
    ).astype(object)
    cells["age"] = age_cells(spec, truth, digits, rng)
    cells["date_of_death"] = date_cells(spec, truth.death, truth.fa, digits, rng)
    if "birth_date" in spec.columns:
        births = pop.birth[truth.person]
        cells["birth_date"] = date_cells(spec, births, truth.fa, digits, rng)
    cells.update(place_cells(spec, truth, rng))
    cells.update(label_cells(spec, pop, truth, rng))
    if {"national_id", "informant", "contact", "notes_private"} & set(spec.columns):
        cells.update(protected_cells(pop, truth, digits, rng))
    for column, shown in present.items():
        cells[column] = np.where(shown, cells[column], "")
    return cells, kinds
