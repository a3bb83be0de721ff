"""One person's detention case, for the person page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aban.detention.alerts import AlertSettings
from aban.detention.register import detention_cases
from aban.store.db import Connection


def person_cases(
    conn: Connection,
    row_id: int,
    as_of: dt.date,
    settings: AlertSettings | None = None,
) -> list[dict[str, Any]]:
    """The person's detention case (``Case.to_dict``), as a list of zero or one."""
    cases = detention_cases(conn, as_of, settings, person=row_id)
    return [c.to_dict() for c in cases]
