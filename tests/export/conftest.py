"""The canary register, built once per session; tests that write get a copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.export.helpers import canary_register


@pytest.fixture(scope="session")
def canary_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The canary register's workspace folder (exports only: do not change it)."""
    return canary_register(tmp_path_factory.mktemp("canary"))


@pytest.fixture
def canary_ws(canary_template: Path, tmp_path: Path) -> Path:
    """A private copy of the canary register's workspace folder."""
    path = tmp_path / "ws"
    shutil.copytree(canary_template, path)
    return path
