"""HTTPS on loopback with a self-signed certificate: the server 'aban serve' would
run (its plan's uvicorn options), a client that trusts only that certificate, a
sign-in whose cookie is Secure (issue 18)."""

from __future__ import annotations

import re
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from aban.config import Settings
from aban.web import create_app
from aban.web.serving import plan_serving
from tests.web.browser_fixtures import free_port
from tests.web.seed import PASSWORD, open_app
from tests.web.tls import self_signed

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
def https_url(web_path: Path, tmp_path: Path) -> Iterator[tuple[str, str]]:
    cert, key = self_signed(tmp_path)
    plan = plan_serving(
        Settings(serve_tls_cert=cert, serve_tls_key=key),
        tmp_path,
        "127.0.0.1",
        free_port(),
    )
    db, _ = open_app(web_path)
    app = create_app(
        db, allowed_hosts=plan.allowed_hosts, secure_cookies=plan.secure_cookies
    )
    options = {**plan.uvicorn_options(), "lifespan": "off"}
    server = uvicorn.Server(uvicorn.Config(app, **options))
    thread = threading.Thread(target=server.run, name="uvicorn-tls", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert time.monotonic() < deadline and thread.is_alive()
            time.sleep(0.02)
        yield plan.url.rstrip("/"), cert
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        db.close()


def test_https_on_loopback_with_a_self_signed_certificate(
    https_url: tuple[str, str],
) -> None:
    url, cert = https_url
    assert url.startswith("https://127.0.0.1:")
    trusted = ssl.create_default_context(cafile=cert)
    with httpx.Client(verify=trusted, follow_redirects=False) as client:
        page = client.get(f"{url}/login")
        assert page.status_code == 200
        found = CSRF.search(page.text)
        assert found
        response = client.post(
            f"{url}/login",
            data={"name": "vera", "password": PASSWORD, "csrf": found.group(1)},
        )
        assert response.status_code == 303
        cookie = next(
            c
            for c in response.headers.get_list("set-cookie")
            if c.startswith("aban_session=")
        )
        assert "Secure" in cookie and "HttpOnly" in cookie
        assert client.get(f"{url}/").status_code == 200
    # A client that does not trust the certificate does not connect.
    with httpx.Client() as untrusting, pytest.raises(httpx.ConnectError):
        untrusting.get(f"{url}/login")
