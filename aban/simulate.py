"""Synthetic crackdowns with ground truth: persons, overlapping sources, detentions.

A scenario is a population of victims (killed, detained, disappeared, died in
custody) with Persian names, ages, sexes, dates, cities and injuries; a capture
model that decides which sources list whom (heterogeneous and correlated, as real
lists are); and one records CSV per source, each with its own conventions (script,
calendar, digits, spelling, typos, missing cells, duplicates, contradictions).
The truth (who is who, the true capture histories, the true total) is kept beside.
Noise kinds that lists written elsewhere have (letter-level transliteration
noise, "Family, Given" names, one-word names, report dates, wide age errors:
:mod:`aban.sim.noise`) are off by default and each has its own share; the truth
then names the kinds that touched each record.

Randomness: one :class:`numpy.random.SeedSequence` from ``settings.seed``, spawned
into independent streams (population, latent capture values, detentions, then one
capture stream and one rendering stream per source), so a scenario is
byte-identical for the same settings, and adding a source changes neither the
population nor what the other sources list.

Example:
    >>> scenario = simulate(SimulationSettings(persons=300, sources=4, seed=1))
    >>> write_scenario(scenario, Path("sim"))  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from aban.errors import ConfigError
from aban.sim.capture import CaptureModel, capture
from aban.sim.detentions import DETENTION_COLUMNS, detention_events
from aban.sim.noise import Noise
from aban.sim.people import Population, draw_population, person_rows
from aban.sim.sources import SourceTable, render_source
from aban.sim.specs import source_specs

Capture = Literal["latent-class", "continuous"]


@dataclass(frozen=True)
class SimulationSettings:
    """Every setting of a simulation; with the seed, it fixes the output exactly."""

    persons: int = field(
        default=1000, metadata={"help": "true number of persons, listed or not"}
    )
    sources: int = field(default=4, metadata={"help": "number of sources (2 to 20)"})
    seed: int = field(default=0, metadata={"help": "seed of the random generator"})
    capture: Capture = field(
        default="latent-class",
        metadata={"help": "capture heterogeneity: latent-class or continuous"},
    )
    errors: float = field(
        default=0.03,
        metadata={
            "help": "share of records with one contradiction (city, age, date, sex)"
        },
    )
    detained_share: float = field(
        default=0.14,
        metadata={"help": "share of persons detained, disappeared or died in custody"},
    )
    noise: Noise = field(
        default=Noise(),
        metadata={
            "help": "shares of the noise kinds of aban.sim.noise (letters, "
            "comma_order, one_word, report_date, wide_age); none by default"
        },
    )

    def check(self) -> None:
        """Raise :class:`ConfigError` listing every invalid setting at once."""
        problems = []
        if self.persons < 1:
            problems.append("persons must be at least 1")
        if not 2 <= self.sources <= 20:
            problems.append("sources must be between 2 and 20")
        if self.capture not in ("latent-class", "continuous"):
            problems.append("capture must be latent-class or continuous")
        if not 0.0 <= self.errors <= 1.0:
            problems.append("errors must be between 0 and 1")
        if not 0.0 <= self.detained_share <= 1.0:
            problems.append("detained_share must be between 0 and 1")
        problems += self.noise.problems()
        if problems:
            raise ConfigError("invalid simulation settings: " + "; ".join(problems))


@dataclass(frozen=True)
class Scenario:
    """A simulated crackdown: the truth and what each source reports."""

    settings: SimulationSettings
    population: Population
    captures: npt.NDArray[np.bool_]
    capture_model: CaptureModel
    tables: tuple[SourceTable, ...]
    detentions: tuple[tuple[str, ...], ...]

    @property
    def observed(self) -> int:
        """Persons listed by at least one source."""
        return int(self.captures.any(axis=1).sum())

    def histories(self) -> list[tuple[tuple[int, ...], int]]:
        """True capture histories: (pattern, count) for each observed pattern."""
        k = self.captures.shape[1]
        codes = self.captures.astype(np.int64) @ (1 << np.arange(k - 1, -1, -1))
        counts = np.bincount(codes, minlength=1 << k)
        found = [
            (tuple(int(b) for b in np.binary_repr(code, k)), int(counts[code]))
            for code in range(1, 1 << k)
            if counts[code]
        ]
        return sorted(found, key=lambda item: item[0], reverse=True)

    def to_dict(self) -> dict[str, Any]:
        """The content of ``scenario.json``: settings, sources and true totals.

        The noise shares appear only when some kind is on, so that a scenario
        without them reads as it did before they existed.
        """
        statuses = self.population.status_counts()
        settings = asdict(self.settings)
        if not self.settings.noise.active:
            del settings["noise"]
        return {
            "format": "aban-simulation/1",
            "seed": self.settings.seed,
            "settings": settings,
            "persons": int(self.population.size),
            "observed": self.observed,
            "records": sum(len(t.rows) for t in self.tables),
            "detention_events": len(self.detentions),
            "persons_by_status": statuses,
            "capture": self.capture_model.to_dict(),
            "sources": [t.to_dict() for t in self.tables],
            "files": _files(self),
        }


def simulate(settings: SimulationSettings) -> Scenario:
    """Simulate a crackdown with ground truth.

    Args:
        settings: Size, number of sources, seed, capture model, error rate and
            noise kinds.

    Returns:
        The :class:`Scenario`: population, captures and every source's records.

    Raises:
        ConfigError: a setting is out of range.
    """
    settings.check()
    # The fifth stream (noise) leaves the first four as they were before it.
    streams = np.random.SeedSequence(settings.seed).spawn(5)
    rng = [np.random.default_rng(s) for s in streams[:3]]
    specs = source_specs(settings.sources)
    # Two streams per source (capture, rendering), fixed by its position only.
    per_source = [np.random.default_rng(s) for s in streams[3].spawn(2 * len(specs))]
    population = draw_population(settings.persons, settings.detained_share, rng[0])
    model, captures = capture(
        settings.capture, specs, population.size, rng[1], per_source[::2]
    )
    population = population.with_latent(model.latent_class, model.visibility)
    noise = [np.random.default_rng(s) for s in streams[4].spawn(len(specs))]
    tables = tuple(
        render_source(
            number,
            spec,
            population,
            np.flatnonzero(captures[:, number - 1]),
            settings.errors,
            per_source[2 * number - 1],
            settings.noise,
            noise[number - 1],
        )
        for number, spec in enumerate(specs, start=1)
    )
    events = detention_events(population, tables, rng[2])
    return Scenario(settings, population, captures, model, tables, events)


def _files(scenario: Scenario) -> list[str]:
    names = [f"sources/{t.spec.name}.csv" for t in scenario.tables]
    truth = ["truth/records.csv", "truth/persons.csv", "truth/histories.csv"]
    return [*names, *truth, "detentions.csv", "scenario.json"]


def _write_csv(path: Path, header: tuple[str, ...] | list[str], rows: Any) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _prepare(out_dir: Path) -> None:
    """Make ``out_dir`` ready: new, empty, or holding an earlier simulation."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ConfigError(f"{out_dir}: not a folder; choose a new or empty folder")
    previous = out_dir / "scenario.json"
    if out_dir.is_dir() and any(out_dir.iterdir()) and not previous.is_file():
        raise ConfigError(
            f"{out_dir}: the folder is not empty and holds no earlier simulation; "
            "choose a new or empty folder"
        )
    if previous.is_file():
        try:
            old = json.loads(previous.read_text(encoding="utf-8")).get("files", [])
        except (json.JSONDecodeError, UnicodeDecodeError, AttributeError) as err:
            raise ConfigError(f"{previous}: unreadable; remove the folder") from err
        for name in old:
            target = out_dir / str(name)
            if target.parent.resolve().is_relative_to(out_dir.resolve()):
                target.unlink(missing_ok=True)
    (out_dir / "sources").mkdir(parents=True, exist_ok=True)
    (out_dir / "truth").mkdir(exist_ok=True)


