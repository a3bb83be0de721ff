"""Signing in and out, sessions, CSRF, the login rate limit, hosts and headers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aban.store.workspace import open_workspace
from aban.web.security import RateLimiter
from tests.conftest import PASSPHRASE
from tests.web.client import TestClient
from tests.web.conftest import csrf_of, login, page_csrf, signed_in
from tests.web.seed import PASSWORD


def audit_tail(path: Path, n: int = 1) -> list[tuple[str, str, dict[str, Any]]]:
    with open_workspace(path, PASSPHRASE) as ws:
        rows = ws.conn.execute(
            "select actor, action, detail from audit order by seq desc limit ?", (n,)
        ).fetchall()
    return [(a, b, json.loads(c)) for a, b, c in rows]


def test_login_sets_a_strict_http_only_session_and_audits_it(
    client: TestClient, web_path: Path
) -> None:
    page = client.get("/login")
    assert page.status_code == 200
    assert 'name="password" type="password"' in page.text
    response = client.post(
        "/login",
        data={
            "name": "rosa",
            "password": PASSWORD,
            "csrf": csrf_of(page),
            "next": "/review",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/review"
    cookie = next(
        c
        for c in response.headers.get_list("set-cookie")
        if c.startswith("aban_session=")
    )
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http on loopback; set over https
    assert client.get("/review").status_code == 200
    actor, action, detail = audit_tail(web_path)[0]
    assert (actor, action) == ("rosa", "web-login")
    assert set(detail) == {"user_id"}


def test_the_register_keeps_only_a_hash_of_the_session_token(
    client: TestClient, web_path: Path
) -> None:
    login(client, "vera")
    token = client.cookies["aban_session"]
    with open_workspace(web_path, PASSPHRASE) as ws:
        stored = [
            r[0] for r in ws.conn.execute("select token_sha256 from web_sessions")
        ]
    assert len(stored) == 1 and token not in stored[0] and len(stored[0]) == 64


def test_wrong_password_and_unknown_user_look_the_same(client: TestClient) -> None:
    wrong = login(client, "rosa", "not the password")
    unknown = login(client, "nobody", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert (
        "Wrong name or password." in wrong.text
        and "Wrong name or password." in unknown.text
    )
    assert "aban_session" not in client.cookies
    assert client.get("/persons").status_code == 303


def test_login_without_its_csrf_token_is_refused(client: TestClient) -> None:
    client.get("/login")
    response = client.post("/login", data={"name": "rosa", "password": PASSWORD})
    assert response.status_code == 403
    response = client.post(
        "/login", data={"name": "rosa", "password": PASSWORD, "csrf": "forged"}
    )
    assert response.status_code == 403
    assert "aban_session" not in client.cookies


def test_posts_without_the_session_csrf_token_are_refused(
    app: Any, web_path: Path
) -> None:
    client = signed_in(app, "admin")
    before = audit_tail(web_path)[0]
    for path, data in (
        ("/review", {"record_a": "1", "record_b": "2", "decision": "match"}),
        ("/records/new", {"source": "ngo", "given_name": "X"}),
        ("/detentions/new", {"person_id": "P000001"}),
        ("/admin/users", {"name": "eve", "role": "admin", "password": "x" * 12}),
        ("/admin/users/vera", {"action": "disable"}),
        ("/logout", {}),
    ):
        for csrf in (None, "", "forged", page_csrf(client) + "x"):
            payload = data if csrf is None else {**data, "csrf": csrf}
            assert client.post(path, data=payload).status_code == 403, (path, csrf)
    assert audit_tail(web_path)[0] == before  # nothing written
    assert client.get("/").status_code == 200  # still signed in


def test_a_csrf_token_of_another_session_is_refused(app: Any) -> None:
    one, other = signed_in(app, "reviewer"), signed_in(app, "admin")
    token = page_csrf(other)
    response = one.post(
        "/review",
        data={"record_a": "1", "record_b": "2", "decision": "skip", "csrf": token},
    )
    assert response.status_code == 403


def test_logout_ends_the_session_on_the_server(app: Any, web_path: Path) -> None:
    client = signed_in(app, "viewer")
    token = client.cookies["aban_session"]
    response = client.post("/logout", data={"csrf": page_csrf(client)})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert audit_tail(web_path)[0][:2] == ("vera", "web-logout")
    replay = TestClient(app, follow_redirects=False, cookies={"aban_session": token})
    assert replay.get("/persons").status_code == 303


def test_signing_in_replaces_a_session_the_browser_already_had(app: Any) -> None:
    planted = signed_in(app, "viewer").cookies["aban_session"]
    client = TestClient(app, follow_redirects=False)
    page = client.get("/login")
    client.cookies.set("aban_session", planted, domain="testserver.local")
    response = client.post(
        "/login", data={"name": "rosa", "password": PASSWORD, "csrf": csrf_of(page)}
    )
    assert response.status_code == 303
    assert client.cookies["aban_session"] != planted
    replay = TestClient(app, follow_redirects=False, cookies={"aban_session": planted})
    assert replay.get("/").status_code == 303  # no session fixation


def test_five_failures_lock_that_name_and_address_for_the_window(app: Any) -> None:
    clock = [1000.0]
    app.state.web.limiter = RateLimiter(clock=lambda: clock[0])
    client = TestClient(app, follow_redirects=False)
    for _ in range(5):
        assert login(client, "rosa", "wrong password").status_code == 401
    refused = login(client, "rosa")  # the right password, but locked
    assert refused.status_code == 429
    assert "Too many failed sign-ins" in refused.text
    assert "aban_session" not in client.cookies
    other = TestClient(app, follow_redirects=False)
    assert login(other, "vera").status_code == 303  # another name still works
    clock[0] += 15 * 60 + 1
    assert login(client, "rosa").status_code == 303


def test_many_names_from_one_address_are_limited_too(app: Any) -> None:
    app.state.web.limiter = RateLimiter(address_limit=8, clock=lambda: 0.0)
    client = TestClient(app, follow_redirects=False)
    codes = [login(client, f"name{i}", "wrong password").status_code for i in range(10)]
    assert codes == [401] * 8 + [429] * 2


def test_a_disabled_account_cannot_sign_in_and_loses_its_session(app: Any) -> None:
    viewer, admin = signed_in(app, "viewer"), signed_in(app, "admin")
    response = admin.post(
        "/admin/users/vera", data={"action": "disable", "csrf": page_csrf(admin)}
    )
    assert response.status_code == 303
    assert viewer.get("/persons").status_code == 303
    assert login(TestClient(app, follow_redirects=False), "vera").status_code == 401


def test_next_never_leaves_the_site(app: Any) -> None:
    for target, expected in (
        ("/persons?q=a", "/persons?q=a"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
    ):
        client = TestClient(app, follow_redirects=False)
        page = client.get("/login")
        response = client.post(
            "/login",
            data={
                "name": "vera",
                "password": PASSWORD,
                "csrf": csrf_of(page),
                "next": target,
            },
        )
        assert response.headers["location"] == expected


def test_pages_redirect_to_login_and_come_back(client: TestClient) -> None:
    response = client.get("/persons?q=Ali")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fpersons%3Fq%3DAli"
    page = client.get(response.headers["location"])
    assert 'name="next" value="/persons?q=Ali"' in page.text


def test_unknown_hosts_are_refused(app: Any) -> None:
    client = TestClient(app, base_url="http://attacker.example", follow_redirects=False)
    assert client.get("/login").status_code == 400


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for path in ("/login", "/static/aban.css", "/persons", "/nowhere"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["cache-control"] == "no-store"


def test_pages_hold_no_inline_script(app: Any) -> None:
    client = signed_in(app, "reviewer")
    for path in ("/", "/review", "/persons", "/persons/P000001"):
        text = client.get(path).text
        assert "<script>" not in text and "onclick" not in text and "style=" not in text
