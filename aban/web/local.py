"""Rendering one page of the app without a server (``aban serve --get PATH``).

The request goes straight to the ASGI app, as a browser's would, with a session
started for the account named (audited like a sign-in, and ended afterwards).
"""

from __future__ import annotations

from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.types import Message

from aban.errors import StoreError
from aban.store.users import get_user
from aban.web.context import WebState
from aban.web.security import SESSION_COOKIE, create_session, end_session, load_session


async def _call(app: Starlette, path: str, cookie: str) -> tuple[int, bytes]:
    target, _, query = path.partition("?")
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": target,
        "raw_path": target.encode("utf-8"),
        "query_string": query.encode("utf-8"),
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"cookie", cookie.encode("latin-1"))],
        "client": ("127.0.0.1", 0),
        "server": ("127.0.0.1", 80),
    }
    status, body = 500, bytearray()

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    await app(scope, receive, send)
    return status, bytes(body)


def get_page(app: Starlette, path: str, user: str | None) -> tuple[int, str]:
    """GET ``path`` from ``app`` as the account ``user`` (anonymous when None).

    Returns:
        The status code and the body as text.

    Raises:
        StoreError: no such account.
    """
    state: WebState = app.state.web
    token = None
    if user is not None:
        with state.db.writer(user) as ws:
            account = get_user(ws.conn, user)
            if account is None or account.disabled:
                raise StoreError(f"no active user {user}; 'aban user list' shows them")
            token = create_session(ws, account)
    cookie = f"{SESSION_COOKIE}={token}" if token else ""
    try:
        status, body = anyio.run(_call, app, path, cookie)
    finally:
        if token is not None:
            with state.db.writer(user or "") as ws:
                session = load_session(ws.conn, token)
                if session is not None:
                    end_session(ws, session)
    return status, body.decode("utf-8", "replace")
