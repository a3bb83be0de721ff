"""Two-factor sign-in, the user's own page, the accounts page and a field
documenter's pages in Chromium, in both languages, by role (issue 18)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest

from tests.web.browser_fixtures import serving
from tests.web.seed import PASSWORD, ROLE_USERS

pytestmark = pytest.mark.browser


@pytest.fixture
def base_url(web_path: Path) -> Iterator[str]:
    with serving(web_path) as url:
        yield url


def password_step(page: Any, base_url: str, role: str, lang: str = "en") -> None:
    page.goto(f"{base_url}/login?lang={lang}")
    page.fill("input[name=name]", ROLE_USERS[role])
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("#sign-in")


def secret_on(page: Any) -> str:
    return str(page.inner_text("#totp-secret")).replace(" ", "")


def code(secret: str, steps: int = 0) -> str:
    return str(pyotp.TOTP(secret).at(time.time() + 30 * steps))


def send_code(page: Any, value: str) -> None:
    page.fill("input[name=code]", value)
    with page.expect_navigation():
        page.click("#send-code")


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_a_user_enrols_then_signs_in_with_a_code(
    loopback_page: Any, base_url: str, lang: str
) -> None:
    page = loopback_page
    password_step(page, base_url, "viewer", lang)
    with page.expect_navigation():
        page.click("#account-link")
    assert page.get_attribute("html", "lang") == lang
    off = "Two-factor sign-in is off." if lang == "en" else "ورود دومرحله‌ای خاموش است."
    assert off in page.inner_text("#two-factor-state")
    with page.expect_navigation():
        page.click("#start-two-factor")
    secret = secret_on(page)
    assert page.inner_text("#totp-uri").startswith("otpauth://totp/aban:vera")
    page.fill("#confirm-form input[name=code]", code(secret))
    with page.expect_navigation():
        page.click("#confirm-two-factor")
    on = "Two-factor sign-in is on." if lang == "en" else "ورود دومرحله‌ای روشن است."
    assert on in page.inner_text("#two-factor-state")
    with page.expect_navigation():
        page.click("#sign-out")
    password_step(page, base_url, "viewer", lang)
    assert page.url == f"{base_url}/login"  # the code page, no session yet
    assert page.locator("#totp-secret").count() == 0
    send_code(page, "000000")
    wrong = "Wrong code." if lang == "en" else "کد نادرست است."
    assert wrong in page.inner_text("p.error")
    send_code(page, code(secret, 1))
    assert page.url == f"{base_url}/"
    assert "vera" in page.inner_text("nav")
    assert page.errors == [] and page.offsite == []


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_an_admin_requires_two_factors_and_the_user_enrols_at_sign_in(
    loopback_page: Any, browser: Any, base_url: str, lang: str
) -> None:
    page = loopback_page
    password_step(page, base_url, "admin", lang)
    page.goto(f"{base_url}/admin/users")
    row = page.locator("tr", has_text="rosa")
    with page.expect_navigation():
        row.locator("button[value=require]").click()
    assert page.locator("tr", has_text="rosa").locator("button[value=waive]").count()
    context = browser.new_context()
    other = context.new_page()
    try:
        password_step(other, base_url, "reviewer", lang)
        needs = (
            "Your account needs two-factor sign-in"
            if lang == "en"
            else "حساب شما ورود دومرحله‌ای می‌خواهد"
        )
        assert needs in other.inner_text("main")
        send_code(other, code(secret_on(other)))
        assert other.url == f"{base_url}/"
        assert other.locator("a[href='/review']").count() == 1
    finally:
        context.close()
    assert page.errors == [] and page.offsite == []


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_a_field_documenter_sees_only_its_own_records(
    loopback_page: Any, base_url: str, lang: str
) -> None:
    page = loopback_page
    password_step(page, base_url, "documenter", lang)
    assert page.url == f"{base_url}/records/mine"
    nav = page.inner_text("nav")
    assert page.locator("nav a[href='/persons']").count() == 0
    assert page.locator("nav a[href='/review']").count() == 0
    assert page.locator("nav a[href='/imports']").count() == 0
    assert "dina" in nav
    with page.expect_navigation():
        page.click("nav a[href='/records/new']")
    page.fill("input[name=new_source]", "field_notes")
    page.fill("input[name=record_id]", f"d-{lang}")
    page.fill("input[name=given_name]", "Navid")
    page.fill("input[name=family_name]", "Rostami")
    page.fill("input[name=date_of_death]", "2019-11-18")
    page.select_option("select[name=status]", "detained")
    with page.expect_navigation():
        page.click("form.entry button[type=submit]")
    own = page.url.split("?")[0]
    assert "/records/" in own and "Navid" in page.inner_text("table.facts")
    # It corrects its record from the record's page.
    with page.expect_navigation():
        page.click("#edit-record")
    page.fill("#edit-form input[name=city]", "Urmia")
    with page.expect_navigation():
        page.click("#save")
    said = "Record corrected." if lang == "en" else "گزارش اصلاح شد."
    assert said in page.inner_text("p.notice")
    assert "urmia" in page.inner_text("table.facts").casefold()
    page.goto(f"{base_url}/records/mine")
    assert "Navid" in page.inner_text("#own-records")
    for path, status in (("/records/1", 404), ("/persons", 403), ("/", 403)):
        response = page.goto(f"{base_url}{path}")
        assert response.status == status, path
    assert page.errors == [] and page.offsite == []


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_a_viewer_or_reviewer_reaches_no_documenter_or_import_page(
    loopback_page: Any, base_url: str, role: str
) -> None:
    page = loopback_page
    password_step(page, base_url, role)
    assert page.locator("nav a[href='/imports']").count() == 0
    for path in ("/imports", "/records/mine", "/records/new"):
        response = page.goto(f"{base_url}{path}?lang=fa")
        assert response.status == 403, path
        assert page.get_attribute("html", "dir") == "rtl"
    # Its own page it reaches.
    assert page.goto(f"{base_url}/account?lang=en").status == 200
    assert page.errors == [] and page.offsite == []
