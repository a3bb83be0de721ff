"""``aban import`` of real lists' cells as a user runs it (issue 15): --skip-invalid
rows and cells, dates without a year, files with nothing about a person."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import run

LIST = (
    "record_id,full_name,age,sex,date_of_death,city\n"
    "1,شهید سید تستا آزمونی,abc,q,2019-11-16,Unknown\n"
    "2,Testb Example,۱۷ ساله,m,25 آبان,Testabad\n"
)
EVENT = '\n[event]\nname = "Test event"\nstart = 2019-11-15\nend = 2019-11-27\n'


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    path = tmp_path / "ws"
    run("init", path, check=True)
    with (path / "aban.toml").open("a", encoding="utf-8") as toml:
        toml.write(EVENT)
    return path


@pytest.fixture
def listing(tmp_path: Path) -> Path:
    path = tmp_path / "list.csv"
    path.write_text(LIST, encoding="utf-8")
    return path


def test_without_skip_invalid_a_bad_cell_refuses_the_file(
    workspace: Path, listing: Path
) -> None:
    proc = run("-w", workspace, "import", listing, "--source", "ngo")
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "list.csv:2:age: age is not a number of years" in proc.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--skip-invalid", "{file}"],  # the bare flag before the file, as always
        ["{file}", "--skip-invalid"],
        ["{file}", "--skip-invalid", "rows"],
        ["--skip-invalid=rows", "{file}"],
    ],
)
def test_skip_invalid_rows_refuses_the_row(
    workspace: Path, listing: Path, args: list[str]
) -> None:
    argv = [a.format(file=listing) for a in args]
    proc = run("-w", workspace, "import", *argv, "--source", "ngo")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == (
        "list.csv: 2 rows, 1 imported, 0 already in the register, 1 refused, 2 warnings"
    )


def test_skip_invalid_cells_keeps_the_row(workspace: Path, listing: Path) -> None:
    report = listing.with_name("issues.json")
    proc = run(
        "-w",
        workspace,
        "import",
        "--skip-invalid",
        "cells",
        listing,
        "--source",
        "ngo",
        "--report",
        report,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == (
        "list.csv: 2 rows, 2 imported, 0 already in the register, 0 refused, 4 warnings"
    )
    issues = json.loads(report.read_text(encoding="utf-8"))
    assert [(i["row"], i["column"], i["code"]) for i in issues] == [
        (2, "age", "cell-emptied"),
        (2, "sex", "cell-emptied"),
        (3, "date_of_death", "date-year-from-event"),
        (None, "city", "not-known-emptied"),
    ]
    assert "تستا" not in proc.stderr  # no personal data in messages


def test_a_list_whose_columns_say_nothing_about_a_person_is_an_error(
    workspace: Path, tmp_path: Path
) -> None:
    path = tmp_path / "nested.json"
    path.write_text(
        json.dumps([{"record_id": "1", "victim": {"name": "Testa"}}]), encoding="utf-8"
    )
    for extra in ([], ["--skip-invalid", "cells"]):
        proc = run("-w", workspace, "import", path, "--source", "form", *extra)
        assert proc.returncode == 1
        assert proc.stderr.strip() == (
            "Error: nested.json:1: no column of the file is read as a name, "
            "national_id, age, sex, date or place, so its records would say nothing "
            "about a person; map the file's other columns onto the records format with "
            "--mapping [no-person-columns]"
        )
    status = run("-w", workspace, "status", "--json", check=True)
    assert json.loads(status.stdout)["records"] == 0


def test_a_row_with_nothing_about_a_person_is_refused(
    workspace: Path, tmp_path: Path
) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("record_id,full_name,city\n1,Unknown,-\n", encoding="utf-8")
    proc = run("-w", workspace, "import", path, "--source", "ngo")
    assert proc.returncode == 1
    assert (
        "empty.csv:2: the row has no name, national_id, age, sex, date or place: "
        "nothing identifies or describes a person; fill one in, or remove the row "
        "[record-empty]"
    ) in proc.stderr
