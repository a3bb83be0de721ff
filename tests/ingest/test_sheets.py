"""Workbooks of several sheets, and the preview of dates without a year (issue 15):
tests/data/shapes' book_fa.xlsx has notes on its first sheet, a list on its second
and a second list of the same organisation on its third."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from aban.config import Settings
from aban.ingest.issues import FileIssueError
from aban.ingest.mapping import ColumnMapping
from aban.ingest.preview import preview_file
from aban.ingest.suggest import suggest_mapping
from aban.ingest.xlsx import list_sheets, read_xlsx, sheet_names
from tests.cli.helpers import run
from tests.shapes import load_shapes

EVENT = (dt.date(2019, 11, 15), dt.date(2019, 11, 30))
TODAY = dt.date(2020, 1, 1)


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path: Path = tmp_path_factory.mktemp("book") / "book_fa.xlsx"
    load_shapes().book_xlsx(path)
    return path


def test_the_first_sheet_holding_a_list_is_read(book: Path) -> None:
    data = book.read_bytes()
    assert sheet_names(data, book.name) == ["README", "فهرست", "تکمیلی"]
    assert list_sheets(data, book.name) == ["فهرست", "تکمیلی"]
    table = read_xlsx(data, book.name)
    assert (table.sheet, table.header[:2]) == ("فهرست", ["ردیف", "نام و نام خانوادگی"])
    assert [cells[0] for _, cells in table.rows] == ["1", "2", "3", "4", "5", "6"]


@pytest.mark.parametrize("sheet", ["3", "تکمیلی"])
def test_a_sheet_by_number_or_name(book: Path, sheet: str) -> None:
    table = read_xlsx(book.read_bytes(), book.name, sheet=sheet)
    assert table.sheet == "تکمیلی"
    assert [cells[0] for _, cells in table.rows] == ["7", "8", "9", "10"]


@pytest.mark.parametrize("sheet", ["4", "0", "Sheet9"])
def test_a_sheet_the_workbook_does_not_have(book: Path, sheet: str) -> None:
    with pytest.raises(FileIssueError) as caught:
        read_xlsx(book.read_bytes(), book.name, sheet=sheet)
    assert str(caught.value) == (
        "book_fa.xlsx: the workbook has no such sheet; its 3 sheets are README, "
        "فهرست, تکمیلی: give --sheet (or sheet: in the mapping) a name or a number "
        "from 1 [xlsx-no-sheet]"
    )


def test_the_suggestion_names_the_sheet_and_the_other_list(book: Path) -> None:
    text = suggest_mapping(book).to_yaml()
    assert text.splitlines()[2:4] == [
        'sheet: "فهرست"  # of the sheets README, فهرست, تکمیلی',
        '# the sheet "تکمیلی" holds a list too: import it with --sheet "تکمیلی" '
        "under a --source of its own",
    ]
    assert '"ردیف": record_id' in text


def test_a_workbook_of_one_sheet_names_no_sheet(tmp_path: Path) -> None:
    path = tmp_path / "ngo_fa.xlsx"
    load_shapes().ngo_xlsx(path)
    suggestion = suggest_mapping(path)
    assert (suggestion.sheet, suggestion.other_lists) == (None, [])
    assert "sheet:" not in suggestion.to_yaml()


def test_the_preview_reads_a_yearless_date_within_the_event(book: Path) -> None:
    # Regression (issue 15): the preview refused the row the import accepted.
    columns = {
        "ردیف": "record_id",
        "نام و نام خانوادگی": "full_name",
        "سن": "age",
        "جنسیت": "sex",
        "شهر": "city",
        "استان": "province",
        "تاریخ فوت": "date_of_death",
    }
    mapping = ColumnMapping(columns, constants={"status": "killed"})
    found = preview_file(
        book, Settings(), source="book", mapping=mapping, today=TODAY, event=EVENT
    )
    assert (found.sheet, found.sheets) == ("فهرست", ["README", "فهرست", "تکمیلی"])
    assert (found.rows, found.refused_rows) == (6, 0)
    assert found.issue_counts == {"date-year-from-event": 1}
    without = preview_file(
        book, Settings(), source="book", mapping=mapping, today=TODAY
    )
    assert (without.refused_rows, without.issue_counts) == (
        1,
        {"date-year-missing": 1},
    )


def test_another_sheet_for_the_same_source_says_how(book: Path, tmp_path: Path) -> None:
    # Issue 15: the third sheet imported for the source of the second was "already
    # imported" (the register knows a file by its bytes) and nothing said why.
    workspace = tmp_path / "ws"
    run("init", workspace, check=True)
    with (workspace / "aban.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[event]\nname = "x"\nstart = 2019-11-15\nend = 2019-11-30\n')
    mapping = tmp_path / "book.yaml"
    suggested = run("mapping", "suggest", book, check=True).stdout
    mapping.write_text(
        suggested.replace("set: {}", "set: {status: killed}  #"), encoding="utf-8"
    )
    args = ("-w", workspace, "import", book, "--source", "book", "--mapping", mapping)
    run(*args, check=True)
    proc = run(*args, "--sheet", "3", check=True)
    assert proc.stderr == (
        "book_fa.xlsx: already imported for this source (a workbook is known by its "
        "bytes: import another of its sheets under a --source of its own); nothing "
        "changed\n"
    )
    other = run(*args[:5], "book_added", *args[6:], "--sheet", "3", check=True)
    assert other.stdout.startswith("book_fa.xlsx: 4 rows, 4 imported")
