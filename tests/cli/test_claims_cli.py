"""aban claims as a user runs it: import, list, freeze."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from aban.claims.ledger import load_ledger
from aban.cli import cli
from aban.store.workspace import open_workspace
from tests.claims.helpers import EXAMPLE, add_persons, csv_bytes
from tests.cli.helpers import run
from tests.conftest import PASSPHRASE

HEAD = re.compile(r"audit head: [0-9a-f]{64}\n")


@pytest.fixture
def ws_path(tmp_path: Path) -> Path:
    path = tmp_path / "ws"
    run("init", path, check=True)
    return path


def test_import_then_again(ws_path: Path) -> None:
    proc = run("-w", ws_path, "claims", "import", EXAMPLE)
    assert proc.returncode == 0
    assert (
        proc.stdout == "claims.csv: 6 claims, 6 imported, 0 already in the register\n"
    )
    assert HEAD.fullmatch(proc.stderr)
    again = run("-w", ws_path, "claims", "import", EXAMPLE)
    assert (again.returncode, again.stdout) == (0, "")
    assert again.stderr == "claims.csv: already imported; nothing changed\n"


def test_a_file_with_errors_imports_nothing(ws_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        csv_bytes(
            "NGO A,2019-11-19,100,,,,,NGO A",
            "NGO B,2019-11-20,500,50,,,,",
            "NGO C,1398/09,5,,,,,NGO C",
        )
    )
    proc = run("-w", ws_path, "claims", "import", bad)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr == (
        "error: bad.csv:3:low: low is greater than high; swap them "
        "[claim-range-reversed]\n"
        "error: bad.csv:3:citation: citation is empty; cite the publisher, the date "
        "and the title where known [claim-citation-missing]\n"
        "error: bad.csv:4:date: a Solar Hijri month spans two Gregorian months; give "
        "the day (1398/09/24) or the Gregorian month (2019-12) "
        "[claim-date-jalali-month]\n"
        "Error: bad.csv: 3 errors in 2 rows, nothing imported; fix them and import "
        "the file again\n"
    )
    listed = json.loads(run("-w", ws_path, "claims", "--json", check=True).stdout)
    assert listed["claims"] == []


def test_a_file_that_is_not_claims(ws_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "records.csv"
    bad.write_text("record_id,full_name\n1,x\n", encoding="utf-8")
    proc = run("-w", ws_path, "claims", "import", bad)
    assert (proc.returncode, proc.stdout) == (1, "")
    assert proc.stderr == (
        "Error: records.csv:1:record_id: column is not part of the claims format "
        "(claimant, date, low, high, kind, scope, method, citation, claimant_fa, "
        "kind_fa); rename or remove it [claims-column-unknown]\n"
    )


def test_list_and_freeze(ws_path: Path) -> None:
    run("-w", ws_path, "claims", "import", EXAMPLE, check=True)
    with open_workspace(ws_path, PASSPHRASE) as ws:
        add_persons(ws.conn, "confirmed", "full_name", 2)
        add_persons(ws.conn, "single-source", "unidentified", 3)
        add_persons(ws.conn, "discounted", "full_name", 4)
    frozen = run("-w", ws_path, "claims", "freeze", "report 1")
    assert frozen.returncode == 0
    assert frozen.stdout == "snapshot 1: register 2 to 5\n"
    assert HEAD.fullmatch(frozen.stderr)
    again = run("-w", ws_path, "claims", "freeze", "report 1")
    assert (again.returncode, again.stdout) == (1, "")
    assert again.stderr == (
        "Error: snapshot 1 already has this label; choose another label\n"
    )
    listed = run("-w", ws_path, "claims", "--json")
    assert (listed.returncode, listed.stderr) == (0, "")
    data = json.loads(listed.stdout)
    assert (data["register"]["minimum"], data["register"]["upper"]) == (2, 5)
    assert data["estimate"] is None
    assert [h["label"] for h in data["history"]] == ["report 1"]
    assert data["history"][0]["head"] == frozen.stderr.split()[-1]
    assert len(data["claims"]) == 6
    table = run("-w", ws_path, "claims")
    assert table.returncode == 0 and table.stderr == ""
    for text in (
        "at least 304",
        "350 to 1,500",
        "register: report 1",
        "register now",
        "minimum (confirmed + corroborated) │ 2",
    ):
        assert text in table.stdout


def test_json_with_a_subcommand_is_a_usage_error(ws_path: Path) -> None:
    proc = run("-w", ws_path, "claims", "--json", "freeze", "x")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.endswith(
        "Error: --json lists the ledger; give it no subcommand\n"
    )


def test_json_equals_the_library(workspace_env: Path) -> None:
    result = CliRunner().invoke(cli, ["-w", str(workspace_env), "claims", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    with open_workspace(workspace_env, PASSPHRASE) as ws:
        expected = load_ledger(ws.conn).to_dict()
    data.pop("as_of"), expected.pop("as_of")
    data["series"][-2]["points"][-1].pop("date")
    expected["series"][-2]["points"][-1].pop("date")
    assert data == expected


def test_freeze_json(workspace_env: Path) -> None:
    result = CliRunner().invoke(
        cli, ["-w", str(workspace_env), "claims", "freeze", "r", "--json"]
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["id"], data["label"], data["register"]["persons"]) == (1, "r", 1)
    assert result.stderr == f"audit head: {data['head']}\n"


@pytest.fixture
def workspace_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ABAN_PASSPHRASE", PASSPHRASE)
    path = tmp_path / "ws"
    run("init", path, check=True)
    run("-w", path, "claims", "import", EXAMPLE, check=True)
    with open_workspace(path, PASSPHRASE) as ws:
        add_persons(ws.conn, "corroborated", "partial_name", 1)
    return path
