"""Two-factor sign-in (TOTP, RFC 6238) of the web app: codes and pending sign-ins.

Codes are those of any authenticator app: six digits from a base32 secret, a new
one every 30 seconds (pyotp). A code is accepted in its own 30 seconds and the
ones either side (clocks drift), and only once: the register keeps the last
time step used (:func:`aban.store.two_factor.use_step`). Wrong codes count as
failed logins in the login rate limit.

A good password for an account with two factors opens a :class:`Pending` sign-in,
held in the server's memory only (never in the register or on disk) for
:data:`PENDING_SECONDS` and at most :data:`PENDING_TRIES` codes; its token lives in
a short-lived cookie. An account that must enrol gets its new secret with it, shown
once on the code page.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pyotp

from aban.store.users import User
from aban.text.digits import normalise_digits
from aban.web.expiring import Expiring

PENDING_COOKIE = "aban_pending"
PENDING_SECONDS = 300
PENDING_TRIES = 5
ISSUER = "aban"
#: Time steps either side of now whose codes are accepted.
DRIFT_STEPS = 1


def new_secret() -> str:
    """A random base32 secret of 160 bits (RFC 4226's recommended length)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, name: str) -> str:
    """The ``otpauth://`` address an authenticator app reads (as a QR code or
    pasted)."""
    return pyotp.TOTP(secret).provisioning_uri(name=name, issuer_name=ISSUER)


def group_secret(secret: str) -> str:
    """The secret in groups of four, as it is easier to type."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def clean_code(code: str) -> str:
    """The code's digits (Persian and Arabic-Indic digits read as ASCII), spaces
    dropped; "" for anything that is not six digits."""
    text = normalise_digits(code.replace(" ", "").strip())
    return text if len(text) == 6 and text.isascii() and text.isdigit() else ""


def matching_step(secret: str, code: str, at: float | None = None) -> int | None:
    """The time step whose code ``code`` is (now or one step either side), or None."""
    digits = clean_code(code)
    if not digits:
        return None
    totp = pyotp.TOTP(secret)
    now = int(time.time() if at is None else at) // totp.interval
    found = None
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        # Every step is compared, so the time taken does not say which matched.
        if secrets.compare_digest(totp.generate_otp(step), digits):
            found = step
    return found


@dataclass
class Pending:
    """A sign-in whose password was right, waiting for its code."""

    user: User
    next: str
    csrf: str
    expires: float
    #: The new secret of an account that enrols now (shown once), else None.
    secret: str | None = None
    tries: int = 0


@dataclass
class PendingLogins:
    """The pending sign-ins by token, in memory (see the module)."""

    clock: Callable[[], float] = time.monotonic
    _found: dict[str, Pending] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, user: User, next_path: str, secret: str | None) -> str:
        """Open a pending sign-in; return its token for the cookie."""
        token = secrets.token_urlsafe(32)
        now = self.clock()
        with self._lock:
            for key in [k for k, p in self._found.items() if p.expires <= now]:
                del self._found[key]
            if len(self._found) > 10_000:  # bound memory under a flood
                self._found.clear()
            self._found[token] = Pending(
                user,
                next_path,
                secrets.token_urlsafe(32),
                now + PENDING_SECONDS,
                secret,
            )
        return token

    def get(self, token: str) -> Pending | None:
        """The live pending sign-in of ``token``, or None."""
        with self._lock:
            pending = self._found.get(token)
            if pending is None or pending.expires <= self.clock():
                self._found.pop(token, None)
                return None
            return pending

    def failed(self, token: str) -> bool:
        """Count a wrong code; return whether the sign-in may try again."""
        with self._lock:
            pending = self._found.get(token)
            if pending is None:
                return False
            pending.tries += 1
            if pending.tries >= PENDING_TRIES:
                del self._found[token]
                return False
            return True

    def end(self, token: str) -> None:
        """Forget the pending sign-in (signed in, or given up)."""
        with self._lock:
            self._found.pop(token, None)


class Enrolments(Expiring[str]):
    """Secrets offered on a user's own page and not yet confirmed, by session."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(PENDING_SECONDS, clock)

    def offer(self, session_digest: str) -> str:
        """A new secret for the session's user to confirm within the window."""
        secret = new_secret()
        self.keep(session_digest, secret)
        return secret

    def offered(self, session_digest: str) -> str | None:
        """The secret offered to the session, if still live."""
        return self.get(session_digest)
