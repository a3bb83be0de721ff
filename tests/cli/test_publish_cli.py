"""aban publish as a user runs it (subprocess: real stdout, stderr, exit code)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aban.grade.register import grade_workspace
from aban.grade.rules import load_rules
from aban.linkage.register import link_workspace
from aban.store.workspace import create_workspace
from tests.cli.helpers import run
from tests.conftest import PASSPHRASE
from tests.store.fake_linker import FakeLinker, import_rows

ROWS = [
    {
        "record_id": f"r{i}",
        "given_name": given,
        "family_name": "Testpour",
        "city": "Shiraz",
        "age": str(20 + i),
        "status": "killed",
        "date_of_death": "2019-11-16",
        "informant": "Hidden Informant",
        "contact": "+00 123",
        "notes_private": "do not show",
    }
    for i, given in enumerate(("Arman", "Baran", "Caveh"), start=1)
]
BUILD = "2020-05-20T12:00:00Z"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    path = tmp_path / "ws"
    with create_workspace(path, PASSPHRASE) as workspace:
        import_rows(workspace, tmp_path, "ngo", ROWS)
        link_workspace(workspace, linker=FakeLinker())
        grade_workspace(workspace, load_rules(path))
    config = path / "aban.toml"
    config.write_text(
        config.read_text("utf-8") + '\n[publication]\ndefault_consent = "public"\n'
    )
    return path


def test_publish_then_rebuild_unchanged(ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = run("-w", ws, "publish", out, "--build-time", BUILD)
    assert first.returncode == 0, first.stderr
    assert first.stdout == (
        f"release 1 (new): 3 persons listed, {len(list(out.rglob('*.*')))} files\n"
        "names shown: 3\n"
        "names not shown: 0\n"
        f"open: {out / 'index.html'}\n"
    )
    # The first release names the setting that decides names (issue 17).
    hint, audit = first.stderr.splitlines()
    assert hint == (
        "the names of persons without a recorded consent follow [publication] "
        'default_consent in aban.toml (now "public"); record each family\'s answer '
        "with 'aban person consent'"
    )
    assert audit.startswith("audit head: ")
    head = first.stderr.split()[-1]
    page = (out / "en" / "memorial" / "P000001.html").read_text("utf-8")
    assert "Arman Testpour" in page and "Hidden" not in page
    again = run("-w", ws, "publish", out, "--build-time", BUILD, "--json")
    assert again.returncode == 0, again.stderr
    result = json.loads(again.stdout)
    assert (result["release"], result["new_release"], result["listed"]) == (1, False, 3)
    assert result["head"] == head and result["entry"] == str(out / "index.html")
    assert again.stderr == f"release 1 was recorded with audit head {head}\n"
    verify = run("-w", ws, "audit", "verify", "--head", head)
    assert verify.returncode == 0, verify.stderr


def test_a_busy_folder_is_a_one_line_error(ws: Path, tmp_path: Path) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.txt").write_text("mine")
    proc = run("-w", ws, "publish", busy)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr == (
        f"Error: {busy.resolve()}: folder is not empty and holds no aban site; "
        "choose a new or empty folder\n"
    )


def test_an_invalid_policy_is_a_one_line_error(ws: Path, tmp_path: Path) -> None:
    config = ws / "aban.toml"
    config.write_text(config.read_text("utf-8") + 'fields = ["informant"]\n')
    proc = run("-w", ws, "publish", tmp_path / "site")
    assert proc.returncode == 1
    assert proc.stderr == (
        f"Error: {ws / 'aban.toml'}: [publication] field 'informant' is protected "
        "and never published\n"
    )
    assert not (tmp_path / "site").exists()


def test_an_invalid_build_time_is_refused(ws: Path, tmp_path: Path) -> None:
    proc = run("-w", ws, "publish", tmp_path / "site", "--build-time", "soon")
    assert proc.returncode == 1
    assert proc.stderr == (
        "Error: the build time must be an ISO date-time such as 2020-05-20T12:00:00Z\n"
    )


def test_a_min_cell_below_3_is_a_one_line_error(ws: Path, tmp_path: Path) -> None:
    config = ws / "aban.toml"
    config.write_text(config.read_text("utf-8") + "min_cell = 2\n")
    proc = run("-w", ws, "publish", tmp_path / "site")
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr == (
        f"Error: {ws / 'aban.toml'}: [publication] min_cell must be a whole number "
        "of at least 3 (a smaller count could point at a family)\n"
    )


def test_a_village_and_a_small_count_stay_out_of_the_figures(tmp_path: Path) -> None:
    """Issue 13: a person in a village the gazetteer does not know, withheld."""
    path = tmp_path / "ws"
    village = {**ROWS[0], "record_id": "r9", "given_name": "Daryush"}
    village["city"] = "Deh-e Testabad beside the Testi farm"
    with create_workspace(path, PASSPHRASE) as workspace:
        import_rows(workspace, tmp_path, "ngo", [*ROWS, village])
        link_workspace(workspace, linker=FakeLinker())
        grade_workspace(workspace, load_rules(path))
    withheld = run("-w", path, "person", "consent", "P000004", "withheld")
    assert withheld.returncode == 0, withheld.stderr
    out = tmp_path / "site"
    proc = run("-w", path, "publish", out, "--build-time", BUILD)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("release 1 (new): 3 persons listed, ")
    found = [p for p in out.rglob("*") if p.is_file() and b"Testabad" in p.read_bytes()]
    assert found == []
    figures = json.loads((out / "data" / "figures.json").read_text("utf-8"))
    city = [
        (r["label"], r["total"], r["fewer_than"])
        for r in figures["analysis"]["city"]["rows"]
    ]
    # "other" is fewer than 3, so Shiraz is not shown either: the total (4 killed)
    # minus Shiraz would give "other" away.
    assert city == [("Shiraz", None, None), ("other", None, 3), ("unknown", 0, None)]
    report = (out / "en" / "report.html").read_text("utf-8")
    assert "fewer than 3" in report
    assert "Not on the map: Fars, Shiraz, other places." in report
