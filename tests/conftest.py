"""Shared fixtures: workspaces in temporary folders, with a test passphrase."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from aban.store.workspace import Workspace, create_workspace

# One Chromium for the whole session: Playwright's sync API allows one instance at a
# time, so the browser fixtures are defined here once, not in each package.
from tests.browser import browser, loopback_page, offline_page  # noqa: F401

PASSPHRASE = "correct horse battery staple"

# Tests assert correctness, not time: no property fails because a busy machine (CI
# shares two cores) ran one example slowly.
settings.register_profile("aban", deadline=None)
settings.load_profile("aban")


@pytest.fixture
def passphrase_env(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("ABAN_PASSPHRASE", PASSPHRASE)
    return PASSPHRASE


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = create_workspace(tmp_path / "ws", PASSPHRASE)
    try:
        yield ws
    finally:
        ws.close()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives Debian's Chromium through Playwright"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the files that hold slow tests first, each file's tests in their order.

    `make test` spreads whole files over two processes (pytest-xdist, loadfile) in
    collection order: the Spark files, started last, left one process running them
    alone for minutes at the end; started first, the other process works through
    the short files beside them.
    """
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow)  # stable: order kept within
