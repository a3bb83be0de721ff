"""``aban claims``: published toll claims beside the register's own figures."""

from __future__ import annotations

import math
from pathlib import Path

import click
from rich.table import Table
from rich.text import Text

from aban.claims.figures import EstimateFigures, RegisterFigures
from aban.claims.importer import ClaimsImportResult, import_claims
from aban.claims.ledger import Ledger, load_ledger
from aban.claims.snapshots import Snapshot, freeze_snapshot
from aban.cli import AppContext, cli
from aban.cli.output import (
    json_option,
    print_json,
    report_head,
    say,
    say_issues,
    stdout,
)
from aban.grade.rules import load_rules

pass_app = click.make_pass_decorator(AppContext)
#: When (a date or an ISO time, which sorts the rows), who, figure, kind, reference.
Row = tuple[str, str, str, str, str]


def _n(value: float | None) -> str:
    return "-" if value is None or not math.isfinite(value) else f"{value:,.0f}"


def _range(figures: RegisterFigures) -> str:
    if figures.minimum == figures.upper:
        return f"{figures.minimum:,}"
    return f"{figures.minimum:,} to {figures.upper:,}"


def _estimate(run: EstimateFigures) -> str:
    return f"{_n(run.estimate)} (95%: {_n(run.lower)} to {_n(run.upper)})"


def _snapshot_row(snap: Snapshot) -> Row:
    figure = _range(snap.register)
    if snap.estimate is not None:
        figure += f"; estimate {_estimate(snap.estimate)}"
    label = f"register: {snap.label}"
    return snap.taken_at, label, figure, "snapshot", f"audit head {snap.head[:16]}"


def _rows(ledger: Ledger) -> list[Row]:
    rows: list[Row] = [
        (c.date, c.claimant, c.figure, c.kind or "", c.citation) for c in ledger.claims
    ]
    run = ledger.estimate
    if run is not None:
        note = "linked again since this run" if run.stale else f"run {run.run_id}"
        rows.append(
            (
                run.finished_at,
                f"estimate ({run.model})",
                _estimate(run),
                "estimate",
                note,
            )
        )
    # After the estimate: a snapshot in the same second as the run froze it.
    rows += [_snapshot_row(snap) for snap in ledger.history]
    rows.sort(key=lambda row: row[0])
    now = (ledger.as_of, "register now", _range(ledger.register), "register", "")
    return [*rows, now]


def _render(ledger: Ledger) -> None:
    table = Table(title="claims and the register, by date")
    for name in ("date", "claimant (citation)", "figure", "kind"):
        table.add_column(name, justify="right" if name == "figure" else "left")
    for date, who, figure, kind, reference in _rows(ledger):
        # Text, not markup: a claimant or label may hold square brackets.
        cell = Text(who)
        if reference:
            cell.append(f"\n{reference}", style="dim")
        style = "bold" if who == "register now" else None
        table.add_row(Text(date[:10]), cell, Text(figure), Text(kind), style=style)
    stdout().print(table)
    register = ledger.register
    counts = Table(title="register now", show_header=False)
    counts.add_row("minimum (confirmed + corroborated)", f"{register.minimum:,}")
    counts.add_row("upper end (+ single-source)", f"{register.upper:,}")
    for grade, n in register.by_grade.items():
        counts.add_row(Text(f"persons {grade}"), f"{n:,}")
    for level, n in register.by_identification.items():
        counts.add_row(f"counted, {level.replace('_', ' ')}", f"{n:,}")
    stdout().print(counts)
    if not ledger.claims:
        say("no claims yet: add them with 'aban claims import FILE'")


@cli.group(invoke_without_command=True)
@json_option
@click.pass_context
def claims(ctx: click.Context, as_json: bool) -> None:
    """Published toll claims beside the register's own figures.

    Without a subcommand, list every claim by date with the register's figures
    frozen over time, the latest estimate with its 95% interval and the counts
    now (by grade and identification level). The enumerated minimum is confirmed
    plus corroborated persons; the upper end adds single-source persons;
    discounted persons are never counted. --json adds each claim's scope and
    method, and dated series for a chart.

    \b
    Example:
        aban -w ./aban-2019 claims --json
    """
    if ctx.invoked_subcommand is not None:
        if as_json:
            raise click.UsageError("--json lists the ledger; give it no subcommand")
        return
    app: AppContext = ctx.obj
    with app.open() as ws:
        ledger = load_ledger(ws.conn, load_rules(ws.path))
    if as_json:
        print_json(ledger.to_dict())
    else:
        _render(ledger)


def _render_import(result: ClaimsImportResult) -> None:
    if not say_issues(result):
        return
    click.echo(
        f"{result.file}: {result.rows} claims, {result.accepted} imported, "
        f"{result.unchanged} already in the register"
    )
    if result.head:
        report_head(result.head)


@claims.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_app
def import_command(app: AppContext, file: Path) -> None:
    """Import a claims CSV into the register.

    Columns: claimant, date, low, high, kind, scope, method, citation. low
    alone means "at least", high alone "at most", both a range (the same number
    twice for one figure). Optional claimant_fa and kind_fa give the Persian
    pages their words (the English is shown where they are empty). A file with
    errors imports nothing; the same file again changes nothing.

    \b
    Example:
        aban -w ./aban-2019 claims import examples/iran-2019-11/claims.csv
    """
    with app.open() as ws:
        result = import_claims(ws, file)
    _render_import(result)


@claims.command()
@click.argument("label")
@json_option
@pass_app
def freeze(app: AppContext, label: str, as_json: bool) -> None:
    """Freeze the register's figures and latest estimate under LABEL.

    Each publication freezes its figures; 'aban claims' lists them over time.

    \b
    Example:
        aban -w ./aban-2019 claims freeze "report 2020-05"
    """
    with app.open() as ws:
        snap = freeze_snapshot(ws, label)
    if as_json:
        print_json(snap.to_dict())
    else:
        line = f"snapshot {snap.snapshot_id}: register {_range(snap.register)}"
        if snap.estimate is not None:
            line += f", estimate {_estimate(snap.estimate)}"
        click.echo(line)
    report_head(snap.head)
