"""Sessions end: after the idle limit, at the absolute limit, on sign-out, when the
account is disabled; their last use is noted once a minute (issue 18)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from aban.config import load_settings
from aban.errors import ConfigError
from aban.store.workspace import open_workspace
from aban.web.security import load_session, token_digest
from tests.conftest import PASSPHRASE
from tests.web.client import TestClient
from tests.web.conftest import login, page_csrf, signed_in


def _stamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def set_session(app: Any, client: TestClient, column: str, value: str) -> None:
    """Change the client's session row (as time passing would)."""
    assert column in ("last_seen_at", "expires_at")
    digest = token_digest(client.cookies["aban_session"])
    with app.state.web.db.writer("test") as ws:
        ws.conn.execute(
            f"update web_sessions set {column} = ? where token_sha256 = ?",
            (value, digest),
        )
        ws.conn.commit()


def session_rows(app: Any) -> list[tuple[str, str]]:
    with app.state.web.db.reader() as conn:
        return conn.execute(
            "select created_at, last_seen_at from web_sessions"
        ).fetchall()


def test_a_session_ends_after_the_idle_limit(app: Any) -> None:
    client = signed_in(app, "viewer")
    assert client.get("/").status_code == 200
    idle = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31)
    set_session(app, client, "last_seen_at", _stamp(idle))
    response = client.get("/persons")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fpersons"


def test_a_session_used_within_the_idle_limit_goes_on(app: Any) -> None:
    client = signed_in(app, "viewer")
    recent = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=29)
    set_session(app, client, "last_seen_at", _stamp(recent))
    assert client.get("/").status_code == 200
    # Its use is noted: the idle limit counts from now again.
    seen = dt.datetime.fromisoformat(session_rows(app)[0][1])
    assert dt.datetime.now(dt.UTC) - seen < dt.timedelta(minutes=1)


def test_use_is_noted_at_most_once_a_minute(app: Any) -> None:
    client = signed_in(app, "viewer")
    before = session_rows(app)
    for _ in range(3):
        assert client.get("/").status_code == 200
    assert session_rows(app) == before  # no write for each page


def test_a_session_ends_at_the_absolute_limit_however_busy(app: Any) -> None:
    client = signed_in(app, "viewer")
    past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    set_session(app, client, "expires_at", _stamp(past))
    assert client.get("/").status_code == 303


def test_the_limits_come_from_the_settings(app: Any, web_path: Path) -> None:
    db = app.state.web.db
    db.settings = dataclasses.replace(
        db.settings, serve_session_hours=1, serve_session_idle_minutes=5
    )
    client = TestClient(app, follow_redirects=False)
    response = login(client, "vera")
    cookie = next(
        c
        for c in response.headers.get_list("set-cookie")
        if c.startswith("aban_session=")
    )
    assert "Max-Age=3600" in cookie
    with app.state.web.db.reader() as conn:
        created, expires = conn.execute(
            "select created_at, expires_at from web_sessions"
        ).fetchone()
        token = client.cookies["aban_session"]
        assert load_session(conn, token, 5) is not None
    span = dt.datetime.fromisoformat(expires) - dt.datetime.fromisoformat(created)
    assert span == dt.timedelta(hours=1)
    idle = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=6)
    set_session(app, client, "last_seen_at", _stamp(idle))
    assert client.get("/").status_code == 303


def test_signing_in_again_deletes_ended_sessions(app: Any) -> None:
    first = signed_in(app, "viewer")
    idle = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    set_session(app, first, "last_seen_at", _stamp(idle))
    signed_in(app, "reviewer")
    assert len(session_rows(app)) == 1


def test_sign_out_and_disabling_end_sessions(app: Any, web_path: Path) -> None:
    client = signed_in(app, "viewer")
    other = signed_in(app, "viewer")
    client.post("/logout", data={"csrf": page_csrf(client)})
    assert client.get("/").status_code == 303
    assert other.get("/").status_code == 200  # only that session ended
    admin = signed_in(app, "admin")
    admin.post(
        "/admin/users/vera", data={"action": "disable", "csrf": page_csrf(admin)}
    )
    assert other.get("/").status_code == 303
    with open_workspace(web_path, PASSPHRASE) as ws:
        left = ws.conn.execute(
            "select count(*) from web_sessions s join users u on u.id = s.user_id "
            "where u.name = 'vera'"
        ).fetchone()[0]
    assert left == 0


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"serve_session_hours": 0},
            "setting 'serve_session_hours' must be at least 1",
        ),
        (
            {"serve_session_idle_minutes": 0},
            "setting 'serve_session_idle_minutes' must be at least 1",
        ),
        (
            {"serve_two_factor": "always"},
            "setting 'serve_two_factor' must be 'optional' or 'required'",
        ),
    ],
)
def test_session_settings_are_checked(
    tmp_path: Path, values: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path, values)
    assert message in str(caught.value)


def test_a_busy_writer_does_not_hold_pages_up_for_the_note(app: Any) -> None:
    client = signed_in(app, "viewer")
    stale = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    set_session(app, client, "last_seen_at", _stamp(stale))
    with app.state.web.db.writer("a long write"):
        assert client.get("/").status_code == 200  # not noted: the writer is busy
    assert session_rows(app)[0][1] == _stamp(stale)
    assert client.get("/").status_code == 200  # noted now
    assert session_rows(app)[0][1] != _stamp(stale)
