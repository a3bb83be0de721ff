"""How 'aban serve' listens: loopback unless TLS, host names, proxies, limits.

Issue 13, items 5, 10 and 11. The plan is checked here without a socket; the
command itself is run as a user runs it in tests/cli/test_serve_cli.py.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from aban.config import Settings
from aban.errors import ConfigError
from aban.web.serving import plan_serving


def plan(tmp_path: Path, host: str = "127.0.0.1", proxy: bool = False, **kw: Any):
    return plan_serving(Settings(**kw), tmp_path, host, 8000, behind_tls_proxy=proxy)


@pytest.fixture
def pem(tmp_path: Path) -> tuple[str, str]:
    from tests.web.tls import self_signed

    return self_signed(tmp_path)


def test_loopback_trusts_no_forwarded_header_and_limits_slow_clients(
    tmp_path: Path,
) -> None:
    served = plan(tmp_path)
    options = served.uvicorn_options()
    assert options["proxy_headers"] is False  # uvicorn trusts 127.0.0.1 by default
    assert "forwarded_allow_ips" not in options
    assert options["timeout_keep_alive"] == 5
    assert served.scheme == "http" and not served.secure_cookies
    assert served.allowed_hosts == ("127.0.0.1", "::1", "[::1]", "localhost")
    assert (served.request_timeout, served.max_connections) == (15, 100)


def test_a_named_proxy_is_believed_and_only_it(tmp_path: Path) -> None:
    options = plan(
        tmp_path, serve_trusted_proxy="10.0.0.5, 10.1.0.0/16"
    ).uvicorn_options()
    assert options["proxy_headers"] is True
    assert options["forwarded_allow_ips"] == ["10.0.0.5", "10.1.0.0/16"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "*",
            "'*' would believe X-Forwarded-For from anyone; name the proxy's address",
        ),
        (
            "proxy.lan",
            "'proxy.lan' is not an IP address or network; give the proxy's "
            "address, such as 10.0.0.5",
        ),
    ],
)
def test_a_wildcard_or_a_name_is_not_a_proxy(
    tmp_path: Path, value: str, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        plan(tmp_path, serve_trusted_proxy=value)
    assert str(caught.value) == f"setting serve_trusted_proxy: {message}"


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.7"])
def test_plain_http_off_loopback_is_refused(tmp_path: Path, host: str) -> None:
    with pytest.raises(ConfigError) as caught:
        plan(tmp_path, host, serve_hosts="aban.example")
    assert str(caught.value) == (
        f"serve --host {host}: other computers could reach the app, and it would "
        "speak plain HTTP to them; give --tls-cert and --tls-key, or put it behind "
        "an HTTPS proxy and say so with --behind-tls-proxy, or listen on 127.0.0.1"
    )


def test_every_interface_needs_host_names(tmp_path: Path, pem: tuple[str, str]) -> None:
    cert, key = pem
    with pytest.raises(ConfigError) as caught:
        plan(tmp_path, "0.0.0.0", serve_tls_cert=cert, serve_tls_key=key)
    assert str(caught.value) == (
        "serve --host 0.0.0.0: name the host names the app answers to with "
        "--allow-host NAME (the setting serve_hosts); it no longer answers to any"
    )
    with pytest.raises(ConfigError) as caught:
        plan(tmp_path, "0.0.0.0", True, serve_hosts="*")
    assert str(caught.value) == (
        "setting serve_hosts: '*' would answer to any host name (DNS rebinding); "
        "name the hosts"
    )


def test_tls_serves_https_with_secure_cookies(
    tmp_path: Path, pem: tuple[str, str]
) -> None:
    cert, key = pem
    served = plan(
        tmp_path,
        "0.0.0.0",
        serve_tls_cert=cert,
        serve_tls_key=key,
        serve_hosts="aban.example, team.example",
    )
    assert served.scheme == "https" and served.secure_cookies
    assert served.allowed_hosts == (
        "127.0.0.1",
        "::1",
        "[::1]",
        "aban.example",
        "localhost",
        "team.example",
    )
    options = served.uvicorn_options()
    assert (options["ssl_certfile"], options["ssl_keyfile"]) == (cert, key)


def test_a_tls_proxy_in_front_means_secure_cookies(tmp_path: Path) -> None:
    served = plan(tmp_path, "192.0.2.7", True, serve_hosts="aban.example")
    assert served.scheme == "http" and served.secure_cookies
    assert (
        "192.0.2.7" in served.allowed_hosts and "aban.example" in served.allowed_hosts
    )
    assert "ssl_certfile" not in served.uvicorn_options()


def test_tls_files_relative_to_the_workspace_and_checked(
    tmp_path: Path, pem: tuple[str, str]
) -> None:
    cert, key = pem
    served = plan(
        tmp_path, serve_tls_cert=Path(cert).name, serve_tls_key=Path(key).name
    )
    assert served.tls_cert == Path(cert) and served.tls_key == Path(key)
    with pytest.raises(ConfigError) as caught:
        plan(tmp_path, serve_tls_cert=cert)
    assert str(caught.value) == (
        "settings serve_tls_cert and serve_tls_key go together; give both or neither"
    )
    with pytest.raises(ConfigError) as caught:
        plan(tmp_path, serve_tls_cert="nowhere.pem", serve_tls_key=key)
    assert str(caught.value) == (
        f"setting serve_tls_cert: {tmp_path / 'nowhere.pem'}: no such file; give the "
        "path of a PEM file"
    )
    with pytest.raises(ConfigError) as caught:
        plan(tmp_path, serve_tls_cert=key, serve_tls_key=cert)
    assert str(caught.value).startswith(
        f"serve: {key} and {cert} are not a PEM certificate and its unencrypted key ("
    )


def test_limits_must_be_positive(tmp_path: Path) -> None:
    from aban.config import load_settings

    env = {"ABAN_SERVE_REQUEST_TIMEOUT": "0", "ABAN_SERVE_MAX_CONNECTIONS": "0"}
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path, environ=env)
    assert str(caught.value) == (
        f"{tmp_path / 'aban.toml'}: setting 'serve_request_timeout' must be at least "
        "1; setting 'serve_max_connections' must be at least 1"
    )


def test_the_settings_have_their_defaults() -> None:
    names = {f.name: f.default for f in dataclasses.fields(Settings)}
    assert {k: v for k, v in names.items() if k.startswith("serve_")} == {
        "serve_tls_cert": "",
        "serve_tls_key": "",
        "serve_hosts": "",
        "serve_trusted_proxy": "",
        "serve_request_timeout": 15,
        "serve_max_connections": 100,
        "serve_two_factor": "optional",
        "serve_session_hours": 12,
        "serve_session_idle_minutes": 30,
    }


def test_the_app_marks_every_cookie_secure_behind_a_tls_proxy(web_path: Path) -> None:
    from aban.store.workspace import open_workspace
    from aban.web import Database, create_app
    from tests.conftest import PASSPHRASE
    from tests.web.client import TestClient
    from tests.web.conftest import csrf_of
    from tests.web.seed import PASSWORD, TEST_HOSTS

    db = Database(open_workspace(web_path, PASSPHRASE), PASSPHRASE, readers=2)
    try:
        web = create_app(db, allowed_hosts=TEST_HOSTS, secure_cookies=True)
        client = TestClient(web, follow_redirects=False)
        page = client.get("/login?lang=fa")
        cookies = page.headers.get_list("set-cookie")
        assert [c.split("=")[0] for c in cookies] == ["aban_login", "aban_lang"]
        session = client.post(
            "/login",
            data={"name": "vera", "password": PASSWORD, "csrf": csrf_of(page)},
            # A browser sends a Secure cookie back over HTTPS, to the proxy.
            headers={"cookie": cookies[0].split(";")[0]},
        )
        assert session.status_code == 303
        cookies += session.headers.get_list("set-cookie")
        assert all("; secure" in c.lower() for c in cookies), cookies
    finally:
        db.close()


def _audit(path: Path) -> list[tuple[Any, ...]]:
    from aban.store.workspace import open_workspace
    from tests.conftest import PASSPHRASE

    with open_workspace(path, PASSPHRASE) as ws:
        return ws.conn.execute("select seq, action from audit order by seq").fetchall()


def test_a_busy_port_is_one_error_before_serving_and_no_audit_entry(
    tmp_path: Path,
) -> None:
    # Issue 18: 'serve' on a busy port printed "serving on ..." and then the error.
    import socket
    import subprocess

    from aban.store import users
    from aban.store.workspace import create_workspace
    from tests.cli.helpers import ABAN, aban_env
    from tests.conftest import PASSPHRASE
    from tests.web.seed import cheap_hasher

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(users, "HASHER", cheap_hasher())
        with create_workspace(tmp_path / "ws", PASSPHRASE) as ws:
            users.add_user(ws, "adam", "admin", "test password 123")
    before = _audit(tmp_path / "ws")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run(
            [*ABAN, "-w", str(tmp_path / "ws"), "serve", "--port", str(port)],
            env=aban_env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert (proc.returncode, proc.stdout) == (1, "")
    assert proc.stderr == (
        f"Error: serve: 127.0.0.1:{port} is in use by another program; stop it, "
        "or choose another port with --port\n"
    )
    assert _audit(tmp_path / "ws") == before


def test_bind_errors_say_what_to_change(tmp_path: Path) -> None:
    import errno

    from aban.web.serving import _bind_error

    served = plan(tmp_path)
    refused = _bind_error(served, OSError(errno.EACCES, "Permission denied"))
    assert str(refused) == (
        "serve: not allowed to listen on 127.0.0.1:8000 (ports below 1024 need "
        "privileges); choose another port with --port"
    )
    other = _bind_error(served, OSError(errno.EADDRNOTAVAIL, "Cannot assign"))
    assert str(other) == (
        "serve --host 127.0.0.1: this computer has no such address; give one of "
        "its own, or 127.0.0.1"
    )
