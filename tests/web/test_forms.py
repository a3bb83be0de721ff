"""Entering a record and a detention event through the import's checks; accounts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aban.store.workspace import open_workspace
from tests.conftest import PASSPHRASE
from tests.web.client import TestClient
from tests.web.conftest import page_csrf, signed_in


def audit_tail(path: Path) -> tuple[str, str, dict[str, Any]]:
    with open_workspace(path, PASSPHRASE) as ws:
        actor, action, detail = ws.conn.execute(
            "select actor, action, detail from audit order by seq desc limit 1"
        ).fetchone()
    return actor, action, json.loads(detail)


def count(path: Path, table: str) -> int:
    with open_workspace(path, PASSPHRASE) as ws:
        return int(ws.conn.execute(f"select count(*) from {table}").fetchone()[0])


def post(client: TestClient, path: str, **fields: str) -> Any:
    return client.post(path, data={**fields, "csrf": page_csrf(client)})


def test_a_new_record_is_normalised_stored_and_audited(
    app: Any, web_path: Path
) -> None:
    client = signed_in(app, "analyst")
    assert 'id="record-form"' in client.get("/records/new").text
    response = post(
        client,
        "/records/new",
        source="ngo",
        record_id="w1",
        full_name="Sara  Rahimi",
        sex="زن",
        age="۲۴",
        date_of_death="1398/08/25",
        city="shiraz",
        status="killed",
        informant="A Neighbour",
    )
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert location.startswith("/records/") and location.endswith("?done=record_stored")
    page = client.get(location).text
    assert "Record stored." in page and "Sara Rahimi" in page
    with open_workspace(web_path, PASSPHRASE) as ws:
        row = ws.conn.execute(
            "select full_name, sex, age, date_of_death, informant from records "
            "where record_id = 'w1'"
        ).fetchone()
    assert row == ("Sara Rahimi", "f", 24, "2019-11-16", "A Neighbour")
    actor, action, detail = audit_tail(web_path)
    assert (actor, action, detail["accepted"]) == ("anna", "import", 1)
    assert "Rahimi" not in json.dumps(detail)


def test_a_record_with_errors_is_refused_with_its_issues_inline(
    app: Any, web_path: Path
) -> None:
    client = signed_in(app, "analyst")
    before = count(web_path, "records"), count(web_path, "audit")
    response = post(
        client,
        "/records/new",
        source="ngo",
        given_name="Omid",
        age="500",
        date_of_death="2019-02-30",
        sex="maybe",
    )
    assert response.status_code == 400
    page = response.text
    assert "Nothing was stored." in page
    assert page.count('<ul class="problems">') >= 3
    assert 'value="Omid"' in page  # what was typed is kept
    assert (count(web_path, "records"), count(web_path, "audit")) == before


def test_the_same_record_again_is_not_stored_twice(app: Any, web_path: Path) -> None:
    client = signed_in(app, "analyst")
    fields = {"source": "ngo", "record_id": "w2", "given_name": "Nima"}
    first = post(client, "/records/new", **fields)
    again = post(client, "/records/new", **fields)
    assert first.headers["location"].endswith("done=record_stored")
    assert again.headers["location"].endswith("done=record_unchanged")
    changed = post(client, "/records/new", **{**fields, "given_name": "Other"})
    assert changed.status_code == 400
    assert "record_id is already in the register with other values" in changed.text
    assert count(web_path, "records") == 8


def test_a_new_source_is_created_and_a_missing_one_refused(
    app: Any, web_path: Path
) -> None:
    client = signed_in(app, "analyst")
    missing = post(client, "/records/new", given_name="Nima")
    assert missing.status_code == 400
    made = post(client, "/records/new", new_source="field team", given_name="Nima")
    assert made.status_code == 303
    bad = post(client, "/records/new", new_source="a/b", given_name="Nima")
    assert bad.status_code == 400 and "the source name is not usable" in bad.text
    assert count(web_path, "sources") == 3


def test_a_detention_event_is_stored_and_shown_on_the_person_page(
    app: Any, web_path: Path
) -> None:
    client = signed_in(app, "analyst")
    form = client.get("/detentions/new?person=P2").text
    assert 'name="person_id" value="P000002"' in form
    response = post(
        client,
        "/detentions/new",
        person_id="p2",
        date="1398/09/01",
        status="arrested",
        place="Evin",
        source="ngo",
        note="seen at a protest",
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/persons/P000002?done=event_stored"
    page = client.get(response.headers["location"]).text
    assert "Detention event stored." in page
    assert "<td>2019-11-22</td><td>arrested</td><td>Evin</td><td>ngo</td>" in page
    actor, action, detail = audit_tail(web_path)
    assert (actor, action, detail["events"]) == ("anna", "detentions-import", 1)


def test_a_bad_detention_event_shows_its_issues(app: Any, web_path: Path) -> None:
    client = signed_in(app, "analyst")
    before = count(web_path, "detention_events")
    response = post(
        client,
        "/detentions/new",
        person_id="P999",
        date="tomorrow",
        status="shot",
        source="nobody",
    )
    assert response.status_code == 400
    assert "not a date in any accepted layout" in response.text
    assert "not a known status or fact" in response.text
    assert count(web_path, "detention_events") == before


def test_admins_add_accounts_change_roles_and_disable_them(
    app: Any, web_path: Path
) -> None:
    admin = signed_in(app, "admin")
    made = post(
        admin, "/admin/users", name="nora", role="reviewer", password="a long password"
    )
    assert made.status_code == 303
    assert audit_tail(web_path)[:2] == ("adam", "user-add")
    page = admin.get("/admin/users?done=user_saved").text
    assert "<td>nora</td><td>reviewer</td><td>active</td>" in page
    assert (
        post(admin, "/admin/users/nora", action="role", role="analyst").status_code
        == 303
    )
    assert audit_tail(web_path)[1:] == ("user-role", {"user_id": 6, "role": "analyst"})
    assert post(admin, "/admin/users/nora", action="disable").status_code == 303
    assert (
        "<td>nora</td><td>analyst</td><td>disabled</td>"
        in admin.get("/admin/users").text
    )
    short = post(admin, "/admin/users", name="olga", role="viewer", password="short")
    assert short.status_code == 400 and "10 to 1024 characters" in short.text
    twice = post(admin, "/admin/users", name="NORA", role="viewer", password="x" * 12)
    assert twice.status_code == 400 and "exists already" in twice.text
    assert post(admin, "/admin/users/ghost", action="disable").status_code == 404
    assert post(admin, "/admin/users/adam", action="disable").status_code == 400
