"""Shared fixtures: workspaces in temporary folders, with a test passphrase."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from aban.store.workspace import Workspace, create_workspace

PASSPHRASE = "correct horse battery staple"


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
