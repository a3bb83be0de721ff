"""Nothing readable on disk: a file's content, its name and its giver never appear
in any byte under the workspace or the temp folder."""

from __future__ import annotations

from pathlib import Path

from tests.cli.helpers import run
from tests.evidence.test_derivative import exif_jpeg

CONTENT = "Zqxcanarycontent"
GIVER = "Zqxcanarygiver"
GIVER_FA = "زقکناریدهنده"
NAME = "Zqxcanaryfilename"
NOTE = "Zqxcanarynote"


def _files(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in folder.rglob("*") if p.is_file()]


def test_no_canary_in_workspace_or_temp(tmp_path: Path) -> None:
    ws, temp, inbox = tmp_path / "ws", tmp_path / "tmp", tmp_path / "inbox"
    temp.mkdir()
    inbox.mkdir()
    text = inbox / f"{NAME}.txt"
    text.write_text((CONTENT + " testimony\n") * 5000, encoding="utf-8")
    photo = inbox / f"{NAME}-photo.jpg"
    photo.write_bytes(exif_jpeg()[:-2] + CONTENT.encode() + b"\xff\xd9")
    run("init", ws, tmpdir=temp, check=True)
    run(
        "-w",
        ws,
        "evidence",
        "add",
        text,
        "--kind",
        "testimony",
        "--from",
        GIVER,
        "--by",
        GIVER_FA,
        "--note",
        NOTE,
        tmpdir=temp,
        check=True,
    )
    run(
        "-w",
        ws,
        "evidence",
        "add",
        photo,
        "--kind",
        "photo",
        "--publishable",
        "--from",
        GIVER_FA,
        tmpdir=temp,
        check=True,
    )
    run(
        "-w",
        ws,
        "evidence",
        "custody",
        "E1",
        "--from",
        GIVER,
        "--note",
        NOTE,
        tmpdir=temp,
        check=True,
    )
    listed = run("-w", ws, "evidence", "list", "--json", tmpdir=temp, check=True)
    run("-w", ws, "evidence", "verify", tmpdir=temp, check=True)
    files = _files(ws, temp)
    assert len([p for p in files if p.parent.name == "evidence"]) == 3
    canaries = (CONTENT, GIVER, GIVER_FA, NAME, NOTE)
    for path in files:
        data = path.read_bytes()
        for canary in canaries:
            for encoded in (canary.encode("utf-8"), canary.encode("utf-16-le")):
                assert encoded not in data, f"plaintext found in {path.name}"
    for canary in canaries:
        assert canary not in listed.stdout and canary not in listed.stderr
    # the inputs do hold them: the check can fail
    assert (
        CONTENT.encode() in text.read_bytes() and CONTENT.encode() in photo.read_bytes()
    )
