"""``aban mapping``: column mappings for lists in their own layout; and the
rendering of ``aban import --preview``."""

from __future__ import annotations

from pathlib import Path

import click

from aban.cli import cli
from aban.cli.output import json_option, print_json, say
from aban.ingest.preview import Preview
from aban.ingest.suggest import suggest_mapping

#: The help of --sheet (aban import, aban mapping suggest).
SHEET_HELP = (
    "The XLSX sheet to read: its name, or its number from 1 (default: the first "
    "sheet that holds a list's header, else the first)."
)

header_row_option = click.option(
    "--header-row",
    type=click.IntRange(min=1),
    help="The header's row number (default: found below any title and blank rows).",
)


@cli.group("mapping")
def mapping_group() -> None:
    """Column mappings: how a list in its own layout maps onto the records format."""


@mapping_group.command("suggest")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--encoding", help="Force a text encoding (e.g. windows-1256).")
@click.option("--sheet", help=SHEET_HELP)
@header_row_option
@json_option
def suggest_command(
    file: Path,
    encoding: str | None,
    sheet: str | None,
    header_row: int | None,
    as_json: bool,
) -> None:
    """Guess a mapping for FILE from its header words (Persian or English).

    Writes a mapping YAML to stdout for review: the header row if a title sits
    above it, the encoding if not UTF-8, each column's records column, and a
    comment on each column it could not map (kept as raw data). Check it with
    aban import --preview. A detainee list's own columns (arrest date, prison,
    sentence, charges, family visits, lawyer, release date, last news; تاریخ
    بازداشت، زندان، حکم، اتهام، ملاقات، وکیل، آزادی، آخرین خبر) are mapped too, for
    aban detentions import. Needs no workspace.

    \b
    Example:
        aban mapping suggest lists/ngo.xlsx > ngo.yaml
        aban import lists/ngo.xlsx --source ngo --mapping ngo.yaml --preview
    """
    found = suggest_mapping(file, encoding=encoding, sheet=sheet, header_row=header_row)
    if as_json:
        print_json(found.to_dict())
        return
    click.echo(found.to_yaml(), nl=False)


def render_preview(preview: Preview) -> None:
    """Print a preview for a person: the layout, each column, skips, issue counts."""
    encoding = preview.encoding or "(none: a workbook)"
    how = "found" if preview.header_detected else "first row or as asked"
    click.echo(f"file: {preview.file} ({preview.fmt}, encoding {encoding})")
    if preview.sheet is not None:
        click.echo(f"sheet: {preview.sheet} (of {', '.join(preview.sheets)})")
    click.echo(f"header: row {preview.header_row} ({how})")
    if "no-person-columns" in preview.issue_counts:
        click.echo("rows: not read (the import would refuse the file: see below)")
    else:
        click.echo(
            f"rows: {preview.rows}, of which {preview.refused_rows} would be refused"
        )
    click.echo("columns:")
    for column in preview.columns:
        header = column.header or "(set for every row)"
        if column.column is None:
            hint = f"; suggested: {column.suggested}" if column.suggested else ""
            click.echo(f"  {header} -> kept as raw data{hint}")
        else:
            samples = " | ".join(column.samples)
            click.echo(f"  {header} -> {column.column}: {samples}")
    if preview.empty_columns:
        click.echo(
            f"empty columns dropped: {preview.empty_columns} (no header, no value)"
        )
    for order in preview.date_orders:
        if (
            order.how == "mapping"
            or order.ambiguous + order.day_first + order.month_first
        ):
            click.echo(f"dates of {order.column}: {order.describe()}")
    for row, reason in preview.skipped:
        click.echo(f"skipped row {row}: {reason}")
    counts = ", ".join(f"{code} {n}" for code, n in preview.issue_counts.items())
    click.echo(f"issues: {counts or 'none'}")
    for issue in preview.issues:
        say(f"{issue.severity}: {issue.render()}")
    say("preview only: nothing was written")
