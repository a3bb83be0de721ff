"""Fixtures of the web app's tests: a seeded register (copied per test) and clients."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from aban.store import users
from tests.web.client import TestClient
from tests.web.seed import PASSWORD, ROLE_USERS, cheap_hasher, open_app, seed_workspace

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded workspace, made once; tests work on copies."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(users, "HASHER", cheap_hasher())
        return seed_workspace(tmp_path_factory.mktemp("web"))


@pytest.fixture
def web_path(seeded: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(seeded, target)
    return target


@pytest.fixture(autouse=True)
def _cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "HASHER", cheap_hasher())


@pytest.fixture
def app(web_path: Path) -> Iterator[Any]:
    db, web = open_app(web_path)
    try:
        yield web
    finally:
        db.close()


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def csrf_of(response: httpx.Response) -> str:
    """The CSRF token in a page's forms."""
    found = CSRF.search(response.text)
    assert found, "no csrf field on the page"
    return found.group(1)


def login(client: TestClient, name: str, password: str = PASSWORD) -> httpx.Response:
    """Sign in through the login form, as a browser does."""
    page = client.get("/login")
    return client.post(
        "/login", data={"name": name, "password": password, "csrf": csrf_of(page)}
    )


def signed_in(app: Any, role: str) -> TestClient:
    """A new client signed in as the seeded user of ``role``."""
    test_client = TestClient(app, follow_redirects=False)
    response = login(test_client, ROLE_USERS[role])
    assert response.status_code == 303, response.text
    return test_client


def page_csrf(client: TestClient) -> str:
    """The session's CSRF token (from the home page's sign-out form)."""
    return csrf_of(client.get("/"))
