"""Custody events: who received an evidence file from whom, and when.

Givers, receivers and notes are protected: they are kept in the encrypted register
and shown only to the local user; the audit entry says whether each was given.
"""

from __future__ import annotations

import datetime as dt

from aban.errors import EvidenceError
from aban.store.db import transaction
from aban.store.evidence import Custody, add_custody, find_evidence
from aban.store.workspace import Workspace, now
from aban.text.dates import DateError, parse_date


def custody_time(text: str, today: dt.date | None = None) -> str:
    """When a custody event happened, as ISO text.

    Args:
        text: an ISO date-time (``2019-11-20T14:00``, UTC unless an offset is
            given) or a date in any layout records accept (``2019-11-20``,
            ``20/11/2019``, Solar Hijri ``1398/08/29``).
        today: the current UTC date (for tests).

    Raises:
        EvidenceError: unreadable, or in the future.
    """
    text = text.strip()
    when: dt.date | dt.datetime | None
    try:
        when = dt.datetime.fromisoformat(text) if ":" in text else parse_date(text)
    except (ValueError, DateError):
        when = None
    if when is None:
        raise EvidenceError(
            "--at is not a date: give 2019-11-20, 2019-11-20T14:00 or 1398/08/29"
        )
    if isinstance(when, dt.datetime) and when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    day = when.date() if isinstance(when, dt.datetime) else when
    if day > (today or dt.datetime.now(dt.UTC).date()):
        raise EvidenceError(
            "--at is in the future: give the date the file changed hands"
        )
    if isinstance(when, dt.datetime):
        return when.astimezone(dt.UTC).isoformat(timespec="seconds")
    return when.isoformat()


def add_custody_event(
    ws: Workspace,
    evidence: str,
    *,
    received_from: str | None,
    received_by: str | None = None,
    at: str | None = None,
    note: str | None = None,
) -> tuple[str, int, str]:
    """Record that the file of item ``evidence`` changed hands.

    Args:
        ws: an open workspace.
        evidence: the evidence id (``E000012``).
        received_from: who handed it over (protected).
        received_by: who received it (protected).
        at: when (a date or ISO date-time; Solar Hijri dates too); now if None.
        note: a note (protected).

    Returns:
        The evidence id, the custody event's id and the new audit head.

    Raises:
        StoreError: no such item.
        EvidenceError: neither giver nor receiver, or an unreadable or future date.
    """
    if not (received_from or received_by):
        raise EvidenceError("a custody event needs --from or --by (or both)")
    happened = custody_time(at) if at else now()
    with transaction(ws.conn):
        item = find_evidence(ws.conn, evidence)
        event = Custody(0, happened, received_from, received_by, note, now())
        custody_id = add_custody(ws.conn, item.row_id, event)
        head = ws.record_audit(
            "evidence-custody",
            {
                "evidence": item.evidence_id,
                "custody": custody_id,
                "from_given": bool(received_from),
                "by_given": bool(received_by),
            },
        )
    return item.evidence_id, custody_id, head
