"""aban detentions and aban detentions import, run as a user runs them."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from tests.cli.helpers import run

RECORDS = [
    ("d1", "Test Delta", "Tabriz", "detained"),
    ("d2", "Test Epsilon", "Rasht", "disappeared"),
    ("d3", "Test Zeta", "Yazd", "killed"),
]
EVENTS = [
    ("d1", "2019-11-16", "arrested", "Tabriz", "ngo", ""),
    ("d1", "2019-11-18", "held incommunicado", "", "ngo", "no visits"),
    ("d2", "1398/08/28", "arrested", "Rasht", "ngo", ""),
    ("d2", "2020-01-10", "death sentence", "Prison C", "ngo", "after a short trial"),
    ("d3", "2019-11-17", "released", "", "ngo", ""),
]
HEAD = re.compile(r"audit head: [0-9a-f]{64}\n")


def write(path: Path, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("detentions")
    write(folder / "ngo.csv", ("record_id", "full_name", "city", "status"), RECORDS)
    header = ("record_id", "date", "status", "place", "source", "note")
    write(folder / "events.csv", header, EVENTS)
    bad = [
        ("d1", "2019-11-40", "arrested", "", "ngo", ""),
        ("d9", "2019-11-16", "arrested", "", "ngo", ""),
        ("d1", "2019-11-16", "tortured", "", "ngo", ""),
    ]
    write(folder / "bad.csv", header, bad)
    return folder


@pytest.fixture(scope="module")
def workspace(files: Path) -> Path:
    path = files / "ws"
    run("init", path, check=True)
    run("-w", path, "import", files / "ngo.csv", "--source", "ngo", check=True)
    return path


def test_import_prints_a_summary_and_the_head_then_is_a_no_op(
    workspace: Path, files: Path
) -> None:
    proc = run("-w", workspace, "detentions", "import", files / "events.csv")
    assert proc.returncode == 0
    assert proc.stdout == (
        "events.csv: 5 rows, 5 events imported, 0 already in the register, "
        "3 new detentions\n"
    )
    assert HEAD.fullmatch(proc.stderr)
    again = run("-w", workspace, "detentions", "import", files / "events.csv")
    assert (again.returncode, again.stdout) == (0, "")
    assert again.stderr == "events.csv: already imported; nothing changed\n"


def test_a_file_with_errors_imports_nothing_and_exits_1(
    workspace: Path, files: Path
) -> None:
    proc = run("-w", workspace, "detentions", "import", files / "bad.csv")
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr == (
        "error: bad.csv:2:date: the date does not exist in its calendar; fix the "
        "cell [date-impossible]\n"
        "error: bad.csv:3:record_id: no record with this record_id in the register; "
        "import the source's list first, or fix the id [record-unknown]\n"
        "error: bad.csv:4:status: not a known status or fact (arrested, detained, "
        "held_incommunicado, transferred, charged, tried, sentenced, death_sentence, "
        "disappeared, released_on_bail, released, executed, died_in_custody, "
        "whereabouts_acknowledged, whereabouts_denied, whereabouts_unknown, "
        "family_access, "
        "family_access_denied, lawyer_access, lawyer_access_denied), nor a synonym; "
        "fix the cell [status-unknown]\n"
        "Error: bad.csv: 3 errors in 3 rows, nothing imported; fix them and import "
        "the file again\n"
    )
    assert "Test" not in proc.stderr


def test_list_json_as_of_and_alerts_only(workspace: Path, files: Path) -> None:
    run("-w", workspace, "detentions", "import", files / "events.csv")
    proc = run(
        "-w", workspace, "detentions", "--json", "--as-of", "2020-01-20", check=True
    )
    assert proc.stderr == ""
    data = json.loads(proc.stdout)
    assert data["as_of"] == "2020-01-20"
    summary = [
        (c["case"], c["status"], c["last_event"], [a["kind"] for a in c["alerts"]])
        for c in data["cases"]
    ]
    assert summary == [
        ("ngo:d2", "death_sentence", "2020-01-10", ["death_sentence"]),
        (
            "ngo:d1",
            "held_incommunicado",
            "2019-11-18",
            ["held_incommunicado", "no_news"],
        ),
        ("ngo:d3", "released", "2019-11-17", []),
    ]
    assert data["cases"][0]["alerts"] == [
        {"kind": "death_sentence", "since": "2020-01-10", "days": 10}
    ]
    # Issue 18: who each case is about (the table and JSON showed ids only).
    assert [(c["name"], c["names"]) for c in data["cases"]] == [
        ("Test Epsilon", {"latin": "Test Epsilon", "persian": None}),
        ("Test Delta", {"latin": "Test Delta", "persian": None}),
        ("Test Zeta", {"latin": "Test Zeta", "persian": None}),
    ]
    early = run(
        "-w",
        workspace,
        "detentions",
        "--json",
        "--alerts-only",
        "--as-of",
        "1398/09/14",
        check=True,
    )
    (case,) = json.loads(early.stdout)["cases"]
    assert case["case"] == "ngo:d1"
    assert case["alerts"] == [
        {"kind": "held_incommunicado", "since": "2019-11-18", "days": 17}
    ]


def table_rows(lines: list[str]) -> list[list[str]]:
    """The cells of a rich table's rows, each cell's folded lines joined."""
    rows: list[list[str]] = []
    for line in lines:
        if not line.startswith("│"):
            continue
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if cells[0]:
            rows.append(cells)
        elif rows:
            pairs = zip(rows[-1], cells, strict=True)
            rows[-1] = [" ".join(filter(None, p)) for p in pairs]
    return rows


def test_list_table(workspace: Path, files: Path) -> None:
    run("-w", workspace, "detentions", "import", files / "events.csv")
    proc = run("-w", workspace, "detentions", "--as-of", "2020-01-20", check=True)
    assert proc.stderr == "3 cases, 2 with alerts, 0 with conflicting sources\n"
    lines = proc.stdout.splitlines()
    assert lines[0].strip() == "detention cases as of 2020-01-20"
    end = lines.index("details")
    rows = table_rows(lines[:end])
    assert [row[0] for row in rows] == ["ngo:d2", "ngo:d1", "ngo:d3"]
    assert [row[1] for row in rows] == ["Test Epsilon", "Test Delta", "Test Zeta"]
    assert rows[0][5] == "death sentence 10d"
    details = [line for line in lines[end:] if line.startswith("│ ngo:")]
    assert [[c.strip() for c in row.split("│")[1:3]] for row in details] == [
        ["ngo:d2", "sentence: death; at Prison C"],
        ["ngo:d1", "no family access; no lawyer access"],
    ]


def test_bad_as_of_is_a_usage_error(workspace: Path) -> None:
    proc = run("-w", workspace, "detentions", "--as-of", "2019-13-01")
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--as-of': '2019-13-01' is not a date (use "
        "2020-01-31, 31/01/2020 or 1398/11/11)"
    )
