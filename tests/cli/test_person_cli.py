"""aban person consent, discount and restore as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aban.store.workspace import open_workspace
from tests.cli.helpers import run, status
from tests.conftest import PASSPHRASE
from tests.grade.helpers import link, person_of, two_arams


@pytest.fixture
def linked(tmp_path: Path) -> Path:
    """Aram in two independent sources; his duplicate 'Aramm' in one."""
    return two_arams(tmp_path)


def _ids(path: Path) -> tuple[str, str]:
    with open_workspace(path, PASSPHRASE) as ws:
        return person_of(ws, "ngo", "n1"), person_of(ws, "press", "p2")


def _audit(path: Path) -> tuple[str, dict[str, object], str]:
    with open_workspace(path, PASSPHRASE) as ws:
        action, detail, digest = ws.conn.execute(
            "select action, detail, hash from audit order by seq desc limit 1"
        ).fetchone()
    return action, json.loads(detail), digest


def test_consent(linked: Path) -> None:
    aram, _ = _ids(linked)
    proc = run("-w", linked, "person", "consent", aram, "public-without-name")
    assert proc.returncode == 0, proc.stderr
    action, detail, digest = _audit(linked)
    assert proc.stdout == ""
    assert proc.stderr == (
        f"{aram}: consent public-without-name\naudit head: {digest}\n"
    )
    assert (action, detail) == (
        "person-consent",
        {"person": aram, "consent": "public-without-name"},
    )
    with open_workspace(linked, PASSPHRASE) as ws:
        assert ws.conn.execute(
            "select consent from persons where person_id = ?", (aram,)
        ).fetchone() == ("public-without-name",)
    bad = run("-w", linked, "person", "consent", aram, "maybe")
    assert bad.returncode == 2
    assert "Invalid value for '{public|public-without-name|withheld}'" in bad.stderr


def test_discount_and_restore(linked: Path) -> None:
    run("-w", linked, "grade", check=True)
    _, dup = _ids(linked)
    assert status(linked)["persons_by_grade"]["single-source"] == 1
    proc = run(
        "-w",
        linked,
        "person",
        "discount",
        dup,
        "--reason",
        "duplicate",
        "--note",
        "same as the ngo record",
    )
    assert proc.returncode == 0, proc.stderr
    action, detail, digest = _audit(linked)
    assert proc.stderr == (
        f"{dup}: discounted/duplicate: reviewer decision 1\naudit head: {digest}\n"
    )
    assert action == "person-discount" and detail["reason"] == "duplicate"
    by_grade = status(linked)["persons_by_grade"]
    assert (by_grade["discounted"], by_grade["single-source"]) == (1, 0)
    graded = json.loads(run("-w", linked, "grade", "--json", check=True).stdout)
    assert (graded["minimum"], graded["upper"]) == (1, 1)
    # The decision survives a re-link (the fake engine links the same way again).
    with open_workspace(linked, PASSPHRASE) as ws:
        link(ws)
    graded = json.loads(run("-w", linked, "grade", "--json", check=True).stdout)
    assert graded["persons_by_grade"]["discounted"] == 1
    assert graded["lapsed_decisions"] == []
    proc = run("-w", linked, "person", "restore", dup)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.startswith(
        f"{dup}: single-source/single: 1 independent source (2 needed to "
        "corroborate)\naudit head: "
    )
    assert status(linked)["persons_by_grade"]["discounted"] == 0
    again = run("-w", linked, "person", "restore", dup)
    assert again.returncode == 1
    assert again.stderr == f"Error: person {dup} is not discounted: nothing to undo\n"


def test_unknown_person_is_one_line(linked: Path) -> None:
    for args in (
        ("consent", "P999999", "public"),
        ("discount", "P999999", "--reason", "unrelated"),
        ("restore", "P999999"),
    ):
        proc = run("-w", linked, "person", *args)
        assert proc.returncode == 1, args
        assert proc.stderr == (
            "Error: no person P999999 in the register: check the id, or run "
            "'aban link' first\n"
        )
    proc = run("-w", linked, "person", "consent", "Aram Testi", "public")
    assert proc.returncode == 1
    assert "Aram" not in proc.stderr
    missing = run("-w", linked, "person", "discount", "P000001")
    assert missing.returncode == 2
    assert "Missing option '--reason'" in missing.stderr


def _decision_note(path: Path) -> str | None:
    with open_workspace(path, PASSPHRASE) as ws:
        (note,) = ws.conn.execute(
            "select note from grade_decisions order by id desc limit 1"
        ).fetchone()
    return note  # type: ignore[no-any-return]


def test_discount_note_piped_in_or_from_a_file(linked: Path, tmp_path: Path) -> None:
    # Issue 13, item 7: the note could only be an argument (shell history, ps).
    _, dup = _ids(linked)
    note = "Zqxnote: same family, other spelling"
    proc = run(
        "-w",
        linked,
        "person",
        "discount",
        dup,
        "--reason",
        "duplicate",
        "--note",
        "-",
        stdin=note + "\n",
    )
    assert proc.returncode == 0, proc.stderr
    assert note not in proc.stderr
    assert _decision_note(linked) == note
    run("-w", linked, "person", "restore", dup, check=True)
    path = tmp_path / "note.txt"
    path.write_text("Zqxfile note\n", encoding="utf-8")
    proc = run(
        "-w",
        linked,
        "person",
        "discount",
        dup,
        "--reason",
        "duplicate",
        "--note-file",
        path,
    )
    assert proc.returncode == 0, proc.stderr
    assert _decision_note(linked) == "Zqxfile note"
    text = " ".join(run("person", "discount", "--help").stdout.split())
    assert "shell history" in text and "--note-file" in text


def test_story(linked: Path, tmp_path: Path) -> None:
    aram, _ = _ids(linked)
    bio_fa = tmp_path / "bio.fa.txt"
    bio_fa.write_text("آموزگار بود.\n\nدو فرزند داشت.\n", encoding="utf-8")
    bio_en = tmp_path / "bio.en.txt"
    bio_en.write_text("A teacher.", encoding="utf-8")
    args = ("-w", linked, "person", "story", aram)
    proc = run(*args, "--bio-fa", bio_fa, "--bio-en", bio_en)
    assert proc.returncode == 0, proc.stderr
    action, detail, digest = _audit(linked)
    assert proc.stderr == (
        f"{aram}: story written (biography_en, biography_fa)\naudit head: {digest}\n"
    )
    assert (action, detail) == (
        "person-story",
        {"person": aram, "parts": ["biography_en", "biography_fa"]},
    )
    with open_workspace(linked, PASSPHRASE) as ws:
        assert ws.conn.execute(
            "select biography_fa, circumstances_en from person_stories"
        ).fetchall() == [("آموزگار بود.\n\nدو فرزند داشت.", None)]
    wrong = run(*args, "--bio-fa", bio_en)
    assert (wrong.returncode, wrong.stderr) == (
        1,
        "Error: biography_fa: no Persian letters; give the Persian text\n",
    )
    nothing = run(*args)
    assert nothing.returncode == 2
    assert "give a part of the story (--bio-fa FILE...) or --clear" in nothing.stderr
    cleared = run(*args, "--clear")
    assert cleared.returncode == 0, cleared.stderr
    with open_workspace(linked, PASSPHRASE) as ws:
        assert ws.conn.execute("select count(*) from person_stories").fetchone() == (0,)
