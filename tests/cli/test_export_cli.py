"""aban export as a user runs it (subprocess, real stdout, stderr and exit codes)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from aban.store import audit
from aban.store.workspace import open_workspace
from tests.cli.helpers import run
from tests.conftest import PASSPHRASE
from tests.export.helpers import BUILD_TIME, CANARIES, canary_register, forms, leaks


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return canary_register(tmp_path_factory.mktemp("cli"))


def head_of(workspace: Path) -> str:
    with open_workspace(workspace, PASSPHRASE) as ws:
        return audit.head(ws.conn)


def no_canary(text: str) -> bool:
    data = text.encode("utf-8")
    return not any(f in data for c in CANARIES.values() for f in forms(c))


def test_export_bundle_prints_counts_and_the_head(
    register: Path, tmp_path: Path
) -> None:
    out = tmp_path / "un-bundle.zip"
    proc = run(
        "-w", register, "export", "--format", "bundle", out, "--build-time", BUILD_TIME
    )
    assert proc.returncode == 0, proc.stderr
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    assert f"sha256 {digest}" in proc.stdout
    assert "export (bundle)" in proc.stdout
    for table in ("sources", "records", "persons", "evidence", "custody_events"):
        assert f"│ {table} " in proc.stdout
    assert proc.stderr == f"wrote {out}\naudit head: {head_of(register)}\n"
    assert no_canary(proc.stdout + proc.stderr)
    assert leaks(out) == {}
    again = run(
        "-w",
        register,
        "export",
        "--format",
        "bundle",
        tmp_path / "b.zip",
        "--build-time",
        BUILD_TIME,
        check=True,
    )
    assert (tmp_path / "b.zip").read_bytes() == out.read_bytes()
    assert again.stderr != proc.stderr  # a new audit head: the export is audited


def test_json_output_is_the_result_and_full_warns(
    register: Path, tmp_path: Path
) -> None:
    out = tmp_path / "csv"
    proc = run(
        "-w",
        register,
        "export",
        "--format",
        "csv",
        out,
        "--full",
        "--json",
        "--build-time",
        "2020-06-01",
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert sorted(result) == [
        "audit",
        "build_time",
        "format",
        "full",
        "head",
        "path",
        "rows",
        "sha256",
    ]
    assert (result["format"], result["full"], result["path"]) == ("csv", True, str(out))
    assert result["build_time"] == "2020-06-01T00:00:00Z"
    manifest = (out / "manifest.json").read_bytes()
    assert result["sha256"] == hashlib.sha256(manifest).hexdigest()
    assert result["audit"]["verified"] is True
    assert result["head"] == head_of(register)
    assert proc.stderr.splitlines() == [
        "warning: this export holds protected data; keep it encrypted",
        f"wrote {out}",
        f"audit head: {result['head']}",
    ]
    assert sorted(leaks(out)) == sorted(CANARIES)


def test_an_existing_export_is_refused_with_one_line(
    register: Path, tmp_path: Path
) -> None:
    out = tmp_path / "e.json"
    run("-w", register, "export", "--format", "json", out, check=True)
    before, head = out.read_bytes(), head_of(register)
    proc = run("-w", register, "export", "--format", "json", out)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert (
        proc.stderr == f"Error: {out}: file exists; choose another name, or --force\n"
    )
    assert out.read_bytes() == before and head_of(register) == head
    forced = run("-w", register, "export", "--format", "json", out, "--force")
    assert forced.returncode == 0, forced.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["out.zip"], "Missing option '--format'"),
        (["--format", "pdf", "out.zip"], "'pdf' is not one of"),
        (["--format", "csv", "out", "--build-time", "soon"], "not ISO 8601"),
    ],
)
def test_usage_errors_exit_2(
    register: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    proc = run("-w", register, "export", *args)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert proc.stdout == ""
