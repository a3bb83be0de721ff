"""Each source's records: its conventions, its errors, its gaps.

A source lists the persons the capture model gave it, in its own order, with its
own conventions (script, calendar, digits, spellings), its own noise (typos,
alternative transliterations, partial names, missing cells), a few duplicates (the
same person twice, spelt differently) and a share of contradictions (a wrong city,
age, date or sex), which the truth records per row.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from aban.sim.forces import force_cells
from aban.sim.noise import (
    BASE_KINDS,
    KINDS,
    Noise,
    NoisePlan,
    apply_name_noise,
    kind_labels,
    plan_noise,
    shifted_death,
    widened_age,
)
from aban.sim.people import Population, city_weights
from aban.sim.render import RowTruth, render_cells
from aban.sim.specs import SourceSpec
from aban.sim.vocab import draw
from aban.text.gazetteer import CITIES
from aban.vocab.columns import ALL_COLUMNS

Objects = npt.NDArray[np.object_]
Mask = npt.NDArray[np.bool_]
#: What a contradiction can change.
FIELDS = ("city", "age", "date", "sex")
_NAMES = ("record_id", "source", "full_name", "given_name", "family_name")
# Columns drawn after every other cell of a source (from the same stream), so that
# adding them to a source left the draws of its other cells as they were.
_DRAWN_LAST = ("alleged_force",)


@dataclass(frozen=True)
class SourceTable:
    """One source's records CSV and, per row, the truth behind it."""

    number: int
    spec: SourceSpec
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]]
    record_ids: Objects
    person: npt.NDArray[np.int64]
    duplicate: Mask
    contradiction: Objects
    #: The noise kinds that touched each row (``variant;letters``), or "".
    kinds: Objects
    #: The source's noise settings (the kinds of :mod:`aban.sim.noise`).
    noise: Noise

    def truth_rows(
        self, person_ids: Objects, kinds: bool = False
    ) -> list[tuple[str, ...]]:
        """Rows of ``truth/records.csv`` for this source; with ``kinds``, each
        row ends with the noise kinds that touched it."""
        name = self.spec.name
        rows: list[tuple[str, ...]] = [
            (rid, name, pid, wrong, "1" if dup else "0")
            for rid, pid, wrong, dup in zip(
                self.record_ids.tolist(),
                person_ids[self.person].tolist(),
                self.contradiction.tolist(),
                self.duplicate.tolist(),
                strict=True,
            )
        ]
        if not kinds:
            return rows
        return [(*r, k) for r, k in zip(rows, self.kinds.tolist(), strict=True)]

    def kind_counts(self) -> dict[str, int]:
        """How many rows each noise kind touched."""
        counts = dict.fromkeys((*BASE_KINDS, *KINDS), 0)
        for labels in self.kinds[self.kinds != ""].tolist():
            for kind in str(labels).split(";"):
                counts[kind] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        """The source's conventions and counts for ``scenario.json``."""
        wrong = self.contradiction[self.contradiction != ""].astype(str)
        fields, counts = np.unique(wrong, return_counts=True)
        return {
            "number": self.number,
            **self.spec.to_dict(),
            "columns": list(self.columns),
            "records": len(self.rows),
            "persons_listed": int(np.unique(self.person).shape[0]),
            "duplicate_records": int(self.duplicate.sum()),
            "contradictions": {
                str(f): int(c) for f, c in zip(fields, counts, strict=True)
            },
        } | ({"noise_records": self.kind_counts()} if self.noise.active else {})


def _listed_rows(
    listed: npt.NDArray[np.int64], spec: SourceSpec, rng: np.random.Generator
) -> tuple[npt.NDArray[np.int64], Mask]:
    """The persons behind each row: everyone listed, some twice, in a random order."""
    again = listed[rng.random(len(listed)) < spec.duplicates]
    person = np.concatenate((listed, again))
    duplicate = np.zeros(len(person), dtype=np.bool_)
    duplicate[len(listed) :] = True
    order = rng.permutation(len(person))
    return person[order], duplicate[order]


def _script(spec: SourceSpec, m: int, rng: np.random.Generator) -> Mask:
    draw = rng.random(m)
    if spec.script == "fa":
        return np.ones(m, dtype=np.bool_)
    if spec.script == "en":
        return np.zeros(m, dtype=np.bool_)
    return np.asarray(draw < spec.persian_share)


def _present(spec: SourceSpec, m: int, rng: np.random.Generator) -> dict[str, Mask]:
    """Which optional cells each row fills (names are left to the name rules)."""
    return {
        column: np.asarray(rng.random(m) >= spec.missing_rate(column))
        for column in spec.columns
        if column not in _NAMES and column not in _DRAWN_LAST
    }


