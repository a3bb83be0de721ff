"""CSV cells against formula injection (OWASP: a single quote before = + - @ tab CR)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from aban.export import export_workspace, neutralise, parse_build_time
from aban.export.cells import cell, csv_bytes
from aban.linkage.register import link_workspace
from aban.store.db import transaction
from aban.store.workspace import Workspace
from aban.text.spreadsheet import FORMULA_STARTS
from tests.grade.helpers import add_source
from tests.store.fake_linker import FakeLinker

BUILD = parse_build_time("2020-06-01")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+98 912", "'+98 912"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\nx", "'\nx"),
        ("＝1", "'＝1"),
        ("Tehran", "Tehran"),
        ("علی=1", "علی=1"),
        (" =1", " =1"),
        ("", ""),
    ],
)
def test_neutralise(value: str, expected: str) -> None:
    assert neutralise(value) == expected


def test_cells_of_every_type_are_neutralised() -> None:
    assert cell(None) == ""
    assert cell(True) == "true" and cell(False) == "false"
    assert cell(-5) == "'-5"
    assert cell(["=a", "b"]) == "'=a; b"
    assert cell({"k": "=v"}) == '{"k":"=v"}'
    assert cell([["-x", 1]]) == '[["-x",1]]'


def test_csv_bytes_neutralise_headers_and_cells_and_keep_utf8() -> None:
    data = csv_bytes(["a", "=b"], [{"a": "@x", "=b": "علی"}, {"a": 1, "=b": None}])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["a", "'=b"], ["'@x", "علی"], ["1", ""]]
    assert data.count(b"\r\n") == 3


# Values import accepts (it refuses '=...' and '+NAME(...)' as formula-in-cell), yet
# a spreadsheet may still run: they must be neutralised on the way out.
FORMULAS = {
    "full_name": "+Ali Karimi",
    "given_name": "+Ali",
    "family_name": "-Karimi",
    "city": "@Shiraz",
    "circumstances": "-2+3",
    "cause": "-shot",
    "informant": "@informant",
}
CLAIMANT = '=HYPERLINK("http://example.invalid","x")'


@pytest.fixture
def formula_register(workspace: Workspace, tmp_path: Path) -> Workspace:
    rows = [
        {"record_id": "f1", "age": "30", **FORMULAS},
        {"record_id": "f2", "full_name": "Dara Rostami", "city": "+Tabriz"},
    ]
    add_source(workspace, tmp_path, "=cmd|' -C calc'!A0", rows)
    link_workspace(workspace, linker=FakeLinker())
    # A value that came in by another road than import (the web app, a migration).
    with transaction(workspace.conn):
        workspace.conn.execute(
            "insert into claims (claimant, low) values (?, -1)", (CLAIMANT,)
        )
    return workspace


@pytest.mark.parametrize("full", [False, True])
def test_no_exported_csv_cell_starts_a_formula(
    formula_register: Workspace, tmp_path: Path, full: bool
) -> None:
    out = tmp_path / "out"
    export_workspace(formula_register, "csv", out, full=full, build_time=BUILD)
    cells = 0
    for file in sorted(out.glob("*.csv")):
        for row in csv.reader(io.StringIO(file.read_text("utf-8-sig"))):
            for value in row:
                cells += 1
                assert not value.startswith(FORMULA_STARTS), (file.name, value)
    assert cells > 200
    records = list(
        csv.DictReader(io.StringIO((out / "records.csv").read_text("utf-8-sig")))
    )
    first = records[0]
    assert first["source"] == "'=cmd|' -C calc'!A0"
    for column, value in FORMULAS.items():
        if column in first:
            assert first[column] == "'" + value
    assert ("informant" in first) is full
    assert records[1]["city"] == "'+Tabriz"
    claims = list(
        csv.DictReader(io.StringIO((out / "claims.csv").read_text("utf-8-sig")))
    )
    assert (claims[0]["claimant"], claims[0]["low"]) == ("'" + CLAIMANT, "'-1")


def test_json_keeps_values_as_stored(
    formula_register: Workspace, tmp_path: Path
) -> None:
    out = tmp_path / "export.json"
    export_workspace(formula_register, "json", out, build_time=BUILD)
    record = json.loads(out.read_text("utf-8"))["tables"]["records"][0]
    assert record["full_name"] == FORMULAS["full_name"]
    assert record["city"] == "@Shiraz"
