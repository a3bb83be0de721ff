"""``aban detentions``: detention cases, their current status and alerts; imports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from aban.cli import AppContext, cli
from aban.cli.output import (
    json_option,
    print_json,
    report_head,
    say,
    say_issues,
    stdout,
)
from aban.detention.cases import Case, DetentionReport
from aban.detention.list_import import (
    DetaineeListImport,
    detention_file_kind,
    import_detainee_list,
)
from aban.detention.register import (
    DetentionImport,
    import_detention_events,
    workspace_detentions,
)
from aban.errors import IngestError
from aban.ingest.mapping import load_mapping
from aban.text.dates import DateError, parse_date

pass_app = click.make_pass_decorator(AppContext)


class DateParam(click.ParamType[dt.date]):
    """A date as ISO, day-first or Solar Hijri text."""

    name = "DATE"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            day = parse_date(str(value))
        except DateError:
            day = None
        if day is None:
            self.fail(
                f"{value!r} is not a date (use 2020-01-31, 31/01/2020 or 1398/11/11)",
                param,
                ctx,
            )
        return day


def _alerts(case: Case) -> str:
    return ", ".join(f"{a.kind.replace('_', ' ')} {a.days}d" for a in case.alerts)


def _conflicts(case: Case) -> str:
    return ", ".join(
        f"{c.kind.replace('_', ' ')} ({'/'.join(c.statuses)})"
        for c in case.history.conflicts
    )


def _render(report: DetentionReport) -> None:
    table = Table(title=f"detention cases as of {report.as_of}")
    columns = ["case", "name", "status", "since", "last event", "alerts"]
    conflicts = any(case.history.conflicts for case in report.cases)
    for name in [*columns, "conflicts"] if conflicts else columns:
        fixed = name in ("status", "since", "last event")
        # a name folds at its spaces: the given name above the family name
        least = 14 if name == "name" else len(name)
        table.add_column(name, overflow="fold", no_wrap=fixed, min_width=least)
    for case in report.cases:
        cells = [
            case.key,
            report.name(case).shown or "-",
            (case.status or "-").replace("_", " "),
            str(case.facets.status_since or "-"),
            str(case.history.last_event or "-"),
            _alerts(case),
        ]
        if conflicts:
            cells.append(_conflicts(case))
        table.add_row(*cells, style="bold red" if case.alerts else None)
    stdout().print(table)
    _render_details(report)
    counts = report.to_dict()["counts"]
    say(
        f"{counts['cases']} cases, {counts['with_alerts']} with alerts, "
        f"{counts['with_conflicts']} with conflicting sources"
    )


def _render_details(report: DetentionReport) -> None:
    """A second table, of the cases with details (sentence, facility, whereabouts,
    access), in the same order: beside the first, it would not fit 80 columns."""
    details = [(c.key, c.facets.details()) for c in report.cases]
    if not any(found for _, found in details):
        return
    table = Table(title="details")
    table.add_column("case", overflow="fold", min_width=4)
    table.add_column("details", overflow="fold", min_width=7)
    for key, found in details:
        if found:
            table.add_row(key, "; ".join(found))
    stdout().print(table)


@cli.group(invoke_without_command=True)
@click.option(
    "--as-of",
    type=DateParam(),
    help="See the cases as on this day: later events are left out [default: today].",
)
@click.option("--alerts-only", is_flag=True, help="List only cases with alerts.")
@json_option
@click.pass_context
def detentions(
    ctx: click.Context, as_of: dt.date | None, alerts_only: bool, as_json: bool
) -> None:
    """Detention cases: who, status, last event, alerts; urgent first.

    Each case names who it is about (the name with the most support; --json also
    gives the name in each script a source wrote it in, under names). Names are
    data for the register's owner: they go to standard output, never into
    messages.

    Alerts: a standing death sentence, whereabouts denied (or a disappearance),
    whereabouts unknown, held incommunicado for more than 14 days, no news for more
    than 30 days (set incommunicado_days and no_news_days in aban.toml, table
    [detentions]). A second table gives each case's details: the standing
    sentence, the facility, whereabouts denied or unknown, access denied.

    \b
    Example:
        aban -w ./aban-2019 detentions --alerts-only --as-of 2020-03-01
    """
    if ctx.invoked_subcommand is not None:
        return
    app: AppContext = ctx.obj
    with app.open() as ws:
        report = workspace_detentions(
            ws, as_of or dt.date.today(), alerts_only=alerts_only
        )
    if as_json:
        print_json(report.to_dict())
    else:
        _render(report)


def _finish(result: DetentionImport) -> None:
    if not say_issues(result):
        return
    created = (
        f", {len(result.created_sources)} new sources" if result.created_sources else ""
    )
    click.echo(
        f"{result.file}: {result.rows} rows, {result.events} events imported, "
        f"{result.unchanged} already in the register, {result.new_detentions} new "
        f"detentions{created}"
    )


def _finish_list(result: DetaineeListImport) -> None:
    if not say_issues(
        result,
        remedy="fix them, or pass --skip-invalid to import the valid rows",
    ):
        return
    warnings = sum(1 for i in result.issues if i.severity == "warning")
    click.echo(
        f"{result.file}: {result.rows} rows, {result.accepted} records imported, "
        f"{result.unchanged} already in the register, {result.rejected} refused; "
        f"{result.events} events imported, {result.new_detentions} new detentions; "
        f"{warnings} warnings"
    )


@detentions.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--source", help="A detainee list: the source of every row (else a source column)."
)
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A detainee list: a YAML column mapping, as for 'aban import'.",
)
@click.option(
    "--as-of",
    type=DateParam(),
    help="A detainee list: its date, the date of statuses without a date of last news.",
)
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="A detainee list: import the valid rows; record the refused ones.",
)
@click.option("--encoding", help="Force a text encoding (e.g. windows-1256).")
@click.option(
    "--create-sources",
    is_flag=True,
    help="Events: add sources the register lacks (set them with 'aban source set').",
)
@json_option
@pass_app
def import_command(
    app: AppContext,
    file: Path,
    source: str | None,
    mapping: Path | None,
    as_of: dt.date | None,
    skip_invalid: bool,
    encoding: str | None,
    create_sources: bool,
    as_json: bool,
) -> None:
    """Import a detainee list (one row per person) or a detention events file.

    A detainee list is a list of records (record_id, names, age, city, ... as for
    'aban import', with --source or a source column, and --mapping) with columns
    of its own, named by the mapping or found by their header in English or
    Persian: arrest_date (arrest date, تاریخ بازداشت), facility (prison, محل
    نگهداری), the current status as free text (status, وضعیت: "sentenced to 5
    years", "transferred to Evin", "in detention, no family visits", "۵ سال حبس",
    "آزاد با وثیقه"), status_date (last news, تاریخ آخرین خبر), sentence (حکم),
    charges (اتهام), family_access (ملاقات), lawyer_access (وکیل), release_date
    (تاریخ آزادی) and source_url (docs/import.md). It imports the records, then
    each person's dated events: the arrest, and each status or fact the text and
    columns state; a part it cannot read is kept as a note, with a warning.

    An events file has the columns record_id or person_id, date, status, place,
    source, note (a file with a date column and none of a list's own columns, read
    without --mapping). A status is arrested, detained, held_incommunicado,
    transferred, charged, tried, sentenced (terms in the note), death_sentence,
    disappeared, released_on_bail, released, executed or died_in_custody; or a
    fact: whereabouts_acknowledged, whereabouts_denied, whereabouts_unknown,
    family_access(_denied), lawyer_access(_denied). A file with any error imports
    nothing (its issues are printed); the same file again changes nothing.

    \b
    Example:
        aban -w ./aban-2019 detentions import detainees.csv --source ngo_detainees
        aban -w ./aban-2019 detentions import detentions.csv
    """
    column_mapping = load_mapping(mapping, detainee_list=True) if mapping else None
    if (
        source is None
        and column_mapping is None
        and as_of is None
        and detention_file_kind(file, encoding=encoding) == "events"
    ):
        _import_events(app, file, create_sources, as_json)
        return
    with app.open() as ws:
        result = import_detainee_list(
            ws,
            file,
            source=source,
            mapping=column_mapping,
            as_of=as_of,
            skip_invalid=skip_invalid,
            encoding=encoding,
        )
    _report(result, as_json, _finish_list)


def _import_events(
    app: AppContext, file: Path, create_sources: bool, as_json: bool
) -> None:
    with app.open() as ws:
        result = import_detention_events(ws, file, create_sources=create_sources)
    _report(result, as_json, _finish)


def _report(
    result: DetentionImport | DetaineeListImport,
    as_json: bool,
    finish: Callable[[Any], None],
) -> None:
    if as_json:
        print_json(result.to_dict())
        if result.refused:
            raise IngestError(f"{result.file}: errors found, nothing imported")
    else:
        finish(result)
    if result.head:
        report_head(result.head)
