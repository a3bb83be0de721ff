"""``aban estimate``: the total from the register's linked persons, by stratum."""

from __future__ import annotations

import math
from typing import Any

import click

from aban.cli import AppContext, cli
from aban.cli.options import lcmcr_options, lcmcr_settings
from aban.cli.output import (
    json_option,
    print_json,
    progress_bars,
    report_head,
    say,
    stdout,
)
from aban.estimate.strata import SparseRule
from aban.linkage.draws import DEFAULT_DRAWS
from aban.workflow.estimate import BY, WorkspaceEstimate, estimate_workspace
from aban.workflow.sensitivity import DEFAULT_THRESHOLDS

pass_app = click.make_pass_decorator(AppContext)
RULE = SparseRule()


class Thresholds(click.ParamType[tuple[float, ...]]):
    """Comma-separated match probabilities, each strictly between 0 and 1."""

    name = "LIST"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[float, ...]:
        if isinstance(value, tuple):
            return value
        try:
            found = tuple(float(part) for part in str(value).split(",") if part.strip())
        except ValueError:
            self.fail(f"{value!r} is not a comma-separated list of numbers", param, ctx)
        if not found or any(not 0.0 < t < 1.0 for t in found):
            self.fail("thresholds must be between 0 and 1, e.g. 0.5,0.9", param, ctx)
        return found


def _n(value: float | None) -> str:
    return "-" if value is None or not math.isfinite(value) else f"{value:,.0f}"


def _interval(lower: float | None, upper: float | None) -> str:
    return f"{_n(lower)} - {_n(upper)}"


def _render_strata(run: WorkspaceEstimate) -> None:
    from rich.table import Table

    res = run.result
    title = f"estimate ({res.model})" + (f" by {res.by}" if res.by else "")
    table = Table(title=title)
    for name in ("stratum", "observed", "estimate", "95% interval", "flag"):
        table.add_column(
            name, justify="left" if name in ("stratum", "flag") else "right"
        )
    if res.by:
        for s in res.strata:
            e = s.estimate
            table.add_row(
                s.label,
                f"{s.observed:,}",
                _n(e.estimate if e else None),
                _interval(e.lower, e.upper) if e else "",
                f"{s.flag}: {'; '.join(s.reasons)}" if s.flag else "",
            )
        table.add_section()
    flag = f"floor {res.floor:,}" if res.floor else ""
    total = run.results()
    table.add_row(
        "total" if run.linkage is None else "total (sampling and linkage)",
        f"{res.observed:,}",
        _n(total["estimate"]),
        _interval(total["lower"], total["upper"]),
        flag,
        style="bold",
    )
    stdout().print(table)
    counted = run.persons if run.counted is None else run.counted
    stdout().print(
        f"persons {run.persons:,}; counted {counted:,}; "
        f"on systematic lists {run.in_lists:,}"
        f" ({', '.join(res.lists)})"
    )


def _render_sensitivity(run: WorkspaceEstimate) -> None:
    from rich.table import Table

    table = Table(title="sensitivity to the linkage threshold (total, no strata)")
    for name in ("threshold", "persons", "observed in lists", "estimate"):
        table.add_column(name, justify="right")
    table.add_column("95% interval", justify="right")
    table.add_column("flag")
    for row in run.sensitivity or ():
        table.add_row(
            f"{row.threshold:g}" + (" (link)" if row.current else ""),
            f"{row.persons:,}",
            f"{row.observed:,}",
            _n(row.estimate),
            _interval(row.lower, row.upper),
            row.flag,
        )
    stdout().print(table)


def _render_linkage(run: WorkspaceEstimate) -> None:
    from rich.table import Table

    found = run.linkage
    if found is None:
        return
    table = Table(
        title=f"linkage uncertainty ({found.draws} clusterings drawn; "
        f"{found.pairs_drawn:,} uncertain pairs drawn, "
        f"{found.pairs_decided:,} decided by reviewers kept)"
    )
    for name in ("interval carries", "persons", "estimate", "95% interval"):
        table.add_column(
            name, justify="left" if name == "interval carries" else "right"
        )
    persons = [c.persons for c in found.clusterings]
    table.add_row(
        "sampling only (the register's persons)",
        f"{run.in_lists + run.unlisted:,}",
        _n(found.sampling[0]),
        _interval(found.sampling[1], found.sampling[2]),
    )
    table.add_row(
        "sampling and linkage",
        f"{min(persons):,} - {max(persons):,}",
        _n(found.estimate),
        _interval(found.lower, found.upper),
        style="bold",
    )
    stdout().print(table)
    d = found.decomposition
    if math.isfinite(d.total):
        stdout().print(
            f"variance of log N (Rubin's rules, {d.clusterings} clusterings): "
            f"within {d.within:.3g} (sampling), between {d.between:.3g} (linkage), "
            f"total {d.total:.3g}; linkage {d.linkage_share:.0%}, "
            f"sampling {1 - d.linkage_share:.0%}"
        )


