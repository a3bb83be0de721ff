"""``aban import``: bring a list into the register."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import click

from aban.cli import AppContext, cli
from aban.cli.output import (
    json_option,
    print_json,
    progress_bar,
    report_head,
    say_issues,
)
from aban.errors import IngestError
from aban.ingest.importer import SKIP_MODES, ImportResult, SkipMode, import_file
from aban.ingest.issues import FileIssueError, Issue
from aban.ingest.mapping import load_mapping
from aban.text.spreadsheet import neutralise

pass_app = click.make_pass_decorator(AppContext)


#: The columns of the --report CSV: an issue's fields.
REPORT_COLUMNS = (
    "code",
    "severity",
    "file",
    "row",
    "column",
    "record_id",
    "source",
    "message",
)


def write_report(path: Path, issues: list[Issue]) -> None:
    """Write issues as CSV (or JSON for a .json path). Issues hold no personal data.

    The file name, record ids and source names come from the file imported: in the
    CSV, a cell a spreadsheet would run as a formula starts with a single quote
    (:func:`~aban.text.spreadsheet.neutralise`); the JSON keeps them as they are.
    """
    rows = [i.to_dict() for i in issues]
    if path.suffix.lower() == ".json":
        path.write_text(
            json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        return
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(REPORT_COLUMNS)
        writer.writerows([_report_cell(row[c]) for c in REPORT_COLUMNS] for row in rows)


def _report_cell(value: object) -> object:
    return neutralise(value) if isinstance(value, str) else value


def _summary(result: ImportResult) -> str:
    warnings = sum(1 for i in result.issues if i.severity == "warning")
    return (
        f"{result.file}: {result.rows} rows, {result.accepted} imported, "
        f"{result.unchanged} already in the register, {result.rejected} refused, "
        f"{warnings} warnings"
    )


class _ImportCommand(click.Command):
    """``--skip-invalid`` with no mode before the file (``--skip-invalid FILE``)
    means ``--skip-invalid rows``, as the bare flag always has."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        args = list(args)
        for k, arg in enumerate(args):
            if arg == "--":
                break
            if arg == "--skip-invalid" and (
                k + 1 == len(args) or args[k + 1] not in SKIP_MODES
            ):
                args[k] = "--skip-invalid=rows"
        return super().parse_args(ctx, args)


@cli.command("import", cls=_ImportCommand)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--source", help="The source of every row (else a source column).")
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A YAML column mapping for other layouts.",
)
@click.option(
    "--skip-invalid",
    type=click.Choice(SKIP_MODES),
    help=(
        "Import the valid rows and record the refused ones (rows, the default); "
        "cells: also keep a row whose errors are each one cell's value, with "
        "those cells emptied and recorded."
    ),
)
@click.option("--encoding", help="Force a text encoding (e.g. windows-1256).")
@click.option("--sheet", help="XLSX sheet to read (default: the first).")
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    help=(
        "Write the issues found to this CSV or JSON file (in the CSV, a value "
        "that a spreadsheet would run as a formula starts with a quote)."
    ),
)
@json_option
@pass_app
def import_command(
    app: AppContext,
    file: Path,
    source: str | None,
    mapping: Path | None,
    skip_invalid: SkipMode | None,
    encoding: str | None,
    sheet: str | None,
    report: Path | None,
    as_json: bool,
) -> None:
    """Import a list of records (CSV, XLSX or JSON) into the register.

    A file with errors imports nothing (its issues are printed, and written to
    --report); with --skip-invalid the valid rows are imported and the rest recorded,
    and with --skip-invalid cells a cell whose value is an error is emptied instead
    of refusing its row.
    The same file for the same source again changes nothing. Without --source, a
    file whose source column adds rows to an existing protected source is imported
    with a warning (protected-source-added). Source names and record ids are
    compared in one Unicode form (NFC); invisible characters in them are refused.

    \b
    Example:
        aban -w ./ws import lists/ngo.csv --source ngo_list_fa --report issues.csv
    """
    column_mapping = load_mapping(mapping) if mapping else None
    with app.open() as ws, progress_bar(f"importing {file.name}") as bar:
        try:
            result = import_file(
                ws,
                file,
                source=source,
                mapping=column_mapping,
                skip_invalid=skip_invalid or False,
                encoding=encoding,
                sheet=sheet,
                progress=bar,
            )
        except FileIssueError as err:
            if report:
                write_report(report, [err.issue])
            raise
    if report:
        write_report(report, result.issues)
    if as_json:
        print_json(result.to_dict())
        if result.refused:
            raise IngestError(f"{result.file}: errors found, nothing imported")
        if result.head:
            report_head(result.head)
        return
    _render(result)


def _render(result: ImportResult) -> None:
    if not say_issues(
        result,
        already="already imported for this source",
        more=" (see --report)",
        remedy="fix them, or pass --skip-invalid to import the valid rows",
    ):
        return
    click.echo(_summary(result))
    if result.head:
        report_head(result.head)
