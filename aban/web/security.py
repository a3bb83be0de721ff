"""Sessions, CSRF tokens and the login rate limit of the web app.

* **Sessions.** Signing in creates a random 256-bit token. The browser keeps it in
  the ``aban_session`` cookie (HttpOnly, SameSite=Strict, Secure over HTTPS and
  behind an HTTPS proxy); the register keeps only its SHA-256 in ``web_sessions``,
  with the session's expiry and its CSRF token. A stolen register therefore holds
  no usable session, and signing out, disabling the account or changing its
  password ends the session on the server. A session ends
  ``serve_session_hours`` after it began (:data:`SESSION_HOURS` by default),
  and ``serve_session_idle_minutes`` after its last request (:data:`IDLE_MINUTES`);
  its last request is noted at most once a minute (:data:`SEEN_EVERY`), so that
  reading a page is not a write each time.
* **Two factors.** With a TOTP secret enrolled (or two-factor sign-in required),
  a good password starts no session: it opens a pending sign-in
  (:mod:`aban.web.two_factor`) that the code completes.
* **CSRF.** Every form carries the session's CSRF token in a hidden field; a POST
  whose field differs (compared in constant time) is refused with 403. The login
  form, before any session exists, uses a double-submit token: a random value in
  a short-lived cookie and the same value in the form.
* **Rate limit.** At most :data:`MAX_FAILURES` failed logins per account name and
  client address in :data:`WINDOW_SECONDS`, and at most :data:`MAX_ADDRESS_FAILURES`
  per client address; beyond that logins are refused with 429 until the window
  has passed, without checking the password. The client address is the
  connection's own: a forwarded one is believed only from a proxy that the
  settings name (:mod:`aban.web.serving`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from aban.store.db import Connection, transaction
from aban.store.users import Role, User
from aban.store.workspace import Workspace

SESSION_COOKIE = "aban_session"
LOGIN_COOKIE = "aban_login"
SESSION_HOURS = 12
IDLE_MINUTES = 30
SEEN_EVERY = dt.timedelta(seconds=60)
MAX_FAILURES = 5
MAX_ADDRESS_FAILURES = 50
WINDOW_SECONDS = 15 * 60


def token_digest(token: str) -> str:
    """The SHA-256 (hex) under which a session token is stored."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def same_token(given: str | None, expected: str) -> bool:
    """Whether ``given`` equals ``expected``, compared in constant time."""
    if not given or not expected:
        return False
    return hmac.compare_digest(
        given.encode("utf-8", "surrogatepass"), expected.encode("utf-8")
    )


@dataclass(frozen=True)
class Session:
    """A signed-in session: who, with which role, and its CSRF token."""

    digest: str
    user_id: int
    name: str
    role: Role
    csrf: str
    #: When the session was last noted in use (ISO, UTC).
    last_seen: str = ""


def _stamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def create_session(
    ws: Workspace,
    user: User,
    hours: int = SESSION_HOURS,
    idle_minutes: int = IDLE_MINUTES,
) -> str:
    """Start a session for ``user`` (audited); return its token for the cookie.

    Sessions of every user that have ended (past ``hours`` or idle for
    ``idle_minutes``) are deleted in the same transaction.
    """
    token = secrets.token_urlsafe(32)
    start = dt.datetime.now(dt.UTC)
    idle = _stamp(start - dt.timedelta(minutes=idle_minutes))
    with transaction(ws.conn):
        ws.conn.execute(
            "delete from web_sessions where expires_at <= ? or last_seen_at <= ?",
            (_stamp(start), idle),
        )
        ws.conn.execute(
            "insert into web_sessions (token_sha256, user_id, csrf, created_at, "
            "expires_at, last_seen_at) values (?, ?, ?, ?, ?, ?)",
            (
                token_digest(token),
                user.id,
                secrets.token_urlsafe(32),
                _stamp(start),
                _stamp(start + dt.timedelta(hours=hours)),
                _stamp(start),
            ),
        )
        ws.record_audit("web-login", {"user_id": user.id})
    return token


def load_session(
    conn: Connection, token: str, idle_minutes: int = IDLE_MINUTES
) -> Session | None:
    """The live session of ``token`` (its account enabled, not past its end nor
    idle for ``idle_minutes``), or None."""
    digest = token_digest(token)
    moment = dt.datetime.now(dt.UTC)
    row = conn.execute(
        "select u.id, u.name, u.role, s.csrf, s.last_seen_at from web_sessions s "
        "join users u on u.id = s.user_id "
        "where s.token_sha256 = ? and s.expires_at > ? and s.last_seen_at > ? "
        "and u.disabled = 0",
        (
            digest,
            _stamp(moment),
            _stamp(moment - dt.timedelta(minutes=idle_minutes)),
        ),
    ).fetchone()
    if row is None:
        return None
    user_id, name, role, csrf, seen = row
    return Session(digest, int(user_id), str(name), role, str(csrf), str(seen))


def needs_touch(session: Session) -> bool:
    """Whether the session's last use should be noted now (once a minute)."""
    seen = dt.datetime.fromisoformat(session.last_seen)
    return dt.datetime.now(dt.UTC) - seen >= SEEN_EVERY


def touch_session(ws: Workspace, session: Session) -> None:
    """Note that the session is in use now (no audit entry: it seals nothing)."""
    with transaction(ws.conn):
        ws.conn.execute(
            "update web_sessions set last_seen_at = ? where token_sha256 = ?",
            (_stamp(dt.datetime.now(dt.UTC)), session.digest),
        )


def end_session(ws: Workspace, session: Session) -> None:
    """End a session (audited)."""
    with transaction(ws.conn):
        ws.conn.execute(
            "delete from web_sessions where token_sha256 = ?", (session.digest,)
        )
        ws.record_audit("web-logout", {"user_id": session.user_id})


class RateLimiter:
    """Failed logins per (account, address) and per address in a sliding window.

    Args:
        limit: failures allowed per account name and address.
        address_limit: failures allowed per address, whatever the name.
        window: the window in seconds.
        clock: the time source (seconds); tests pass their own.
    """

    def __init__(
        self,
        limit: int = MAX_FAILURES,
        address_limit: int = MAX_ADDRESS_FAILURES,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.address_limit, self.window = limit, address_limit, window
        self.clock = clock
        self._failures: dict[tuple[str | None, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str | None, str]) -> deque[float]:
        times = self._failures.get(key, deque())
        cutoff = self.clock() - self.window
        while times and times[0] <= cutoff:
            times.popleft()
        if not times:
            self._failures.pop(key, None)
        return times

    def blocked(self, name: str, address: str) -> bool:
        """Whether logins for ``name`` from ``address`` are refused now."""
        with self._lock:
            by_name = self._recent((name.casefold(), address))
            by_address = self._recent((None, address))
            return len(by_name) >= self.limit or len(by_address) >= self.address_limit

    def failed(self, name: str, address: str) -> None:
        """Count one failed login."""
        now = self.clock()
        with self._lock:
            if len(self._failures) > 10_000:  # forget stale keys, bounding memory
                for key in list(self._failures):
                    self._recent(key)
            for key in ((name.casefold(), address), (None, address)):
                self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, name: str, address: str) -> None:
        """Forget the failures of ``name`` from ``address`` after a good login."""
        with self._lock:
            self._failures.pop((name.casefold(), address), None)
