"""The issue catalogue: every data problem an import reports, with one message each.

A problem with the data is an issue (:class:`aban.ingest.issues.Issue`), not an
exception. Each code is documented once, here (docs/issues.md is generated from this
table): its severity, the kinds of file it is found in, and one message template.
Messages name no cell's value, which may be a person's name: the issue's location
(file, row, column) says where, the message says what is wrong and how to fix it.

Severities: ``fatal`` (the file cannot be read at all; nothing is imported),
``error`` (the row is refused; a records file imports only with ``--skip-invalid``, a
claims or detention events file not at all), ``warning`` (imported, but worth a look).

Stages: ``records`` (``aban import`` and the record form), ``claims``
(``aban claims import``), ``detentions`` (``aban detentions import`` and the event
form). A code found in several stages means the same there; where the words differ by
format (the vocabulary of a status column, what becomes of an unknown column), the
template takes them as fields.

This module is a leaf: it imports nothing from aban.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["fatal", "error", "warning"]
Stage = Literal["records", "claims", "detentions"]

#: The stages, in the order the documentation lists them.
STAGES: tuple[Stage, ...] = ("records", "claims", "detentions")


@dataclass(frozen=True)
class IssueCode:
    """One issue code: how grave it is, where it is found, what its message says.

    Attributes:
        severity: ``fatal``, ``error`` or ``warning``.
        stages: the imports that report it (see the module docstring).
        template: the message, a :meth:`str.format` template of the fields named in
            it (the caller passes them; fields it does not name are ignored).
    """

    severity: Severity
    stages: tuple[Stage, ...]
    template: str

    def message(self, **fields: Any) -> str:
        """The message with ``fields`` filled in."""
        return self.template.format(**fields)


_ALL: tuple[Stage, ...] = STAGES
_RECORDS: tuple[Stage, ...] = ("records",)
_CLAIMS: tuple[Stage, ...] = ("claims",)
_DETENTIONS: tuple[Stage, ...] = ("detentions",)
_RECORDS_DETENTIONS: tuple[Stage, ...] = ("records", "detentions")
_CLAIMS_FORMAT = (
    "claimant, date, low, high, kind, scope, method, citation, claimant_fa, kind_fa"
)

#: code -> its severity, stages and message template, for every code of every stage.
ISSUE_CODES: dict[str, IssueCode] = {
    # whole-file problems: nothing is imported
    "file-not-found": IssueCode("fatal", _ALL, "file not found; check the path"),
    "file-empty": IssueCode(
        "fatal", _ALL, "the file holds no records; check that it is the right file"
    ),
    "file-binary": IssueCode(
        "fatal",
        _ALL,
        "binary content (NUL byte at offset {offset}); export the list as CSV, XLSX "
        "or JSON",
    ),
    "encoding-invalid": IssueCode(
        "fatal",
        _ALL,
        "not UTF-8 text, nor Windows-1256 Persian text (bad byte at offset {offset}, "
        "line {line}); save the file as UTF-8, or pass --encoding",
    ),
    "csv-malformed": IssueCode(
        "fatal",
        _ALL,
        "the CSV is cut off or has an unclosed quote ({detail}); re-export the file",
    ),
    "wrong-delimiter": IssueCode(
        "fatal",
        _ALL,
        "the header is one column holding {delimiter!r}: the file is not "
        "comma-separated; save it with commas, or set delimiter in a --mapping file",
    ),
    "header-missing-record-id": IssueCode(
        "fatal",
        _RECORDS,
        "no record_id column; add one, or map a column to record_id with --mapping",
    ),
    "header-duplicate-column": IssueCode(
        "fatal",
        _ALL,
        "column appears twice in the header; rename or remove one of them",
    ),
    "xlsx-invalid": IssueCode(
        "fatal",
        _RECORDS_DETENTIONS,
        "not a valid XLSX workbook ({detail}); re-save it from a spreadsheet program "
        "or export CSV",
    ),
    "xlsx-no-sheet": IssueCode(
        "fatal",
        _RECORDS,
        "the workbook has no such sheet; its {count} sheets are {sheets}: give "
        "--sheet (or sheet: in the mapping) a name or a number from 1",
    ),
    "json-invalid": IssueCode(
        "fatal",
        _RECORDS_DETENTIONS,
        "not valid JSON or JSON Lines (line {line}: {detail}); fix the syntax",
    ),
    "json-not-records": IssueCode(
        "fatal",
        _RECORDS_DETENTIONS,
        "JSON input must be an array of objects or JSON Lines of objects",
    ),
    "source-missing": IssueCode(
        "fatal",
        _RECORDS,
        "no --source given and no source column; name the source with --source NAME",
    ),
    "no-person-columns": IssueCode(
        "fatal",
        _RECORDS,
        "no column of the file is read as a name, national_id, age, sex, date or "
        "place, so its records would say nothing about a person; map the file's "
        "other columns onto the records format with --mapping",
    ),
    "mapping-invalid": IssueCode(
        "fatal", _RECORDS, "the mapping file is invalid: {detail}"
    ),
    "mapping-column-missing": IssueCode(
        "fatal",
        _RECORDS,
        "the mapping names columns the file does not have: {columns} (the header is "
        "row {header_row}); check their spelling against the file's header, or set "
        "header_row",
    ),
    "header-row-missing": IssueCode(
        "fatal",
        _RECORDS,
        "the header row asked for is past the end of the file (it has {rows} rows); "
        "check --header-row or header_row in the mapping",
    ),
    "claims-file-empty": IssueCode(
        "fatal", _CLAIMS, "the file holds no claims; check that it is the right file"
    ),
    "claims-column-missing": IssueCode(
        "fatal",
        _CLAIMS,
        "the header lacks {columns}; a claims CSV has the columns " + _CLAIMS_FORMAT,
    ),
    "claims-column-unknown": IssueCode(
        "fatal",
        _CLAIMS,
        "column is not part of the claims format (" + _CLAIMS_FORMAT + "); rename or "
        "remove it",
    ),
    "header-missing-column": IssueCode(
        "fatal",
        _DETENTIONS,
        "no {names} column; a detention events file needs record_id or "
        "person_id, date, status and source",
    ),
    # row problems: the row is refused
    "row-length": IssueCode(
        "error",
        _ALL,
        "the row has {found} cells but the header has {expected}; "
        "check for a stray or missing delimiter",
    ),
    "record-id-missing": IssueCode(
        "error", _RECORDS, "record_id is empty; give every row an id"
    ),
    "record-id-duplicate": IssueCode(
        "error",
        _RECORDS,
        "record_id repeats row {first} of this source; ids must be unique per source",
    ),
    "record-id-changed": IssueCode(
        "error",
        _RECORDS,
        "record_id is already in the register with other values; if the file is "
        "a new version of the list, import it with --replace; else give the new "
        "statement a new id, or pass --skip-invalid to keep the stored one",
    ),
    "source-empty": IssueCode(
        "error",
        _RECORDS_DETENTIONS,
        "the source cell is empty; name this row's source",
    ),
    "source-invalid": IssueCode(
        "error",
        _RECORDS_DETENTIONS,
        "the source name is not usable (1-100 characters, no slashes or control "
        "characters); rename it",
    ),
    "invisible-characters": IssueCode(
        "error",
        _RECORDS_DETENTIONS,
        "the cell holds invisible characters (direction marks, zero-width "
        "characters) that let a source name or record id pass for another; remove "
        "them",
    ),
    "cell-too-long": IssueCode(
        "error",
        _ALL,
        "the cell is longer than {limit} characters; shorten it or check the file "
        "is not damaged",
    ),
    "control-characters": IssueCode(
        "error",
        _ALL,
        "the cell holds control characters; remove them or re-export the file",
    ),
    "formula-in-cell": IssueCode(
        "error",
        _ALL,
        "the cell looks like a spreadsheet formula; remove the leading '=', '+', '-' "
        "or '@'",
    ),
    "nested-value": IssueCode(
        "error",
        _RECORDS_DETENTIONS,
        "the value is a list or object; JSON records must hold plain values",
    ),
    # "fix the cell", not "or leave it empty": in claims and detention events files
    # the date is required, and an empty one is refused too.
    "date-unparseable": IssueCode(
        "error",
        _RECORDS_DETENTIONS,
        "not a date in any accepted layout (ISO 2019-11-16, day-first 16/11/2019, "
        "Solar Hijri 1398/08/25); fix the cell",
    ),
    "date-impossible": IssueCode(
        "error", _ALL, "the date does not exist in its calendar; fix the cell"
    ),
    "date-in-future": IssueCode(
        "error", _RECORDS_DETENTIONS, "the date is in the future; fix the cell"
    ),
    "date-too-early": IssueCode(
        "error",
        _RECORDS,
        "the date is before {earliest}; fix the cell or leave it empty",
    ),
    "date-year-missing": IssueCode(
        "error",
        _RECORDS,
        "the date has no year, and its day does not fall within the dates of the "
        "workspace's event ([event] start and end in aban.toml); write the year",
    ),
    "birth-after-death": IssueCode(
        "error", _RECORDS, "birth_date is after date_of_death; fix one of them"
    ),
    "age-not-a-number": IssueCode(
        "error",
        _RECORDS,
        "age is not a number of years; write digits (17, ۱۷) or leave it empty",
    ),
    "age-out-of-range": IssueCode(
        "error",
        _RECORDS,
        "age must be between 0 and {max_age}; fix the cell or leave it empty",
    ),
    "sex-unknown": IssueCode(
        "error", _RECORDS, "sex must be m/f, male/female or مرد/زن; or leave it empty"
    ),
    "status-unknown": IssueCode(
        "error",
        _RECORDS_DETENTIONS,
        "not a known {kinds} ({words}), nor a synonym; fix the cell",
    ),
    "record-empty": IssueCode(
        "error",
        _RECORDS,
        "the row has no name, national_id, age, sex, date or place: nothing "
        "identifies or describes a person; fill one in, or remove the row",
    ),
    "claimant-missing": IssueCode(
        "error", _CLAIMS, "claimant is empty; name who published the figure"
    ),
    "claim-date-missing": IssueCode(
        "error",
        _CLAIMS,
        "date is empty; give the day the figure was published (2019-12-15), or its "
        "month (2019-12)",
    ),
    "claim-date-unparseable": IssueCode(
        "error",
        _CLAIMS,
        "not a date in any accepted layout (ISO 2019-12-15 or a month 2019-12, "
        "day-first 15/12/2019, 15 December 2019 or December 2019, Solar Hijri "
        "1398/09/24); fix the cell",
    ),
    "claim-date-in-future": IssueCode(
        "error", _CLAIMS, "the date is in the future; fix the cell"
    ),
    "claim-date-jalali-month": IssueCode(
        "error",
        _CLAIMS,
        "a Solar Hijri month spans two Gregorian months; give the day "
        "(1398/09/24) or the Gregorian month (2019-12)",
    ),
    "claim-figure-missing": IssueCode(
        "error",
        _CLAIMS,
        "low and high are both empty; give low alone for 'at least', high alone "
        "for 'at most', both for a range (the same number twice for one figure)",
    ),
    "claim-figure-not-a-number": IssueCode(
        "error",
        _CLAIMS,
        "not a whole number of persons from 0 to {limit:,}; write digits such as "
        "1500 or 1,500",
    ),
    "claim-range-reversed": IssueCode(
        "error", _CLAIMS, "low is greater than high; swap them"
    ),
    "claim-citation-missing": IssueCode(
        "error",
        _CLAIMS,
        "citation is empty; cite the publisher, the date and the title where known",
    ),
    "claim-not-persian": IssueCode(
        "error",
        _CLAIMS,
        "holds no Persian letters; give the Persian words, or leave it empty for "
        "the English",
    ),
    "claim-duplicate": IssueCode(
        "error", _CLAIMS, "the row repeats row {first}; remove one of them"
    ),
    "target-missing": IssueCode(
        "error",
        _DETENTIONS,
        "neither record_id nor person_id is given; name the record or person the "
        "event is about",
    ),
    "target-mismatch": IssueCode(
        "error",
        _DETENTIONS,
        "record_id and person_id name different persons; give only one of them",
    ),
    "record-unknown": IssueCode(
        "error",
        _DETENTIONS,
        "no record with this record_id in the register; import the source's list "
        "first, or fix the id",
    ),
    "record-ambiguous": IssueCode(
        "error",
        _DETENTIONS,
        "several sources have a record with this record_id and none is this row's "
        "source; give the person_id instead",
    ),
    "person-unknown": IssueCode(
        "error",
        _DETENTIONS,
        "no person with this person_id; run 'aban link' first, or fix the id",
    ),
    "date-missing": IssueCode(
        "error", _DETENTIONS, "the date is empty; every event needs its date"
    ),
    "status-missing": IssueCode(
        "error", _DETENTIONS, "the status is empty; say what happened"
    ),
    "source-unknown": IssueCode(
        "error",
        _DETENTIONS,
        "no source of this name in the register ('aban sources' lists them); fix "
        "the name, or pass --create-sources to add it",
    ),
    # warnings: imported
    "protected-source-added": IssueCode(
        "warning",
        _RECORDS,
        "the source column adds rows to an existing protected source (first at "
        "this row); check that the file comes from that source, and import lists "
        "from elsewhere with --source NAME",
    ),
    "row-summary": IssueCode(
        "warning",
        _RECORDS,
        "a totals or summary row (a label such as جمع or Total, and numbers); "
        "skipped, not read as a person",
    ),
    "unknown-column": IssueCode(
        "warning",
        _RECORDS_DETENTIONS,
        "column is not part of the {fmt} format; its values are {kept}",
    ),
    "age-birth-mismatch": IssueCode(
        "warning",
        _RECORDS,
        "age and birth_date disagree by more than a year; both are kept",
    ),
    # warnings of detainee lists ('aban detentions import' of one row per person)
    "status-kept-as-note": IssueCode(
        "warning",
        _DETENTIONS,
        "part of the status is not one aban reads (a status such as detained, "
        "sentenced to 5 years, transferred to Evin, released on bail, or a fact such "
        "as no family visits, whereabouts unknown); kept as a note on the person's "
        "detention, check it",
    ),
    "list-cell-kept-as-note": IssueCode(
        "warning",
        _DETENTIONS,
        "the cell is not one aban reads in this column of a detainee list (a "
        "sentence such as 5 years or death sentence; yes or no, allowed or denied for "
        "family and lawyer access); kept as a note on the person's detention, check it",
    ),
    "status-read-as-death-sentence": IssueCode(
        "warning",
        _DETENTIONS,
        "'اعدام' alone is read as a death sentence, not an execution; write 'اعدام "
        "شد' or 'executed' if the person was executed",
    ),
    "status-dated-at-arrest": IssueCode(
        "warning",
        _DETENTIONS,
        "the status has no date of its own (no date of last news, no --as-of); it is "
        "dated at the arrest: add a date of last news, or pass --as-of with the "
        "date of the list",
    ),
    "list-date-unreadable": IssueCode(
        "warning",
        _DETENTIONS,
        "not a date in the past in any accepted layout (ISO 2019-11-16, day-first "
        "16/11/2019, Solar Hijri 1398/08/25); the record is imported, the date is "
        "left out of its detention",
    ),
    "not-known-emptied": IssueCode(
        "warning",
        _RECORDS,
        'cells of this column that held only a word for "not known" (unknown, '
        "n/a, نامعلوم, -, ...), read as empty: {count}",
    ),
    "date-year-from-event": IssueCode(
        "warning",
        _RECORDS,
        "the date has no year; it took the year in which its day falls within the "
        "workspace's event ([event] in aban.toml); check it, or write the year",
    ),
    "date-order-assumed": IssueCode(
        "warning",
        _RECORDS,
        "{count} dates of {columns} could be read day first or month first "
        "(11/12/2019: 11 December or 12 November) and none only one way; read "
        "day first. If the list writes the month first (a sheet in US format), "
        "add 'date_order: month-first' to the mapping; 'date_order: day-first' "
        "says it is day first",
    ),
    "date-order-mixed": IssueCode(
        "warning",
        _RECORDS,
        "the column writes some dates day first and some month first, and this "
        "one can be read either way; left empty and the row kept. Write the date "
        "as 2019-11-16, or give the order with date_order in the mapping",
    ),
    "cell-emptied": IssueCode(
        "warning",
        _RECORDS,
        "the cell was emptied and the row kept (--skip-invalid cells), for "
        "{original}: {reason}",
    ),
}


def codes_for(stage: Stage) -> dict[str, IssueCode]:
    """The codes ``stage`` reports, in catalogue order.

    Example:
        >>> "claim-duplicate" in codes_for("claims")
        True
        >>> "claim-duplicate" in codes_for("records")
        False
    """
    return {code: c for code, c in ISSUE_CODES.items() if stage in c.stages}
