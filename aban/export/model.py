"""The data of one export: rows read from the register, and the audit state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["csv", "json", "bundle"]
FORMAT = "aban-export/1"


@dataclass(frozen=True)
class AuditState:
    """The register's audit log as an export records it.

    Attributes:
        head: hash of the newest entry that is not an export (an export's own
            entry does not change the register, so exporting again gives the
            same bytes).
        seq: that entry's number.
        verified: whether ``aban audit verify`` found the chain and the
            imported records intact at export time.
        problem: what it found broken, if anything.
        broken_at: the first broken entry, if any.
    """

    head: str
    seq: int
    verified: bool
    problem: str | None = None
    broken_at: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "head": self.head,
            "seq": self.seq,
            "verified": self.verified,
            "problem": self.problem,
            "broken_at": self.broken_at,
        }


@dataclass(frozen=True)
class ExportData:
    """Everything an export writes, read from the register in one transaction."""

    full: bool
    build_time: dt.datetime
    version: str
    audit: AuditState
    tables: Mapping[str, list[dict[str, Any]]]
    methodology: str = ""

    @property
    def stamp(self) -> str:
        """The build time as ISO 8601 UTC text (``2020-01-01T00:00:00Z``)."""
        return self.build_time.strftime("%Y-%m-%dT%H:%M:%SZ")

    def header(self, kind: Kind) -> dict[str, Any]:
        """What every manifest and JSON export starts with."""
        return {
            "format": FORMAT,
            "kind": kind,
            "full": self.full,
            "build_time": self.stamp,
            "aban_version": self.version,
            "audit": self.audit.to_dict(),
        }
