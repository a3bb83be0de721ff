"""Link and grade from the app in real Chromium, in English and Persian, by role.

The server runs in this process, so the fake linker stands in for the linkage
engine (``aban.linkage.register._default_linker``); a gated one holds the run at
its training stage until the test lets it go, so the page's progress is seen.
"""

from __future__ import annotations

import threading
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

pytestmark = pytest.mark.browser


class Gate(FakeLinker):
    """The fake linker, held at its training stage until ``gate`` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.entered, self.gate = threading.Event(), threading.Event()

    def __call__(self, records: Any, **kw: Any) -> Any:
        kw["progress"]("training the model")
        self.entered.set()
        assert self.gate.wait(60)
        return super().__call__(records, **kw)


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    linker = Gate()
    monkeypatch.setattr(register, "_default_linker", lambda: linker)
    yield linker
    linker.gate.set()  # never leave a run waiting


@pytest.fixture
def base_url(web_path: Path, gate: Gate) -> Iterator[str]:
    with serving(web_path) as url:
        yield url


def link_head(path: Path) -> str:
    with open_workspace(path, PASSPHRASE) as ws:
        (head,) = ws.conn.execute(
            "select hash from audit where action = 'grade' order by seq desc limit 1"
        ).fetchone()
    return str(head)


@pytest.mark.parametrize(
    ("lang", "training", "done"),
    [
        ("en", "training the model", "The run is done."),
        ("fa", "آموزش مدل", "اجرا پایان یافت."),
    ],
)
def test_an_analyst_follows_a_run_to_its_result(
    loopback_page: Any,
    base_url: str,
    web_path: Path,
    gate: Gate,
    lang: str,
    training: str,
    done: str,
) -> None:
    page = loopback_page
    sign_in(page, base_url, "analyst")
    page.goto(f"{base_url}/?lang={lang}")
    with page.expect_navigation():
        page.click("a[href='/runs']")
    with page.expect_navigation():
        page.click("#run-start")
    assert gate.entered.wait(30)
    page.wait_for_function(
        "t => document.getElementById('run-stage').textContent === t", arg=training
    )
    assert page.locator("#run-start").count() == 0
    gate.gate.set()
    page.wait_for_selector("#run-done", timeout=30_000)  # the page reloads itself
    assert page.inner_text("#run-done") == done
    assert page.inner_text("#run-head") == link_head(web_path)
    assert page.inner_text("#result-persons") == ("6" if lang == "en" else "۶")
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "fa" else "ltr")
    assert page.errors == [] and page.offsite == []


def test_a_second_analyst_is_told_a_run_is_going(
    browser: Any, loopback_page: Any, base_url: str, gate: Gate
) -> None:
    page = loopback_page
    sign_in(page, base_url, "analyst")
    page.goto(f"{base_url}/runs")
    other = browser.new_page()
    try:
        sign_in(other, base_url, "admin")
        other.goto(f"{base_url}/runs")  # the button, before the run starts
        with page.expect_navigation():
            page.click("#run-start")
        assert gate.entered.wait(30)
        with other.expect_navigation():
            other.click("#run-start")
        busy = other.inner_text("#run-busy")
        assert busy.startswith("A run is already going; wait for it to end.")
        assert "Started by anna" in busy
    finally:
        gate.gate.set()
        other.close()
    page.wait_for_selector("#run-done", timeout=30_000)
    assert page.errors == [] and page.offsite == []


@pytest.mark.parametrize("role", ["viewer", "reviewer"])
def test_viewers_and_reviewers_cannot_reach_the_runs_page(
    loopback_page: Any, base_url: str, role: str
) -> None:
    page = loopback_page
    sign_in(page, base_url, role)
    assert page.locator("a[href='/runs']").count() == 0
    for path in ("/runs", "/api/runs", "/runs?lang=fa"):
        assert page.goto(f"{base_url}{path}").status == 403, path
    assert page.errors == [] and page.offsite == []


def test_the_review_hint_leads_an_analyst_to_the_runs_page(
    loopback_page: Any, base_url: str
) -> None:
    page = loopback_page
    sign_in(page, base_url, "analyst")
    page.goto(f"{base_url}/review")
    assert "Decisions take effect at the next link run." in page.inner_text(".hint")
    with page.expect_navigation():
        page.click(".hint a[href='/runs']")
    assert page.url == f"{base_url}/runs"
