"""``aban demo`` as a newcomer runs it."""

from __future__ import annotations

import csv
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
        run(
            "-w",
            folder / "workspace",
            "status",
            "--json",
            env={"ABAN_PASSPHRASE": "demo"},
            check=True,
        ).stdout
    )
    assert st["records"] == scenario["records"]
    assert st["sources"] == len(scenario["sources"])
    assert scenario["observed"] <= st["persons"] < st["records"]
    assert "true total (simulated)" in first.stdout
    assert "1,500" in first.stdout
    assert "estimate from the linked register (LCMCR)" in first.stdout
    assert sum(st["persons_by_grade"].values()) == st["persons"]
    ledger = json.loads(
        run(
            "-w",
            folder / "workspace",
            "claims",
            "--json",
            env={"ABAN_PASSPHRASE": "demo"},
            check=True,
        ).stdout
    )
    register, estimate = ledger["register"], ledger["estimate"]
    assert len(ledger["claims"]) == 6 and "at least 304" in first.stdout
    assert f"{register['minimum']:,} to {register['upper']:,}" in first.stdout
    assert register["minimum"] <= register["upper"] <= st["persons"]
    assert f"{estimate['observed']:,} persons on the lists" in first.stdout
    assert [h["label"] for h in ledger["history"]][0] == "demo"
    assert len(ledger["history"]) == 2  # the published release froze the figures too
    _assert_site_published(folder, first.stdout)
    assert "killed within 48 hours of the shutdown" in first.stdout
    cases = json.loads(
        run(
            "-w",
            folder / "workspace",
            "detentions",
            "--json",
            "--as-of",
            "2020-01-31",
            env={"ABAN_PASSPHRASE": "demo"},
            check=True,
        ).stdout
    )
    assert f"detention cases: {cases['counts']['cases']:,}, " in first.stdout
    again = run("demo", folder, check=True)
    assert again.returncode == 0
    verify = run(
        "-w", folder / "workspace", "audit", "verify", env={"ABAN_PASSPHRASE": "demo"}
    )
    assert verify.returncode == 0, verify.stderr


def _assert_site_published(folder: Path, stdout: str) -> None:
    """The demo ends with a site: memorial, report, open data, no protected value."""
    site = folder / "site"
    assert f"published site: {site / 'index.html'}" in stdout
    for page in ("index.html", "en/memorial/index.html", "fa/report.html"):
        assert (site / page).is_file(), page
    with (site / "data" / "persons.csv").open(encoding="utf-8") as fh:
        listed = sum(1 for _ in csv.DictReader(fh))
    assert f"({listed:,} persons in the memorial" in stdout
    with (folder / "scenario" / "sources" / "families.csv").open(
        encoding="utf-8"
    ) as fh:
        rows = list(csv.DictReader(fh))
    # informant holds relationships ("father"), words the site uses too
    protected = {r[c] for r in rows for c in ("contact", "notes_private")} - {""}
    assert protected
    published = b"".join(p.read_bytes() for p in site.rglob("*") if p.is_file())
    leaked = [v for v in protected if v.encode() in published]
    assert not leaked, f"{len(leaked)} protected values published"


def test_demo_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "thesis.txt").write_text("precious")
    proc = run("demo", tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[-1] == (
        f"Error: {tmp_path}: folder exists and is not an aban demo; "
        "choose another folder"
    )
    assert (tmp_path / "thesis.txt").read_text() == "precious"
