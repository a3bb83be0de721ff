"""Corrections in real Chromium: from the person page, in English and Persian, by role.

An analyst opens a person, sets its consent, discounts and restores it, merges it
with another person and splits a record off; then links from the runs page and
finds the merge and the split applied. A viewer or a reviewer reaches none of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aban.linkage import register
from aban.store.workspace import open_workspace
from tests.conftest import PASSPHRASE
from tests.store.fake_linker import FakeLinker
from tests.web.browser_fixtures import serving
from tests.web.test_browser import sign_in
from tests.web.test_corrections import person_of, row_of

pytestmark = pytest.mark.browser


@pytest.fixture
def base_url(web_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setattr(register, "_default_linker", FakeLinker)
    with serving(web_path) as url:
        yield url


def actions(path: Path) -> list[tuple[str, str]]:
    with open_workspace(path, PASSPHRASE) as ws:
        return ws.conn.execute(
            "select action, actor from audit where action like 'person-%' order by seq"
        ).fetchall()


def open_corrections(page: Any, base_url: str, person: str, lang: str) -> None:
    page.goto(f"{base_url}/persons/{person}?lang={lang}")
    with page.expect_navigation():
        page.click("#correct")
    assert page.url == f"{base_url}/persons/{person}/corrections"


def test_an_analyst_corrects_persons_and_the_next_run_applies_them(
    loopback_page: Any, base_url: str, web_path: Path
) -> None:
    page = loopback_page
    sign_in(page, base_url, "analyst")
    person = person_of(web_path, "k2")
    open_corrections(page, base_url, person, "en")
    page.select_option("select[name=consent]", "public-without-name")
    with page.expect_navigation():
        page.click("#set-consent")
    assert page.inner_text("#done") == "Consent saved."
    assert page.inner_text("#consent") == "public without name"
    page.select_option("select[name=reason]", "found-alive")
    page.fill("textarea[name=note]", "seen in a later video")
    with page.expect_navigation():
        page.click("#discount")
    assert page.inner_text("#done") == "Person discounted."
    assert page.inner_text("#grade") == "discounted"
    with page.expect_navigation():
        page.click("#restore")
    assert page.inner_text("#done") == "Discount undone."
    page.fill("input[name=other]", person_of(web_path, "k3"))
    with page.expect_navigation():
        page.click("#merge")
    assert "Merge stored; it takes effect at the next link run." in page.inner_text(
        "#done"
    )
    together = person_of(web_path, "f1")
    open_corrections(page, base_url, together, "en")
    page.select_option("select[name=record]", str(row_of(web_path, "f1")))
    with page.expect_navigation():
        page.click("#split")
    assert "Split stored" in page.inner_text("#done")
    with page.expect_navigation():
        page.click("#done a[href='/runs']")
    page.goto(f"{base_url}/runs?lang=en")  # a run at the default threshold
    with page.expect_navigation():
        page.click("#run-start")
    page.wait_for_selector("#run-done", timeout=30_000)
    assert person_of(web_path, "k2") == person_of(web_path, "k3")
    assert person_of(web_path, "k1") != person_of(web_path, "f1")
    assert actions(web_path) == [
        (a, "anna")
        for a in (
            "person-consent",
            "person-discount",
            "person-restore",
            "person-merge",
            "person-split",
        )
    ]
    assert page.errors == [] and page.offsite == []


def test_the_persian_corrections_page(
    loopback_page: Any, base_url: str, web_path: Path
) -> None:
    page = loopback_page
    sign_in(page, base_url, "analyst")
    person = person_of(web_path, "k4")
    open_corrections(page, base_url, person, "fa")
    assert page.get_attribute("html", "dir") == "rtl"
    page.select_option("select[name=consent]", "withheld")
    with page.expect_navigation():
        page.click("#set-consent")
    assert page.inner_text("#done") == "رضایت ذخیره شد."
    assert page.inner_text("#consent") == "منتشر نشود"
    page.fill("input[name=other]", person)
    with page.expect_navigation():
        page.click("#merge")
    assert page.inner_text("#correction-error") == (
        f"{person} and {person} are the same person"
    )
    page.select_option("select[name=reason]", "unrelated")
    with page.expect_navigation():
        page.click("#discount")
    assert page.inner_text("#done") == "فرد کنار گذاشته شد."
    assert page.inner_text("#grade") == "کنارگذاشته"
    with page.expect_navigation():
        page.click("#restore")
    assert page.inner_text("#done") == "کنار گذاشتن لغو شد."
    together = person_of(web_path, "f1")
    page.goto(f"{base_url}/persons/{together}/corrections")
    page.select_option("select[name=record]", str(row_of(web_path, "k1")))
    with page.expect_navigation():
        page.click("#split")
    assert page.inner_text("#done").startswith(
        "جداسازی ثبت شد؛ در اجرای بعدی پیوند اعمال می‌شود."
    )
    assert [a for a, _ in actions(web_path)] == [
        "person-consent",
        "person-discount",
        "person-restore",
        "person-split",
    ]
    assert page.errors == [] and page.offsite == []


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_viewers_and_reviewers_cannot_reach_corrections(
    loopback_page: Any, base_url: str, web_path: Path, role: str
) -> None:
    page = loopback_page
    sign_in(page, base_url, role)
    person = person_of(web_path, "k1")
    page.goto(f"{base_url}/persons/{person}")
    assert page.locator("#correct").count() == 0
    for lang in ("en", "fa"):
        response = page.goto(f"{base_url}/persons/{person}/corrections?lang={lang}")
        assert response.status == 403
    assert actions(web_path) == []
    assert page.errors == [] and page.offsite == []
