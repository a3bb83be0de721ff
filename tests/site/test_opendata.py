"""The open data CSV (data/persons.csv): cells a spreadsheet would run, neutralised."""

from __future__ import annotations

import csv
import io

import pytest

from aban.site.opendata import csv_bytes


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("-x", "'-x"),
        ("@y", "'@y"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        # Issue 13, item 3: full-width signs and a leading line feed were written as
        # they were.
        ("＝1+1", "'＝1+1"),
        ("＋1", "'＋1"),
        ("－1", "'－1"),
        ("＠SUM(1)", "'＠SUM(1)"),
        ("\nx", "'\nx"),
        ("Tehran", "Tehran"),
        ("علی=1", "علی=1"),
    ],
)
def test_cells_that_start_a_formula_are_neutralised(value: str, written: str) -> None:
    data = csv_bytes([{"story": value, "named": True}], ["story", "named"])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows == [["story", "named"], [written, "true"]]
