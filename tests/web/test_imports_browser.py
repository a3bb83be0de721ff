"""Imports from the app in Chromium, in both languages: upload, preview, map a
column, import; a new version of the list; a source retracted (issue 18)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aban.store.workspace import open_workspace
from tests.conftest import PASSPHRASE
from tests.web.browser_fixtures import serving
from tests.web.seed import PASSWORD, ROLE_USERS
from tests.web.test_imports import CORRECTED, LIST

pytestmark = pytest.mark.browser


@pytest.fixture
def base_url(web_path: Path) -> Iterator[str]:
    with serving(web_path) as url:
        yield url


def sign_in(page: Any, base_url: str, role: str, lang: str) -> None:
    page.goto(f"{base_url}/login?lang={lang}")
    page.fill("input[name=name]", ROLE_USERS[role])
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("#sign-in")


def upload(page: Any, content: str, source: str, replace: bool = False) -> None:
    page.set_input_files(
        "#upload-form input[type=file]",
        files=[
            {"name": "list.csv", "mimeType": "text/csv", "buffer": content.encode()}
        ],
    )
    if replace:
        page.select_option("#upload-form select[name=source]", source)
        page.check("#upload-form input[name=replace]")
    else:
        page.fill("#upload-form input[name=new_source]", source)
    with page.expect_navigation():
        page.click("#upload")


def map_and_import(page: Any) -> None:
    row = page.locator("#columns tr", has_text="prenom")
    row.locator("select").select_option("given_name")
    with page.expect_navigation():
        page.click("#preview-again")
    assert "kaveh" in page.inner_text("#columns")
    with page.expect_navigation():
        page.click("#do-import")


def live(path: Path, source: str) -> list[tuple[str, str, str]]:
    with open_workspace(path, PASSPHRASE) as ws:
        return ws.conn.execute(
            "select r.record_id, r.given_name, r.city from live_records r "
            "join sources s on s.id = r.source_id where s.name = ? "
            "order by r.record_id",
            (source,),
        ).fetchall()


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_an_analyst_imports_a_list_and_a_new_version_of_it(
    loopback_page: Any, base_url: str, web_path: Path, lang: str
) -> None:
    page = loopback_page
    sign_in(page, base_url, "analyst", lang)
    with page.expect_navigation():
        page.click("nav a[href='/imports']")
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "fa" else "ltr")
    upload(page, LIST, "web_list")
    assert "list.csv" in page.inner_text("#preview h2")
    map_and_import(page)
    done = "The list was imported." if lang == "en" else "فهرست درون‌ریزی شد."
    assert done in page.inner_text("#import-result")
    assert live(web_path, "web_list") == [
        ("w1", "Kaveh", "Tehran"),
        ("w2", "Babak", "Tehran"),
    ]
    upload(page, CORRECTED, "web_list", replace=True)
    map_and_import(page)
    assert done in page.inner_text("#import-result")
    assert live(web_path, "web_list") == [("w1", "Kaveh", "Karaj")]
    assert page.errors == [] and page.offsite == []


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_an_analyst_retracts_a_source(
    loopback_page: Any, base_url: str, web_path: Path, lang: str
) -> None:
    page = loopback_page
    sign_in(page, base_url, "analyst", lang)
    page.goto(f"{base_url}/imports")
    page.select_option("#source-form select[name=source]", "ngo")
    page.fill("#source-form input[name=reason]", "a duplicate list")
    with page.expect_navigation():
        page.click("#retract")
    said = "The source was retracted." if lang == "en" else "منبع پس گرفته شد."
    assert said in page.inner_text("p.notice")
    assert live(web_path, "ngo") == []
    assert page.errors == [] and page.offsite == []
