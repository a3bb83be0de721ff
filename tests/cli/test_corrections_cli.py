"""Corrections as a user runs them (issue 15): import --replace, source retract and
restore, imports; a canary record retracted is found in no output afterwards."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from aban.grade.register import grade_workspace
from aban.grade.rules import load_rules
from aban.linkage.register import link_workspace
from aban.store.workspace import create_workspace, open_workspace
from tests.cli.helpers import run
from tests.conftest import PASSPHRASE
from tests.store.fake_linker import COLUMNS, FakeLinker, import_rows

BUILD = "2020-05-20T12:00:00Z"
#: A name that appears in no other row: found anywhere, the canary leaked.
CANARY = "Zyzzogeta"


def row(i: int, given: str, **more: Any) -> dict[str, Any]:
    return {
        "record_id": f"r{i}",
        "given_name": given,
        "family_name": "Testpour",
        "city": "Shiraz",
        "age": str(20 + i),
        "status": "killed",
        "date_of_death": "2019-11-16",
        **more,
    }


ROWS = [row(i, g) for i, g in enumerate(("Arman", "Baran", "Caveh", "Dara"), 1)]
CANARY_ROW = row(9, CANARY, family_name=CANARY, city=f"{CANARY}abad")


def write(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    path = tmp_path / "ws"
    with create_workspace(path, PASSPHRASE) as workspace:
        import_rows(workspace, tmp_path, "ngo", [*ROWS, CANARY_ROW])
        import_rows(workspace, tmp_path, "media", ROWS[:2])
        link_workspace(workspace, linker=FakeLinker())
        grade_workspace(workspace, load_rules(path))
    config = path / "aban.toml"
    config.write_text(
        config.read_text("utf-8") + '\n[publication]\ndefault_consent = "public"\n'
    )
    return path


def leaks(folder: Path) -> list[Path]:
    return [
        p
        for p in folder.rglob("*")
        if p.is_file() and CANARY.encode() in p.read_bytes()
    ]


def test_replace_prints_its_counts_and_the_canary_is_gone(
    ws: Path, tmp_path: Path
) -> None:
    fixed = dict(ROWS[2], age="60")
    new = write(tmp_path / "ngo-v2.csv", [ROWS[0], ROWS[1], fixed, ROWS[3]])
    proc = run("-w", ws, "import", new, "--source", "ngo", "--replace")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (
        "ngo-v2.csv: 4 rows, 1 imported, 3 already in the register, 0 refused, "
        "0 warnings\n"
    )
    assert "new version: 0 added, 1 changed, 1 retracted, 0 back\n" in proc.stderr
    assert (
        # The canary's person, all of whose records are retracted, is dormant.
        "persons: 0 retracted records taken out, 1 persons updated, 1 dormant (all "
        "their records retracted); graded again: minimum 2, upper 4\n"  # 5 before
    ) in proc.stderr
    assert run("-w", ws, "audit", "verify").returncode == 0
    imports = json.loads(run("-w", ws, "imports", "--json", check=True).stdout)
    assert [(i["id"], i["added"], i["changed"], i["retracted"]) for i in imports] == [
        (1, 5, 0, 0),
        (2, 2, 0, 0),
        (3, 0, 1, 1),
    ]
    status = json.loads(run("-w", ws, "status", "--json", check=True).stdout)
    assert (status["records"], status["persons"]) == (6, 4)
    site, export = tmp_path / "site", tmp_path / "export"
    run("-w", ws, "publish", site, "--build-time", BUILD, check=True)
    run("-w", ws, "export", "--format", "csv", "--full", export, check=True)
    assert leaks(site) == [] and leaks(export) == []
    # Linking again: the canary is not in the linkage input.
    linker = FakeLinker()
    with open_workspace(ws, PASSPHRASE) as workspace:
        link_workspace(workspace, linker=linker)
    assert "ngo:r9" not in linker.calls[0]["keys"] and len(linker.calls[0]["keys"]) == 6


def test_replace_needs_a_source(ws: Path, tmp_path: Path) -> None:
    new = write(tmp_path / "v2.csv", ROWS)
    proc = run("-w", ws, "import", new, "--replace")
    assert proc.returncode == 2
    assert proc.stderr.endswith(
        "Error: --replace needs --source: whose list is this?\n"
    )


def test_retract_and_restore_a_source(ws: Path, tmp_path: Path) -> None:
    proc = run("-w", ws, "source", "retract", "media", "--reason", "doubtful")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.startswith(
        "retracted source media: 2 records withdrawn\n"
        "persons: 2 retracted records taken out, 2 persons updated, 0 dormant (all "
        "their records retracted); "
    )
    again = run("-w", ws, "source", "retract", "media", "--reason", "doubtful")
    assert again.returncode == 1
    assert again.stderr == (
        "Error: the source is already retracted; 'aban source restore' brings it back\n"
    )
    new = write(tmp_path / "media-v2.csv", ROWS[:1])
    blocked = run("-w", ws, "import", new, "--source", "media", "--replace")
    assert blocked.returncode == 1
    assert blocked.stderr == (
        "Error: the source is retracted; restore it ('aban source restore') before "
        "importing a new version of its list\n"
    )
    assert run("-w", ws, "audit", "verify").returncode == 0
    back = run("-w", ws, "source", "restore", "media", "--json")
    assert back.returncode == 0, back.stderr
    assert json.loads(back.stdout)["records"] == 2
    assert run("-w", ws, "audit", "verify").returncode == 0
    unknown = run("-w", ws, "source", "restore", "media")
    assert unknown.stderr == (
        "Error: the source is not retracted; 'aban sources' lists them\n"
    )


def test_the_current_version_again_is_a_no_op_and_an_earlier_one_is_refused(
    ws: Path, tmp_path: Path
) -> None:
    new = write(tmp_path / "ngo-v2.csv", ROWS)
    run("-w", ws, "import", new, "--source", "ngo", "--replace", check=True)
    register = (ws / "register.db").read_bytes()
    again = run("-w", ws, "import", new, "--source", "ngo", "--replace")
    assert again.returncode == 0, again.stderr
    assert (again.stdout, again.stderr) == (
        "",
        "ngo-v2.csv: already the current version of this source's list; "
        "nothing changed\n",
    )
    # Nothing written: no import, no audit entry.
    assert (ws / "register.db").read_bytes() == register
    first = tmp_path / "ngo.csv"  # the file of import 1, byte for byte
    back = run("-w", ws, "import", first, "--source", "ngo", "--replace")
    assert back.returncode == 1
    assert back.stderr == (
        "Error: this file was imported before for this source (import 1), and a "
        "later version since; a list cannot go back to a file imported already: "
        "change the file (an empty line at the end of a CSV will do) and import it "
        "again with --replace\n"
    )
    assert (ws / "register.db").read_bytes() == register
    # As it says: the first version with an empty line at its end brings the
    # canary's record back, and its person (dormant since) with it.
    with first.open("a", encoding="utf-8") as handle:
        handle.write("\n")
    back = run("-w", ws, "import", first, "--source", "ngo", "--replace")
    assert back.returncode == 0, back.stderr
    assert "new version: 0 added, 0 changed, 0 retracted, 1 back\n" in back.stderr
    status = json.loads(run("-w", ws, "status", "--json", check=True).stdout)
    assert (status["records"], status["persons"]) == (7, 5)


def test_imports_show_each_imports_state(ws: Path, tmp_path: Path) -> None:
    new = write(tmp_path / "ngo-v2.csv", ROWS)
    run("-w", ws, "import", new, "--source", "ngo", "--replace", check=True)
    run("-w", ws, "source", "retract", "media", "--reason", "doubtful", check=True)

    def states() -> list[tuple[Any, ...]]:
        found = json.loads(run("-w", ws, "imports", "--json", check=True).stdout)
        keys = ("id", "state", "replaced_by", "records_live")
        return [tuple(i[k] for k in keys) for i in found]

    assert states() == [
        (1, "replaced", 3, 4),  # the canary retracted, the rest unchanged
        (2, "retracted", None, 0),
        (3, "current", None, 0),
    ]
    table = run("-w", ws, "imports", check=True, env={"COLUMNS": "200"}).stdout
    assert "replaced by 3" in table and "retracted" in table
    run("-w", ws, "source", "restore", "media", check=True)
    assert states()[1] == (2, "current", None, 2)


def test_every_source_withdrawn_and_restored(ws: Path) -> None:
    run("-w", ws, "source", "retract", "media", "--reason", "doubtful", check=True)
    last = run("-w", ws, "source", "retract", "ngo", "--reason", "doubtful")
    assert last.returncode == 0, last.stderr
    assert last.stderr.startswith(
        "retracted source ngo: 5 records withdrawn\n"
        "persons: 0 retracted records taken out, 0 persons updated, 5 dormant (all "
        "their records retracted)\n"  # no one left to grade
    )
    status = json.loads(run("-w", ws, "status", "--json", check=True).stdout)
    assert (status["records"], status["persons"]) == (0, 0)
    back = run("-w", ws, "source", "restore", "ngo", check=True)
    assert back.stderr.startswith(
        "restored source ngo: 5 records back\n"
        "persons: 0 retracted records taken out, 5 persons updated, 0 dormant (all "
        "their records retracted); graded again: minimum 0, upper 5\n"  # ngo only
    )
    media = run("-w", ws, "source", "restore", "media", check=True)
    assert media.stderr.startswith(
        "restored source media: 2 records back, 2 of them in no person until "
        "'aban link'\n"
    )
    status = json.loads(run("-w", ws, "status", "--json", check=True).stdout)
    assert (status["records"], status["persons"]) == (7, 5)
    assert run("-w", ws, "audit", "verify").returncode == 0
