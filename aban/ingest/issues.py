"""Data problems found on import: stable codes, severities and message templates.

A problem with the data is an :class:`Issue`, not an exception. Each code is documented
once here (and in docs/issues.md); messages name the file, row and column and say how to
fix the problem, and never repeat a cell's value, which may be a person's name.

Severities: ``fatal`` (the file cannot be read at all; nothing is imported), ``error``
(the row is refused; the file imports only with ``--skip-invalid``), ``warning``
(imported, but worth a look).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from aban.errors import IngestError

Severity = Literal["fatal", "error", "warning"]

#: code -> (severity, message template); templates take only the fields given here.
ISSUE_CODES: dict[str, tuple[Severity, str]] = {
    # whole-file problems
    "file-not-found": ("fatal", "file not found; check the path"),
    "file-empty": (
        "fatal",
        "the file holds no records; check that it is the right file",
    ),
    "file-binary": (
        "fatal",
        "binary content (NUL byte at offset {offset}); export the list as CSV, XLSX "
        "or JSON",
    ),
    "encoding-invalid": (
        "fatal",
        "not UTF-8 text, nor Windows-1256 Persian text (bad byte at offset {offset}, "
        "line {line}); save the file as UTF-8, or pass --encoding",
    ),
    "csv-malformed": (
        "fatal",
        "the CSV is cut off or has an unclosed quote ({detail}); re-export the file",
    ),
    "wrong-delimiter": (
        "fatal",
        "the header is one column holding {delimiter!r}: the file is not "
        "comma-separated; save it with commas, or set delimiter in a --mapping file",
    ),
    "header-missing-record-id": (
        "fatal",
        "no record_id column; add one, or map a column to record_id with --mapping",
    ),
    "header-duplicate-column": (
        "fatal",
        "column appears twice in the header; rename or remove one of them",
    ),
    "xlsx-invalid": (
        "fatal",
        "not a valid XLSX workbook ({detail}); re-save it from a spreadsheet program "
        "or export CSV",
    ),
    "xlsx-no-sheet": ("fatal", "the workbook has no sheet of that name; check --sheet"),
    "json-invalid": (
        "fatal",
        "not valid JSON or JSON Lines (line {line}: {detail}); fix the syntax",
    ),
    "json-not-records": (
        "fatal",
        "JSON input must be an array of objects or JSON Lines of objects",
    ),
    "source-missing": (
        "fatal",
        "no --source given and no source column; name the source with --source NAME",
    ),
    "mapping-invalid": ("fatal", "the mapping file is invalid: {detail}"),
    # row problems (the row is refused)
    "row-length": (
        "error",
        "the row has {found} cells but the header has {expected}; "
        "check for a stray or missing delimiter",
    ),
    "record-id-missing": ("error", "record_id is empty; give every row an id"),
    "record-id-duplicate": (
        "error",
        "record_id repeats row {first} of this source; ids must be unique per source",
    ),
    "record-id-changed": (
        "error",
        "record_id is already in the register with other values; give the new "
        "statement a new id, or pass --skip-invalid to keep the stored one",
    ),
    "source-empty": ("error", "the source cell is empty; name this row's source"),
    "source-invalid": (
        "error",
        "the source name is not usable (1-100 characters, no slashes or control "
        "characters); rename it",
    ),
    "cell-too-long": (
        "error",
        "the cell is longer than {limit} characters; shorten it or check the file "
        "is not damaged",
    ),
    "control-characters": (
        "error",
        "the cell holds control characters; remove them or re-export the file",
    ),
    "formula-in-cell": (
        "error",
        "the cell looks like a spreadsheet formula; remove the leading '=', '+', '-' "
        "or '@'",
    ),
    "date-unparseable": (
        "error",
        "not a date in any accepted layout (ISO 2019-11-16, day-first 16/11/2019, "
        "Solar Hijri 1398/08/25); fix the cell or leave it empty",
    ),
    "date-impossible": (
        "error",
        "the date does not exist in its calendar; fix the cell or leave it empty",
    ),
    "date-in-future": (
        "error",
        "the date is in the future; fix the cell or leave it empty",
    ),
    "date-too-early": (
        "error",
        "the date is before {earliest}; fix the cell or leave it empty",
    ),
    "birth-after-death": (
        "error",
        "birth_date is after date_of_death; fix one of them",
    ),
    "age-not-a-number": (
        "error",
        "age is not a number of years; write digits (17, ۱۷) or leave it empty",
    ),
    "age-out-of-range": (
        "error",
        "age must be between 0 and {max_age}; fix the cell or leave it empty",
    ),
    "sex-unknown": (
        "error",
        "sex must be m/f, male/female or مرد/زن; or leave it empty",
    ),
    "status-unknown": (
        "error",
        "status must be killed, injured, detained, disappeared, executed or "
        "died_in_custody (or a known synonym); fix the cell or leave it empty",
    ),
    "nested-value": (
        "error",
        "the value is a list or object; JSON records must hold plain values",
    ),
    # warnings (imported)
    "unknown-column": (
        "warning",
        "column is not part of the records format; its values are kept as raw data "
        "only",
    ),
    "age-birth-mismatch": (
        "warning",
        "age and birth_date disagree by more than a year; both are kept",
    ),
}


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
    """Build the issue ``code`` with its documented severity and message."""
    severity, template = ISSUE_CODES[code]
    return Issue(
        code, severity, file, row, column, template.format(**fields), record_id, source
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


def fail(code: str, file: str, row: int | None = None, **fields: Any) -> FileIssueError:
    """The exception for a fatal issue ``code`` (raise the result)."""
    return FileIssueError(make_issue(code, file, row, **fields))
