"""aban evidence as a user runs it: real subprocesses, stdout, stderr, exit codes."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from PIL import Image

from aban.store.workspace import create_workspace
from tests.cli.helpers import run, run_at_terminal
from tests.conftest import PASSPHRASE
from tests.evidence.test_derivative import exif_jpeg
from tests.grade.helpers import add_source, link, person_of

GIVER = "Zqxgiver Testi"
HEAD = "audit head: "


@pytest.fixture
def ws(tmp_path: Path) -> tuple[Path, str]:
    """A workspace with one linked person; returns its folder and person id."""
    path = tmp_path / "ws"
    with create_workspace(path, PASSPHRASE) as workspace:
        add_source(
            workspace,
            tmp_path,
            "ngo",
            [
                {
                    "record_id": "n1",
                    "given_name": "Aram",
                    "family_name": "Testi",
                    "status": "killed",
                },
            ],
        )
        link(workspace)
        person = person_of(workspace, "ngo", "n1")
    return path, person


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if not line.startswith(HEAD)]


def test_add_list_verify(ws: tuple[Path, str], tmp_path: Path) -> None:
    path, person = ws
    photo = tmp_path / "portrait.jpg"
    photo.write_bytes(exif_jpeg())
    sha = hashlib.sha256(photo.read_bytes()).hexdigest()
    proc = run(
        "-w",
        path,
        "evidence",
        "add",
        photo,
        "--kind",
        "portrait",
        "--person",
        person,
        "--from",
        GIVER,
        "--publishable",
    )
    assert proc.returncode == 0
    assert proc.stdout == f"E000001\t{sha}\n"
    assert _lines(proc.stderr) == [
        f"E000001: added; portrait, {photo.stat().st_size:,} bytes",
        "E000001: linked; run 'aban grade' to update grades",
        "E000001: custody event 1 recorded",
        "E000001: metadata-free copy kept",
    ]
    assert proc.stderr.splitlines()[-1].startswith(HEAD)
    again = run("-w", path, "evidence", "add", photo, "--kind", "portrait", "--json")
    data = json.loads(again.stdout)
    assert (data["evidence_id"], data["new"], data["linked"]) == (
        "E000001",
        False,
        False,
    )
    assert _lines(again.stderr)[0] == (
        "E000001: already in the vault (same SHA-256); portrait, "
        f"{photo.stat().st_size:,} bytes"
    )
    listed = run("-w", path, "evidence", "list", "--json", check=True)
    (item,) = json.loads(listed.stdout)
    assert item == {
        "id": "E000001",
        "sha256": sha,
        "kind": "portrait",
        "size": photo.stat().st_size,
        "publishable": True,
        "derivative": True,
        "added_at": item["added_at"],
        "persons": [person],
        "records": 0,
        "custody_events": 1,
    }
    assert GIVER not in listed.stdout and "portrait.jpg" not in listed.stdout
    shown = run("-w", path, "evidence", "list", "--json", "--show-protected")
    (item,) = json.loads(shown.stdout)
    assert item["original_name"] == "portrait.jpg"
    assert [c["from"] for c in item["custody"]] == [GIVER]
    table = run("-w", path, "evidence", "list", check=True)
    assert "E000001" in table.stdout and GIVER not in table.stdout
    verify = run("-w", path, "evidence", "verify")
    assert (verify.returncode, verify.stdout) == (0, "")
    assert verify.stderr == (
        "evidence vault intact: 1 items, 2 blobs, "
        f"{item['size'] + _copy_size(path):,} bytes checked\n"
    )


def _copy_size(path: Path) -> int:
    from aban.store.workspace import open_workspace

    with open_workspace(path, PASSPHRASE) as workspace:
        (size,) = workspace.conn.execute(
            "select size from evidence_derivatives"
        ).fetchone()
    return int(size)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--kind", "selfie"],
            "unknown evidence kind 'selfie': use one of video, "
            "verified_video, photo, portrait, death_certificate, burial_certificate, "
            "testimony, document",
        ),
        (
            ["--kind", "video", "--person", "P000404"],
            "no person P000404 in the register: check the id, or run 'aban link' first",
        ),
        (
            ["--kind", "video", "--record", "ngo:n404"],
            "no record ngo:n404 in the "
            "register: give SOURCE:RECORD_ID, the source's name and the record_id of "
            "its file",
        ),
    ],
)
def test_one_line_errors(
    ws: tuple[Path, str], tmp_path: Path, args: list[str], message: str
) -> None:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"video")
    proc = run("-w", ws[0], "evidence", "add", clip, *args)
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, "", f"Error: {message}\n")


def test_unreadable_file(ws: tuple[Path, str], tmp_path: Path) -> None:
    proc = run(
        "-w", ws[0], "evidence", "add", tmp_path / "Zqxmissing.mp4", "--kind", "video"
    )
    assert (proc.returncode, proc.stdout) == (1, "")
    assert proc.stderr == (
        "Error: cannot read the evidence file (No such file or directory): check "
        "the path and its permissions\n"
    )


def test_verify_names_damaged_items(ws: tuple[Path, str], tmp_path: Path) -> None:
    path = ws[0]
    for name in ("a.bin", "b.bin"):
        (tmp_path / name).write_bytes(name.encode() * 1000)
        run(
            "-w",
            path,
            "evidence",
            "add",
            tmp_path / name,
            "--kind",
            "document",
            check=True,
        )
    blobs = sorted((path / "evidence").iterdir(), key=lambda p: p.stat().st_mtime_ns)
    data = bytearray(blobs[0].read_bytes())
    data[100] ^= 1
    blobs[0].write_bytes(bytes(data))
    blobs[1].unlink()
    proc = run("-w", path, "evidence", "verify")
    assert proc.returncode == 1
    assert proc.stdout == (
        "E000001: chunk 0 does not decrypt: the blob was altered, truncated or "
        f"reordered\nE000002: blob missing (evidence/{blobs[1].name})\n"
    )
    assert proc.stderr == (
        "Error: 2 problem(s) in the evidence vault: restore the named blobs from a "
        "backup of the workspace\n"
    )
    as_json = run("-w", path, "evidence", "verify", "--json")
    assert as_json.returncode == 1
    assert [p["item"] for p in json.loads(as_json.stdout)["problems"]] == [
        "E000001",
        "E000002",
    ]


def test_custody_flags_and_copy(ws: tuple[Path, str], tmp_path: Path) -> None:
    path = ws[0]
    clip, photo = tmp_path / "clip.mp4", tmp_path / "p.jpg"
    clip.write_bytes(b"video")
    photo.write_bytes(exif_jpeg())
    run("-w", path, "evidence", "add", clip, "--kind", "video", check=True)
    run("-w", path, "evidence", "add", photo, "--kind", "photo", check=True)
    proc = run(
        "-w",
        path,
        "evidence",
        "custody",
        "E1",
        "--from",
        GIVER,
        "--by",
        "archivist",
        "--at",
        "2019-12-02",
    )
    assert proc.returncode == 0 and proc.stdout == ""
    assert _lines(proc.stderr) == ["E000001: custody event 3 recorded"]
    proc = run("-w", path, "evidence", "verified", "E1", "--yes")
    assert _lines(proc.stderr) == [
        "E000001: kind verified_video; run 'aban grade' to update grades"
    ]
    proc = run("-w", path, "evidence", "verified", "E2", "--yes")
    assert (proc.returncode, proc.stderr) == (
        1,
        "Error: E000002 is of kind 'photo': only videos are marked verified\n",
    )
    out = tmp_path / "public.jpg"
    proc = run("-w", path, "evidence", "export-derivative", "E2", out)
    assert proc.returncode == 1 and not out.exists()
    assert proc.stderr.startswith("Error: E000002 is not marked publishable")
    proc = run("-w", path, "evidence", "publishable", "E2")
    assert proc.returncode == 2 and proc.stderr.endswith("Error: give --yes or --no\n")
    run("-w", path, "evidence", "publishable", "E2", "--yes", check=True)
    proc = run("-w", path, "evidence", "export-derivative", "E2", out)
    assert proc.returncode == 0 and proc.stderr.startswith("wrote ")
    with Image.open(io.BytesIO(out.read_bytes())) as image:
        assert image.format == "JPEG" and dict(image.getexif()) == {}
    proc = run("-w", path, "evidence", "publishable", "E1", "--yes")
    assert _lines(proc.stderr) == [
        "E000001: publishable (no file copy: a verified_video is not published as a "
        "file)"
    ]


# Issue 13, item 7: givers, receivers and notes could only be given as arguments,
# which stay in shell history and show in the process list.
NOTE = "Zqxnote handed over at the gate"
RECEIVER = "Zqxreceiver Testi"


def _custody(path: Path) -> list[tuple[str | None, str | None, str | None]]:
    shown = run("-w", path, "evidence", "list", "--json", "--show-protected")
    return [
        (event["from"], event["by"], event["note"])
        for item in json.loads(shown.stdout)
        for event in item["custody"]
    ]


def test_protected_values_piped_in_or_from_a_file(
    ws: tuple[Path, str], tmp_path: Path
) -> None:
    path = ws[0]
    doc = tmp_path / "testimony.txt"
    doc.write_bytes(b"synthetic testimony")
    proc = run(
        "-w",
        path,
        "evidence",
        "add",
        doc,
        "--kind",
        "testimony",
        "--from",
        "-",
        stdin=GIVER + "\n",
    )
    assert proc.returncode == 0, proc.stderr
    assert GIVER not in proc.stdout + proc.stderr
    note = tmp_path / "note.txt"
    note.write_text(NOTE + "\nsecond line\n", encoding="utf-8")
    proc = run(
        "-w",
        path,
        "evidence",
        "custody",
        "E1",
        "--by",
        "-",
        "--note-file",
        note,
        stdin=RECEIVER,
    )
    assert proc.returncode == 0, proc.stderr
    assert _custody(path) == [
        (GIVER, None, None),
        (None, RECEIVER, NOTE + "\nsecond line"),
    ]
    two = run(
        "-w",
        path,
        "evidence",
        "custody",
        "E1",
        "--from",
        "-",
        "--by",
        "-",
        stdin="a\nb\n",
    )
    assert two.returncode == 2
    assert two.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--by': only one value can come from standard "
        "input; type the others at a terminal, or give the note with --note-file"
    )
    both = run(
        "-w",
        path,
        "evidence",
        "custody",
        "E1",
        "--by",
        "x",
        "--note",
        "n",
        "--note-file",
        note,
    )
    assert both.returncode == 2
    assert both.stderr.splitlines()[-1] == "Error: give --note or --note-file, not both"
    assert len(_custody(path)) == 2


def test_protected_values_at_a_hidden_prompt(
    ws: tuple[Path, str], tmp_path: Path
) -> None:
    path = ws[0]
    doc = tmp_path / "testimony.txt"
    doc.write_bytes(b"synthetic testimony")
    code, shown = run_at_terminal(
        "-w",
        path,
        "evidence",
        "add",
        doc,
        "--kind",
        "testimony",
        "--from",
        "-",
        "--by",
        "-",
        "--note",
        "-",
        answers=[GIVER, RECEIVER, NOTE],
    )
    assert code == 0, shown
    assert "Who handed it over" in shown and "Custody note" in shown
    for typed in (GIVER, RECEIVER, NOTE):
        assert typed not in shown  # not echoed
    assert _custody(path) == [(GIVER, RECEIVER, NOTE)]


def test_help_says_arguments_are_seen() -> None:
    for command in ("add", "custody"):
        proc = run("evidence", command, "--help")
        text = " ".join(proc.stdout.split())
        assert "shell history" in text and "--note-file" in text, command
