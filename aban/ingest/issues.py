"""Data problems found on import: the :class:`Issue` and what a file's import did.

A problem with the data is an :class:`Issue`, not an exception. Its code, severity and
message template come from the one catalogue,
:data:`aban.vocab.issues.ISSUE_CODES` (also in docs/issues.md), shared by records,
claims and detention events files; messages name the file, row and column and say
how to fix the problem, and never repeat a cell's value, which may be a person's name.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from aban.errors import IngestError
from aban.vocab.issues import ISSUE_CODES, Severity

__all__ = [
    "FileImport",
    "FileIssueError",
    "ISSUE_CODES",
    "Issue",
    "Severity",
    "fail",
    "make_issue",
]


@dataclass(frozen=True)
class Issue:
    """One data problem: a stable code, where it is, a message without personal data."""

    code: str
    severity: Severity
    file: str
    row: int | None
    column: str | None
    message: str
    record_id: str | None = None
    source: str | None = None

    def location(self) -> str:
        where = self.file
        if self.row is not None:
            where += f":{self.row}"
        if self.column:
            where += f":{self.column}"
        return where

    def render(self) -> str:
        return f"{self.location()}: {self.message} [{self.code}]"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def make_issue(
    code: str,
    file: str,
    row: int | None = None,
    column: str | None = None,
    *,
    record_id: str | None = None,
    source: str | None = None,
    **fields: Any,
) -> Issue:
    """Build the issue ``code`` with its catalogue severity and message.

    Args:
        code: a code of :data:`aban.vocab.issues.ISSUE_CODES`.
        file: the file's name.
        row: the row number (1 is the header), if the issue has one.
        column: the column, if the issue has one.
        record_id: the row's record id, if known.
        source: the row's source, if known.
        **fields: the fields of the code's message template.
    """
    entry = ISSUE_CODES[code]
    return Issue(
        code,
        entry.severity,
        file,
        row,
        column,
        entry.message(**fields),
        record_id,
        source,
    )


@dataclass
class FileImport:
    """What an import of one file did (records, claims or detention events).

    ``refused``: nothing was written (the file had errors); ``already_imported``:
    the same content was imported before, nothing was written. Each kind adds
    its own counts (:meth:`counts`).
    """

    file: str
    content_sha256: str
    rows: int = 0
    unchanged: int = 0
    issues: list[Issue] = field(default_factory=list)
    refused: bool = False
    already_imported: bool = False
    head: str | None = None

    @property
    def errors(self) -> list[Issue]:
        """The issues that refused the file."""
        return [i for i in self.issues if i.severity in ("error", "fatal")]

    def counts(self) -> dict[str, Any]:
        """This kind's counts, in the order ``to_dict`` gives them."""
        return {"unchanged": self.unchanged}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "file": self.file,
            "content_sha256": self.content_sha256,
            "rows": self.rows,
            **self.counts(),
            "refused": self.refused,
            "already_imported": self.already_imported,
            "issues": [i.to_dict() for i in self.issues],
            "head": self.head,
        }


class FileIssueError(IngestError):
    """A whole-file problem: the file cannot be read as records, nothing is imported."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.render())
        self.issue = issue


def fail(
    code: str,
    file: str,
    row: int | None = None,
    *,
    column: str | None = None,
    **fields: Any,
) -> FileIssueError:
    """The exception for a fatal issue ``code`` (raise the result)."""
    return FileIssueError(make_issue(code, file, row, column, **fields))
