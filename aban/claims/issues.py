"""Problems found in a claims CSV: stable codes, severities and message templates.

They are :class:`aban.ingest.issues.Issue` objects, rendered like the problems of a
records import (``file:row:column: message [code]``). The codes below are the claims
format's own; the whole-file and cell problems it shares with records files
(``file-binary``, ``encoding-invalid``, ``csv-malformed``, ``row-length``,
``control-characters``, ``formula-in-cell``, ``date-impossible``, ...) keep their
codes from :data:`aban.ingest.issues.ISSUE_CODES`. Messages never repeat a cell.
"""

from __future__ import annotations

from typing import Any

from aban.ingest.issues import FileIssueError, Issue, Severity, make_issue

COLUMNS = ("claimant", "date", "low", "high", "kind", "scope", "method", "citation")
REQUIRED_COLUMNS = ("claimant", "date", "low", "high", "citation")
_FORMAT = ", ".join(COLUMNS)

#: code -> (severity, message template); templates take only the fields given here.
CLAIM_ISSUE_CODES: dict[str, tuple[Severity, str]] = {
    "claims-file-empty": (
        "fatal",
        "the file holds no claims; check that it is the right file",
    ),
    "claims-column-missing": (
        "fatal",
        "the header lacks {columns}; a claims CSV has the columns " + _FORMAT,
    ),
    "claims-column-unknown": (
        "fatal",
        "column is not part of the claims format (" + _FORMAT + "); rename or "
        "remove it",
    ),
    "claimant-missing": ("error", "claimant is empty; name who published the figure"),
    "claim-date-missing": (
        "error",
        "date is empty; give the day the figure was published (2019-12-15), or its "
        "month (2019-12)",
    ),
    "claim-date-unparseable": (
        "error",
        "not a date in any accepted layout (ISO 2019-12-15 or a month 2019-12, "
        "day-first 15/12/2019, 15 December 2019 or December 2019, Solar Hijri "
        "1398/09/24); fix the cell",
    ),
    "claim-date-in-future": ("error", "the date is in the future; fix the cell"),
    "claim-date-jalali-month": (
        "error",
        "a Solar Hijri month spans two Gregorian months; give the day "
        "(1398/09/24) or the Gregorian month (2019-12)",
    ),
    "claim-figure-missing": (
        "error",
        "low and high are both empty; give low alone for 'at least', high alone "
        "for 'at most', both for a range (the same number twice for one figure)",
    ),
    "claim-figure-not-a-number": (
        "error",
        "not a whole number of persons from 0 to {limit:,}; write digits such as "
        "1500 or 1,500",
    ),
    "claim-range-reversed": ("error", "low is greater than high; swap them"),
    "claim-citation-missing": (
        "error",
        "citation is empty; cite the publisher, the date and the title where known",
    ),
    "claim-duplicate": ("error", "the row repeats row {first}; remove one of them"),
}


def claim_issue(
    code: str,
    file: str,
    row: int | None = None,
    column: str | None = None,
    **fields: Any,
) -> Issue:
    """Build the issue ``code`` (a claims code, else a records-import code)."""
    if code not in CLAIM_ISSUE_CODES:
        return make_issue(code, file, row, column, **fields)
    severity, template = CLAIM_ISSUE_CODES[code]
    return Issue(code, severity, file, row, column, template.format(**fields))


def claim_failure(
    code: str, file: str, column: str | None = None, **fields: Any
) -> FileIssueError:
    """The exception for a whole-file claims problem (raise the result)."""
    return FileIssueError(claim_issue(code, file, 1, column, **fields))
