"""aban user and aban serve as a user runs them (subprocesses, real output)."""

from __future__ import annotations

import json
import os
import re
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from aban.store.workspace import create_workspace
from tests.cli.helpers import ABAN, run
from tests.conftest import PASSPHRASE
from tests.web.tls import self_signed

PASSWORD = {"ABAN_USER_PASSWORD": "a long test password"}
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


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
        limits = Path(f"/proc/{proc.pid}/limits")
        if limits.exists():  # Linux: no core dump can hold the passphrase
            (core,) = [x for x in limits.read_text().splitlines() if "core" in x]
            assert core.split()[4:6] == ["0", "0"]
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


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ABAN_")}
    env["ABAN_PASSPHRASE"] = PASSPHRASE
    return env | (extra or {})


@dataclass
class Served:
    """A running 'aban serve'; ``stderr`` is filled in when it has stopped."""

    url: str
    port: int
    stderr: str = ""


@contextmanager
def serving(
    ws: Path, *args: str, env: dict[str, str] | None = None, scheme: str = "http"
) -> Iterator[Served]:
    """Run 'aban serve' on a free loopback port until the block ends."""
    port = free_port()
    proc = subprocess.Popen(
        [*ABAN, "-w", str(ws), "serve", "--port", str(port), *args],
        env=_env(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    served = Served(f"{scheme}://127.0.0.1:{port}", port)
    try:
        for _ in range(150):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert proc.poll() is None, proc.communicate()[1]
                time.sleep(0.1)
        yield served
    finally:
        proc.terminate()
        served.stderr = proc.communicate(timeout=30)[1]


def _failed_logins(url: str, forwarded: list[str]) -> list[int]:
    """Wrong passwords for ana, one per X-Forwarded-For value; the status codes."""
    codes = []
    with httpx.Client(base_url=url, timeout=30) as client:
        page = client.get("/login")
        for address in forwarded:
            match = CSRF.search(page.text)
            assert match, page.text
            page = client.post(
                "/login",
                data={"name": "ana", "password": "wrong password", "csrf": match[1]},
                headers={"x-forwarded-for": address},
            )
            codes.append(page.status_code)
    return codes


def test_forwarded_for_from_loopback_does_not_escape_the_login_limit(
    ws: Path,
) -> None:
    # Issue 13, item 5: uvicorn believed X-Forwarded-For from 127.0.0.1, so a new
    # made-up address for each guess was never limited.
    run("-w", ws, "user", "add", "ana", "--role", "viewer", env=PASSWORD, check=True)
    addresses = [f"203.0.113.{i}" for i in range(6)]
    with serving(ws) as served:
        assert _failed_logins(served.url, addresses) == [401] * 5 + [429]
    # A proxy named in the settings is believed: each address has its own count.
    proxy = {"ABAN_SERVE_TRUSTED_PROXY": "127.0.0.1"}
    with serving(ws, env=proxy) as served:
        assert _failed_logins(served.url, addresses) == [401] * 6
        assert _failed_logins(served.url, ["198.51.100.9"] * 6) == [401] * 5 + [429]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--host", "0.0.0.0"],
            "Error: serve --host 0.0.0.0: other computers could reach the app, and "
            "it would speak plain HTTP to them; give --tls-cert and --tls-key, or put "
            "it behind an HTTPS proxy and say so with --behind-tls-proxy, or listen "
            "on 127.0.0.1\n",
        ),
        (
            ["--host", "0.0.0.0", "--behind-tls-proxy"],
            "Error: serve --host 0.0.0.0: name the host names the app answers to "
            "with --allow-host NAME (the setting serve_hosts); it no longer answers "
            "to any\n",
        ),
    ],
)
def test_serve_refuses_every_interface_without_tls_or_host_names(
    ws: Path, args: list[str], message: str
) -> None:
    # Issue 13, item 10: this only warned, then served plain HTTP to any host name.
    proc = subprocess.run(
        [*ABAN, "-w", str(ws), "serve", "--port", str(free_port()), *args],
        env=_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (proc.returncode, proc.stderr, proc.stdout) == (1, message, "")


def _session_cookie(url: str, host: str | None = None, **kw: object) -> str:
    headers = {"host": host} if host else {}
    with httpx.Client(base_url=url, timeout=30, headers=headers, **kw) as client:
        page = client.get("/login")
        assert page.status_code == 200, page.text
        return next(
            c for c in page.headers.get_list("set-cookie") if c.startswith("aban_")
        )


def test_serve_over_tls_on_loopback(ws: Path, tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    args = ("--tls-cert", cert, "--tls-key", key)
    with serving(ws, *args, scheme="https") as served:
        trust = ssl.create_default_context(cafile=cert)
        assert "; secure" in _session_cookie(served.url, verify=trust).lower()
        with pytest.raises(httpx.TransportError):  # no plain HTTP beside it
            httpx.get(f"http://127.0.0.1:{served.port}/login", timeout=5)
    assert f"serving on https://127.0.0.1:{served.port}/" in served.stderr


def test_behind_a_tls_proxy_cookies_are_secure_and_hosts_named(ws: Path) -> None:
    args = ("--behind-tls-proxy", "--allow-host", "aban.example")
    with serving(ws, *args) as served:
        assert "; secure" in _session_cookie(served.url, "aban.example").lower()
        other = httpx.get(f"{served.url}/login", headers={"host": "evil.example"})
        assert other.status_code == 400


def _cut_off_within(sock: socket.socket, seconds: float) -> float:
    """Seconds until the server closes ``sock`` (fails after ``seconds``)."""
    start = time.monotonic()
    sock.settimeout(seconds)
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        pytest.fail(f"the server kept a slow connection open for {seconds} s")
    except ConnectionResetError:
        pass
    return time.monotonic() - start


def test_slow_clients_are_cut_off_and_connections_capped(ws: Path) -> None:
    # Issue 13, item 11: a client that sends its headers slowly, or nothing at all,
    # held its connection (and a file descriptor) for ever.
    env = {"ABAN_SERVE_REQUEST_TIMEOUT": "1", "ABAN_SERVE_MAX_CONNECTIONS": "3"}
    with serving(ws, env=env) as served:
        port = served.port
        time.sleep(1.5)  # the probe connection of serving() is gone
        silent = socket.create_connection(("127.0.0.1", port), timeout=5)
        slow = socket.create_connection(("127.0.0.1", port), timeout=5)
        slow.sendall(b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        body = socket.create_connection(("127.0.0.1", port), timeout=5)
        body.sendall(
            b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 1000\r\n\r\nname="
        )
        extra = socket.create_connection(("127.0.0.1", port), timeout=5)
        try:
            assert _cut_off_within(extra, 5) < 1  # a fourth: closed at once
            for sock in (silent, slow, body):
                assert _cut_off_within(sock, 5) < 3
        finally:
            for sock in (silent, slow, body, extra):
                sock.close()
        assert httpx.get(f"{served.url}/login", timeout=5).status_code == 200
    assert "Traceback" not in served.stderr and "ERROR" not in served.stderr
