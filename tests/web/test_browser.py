"""The web app in real Chromium (Playwright) against a real uvicorn server.

A reviewer signs in and decides ten pairs with the keyboard; an analyst finds and
opens a person and adds a record; a viewer cannot see a protected field on any
page they can reach. Every request stays on the loopback server and no page
raises a JavaScript error.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aban.store.workspace import open_workspace
from tests.conftest import PASSPHRASE
from tests.web.browser_fixtures import serving
from tests.web.seed import CANARIES, PASSWORD, ROLE_USERS

pytestmark = pytest.mark.browser


@pytest.fixture
def base_url(web_path: Path) -> Iterator[str]:
    with serving(web_path) as url:
        yield url


def sign_in(page: Any, base_url: str, role: str) -> None:
    page.goto(f"{base_url}/")
    assert page.url.startswith(f"{base_url}/login?next=")
    page.fill("input[name=name]", ROLE_USERS[role])
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("#sign-in")
    assert page.url == f"{base_url}/"
    assert ROLE_USERS[role] in page.inner_text("nav")


def decisions(path: Path) -> list[tuple[str, str]]:
    with open_workspace(path, PASSPHRASE) as ws:
        return ws.conn.execute(
            "select decision, reviewer from link_decisions order by id"
        ).fetchall()


def test_a_reviewer_decides_ten_pairs_with_the_keyboard(
    loopback_page: Any, base_url: str, web_path: Path
) -> None:
    page = loopback_page
    sign_in(page, base_url, "reviewer")
    with page.expect_navigation():  # loaded: the key handler is attached
        page.click("a[href='/review']")
    keys = "mnsmnmmsnm"
    seen = set()
    for key in keys:
        pair = page.get_attribute("table.pair", "data-pair")
        assert pair not in seen
        seen.add(pair)
        with page.expect_navigation():
            page.keyboard.press(key)
        expected = {"m": "stored", "n": "stored", "s": "skipped"}[key]
        assert page.url == f"{base_url}/review?last={expected}"
    assert len(seen) == 10
    stored = decisions(web_path)
    assert stored == [
        ("match" if k == "m" else "non_match", "rosa") for k in keys if k != "s"
    ]
    assert page.errors == [] and page.offsite == []


def test_typing_in_a_field_does_not_decide(
    loopback_page: Any, base_url: str, web_path: Path
) -> None:
    page = loopback_page
    sign_in(page, base_url, "reviewer")
    page.goto(f"{base_url}/persons")
    page.fill("input[name=q]", "mns")  # the search box keeps its keys
    page.goto(f"{base_url}/review")
    page.keyboard.press("Control+m")
    page.keyboard.press("x")
    assert page.url == f"{base_url}/review" and decisions(web_path) == []


def test_an_analyst_opens_a_person_and_adds_a_record(
    loopback_page: Any, base_url: str
) -> None:
    page = loopback_page
    sign_in(page, base_url, "analyst")
    page.click("a[href='/persons']")
    page.fill("input[name=q]", "Bahram")
    with page.expect_navigation():
        page.press("input[name=q]", "Enter")
    with page.expect_navigation():
        page.click("a[href='/persons/P000002']")
    assert page.inner_text("h1") == "P000002: Bahram Karimi"
    assert "Shiraz" in page.inner_text("table.canonical")
    page.click("a[href='/records/new']")
    page.select_option("select[name=source]", "ngo")
    page.fill("input[name=record_id]", "b-1")
    page.fill("input[name=given_name]", "Kaveh")
    page.fill("input[name=family_name]", "Amini")
    page.select_option("select[name=sex]", "m")
    page.fill("input[name=age]", "19")
    page.fill("input[name=date_of_death]", "1398/08/26")
    page.select_option("select[name=status]", "killed")
    with page.expect_navigation():
        page.click("#save")
    assert "Record stored." in page.inner_text("main")
    facts = page.inner_text("table.facts")
    assert "Kaveh" in facts and "2019-11-17" in facts and "male" in facts
    assert page.errors == [] and page.offsite == []


def test_a_bad_record_shows_its_issues_in_the_form(
    loopback_page: Any, base_url: str
) -> None:
    page = loopback_page
    sign_in(page, base_url, "analyst")
    page.goto(f"{base_url}/records/new")
    page.select_option("select[name=source]", "ngo")
    page.fill("input[name=given_name]", "Kaveh")
    page.fill("input[name=age]", "300")
    with page.expect_navigation():
        page.click("#save")
    assert "Nothing was stored." in page.inner_text("main")
    assert page.input_value("input[name=given_name]") == "Kaveh"
    assert page.locator("ul.problems").count() >= 1


def test_a_viewer_cannot_see_a_protected_field(
    loopback_page: Any, base_url: str
) -> None:
    page = loopback_page
    sign_in(page, base_url, "viewer")
    assert page.locator("a[href='/review']").count() == 0
    shown = []
    for path in (
        "/persons/P000001",
        "/records/7",
        "/records/1",
        "/api/persons/P000001",
        "/api/records/7",
        "/persons/P000001?lang=fa",
        "/review",
        "/records/new",
        "/admin/users",
    ):
        response = page.goto(f"{base_url}{path}")
        shown.append((path, response.status))
        text = page.content()
        assert [v for v in CANARIES.values() if v in text] == [], path
    assert dict(shown)["/review"] == 403 and dict(shown)["/admin/users"] == 403
    page.goto(f"{base_url}/persons/P000001?lang=en")
    assert "protected source" in page.inner_text("table.records")
    assert "Informant" not in page.inner_text("main")
    assert page.errors == [] and page.offsite == []


def test_the_persian_interface_runs_right_to_left(
    loopback_page: Any, base_url: str
) -> None:
    page = loopback_page
    sign_in(page, base_url, "reviewer")
    page.goto(f"{base_url}/persons/P000001")
    with page.expect_navigation():
        page.click("#lang-switch")
    assert page.get_attribute("html", "dir") == "rtl"
    assert "۱۳۹۸/۰۸/۲۵" in page.inner_text("table.canonical")
    page.goto(f"{base_url}/review")
    assert page.get_attribute("html", "dir") == "rtl"
    with page.expect_navigation():
        page.keyboard.press("m")
    assert "تصمیم ثبت شد." in page.inner_text("main")
