"""The workspace commands as a user runs them (subprocess, real stdout and stderr)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.cli.helpers import ABAN, run, status
from tests.conftest import PASSPHRASE

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    path = tmp_path / "ws"
    proc = run("init", path, check=True)
    assert proc.stdout == ""
    assert proc.stderr.startswith(f"created workspace {path}")
    assert proc.stderr.splitlines()[-1].startswith("audit head: ")
    return path


def test_init_refuses_a_weak_passphrase(tmp_path: Path) -> None:
    # Issue 13, item 13: 'ABAN_PASSPHRASE=a aban init' created a workspace.
    for weak, length in (("a", "1 character"), ("aban-2019", "9 characters")):
        proc = run("init", tmp_path / "aban-2019", env={"ABAN_PASSPHRASE": weak})
        assert proc.returncode == 1
        assert proc.stderr.startswith(
            f"Error: weak passphrase: {length}, found in about 10^"
        )
        assert proc.stderr.endswith(
            "; choose one of 12 characters or more that takes 10^10 guesses or "
            "more, such as five random words\n"
        )
        assert proc.stderr.count("\n") == 1 and proc.stdout == ""
        assert not (tmp_path / "aban-2019").exists()


def test_status_json_keys(ws: Path) -> None:
    run(
        "-w",
        ws,
        "import",
        DATA / "good" / "persian_utf8.csv",
        "--source",
        "fa",
        check=True,
    )
    st = status(ws)
    assert {k: st[k] for k in ("sources", "records", "persons", "issues")} == {
        "sources": 1,
        "records": 2,
        "persons": 0,
        "issues": 0,
    }
    assert isinstance(st["persons_by_grade"], dict)
    assert isinstance(st["persons_by_identification"], dict)


def test_workspace_from_environment_variable(ws: Path) -> None:
    proc = run("status", "--json", env={"ABAN_WORKSPACE": str(ws)}, check=True)
    assert json.loads(proc.stdout)["records"] == 0


def test_wrong_passphrase_is_one_line_exit_1(ws: Path) -> None:
    proc = run("-w", ws, "status", env={"ABAN_PASSPHRASE": "wrong"})
    assert proc.returncode == 1
    assert proc.stdout == ""
    # SQLCipher logs decryption failures to stderr itself unless silenced.
    assert proc.stderr == "Error: wrong passphrase, or not an aban workspace\n"


def test_no_passphrase_and_no_terminal(ws: Path) -> None:
    proc = run("-w", ws, "status", env={"ABAN_PASSPHRASE": ""})
    assert proc.returncode == 1
    assert (
        proc.stderr
        == "Error: no passphrase: set ABAN_PASSPHRASE, or run in a terminal\n"
    )


def test_not_a_workspace(tmp_path: Path) -> None:
    proc = run("-w", tmp_path, "status")
    assert proc.returncode == 1
    assert proc.stderr == (
        f"Error: {tmp_path}: not an aban workspace (no register.db); "
        "create one with 'aban init DIR' or pass -w DIR\n"
    )


def test_usage_error_exits_2(ws: Path) -> None:
    proc = run("-w", ws, "source", "set", "x", "--reliability", "Z")
    assert proc.returncode == 2


def test_sources_and_source_set(ws: Path) -> None:
    run("-w", ws, "import", DATA / "good" / "latin.json", "--source", "fam", check=True)
    proc = run(
        "-w",
        ws,
        "source",
        "set",
        "fam",
        "--kind",
        "family",
        "--group",
        "g1",
        "--reliability",
        "b",
        "--list",
        check=True,
    )
    assert proc.stderr.splitlines()[0] == (
        "updated: kind=family, independence_group=g1, reliability=B, is_list=1, "
        "protected=1"
    )
    listed = json.loads(run("-w", ws, "sources", "--json", check=True).stdout)
    assert listed == [
        {
            "name": "fam",
            "kind": "family",
            "group": "g1",
            "reliability": "B",
            "is_list": True,
            "protected": True,
            "records": 2,
        }
    ]
    proc = run("-w", ws, "source", "set", "nobody", "--kind", "media")
    assert proc.returncode == 1
    assert proc.stderr == (
        "Error: no such source; 'aban sources' lists them, and importing a file "
        "creates one\n"
    )


def test_sources_table_shows_a_hostile_source_name_as_written(ws: Path) -> None:
    # Issue 13, item 8: a source name is text in every table, never rich markup.
    name = "[blink][link=https:evil.example]ngo :skull:"
    latin = DATA / "good" / "latin.json"
    run("-w", ws, "import", latin, "--source", name, check=True)
    proc = run("-w", ws, "sources", env={"FORCE_COLOR": "1", "COLUMNS": "300"})
    assert proc.returncode == 0, proc.stderr
    assert name in proc.stdout and "\x1b]8;" not in proc.stdout


def test_audit_verify_and_head(ws: Path) -> None:
    proc = run(
        "-w", ws, "import", DATA / "good" / "latin.json", "--source", "j", check=True
    )
    head = proc.stderr.splitlines()[-1].removeprefix("audit head: ")
    ok = run("-w", ws, "audit", "verify", "--head", head, check=True)
    assert ok.stderr == (
        f"audit chain intact: 2 entries, head {head}; the given head is the "
        "newest entry\n"
    )
    run("-w", ws, "source", "set", "j", "--kind", "media", check=True)
    later = run("-w", ws, "audit", "verify", "--head", head, check=True)
    assert later.stderr.endswith("; 1 entry after the given head\n")
    bad = run("-w", ws, "audit", "verify", "--head", "f" * 64)
    assert bad.returncode == 1
    assert bad.stderr == (
        "Error: audit chain broken: the kept head is not in the chain: the log was "
        "rewritten and rechained (every hash after an edit recomputed), or cut "
        "after that head, or the head is of another register\n"
    )


def test_import_summary_on_stdout(ws: Path) -> None:
    proc = run(
        "-w", ws, "import", DATA / "good" / "latin.jsonl", "--source", "l", check=True
    )
    assert proc.stdout == (
        "latin.jsonl: 2 rows, 2 imported, 0 already in the register, 0 refused, "
        "0 warnings\n"
    )
    again = run(
        "-w", ws, "import", DATA / "good" / "latin.jsonl", "--source", "l", check=True
    )
    assert (
        again.stderr
        == "latin.jsonl: already imported for this source; nothing changed\n"
    )


def _big_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("record_id,full_name,age,date_of_death,city\n")
        for i in range(rows):
            handle.write(
                f"r{i},Testname{i} Example,{20 + i % 40},2019-11-16,Testcity\n"
            )


def test_import_killed_halfway_leaves_register_as_before(
    ws: Path, tmp_path: Path
) -> None:
    big = tmp_path / "big.csv"
    _big_csv(big, 300_000)
    before = status(ws)
    env = {**os.environ, "ABAN_PASSPHRASE": PASSPHRASE}
    proc = subprocess.Popen(
        [*ABAN, "-w", str(ws), "import", str(big), "--source", "big"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    journal = ws / "register.db-journal"
    deadline = time.monotonic() + 60
    while not journal.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    assert journal.exists(), "the import never started writing"
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert status(ws) == before
    run("-w", ws, "audit", "verify", check=True)
    # and the same import, run to the end, then works
    run("-w", ws, "import", big, "--source", "big", check=True)
    assert status(ws)["records"] == 300_000
