"""A detainee list imported into a register (issue 15): a title above its header,
its own columns set by the mapping."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from aban.detention.list_import import import_detainee_list
from aban.detention.register import detention_cases
from aban.ingest.mapping import ColumnMapping
from aban.store.workspace import Workspace

TITLED = (
    "Detainees of one prison (synthetic),,,\n"
    ",,,\n"
    "ID,Name,Arrest date,Status\n"
    "d1,Test Omid Radan,2019-11-16,sentenced to 2 years\n"
    "d2,Test Parisa Sohrabi,2019-11-17,in detention\n"
)


def test_a_titled_list_of_one_prison(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "prison.csv"
    path.write_text(TITLED, encoding="utf-8")
    mapping = ColumnMapping(
        {"ID": "record_id", "Name": "full_name"}, constants={"facility": "Evin"}
    )
    found = import_detainee_list(
        workspace,
        path,
        source="prison_list",
        mapping=mapping,
        as_of=dt.date(2020, 1, 1),
        today=dt.date(2021, 1, 1),
    )
    assert not found.refused, [i.render() for i in found.issues]
    assert (found.accepted, found.events) == (2, 4)
    cases = {c.key: c for c in detention_cases(workspace.conn, dt.date(2020, 2, 1))}
    assert {k: (c.status, c.facets.facility) for k, c in cases.items()} == {
        "prison_list:d1": ("sentenced", "Evin"),
        "prison_list:d2": ("detained", "Evin"),
    }
