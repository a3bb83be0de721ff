"""Property tests: no input makes any route fail with a server error.

Every form and route gets random text (any Unicode, control characters, huge and
empty values, unknown fields), random path parameters and query strings, and
random raw bodies. The test client re-raises any exception inside the app, and
every answer must be below 500. Without a session, no route but the login page
and static files answers 200.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aban.web import ROUTE_ROLES
from aban.web.entry import EVENT_FORM_FIELDS, RECORD_FORM_FIELDS
from tests.web.client import TestClient
from tests.web.conftest import csrf_of, page_csrf, signed_in

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ANY = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
TEXT = ANY | st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "99999999999999999999",
        "P000001",
        "1398/08/25",
        "ngo",
        "match",
        "skip",
        "=cmd()",
        "<script>",
        "../../etc",
        "%00",
        "\x00",
        "a" * 5000,
    ]
)
FIELDS = {
    "/review": ("record_a", "record_b", "decision"),
    "/records/new": ("record_id", "source", "new_source", *RECORD_FORM_FIELDS),
    "/detentions/new": EVENT_FORM_FIELDS,
    "/admin/users": ("name", "role", "password"),
    "/admin/users/{name}": ("action", "role"),
    "/account/two-factor": ("action", "code"),
    "/imports": ("source", "new_source", "replace"),
    "/imports/preview": ("header", "target"),
    "/imports/import": (),
    "/imports/source": ("action", "source", "reason"),
    "/records/{row_id:int}/edit": RECORD_FORM_FIELDS,
    # link and grade from the app; corrections (issue 18)
    "/runs": ("action",),
    "/persons/{person_id}/corrections": (
        "action",
        "reason",
        "note",
        "consent",
        "other",
        "record",
    ),
}
POSTS = sorted(p for m, p in ROUTE_ROLES if m == "POST" and p != "/logout")
GETS = sorted(p for m, p in ROUTE_ROLES if m == "GET")


def fill(path: str, value: str) -> str:
    for name in ("{person_id}", "{row_id:int}", "{name}"):
        path = path.replace(name, quote(value, safe="") or "x")
    return path


@pytest.fixture
def admin(app: Any) -> TestClient:
    return signed_in(app, "admin")


@FUZZ
@given(
    route=st.sampled_from(POSTS),
    values=st.lists(TEXT, min_size=30, max_size=30),
    extra=st.dictionaries(TEXT, TEXT, max_size=3),
    param=TEXT,
)
def test_no_form_input_causes_a_server_error(
    admin: TestClient, route: str, values: list[str], extra: dict[str, str], param: str
) -> None:
    data = {**extra, **dict(zip(FIELDS[route], values, strict=False))}
    data["csrf"] = page_csrf(admin)
    response = admin.post(fill(route, param), data=data)
    assert response.status_code < 500


@FUZZ
@given(
    route=st.sampled_from(GETS),
    param=TEXT,
    query=st.dictionaries(TEXT, TEXT, max_size=4),
)
def test_no_url_causes_a_server_error(
    admin: TestClient, route: str, param: str, query: dict[str, str]
) -> None:
    response = admin.get(fill(route, param), params=query)
    assert response.status_code < 500
    if 300 <= response.status_code < 400:
        # A path with a trailing slash (a parameter of "/") is redirected, with
        # no body, to the same server's path without it.
        location = response.headers["location"]
        assert location.startswith(("/", "http://testserver/"))
        return
    assert response.headers["content-type"].startswith(
        ("text/html", "application/json")
    )


@FUZZ
@given(
    route=st.sampled_from(POSTS),
    body=st.binary(max_size=2000),
    kind=st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "multipart/form-data",
            "application/json",
            "text/plain",
        ]
    ),
)
def test_no_raw_body_causes_a_server_error(
    admin: TestClient, route: str, body: bytes, kind: str
) -> None:
    response = admin.post(
        fill(route, "vera"), content=body, headers={"content-type": kind}
    )
    assert response.status_code < 500


@FUZZ
@given(name=TEXT, password=TEXT, next_path=TEXT)
def test_no_login_input_causes_a_server_error(
    app: Any, name: str, password: str, next_path: str
) -> None:
    client = TestClient(app, follow_redirects=False)
    data = {"name": name, "password": password, "next": next_path}
    response = client.post(
        "/login", data={**data, "csrf": csrf_of(client.get("/login"))}
    )
    assert response.status_code in (303, 401, 429)
    if response.status_code == 303:
        assert response.headers["location"].startswith("/")
        assert not response.headers["location"].startswith("//")


@FUZZ
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE"]),
    route=st.sampled_from(sorted({p for _, p in ROUTE_ROLES})),
    param=TEXT,
    cookie=TEXT,
)
def test_nothing_answers_without_a_session(
    app: Any, method: str, route: str, param: str, cookie: str
) -> None:
    client = TestClient(app, follow_redirects=False)
    headers = {"cookie": f"aban_session={quote(cookie)}"}
    response = client.request(method, fill(route, param), headers=headers)
    assert response.status_code in (303, 401, 404, 405), response.status_code
    if response.status_code == 303:
        assert response.headers["location"].startswith("/login?next=")
