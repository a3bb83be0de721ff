"""``aban export``: the register as CSV files, one JSON file, or a bundle (zip)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from aban.cli import AppContext, cli
from aban.cli.output import json_option, print_json, report_head, say, stdout
from aban.errors import ConfigError
from aban.export import FORMATS, ExportResult, export_workspace, parse_build_time
from aban.export.model import Kind

pass_app = click.make_pass_decorator(AppContext)
_KINDS: dict[str, Kind] = {kind: kind for kind in FORMATS}


class BuildTime(click.ParamType[dt.datetime]):
    """An ISO 8601 date or time (UTC when no zone is given)."""

    name = "TIME"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.datetime:
        if isinstance(value, dt.datetime):
            return value
        try:
            return parse_build_time(str(value))
        except ConfigError as err:
            self.fail(str(err), param, ctx)


def _render(result: ExportResult) -> None:
    table = Table(title=f"export ({result.kind}{', full' if result.full else ''})")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, count in result.rows.items():
        table.add_row(name, f"{count:,}")
    stdout().print(table)
    stdout().print(f"sha256 {result.sha256}")


@cli.command("export")
@click.option(
    "--format",
    "kind",
    type=click.Choice(FORMATS),
    required=True,
    help="csv: a folder of CSV files with README.md and manifest.json; "
    "json: one JSON file; bundle: the CSV folder as a zip for a UN "
    "mechanism or a court.",
)
@click.argument("out", type=click.Path(path_type=Path))
@click.option(
    "--full",
    is_flag=True,
    help="The full partner export: also protected fields (informant, "
    "contact, private notes, national id, ...) and protected sources' "
    "real names.",
)
@click.option("--force", is_flag=True, help="Replace an earlier export at OUT.")
@click.option(
    "--build-time",
    type=BuildTime(),
    help="Time written into the export, ISO 8601 [default: now]; the "
    "same register and build time give identical bytes.",
)
@json_option
@pass_app
def export_command(
    app: AppContext,
    kind: str,
    out: Path,
    full: bool,
    force: bool,
    build_time: dt.datetime | None,
    as_json: bool,
) -> None:
    """Export the register to OUT for partners, a UN mechanism or a court.

    Without --full, protected data stays out: informants, contacts, private
    notes, national ids, reviewers, evidence givers and file names; protected
    sources are named protected-source-N. OUT must be new or empty (--force
    replaces an earlier export); nothing is written in part. The export records
    the register's audit head and is itself audited.

    \b
    Example:
        aban -w ./aban-2019 export --format bundle ./un-bundle.zip
    """
    with app.open() as ws:
        result = export_workspace(
            ws,
            _KINDS[kind],
            out,
            full=full,
            force=force,
            build_time=build_time,
        )
    if as_json:
        print_json(result.to_dict())
    else:
        _render(result)
    if not result.audit.verified:
        say(f"warning: the audit chain is broken: {result.audit.problem}")
    if full:
        say("warning: this export holds protected data; keep it encrypted")
    say(f"wrote {out}")
    report_head(result.head)
