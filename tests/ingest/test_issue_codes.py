"""Every issue code is raised by a concrete input here, and documented."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from aban.ingest.importer import import_file
from aban.ingest.issues import FileIssueError, Issue
from aban.ingest.mapping import load_mapping
from aban.store.workspace import Workspace
from aban.vocab.issues import ISSUE_CODES, codes_for

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "data" / "bad"
TODAY = dt.date(2026, 1, 1)
H = "record_id,full_name,age,birth_date,date_of_death\n"

# code -> (file name, content as text or bytes, import options)
CASES: dict[str, tuple[str, str | bytes, dict[str, object]]] = {
    "file-empty": ("a.csv", "", {}),
    "file-binary": ("a.csv", b"record_id\n\x00\n", {}),
    "encoding-invalid": (
        "a.csv",
        "record_id,full_name\n1,Jos\u00e9\n".encode("latin-1"),
        {},
    ),
    "csv-malformed": ("a.csv", 'record_id,full_name\n1,"Testa', {}),
    "wrong-delimiter": ("a.csv", "record_id\tfull_name\n1\tTesta\n", {}),
    "header-missing-record-id": ("a.csv", "full_name\nTesta\n", {}),
    "header-duplicate-column": ("a.csv", "record_id,age,Age\n1,2,3\n", {}),
    "xlsx-invalid": ("a.xlsx", "not a zip", {}),
    "json-invalid": ("a.json", "[{]", {}),
    "json-not-records": ("a.json", "[1, 2]", {}),
    "source-missing": ("a.csv", "record_id\n1\n", {"source": None}),
    "no-person-columns": ("a.csv", "record_id,shoe_size\n1,42\n", {}),
    "row-length": ("a.csv", H + "1,Testa,2,,,extra\n", {}),
    "record-id-missing": ("a.csv", H + ",Testa,2,,\n", {}),
    "record-id-duplicate": ("a.csv", H + "1,Testa,,,\n1,Testb,,,\n", {}),
    "source-empty": ("a.csv", "record_id,source,age\n1,,2\n", {"source": None}),
    "source-invalid": ("a.csv", "record_id,source,age\n1,a/b,2\n", {"source": None}),
    "invisible-characters": ("a.csv", "record_id,age\n1\u200b,2\n", {}),
    "cell-too-long": ("a.csv", "record_id,full_name\n1," + "x" * 10_001 + "\n", {}),
    "control-characters": ("a.csv", "record_id,full_name\n1,Tes\x01ta\n", {}),
    "formula-in-cell": ("a.csv", "record_id,full_name\n1,=1+1\n", {}),
    "date-unparseable": ("a.csv", H + "1,Testa,,,someday\n", {}),
    "date-impossible": ("a.csv", H + "1,Testa,,,2019-02-30\n", {}),
    "date-in-future": ("a.csv", H + "1,Testa,,,2030-01-01\n", {}),
    "date-too-early": ("a.csv", H + "1,Testa,,,1850-01-01\n", {}),
    "birth-after-death": ("a.csv", H + "1,Testa,,2000-01-01,1999-01-01\n", {}),
    "age-not-a-number": ("a.csv", H + "1,Testa,abc,,\n", {}),
    "age-out-of-range": ("a.csv", H + "1,Testa,240,,\n", {}),
    "sex-unknown": ("a.csv", "record_id,sex\n1,q\n", {}),
    "status-unknown": ("a.csv", "record_id,age,status\n1,2,asleep\n", {}),
    "nested-value": ("a.json", '[{"record_id": "1", "full_name": ["a", "b"]}]', {}),
    "unknown-column": ("a.csv", "record_id,age,shoe_size\n1,2,42\n", {}),
    "age-birth-mismatch": ("a.csv", H + "1,Testa,20,1990-01-01,2019-11-16\n", {}),
    "row-summary": ("a.csv", "record_id,full_name\n1,Testa\nجمع / ۸۱ نفر,\n", {}),
    "header-row-missing": ("a.csv", "record_id\n1\n", {"header_row": 9}),
    "record-empty": ("a.csv", H + "1,,,,\n", {}),
    "not-known-emptied": ("a.csv", H + "1,Testa,unknown,-,؟\n", {}),
    "date-year-missing": ("a.csv", H + "1,Testa,,,25 آبان\n", {}),
    "date-year-from-event": ("a.csv", H + "1,Testa,,,25 آبان\n", {"event": True}),
    "cell-emptied": ("a.csv", H + "1,Testa,abc,,\n", {"skip_invalid": "cells"}),
    "date-order-assumed": ("a.csv", H + "1,Testa,,,11/12/2019\n", {}),
    "date-order-mixed": (
        "a.csv",
        H + "1,Testa,,,11/16/2019\n2,Testb,,,16/11/2019\n3,Testc,,,11/12/2019\n",
        {},
    ),
}
EVENT = '[event]\nname = "Test event"\nstart = 2019-11-15\nend = 2019-11-27\n'

ELSEWHERE = {
    # raised where a dedicated test covers it better
    "file-not-found": "test_missing_file",
    "xlsx-no-sheet": "test_missing_sheet",
    "mapping-invalid": "test_mapping_errors",
    "mapping-column-missing": "tests/ingest/test_layout.py",
    "record-id-changed": "tests/ingest/test_import.py",
    "protected-source-added": "tests/ingest/test_identifiers.py",
}


def _issues(workspace: Workspace, path: Path, **options: object) -> list[Issue]:
    source = options.pop("source", "s")
    try:
        result = import_file(
            workspace,
            path,
            source=source,
            today=TODAY,
            **options,  # type: ignore[arg-type]
        )
    except FileIssueError as err:
        return [err.issue]
    return result.issues


def test_every_records_code_is_covered() -> None:
    assert set(CASES) | set(ELSEWHERE) == set(codes_for("records"))


@pytest.mark.parametrize("code", sorted(CASES))
def test_issue_code(workspace: Workspace, tmp_path: Path, code: str) -> None:
    name, content, options = CASES[code]
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    options = dict(options)
    if options.pop("event", False):
        with (workspace.path / "aban.toml").open("a", encoding="utf-8") as toml:
            toml.write(EVENT)
    issues = _issues(workspace, path, **options)
    found = [i for i in issues if i.code == code]
    assert found, [i.code for i in issues]
    assert found[0].severity == ISSUE_CODES[code].severity
    assert found[0].file == name
    assert "Testa" not in found[0].render()


def test_the_records_words_in_shared_messages(
    workspace: Workspace, tmp_path: Path
) -> None:
    # status-unknown and unknown-column are shared with detention events files,
    # which fill in their own words (tests/detention/test_events.py).
    path = tmp_path / "a.csv"
    path.write_text("record_id,age,status,shoe_size\n1,2,asleep,42\n", encoding="utf-8")
    assert [i.render() for i in _issues(workspace, path)] == [
        "a.csv:1:shoe_size: column is not part of the records format; its values "
        "are kept as raw data only [unknown-column]",
        "a.csv:2:status: not a known status (killed, injured, detained, disappeared, "
        "executed, died_in_custody), nor a synonym; fix the cell [status-unknown]",
    ]


def test_missing_file(workspace: Workspace, tmp_path: Path) -> None:
    issues = _issues(workspace, tmp_path / "nowhere.csv")
    assert [i.render() for i in issues] == [
        "nowhere.csv: file not found; check the path [file-not-found]"
    ]


def test_missing_sheet(workspace: Workspace, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["record_id"])
    book.save(tmp_path / "b.xlsx")
    issues = _issues(workspace, tmp_path / "b.xlsx", sheet="Nope")
    assert [i.code for i in issues] == ["xlsx-no-sheet"]


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("columns: [1, 2]", "'columns' must be a mapping"),
        ("columns:\n  A: nickname\n", "unknown target columns ['nickname']"),
        ("columns:\n  A: age\n  B: age\n", "two columns map onto one target"),
        ("cols: {}\n", "unknown keys ['cols']"),
        ("delimiter: ';;'\n", "delimiter must be one character"),
        ("{{{", "not a readable YAML file"),
    ],
)
def test_mapping_errors(tmp_path: Path, text: str, detail: str) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileIssueError) as caught:
        load_mapping(path)
    assert (
        str(caught.value)
        == f"m.yaml: the mapping file is invalid: {detail} [mapping-invalid]"
    )
