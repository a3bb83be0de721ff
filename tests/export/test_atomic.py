"""Where an export may be written, and that it is written whole or not at all."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from aban.errors import ConfigError
from aban.export import export_workspace, parse_build_time
from aban.store.workspace import Workspace, open_workspace
from tests.conftest import PASSPHRASE

BUILD = parse_build_time("2020-06-01")


@pytest.fixture
def ws(canary_ws: Path) -> Iterator[Workspace]:
    with open_workspace(canary_ws, PASSPHRASE) as workspace:
        yield workspace


def audit_entries(ws: Workspace) -> int:
    return int(ws.conn.execute("select count(*) from audit").fetchone()[0])


def siblings(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def test_csv_writes_a_private_folder_of_tables_readme_and_manifest(
    ws: Workspace, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "csv"
    result = export_workspace(ws, "csv", out, build_time=BUILD)
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        ["README.md", "METHODOLOGY.md", "manifest.json"]
        + [f"{t}.csv" for t in result.rows]
    )
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in out.iterdir())
    assert siblings(out) == ["csv"]  # no temporary folder left
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["kind"] == "csv"


def test_refuses_a_non_empty_folder_and_an_existing_file(
    ws: Workspace, tmp_path: Path
) -> None:
    folder, file = tmp_path / "out" / "csv", tmp_path / "out" / "b.zip"
    export_workspace(ws, "csv", folder, build_time=BUILD)
    export_workspace(ws, "bundle", file, build_time=BUILD)
    entries, before = audit_entries(ws), file.read_bytes()
    with pytest.raises(ConfigError) as err:
        export_workspace(ws, "csv", folder)
    assert (
        str(err.value) == f"{folder}: folder is not empty; choose another, or --force"
    )
    with pytest.raises(ConfigError) as err:
        export_workspace(ws, "bundle", file)
    assert str(err.value) == f"{file}: file exists; choose another name, or --force"
    with pytest.raises(ConfigError, match="is a folder"):
        export_workspace(ws, "json", folder)
    with pytest.raises(ConfigError, match="not a folder"):
        export_workspace(ws, "csv", file)
    assert audit_entries(ws) == entries and file.read_bytes() == before


def test_force_replaces_an_earlier_export_only(ws: Workspace, tmp_path: Path) -> None:
    folder, file = tmp_path / "out" / "csv", tmp_path / "out" / "e.json"
    export_workspace(ws, "csv", folder, full=True, build_time=BUILD)
    export_workspace(ws, "json", file, full=True, build_time=BUILD)
    export_workspace(ws, "csv", folder, force=True, build_time=BUILD)
    export_workspace(ws, "json", file, force=True, build_time=BUILD)
    assert "informant" not in (folder / "records.csv").read_text("utf-8-sig")
    assert json.loads(file.read_text("utf-8"))["full"] is False
    assert siblings(folder) == ["csv", "e.json"]
    (folder / "mine.txt").write_text("not an export")
    with pytest.raises(ConfigError) as err:
        export_workspace(ws, "csv", folder, force=True)
    assert str(err.value) == (
        f"{folder}: folder holds files that are not from an export; "
        "choose a new or empty folder"
    )
    assert (folder / "mine.txt").read_text() == "not an export"


def test_an_empty_folder_is_used(ws: Workspace, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    export_workspace(ws, "csv", tmp_path / "empty", build_time=BUILD)
    assert (tmp_path / "empty" / "records.csv").is_file()
    assert siblings(tmp_path / "empty") == ["empty", "ws"]


def test_refuses_to_write_inside_the_workspace(ws: Workspace) -> None:
    with pytest.raises(ConfigError, match="inside the workspace"):
        export_workspace(ws, "bundle", ws.path / "exports" / "b.zip")
    assert not (ws.path / "exports").exists()


@pytest.mark.parametrize(
    ("kind", "name"), [("csv", "csv"), ("json", "e.json"), ("bundle", "b.zip")]
)
def test_a_failure_leaves_no_export_and_no_audit_entry(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, name: str
) -> None:
    out = tmp_path / "out" / name
    out.parent.mkdir()
    entries = audit_entries(ws)

    def crash(*args: object, **kwargs: object) -> str:
        raise OSError("disk full")

    monkeypatch.setattr(ws, "record_audit", crash)
    with pytest.raises(OSError, match="disk full"):
        export_workspace(ws, kind, out, build_time=BUILD)  # type: ignore[arg-type]
    assert list(out.parent.iterdir()) == []
    assert audit_entries(ws) == entries


def test_a_failure_while_writing_leaves_nothing(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: object, **kwargs: object) -> bytes:
        raise MemoryError

    monkeypatch.setattr("aban.export.run.zip_bytes", crash)
    entries = audit_entries(ws)
    with pytest.raises(MemoryError):
        export_workspace(ws, "bundle", tmp_path / "out" / "b.zip", build_time=BUILD)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert audit_entries(ws) == entries


def test_build_time_parsing() -> None:
    assert parse_build_time("2020-01-02").isoformat() == "2020-01-02T00:00:00+00:00"
    assert (
        parse_build_time("2020-01-02T03:30:00+03:30").isoformat()
        == "2020-01-02T00:00:00+00:00"
    )
    assert parse_build_time("2020-01-02T00:00:00.5Z").microsecond == 0
    with pytest.raises(ConfigError, match="not ISO 8601"):
        parse_build_time("yesterday")
