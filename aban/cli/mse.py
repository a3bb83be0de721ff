"""``aban mse``: multiple-systems estimation from a capture-history file."""

from __future__ import annotations

import math
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from aban.cli import cli
from aban.cli.options import lcmcr_options, lcmcr_settings
from aban.cli.output import json_option, print_json, say, stdout
from aban.cli.process import skip_teardown
from aban.errors import AbanError
from aban.estimate.checks import implausible, lcmcr_identifiability, prepare_table
from aban.estimate.result import Estimate
from aban.ingest.histories import Frequencies, Histories, read_histories

if TYPE_CHECKING:
    from rich.table import Table

# Each estimator's module is imported when it runs: the log-linear ones load
# SciPy, which would add about half a second to every LCMCR command.

MODELS = ("chapman", "chao", "loglinear", "lcmcr")


def _number(value: float | None, digits: int = 1) -> str:
    if value is None or not math.isfinite(value):
        return "-" if value is None or math.isnan(value) else "inf"
    return f"{value:,.{digits}f}"


def _summary(est: Estimate) -> Table:
    from rich.table import Table

    table = Table(title=f"Estimated total: {est.label}")
    table.add_column("observed", justify="right")
    table.add_column("estimate", justify="right")
    table.add_column("95% interval", justify="right")
    table.add_column("SE", justify="right")
    table.add_column("interval")
    interval = f"{_number(est.lower, 0)} - {_number(est.upper, 0)}"
    table.add_row(
        f"{est.observed:,}",
        _number(est.estimate),
        interval,
        _number(est.se),
        est.interval,
    )
    return table


def _models(est: Estimate) -> Table | None:
    from rich.table import Table

    rows: list[dict[str, Any]] = list(est.extra.get("models", []))
    if not rows:
        return None
    criterion = str(est.settings.get("criterion", "")).upper()
    averaged = est.model == "loglinear-averaged"
    table = Table(
        title=f"Models averaged, by {criterion}"
        if averaged
        else f"Best models by {criterion}"
    )
    for name in ("model", "estimate", "SE", "deviance", "df", "AIC", "BIC", "weight"):
        table.add_column(
            name, justify="left" if name == "model" else "right", overflow="fold"
        )
    for row in rows:
        table.add_row(
            row["terms"],
            _number(row["estimate"]),
            _number(row["se"]),
            _number(row["deviance"], 2),
            str(row["df"]),
            _number(row["aic"], 2),
            _number(row["bic"], 2),
            f"{row['weight']:.3f}",
        )
    return table


def _pairs(estimates: tuple[Estimate, ...]) -> Table:
    from rich.table import Table

    table = Table(title="Two-list estimates, every pair of lists")
    for name in ("lists", "n1", "n2", "both", "Petersen", "Chapman", "SE"):
        table.add_column(name, justify="left" if name == "lists" else "right")
    table.add_column("95% interval", justify="right")
    for est in estimates:
        first, second = est.settings["pair"]
        table.add_row(
            f"{first} x {second}",
            str(est.extra["n1"]),
            str(est.extra["n2"]),
            str(est.extra["m"]),
            _number(est.extra.get("lincoln_petersen"), 0),
            _number(est.estimate, 0),
            _number(est.se, 0),
            f"{_number(est.lower, 0)} - {_number(est.upper, 0)}",
        )
    return table


def _lcmcr(data: Histories, options: dict[str, Any]) -> Estimate:
    from aban.estimate.lcmcr import fit_lcmcr  # numba compiles on first use

    result = fit_lcmcr(
        data.patterns,
        data.counts,
        seed=options["seed"],
        **asdict(lcmcr_settings(options)),
    )
    return result.to_estimate(data.lists)


