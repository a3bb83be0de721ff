"""Detention cases: dated status histories, current status, conflicts and alerts.

Pure logic, no register access (that is :mod:`aban.detention.register`):
:mod:`~aban.detention.vocab` (statuses, facts, synonyms),
:mod:`~aban.detention.history` (order, current status, conflicts),
:mod:`~aban.detention.alerts` (alerts as of a date),
:mod:`~aban.detention.cases` (records and events grouped into cases) and
:mod:`~aban.detention.events` (reading the detention events CSV).
"""

from __future__ import annotations

from aban.detention.alerts import ALERT_KINDS, Alert, AlertSettings, case_alerts
from aban.detention.cases import Case, DetentionReport, RecordFacts, assemble_cases
from aban.detention.history import Conflict, Entry, History, evaluate
from aban.detention.vocab import FACTS, STATUSES, parse_event_word

__all__ = [
    "ALERT_KINDS",
    "FACTS",
    "STATUSES",
    "Alert",
    "AlertSettings",
    "Case",
    "Conflict",
    "DetentionReport",
    "Entry",
    "History",
    "RecordFacts",
    "assemble_cases",
    "case_alerts",
    "evaluate",
    "parse_event_word",
]
