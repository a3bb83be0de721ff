"""Exports of the register for partners, a UN mechanism or a court.

``aban export --format csv|json|bundle OUT`` writes the same tables three ways:
``csv`` a folder of CSV files with README.md and manifest.json, ``json`` one JSON
file, ``bundle`` the CSV folder as a deterministic zip. Tables: sources, records,
persons, person_records, claims, detention_cases, detention_events,
grade_decisions, evidence (the evidence manifest) and custody_events; their fields
are listed once, in :mod:`aban.export.fields`.

What each export holds:

* **default** (every format): everything but protected data. Left out: records'
  national_id, informant, contact, notes_private, file_name, content_sha256 and
  raw row; sources' contact; persons' canonical national id; reviewers' names and
  notes; evidence files' original names and vault names; who gave and received
  evidence. Protected sources and their independence groups keep their records
  and statements but are named ``protected-source-N`` and ``protected-group-N``.
* **full** (``--full``, the full partner export): every field above as well, and
  real source names. Nothing else differs.

Every export records the register's audit head (its newest entry that is not an
export) and ``aban audit verify``'s verdict, and is itself audited (format, row
counts, SHA-256 of what was written; never personal data). CSV cells that could
start a spreadsheet formula are neutralised (:func:`aban.text.spreadsheet.neutralise`).
"""

from __future__ import annotations

from aban.export.fields import PROTECTED_FIELDS, TABLES, Field, Table
from aban.export.model import AuditState, ExportData
from aban.export.run import (
    FORMATS,
    ExportResult,
    export_workspace,
    parse_build_time,
)
from aban.text.spreadsheet import neutralise

__all__ = [
    "FORMATS",
    "PROTECTED_FIELDS",
    "TABLES",
    "AuditState",
    "ExportData",
    "ExportResult",
    "Field",
    "Table",
    "export_workspace",
    "neutralise",
    "parse_build_time",
]
