"""A small fixed scenario: 14 synthetic persons with chosen values and grades.

Status ``killed`` unless noted. The expected tables in the tests are counted by
hand from this list.

====  ==========  ==========  ========  ====  ===  ================  ======
id    died        province    city      age   sex  injury            grade
====  ==========  ==========  ========  ====  ===  ================  ======
P1    2019-11-15  Tehran      Tehran    16    m    head              conf
P2    2019-11-16  Fars        Shiraz    24    m    chest             conf
P3    2019-11-16  Fars        Shiraz    31    f    legs              corr
P4    2019-11-17  Khuzestan   Mahshahr  17    m    shot in the head  corr
P5    2019-11-17  Khuzestan   Mahshahr  45    m    abdomen           single
P6    2019-11-18  Tehran      Tehran    29    m                      single
P7    2019-11-18              شیراز           f    arms              cont
P8                Kermanshah            50         neck              single
P9    2019-11-16  Tehran      Tehran    30    m    multiple          disc
P10   2019-11-21  Isfahan     Isfahan   18    m    head              single
P11   2019-11-16  Nowhere               (16)  m    bruise            conf
P12   detained    Tehran                                             single
P13   no status                         40                           single
P14   2019-11-17                                                     disc
====  ==========  ==========  ========  ====  ===  ================  ======

Grades: confirmed, corroborated, single-source, contested, discounted. P7's city
is Shiraz in Persian script (the gazetteer gives Shiraz, Fars).
P11 has no age but a birth date (2002-11-17): 16 at death. The event runs from
15 to 20 November; the shutdown began on 16 November.

Alleged force as written (read as): P1 ``IRGC`` (irgc), P2 ``سپاه و بسیج``
(irgc;basij), P3 ``Basij militia`` (basij), P4 ``unknown`` (unknown), P5
``نیروی انتظامی`` (police), P6 ``Revolutionary Guards and Basij`` (irgc;basij),
P7 ``fired from rooftops`` (unrecognized), P9 ``IRGC`` (irgc), P10
``لباس‌شخصی`` (plainclothes), P11 ``نیروهای امنیتی`` (security_forces), P12
``police`` (not killed); the others give none.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aban.analysis.victims import Victim, victim_from_canonical
from aban.store.db import Connection, transaction
from aban.vocab.canonical import canonical_values

PEOPLE: list[tuple[str, str, dict[str, Any]]] = [
    (
        "P000001",
        "confirmed",
        {
            "date_of_death": "2019-11-15",
            "province": "Tehran",
            "city": "Tehran",
            "age": 16,
            "sex": "m",
            "injury_location": "head",
            "alleged_force": "IRGC",
        },
    ),
    (
        "P000002",
        "confirmed",
        {
            "date_of_death": "2019-11-16",
            "province": "Fars",
            "city": "Shiraz",
            "age": 24,
            "sex": "m",
            "injury_location": "chest",
            "alleged_force": "سپاه و بسیج",
        },
    ),
    (
        "P000003",
        "corroborated",
        {
            "date_of_death": "2019-11-16",
            "province": "Fars",
            "city": "Shiraz",
            "age": 31,
            "sex": "f",
            "injury_location": "legs",
            "alleged_force": "Basij militia",
        },
    ),
    (
        "P000004",
        "corroborated",
        {
            "date_of_death": "2019-11-17",
            "province": "Khuzestan",
            "city": "Mahshahr",
            "age": 17,
            "sex": "m",
            "injury_location": "shot in the head",
            "alleged_force": "unknown",
        },
    ),
    (
        "P000005",
        "single-source",
        {
            "date_of_death": "2019-11-17",
            "province": "Khuzestan",
            "city": "Mahshahr",
            "age": 45,
            "sex": "m",
            "injury_location": "abdomen",
            "alleged_force": "نیروی انتظامی",
        },
    ),
    (
        "P000006",
        "single-source",
        {
            "date_of_death": "2019-11-18",
            "province": "Tehran",
            "city": "Tehran",
            "age": 29,
            "sex": "m",
            "alleged_force": "Revolutionary Guards and Basij",
        },
    ),
    (
        "P000007",
        "contested",
        {
            "date_of_death": "2019-11-18",
            "city": "شیراز",
            "sex": "f",
            "injury_location": "arms",
            "alleged_force": "fired from rooftops",
        },
    ),
    (
        "P000008",
        "single-source",
        {"province": "Kermanshah", "age": 50, "injury_location": "neck"},
    ),
    (
        "P000009",
        "discounted",
        {
            "date_of_death": "2019-11-16",
            "province": "Tehran",
            "city": "Tehran",
            "age": 30,
            "sex": "m",
            "injury_location": "multiple",
            "alleged_force": "IRGC",
        },
    ),
    (
        "P000010",
        "single-source",
        {
            "date_of_death": "2019-11-21",
            "province": "Isfahan",
            "city": "Isfahan",
            "age": 18,
            "sex": "m",
            "injury_location": "head",
            "alleged_force": "لباس‌شخصی",
        },
    ),
    (
        "P000011",
        "confirmed",
        {
            "date_of_death": "2019-11-16",
            "province": "Nowhere",
            "birth_date": "2002-11-17",
            "sex": "m",
            "injury_location": "bruise",
            "alleged_force": "نیروهای امنیتی",
        },
    ),
    (
        "P000012",
        "single-source",
        {"status": "detained", "province": "Tehran", "alleged_force": "police"},
    ),
    ("P000013", "single-source", {"status": None, "age": 40}),
    ("P000014", "discounted", {"date_of_death": "2019-11-17"}),
]

EVENT_TOML = """
[event]
name = "Synthetic protests"
start = 2019-11-15
end = 2019-11-20
places = ["Iran"]

[[event.moments]]
name = "internet shutdown began"
kind = "shutdown_began"
date = 2019-11-16

[[event.moments]]
name = "protests began"
kind = "protests_began"
date = 2019-11-15

[[event.moments]]
name = "access returned"
kind = "restoration"
date = 2019-11-19
until = 2019-11-20
"""


def canonical(fields: dict[str, Any]) -> dict[str, Any]:
    """Canonical values of a person with one record giving ``fields``."""
    values = {"status": "killed", **fields}
    record = {"source": "list-a", "record_id": "r1", **values}
    return canonical_values([record], {})


def victims() -> list[Victim]:
    """The scenario's persons as analysis rows."""
    return [victim_from_canonical(p, g, canonical(f)) for p, g, f in PEOPLE]


def insert_persons(conn: Connection) -> None:
    """Write the scenario's persons straight into the register's persons table."""
    at = "2024-01-01T00:00:00+00:00"
    with transaction(conn):
        conn.executemany(
            "insert into persons (person_id, canonical, grade, created_at, "
            "updated_at) values (?, ?, ?, ?, ?)",
            [
                (pid, json.dumps(canonical(f), ensure_ascii=False), g, at, at)
                for pid, g, f in PEOPLE
            ],
        )


def write_event(workspace: Path, extra: str = "") -> None:
    """Append the scenario's [event] table (and ``extra``) to aban.toml."""
    config = workspace / "aban.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + EVENT_TOML + extra, encoding="utf-8"
    )
