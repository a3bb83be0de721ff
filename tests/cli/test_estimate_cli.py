"""aban estimate as a user runs it: simulate, init, import, mark lists, link."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from aban.simulate import SimulationSettings, simulate, write_scenario
from aban.store.runs import run_details
from aban.store.workspace import open_workspace
from aban.workflow.sensitivity import DEFAULT_THRESHOLDS
from tests.cli.helpers import run
from tests.conftest import PASSPHRASE

SMALL = ("--burnin", "2000", "--samples", "400", "--thinning", "2")


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("scenario")
    write_scenario(simulate(SimulationSettings(persons=400, sources=4, seed=7)), out)
    return out, json.loads((out / "scenario.json").read_text())


def new_workspace(path: Path, scenario: Path) -> list[str]:
    run("init", path, check=True)
    files = sorted((scenario / "sources").glob("*.csv"))
    for file in files:
        run("-w", path, "import", file, check=True)
    return [file.stem for file in files]


@pytest.fixture(scope="module")
def linked(
    scenario: tuple[Path, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    path = tmp_path_factory.mktemp("estimate") / "ws"
    for name in new_workspace(path, scenario[0]):
        run("-w", path, "source", "set", name, "--list", check=True)
    run("-w", path, "link", check=True)
    return path


def test_errors_before_lists_and_before_link(
    scenario: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    path = tmp_path / "ws"
    names = new_workspace(path, scenario[0])
    proc = run("-w", path, "estimate")
    assert proc.returncode == 1
    assert proc.stderr == (
        "Error: 0 sources are marked as systematic lists; estimation needs at "
        "least 2: mark each list with 'aban source set NAME --list'\n"
    )
    for name in names[:2]:
        run("-w", path, "source", "set", name, "--list", check=True)
    proc = run("-w", path, "estimate")
    assert proc.returncode == 1
    assert proc.stderr == "Error: no persons in the register: run 'aban link' first\n"


def test_estimate_json_by_sex_with_sensitivity(
    linked: Path, scenario: tuple[Path, dict[str, Any]]
) -> None:
    proc = run(
        "-w",
        linked,
        "estimate",
        "--by",
        "sex",
        "--sensitivity",
        "--seed",
        "4",
        *SMALL,
        "--json",
        check=True,
    )
    data = json.loads(proc.stdout)
    assert proc.stderr == f"audit head: {data['head']}\n"
    link = json.loads(run("-w", linked, "status", "--json", check=True).stdout)
    assert data["persons"] == link["persons"]
    assert data["model"] == "lcmcr" and data["by"] == "sex"
    assert data["settings"]["seed"] == 4 and data["settings"]["burnin"] == 2000
    labels = [s["label"] for s in data["strata"]]
    assert labels[:2] == ["female", "male"]
    assert data["observed"] == sum(s["observed"] for s in data["strata"])
    assert data["observed"] <= data["lower"] <= data["estimate"] <= data["upper"]
    assert data["floor"] == sum(s["observed"] for s in data["strata"] if s["flag"])
    # The whole run is stored: --json is the stored results plus run id and head.
    with open_workspace(linked, PASSPHRASE) as ws:
        link_threshold = run_details(ws.conn, 1)["settings"]["threshold"]
        stored = json.loads(
            ws.conn.execute(
                "select results from runs where id = ?", (data["run_id"],)
            ).fetchone()[0]
        )
    assert {"run_id": data["run_id"], **stored, "head": data["head"]} == data
    rows = data["sensitivity"]
    expected = sorted({*DEFAULT_THRESHOLDS, link_threshold})
    assert [r["threshold"] for r in rows] == expected
    persons = [r["persons"] for r in rows]
    # Stricter thresholds link less, so they never give fewer persons.
    assert persons == sorted(persons) and persons[0] < persons[-1]
    current = [r for r in rows if r["current"]]
    assert [r["threshold"] for r in current] == [link_threshold]
    assert current[0]["persons"] == data["persons_counted"]
    # Linkage that splits victims inflates the estimate: it grows with persons.
    assert rows[0]["estimate"] < rows[-1]["estimate"]
    # At the strictest threshold records are left apart: at least as many persons
    # as the victims the toll counts (killed or died in custody) who are listed.
    assert _listed_dead(scenario[0]) <= persons[-1]


def _listed_dead(folder: Path) -> int:
    with (folder / "truth" / "persons.csv").open(encoding="utf-8") as f:
        dead = {
            p["person_id"]
            for p in csv.DictReader(f)
            if p["status"] in ("killed", "died_in_custody")
        }
    with (folder / "truth" / "records.csv").open(encoding="utf-8") as f:
        return len({r["person_id"] for r in csv.DictReader(f)} & dead)


def test_estimate_table_for_people(linked: Path) -> None:
    proc = run(
        "-w",
        linked,
        "estimate",
        "--model",
        "loglinear",
        "--by",
        "age-band",
        "--thresholds",
        "0.05,0.9",
        check=True,  # 0.05: the engine's default
    )
    out = proc.stdout
    assert "estimate (loglinear) by age-band" in out
    for label in ("18-29", "30-44", "total", "0.05 (link)", "0.9"):
        assert label in out
    assert "sensitivity to the linkage threshold" in out
    assert proc.stderr.splitlines()[-1].startswith("audit head: ")


def test_linkage_uncertainty_prints_the_decomposition(linked: Path) -> None:
    proc = run(
        "-w", linked, "estimate", "--linkage-uncertainty", "3", *SMALL, check=True
    )
    out = proc.stdout
    assert "total (sampling and linkage)" in out
    assert "linkage uncertainty (3 clusterings drawn; " in out
    assert "sampling only (the register's persons)" in out
    assert "variance of log N (Rubin's rules, 3 clusterings): within " in out
    assert "(linkage), total " in out and "; linkage " in out and ", sampling " in out
    assert "note: the interval carries sampling and linkage uncertainty: 3 " in (
        proc.stderr
    )


def test_linkage_uncertainty_json_adds_its_keys(linked: Path) -> None:
    plain = json.loads(
        run("-w", linked, "estimate", *SMALL, "--json", check=True).stdout
    )
    data = json.loads(
        run(
            "-w",
            linked,
            "estimate",
            "--linkage-uncertainty",
            "2",
            *SMALL,
            "--json",
            check=True,
        ).stdout
    )
    # Every key of a plain run is kept; one is added.
    assert set(data) == set(plain)
    assert plain["linkage_uncertainty"] is None
    found = data["linkage_uncertainty"]
    assert set(found) == {
        "draws",
        "band",
        "calibration_bits",
        "seed",
        "distinct",
        "pairs_drawn",
        "expected_matches",
        "pairs_decided",
        "combined",
        "sampling",
        "decomposition",
        "persons",
        "estimates",
        "clusterings",
        "notes",
    }
    assert found["draws"] == 2 and len(found["clusterings"]) == 2
    assert found["sampling"] == {k: plain[k] for k in ("estimate", "lower", "upper")}
    combined = found["combined"]
    assert {k: data[k] for k in ("estimate", "lower", "upper", "interval")} == combined
    assert set(found["decomposition"]) == {
        "scale",
        "clusterings",
        "within",
        "between",
        "total",
        "df",
        "linkage_share",
        "sampling_share",
    }
    assert data["settings"] == plain["settings"]


def test_linkage_uncertainty_needs_two_draws(linked: Path) -> None:
    proc = run("-w", linked, "estimate", "--linkage-uncertainty", "1")
    assert proc.returncode == 2
    assert "Invalid value for '--linkage-uncertainty': 1 is not in the range" in (
        proc.stderr
    )
