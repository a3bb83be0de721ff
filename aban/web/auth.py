"""Signing in and out, and the guard every page but the login page passes through.

:func:`guard` wraps a handler: it finds the session from the cookie (else sends
the browser to the login page, or answers 401 on the JSON API), checks the role
(403), and for a POST reads the form and checks its CSRF token (403). See
:mod:`aban.web.security` for the design.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import quote

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import RedirectResponse, Response

from aban.store.two_factor import enrol, totp_secret, two_factor, use_step
from aban.store.users import Role, User, check_credentials, credentials
from aban.store.workspace import Workspace
from aban.web.context import Ctx, WebState
from aban.web.i18n import Words, choose_lang
from aban.web.queue import owner_of
from aban.web.security import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    Session,
    create_session,
    end_session,
    load_session,
    needs_touch,
    same_token,
    touch_session,
)
from aban.web.two_factor import (
    PENDING_COOKIE,
    PENDING_SECONDS,
    Pending,
    group_secret,
    matching_step,
    new_secret,
    provisioning_uri,
)
from aban.web.uploads import receive_upload

Handler = Callable[[Ctx], Awaitable[Response]]
Endpoint = Callable[[Request], Awaitable[Response]]
MAX_FIELDS = 60


def state_of(request: Request) -> WebState:
    """The app's shared state."""
    state: WebState = request.app.state.web
    return state


async def read_form(request: Request) -> FormData:
    """The request's form: a bounded number of fields, no files (400 otherwise)."""
    try:
        form = await request.form(
            max_files=0, max_fields=MAX_FIELDS, max_part_size=65536
        )
    except ClientDisconnect:
        # Gone, or cut off for sending too slowly: an error, not a crash to log.
        raise HTTPException(400) from None
    if any(not isinstance(v, str) for _, v in form.multi_items()):
        raise HTTPException(400)
    return form


async def find_session(request: Request, state: WebState) -> Session | None:
    """The session named by the request's cookie, if it is live."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > 200:
        return None
    idle = state.db.settings.serve_session_idle_minutes
    ctx = Ctx(request, state, None, Words("en"))
    session = await ctx.read(load_session, token, idle)
    if session is not None and needs_touch(session):
        # Skipped while another write holds the writer (a link run): the next
        # request notes it; the idle limit is far longer than a minute.
        await run_in_threadpool(
            state.db.try_write, session.name, touch_session, session
        )
    return session


def context(request: Request, state: WebState, session: Session | None) -> Ctx:
    """A handler's context for ``request``."""
    return Ctx(
        request,
        state,
        session,
        Words(choose_lang(request.query_params, request.cookies)),
    )


