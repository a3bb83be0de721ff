"""aban grade as a user runs it: headline table, --json, --methodology, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from aban.cli import cli
from aban.store.workspace import create_workspace, open_workspace
from tests.cli.helpers import run, status
from tests.conftest import PASSPHRASE
from tests.grade.helpers import add_source, link, person_of


def _row(rid: str, given: str, **more: str) -> dict[str, str]:
    return {"record_id": rid, "given_name": given, "family_name": "Testi", **more}


@pytest.fixture
def linked(tmp_path: Path) -> Path:
    """Four persons: confirmed, corroborated, single-source, contested."""
    path = tmp_path / "ws"
    with create_workspace(path, PASSPHRASE) as ws:
        add_source(
            ws,
            tmp_path,
            "ngo",
            [
                _row("n1", "Aram", status="killed"),
                _row("n2", "Baran"),
                _row("n3", "Cyra", status="killed"),
                _row("n4", "Dana", status="killed"),
            ],
        )
        add_source(ws, tmp_path, "kin", [_row("k1", "Aram")], kind="family")
        add_source(
            ws,
            tmp_path,
            "press",
            [
                _row("p1", "Baran"),
                _row("p4", "Dana", status="injured"),
            ],
        )
        link(ws)
    return path


def test_grade_json_is_stored_and_matches_status(linked: Path) -> None:
    proc = run("-w", linked, "grade", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert proc.stderr == f"audit head: {data['head']}\n"
    assert list(data) == [
        "run_id",
        "persons",
        "persons_by_grade",
        "scope",
        "minimum",
        "upper",
        "grades",
        "by_identification",
        "changed",
        "contested",
        "lapsed_decisions",
        "rules",
        "head",
    ]
    assert data["persons_by_grade"] == {
        "confirmed": 1,
        "corroborated": 1,
        "single-source": 1,
        "contested": 1,
        "discounted": 0,
    }
    assert (data["minimum"], data["upper"]) == (2, 3)
    assert data["by_identification"]["full_name"]["upper"] == 3
    assert status(linked)["persons_by_grade"] == data["persons_by_grade"]
    (contested,) = data["contested"]
    assert contested["reason"] == (
        "contested/status: status injured (1 source) vs killed (1 source)"
    )
    assert [a["sources"] for a in contested["disputes"][0]["accounts"]] == [
        ["press"],
        ["ngo"],
    ]
    with open_workspace(linked, PASSPHRASE) as ws:
        assert contested["person_id"] == person_of(ws, "ngo", "n4")


def test_grade_table_for_people(linked: Path) -> None:
    proc = run("-w", linked, "grade")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "headline figures"
    row = {line.split("│")[1].strip(): line for line in lines if line.startswith("│")}
    cells = [cell.strip() for cell in row["minimum"].split("│")[2:-1]]
    assert cells == ["2", "0", "0", "0", "2"]
    assert row["upper end"].split("│")[-2].strip() == "3"
    assert row["contested"].split("│")[-2].strip() == "1"
    assert (
        "enumerated minimum 2, up to 3 with single-source persons; 0 of 4 persons "
        "outside the toll" in proc.stdout
    )
    assert proc.stderr.startswith("audit head: ")


def test_methodology_follows_the_workspace_config(linked: Path) -> None:
    before = run("-w", linked, "grade", "--methodology", check=True)
    assert before.stdout.startswith("# Methodology\n")
    assert before.stderr == ""
    assert "at least 2 independent sources report the person." in before.stdout
    config = linked / "aban.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + "\n[grading]\nindependent_sources = 3\n",
        encoding="utf-8",
    )
    after = run("-w", linked, "grade", "--methodology", check=True).stdout
    assert "at least 3 independent sources report the person." in after
    data = json.loads(run("-w", linked, "grade", "--json", check=True).stdout)
    assert data["rules"]["independent_sources"] == 3
    assert data["persons_by_grade"]["confirmed"] == 0
    both = run("-w", linked, "grade", "--methodology", "--json")
    assert both.returncode == 2
    assert both.stderr.endswith("Error: use --json or --methodology, not both\n")


def test_methodology_describes_the_last_estimate(
    linked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_workspace(linked, PASSPHRASE) as ws:
        ws.conn.execute(
            "insert into runs (kind, started_at, finished_at, settings, counts) "
            "values ('estimate', 'x', 'x', ?, '{}')",
            (json.dumps({"model": "lcmcr", "seed": 11, "by": "sex"}),),
        )
    monkeypatch.setenv("ABAN_PASSPHRASE", PASSPHRASE)
    result = CliRunner().invoke(cli, ["-w", str(linked), "grade", "--methodology"])
    assert result.exit_code == 0, result.output
    assert "## Estimating the total" in result.output
    assert "Settings: seed 11." in result.output
    assert "The 95% interval carries sampling uncertainty only" in result.output
    with open_workspace(linked, PASSPHRASE) as ws:
        drawn = {"draws": 8, "band": [0.01, 0.99], "calibration_bits": 2.0}
        ws.conn.execute(
            "insert into runs (kind, started_at, finished_at, settings, counts) "
            "values ('estimate', 'x', 'x', ?, '{}')",
            (json.dumps({"model": "lcmcr", "seed": 12, "linkage_uncertainty": drawn}),),
        )
    result = CliRunner().invoke(cli, ["-w", str(linked), "grade", "--methodology"])
    assert result.exit_code == 0, result.output
    assert (
        "The 95% interval carries both sampling uncertainty and linkage uncertainty"
    ) in result.output
    assert "estimated on 8 clusterings of the records" in result.output


def test_bad_grading_config_is_one_line(linked: Path) -> None:
    config = linked / "aban.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + '\n[grading]\nprimary_kinds = ["oracle"]\n',
        encoding="utf-8",
    )
    proc = run("-w", linked, "grade")
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.startswith(
        f"Error: {config}: [grading]: 'primary_kinds' has unknown values ['oracle']; "
        "use ngo_list, family,"
    )
    assert proc.stderr.count("\n") == 1


def test_grade_before_link_is_a_one_line_error(tmp_path: Path) -> None:
    create_workspace(tmp_path / "ws", PASSPHRASE).close()
    proc = run("-w", tmp_path / "ws", "grade")
    assert proc.returncode == 1
    assert proc.stderr == "Error: no persons in the register: run 'aban link' first\n"
