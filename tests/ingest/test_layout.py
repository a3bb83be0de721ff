"""A list's layout and mapping (issue 15): the header below a title, totals rows,
header words, mappings matched after letter normalisation, set, nested JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from aban.config import Settings
from aban.ingest.headers import guess_columns, header_key
from aban.ingest.importer import import_file
from aban.ingest.issues import FileIssueError
from aban.ingest.json import read_json
from aban.ingest.layout import is_summary_row
from aban.ingest.mapping import load_mapping
from aban.ingest.preview import preview_file
from aban.store.workspace import Workspace

TODAY = dt.date(2026, 1, 1)
TITLED = (
    "فهرست نمونه,,\n"
    ",,\n"
    "ردیف,نام و نام خانوادگی,سن\n"
    "1,Testa Alpha,20\n"
    "2,Testa Beta,۳۰ ساله\n"
    "جمع / ۲ نفر,,\n"
)


def _mapping(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "cells",
    [
        ["جمع / ۸۱ نفر"],
        ["Total: 81"],
        ["", "مجموع", "", "81"],
        ["جمع کل", "۸۱ نفر", ""],
        ["TOTAL", "12", "3"],
    ],
)
def test_totals_rows(cells: list[str]) -> None:
    assert is_summary_row(cells)


@pytest.mark.parametrize(
    "cells",
    [
        ["1", "Total: 81"],
        ["Sumaya Testa", "81"],
        ["جمع", "Testa"],
        ["جمعه‌ای", "3"],
        ["", "", ""],
    ],
)
def test_rows_that_are_not_totals(cells: list[str]) -> None:
    assert not is_summary_row(cells)


def test_header_words_after_letter_normalisation() -> None:
    assert header_key("نام خانوادگي") == header_key("نام\u200cخانوادگی")
    assert header_key("victim.name") == header_key("victim/name")
    assert guess_columns(["رديف", "نام", "نام خانوادگي", "Age", "Source URL"]) == {
        "رديف": "record_id",
        "نام": "given_name",
        "نام خانوادگي": "family_name",
        "Age": "age",
    }
    assert guess_columns(["Name", "Date", "victim/city"]) == {
        "Name": "full_name",
        "Date": "date_of_death",
        "victim/city": "city",
    }


def test_the_header_is_found_below_a_title(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "titled.csv"
    path.write_text(TITLED, encoding="utf-8")
    mapping = load_mapping(
        _mapping(tmp_path, "columns: {ردیف: record_id, نام و نام خانوادگي: full_name}")
    )
    result = import_file(workspace, path, source="s", mapping=mapping, today=TODAY)
    assert (result.rows, result.accepted) == (2, 2)
    assert [(i.code, i.row) for i in result.issues] == [
        ("unknown-column", 3),
        ("row-summary", 6),
    ]


def test_a_forced_header_row(tmp_path: Path) -> None:
    path = tmp_path / "titled.csv"
    path.write_text(TITLED, encoding="utf-8")
    with pytest.raises(FileIssueError) as caught:
        preview_file(path, Settings(), source="s", header_row=1, today=TODAY)
    assert caught.value.issue.code == "header-missing-record-id"
    with pytest.raises(FileIssueError) as caught:
        preview_file(path, Settings(), source="s", header_row=40, today=TODAY)
    assert str(caught.value) == (
        "titled.csv:40: the header row asked for is past the end of the file (it has "
        "6 rows); check --header-row or header_row in the mapping [header-row-missing]"
    )


def test_a_mapped_column_the_file_lacks_is_named(tmp_path: Path) -> None:
    path = tmp_path / "titled.csv"
    path.write_text(TITLED, encoding="utf-8")
    mapping = load_mapping(_mapping(tmp_path, "columns: {ردیف: record_id, Age: age}"))
    with pytest.raises(FileIssueError) as caught:
        preview_file(path, Settings(), source="s", mapping=mapping)
    assert str(caught.value) == (
        "titled.csv:3: the mapping names columns the file does not have: Age (the "
        "header is row 3); check their spelling against the file's header, or set "
        "header_row [mapping-column-missing]"
    )


def test_set_skip_rows_and_row_ids(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text("Name,Age\nTesta Alpha,20\nTesta Beta,30\nTesta Gamma,40\n")
    mapping = load_mapping(
        _mapping(
            tmp_path,
            "columns: {Name: full_name}\nset: {status: killed, country: Iran}\n"
            "skip_rows: [3]\nrecord_ids: rows\n",
        )
    )
    result = import_file(workspace, path, source="s", mapping=mapping, today=TODAY)
    assert result.accepted == 2
    rows = workspace.conn.execute(
        "select record_id, status, country, raw from records order by id"
    ).fetchall()
    assert [r[:3] for r in rows] == [
        ("row-2", "killed", "Iran"),
        ("row-4", "killed", "Iran"),
    ]
    assert json.loads(rows[0][3]) == {"Name": "Testa Alpha", "Age": "20"}


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("set: {record_id: 1}", "'set' cannot give ['record_id'] to every row"),
        ("set: {planet: mars}", "'set' names unknown columns ['planet']"),
        ("columns: {A: status}\nset: {status: killed}", "['status'] both mapped"),
        ("header_row: 0", "'header_row' must be a row number from 1"),
        ("record_ids: columns", "'record_ids' can only be rows"),
        (
            "columns: {نام خانوادگی: family_name, نام خانوادگي: given_name}",
            "two columns differ only",
        ),
    ],
)
def test_mapping_errors(tmp_path: Path, text: str, detail: str) -> None:
    with pytest.raises(FileIssueError) as caught:
        load_mapping(_mapping(tmp_path, text))
    assert caught.value.issue.code == "mapping-invalid"
    assert detail in str(caught.value)


def test_nested_json_groups_and_a_repeat_group() -> None:
    data = json.dumps(
        [
            {"_id": 9, "victim": {"name": "Testa", "place": {"city": "Karaj"}}},
            {"_id": 10, "kids": [{"kids/name": "A"}, {"name": "B"}], "v": [1, 2]},
        ]
    ).encode()
    table = read_json(data, "f.json")
    assert table.header == ["_id", "victim/name", "victim/place/city", "kids", "v"]
    rows = list(table.rows)
    assert rows[0] == (1, ["9", "Testa", "Karaj", "", ""])
    repeat = read_json(data, "f.json", repeat="Kids")
    assert repeat.header[-2:] == ["kids/name", "_repeat_id"]
    values = [dict(zip(repeat.header, cells, strict=True)) for _, cells in repeat.rows]
    assert [(v["kids/name"], v["_repeat_id"]) for v in values] == [
        ("", ""),
        ("A", "10-1"),
        ("B", "10-2"),
    ]
