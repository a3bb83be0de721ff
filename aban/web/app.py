"""The web app: routes, roles, security headers and error pages.

Every route but ``/login`` and ``/static`` needs a signed-in user with the role
named in :data:`ROUTE_ROLES` (tests check each). Errors have one JSON shape on
the API, ``{"ok": false, "error": ..., "status": ...}``, and an error page
elsewhere; neither ever carries personal data or a traceback.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aban.config import load_section
from aban.detention.alerts import alert_settings
from aban.store.users import Role
from aban.web.auth import (
    context,
    find_session,
    login,
    login_code,
    login_form,
    logout,
    state_of,
)
from aban.web.context import WebState, template_env
from aban.web.db import Database
from aban.web.i18n import LANG_COOKIE
from aban.web.uploads import MAX_UPLOAD
from aban.web.views import (
    account,
    corrections,
    imports,
    own,
    person,
    persons,
    records,
    review,
    runs,
    users,
)
from aban.web.views.detentions import case_page, detentions_json, detentions_page

STATIC = Path(__file__).parent / "static"
MAX_BODY = 256 * 1024
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
#: The least role each guarded route needs, by (method, path); tests read it.
ROUTE_ROLES: dict[tuple[str, str], Role] = {
    ("GET", "/"): "viewer",
    ("POST", "/logout"): "viewer",
    ("GET", "/persons"): "viewer",
    ("GET", "/persons/{person_id}"): "viewer",
    ("GET", "/records/{row_id:int}"): "viewer",
    ("GET", "/api/persons"): "viewer",
    ("GET", "/api/persons/{person_id}"): "viewer",
    ("GET", "/api/records/{row_id:int}"): "viewer",
    ("GET", "/review"): "reviewer",
    ("POST", "/review"): "reviewer",
    ("GET", "/records/new"): "analyst",
    ("POST", "/records/new"): "analyst",
    ("GET", "/detentions/new"): "analyst",
    ("POST", "/detentions/new"): "analyst",
    # the detentions page, a case's page and their JSON (issue 18)
    ("GET", "/detentions"): "reviewer",
    ("GET", "/detentions/{person_id}"): "reviewer",
    ("GET", "/api/detentions"): "reviewer",
    ("GET", "/admin/users"): "admin",
    ("POST", "/admin/users"): "admin",
    ("POST", "/admin/users/{name}"): "admin",
    # A team server (issue 18): the user's own page, a field documenter's own
    # records, and imports from the app.
    ("GET", "/account"): "viewer",
    ("POST", "/account/two-factor"): "viewer",
    ("GET", "/records/mine"): "analyst",
    ("GET", "/records/{row_id:int}/edit"): "analyst",
    ("POST", "/records/{row_id:int}/edit"): "analyst",
    ("GET", "/imports"): "analyst",
    ("POST", "/imports"): "analyst",
    ("POST", "/imports/preview"): "analyst",
    ("POST", "/imports/import"): "analyst",
    ("POST", "/imports/source"): "analyst",
    # link and grade from the app; corrections (issue 18)
    ("GET", "/runs"): "analyst",
    ("POST", "/runs"): "analyst",
    ("GET", "/api/runs"): "analyst",
    ("GET", "/persons/{person_id}/corrections"): "analyst",
    ("POST", "/persons/{person_id}/corrections"): "analyst",
}
#: Routes a field documenter may also open (the role is off the ladder): its own
#: records only, and its own page.
DOCUMENTER_ROUTES = frozenset(
    {
        ("POST", "/logout"),
        ("GET", "/account"),
        ("POST", "/account/two-factor"),
        ("GET", "/records/mine"),
        ("GET", "/records/{row_id:int}/edit"),
        ("POST", "/records/{row_id:int}/edit"),
        ("GET", "/records/new"),
        ("POST", "/records/new"),
        ("GET", "/records/{row_id:int}"),
        ("GET", "/api/records/{row_id:int}"),
    }
)
#: Content Security Policy: this site's own scripts and styles only, no frames.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
_HEADERS = {
    "content-security-policy": CSP,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cache-control": "no-store",
}


def routes() -> list[BaseRoute]:
    """Every route of the app."""
    return [
        Route("/login", login_form, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/login/code", login_code, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/", persons.home_page, methods=["GET"]),
        Route("/persons", persons.persons_page, methods=["GET"]),
        Route("/persons/{person_id}", person.person_page, methods=["GET"]),
        Route("/records/mine", own.own_records_page, methods=["GET"]),
        Route("/records/{row_id:int}/edit", own.record_edit_form, methods=["GET"]),
        Route("/records/{row_id:int}/edit", own.record_edit, methods=["POST"]),
        Route("/records/new", records.record_form, methods=["GET"]),
        Route("/records/new", records.record_create, methods=["POST"]),
        Route("/records/{row_id:int}", records.record_page, methods=["GET"]),
        Route("/review", review.review_page, methods=["GET"]),
        Route("/review", review.review_decide, methods=["POST"]),
        Route("/detentions/new", records.event_form, methods=["GET"]),
        Route("/detentions/new", records.event_create, methods=["POST"]),
        # the detentions page and a case's page (after /detentions/new; issue 18)
        Route("/detentions", detentions_page, methods=["GET"]),
        Route("/detentions/{person_id}", case_page, methods=["GET"]),
        Route("/api/detentions", detentions_json, methods=["GET"]),
        Route("/admin/users", users.users_page, methods=["GET"]),
        Route("/admin/users", users.user_create, methods=["POST"]),
        Route("/admin/users/{name}", users.user_change, methods=["POST"]),
        Route("/account", account.account_page, methods=["GET"]),
        Route("/account/two-factor", account.account_two_factor, methods=["POST"]),
        Route("/imports", imports.imports_page, methods=["GET"]),
        Route(
            "/imports",
            imports.imports_upload,
            methods=["POST"],
            max_body_size=MAX_UPLOAD + 65536,
        ),
        Route("/imports/preview", imports.imports_preview, methods=["POST"]),
        Route("/imports/import", imports.imports_import, methods=["POST"]),
        Route("/imports/source", imports.imports_source, methods=["POST"]),
        Route("/api/persons", persons.persons_json, methods=["GET"]),
        Route("/api/persons/{person_id}", person.person_json, methods=["GET"]),
        Route("/api/records/{row_id:int}", records.record_json, methods=["GET"]),
        # link and grade from the app; corrections (issue 18)
        Route("/runs", runs.runs_page, methods=["GET"]),
        Route("/runs", runs.run_start, methods=["POST"]),
        Route("/api/runs", runs.runs_json, methods=["GET"]),
        Route(
            "/persons/{person_id}/corrections",
            corrections.corrections_page,
            methods=["GET"],
        ),
        Route(
            "/persons/{person_id}/corrections",
            corrections.correction_apply,
            methods=["POST"],
        ),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]


class HeadersMiddleware:
    """Adds the security headers to every response, and keeps a chosen language.

    A ``lang=en|fa`` query parameter sets the language cookie, so the choice
    holds on the next pages.
    """

    def __init__(self, app: ASGIApp, secure_cookies: bool = False) -> None:
        self.app = app
        self.secure_cookies = secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        lang = request.query_params.get("lang")
        secure = self.secure_cookies or request.url.scheme == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _HEADERS.items():
                    headers.setdefault(name, value)
                if lang in ("en", "fa"):
                    headers.append(
                        "set-cookie",
                        f"{LANG_COOKIE}={lang}; Path=/; Max-Age=31536000; "
                        "SameSite=Strict; HttpOnly" + ("; Secure" if secure else ""),
                    )
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def http_error(request: Request, exc: Exception) -> Response:
    """The error page, or the API's JSON error, for an HTTP error status."""
    code = exc.status_code if isinstance(exc, HTTPException) else 500
    state = state_of(request)
    ctx = context(request, state, None)
    if request.url.path.startswith("/api/"):
        message = ctx.words.t(f"error_{code}")
        return JSONResponse({"ok": False, "error": message, "status": code}, code)
    if code != 500:
        ctx.session = await find_session(request, state)
    return ctx.render("error.html", code, code=code)


