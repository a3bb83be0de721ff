"""The tamper matrix (issue 13): every change an insider with the passphrase makes
behind aban's back is reported by ``aban audit verify --head`` as a user runs it:
exit 1, one line on stderr naming the table and row, no personal data.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli.helpers import run
from tests.store.tamper import CANARIES, TAMPERS, Tamper, build_register, raw


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The filled register (do not change it) and its head."""
    return build_register(tmp_path_factory.mktemp("tamper"))


@pytest.fixture
def register(template: tuple[Path, str], tmp_path: Path) -> tuple[Path, str]:
    """A private copy of the filled register, and its head."""
    path = tmp_path / "ws"
    shutil.copytree(template[0], path)
    return path, template[1]


def _one_line_without_personal_data(text: str) -> str:
    assert text.count("\n") == 1, text
    assert not any(c.lower() in text.lower() for c in CANARIES), text
    return text


def test_the_untouched_register_verifies(register: tuple[Path, str]) -> None:
    path, head = register
    proc = run("-w", path, "audit", "verify", "--head", head)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.startswith("audit chain intact: ")
    assert run("-w", path, "evidence", "verify").returncode == 0


@pytest.mark.parametrize("tamper", TAMPERS, ids=lambda t: t.name)
def test_a_change_behind_abans_back_is_reported(
    register: tuple[Path, str], tamper: Tamper
) -> None:
    path, head = register
    conn = raw(path)
    tamper.change(conn, path)
    conn.close()
    proc = run("-w", path, "audit", "verify", "--head", head)
    assert proc.returncode == 1, proc.stderr
    line = _one_line_without_personal_data(proc.stderr)
    assert line.startswith("Error: ")
    for words in tamper.expected:
        assert words in line, line


SEALED_OVER = [
    (
        "update sources set protected = 0 where name = 'witness_a'",
        ("source", "set", "witness_a", "--group", "g1"),
        "sources row 2: changed without an audit entry before entry 19 wrote it "
        "(entry 4 recorded it last)",
    ),
    (
        "update persons set consent = 'public' where person_id = 'P000002'",
        ("person", "consent", "P000002", "withheld"),
        "persons P000002: consent changed without an audit entry before entry 19 "
        "wrote it (no entry recorded it before)",
    ),
    (
        "update persons set grade = 'confirmed' where person_id = 'P000002'",
        ("person", "discount", "P000001", "--reason", "unrelated"),
        "persons rows 0-1023: grades changed without an audit entry before entry "
        "19 wrote them (entry 9 recorded them last)",
    ),
]


@pytest.mark.parametrize(("change", "command", "expected"), SEALED_OVER)
def test_a_change_sealed_over_by_a_later_write_is_still_reported(
    register: tuple[Path, str], change: str, command: tuple[str, ...], expected: str
) -> None:
    # A write through aban seals the row as it finds it: its entry holds the seal
    # the row had before, which is not the one the log left it with.
    path, head = register
    conn = raw(path)
    conn.execute(change)
    conn.close()
    run("-w", path, *command, check=True)
    proc = run("-w", path, "audit", "verify", "--head", head)
    assert proc.returncode == 1
    line = _one_line_without_personal_data(proc.stderr)
    assert line.startswith(f"Error: register changed outside aban: {expected}")


def test_evidence_verify_checks_the_hash_its_intake_entry_recorded(
    register: tuple[Path, str],
) -> None:
    path, _ = register
    conn = raw(path)
    swap = next(t for t in TAMPERS if t.name.startswith("evidence content"))
    swap.change(conn, path)
    conn.close()
    proc = run("-w", path, "evidence", "verify")
    assert proc.returncode == 1
    _one_line_without_personal_data(proc.stderr)
    assert proc.stdout == (
        "E000001: SHA-256 in the register differs from the one its intake "
        f"recorded (audit entry {_intake_entry(path)})\n"
    )


def _intake_entry(path: Path) -> int:
    conn = raw(path)
    (seq,) = conn.execute(
        "select seq from audit where action = 'evidence-add' order by seq limit 1"
    ).fetchone()
    conn.close()
    return int(seq)
