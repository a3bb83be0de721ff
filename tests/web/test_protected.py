"""A viewer never sees a protected field or a protected source, by any URL.

The seeded register holds canaries in every protected place (tests/web/seed.py).
As a viewer, every route is requested with every person and record, in both
languages, on the HTML pages and the JSON API, plus every link the pages show
(a crawl); no response may contain a canary. The same pages for an analyst do
show them, so the check can fail.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

import pytest

from aban.store.workspace import open_workspace
from aban.web import ROUTE_ROLES
from tests.conftest import PASSPHRASE
from tests.web.conftest import page_csrf, signed_in
from tests.web.seed import CANARIES

HREF = re.compile(r'href="(/[^"]*)"')


def register_ids(path: Path) -> tuple[list[str], list[int]]:
    with open_workspace(path, PASSPHRASE) as ws:
        persons = [r[0] for r in ws.conn.execute("select person_id from persons")]
        records = [r[0] for r in ws.conn.execute("select id from records")]
    return persons, records


def urls(path: Path) -> list[str]:
    """Every GET URL of the app, for every person and record, in both languages."""
    persons, records = register_ids(path)
    found = []
    for method, route in ROUTE_ROLES:
        if method != "GET":
            continue
        if "{person_id}" in route:
            found += [
                route.replace("{person_id}", p) for p in [*persons, "P999999", "x"]
            ]
        elif "{row_id:int}" in route:
            found += [route.replace("{row_id:int}", str(r)) for r in [*records, 999]]
        else:
            found.append(route)
    for canary in CANARIES.values():
        found += [f"/persons?q={canary}", f"/api/persons?q={canary}"]
    found += ["/persons?grade=single-source", "/detentions/new?person=P000001"]
    return [
        u + sep + lang
        for u in found
        for sep in ("&" if "?" in u else "?",)
        for lang in ("lang=en", "lang=fa")
    ]


def leaks(text: str, url: str = "") -> list[str]:
    """The canaries in ``text``, but those the URL itself carries (a search box
    shows back what was searched)."""
    asked = unquote_plus(url)
    return [n for n, v in CANARIES.items() if v in text and v not in asked]


def crawl(client: Any, start: list[str], limit: int = 400) -> dict[str, str]:
    """GET ``start`` and every same-site link found, breadth first."""
    seen: dict[str, str] = {}
    queue = list(start)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen or url.startswith("/static/"):
            continue
        response = client.get(url)
        assert response.status_code < 500, url
        seen[url] = response.text
        queue += [h.replace("&amp;", "&") for h in HREF.findall(response.text)]
    return seen


def test_a_viewer_never_sees_a_canary_by_any_url(app: Any, web_path: Path) -> None:
    client = signed_in(app, "viewer")
    bodies = crawl(client, ["/", *urls(web_path)])
    assert len(bodies) > 60
    for url, text in bodies.items():
        assert leaks(text, url) == [], url
    # The pages did show the person: the check is not passing on empty pages.
    person = bodies["/persons/P000001?lang=en"]
    assert "Karimi" in person and "Shiraz" in person and "protected source" in person
    assert "held incommunicado" in person and "Prison A" in person
    api = client.get("/api/persons/P000001").json()["person"]
    assert api["records"][1]["source"] is None
    assert "national_id" not in api["canonical"]["fields"]
    assert (
        set(api["records"][0]) & {"informant", "contact", "notes_private", "raw"}
        == set()
    )


def test_a_viewer_posting_anywhere_sees_no_canary(app: Any) -> None:
    client = signed_in(app, "viewer")
    csrf = page_csrf(client)
    for method, route in ROUTE_ROLES:
        if method == "POST" and ROUTE_ROLES[(method, route)] != "viewer":
            target = route.replace("{name}", "anna").replace("{row_id:int}", "1")
            response = client.post(target, data={"csrf": csrf, "person_id": "P000001"})
            assert response.status_code == 403, route
            assert leaks(response.text) == []


def test_searching_a_protected_value_finds_no_one(app: Any) -> None:
    client = signed_in(app, "viewer")
    for canary in (CANARIES["national_id"], CANARIES["informant"], CANARIES["source"]):
        assert client.get("/api/persons", params={"q": canary}).json()["total"] == 0
    assert client.get("/api/persons", params={"q": "karimi"}).json()["total"] == 6


@pytest.mark.parametrize("role", ["reviewer", "analyst", "admin"])
def test_other_roles_do_see_the_protected_fields(app: Any, role: str) -> None:
    client = signed_in(app, role)
    person = client.get("/persons/P000001").text
    record = client.get("/records/7").text
    assert leaks(person) == [
        "informant",
        "contact",
        "notes_private",
        "national_id",
        "source",
        "original_name",
        "event_note",
    ]
    assert {"informant", "contact", "notes_private", "source"} <= set(leaks(record))
