"""aban user and aban serve as a user runs them (subprocesses, real output)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from aban.store.workspace import create_workspace
from tests.cli.helpers import ABAN, run
from tests.conftest import PASSPHRASE

PASSWORD = {"ABAN_USER_PASSWORD": "a long test password"}


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    create_workspace(tmp_path / "ws", PASSPHRASE).close()
    return tmp_path / "ws"


def test_user_add_list_role_disable(ws: Path) -> None:
    added = run("-w", ws, "user", "add", "ana", "--role", "reviewer", env=PASSWORD)
    assert added.returncode == 0, added.stderr
    lines = added.stderr.splitlines()
    assert lines[0] == "user ana added (reviewer)"
    assert lines[1].startswith("audit head: ") and len(lines[1]) == 12 + 64
    assert added.stdout == ""
    assert "a long test password" not in added.stderr
    role = run("-w", ws, "user", "role", "ana", "analyst")
    assert role.returncode == 0 and role.stderr.startswith("user ana is now analyst\n")
    off = run("-w", ws, "user", "disable", "ana")
    assert off.returncode == 0 and off.stderr.startswith("user ana disabled\n")
    listed = run("-w", ws, "user", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    (user,) = json.loads(listed.stdout)
    assert (user["name"], user["role"], user["disabled"]) == ("ana", "analyst", True)
    table = run("-w", ws, "user", "list")
    assert "ana" in table.stdout and "disabled" in table.stdout


def test_user_errors_are_one_line(ws: Path) -> None:
    run("-w", ws, "user", "add", "ana", "--role", "viewer", env=PASSWORD, check=True)
    twice = run("-w", ws, "user", "add", "ANA", "--role", "viewer", env=PASSWORD)
    assert (twice.returncode, twice.stderr) == (
        1,
        "Error: user ANA exists already; choose another name\n",
    )
    short = run(
        "-w",
        ws,
        "user",
        "add",
        "bo",
        "--role",
        "viewer",
        env={"ABAN_USER_PASSWORD": "short"},
    )
    assert short.returncode == 1
    assert short.stderr == "Error: a password must be 10 to 1024 characters long\n"
    none = run("-w", ws, "user", "add", "bo", "--role", "viewer")
    assert none.returncode == 1
    assert none.stderr == (
        "Error: no password: set ABAN_USER_PASSWORD, or run in a terminal\n"
    )
    bad_name = run("-w", ws, "user", "add", "a b", "--role", "viewer", env=PASSWORD)
    assert bad_name.returncode == 1 and "a user name must be" in bad_name.stderr
    role = run("-w", ws, "user", "add", "bo", "--role", "boss", env=PASSWORD)
    assert role.returncode == 2 and "Invalid value for '--role'" in role.stderr
    missing = run("-w", ws, "user", "role", "ghost", "viewer")
    assert missing.stderr == (
        "Error: no user ghost; 'aban user list' shows the accounts\n"
    )


def test_serve_get_renders_one_page_as_a_user(ws: Path) -> None:
    run("-w", ws, "user", "add", "ana", "--role", "viewer", env=PASSWORD, check=True)
    page = run("-w", ws, "serve", "--get", "/persons?lang=fa", "--as", "ana")
    assert page.returncode == 0, page.stderr
    assert '<html lang="fa" dir="rtl">' in page.stdout and "افراد" in page.stdout
    refused = run("-w", ws, "serve", "--get", "/admin/users", "--as", "ana")
    assert refused.returncode == 1
    assert refused.stderr == "Error: /admin/users: the app answered 403\n"
    login = run("-w", ws, "serve", "--get", "/login")
    assert login.returncode == 0 and 'name="password"' in login.stdout
    anonymous = run("-w", ws, "serve", "--get", "/persons")
    assert anonymous.returncode == 1 and "answered 303" in anonymous.stderr
    ghost = run("-w", ws, "serve", "--get", "/", "--as", "ghost")
    assert ghost.stderr == "Error: no active user ghost; 'aban user list' shows them\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_listens_on_loopback_and_stops(ws: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ABAN_")}
    env["ABAN_PASSPHRASE"] = PASSPHRASE
    proc = subprocess.Popen(
        [*ABAN, "-w", str(ws), "serve", "--port", str(port)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        response = None
        for _ in range(100):
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/login", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert response is not None and response.status_code == 200
        assert "server" not in response.headers
        assert response.headers["x-frame-options"] == "DENY"
        elsewhere = httpx.get(
            f"http://127.0.0.1:{port}/login", headers={"host": "evil.example"}
        )
        assert elsewhere.status_code == 400
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=30)
    lines = err.splitlines()
    assert lines[0] == (
        "warning: no accounts yet; add one with 'aban user add NAME --role admin'"
    )
    assert lines[1] == f"serving on http://127.0.0.1:{port}/ (Ctrl-C stops)"
    assert lines[-1].startswith("audit head: ") and len(lines[-1]) == 12 + 64
    assert out == ""
