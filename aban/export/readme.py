"""The README of a CSV export or bundle, generated from the field lists the code uses.

Every file and every column written is described from :data:`aban.export.fields.TABLES`
and :meth:`Table.columns`, the same lists the writers read, so the README cannot
drift from the files. The text holds counts, hashes and field names, no data.
"""

from __future__ import annotations

from aban.export.cells import LIST_SEPARATOR
from aban.export.fields import PROTECTED_FIELDS, TABLES, Table
from aban.export.model import ExportData, Kind
from aban.store.coverage import COVERED, NOT_COVERED
from aban.text.spreadsheet import FORMULA_STARTS

_TITLE = {
    "csv": "aban export for partners (CSV)",
    "bundle": "aban evidence bundle (for a UN mechanism or a court)",
    "json": "aban export for partners (JSON)",
}


def _integrity(data: ExportData) -> list[str]:
    audit = data.audit
    where = "" if audit.broken_at is None else f" at entry {audit.broken_at}"
    verdict = (
        "intact: every entry, and everything listed below that the log vouches for"
        if audit.verified
        else f"BROKEN{where}: {audit.problem}"
    )
    return [
        "## Integrity",
        "",
        f"- Audit head: `{audit.head}`, entry {audit.seq} of the register's "
        "hash-chained audit log (the newest entry that changed the register; "
        "exports do not, so exporting an unchanged register again gives "
        "identical files).",
        f"- `aban audit verify` at export time: {verdict}.",
        "- What it checks: " + "; ".join(COVERED) + ".",
        "- What it does not check: " + "; ".join(NOT_COVERED) + ". A register "
        "made before aban sealed its state is vouched for as it was found when "
        "it was upgraded (its `state-baseline` entry).",
        "- From inside, a log cannot show that someone holding the passphrase cut "
        "it, or rewrote it and recomputed every hash: a head kept outside the "
        "register can. This README holds one. Whoever keeps the register can show "
        "it still holds this state and nothing was cut or rewritten since: "
        f"`aban audit verify --head {audit.head}`.",
        "- manifest.json lists every other file with its SHA-256 and row count "
        "(check with `sha256sum`). The export itself is recorded in the audit log "
        "with the SHA-256 of what was written.",
        "- Evidence files are not included. evidence.csv gives each file's SHA-256 "
        "taken at intake: a copy delivered separately is the same file when its "
        "SHA-256 matches. `aban evidence verify` checks each file in the vault "
        "against the SHA-256 its intake entry in the audit log recorded.",
        "",
    ]


def _protection(data: ExportData) -> list[str]:
    fields = ", ".join(PROTECTED_FIELDS)
    if data.full:
        body = (
            "This is a FULL partner export. It holds protected data: the real "
            "names of protected sources and groups, and the fields "
            f"{fields}. Informants, witnesses and families can be put at risk by "
            "it: keep it encrypted and share it only under a written agreement."
        )
    else:
        body = (
            f"Protected data is left out: the fields {fields} are not written, and "
            "protected sources (families, witnesses, informants by default) and "
            "their independence groups are named by stable pseudonyms, "
            "protected-source-N and protected-group-N. Their records are included."
        )
    return ["## Protected data", "", body, ""]


def _conventions() -> list[str]:
    signs = " ".join(repr(s)[1:-1] for s in FORMULA_STARTS)
    return [
        "## Conventions",
        "",
        "- CSV: UTF-8 with a byte order mark, comma-separated, CRLF line ends, "
        "one header row.",
        f"- A cell that starts with one of {signs} begins with an added single "
        "quote (') so that a spreadsheet shows it as text and does not run it "
        "as a formula; remove that quote to get the value as stored.",
        f"- Lists are joined with `{LIST_SEPARATOR}`; objects are JSON text. "
        "Dates are ISO 8601; an empty cell means not known.",
        "- Record references are source/record_id.",
        "- This export is not a publication: it holds every person, whatever "
        "their consent. Honour the consent column before publishing anything.",
        "",
    ]


def _table(table: Table, data: ExportData) -> list[str]:
    columns = table.columns(data.full)
    rows = len(data.tables[table.name])
    lines = [f"### {table.name}.csv ({rows} rows)", "", table.help + ".", ""]
    lines += ["| field | description |", "| --- | --- |"]
    lines += [
        f"| {f.name} | {f.help.replace('|', '/')} |"
        for f in table.fields
        if f.name in columns
    ]
    return [*lines, ""]


def readme_text(data: ExportData, kind: Kind) -> str:
    """The README.md of an export of ``kind``."""
    lines = [
        f"# {_TITLE[kind]}",
        "",
        f"Built {data.stamp} by aban {data.version} from one register.",
        "",
        *_integrity(data),
        *_protection(data),
        *_conventions(),
        "## Files",
        "",
        "- README.md: this file.",
        "- METHODOLOGY.md: how records are linked and persons graded, written "
        "from the grading rules (and last estimate settings) in force.",
        "- manifest.json: format, build time, audit head and verification, and "
        "each file's SHA-256 and row count.",
        "",
    ]
    for table in TABLES:
        lines += _table(table, data)
    return "\n".join(lines)
