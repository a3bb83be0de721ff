"""``aban export``: the register as CSV files, one JSON file, or a bundle (zip).

The register is read, the export written under a temporary name, audited and put in
place inside one transaction, so what is exported is exactly the register at that
audit entry, and a failure leaves neither an export nor an audit entry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aban.config import load_section
from aban.detention.alerts import alert_settings
from aban.errors import ConfigError
from aban.export import read
from aban.export.atomic import Staged, check_target, stage_file, stage_folder
from aban.export.fields import TABLES
from aban.export.layout import (
    MANIFEST,
    METHODOLOGY,
    README,
    file_name,
    folder_files,
    json_bytes,
    sha256,
    zip_bytes,
)
from aban.export.model import AuditState, ExportData, Kind
from aban.export.names import SourceNames, source_names
from aban.grade.methodology import methodology
from aban.grade.rules import load_rules
from aban.store.audit import GENESIS
from aban.store.db import Connection, transaction
from aban.store.integrity import verify_register
from aban.store.runs import last_run, run_details
from aban.store.workspace import Workspace
from aban.version import __version__

FORMATS: tuple[Kind, ...] = ("csv", "json", "bundle")
#: The audit action of an export; its entries do not count toward the head exported.
ACTION = "export"
#: The files a CSV export folder may hold (``--force`` replaces only these).
EXPORT_FILES = frozenset(
    {README, MANIFEST, METHODOLOGY, *(file_name(t) for t in TABLES)}
)


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote; ``to_dict`` is ``aban export --json``.

    Attributes:
        kind: csv, json or bundle.
        full: whether protected fields are included.
        path: the folder (csv) or file written.
        build_time: the build time, ISO 8601 UTC.
        rows: rows per table.
        sha256: SHA-256 of the file written (of manifest.json for csv).
        audit: the register's audit head and verification recorded in the export.
        head: the audit head after the export's own entry.
    """

    kind: Kind
    full: bool
    path: Path
    build_time: str
    rows: dict[str, int]
    sha256: str
    audit: AuditState
    head: str = field(default="", compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.kind,
            "full": self.full,
            "path": str(self.path),
            "build_time": self.build_time,
            "rows": self.rows,
            "sha256": self.sha256,
            "audit": self.audit.to_dict(),
            "head": self.head,
        }


def parse_build_time(text: str) -> dt.datetime:
    """A build time from ISO 8601 text (a date, or a time; no zone means UTC).

    Raises:
        ConfigError: the text is not an ISO 8601 date or time.
    """
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError as err:
        raise ConfigError(
            f"build time {text!r} is not ISO 8601; use e.g. 2020-01-01T00:00:00Z"
        ) from err
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).replace(microsecond=0)


def audit_state(conn: Connection) -> AuditState:
    """The head an export records (its own entries left out) and the verification."""
    report = verify_register(conn)
    row = conn.execute(
        "select seq, hash from audit where action != ? order by seq desc limit 1",
        (ACTION,),
    ).fetchone()
    seq, head = (int(row[0]), str(row[1])) if row else (0, GENESIS)
    return AuditState(head, seq, report.ok, report.problem, report.broken_at)


def read_data(ws: Workspace, full: bool, build_time: dt.datetime) -> ExportData:
    """Every exported table's rows and the audit state, from the open register."""
    conn = ws.conn
    names: SourceNames = source_names(conn, full)
    settings = alert_settings(load_section(ws.path, "detentions"))
    tables = {
        "sources": read.read_sources(conn, names),
        "records": read.read_records(conn, names),
        "persons": read.read_persons(conn, names),
        "person_records": read.read_person_records(conn, names),
        "claims": read.read_claims(conn, names),
        "detention_cases": read.read_detention_cases(
            conn, names, build_time.date(), settings
        ),
        "detention_events": read.read_detention_events(conn, names),
        "grade_decisions": read.read_grade_decisions(conn, names),
        "evidence": read.read_evidence(conn, names),
        "custody_events": read.read_custody_events(conn, names),
    }
    text = methodology(load_rules(ws.path), _estimation(conn))
    return ExportData(full, build_time, __version__, audit_state(conn), tables, text)


def _estimation(conn: Connection) -> dict[str, Any] | None:
    """The settings of the last estimate run, for the methodology (None if none)."""
    run_id = last_run(conn, "estimate")
    if run_id is None:
        return None
    settings: dict[str, Any] = run_details(conn, run_id)["settings"]
    return settings


def _stage(data: ExportData, kind: Kind, out: Path) -> tuple[Staged, str]:
    """Write the export under a temporary name; return it and its SHA-256."""
    if kind == "json":
        content = json_bytes(data)
        return stage_file(out, content), sha256(content)
    files = folder_files(data, kind)
    if kind == "bundle":
        content = zip_bytes(files, data.build_time)
        return stage_file(out, content), sha256(content)
    return stage_folder(out, files), sha256(files[MANIFEST])


def _check_out(ws: Workspace, out: Path, kind: Kind, force: bool) -> None:
    if kind not in FORMATS:
        raise ConfigError(f"unknown export format {kind!r}; use csv, json or bundle")
    if out.resolve().is_relative_to(ws.path.resolve()):
        raise ConfigError(
            f"{out}: inside the workspace, which keeps nothing in plaintext; "
            "write the export elsewhere"
        )
    check_target(out, kind == "csv", force, EXPORT_FILES)


def export_workspace(
    ws: Workspace,
    kind: Kind,
    out: Path,
    *,
    full: bool = False,
    force: bool = False,
    build_time: dt.datetime | None = None,
) -> ExportResult:
    """Export the register for partners, a UN mechanism or a court.

    Args:
        ws: an open workspace.
        kind: ``csv`` (a folder of CSV files, README.md and manifest.json),
            ``json`` (one JSON file) or ``bundle`` (the CSV folder as a zip).
        out: the folder (csv) or file to write.
        full: include protected fields and protected sources' real names (the
            full partner export); otherwise they are left out or pseudonymised.
        force: replace an earlier export at ``out``.
        build_time: the time written into the export (and the zip entries); now
            when None. The same register and build time give identical bytes.

    Returns:
        What was written, with the SHA-256 and the new audit head.

    Raises:
        ConfigError: bad format, or ``out`` holds something (see
            :func:`aban.export.atomic.check_target`) or is inside the workspace.
    """
    _check_out(ws, out, kind, force)
    moment = build_time or parse_build_time(dt.datetime.now(dt.UTC).isoformat())
    with transaction(ws.conn):
        data = read_data(ws, full, moment)
        staged, digest = _stage(data, kind, out)
        try:
            head = _record(ws, data, kind, digest)
            staged.commit()
        except BaseException:
            staged.discard()
            raise
    return ExportResult(
        kind, full, out, data.stamp, _counts(data), digest, data.audit, head
    )


def _counts(data: ExportData) -> dict[str, int]:
    return {t.name: len(data.tables[t.name]) for t in TABLES}


def _record(ws: Workspace, data: ExportData, kind: Kind, digest: str) -> str:
    """The export's audit entry: counts and digests only, never personal data."""
    return ws.record_audit(
        ACTION,
        {
            "format": kind,
            "full": data.full,
            "rows": _counts(data),
            "sha256": digest,
            "build_time": data.stamp,
            "exported_head": data.audit.head,
            "verified": data.audit.verified,
        },
    )