def write_scenario(
    scenario: Scenario, out_dir: Path, kinds: bool | None = None
) -> None:
    """Write a scenario as files (DESIGN.md section 4, "Simulation output").

    Writes ``sources/<source>.csv`` (records CSVs), ``truth/records.csv``
    (``record_id, source, person_id``, then ``contradiction`` and ``duplicate``,
    then ``noise``: the noise kinds that touched the record, such as
    ``variant;letters``, when ``kinds`` is true or, by default, when a noise kind
    of :mod:`aban.sim.noise` is on),
    ``truth/persons.csv``, ``truth/histories.csv`` (one 0/1 column per source, then
    ``count``; observed patterns only), ``detentions.csv`` and ``scenario.json``.

    Raises:
        ConfigError: ``out_dir`` is a file, or a non-empty folder that is not an
            earlier simulation (whose files are replaced).
    """
    _prepare(out_dir)
    ids = scenario.population.person_ids()
    with_kinds = scenario.settings.noise.active if kinds is None else kinds
    truth: list[tuple[str, ...]] = []
    for table in scenario.tables:
        _write_csv(
            out_dir / "sources" / f"{table.spec.name}.csv", table.columns, table.rows
        )
        truth.extend(table.truth_rows(ids, with_kinds))
    header: tuple[str, ...] = (
        "record_id",
        "source",
        "person_id",
        "contradiction",
        "duplicate",
    )
    _write_csv(
        out_dir / "truth" / "records.csv",
        (*header, "noise") if with_kinds else header,
        truth,
    )
    header, rows = person_rows(scenario.population, scenario.captures)
    _write_csv(out_dir / "truth" / "persons.csv", header, rows)
    names = [t.spec.name for t in scenario.tables]
    histories = [(*pattern, count) for pattern, count in scenario.histories()]
    _write_csv(out_dir / "truth" / "histories.csv", [*names, "count"], histories)
    _write_csv(out_dir / "detentions.csv", DETENTION_COLUMNS, scenario.detentions)
    text = json.dumps(scenario.to_dict(), ensure_ascii=False, indent=2)
    (out_dir / "scenario.json").write_text(text + "\n", encoding="utf-8")
