"""Shared Playwright fixtures: Debian's Chromium, offline, every request checked.

The fixtures are imported once, by tests/conftest.py (Playwright's sync API runs
one instance at a time, so a package must not import them again).

``offline_page`` is a page whose every request goes through a route: ``file://``
URLs load, anything else is aborted and recorded
in ``page.offsite`` so a test can assert it stayed empty. Page errors (uncaught
JavaScript exceptions) are recorded in ``page.errors``. Tests that use them are
marked ``browser`` (registered in tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).parent / "artifacts"


def file_url(path: Path) -> str:
    """The ``file://`` URL of a local file."""
    return path.resolve().as_uri()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Chromium for the whole session (Debian's, never downloaded)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (make test does)"
        )
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


def _guarded_page(browser: Any, allowed: str) -> Iterator[Any]:
    """A fresh page that may load URLs starting with ``allowed`` only; others are
    aborted and recorded in ``page.offsite``, uncaught JavaScript exceptions in
    ``page.errors``."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    offsite: list[str] = []
    errors: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith(allowed):
            route.continue_()
        else:
            offsite.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.offsite = offsite
    page.errors = errors
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def offline_page(browser: Any) -> Iterator[Any]:
    """A fresh page that may load ``file://`` URLs only; others are recorded."""
    yield from _guarded_page(browser, "file://")


@pytest.fixture
def loopback_page(browser: Any) -> Iterator[Any]:
    """A fresh page that may load ``http://127.0.0.1`` URLs only (a local server)."""
    yield from _guarded_page(browser, "http://127.0.0.1:")
