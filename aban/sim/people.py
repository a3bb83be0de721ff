"""The true population of a simulated crackdown: who they were, when and where.

All draws are vectorised with NumPy; the distributions are illustrative of the
model case (Iran, November 2019): mostly young men, about 7% children, deaths on
15-19 November with a peak on the 16th and 17th, cities weighted by population with
extra weight on the towns where protests were crushed hardest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from aban.sim import names
from aban.sim.names import (
    HONORIFICS,
    family_names,
    given_names,
    zipf_weights,
)
from aban.sim.vocab import (
    CAUSE,
    CUSTODY_CAUSE,
    DIED_IN_CUSTODY,
    FORCE,
    INJURY,
    KILLED,
    OCCUPATION,
    OCCUPATION_LABELS,
    RETIRED,
    SCHOOL_STUDENT,
    STATUS,
    Label,
    draw,
    probabilities,
)
from aban.text.gazetteer import CITIES, PROVINCES

Ints = npt.NDArray[np.int64]

#: Day 0 of the simulated crackdown (24 Aban 1398).
START = dt.date(2019, 11, 15)
# Killings by day from 15 Nov (peak 16-17 Nov), then a thin tail to 30 Nov.
_DEATH_DAYS = np.array([0.17, 0.33, 0.27, 0.13, 0.06] + [0.04 / 11] * 11)
_DEATH_DAYS /= _DEATH_DAYS.sum()
# Arrests by day from 15 Nov: mostly the first week, then a long tail (60 days).
_ARREST_DAYS = np.concatenate((np.full(7, 0.09), np.full(53, 0.37 / 53)))
_ARREST_DAYS /= _ARREST_DAYS.sum()
# Places where protests were crushed hardest get this extra weight.
# fmt: off
HOTSPOTS: dict[str, float] = {
    "Bandar-e Mahshahr": 10.0, "Shahriar": 8.0, "Eslamshahr": 6.0, "Behbahan": 8.0,
    "Javanrud": 10.0, "Marivan": 8.0, "Sirjan": 6.0, "Qods": 6.0, "Malard": 5.0,
    "Robat Karim": 5.0, "Nasimshahr": 5.0, "Andisheh": 4.0, "Karaj": 3.0,
    "Fardis": 4.0, "Kamalshahr": 4.0, "Shiraz": 4.0, "Sadra": 5.0, "Kazerun": 4.0,
    "Ahvaz": 4.0, "Khorramshahr": 4.0, "Abadan": 3.0, "Shadegan": 5.0,
    "Susangerd": 5.0, "Kermanshah": 4.0, "Eslamabad-e Gharb": 4.0, "Sanandaj": 2.0,
    "Isfahan": 2.0, "Khomeyni Shahr": 3.0, "Shahin Shahr": 3.0, "Pakdasht": 3.0,
    "Varamin": 2.0, "Tehran": 1.5,
}
# fmt: on


@dataclass(frozen=True)
class Population:
    """The true persons, one entry per person in every array (index = person).

    Dates are proleptic Gregorian ordinals (``datetime.date.toordinal``), -1 when
    they do not apply. Categorical values are indices into :mod:`aban.sim.vocab`
    tuples, -1 when they do not apply.
    """

    sex: npt.NDArray[np.int8]  # 0 male, 1 female
    age: Ints
    status: Ints  # index into STATUS
    death: Ints
    arrest: Ints
    birth: Ints
    city: Ints  # index into CITIES
    given: Ints  # index into given_names()
    family: Ints  # index into family_names()
    father: Ints  # index into given_names()
    honorific: npt.NDArray[np.bool_]
    cause: Ints  # CAUSE if killed, CUSTODY_CAUSE if died in custody
    injury: Ints
    force: Ints
    occupation: Ints  # index into OCCUPATION_LABELS
    circumstance: Ints  # which template of CIRCUMSTANCES[status]
    national_id: Ints
    latent_class: Ints  # -1 without latent classes
    visibility: npt.NDArray[np.float64]  # latent logit shift shared by all sources

    @property
    def size(self) -> int:
        """Number of persons."""
        return len(self.sex)

    def with_latent(
        self, latent_class: Ints, visibility: npt.NDArray[np.float64]
    ) -> Population:
        """A copy with the capture model's latent class and visibility."""
        return replace(self, latent_class=latent_class, visibility=visibility)

    def status_counts(self) -> dict[str, int]:
        """Number of persons by status."""
        counts = np.bincount(self.status, minlength=len(STATUS))
        return {label.en: int(n) for label, n in zip(STATUS, counts, strict=True)}

    def person_ids(self) -> npt.NDArray[np.object_]:
        """Person ids ``P000001``...; wider when there are a million or more."""
        width = max(6, len(str(self.size)))
        return np.array(
            [f"P{i:0{width}d}" for i in range(1, self.size + 1)], dtype=object
        )


@cache
def city_weights() -> npt.NDArray[np.float64]:
    """Probability of each gazetteer city: population^0.85 times the hotspot weight."""
    weights = np.array(
        [c.population**0.85 * HOTSPOTS.get(c.name_en, 1.0) for c in CITIES]
    )
    return np.asarray(weights / weights.sum(), dtype=np.float64)


