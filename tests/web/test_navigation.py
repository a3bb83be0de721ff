"""Where signing in sends a field documenter (issue 18; found by the walk of the
menus in tests/web/test_navigation_browser.py)."""

from __future__ import annotations

from tests.web.client import TestClient
from tests.web.conftest import csrf_of
from tests.web.seed import PASSWORD, ROLE_USERS


def _sign_in(client: TestClient, role: str, start: str) -> str:
    form = client.get(f"/login?next={start}")
    data = {"name": ROLE_USERS[role], "password": PASSWORD, "csrf": csrf_of(form)}
    data["next"] = start
    answer = client.post("/login", data=data)
    assert answer.status_code == 303
    return str(answer.headers["location"])


def test_a_documenter_opening_the_home_with_a_language_lands_on_its_records(
    client: TestClient,
) -> None:
    # It was sent on to '/?lang=fa', which a documenter may not open (403).
    target = _sign_in(client, "documenter", "/?lang=fa")
    assert target == "/records/mine?lang=fa"
    page = client.get(target)
    assert page.status_code == 200
    assert 'lang="fa"' in page.text


def test_others_go_where_they_started(client: TestClient) -> None:
    assert _sign_in(client, "analyst", "/?lang=fa") == "/?lang=fa"