def _available(
    spec: SourceSpec, present: dict[str, Mask], death: npt.NDArray[np.int64]
) -> Mask:
    """Which of FIELDS each row shows, so that a contradiction can be seen."""
    none = np.zeros(len(death), dtype=np.bool_)
    shown = {
        "city": present.get("city", none),
        "age": present.get("age", none),
        "date": present.get("date_of_death", none) & (death > 0),
        "sex": present.get("sex", none),
    }
    return np.column_stack([shown[f] for f in FIELDS])


def _contradict(
    truth: RowTruth, available: Mask, rate: float, rng: np.random.Generator
) -> RowTruth:
    """Give a share ``rate`` of rows one wrong value among the fields they show."""
    m = len(truth.person)
    hit = (rng.random(m) < rate) & available.any(axis=1)
    choice = np.argmax(rng.random((m, len(FIELDS))) * available, axis=1)
    field = np.where(hit, choice, -1)
    city = draw(rng, city_weights(), m)
    city = np.where(city == truth.city, (city + 1) % len(CITIES), city)
    shift = rng.integers(2, 11, m) * np.where(rng.random(m) < 0.5, -1, 1)
    age = np.where(truth.age + shift < 1, truth.age - shift, truth.age + shift)
    days = rng.integers(1, 4, m) * np.where(rng.random(m) < 0.5, -1, 1)
    labels = np.array([*FIELDS, ""], dtype=object)
    return RowTruth(
        truth.person,
        truth.duplicate,
        truth.fa,
        np.where(field == 0, city, truth.city),
        np.where(field == 1, age, truth.age),
        np.where(field == 2, truth.death + days, truth.death),
        np.where(field == 3, 1 - truth.sex, truth.sex).astype(np.int8),
        labels[field],
    )


def _plan_noise(
    noise: Noise,
    rng: np.random.Generator | None,
    truth: RowTruth,
    present: dict[str, Mask],
) -> tuple[NoisePlan | None, RowTruth, dict[str, Mask]]:
    """The rows each noise kind chose, and the truth and cells that follow."""
    if not noise.active:
        return None, truth, present
    if rng is None:
        raise ValueError("a noise stream is needed when noise is on")
    plan, present = plan_noise(noise, truth.fa, truth.death, present, rng)
    death, age = shifted_death(plan, truth.death), widened_age(plan, truth.age)
    return plan, replace(truth, death=death, age=age), present


def render_source(
    number: int,
    spec: SourceSpec,
    pop: Population,
    listed: npt.NDArray[np.int64],
    errors: float,
    rng: np.random.Generator,
    noise: Noise | None = None,
    noise_rng: np.random.Generator | None = None,
) -> SourceTable:
    """The records of source ``number`` (1-based) for the persons it ``listed``.

    Args:
        number: Position of the source; record ids are ``S<number>-<row>``, so
            they are unique across the sources of a scenario.
        spec: The source's conventions.
        pop: The true population.
        listed: Indices of the persons the source lists.
        errors: Share of rows with one contradiction.
        rng: The source's rendering stream.
        noise: Shares of the noise kinds of :mod:`aban.sim.noise` (none by
            default).
        noise_rng: The source's noise stream (needed when ``noise`` is on); the
            rendering stream draws the same numbers with or without noise.
    """
    person, duplicate = _listed_rows(listed, spec, rng)
    m = len(person)
    fa = _script(spec, m, rng)
    present = _present(spec, m, rng)
    truth = RowTruth(
        person,
        duplicate,
        fa,
        pop.city[person],
        pop.age[person],
        pop.death[person],
        pop.sex[person],
        np.full(m, "", dtype=object),
    )
    truth = _contradict(truth, _available(spec, present, truth.death), errors, rng)
    noise = noise or Noise()
    plan, truth, present = _plan_noise(noise, noise_rng, truth, present)
    width = max(6, len(str(m)))
    ids = np.array([f"S{number}-{i:0{width}d}" for i in range(1, m + 1)], dtype=object)
    cells, kinds = render_cells(spec, pop, truth, present, rng)
    if plan is not None:
        kinds |= apply_name_noise(cells, plan, fa)
        kinds |= {k: plan.chosen[k] for k in ("report_date", "wide_age")}
    if "alleged_force" in spec.columns:
        cells["alleged_force"] = force_cells(spec, pop.force[person], fa, rng)
    cells["record_id"] = ids
    cells["source"] = np.full(m, spec.name, dtype=object)
    columns = tuple(c for c in ALL_COLUMNS if c in spec.columns)
    rows = list(zip(*(cells[c].tolist() for c in columns), strict=True))
    return SourceTable(
        number,
        spec,
        columns,
        rows,
        ids,
        person,
        duplicate,
        truth.contradiction,
        kind_labels(kinds, m),
        noise,
    )
