"""The whole app by each role in real Chromium, in both languages (issue 18): every
link of the menu opens with 200 and no console error, the menu is the role's
(nothing it may not reach is linked, on the menu's pages either), and axe-core
finds no serious or critical violation on issue 18's pages (runs, corrections,
imports, account, detentions, own records). Screenshots go to tests/artifacts/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser import ARTIFACTS
from tests.web.browser_fixtures import serving
from tests.web.test_detentions_browser import serious_violations, sign_in

pytestmark = pytest.mark.browser

#: Each role's menu (the nav's links but the language switch), in order.
MENUS = {
    "viewer": ["/", "/persons", "/account"],
    "reviewer": ["/", "/persons", "/review", "/detentions", "/account"],
    "analyst": [
        "/",
        "/persons",
        "/review",
        "/detentions",
        "/records/new",
        "/records/mine",
        "/imports",
        "/runs",
        "/account",
    ],
    "admin": [
        "/",
        "/persons",
        "/review",
        "/detentions",
        "/records/new",
        "/records/mine",
        "/imports",
        "/runs",
        "/admin/users",
        "/account",
    ],
    "documenter": ["/records/mine", "/records/mine", "/records/new", "/account"],
}
#: Issue 18's pages, checked with axe-core by the role named (the documenter's
#: list once it holds a record it entered).
AXED_BY = {
    "/detentions": "reviewer",
    "/imports": "analyst",
    "/runs": "analyst",
    "/account": "admin",
    "/records/mine": "documenter",
}
_ID = re.compile(r"/(P\d+|\d+)(?=/|$)")


@pytest.fixture
def base_url(web_path: Path) -> Iterator[str]:
    with serving(web_path) as url:
        yield url


def _watch(page: Any) -> list[str]:
    """Console errors (a CSP refusal, a failed script) and uncaught exceptions."""
    found: list[str] = []
    page.on(
        "console",
        lambda msg: (
            found.append(f"{page.url}: {msg.text}") if msg.type == "error" else None
        ),
    )
    page.on("pageerror", lambda err: found.append(f"{page.url}: {err}"))
    return found


def _menu(page: Any) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "header nav a:not(#lang-switch)", "els => els.map(e => e.getAttribute('href'))"
    )
    return [str(h) for h in hrefs]


def _links(page: Any) -> set[str]:
    """The app's paths linked anywhere on the page, one of each shape (ids
    replaced by the first seen)."""
    hrefs = page.eval_on_selector_all(
        "a[href]", "els => els.map(e => e.getAttribute('href'))"
    )
    shapes: dict[str, str] = {}
    for href in map(str, hrefs):
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        shapes.setdefault(_ID.sub("/ID", parts.path), parts.path)
    return set(shapes.values())


def _shot(page: Any, role: str, lang: str, path: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    slug = path.strip("/").replace("/", "-") or "home"
    page.screenshot(
        path=ARTIFACTS / f"web-nav-{role}-{lang}-{slug}.png", full_page=True
    )


def _walk(page: Any, base_url: str, role: str, lang: str, axed: set[str]) -> list[str]:
    """Open each menu link; return what failed (status, console, axe)."""
    problems: list[str] = []
    linked: set[str] = set()
    for path in dict.fromkeys(_menu(page)):
        response = page.goto(f"{base_url}{path}")
        if response is None or response.status != 200:
            problems.append(f"{path}: {response.status if response else 'no answer'}")
            continue
        assert page.get_attribute("html", "lang") == lang
        linked |= _links(page)
        _shot(page, role, lang, path)
        if AXED_BY.get(path) == role:
            axed.add(path)
            problems += serious_violations(page)
    for path in sorted(linked - {"/logout"}):
        answer = page.request.get(f"{base_url}{path}", max_redirects=0)
        if answer.status in (401, 403):
            problems.append(f"{path} linked for a {role} but answers {answer.status}")
    # and what other roles' menus hold but its own does not, it may not open
    for path in sorted({p for m in MENUS.values() for p in m} - {*MENUS[role]}):
        answer = page.request.get(f"{base_url}{path}", max_redirects=0)
        if answer.status != 403:
            problems.append(f"{path} not in a {role}'s menu answers {answer.status}")
    return problems


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_each_role_walks_its_menu(loopback_page: Any, base_url: str, lang: str) -> None:
    page, axed, problems = loopback_page, set[str](), []
    errors = _watch(page)
    for role, menu in MENUS.items():
        page.context.clear_cookies()
        sign_in(page, base_url, role, lang)
        assert not errors, (role, errors)
        assert _menu(page) == menu, role
        if role == "analyst":
            problems += _corrections(page, base_url, lang)
        if role == "documenter":
            _enter_record(page, base_url, lang)
        problems += _walk(page, base_url, role, lang, axed)
    assert axed == set(AXED_BY)
    assert not problems, problems
    assert not errors, errors
    assert not page.offsite


def _corrections(page: Any, base_url: str, lang: str) -> list[str]:
    """The corrections page, reached from the first person's page."""
    page.goto(f"{base_url}/persons")
    with page.expect_navigation():
        page.click("a[href^='/persons/P']")
    with page.expect_navigation():
        page.click("#correct")
    assert page.url.endswith("/corrections")
    _shot(page, "analyst", lang, "corrections")
    return serious_violations(page)


def _enter_record(page: Any, base_url: str, lang: str) -> None:
    """A record entered through the form, so the documenter's list has a row."""
    page.goto(f"{base_url}/records/new")
    page.fill("input[name=new_source]", "field_notes")
    page.fill("input[name=record_id]", f"walk-{lang}")
    page.fill("input[name=given_name]", "Navid")
    page.fill("input[name=family_name]", "Rostami")
    page.select_option("select[name=status]", "detained")
    with page.expect_navigation():
        page.click("form.entry button[type=submit]")
    assert "done=record_stored" in page.url
