"""Dated status histories of the simulated detainees (the detention events CSV).

Each detained, disappeared or died-in-custody person who appears in at least one
source gets a chain of events: arrested, then (for example) held incommunicado,
transferred, charged, tried, sentenced or sentenced to death, released on bail or
released; or disappeared; or died in custody. Each event names a record of the
person (from a source that lists them) and that record's source, as a documenter
would attach a report to a record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from aban.sim.people import Population
from aban.sim.sources import SourceTable
from aban.sim.vocab import DETAINED, DIED_IN_CUSTODY, DISAPPEARED
from aban.text.gazetteer import CITIES

DETENTION_COLUMNS = ("record_id", "date", "status", "place", "source", "note")
_LAST_DAY = dt.date(2023, 12, 31).toordinal()
_UNKNOWN_PLACE = "unknown location"
FACILITIES: dict[str, tuple[str, ...]] = {
    "Tehran": ("Evin Prison", "Greater Tehran Central Penitentiary"),
    "Alborz": ("Ghezel Hesar Prison", "Rajaei Shahr Prison"),
    "Khuzestan": ("Sepidar Prison", "Sheyban Prison"),
    "Fars": ("Adelabad Prison",),
    "Isfahan": ("Dastgerd Prison",),
    "Kermanshah": ("Dizelabad Prison",),
    "Razavi Khorasan": ("Vakilabad Prison",),
    "Gilan": ("Lakan Prison",),
}
_CHARGES = (
    "charged with acting against national security",
    "charged with propaganda against the state",
    "charged with assembly and collusion",
    "charged with moharebeh (enmity against God)",
)
Event = tuple[int, str, str, str]  # (ordinal, status, place, note)


def _facility(province: str, u: float) -> str:
    names = FACILITIES.get(province, (f"{province} Central Prison",))
    return names[int(u * len(names))]


def _trial(day: int, u: npt.NDArray[np.float64], prison: str) -> list[Event]:
    """Trial, sentence and perhaps release of a charged detainee."""
    day += 30 + int(u[9] * 270)
    events = [(day, "tried", prison, "trial before a Revolutionary Court")]
    day += 1 + int(u[10] * 29)
    if u[11] < 0.06:
        return [*events, (day, "death_sentence", prison, "sentenced to death")]
    years = 1 + int(u[12] * 10)
    lashes = " and 74 lashes" if u[13] < 0.2 else ""
    events.append((day, "sentenced", prison, f"{years} years' imprisonment{lashes}"))
    if u[14] < 0.25:
        day += 180 + int(u[15] * 720)
        events.append(
            (day, "released", prison, "released after a pardon or the sentence")
        )
    return events


def _detained(arrest: int, province: str, u: npt.NDArray[np.float64]) -> list[Event]:
    """Events after the arrest of a person still held (or released) alive."""
    events: list[Event] = []
    day, prison = arrest, _facility(province, u[16])
    if u[0] < 0.5:
        day += 1 + int(u[1] * 6)
        events.append(
            (day, "held_incommunicado", _UNKNOWN_PLACE, "no access to family or lawyer")
        )
    if u[2] < 0.3:
        day += 5 + int(u[3] * 35)
        events.append((day, "transferred", prison, "transferred to prison"))
    if u[4] >= 0.85:
        return [
            *events,
            (day + 3 + int(u[5] * 57), "released", prison, "released without charge"),
        ]
    day += 7 + int(u[5] * 53)
    events.append((day, "charged", prison, _CHARGES[int(u[6] * len(_CHARGES))]))
    if u[7] < 0.45:
        day += 7 + int(u[8] * 83)
        return [
            *events,
            (day, "released_on_bail", prison, "released on bail pending trial"),
        ]
    return events + _trial(day, u, prison)


def _chain(
    status: int, arrest: int, death: int, province: str, u: npt.NDArray[np.float64]
) -> list[Event]:
    city_note = "arrested during the protests"
    events: list[Event] = [(arrest, "arrested", "", city_note)]
    if status == DISAPPEARED:
        if u[0] < 0.5:
            day = arrest + 1 + int(u[1] * 3)
            note = "family not told where"
            events.append((day, "held_incommunicado", _UNKNOWN_PLACE, note))
        day = arrest + 5 + int(u[2] * 20)
        note = "authorities deny holding the person"
        events.append((day, "disappeared", _UNKNOWN_PLACE, note))
    elif status == DIED_IN_CUSTODY:
        prison = _facility(province, u[16])
        held = min(arrest + 1 + int(u[1] * 4), death - 1)
        events.append(
            (held, "held_incommunicado", prison, "no access to family or lawyer")
        )
        events.append((death, "died_in_custody", prison, "family told of the death"))
    elif status == DETAINED:
        events += _detained(arrest, province, u)
    return [e for e in events if e[0] <= _LAST_DAY]


def _listed_detainees(
    pop: Population, tables: Sequence[SourceTable]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.object_], npt.NDArray[np.object_]]:
    """Person, record id and source of every non-duplicate record of a detainee."""
    keep = [~t.duplicate for t in tables]
    person = np.concatenate([t.person[k] for t, k in zip(tables, keep, strict=True)])
    ids = np.concatenate([t.record_ids[k] for t, k in zip(tables, keep, strict=True)])
    counts = [int(k.sum()) for k in keep]
    names = np.concatenate(
        [
            np.full(c, t.spec.name, dtype=object)
            for t, c in zip(tables, counts, strict=True)
        ]
    )
    held = pop.arrest[person] > 0
    order = np.lexsort((ids[held].astype(str), person[held]))
    return person[held][order], ids[held][order], names[held][order]


def detention_events(
    pop: Population, tables: Sequence[SourceTable], rng: np.random.Generator
) -> tuple[tuple[str, ...], ...]:
    """Rows of the detention events CSV for every listed detainee.

    Args:
        pop: The true population.
        tables: The sources' records; events cite a non-duplicate record.
        rng: The detentions' random stream.

    Returns:
        Rows ``(record_id, date, status, place, source, note)``, person by person,
        each person's events in date order; each event cites one of the person's
        records, chosen at random.
    """
    person, ids, names = _listed_detainees(pop, tables)
    first = np.ones(len(person), dtype=np.bool_)
    first[1:] = person[1:] != person[:-1]
    starts: list[int] = np.flatnonzero(first).tolist()
    ends = [*starts[1:], len(person)]
    draws = rng.random((len(starts), 24))
    rows: list[tuple[str, ...]] = []
    for n, (start, end) in enumerate(zip(starts, ends, strict=True)):
        i, u = int(person[start]), draws[n]
        city = CITIES[pop.city[i]]
        status, arrest, death = (
            int(pop.status[i]),
            int(pop.arrest[i]),
            int(pop.death[i]),
        )
        for e, (day, event, place, note) in enumerate(
            _chain(status, arrest, death, city.province_en, u)
        ):
            pick = start + int(u[17 + e % 7] * (end - start))
            iso = dt.date.fromordinal(day).isoformat()
            rows.append(
                (ids[pick], iso, event, place or city.name_en, names[pick], note)
            )
    return tuple(rows)