@cache
def _age_pmf() -> npt.NDArray[np.float64]:
    """Ages 0..90: 7% children (mostly 14-17), 68% 18-35, 22% 36-59, 3% over 60."""
    ages = np.arange(91, dtype=np.float64)
    bands = [
        ((10, 18), 0.07, np.exp((ages - 17) / 2.0)),
        ((18, 36), 0.68, np.exp(-((ages - 24) ** 2) / (2 * 6.0**2))),
        ((36, 60), 0.22, np.exp(-(ages - 36) / 10.0)),
        ((60, 86), 0.03, np.exp(-(ages - 60) / 8.0)),
    ]
    pmf = np.zeros_like(ages)
    for (low, high), share, shape in bands:
        part = np.where((ages >= low) & (ages < high), shape, 0.0)
        pmf += share * part / part.sum()
    return np.asarray(pmf / pmf.sum(), dtype=np.float64)


def _given(sex: npt.NDArray[np.int8], rng: np.random.Generator) -> Ints:
    """Given names: men 90% simple, 10% compound; women from the women's list."""
    table, simple, compounds = given_names()
    women = len(table.names) - simple - compounds
    n = len(sex)
    pick_simple = draw(rng, zipf_weights(simple, 0.9), n)
    pick_compound = simple + draw(rng, zipf_weights(compounds, 0.8), n)
    pick_female = simple + compounds + draw(rng, zipf_weights(women, 0.9), n)
    male = np.where(rng.random(n) < 0.1, pick_compound, pick_simple)
    return np.where(sex == 1, pick_female, male).astype(np.int64)


def _national_ids(n: int, rng: np.random.Generator) -> Ints:
    """Ten-digit Iranian national codes with a valid check digit (random numbers)."""
    digits = rng.integers(0, 10, size=(n, 9))
    digits[:, 0] = rng.integers(0, 7, size=n)  # a plausible leading digit
    total = digits @ np.arange(10, 1, -1)
    rest = total % 11
    check = np.where(rest < 2, rest, 11 - rest)
    return (digits @ (10 ** np.arange(9, 0, -1)) + check).astype(np.int64)


def _dates(
    status: Ints, age: Ints, rng: np.random.Generator
) -> tuple[Ints, Ints, Ints]:
    """Death, arrest and birth ordinals (-1 where no death or no arrest)."""
    n = len(status)
    day0 = START.toordinal()
    died = day0 + draw(rng, _DEATH_DAYS, n)
    arrested = day0 + draw(rng, _ARREST_DAYS, n)
    in_custody = arrested + rng.integers(2, 61, n)
    death = np.where(status == KILLED, died, -1)
    death = np.where(status == DIED_IN_CUSTODY, in_custody, death)
    arrest = np.where(status == KILLED, -1, arrested)
    event = np.where(status == KILLED, died, arrested)
    birth = event - np.round(age * 365.2425).astype(np.int64) - rng.integers(0, 365, n)
    return death.astype(np.int64), arrest.astype(np.int64), birth.astype(np.int64)


def _categories(status: Ints, age: Ints, rng: np.random.Generator) -> dict[str, Ints]:
    """Cause, injury, alleged force, occupation and circumstance of each person."""
    n = len(status)
    cause = draw(rng, probabilities(CAUSE), n)
    custody = draw(rng, probabilities(CUSTODY_CAUSE), n)
    injury = draw(rng, probabilities(INJURY), n)
    occupation = draw(rng, probabilities(OCCUPATION), n)
    occupation = np.where(age < 18, OCCUPATION_LABELS.index(SCHOOL_STUDENT), occupation)
    retired = (age >= 62) & (rng.random(n) < 0.6)
    occupation = np.where(retired, OCCUPATION_LABELS.index(RETIRED), occupation)
    return {
        "cause": np.where(
            status == KILLED, cause, np.where(status == DIED_IN_CUSTODY, custody, -1)
        ),
        "injury": np.where(status == KILLED, injury, -1),
        "force": draw(rng, probabilities(FORCE), n),
        "occupation": occupation.astype(np.int64),
        "circumstance": np.asarray(rng.integers(0, 3, n), dtype=np.int64),
    }


