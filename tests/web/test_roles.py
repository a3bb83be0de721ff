"""Every route needs a session (but login and static files), and the right role."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from starlette.routing import Mount, Route

from aban.store.integrity import verify_register
from aban.store.users import ROLES, role_at_least
from aban.store.workspace import open_workspace
from aban.web import ROUTE_ROLES
from aban.web.app import DOCUMENTER_ROUTES
from tests.conftest import PASSPHRASE
from tests.web.client import TestClient
from tests.web.conftest import csrf_of, login, page_csrf, signed_in

OPEN_ROUTES = {("GET", "/login"), ("POST", "/login"), ("POST", "/login/code")}
SAMPLE = {"person_id": "P000001", "row_id:int": "1", "name": "vera"}


def route_table(app: Any) -> list[tuple[str, str]]:
    """Every (method, path) the app routes, static files apart."""
    found = []
    for route in app.routes:
        if isinstance(route, Mount):
            assert route.path == "/static", route.path
            continue
        assert isinstance(route, Route)
        found += [(m, route.path) for m in sorted(route.methods or ()) if m != "HEAD"]
    return found


def concrete(path: str) -> str:
    for name, value in SAMPLE.items():
        path = path.replace("{" + name + "}", value)
    assert "{" not in path, path
    return path


def request(client: TestClient, method: str, path: str, data: Any = None) -> Any:
    if method == "GET":
        return client.get(concrete(path))
    return client.post(concrete(path), data=data or {})


def may_open(role: str, method: str, path: str, needed: Any) -> bool:
    """Whether ``role`` may open the route: by the ladder, or as a field
    documenter on one of its routes."""
    if role == "documenter":
        return (method, path) in DOCUMENTER_ROUTES
    return role_at_least(role, needed)


def test_every_route_is_either_open_or_has_a_role(app: Any) -> None:
    routes = set(route_table(app))
    assert routes - OPEN_ROUTES == set(ROUTE_ROLES)
    assert OPEN_ROUTES <= routes
    assert DOCUMENTER_ROUTES <= set(ROUTE_ROLES)


def test_a_documenter_is_on_the_ladder_neither_above_nor_below() -> None:
    for role in ("viewer", "reviewer", "analyst", "admin"):
        assert not role_at_least("documenter", role)
        assert not role_at_least(role, "documenter")
    assert role_at_least("documenter", "documenter")


def test_no_route_answers_without_a_session(app: Any) -> None:
    client = TestClient(app, follow_redirects=False)
    for method, path in route_table(app):
        if (method, path) in OPEN_ROUTES:
            continue
        response = request(client, method, path, {"csrf": "x"})
        if path.startswith("/api/"):
            assert response.status_code == 401, (method, path)
            assert response.json() == {
                "ok": False,
                "error": "Sign in first.",
                "status": 401,
            }
        else:
            assert response.status_code == 303, (method, path)
            assert response.headers["location"].startswith("/login?next="), path


def test_static_files_and_login_need_no_session(app: Any) -> None:
    client = TestClient(app, follow_redirects=False)
    assert client.get("/login").status_code == 200
    assert client.get("/static/review.js").status_code == 200
    assert client.get("/static/aban.css").status_code == 200
    assert client.get("/static/../app.py").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_its_routes(app: Any, role: str) -> None:
    client = signed_in(app, role)
    csrf = page_csrf(client)
    for (method, path), needed in sorted(ROUTE_ROLES.items()):
        if path == "/logout":
            continue
        # POSTs carry a valid token and an invalid body: allowed roles get a 4xx
        # about the body (or a redisplayed form), never 403.
        response = request(client, method, path, {"csrf": csrf, "action": "nothing"})
        if may_open(role, method, path, needed):
            assert response.status_code != 403, (role, method, path)
            assert response.status_code < 500
        else:
            assert response.status_code == 403, (role, method, path)


@pytest.mark.parametrize("role", ROLES)
def test_the_menu_shows_only_what_the_role_may_open(app: Any, role: str) -> None:
    home = "/records/mine" if role == "documenter" else "/"
    text = signed_in(app, role).get(home).text
    assert ('href="/review"' in text) == role_at_least(role, "reviewer")
    enters = role_at_least(role, "analyst") or role == "documenter"
    assert ('href="/records/new"' in text) == enters
    assert ('href="/imports"' in text) == role_at_least(role, "analyst")
    assert ('href="/admin/users"' in text) == role_at_least(role, "admin")
    assert ('href="/persons"' in text) == (role != "documenter")


def enter_record(client: TestClient, record_id: str, given: str) -> Any:
    """Enter a record through the new-record form."""
    return client.post(
        "/records/new",
        data={
            "csrf": csrf_of(client.get("/records/new")),
            "record_id": record_id,
            "new_source": "field_notes",
            "given_name": given,
            "family_name": "Rostami",
            "city": "Tabriz",
            "status": "detained",
            "date_of_death": "2019-11-18",
            "informant": "Informant Zq",
        },
    )


def test_a_field_documenter_sees_and_enters_only_its_own_records(app: Any) -> None:
    client = TestClient(app, follow_redirects=False)
    response = login(client, "dina")
    assert response.headers["location"] == "/records/mine"  # its home
    assert "You have entered no record yet." in client.get("/records/mine").text
    stored = enter_record(client, "d1", "Navid")
    assert stored.status_code == 303
    own = stored.headers["location"].split("?")[0]
    page = client.get(own)
    # Its own record, whole (it typed the informant), without the person.
    assert page.status_code == 200
    assert "Navid" in page.text and "Informant Zq" in page.text
    assert "/persons/" not in page.text
    listed = client.get("/records/mine").text
    assert own in listed and "Navid" in listed
    # No other record, by page or API, and no person, review, import or export.
    for row_id in range(1, 8):
        assert client.get(f"/records/{row_id}").status_code == 404
        assert client.get(f"/api/records/{row_id}").status_code == 404
    for path in ("/", "/persons", "/persons/P000001", "/review", "/imports"):
        assert client.get(path).status_code == 403, path
    # The new-record form offers only the sources of its own records.
    form = client.get("/records/new").text
    assert "field_notes" in form and "ngo" not in form


def test_a_record_of_a_field_documenter_is_not_another_ones(app: Any) -> None:
    admin = signed_in(app, "admin")
    admin.post(
        "/admin/users",
        data={
            "csrf": page_csrf(admin),
            "name": "dora",
            "role": "documenter",
            "password": "another password 1",
        },
    )
    dina = TestClient(app, follow_redirects=False)
    login(dina, "dina")
    own = enter_record(dina, "d2", "Omid").headers["location"].split("?")[0]
    dora = TestClient(app, follow_redirects=False)
    assert login(dora, "dora", "another password 1").status_code == 303
    assert dora.get(own).status_code == 404
    assert "Omid" not in dora.get("/records/mine").text
    # An analyst sees it as any record.
    assert signed_in(app, "analyst").get(own).status_code == 200


def test_a_field_documenter_corrects_its_own_record_only(
    app: Any, web_path: Path
) -> None:
    client = TestClient(app, follow_redirects=False)
    login(client, "dina")
    own = enter_record(client, "d3", "Arash").headers["location"].split("?")[0]
    form = client.get(f"{own}/edit")
    assert form.status_code == 200
    assert 'value="Arash"' in form.text and 'value="Informant Zq"' in form.text
    values = {
        "given_name": "Arash",
        "family_name": "Rostami",
        "city": "Urmia",
        "status": "detained",
        "date_of_death": "2019-11-18",
        "informant": "Informant Zq",
    }
    done = client.post(f"{own}/edit", data={"csrf": csrf_of(form), **values})
    assert done.status_code == 303
    assert done.headers["location"] == f"{own}?done=record_corrected"
    page = client.get(done.headers["location"]).text
    assert "Record corrected." in page and "urmia" in page.casefold()
    same = client.post(f"{own}/edit", data={"csrf": csrf_of(form), **values})
    assert same.headers["location"] == f"{own}?done=record_unchanged"
    row_id = int(own.rsplit("/", 1)[1])
    with open_workspace(web_path, PASSPHRASE) as ws:
        (versions,) = ws.conn.execute(
            "select count(*) from record_versions where record_row = ?", (row_id,)
        ).fetchone()
        live = ws.conn.execute("select count(*) from live_records").fetchone()[0]
        assert verify_register(ws.conn).ok
    assert versions == 1  # the first values kept in its history
    assert live == 8  # nothing retracted: the seven seeded records and this one
    # Another's record, or one the command line imported, cannot be corrected.
    assert client.get("/records/1/edit").status_code == 404
    analyst = signed_in(app, "analyst")
    assert analyst.get("/records/1/edit").status_code == 404
    refused = analyst.post(
        f"{own}/edit", data={"csrf": page_csrf(analyst), **values, "city": "Qom"}
    )
    assert refused.status_code == 404