def create_app(
    db: Database,
    *,
    allowed_hosts: Sequence[str] = LOOPBACK_HOSTS,
    template_dir: Path | None = None,
    on_shutdown: Callable[[], None] | None = None,
    secure_cookies: bool = False,
) -> Starlette:
    """The web app over an open register.

    Args:
        db: the register's connections (closed when the app shuts down).
        allowed_hosts: host names the app answers to (others get 400: no DNS
            rebinding onto a loopback server).
        template_dir: a folder whose templates override the package's.
        on_shutdown: called when the server stops, before the connections close.
        secure_cookies: mark every cookie ``Secure`` even when the request came
            over plain HTTP (from an HTTPS proxy in front); over HTTPS they are.

    Raises:
        ConfigError: the workspace's ``[detentions]`` settings are invalid.
    """

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        try:
            if on_shutdown is not None:
                on_shutdown()
        finally:
            db.close()

    app = Starlette(
        routes=routes(),
        middleware=[
            Middleware(HeadersMiddleware, secure_cookies=secure_cookies),
            Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)),
        ],
        exception_handlers={HTTPException: http_error, 500: http_error},
        lifespan=lifespan,
        max_body_size=MAX_BODY,
    )
    alerts = alert_settings(load_section(db.path, "detentions"))
    app.state.web = WebState(
        db, template_env(template_dir), alerts, secure_cookies=secure_cookies
    )
    return app
