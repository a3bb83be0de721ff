"""aban analysis as a user runs it: a workspace holding the fixed scenario."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from aban.analysis import analyse_workspace
from aban.cli import cli
from aban.store.workspace import create_workspace, open_workspace
from tests.analysis.scenario import insert_persons, write_event
from tests.cli.helpers import run
from tests.conftest import PASSPHRASE

NO_STATUS = (
    "note: persons with no status: 1, not analysed; give their records a status "
    "(killed, detained, ...)\n"
)
NO_EVENT = (
    "note: no [event] in aban.toml: days are shown without key moments; add one "
    "(see examples/iran-2019-11/event.toml)\n"
)


def scenario_workspace(path: Path, event: bool = True) -> Path:
    with create_workspace(path, PASSPHRASE) as ws:
        insert_persons(ws.conn)
    if event:
        write_event(path)
    return path


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scenario_workspace(tmp_path_factory.mktemp("analysis") / "ws")


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env={"ABAN_PASSPHRASE": PASSPHRASE})
    return result.exit_code, result.stdout, result.stderr


def test_json_is_the_library_result(ws: Path) -> None:
    proc = run("-w", ws, "analysis", "--json")
    assert proc.returncode == 0
    assert proc.stderr == NO_STATUS
    data = json.loads(proc.stdout)
    with open_workspace(ws, PASSPHRASE) as opened:
        assert data == analyse_workspace(opened).to_dict()
    assert data["summary"]["killed"]["total"] == 10
    day = data["day"]
    assert [(r["label"], r["total"], r["discounted"]) for r in day["rows"]] == [
        ("2019-11-15", 1, 0),
        ("2019-11-16", 3, 1),
        ("2019-11-17", 2, 1),
        ("2019-11-18", 2, 0),
        ("2019-11-19", 0, 0),
        ("2019-11-20", 0, 0),
        ("2019-11-21", 1, 0),
        ("unknown", 1, 0),
    ]
    assert day["within_48h"]["total"] == 5 and day["within_48h"]["of_dated"] == 9
    assert data["age-band"]["rows"][0] == {
        "label": "0-17",
        "counts": {
            "confirmed": 2,
            "corroborated": 1,
            "single-source": 0,
            "contested": 0,
        },
        "total": 3,
        "discounted": 0,
    }
    force = [(r["label"], r["total"], r["discounted"]) for r in data["force"]["rows"]]
    assert force == [
        ("security_forces", 1, 0),
        ("police", 1, 0),
        ("irgc", 1, 1),
        ("basij", 1, 0),
        ("plainclothes", 1, 0),
        ("military", 0, 0),
        ("intelligence", 0, 0),
        ("irgc;basij", 2, 0),
        ("unrecognized", 1, 0),
        ("unknown", 2, 1),
    ]
    assert [r["total"] for r in data["force"]["mentions"][:4]] == [1, 1, 3, 3]


def test_table_by_force(ws: Path) -> None:
    proc = run("-w", ws, "analysis", "--by", "force", env={"COLUMNS": "200"})
    assert proc.returncode == 0 and proc.stderr == NO_STATUS
    lines = [line.strip("│").split("│") for line in proc.stdout.splitlines()]
    assert "killed by alleged force" in proc.stdout
    assert "killed by date of death" not in proc.stdout
    cells = {c[0].strip(): [x.strip() for x in c[1:]] for c in lines if len(c) == 7}
    # label: confirmed, corroborated, single-source, contested, total, discounted
    assert cells["irgc;basij"] == ["1", "0", "1", "0", "2", "0"]
    assert cells["irgc"] == ["1", "0", "0", "0", "1", "1"]
    assert cells["unrecognized"] == ["0", "0", "0", "1", "1", "0"]
    assert cells["unknown"] == ["0", "1", "1", "0", "2", "1"]
    assert cells["total"] == ["3", "2", "4", "1", "10", "2"]


def test_table_by_day_and_injury(ws: Path) -> None:
    proc = run(
        "-w", ws, "analysis", "--by", "day", "--by", "injury", env={"COLUMNS": "200"}
    )
    assert proc.returncode == 0 and proc.stderr == NO_STATUS
    out = proc.stdout
    assert out.splitlines()[0] == (
        "killed: 10 (confirmed 3, corroborated 2, single-source 4, contested 1); "
        "discounted 2"
    )
    assert "killed by date of death" in out and "killed by injury location" in out
    assert "killed by province" not in out
    assert "internet shutdown began" in out
    assert "access returned (to 2019-11-20)" in out
    assert (
        "within 48 hours of the shutdown (2019-11-16 and 2019-11-17, the shutdown "
        "day and the next): 5 of 9 (55.6%) with a known date"
    ) in out
    assert "head or torso: 6 of 8 (75.0%) with a known injury region" in out


def test_no_persons(tmp_path: Path) -> None:
    create_workspace(tmp_path / "empty", PASSPHRASE).close()
    proc = run("-w", tmp_path / "empty", "analysis")
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr == "Error: no persons in the register: run 'aban link' first\n"


def test_no_event_shows_days_without_moments(tmp_path: Path) -> None:
    path = scenario_workspace(tmp_path / "ws", event=False)
    code, out, err = invoke("-w", str(path), "analysis", "--by", "day", "--json")
    assert code == 0
    assert err == NO_EVENT + NO_STATUS
    data = json.loads(out)
    assert data["event"] is None and data["day"]["within_48h"] is None
    assert [r["label"] for r in data["day"]["rows"]][0] == "2019-11-15"
    assert sum(r["total"] for r in data["day"]["rows"]) == 10


def test_bad_event_is_one_line(tmp_path: Path) -> None:
    path = scenario_workspace(tmp_path / "ws", event=False)
    config = path / "aban.toml"
    config.write_text(config.read_text() + '\n[event]\nname = "e"\nstart = 1\n')
    code, out, err = invoke("-w", str(path), "analysis")
    assert code == 1 and out == ""
    assert err == (
        f"Error: {config}: [event] start must be an ISO date such as 2019-11-16; "
        "end must be an ISO date such as 2019-11-16\n"
    )


def test_unknown_breakdown_is_a_usage_error(ws: Path) -> None:
    code, _, err = invoke("-w", str(ws), "analysis", "--by", "weekday")
    assert code == 2 and "'weekday' is not one of 'day', 'province'" in err
