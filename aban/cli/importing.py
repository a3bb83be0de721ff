"""``aban import``: bring a list into the register."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import click

from aban.cli import AppContext, cli
from aban.cli.corrections import say_replaced
from aban.cli.mapping import SHEET_HELP, header_row_option, render_preview
from aban.cli.output import (
    json_option,
    print_json,
    progress_bar,
    report_head,
    say_issues,
)
from aban.config import load_settings
from aban.errors import IngestError
from aban.ingest.importer import (
    SKIP_MODES,
    ImportResult,
    SkipMode,
    event_dates,
    import_file,
)
from aban.ingest.issues import FileIssueError, Issue
from aban.ingest.mapping import load_mapping
from aban.ingest.preview import preview_file
from aban.ingest.xlsx import list_sheets
from aban.text.spreadsheet import neutralise
from aban.workflow.corrections import Replaced, replace_list

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
@click.option("--sheet", help=SHEET_HELP)
@header_row_option
@click.option(
    "--preview",
    is_flag=True,
    help="Show how the file would be read (columns, samples, skipped rows, issues); "
    "write nothing.",
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    help=(
        "Write the issues found to this CSV or JSON file (in the CSV, a value "
        "that a spreadsheet would run as a formula starts with a quote)."
    ),
)
@click.option(
    "--replace",
    is_flag=True,
    help=(
        "The file is a new version of --source's list: changed records take the "
        "new values, records it leaves out are retracted."
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
    header_row: int | None,
    preview: bool,
    report: Path | None,
    replace: bool,
    as_json: bool,
) -> None:
    """Import a list of records (CSV, XLSX, JSON or JSON Lines) into the register.

    A file with errors imports nothing (its issues are printed, and written to
    --report); with --skip-invalid the valid rows are imported and the rest recorded,
    and with --skip-invalid cells a cell whose value is an error is emptied instead
    of refusing its row.
    The same file for the same source again changes nothing. Without --source, a
    file whose source column adds rows to an existing protected source is imported
    with a warning (protected-source-added). Source names and record ids are
    compared in one Unicode form (NFC); invisible characters in them are refused.
    The header is found below title and blank rows (or given by --header-row);
    totals rows are skipped (row-summary). A date with its year last (11/12/2019)
    is read day first or month first as its column shows (date_order in the
    mapping says which); empty columns without a header are dropped. Of a
    workbook, the sheet --sheet names (or numbers from 1) is read, else the first
    that holds a list's header; the preview names the sheets. A .jsonl file holds
    one record per line. --preview reads and checks the file without the register
    and writes nothing (docs/import.md).

    \b
    Example:
        aban -w ./ws import lists/ngo.csv --source ngo_list_fa --report issues.csv
        aban -w ./ws import lists/ngo.xlsx --source ngo --mapping ngo.yaml --preview
    """
    column_mapping = load_mapping(mapping) if mapping else None
    if preview:
        found = preview_file(
            file,
            load_settings(app.workspace),
            source=source,
            mapping=column_mapping,
            encoding=encoding,
            sheet=sheet,
            header_row=header_row,
            event=event_dates(app.workspace),
        )
        if as_json:
            return print_json(found.to_dict())
        return render_preview(found)
    if replace and not source:
        raise click.UsageError("--replace needs --source: whose list is this?")
    with app.open() as ws, progress_bar(f"importing {file.name}") as bar:
        options: dict[str, Any] = {
            "mapping": column_mapping,
            "skip_invalid": skip_invalid or False,
            "encoding": encoding,
            "sheet": sheet,
            "progress": bar,
            "header_row": header_row,
        }
        try:
            replaced = (
                replace_list(ws, file, source, **options)
                if replace and source
                else None
            )
            result = (
                replaced.result
                if replaced
                else import_file(ws, file, source=source, **options)
            )
        except FileIssueError as err:
            if report:
                write_report(report, [err.issue])
            raise
    if report:
        write_report(report, result.issues)
    head = replaced.head if replaced else result.head
    if as_json:
        print_json(replaced.to_dict() if replaced else result.to_dict())
        if result.refused:
            raise IngestError(f"{result.file}: errors found, nothing imported")
        if head:
            report_head(head)
        return
    _render(result, replaced, _already(file, result, replaced))


def _already(file: Path, result: ImportResult, replaced: Replaced | None) -> str:
    """What to say of a file already imported for its source. Of a workbook with
    other lists, a user may have meant another sheet: the register knows a file by
    its bytes, so that sheet needs a source of its own (issue 15)."""
    if replaced:
        return "already the current version of this source's list"
    said = "already imported for this source"
    if not result.already_imported or file.suffix.lower() not in (".xlsx", ".xlsm"):
        return said
    if len(list_sheets(file.read_bytes(), file.name)) < 2:
        return said
    return (
        f"{said} (a workbook is known by its bytes: import another of its sheets "
        "under a --source of its own)"
    )


def _render(
    result: ImportResult,
    replaced: Replaced | None = None,
    already: str = "already imported for this source",
) -> None:
    if not say_issues(
        result,
        already=already,
        more=" (see --report)",
        remedy="fix them, or pass --skip-invalid to import the valid rows",
    ):
        return
    click.echo(_summary(result))
    if replaced:
        say_replaced(replaced)
    if replaced and replaced.head:
        report_head(replaced.head)
    elif result.head:
        report_head(result.head)