def draw_population(
    n: int, detained_share: float, rng: np.random.Generator
) -> Population:
    """Draw ``n`` true persons.

    Args:
        n: Number of persons.
        detained_share: Share detained, disappeared or died in custody (the rest
            were killed); split 0.095 : 0.03 : 0.015 among those three statuses.
        rng: The population's random stream.
    """
    others = probabilities(STATUS[1:])
    status_p = np.concatenate(([1.0 - detained_share], detained_share * others))
    status = draw(rng, status_p, n)
    female_p = np.where(status == KILLED, 0.08, 0.12)
    sex = (rng.random(n) < female_p).astype(np.int8)
    age = draw(rng, _age_pmf(), n)
    death, arrest, birth = _dates(status, age, rng)
    city = draw(rng, city_weights(), n)
    family_count = len(family_names().names)
    given = _given(sex, rng)
    family = draw(rng, zipf_weights(family_count, names.FAMILY_EXPONENT), n)
    father = _given(np.zeros(n, dtype=np.int8), rng)
    honorific = rng.random(n) < np.where(sex == 0, 0.06, 0.04)
    categories = _categories(status, age, rng)
    ids = _national_ids(n, rng)
    none = np.full(n, -1, dtype=np.int64)
    return Population(
        sex,
        age,
        status,
        death,
        arrest,
        birth,
        city,
        given,
        family.astype(np.int64),
        father,
        honorific,
        categories["cause"],
        categories["injury"],
        categories["force"],
        categories["occupation"],
        categories["circumstance"],
        ids,
        none,
        np.zeros(n),
    )


# fmt: off
PERSON_COLUMNS: tuple[str, ...] = (
    "person_id", "status", "sex", "age", "birth_date", "date_of_death", "arrest_date",
    "honorific", "given_name_fa", "given_name_en", "family_name_fa", "family_name_en",
    "father_name_fa", "father_name_en", "full_name_fa", "full_name_en", "city",
    "city_fa", "province", "province_fa", "cause", "injury_location", "alleged_force",
    "occupation", "national_id", "latent_class", "visibility", "captured", "history",
)
# fmt: on


def _iso(ordinal: int) -> str:
    return dt.date.fromordinal(ordinal).isoformat() if ordinal > 0 else ""


def _names(pop: Population) -> dict[str, list[str]]:
    """True names of every person, in both scripts (honorific in the full name)."""
    table, _, _ = given_names()
    fam = family_names()
    honor: list[tuple[str, str]] = [
        HONORIFICS["mf"[s]][:2] if h else ("", "")
        for s, h in zip(pop.sex.tolist(), pop.honorific.tolist(), strict=True)
    ]
    given = [table.names[i] for i in pop.given.tolist()]
    family = [fam.names[i] for i in pop.family.tolist()]
    father = [table.names[i] for i in pop.father.tolist()]
    full = {
        script: [
            " ".join(filter(None, (h[k], getattr(g, script), getattr(f, script))))
            for h, g, f in zip(honor, given, family, strict=True)
        ]
        for k, script in ((0, "fa"), (1, "en"))
    }
    names = {"honorific": [h[1] for h in honor]}
    for column, people in (("given", given), ("family", family), ("father", father)):
        names[f"{column}_name_fa"] = [n.fa for n in people]
        names[f"{column}_name_en"] = [n.en for n in people]
    return {**names, "full_name_fa": full["fa"], "full_name_en": full["en"]}


def _label_column(labels: tuple[Label, ...], index: Ints) -> list[str]:
    words = [label.en for label in labels] + [""]
    return [words[i] for i in index.tolist()]


def person_rows(
    pop: Population, captures: npt.NDArray[np.bool_]
) -> tuple[tuple[str, ...], Iterator[tuple[object, ...]]]:
    """The header and rows of ``truth/persons.csv`` (true values of every person)."""
    provinces = {p.name_en: p.name_fa for p in PROVINCES}
    cities = [CITIES[i] for i in pop.city.tolist()]
    custody = pop.status == DIED_IN_CUSTODY
    history = ["".join("1" if c else "0" for c in row) for row in captures.tolist()]
    columns: dict[str, list[Any]] = {
        "person_id": pop.person_ids().tolist(),
        "status": _label_column(STATUS, pop.status),
        "sex": ["mf"[s] for s in pop.sex.tolist()],
        "age": pop.age.tolist(),
        "birth_date": [_iso(o) for o in pop.birth.tolist()],
        "date_of_death": [_iso(o) for o in pop.death.tolist()],
        "arrest_date": [_iso(o) for o in pop.arrest.tolist()],
        **_names(pop),
        "city": [c.name_en for c in cities],
        "city_fa": [c.name_fa for c in cities],
        "province": [c.province_en for c in cities],
        "province_fa": [provinces[c.province_en] for c in cities],
        "cause": [
            b if c else a
            for a, b, c in zip(
                _label_column(CAUSE, np.where(custody, -1, pop.cause)),
                _label_column(CUSTODY_CAUSE, np.where(custody, pop.cause, -1)),
                custody.tolist(),
                strict=True,
            )
        ],
        "injury_location": _label_column(INJURY, pop.injury),
        "alleged_force": _label_column(FORCE, pop.force),
        "occupation": _label_column(OCCUPATION_LABELS, pop.occupation),
        "national_id": [f"{x:010d}" for x in pop.national_id.tolist()],
        "latent_class": [c if c >= 0 else "" for c in pop.latent_class.tolist()],
        "visibility": [f"{v:.4f}" for v in pop.visibility.tolist()],
        "captured": [int("1" in h) for h in history],
        "history": history,
    }
    return PERSON_COLUMNS, zip(*(columns[c] for c in PERSON_COLUMNS), strict=True)
