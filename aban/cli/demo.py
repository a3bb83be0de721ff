"""``aban demo``: the pipeline on a synthetic scenario."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from aban.analysis.timeline import DayBreakdown
from aban.cli import cli
from aban.cli.output import report_head, say, stdout
from aban.demo import DEMO_PASSPHRASE, DemoResult, run_demo
from aban.estimate.strata import StrataResult


@cli.command()
@click.argument(
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default="aban-demo",
    required=False,
)
def demo(directory: Path) -> None:
    """Run the pipeline on a synthetic scenario in DIRECTORY (default ./aban-demo).

    Simulates a crackdown (synthetic names only), creates an encrypted workspace
    with the passphrase "demo", imports every source's list, links and grades the
    records, estimates the total (LCMCR), imports the model case's published
    claims and the detention events, publishes the memorial, report and open
    data as a static site, and prints the register's headline figures and the
    estimate beside the claims and the true (simulated) total. Running it again
    replaces an earlier demo folder.

    \b
    Example:
        aban demo /tmp/aban-demo
    """
    say(f'demo passphrase: "{DEMO_PASSPHRASE}" (demo only: never use it for real data)')
    result = run_demo(directory, progress=lambda message: say(f"... {message}"))
    _render(result)
    report_head(result.head)


def _render(result: DemoResult) -> None:
    out = stdout()
    table = Table(title="imported lists (synthetic)")
    for column in ("source", "rows", "imported", "refused", "warnings"):
        table.add_column(column, justify="left" if column == "source" else "right")
    for r in result.imports:
        warnings = sum(1 for i in r.issues if i.severity == "warning")
        table.add_row(
            ", ".join(r.sources),
            str(r.rows),
            str(r.accepted),
            str(r.rejected),
            str(warnings),
        )
    out.print(table)
    if result.status:
        s = result.status
        out.print(
            f"register: {s.sources} sources, {s.records} records, {s.issues} issues, "
            f"{s.persons} persons after linkage"
        )
    _render_estimates(result)
    _render_headline(result)
    _render_cases(result)
    out.print(f"synthetic lists and ground truth: {result.scenario_dir}")
    if result.site is not None:
        out.print(
            f"published site: {result.site.entry}  ({result.site.listed:,} persons "
            "in the memorial; open it in a browser)"
        )
    out.print(
        f"workspace: {result.workspace}  (try: ABAN_PASSPHRASE={DEMO_PASSPHRASE} "
        f"aban -w {result.workspace} status)"
    )


def _total(res: StrataResult) -> str:
    return (
        f"{res.estimate:,.0f} (95% {res.lower:,.0f}-{res.upper:,.0f}) "
        f"from {res.observed:,} persons on the lists"
    )


def _render_estimates(result: DemoResult) -> None:
    out = stdout()
    out.print(
        f"true total (simulated): {result.true_killed:,} killed "
        f"of {result.true_persons:,} persons"
    )
    if result.estimate is not None:
        out.print(
            "estimate from the linked register (LCMCR): "
            + _total(result.estimate.result)
        )
    if result.reference is not None:
        out.print(
            "same estimator on the true capture histories (perfect linkage): "
            + _total(result.reference)
        )


def _render_headline(result: DemoResult) -> None:
    """The register's figures and the estimate beside the published claims."""
    if result.ledger is None or result.grades is None:
        return
    table = Table(title="headline: published claims (real) beside this register")
    for column in ("who", "date", "figure", "kind"):
        table.add_column(column, justify="right" if column == "figure" else "left")
    for claim in result.ledger.claims:
        table.add_row(claim.claimant, claim.date, claim.figure, claim.kind or "")
    head = result.grades.headline
    table.add_row(
        "this register (synthetic)",
        "now",
        f"{head.minimum:,} to {head.upper:,}",
        "enumerated minimum to upper end",
        style="bold",
    )
    if result.estimate is not None:
        res = result.estimate.result
        table.add_row(
            "this register (synthetic)",
            "now",
            f"{res.estimate:,.0f} ({res.lower:,.0f} to {res.upper:,.0f})",
            "estimate (LCMCR, 95%)",
            style="bold",
        )
    table.add_row(
        "simulation truth", "", f"{result.true_killed:,}", "synthetic", style="dim"
    )
    stdout().print(table)


def _render_cases(result: DemoResult) -> None:
    out = stdout()
    if result.analysis is not None:
        day = result.analysis.breakdown("day")
        window = day.within_48h if isinstance(day, DayBreakdown) else None
        if window is not None:
            out.print(
                f"killed within 48 hours of the shutdown: {window.counts.total:,} "
                f"of {window.dated:,} with a known date (aban analysis)"
            )
    if result.detentions is not None:
        cases = result.detentions.cases
        alerts = sum(1 for case in cases if case.alerts)
        out.print(
            f"detention cases: {len(cases):,}, {alerts:,} with alerts as of "
            f"{result.detentions.as_of.isoformat()} (aban detentions --alerts-only)"
        )