@cli.command()
@click.option(
    "--model",
    type=click.Choice(["lcmcr", "loglinear"]),
    default="lcmcr",
    show_default=True,
    help="Estimator for each stratum.",
)
@click.option("--by", type=click.Choice(BY), help="Estimate each stratum and add up.")
@click.option(
    "--sensitivity",
    is_flag=True,
    help="Also re-estimate the total with records re-linked at other "
    "match thresholds (nothing is written) [default thresholds: "
    + ",".join(f"{t:g}" for t in DEFAULT_THRESHOLDS)
    + " and the last link run's].",
)
@click.option(
    "--thresholds",
    type=Thresholds(),
    help="Thresholds of the sensitivity table, e.g. 0.5,0.9 (implies --sensitivity).",
)
@click.option(
    "--linkage-uncertainty",
    "linkage_draws",
    type=click.IntRange(2, 10_000),
    is_flag=False,
    flag_value=DEFAULT_DRAWS,
    default=None,
    metavar="[DRAWS]",
    help="Draw DRAWS clusterings of the records from the last link run's pair "
    "probabilities and the reviewers' decisions, estimate on each and combine "
    "them: the total's interval then carries linkage uncertainty too, and the "
    f"share that is linkage is shown [DRAWS default: {DEFAULT_DRAWS}].",
)
@lcmcr_options
@click.option(
    "--criterion",
    type=click.Choice(["bic", "aic"]),
    default="bic",
    show_default=True,
    help="Log-linear: how the model is chosen.",
)
@click.option(
    "--min-persons",
    type=click.IntRange(1),
    default=RULE.min_persons,
    show_default=True,
    help="A stratum with fewer observed persons is flagged, not estimated.",
)
@json_option
@pass_app
def estimate(
    app: AppContext,
    /,
    sensitivity: bool,
    thresholds: tuple[float, ...] | None,
    linkage_draws: int | None,
    as_json: bool,
    **options: Any,
) -> None:
    """Estimate the total, seen and unseen, from the linked persons.

    Capture histories come from the persons (run 'aban link' first) and the
    sources marked as systematic lists ('aban source set NAME --list'). With
    --by, each stratum is estimated and the strata are added up; a stratum with
    fewer than 2 lists, fewer than --min-persons persons, or nobody on two lists
    is flagged and its observed persons are added as a floor. The defaults fit a
    four-list stratum in about a second. The run (settings, seed, results) is
    stored in the register.

    With --linkage-uncertainty, the total is estimated again on many clusterings
    drawn from the linkage model (each uncertain pair a match with its
    probability; reviewers' decisions always kept) and combined: LCMCR posteriors
    pooled, log-linear sampling distributions mixed. The total's interval then
    carries sampling and linkage uncertainty; the register's own interval and the
    share of each are shown. It takes DRAWS times as long as a plain run.

    \b
    Example:
        aban -w ./aban-2019 estimate --by province --sensitivity
        aban -w ./aban-2019 estimate --linkage-uncertainty 40
    """
    with app.open() as ws, progress_bars("percent") as progress:
        run = estimate_workspace(
            ws,
            model=options["model"],
            by=options["by"],
            seed=options["seed"],
            lcmcr=lcmcr_settings(options),
            criterion=options["criterion"],
            rule=SparseRule(min_persons=options["min_persons"]),
            sensitivity=sensitivity,
            thresholds=thresholds,
            linkage_draws=linkage_draws,
            progress=progress,
        )
    if as_json:
        print_json(run.to_dict())
    else:
        _render_strata(run)
        _render_linkage(run)
        if run.sensitivity is not None:
            _render_sensitivity(run)
        for note in run.to_dict()["notes"]:
            say(f"note: {note}")
    report_head(run.head)
