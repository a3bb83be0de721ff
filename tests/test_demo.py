"""``aban demo`` as a newcomer runs it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.helpers import run


def test_demo_runs_end_to_end_and_again(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    first = run("demo", folder, check=True)
    assert first.stderr.startswith('demo passphrase: "demo" (demo only')
    assert "imported lists (synthetic)" in first.stdout
    assert f"workspace: {folder / 'workspace'}" in first.stdout
    scenario = json.loads((folder / "scenario" / "scenario.json").read_text())
    st = json.loads(
        run("-w", folder / "workspace", "status", "--json",
            env={"ABAN_PASSPHRASE": "demo"}, check=True).stdout
    )  # fmt: skip
    assert st["records"] == scenario["records"]
    assert st["sources"] == len(scenario["sources"])
    assert scenario["observed"] <= st["persons"] < st["records"]
    assert "true total (simulated)" in first.stdout
    assert "1,500" in first.stdout
    assert "estimate from the linked register (LCMCR)" in first.stdout
    assert sum(st["persons_by_grade"].values()) == st["persons"]
    ledger = json.loads(
        run("-w", folder / "workspace", "claims", "--json",
            env={"ABAN_PASSPHRASE": "demo"}, check=True).stdout
    )  # fmt: skip
    register, estimate = ledger["register"], ledger["estimate"]
    assert len(ledger["claims"]) == 6 and "at least 304" in first.stdout
    assert f"{register['minimum']:,} to {register['upper']:,}" in first.stdout
    assert register["minimum"] <= register["upper"] <= st["persons"]
    assert f"{estimate['observed']:,} persons on the lists" in first.stdout
    assert [h["label"] for h in ledger["history"]] == ["demo"]
    assert "killed within 48 hours of the shutdown" in first.stdout
    cases = json.loads(
        run("-w", folder / "workspace", "detentions", "--json", "--as-of",
            "2020-01-31", env={"ABAN_PASSPHRASE": "demo"}, check=True).stdout
    )  # fmt: skip
    assert f"detention cases: {cases['counts']['cases']:,}, " in first.stdout
    again = run("demo", folder, check=True)
    assert again.returncode == 0
    verify = run("-w", folder / "workspace", "audit", "verify",
                 env={"ABAN_PASSPHRASE": "demo"})  # fmt: skip
    assert verify.returncode == 0, verify.stderr


def test_demo_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "thesis.txt").write_text("precious")
    proc = run("demo", tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[-1] == (
        f"Error: {tmp_path}: folder exists and is not an aban demo; "
        "choose another folder"
    )
    assert (tmp_path / "thesis.txt").read_text() == "precious"
