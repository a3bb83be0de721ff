"""aban person merge and split as a user runs them (issue 18: the command line
does what the web app's corrections page does, through the same functions)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aban.store.workspace import create_workspace, open_workspace
from tests.cli.helpers import run
from tests.conftest import PASSPHRASE
from tests.grade.helpers import add_source, person_of, two_arams

NOTE = "same funeral notice"


@pytest.fixture
def linked(tmp_path: Path) -> Path:
    """Aram in two sources (one person); 'Aramm' a person of its own."""
    return two_arams(tmp_path)


def _persons(path: Path) -> tuple[str, str, str]:
    with open_workspace(path, PASSPHRASE) as ws:
        return tuple(  # type: ignore[return-value]
            person_of(ws, s, r)
            for s, r in (("ngo", "n1"), ("press", "p1"), ("press", "p2"))
        )


def _last_audit(path: Path) -> tuple[str, str, dict[str, object], str]:
    with open_workspace(path, PASSPHRASE) as ws:
        action, actor, detail, digest = ws.conn.execute(
            "select action, actor, detail, hash from audit order by seq desc limit 1"
        ).fetchone()
    return action, actor, json.loads(detail), digest


def _decisions(path: Path) -> list[tuple[str, str, str, str | None]]:
    with open_workspace(path, PASSPHRASE) as ws:
        return [
            tuple(row)
            for row in ws.conn.execute(
                "select a.record_id, b.record_id, d.decision, d.note "
                "from link_decisions d join records a on a.id = d.record_a "
                "join records b on b.id = d.record_b order by d.id"
            )
        ]


def test_merge_stores_matches_and_audits_them(linked: Path) -> None:
    aram, _, aramm = _persons(linked)
    proc = run(
        "-w", linked, "person", "merge", aram, aramm, "--note", NOTE,
        env={"ABAN_ACTOR": "analyst-a"},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    action, actor, detail, head = _last_audit(linked)
    assert proc.stdout == ""
    assert proc.stderr == (
        f"merge of {aram} and {aramm}: 2 link decisions stored; it takes effect at "
        f"the next 'aban link'\naudit head: {head}\n"
    )
    assert (action, actor) == ("person-merge", "analyst-a")
    assert detail == {"persons": [aram, aramm], "records": 3, "decisions": [1, 2]}
    assert NOTE not in json.dumps(detail)
    # A star on the first record: the note kept on each decision, not in the audit.
    assert _decisions(linked) == [
        ("n1", "p1", "match", NOTE),
        ("n1", "p2", "match", NOTE),
    ]
    again = run("-w", linked, "person", "merge", aram, aramm, "--note", NOTE)
    assert again.returncode == 0, again.stderr
    assert again.stderr.startswith(f"merge of {aram} and {aramm}: 0 link decisions")


def test_split_stores_non_matches_and_audits_them(linked: Path) -> None:
    aram, _, _ = _persons(linked)
    proc = run("-w", linked, "person", "split", "press:p1", "--note", "another age")
    assert proc.returncode == 0, proc.stderr
    action, _, detail, head = _last_audit(linked)
    assert proc.stderr == (
        f"split of {aram}: 1 link decisions stored; it takes effect at the next "
        f"'aban link'\naudit head: {head}\n"
    )
    assert action == "person-split"
    assert detail["person"] == aram and len(detail["decisions"]) == 1  # type: ignore[arg-type]
    assert _decisions(linked) == [("n1", "p1", "non_match", "another age")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("merge", "P999999", "P000001"),
            "Error: no person P999999 in the register: check the id, or run "
            "'aban link' first",
        ),
        (
            ("merge", "Aram Testi", "P000001"),
            "Error: not a person id: person ids look like P000123 ('aban grade "
            "--json' lists contested ones)",
        ),
        (
            ("split", "press:nope"),
            "Error: no record press:nope in the register: give SOURCE:RECORD_ID, "
            "the source's name and the record_id of its file",
        ),
        (
            ("split", "Aram Testi"),
            "Error: not a record: give SOURCE:RECORD_ID, the source's name and the "
            "record_id of its file",
        ),
        (
            ("split", "press:p2"),
            "Error: record press:p2 is the only record of {aramm}: nothing to "
            "split it from",
        ),
    ],
)
def test_bad_ids_are_one_line(
    linked: Path, args: tuple[str, ...], message: str
) -> None:
    _, _, aramm = _persons(linked)
    proc = run("-w", linked, "person", *args, "--note", NOTE)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr == message.format(aramm=aramm) + "\n"
    assert "Aram Testi" not in proc.stderr
    assert _decisions(linked) == []


def test_merge_with_itself_and_without_a_note(linked: Path) -> None:
    aram, _, _ = _persons(linked)
    same = run("-w", linked, "person", "merge", aram, aram, "--note", NOTE)
    assert (same.returncode, same.stderr) == (
        1,
        f"Error: {aram} and {aram} are the same person\n",
    )
    bare = run("-w", linked, "person", "merge", aram, "P000002")
    assert bare.returncode == 2
    assert bare.stderr.endswith(
        "Error: say why: give --note TEXT (- to type it unseen)\n"
    )
    assert _decisions(linked) == []


def test_the_note_typed_unseen_from_standard_input(linked: Path) -> None:
    aram, _, aramm = _persons(linked)
    proc = run("-w", linked, "person", "merge", aram, aramm, "--note", "-", stdin=NOTE)
    assert proc.returncode == 0, proc.stderr
    assert {note for *_, note in _decisions(linked)} == {NOTE}


@pytest.fixture
def apart(tmp_path: Path) -> Path:
    """Aram in two sources and Kian, another person, linked by the real engine."""
    path = tmp_path / "ws"
    with create_workspace(path, PASSPHRASE) as ws:
        aram = {"full_name": "Aram Testi", "city": "Shiraz", "age": "24"}
        add_source(ws, tmp_path, "ngo", [{"record_id": "n1", **aram}])
        rows = [
            {"record_id": "p1", **aram},
            {"record_id": "p2", "full_name": "Kian Varzan", "city": "Tabriz"},
        ]
        add_source(ws, tmp_path, "press", rows)
    run("-w", path, "link", check=True)
    return path


def test_the_decisions_hold_after_aban_link(apart: Path) -> None:
    aram, same, kian = _persons(apart)
    assert aram == same != kian  # the engine alone
    run("-w", apart, "person", "merge", aram, kian, "--note", NOTE, check=True)
    run("-w", apart, "link", check=True)
    assert len(set(_persons(apart))) == 1
    run("-w", apart, "link", check=True)
    assert len(set(_persons(apart))) == 1
    # the split overrides the merge's match with the record split off
    run("-w", apart, "person", "split", "press:p2", "--note", "x", check=True)
    for _ in range(2):
        run("-w", apart, "link", check=True)
        aram, same, kian = _persons(apart)
        assert aram == same != kian
    verify = run("-w", apart, "audit", "verify")
    assert verify.returncode == 0, verify.stderr