def _estimate(
    data: Histories | Frequencies, model: str, options: dict[str, Any]
) -> Estimate:
    if isinstance(data, Frequencies):
        if model != "chao":
            raise click.UsageError(
                "the file holds capture frequencies (n_captures,count); only "
                "--model chao works with them"
            )
        from aban.estimate.chao import chao_lower_bound

        return chao_lower_bound(data.counts_by_k)
    if model == "chapman":
        from aban.estimate.twolist import chapman

        return chapman(data.patterns, data.counts, data.lists)
    if model == "chao":
        from aban.estimate.chao import chao_from_histories

        return chao_from_histories(data.patterns, data.counts, data.lists)
    if model == "lcmcr":
        return _lcmcr(data, options)
    if options["average"]:
        from aban.estimate.averaging import averaged_estimate

        return averaged_estimate(
            data.patterns, data.counts, data.lists, criterion=options["criterion"]
        )
    from aban.estimate.selection import loglinear_estimate

    return loglinear_estimate(
        data.patterns,
        data.counts,
        data.lists,
        model=options["terms"],
        criterion=options["criterion"],
    )


def _render(data: Histories | Frequencies, est: Estimate) -> None:
    console = stdout()
    if est.model == "chapman" and isinstance(data, Histories) and len(data.lists) > 2:
        from aban.estimate.twolist import pairwise_chapman

        console.print(_pairs(pairwise_chapman(data.patterns, data.counts, data.lists)))
    else:
        console.print(_summary(est))
    models = _models(est)
    if models is not None:
        console.print(models)
    for note in est.warnings:
        say(f"warning: {note}")


def _prepare(data: Histories, model: str) -> tuple[Histories, list[str]]:
    """The table without empty lists and unmarked rows, and the notes to print."""
    table = prepare_table(data.patterns, data.counts, data.lists)
    notes = [*data.notes, *table.notes]
    if model == "lcmcr":
        crowded = lcmcr_identifiability(table.patterns, table.counts)
        notes += [] if crowded is None else [crowded]
    return Histories(table.lists, table.patterns, table.counts), notes


def _run(
    path: Path, model: str | None, options: dict[str, Any]
) -> tuple[Histories | Frequencies, Estimate]:
    data = read_histories(path)
    chosen = model or ("chao" if isinstance(data, Frequencies) else "loglinear")
    if options["terms"] is not None and chosen != "loglinear":
        raise click.UsageError("--terms only applies to --model loglinear")
    if options["average"] and (chosen != "loglinear" or options["terms"]):
        raise click.UsageError(
            "--average only applies to --model loglinear, without --terms"
        )
    notes: list[str] = []
    if isinstance(data, Histories):
        data, notes = _prepare(data, chosen)
    est = _estimate(data, chosen, options)
    pairs = chosen == "chapman" and len(est.lists) > 2
    why = None if pairs else implausible(est)
    if why is not None:
        raise click.ClickException(f"{why}; it is not a result")
    return data, replace(est, warnings=(*notes, *est.warnings))


@cli.command()
@click.argument("histories", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--model",
    type=click.Choice(MODELS),
    default=None,
    help="Estimator [default: loglinear, chao for capture frequencies].",
)
@click.option(
    "--terms", default=None, help="Fit this log-linear model, e.g. [123,14,34]."
)
@click.option(
    "--criterion",
    type=click.Choice(["bic", "aic"]),
    default="bic",
    show_default=True,
    help="How the log-linear model is chosen.",
)
@click.option(
    "--average",
    is_flag=True,
    help="Average the log-linear models within 6 criterion units of the best "
    "(each at least 1/20 as likely), leaving out, by name, those with no finite "
    "estimate or one over 20 times the number observed.",
)
@json_option
@lcmcr_options
def mse(histories: Path, model: str | None, as_json: bool, **options: Any) -> None:
    """Estimate the total, seen and unseen, from overlapping lists.

    HISTORIES is a CSV file with one 0/1 column per list and a count column
    (or n_captures,count for capture frequencies). Chapman on more than two
    lists prints every pair; its --json is the first two lists (settings.pair).
    Lists with no records and rows marking no list are left out, with a
    warning. An estimate that is not finite, has no upper bound, or is more
    than 20 times the number observed is refused (exit 1): the lists overlap
    too little for it.

    \b
    Example:
        aban mse histories.csv
        aban mse histories.csv --average
        aban mse histories.csv --model lcmcr --seed 7 --json
    """
    skip_teardown()  # reads one file, writes none: nothing to clean up at exit
    try:
        data, est = _run(histories, model, options)
    except AbanError as err:
        raise click.ClickException(str(err)) from err
    if as_json:
        print_json(est.to_dict())
    else:
        _render(data, est)
