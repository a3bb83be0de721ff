"""Issue 18's pages and actions in real Chromium, in both languages, by role: the
detentions page and a case's page, the search across scripts, the review queue
after the browser is reopened; axe-core finds no serious violation on them, and a
viewer reaches none of the new pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.browser_fixtures import serving
from tests.web.seed import PASSWORD, ROLE_USERS
from tests.web.test_detentions import add_detainees, person_of

pytestmark = pytest.mark.browser
#: The impacts that fail a page, as in the site's accessibility test.
FAILING = ("serious", "critical")
AS_OF = "2020-02-01"


@pytest.fixture
def detained(web_path: Path, tmp_path: Path) -> Path:
    return add_detainees(web_path, tmp_path)


@pytest.fixture
def base_url(detained: Path) -> Iterator[str]:
    with serving(detained) as url:
        yield url


def sign_in(page: Any, base_url: str, role: str, lang: str = "en") -> None:
    page.goto(f"{base_url}/?lang={lang}")
    page.fill("input[name=name]", ROLE_USERS[role])
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("#sign-in")
    assert page.url.startswith(f"{base_url}/")
    assert page.get_attribute("html", "lang") == lang


def serious_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page).response
    return [
        f"{page.url}: {v['id']} ({v['impact']}) {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v["impact"] in FAILING
    ]


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_a_reviewer_filters_the_detentions_and_opens_a_case(
    loopback_page: Any, base_url: str, detained: Path, lang: str
) -> None:
    page = loopback_page
    sara = person_of(detained, "d1")
    sign_in(page, base_url, "reviewer", lang)
    with page.expect_navigation():
        page.click("nav a[href='/detentions']")
    page.fill("input[name=as_of]", "1398/11/12" if lang == "fa" else AS_OF)
    page.select_option("select[name=urgency]", "death_sentence")
    with page.expect_navigation():
        page.click("#filters button[type=submit]")
    rows = page.locator("#cases tbody tr")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-case") == sara
    assert "سارا حسینی" in rows.first.inner_text()
    found = serious_violations(page)
    with page.expect_navigation():
        page.click(f"#cases a[href^='/detentions/{sara}']")
    assert page.url == f"{base_url}/detentions/{sara}?as_of={AS_OF}"
    history = page.inner_text("#history")
    assert ("death sentence" if lang == "en" else "حکم اعدام") in history
    assert "list_fa" in history
    assert ("68 days" if lang == "en" else "۶۸ روز") in page.inner_text("#alerts")
    found += serious_violations(page)
    assert found == []
    assert page.errors == [] and page.offsite == []


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_a_viewer_reaches_no_detentions_page(
    loopback_page: Any, base_url: str, detained: Path, lang: str
) -> None:
    page = loopback_page
    sign_in(page, base_url, "viewer", lang)
    assert page.locator("nav a[href='/detentions']").count() == 0
    sara = person_of(detained, "d1")
    for path in ("/detentions", f"/detentions/{sara}", "/api/detentions"):
        response = page.goto(f"{base_url}{path}")
        assert response.status == 403, path
        assert "سارا" not in page.content()
    assert page.errors == [] and page.offsite == []


@pytest.mark.parametrize(
    ("lang", "query", "expected"),
    [("en", "Hosseini", "سارا حسینی"), ("fa", "تهرانی", "Reza Tehrani")],
)
def test_the_search_finds_a_name_from_the_other_script(
    loopback_page: Any, base_url: str, lang: str, query: str, expected: str
) -> None:
    page = loopback_page
    sign_in(page, base_url, "viewer", lang)
    page.click("nav a[href='/persons']")
    page.fill("input[name=q]", query)
    with page.expect_navigation():
        page.press("input[name=q]", "Enter")
    assert page.locator("table.list tbody tr").count() == 1
    assert expected in page.inner_text("table.list")
    assert serious_violations(page) == []
    assert page.errors == [] and page.offsite == []


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_a_reopened_browser_gets_its_pair_back(
    browser: Any, base_url: str, lang: str
) -> None:
    pairs = []
    for _ in range(2):  # the first browser is closed without a decision
        context = browser.new_context()
        page = context.new_page()
        try:
            sign_in(page, base_url, "reviewer", lang)
            page.goto(f"{base_url}/review")
            assert page.locator("#queue-empty").count() == 0
            pairs.append(page.get_attribute("table.pair", "data-pair"))
            if lang == "fa":
                assert page.get_attribute("html", "dir") == "rtl"
                assert serious_violations(page) == []
        finally:
            context.close()
    assert pairs[0] is not None and pairs[0] == pairs[1]
