"""``aban grade``: verification grades, headline figures and the methodology text."""

from __future__ import annotations

from typing import Any

import click
from rich.table import Table

from aban.cli import AppContext, cli
from aban.cli.output import json_option, print_json, report_head, say, stdout
from aban.grade.methodology import methodology
from aban.grade.register import GradeRun, grade_workspace
from aban.grade.rules import load_rules
from aban.store.runs import last_run, run_details
from aban.vocab.identification import LEVELS

pass_app = click.make_pass_decorator(AppContext)
#: Headline rows: label, key of a row's ``to_dict`` and whether it is a total.
ROWS = (
    ("confirmed", "confirmed", False),
    ("corroborated", "corroborated", False),
    ("minimum", "minimum", True),
    ("single-source", "single-source", False),
    ("upper end", "upper", True),
    ("contested", "contested", False),
    ("discounted", "discounted", False),
)
CAPTION = (
    "minimum = confirmed + corroborated; upper end = minimum + single-source; "
    "contested and discounted persons are not counted"
)


def _render(run: GradeRun) -> None:
    data = run.to_dict()
    table = Table(title="headline figures", caption=CAPTION)
    table.add_column("", no_wrap=True)
    for level in LEVELS:
        table.add_column(level.replace("_", "\n"), justify="right", no_wrap=True)
    table.add_column("total", justify="right", no_wrap=True)
    levels = data["by_identification"]
    total = {"minimum": data["minimum"], "upper": data["upper"], **data["grades"]}
    for label, key, bold in ROWS:
        cells = [f"{levels[level][key]:,}" for level in LEVELS]
        table.add_row(label, *cells, f"{total[key]:,}", style="bold" if bold else None)
    stdout().print(table)
    scope = data["scope"]
    stdout().print(
        f"enumerated minimum {data['minimum']:,}, up to {data['upper']:,} with "
        f"single-source persons; {scope['outside']:,} of {data['persons']:,} "
        f"persons outside the toll (no status among {', '.join(scope['statuses'])})"
    )
    if run.lapsed:
        say(
            f"warning: {len(run.lapsed)} discount decisions no longer hold all the "
            "records of a person: see the reasons with 'aban grade --json'"
        )


def _estimation(app: AppContext) -> dict[str, Any] | None:
    with app.open() as ws:
        run_id = last_run(ws.conn, "estimate")
        if run_id is None:
            return None
        settings: dict[str, Any] = run_details(ws.conn, run_id)["settings"]
        return settings


@cli.command()
@json_option
@click.option(
    "--methodology",
    "show_methodology",
    is_flag=True,
    help="Print the methodology (Markdown) of this workspace's rules; grade nothing.",
)
@pass_app
def grade(app: AppContext, as_json: bool, show_methodology: bool) -> None:
    """Grade every person and print the headline figures.

    Grades: confirmed, corroborated, single-source, contested, discounted (rules
    in the [grading] table of aban.toml). The enumerated minimum is confirmed +
    corroborated; single-source persons give the upper end; contested and
    discounted persons are shown apart. Each figure is also split by
    identification level. Run 'aban link' first.

    \b
    Example:
        aban -w ./aban-2019 grade
        aban -w ./aban-2019 grade --methodology > methodology.md
    """
    rules = load_rules(app.workspace)
    if show_methodology:
        if as_json:
            raise click.UsageError("use --json or --methodology, not both")
        click.echo(methodology(rules, _estimation(app)), nl=False)
        return
    with app.open() as ws:
        run = grade_workspace(ws, rules)
    if as_json:
        print_json(run.to_dict())
    else:
        _render(run)
    report_head(run.head)