def login_redirect(request: Request) -> RedirectResponse:
    """Send the browser to the login page, to come back here afterwards."""
    target = request.url.path + ("?" + request.url.query if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


def guard(
    role: Role, api: bool = False, documenter: bool = False, upload: bool = False
) -> Callable[[Handler], Endpoint]:
    """Let ``handler`` run only for a signed-in user with at least ``role`` (or a
    field documenter, if ``documenter``: the handler then shows it only its own
    records). With ``upload``, a POST is a form with a file, read into memory
    (``request.state.upload``; its other fields are the form)."""

    def wrap(handler: Handler) -> Endpoint:
        async def endpoint(request: Request) -> Response:
            state = state_of(request)
            session = await find_session(request, state)
            if session is None:
                if api:
                    raise HTTPException(401)
                return login_redirect(request)
            ctx = context(request, state, session)
            if not (ctx.can(role) or (documenter and ctx.can("documenter"))):
                raise HTTPException(403)
            if request.method == "POST":
                if upload:
                    request.state.upload = found = await receive_upload(request)
                    ctx.form = FormData(list(found.fields.items()))
                else:
                    ctx.form = await read_form(request)
                if not same_token(ctx.field("csrf", 200), session.csrf):
                    raise HTTPException(403)
            return await handler(ctx)

        endpoint.__name__ = handler.__name__
        endpoint.__doc__ = handler.__doc__
        return endpoint

    return wrap


def safe_next(target: str) -> str:
    """``target`` if it is a path on this site, else ``/`` (no open redirects)."""
    if (
        target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and all(c.isprintable() for c in target)
    ):
        return target
    return "/"


def _secure(request: Request) -> bool:
    """Whether cookies are Secure: over HTTPS, or with a TLS proxy in front."""
    return state_of(request).secure_cookies or request.url.scheme == "https"


def _set_cookie(
    request: Request, response: Response, name: str, value: str, age: int
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=age,
        path="/",
        secure=_secure(request),
        httponly=True,
        samesite="strict",
    )


def _delete_cookie(request: Request, response: Response, name: str) -> None:
    response.delete_cookie(
        name, path="/", secure=_secure(request), httponly=True, samesite="strict"
    )


def _login_page(ctx: Ctx, status: int, message: str | None, name: str = "") -> Response:
    token = secrets.token_urlsafe(32)
    next_path = safe_next(ctx.request.query_params.get("next", "/"))
    response = ctx.render(
        "login.html",
        status,
        login_csrf=token,
        message=message,
        name=name,
        next=next_path,
    )
    _set_cookie(ctx.request, response, LOGIN_COOKIE, token, 3600)
    return response


async def login_form(request: Request) -> Response:
    """GET /login: the sign-in form (or home, when already signed in)."""
    state = state_of(request)
    session = await find_session(request, state)
    if session is not None:
        return RedirectResponse("/", status_code=303)
    return _login_page(context(request, state, None), 200, None)


async def login(request: Request) -> Response:
    """POST /login: check the form, the rate limit and the password; start a session."""
    state = state_of(request)
    ctx = context(request, state, None)
    ctx.form = await read_form(request)
    if not same_token(ctx.field("csrf", 200), request.cookies.get(LOGIN_COOKIE, "")):
        raise HTTPException(403)
    name, password = ctx.field("name", 200).strip(), ctx.field("password", 2000)
    address = request.client.host if request.client else "unknown"
    if state.limiter.blocked(name, address):
        return _login_page(ctx, 429, "too_many", name)
    found = await ctx.read(credentials, name)
    user = await anyio.to_thread.run_sync(
        check_credentials, found, password, limiter=state.password_checks
    )
    if user is None:
        state.limiter.failed(name, address)
        return _login_page(ctx, 401, "wrong_login", name)
    next_path = safe_next(ctx.field("next", 2000))
    factor = await ctx.read(two_factor, user.id)
    required = factor.required or state.db.settings.serve_two_factor == "required"
    if factor.enrolled or required:
        secret = None if factor.enrolled else new_secret()
        token = state.pending.start(user, next_path, secret)
        pending = state.pending.get(token)
        assert pending is not None  # started just above
        response = _code_page(ctx, 200, pending, None)
        _set_cookie(request, response, PENDING_COOKIE, token, PENDING_SECONDS)
        _delete_cookie(request, response, LOGIN_COOKIE)
        # The failures are forgotten only once the code is right: a good password
        # does not buy more guesses at the code.
        return response
    state.limiter.succeeded(name, address)
    return await _signed_in(request, state, user, next_path)


async def _signed_in(
    request: Request, state: WebState, user: User, next_path: str
) -> Response:
    """Start the session (the old one ends) and send the browser on (a field
    documenter, whose home is its own records, there)."""
    path, mark, query = next_path.partition("?")
    if user.role == "documenter" and path == "/":
        # the home with a query too (``/?lang=fa``): its home answers 403
        next_path = f"/records/mine{mark}{query}"
    old = await find_session(request, state)
    token = await run_in_threadpool(state.db.write, user.name, _start, user, old)
    response = RedirectResponse(next_path, status_code=303)
    hours = state.db.settings.serve_session_hours
    _set_cookie(request, response, SESSION_COOKIE, token, hours * 3600)
    _delete_cookie(request, response, LOGIN_COOKIE)
    _delete_cookie(request, response, PENDING_COOKIE)
    return response


def _start(ws: Workspace, user: User, old: Session | None) -> str:
    """A new session for ``user``; the one the browser had before ends (no
    session fixation)."""
    if old is not None:
        end_session(ws, old)
    settings = ws.settings
    return create_session(
        ws, user, settings.serve_session_hours, settings.serve_session_idle_minutes
    )


def _code_page(
    ctx: Ctx, status: int, pending: Pending, message: str | None
) -> Response:
    secret = pending.secret
    return ctx.render(
        "login_code.html",
        status,
        pending_csrf=pending.csrf,
        message=message,
        secret=group_secret(secret) if secret else "",
        uri=provisioning_uri(secret, pending.user.name) if secret else "",
    )


def _check_code(ws: Workspace, pending: Pending, code: str) -> bool:
    """Whether ``code`` is the account's code now, unused (or, enrolling, the new
    secret's code, which then becomes the account's)."""
    user_id = pending.user.id
    if pending.secret is not None:
        step = matching_step(pending.secret, code)
        if step is None:
            return False
        enrol(ws, user_id, pending.secret, step)
        return True
    found = totp_secret(ws.conn, user_id)
    if found is None:
        return False
    step = matching_step(found[0], code)
    return step is not None and use_step(ws, user_id, step)


async def login_code(request: Request) -> Response:
    """POST /login/code: the code of a pending sign-in (rate-limited as passwords)."""
    state = state_of(request)
    ctx = context(request, state, None)
    ctx.form = await read_form(request)
    token = request.cookies.get(PENDING_COOKIE, "")[:200]
    pending = state.pending.get(token) if token else None
    if pending is None:
        return _login_page(ctx, 401, "code_expired")
    if not same_token(ctx.field("csrf", 200), pending.csrf):
        raise HTTPException(403)
    address = request.client.host if request.client else "unknown"
    name = pending.user.name
    if state.limiter.blocked(name, address):
        state.pending.end(token)
        return _login_page(ctx, 429, "too_many", name)
    code = ctx.field("code", 40)
    user = pending.user
    if not await run_in_threadpool(state.db.write, name, _check_code, pending, code):
        state.limiter.failed(name, address)
        if not state.pending.failed(token):
            return _login_page(ctx, 401, "code_expired", name)
        return _code_page(ctx, 401, pending, "wrong_code")
    state.limiter.succeeded(name, address)
    state.pending.end(token)
    return await _signed_in(request, state, user, pending.next)


@guard("viewer", documenter=True)
async def logout(ctx: Ctx) -> Response:
    """POST /logout: end the session and forget its cookie (and its upload)."""
    await ctx.write(end_session, ctx.user)
    ctx.state.uploads.end(ctx.user.digest)
    ctx.state.enrolments.end(ctx.user.digest)
    response = RedirectResponse("/login", status_code=303)
    _delete_cookie(ctx.request, response, SESSION_COOKIE)
    ctx.state.queue.release(owner_of(ctx.user.user_id))  # its pairs to the others
    return response
