"""Reading the detention events file cell by cell, without a register."""

from __future__ import annotations

import datetime as dt

import pytest

from aban.config import Settings
from aban.detention.events import EventRow, read_event_rows
from aban.ingest.issues import FileIssueError
from aban.ingest.table import Table

TODAY = dt.date(2024, 1, 1)


def table(header: list[str], *rows: list[str]) -> Table:
    numbered = ((n, list(r)) for n, r in enumerate(rows, start=2))
    return Table("events.csv", header, numbered, len(rows), "csv")


def test_rows_in_every_date_layout_and_synonyms() -> None:
    header = ["Person_ID", "Date", "Status", "Source", "Place", "Note", "Extra"]
    rows, issues, read = read_event_rows(
        table(
            header,
            ["P000001", "2019-11-16", "Arrested", "ngo", "Shiraz", "", "x"],
            ["", "", "", "", "", "", ""],  # empty rows are skipped
            ["P000001", "۱۳۹۸/۸/۲۸", "sentenced to death", "ngo", "", "appeal", ""],
            ["P000001", "20 November 2019", "no lawyer", " ngo ", "", "", ""],
        ),
        Settings(),
        TODAY,
    )
    assert read == 3
    assert [(i.code, i.severity, i.row, i.column) for i in issues] == [
        ("unknown-column", "warning", 1, "extra")
    ]
    assert issues[0].message == (
        "column is not part of the detention events format; its values are ignored"
    )
    assert rows == [
        EventRow(
            2, None, "P000001", dt.date(2019, 11, 16), "arrested", "Shiraz", "ngo", None
        ),
        EventRow(
            4,
            None,
            "P000001",
            dt.date(2019, 11, 19),
            "death_sentence",
            None,
            "ngo",
            "appeal",
        ),
        EventRow(
            5,
            None,
            "P000001",
            dt.date(2019, 11, 20),
            "lawyer_access_denied",
            None,
            "ngo",
            None,
        ),
    ]


def test_short_rows_and_bad_cells_are_issues() -> None:
    header = ["record_id", "date", "status", "source"]
    rows, issues, read = read_event_rows(
        table(
            header,
            ["r1", "2019-11-16", "arrested"],
            ["r1", "2019-02-30", "arrested", "ngo"],
            ["r1", "2019-11-16", "killed", "ngo"],
        ),
        Settings(),
        TODAY,
    )
    assert rows == [] and read == 3
    assert [i.render() for i in issues] == [
        "events.csv:2: the row has 3 cells but the header has 4; check for a stray "
        "or missing delimiter [row-length]",
        "events.csv:3:date: the date does not exist in its calendar; fix the cell "
        "[date-impossible]",
        "events.csv:4:status: not a known status or fact (arrested, detained, "
        "held_incommunicado, transferred, charged, tried, sentenced, death_sentence, "
        "disappeared, released_on_bail, released, executed, died_in_custody, "
        "whereabouts_acknowledged, whereabouts_denied, whereabouts_unknown, "
        "family_access, "
        "family_access_denied, lawyer_access, lawyer_access_denied), nor a synonym; "
        "fix the cell [status-unknown]",
    ]


def test_a_repeated_column_refuses_the_file() -> None:
    with pytest.raises(FileIssueError) as err:
        read_event_rows(
            table(["record_id", "date", "Date", "status", "source"]), Settings(), TODAY
        )
    assert err.value.issue.code == "header-duplicate-column"
    assert err.value.issue.severity == "fatal"


def test_a_source_with_invisible_characters_is_refused() -> None:
    # Issue 13, item 14: a look-alike of a source the register holds.
    header = ["person_id", "date", "status", "source"]
    rows, issues, _ = read_event_rows(
        table(
            header,
            ["P000001", "2019-11-16", "arrested", "ngo\u200b"],
            ["P000001", "2019-11-17", "released", "jose\u0301"],
        ),
        Settings(),
        TODAY,
    )
    assert [(i.code, i.row, i.column) for i in issues] == [
        ("invisible-characters", 2, "source")
    ]
    assert [r.source for r in rows] == ["jos\u00e9"]
