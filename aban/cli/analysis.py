"""``aban analysis``: what pattern the killings show, table by table."""

from __future__ import annotations

import click
from rich.table import Table

from aban.analysis import BY, Analysis, Breakdown, DayBreakdown, InjuryBreakdown
from aban.analysis.report import NO_STATUS, AnyBreakdown, By
from aban.analysis.workspace import analyse_workspace
from aban.cli import AppContext, cli
from aban.cli.output import json_option, print_json, say, stdout

pass_app = click.make_pass_decorator(AppContext)
TITLES = {
    "day": "killed by date of death",
    "province": "killed by province",
    "city": "killed by city",
    "age-band": "killed by age band",
    "sex": "killed by sex",
    "injury": "killed by injury location",
    "force": "killed by alleged force",
}


def _share(part: int, whole: int, share: float | None) -> str:
    return f"{part:,} of {whole:,}" + (f" ({share:.1%})" if share is not None else "")


def _day_moments(days: DayBreakdown, label: str) -> str:
    moments = days.moments_on(label)
    return "; ".join(
        m.name + (f" (to {m.until.isoformat()})" if m.until else "") for m in moments
    )


def _table(found: AnyBreakdown) -> Table:
    table_of = found if isinstance(found, Breakdown) else found.table
    days = found if isinstance(found, DayBreakdown) else None
    table = Table(title=TITLES[found.by], caption="\n".join(table_of.notes) or None)
    table.add_column(found.by)
    for name in (*table_of.grades, "total", "discounted"):
        table.add_column(name, justify="right")
    if days is not None:
        table.add_column("moments")
    for row in (*table_of.rows, table_of.total):
        if row is table_of.total:
            table.add_section()
        cells = [row.label, *(f"{n:,}" for _, n in row.counts)]
        cells += [f"{row.total:,}", f"{row.discounted:,}"]
        if days is not None:
            cells.append(_day_moments(days, row.label))
        table.add_row(*cells, style="bold" if row is table_of.total else None)
    return table


def _footer(found: AnyBreakdown) -> str | None:
    if isinstance(found, DayBreakdown) and found.within_48h is not None:
        w = found.within_48h
        return (
            f"within 48 hours of the shutdown ({w.first.isoformat()} and "
            f"{w.last.isoformat()}, the shutdown day and the next): "
            + _share(w.counts.total, w.dated, w.share)
            + " with a known date"
        )
    if isinstance(found, InjuryBreakdown):
        h = found.head_torso
        return (
            "head or torso: "
            + _share(h.counts.total, h.known, h.share)
            + " with a known injury region"
        )
    return None


def _render(result: Analysis) -> None:
    killed = result.summary.killed
    by_grade = ", ".join(f"{g} {n:,}" for g, n in killed.counts)
    out = stdout()
    out.print(
        f"killed: {killed.total:,} ({by_grade}); discounted {killed.discounted:,}"
    )
    for found in result.breakdowns:
        out.print(_table(found))
        footer = _footer(found)
        if footer:
            out.print(footer)


def _notes(result: Analysis) -> list[str]:
    notes = []
    if result.event is None and any(t.by == "day" for t in result.breakdowns):
        notes.append(
            "no [event] in aban.toml: days are shown without key moments; add one "
            "(see examples/iran-2019-11/event.toml)"
        )
    missing = dict(result.summary.not_analysed).get(NO_STATUS, 0)
    if missing:
        notes.append(
            f"persons with no status: {missing:,}, not analysed; give their "
            "records a status (killed, detained, ...)"
        )
    return notes


@cli.command()
@click.option(
    "--by",
    "by",
    type=click.Choice(BY),
    multiple=True,
    help="Only this breakdown (repeatable) [default: all].",
)
@json_option
@pass_app
def analysis(app: AppContext, by: tuple[By, ...], as_json: bool) -> None:
    """What pattern the killings show: persons killed by day, province, city, age
    band, sex, injury location and alleged force, counted by grade.

    Only persons whose status is killed are counted; discounted persons are shown
    in a column of their own and never in a total; every table has a row for
    unknown values, so its rows add up to its total. The day table marks the key
    moments of the [event] in aban.toml and counts the deaths within 48 hours of
    the shutdown (the shutdown day and the next).

    \b
    Example:
        aban -w ./aban-2019 analysis --by day --by injury
    """
    with app.open() as ws:
        result = analyse_workspace(ws, by or None)
    if result.summary.persons == 0:
        raise click.ClickException("no persons in the register: run 'aban link' first")
    if as_json:
        print_json(result.to_dict())
    else:
        _render(result)
    for note in _notes(result):
        say(f"note: {note}")
