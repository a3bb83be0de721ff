"""What a request handler works with: the app's state and one request's context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import anyio
import jinja2
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse

from aban.detention.alerts import AlertSettings
from aban.store.users import Role, role_at_least
from aban.web import search
from aban.web.db import Database
from aban.web.i18n import Words
from aban.web.queue import ReviewQueue
from aban.web.runs import RunManager
from aban.web.security import RateLimiter, Session
from aban.web.two_factor import Enrolments, PendingLogins
from aban.web.uploads import Uploads

T = TypeVar("T")
TEMPLATES = Path(__file__).parent / "templates"
#: Messages a page may show after a redirect (``?done=KEY``).
NOTICES = frozenset(
    {
        "record_stored",
        "record_unchanged",
        "event_stored",
        "event_unchanged",
        "user_saved",
        "two_factor_on",
        "record_corrected",
        "imported",
        "source_retracted",
        "source_restored",
    }
)


def template_env(template_dir: Path | None = None) -> jinja2.Environment:
    """The Jinja environment: the package's templates, or overrides from a folder."""
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(TEMPLATES)]
    if template_dir is not None:
        loaders.insert(0, jinja2.FileSystemLoader(template_dir))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@dataclass
class WebState:
    """Everything the app's handlers share."""

    db: Database
    env: jinja2.Environment
    alerts: AlertSettings = field(default_factory=AlertSettings)
    #: Persons' names by their keys in both scripts, for the search (issue 18).
    names: search.NameIndex = field(default_factory=search.NameIndex)
    #: Cookies only over HTTPS: the app speaks TLS, or a TLS proxy is in front.
    secure_cookies: bool = False
    limiter: RateLimiter = field(default_factory=RateLimiter)
    queue: ReviewQueue = field(default_factory=ReviewQueue)
    runs: RunManager = field(default_factory=RunManager)
    #: Password checks running at once (argon2 takes 64 MiB and a core each).
    password_checks: anyio.CapacityLimiter = field(
        default_factory=lambda: anyio.CapacityLimiter(2)
    )
    # Two-factor sign-in and imports from the app (issue 18): in memory only.
    pending: PendingLogins = field(default_factory=PendingLogins)
    enrolments: Enrolments = field(default_factory=Enrolments)
    uploads: Uploads = field(default_factory=Uploads)


@dataclass
class Ctx:
    """One request: the state, the session (if signed in), its language and form."""

    request: Request
    state: WebState
    session: Session | None
    words: Words
    form: FormData | None = None

    @property
    def user(self) -> Session:
        """The signed-in session (handlers behind a role check always have one)."""
        if self.session is None:
            raise RuntimeError("this handler needs a signed-in session")
        return self.session

    def can(self, role: Role) -> bool:
        """Whether the signed-in user has at least ``role``."""
        return self.session is not None and role_at_least(self.session.role, role)

    @property
    def sees_protected(self) -> bool:
        """Whether protected fields and protected sources are shown (not viewers)."""
        return self.can("reviewer")

    def field(self, name: str, limit: int = 10_000) -> str:
        """A form field as text (empty when absent or a file), at most ``limit``."""
        value = self.form.get(name) if self.form is not None else None
        return value[:limit] if isinstance(value, str) else ""

    async def read(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(conn, *args)`` on a reader connection, off the event loop."""
        return await run_in_threadpool(self.state.db.read, fn, *args)

    async def write(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn(workspace, *args)`` holding the writer, as the signed-in user."""
        return await run_in_threadpool(self.state.db.write, self.user.name, fn, *args)

    def here(self, **params: str) -> str:
        """This page's path and query, with ``params`` replaced."""
        url = self.request.url.include_query_params(**params)
        return url.path + ("?" + url.query if url.query else "")

    def render(self, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        """Render a template with the page helpers and ``values``."""
        done = self.request.query_params.get("done", "")
        page = self.state.env.get_template(template).render(
            w=self.words,
            t=self.words.t,
            session=self.session,
            csrf=self.session.csrf if self.session else "",
            can=self.can,
            sees_protected=self.sees_protected,
            switch_lang=self.here(lang=self.words.other),
            path=self.request.url.path,
            notice=self.words.t(done) if done in NOTICES else "",
            **values,
        )
        return HTMLResponse(page, status_code=status)
