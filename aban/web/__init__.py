"""The team's web app (``aban serve``): review, persons, entry, linking, corrections.

Starlette with Jinja2 templates, served by uvicorn on 127.0.0.1 by default.
Accounts and roles are in :mod:`aban.store.users`; sessions, CSRF and the login
rate limit in :mod:`aban.web.security`; what viewers may not see in
:mod:`aban.web.redact`.
"""

from __future__ import annotations

from aban.web.app import ROUTE_ROLES, create_app
from aban.web.db import Database

__all__ = ["ROUTE_ROLES", "Database", "create_app"]
