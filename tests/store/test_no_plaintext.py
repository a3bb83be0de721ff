"""Nothing readable on disk: the workspace and the temp folder hold no canary value."""

from __future__ import annotations

from pathlib import Path

from aban.vocab.columns import ALL_COLUMNS
from tests.cli.helpers import run

LATIN = "Zqxcanarylatin"
PERSIAN = "زقکناریآزمون"


def _canary_file(path: Path) -> list[str]:
    canaries = []
    header = [
        c
        for c in ALL_COLUMNS
        if c not in ("sex", "age", "birth_date", "date_of_death", "status", "source")
    ]
    rows = []
    for i, script in enumerate((LATIN, PERSIAN)):
        cells = []
        for column in header:
            value = f"r{i}" if column == "record_id" else f"{script}{column[:3]}"
            cells.append(value)
            if column != "record_id":
                canaries.append(value)
        rows.append(",".join(cells))
    path.write_text(",".join(header) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return canaries


def _files(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in folder.rglob("*") if p.is_file()]


def test_no_canary_in_workspace_or_temp(tmp_path: Path) -> None:
    ws, temp, inbox = tmp_path / "ws", tmp_path / "tmp", tmp_path / "inbox"
    temp.mkdir()
    inbox.mkdir()
    canaries = _canary_file(inbox / "list.csv")
    run("init", ws, tmpdir=temp, check=True)
    run(
        "-w",
        ws,
        "import",
        inbox / "list.csv",
        "--source",
        "canary",
        tmpdir=temp,
        check=True,
    )
    run("-w", ws, "status", tmpdir=temp, check=True)
    files = _files(ws, temp)
    assert any(p.name == "register.db" for p in files)
    for path in files:
        data = path.read_bytes()
        for canary in canaries + [LATIN, PERSIAN]:
            for encoded in (canary.encode("utf-8"), canary.encode("utf-16-le")):
                assert encoded not in data, f"plaintext found in {path.name}"
    # the input itself does contain them: the check can fail
    assert LATIN.encode() in (inbox / "list.csv").read_bytes()
