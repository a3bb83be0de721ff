"""``aban demo``: the pipeline on a synthetic scenario."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

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
    with the passphrase "demo", imports every source's list, links the records
    into persons, estimates the total (LCMCR) and prints it beside the true total.
    Running it again replaces an earlier demo folder.

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
            ", ".join(r.sources), str(r.rows), str(r.accepted), str(r.rejected),
            str(warnings),
        )  # fmt: skip
    out.print(table)
    if result.status:
        s = result.status
        out.print(
            f"register: {s.sources} sources, {s.records} records, {s.issues} issues, "
            f"{s.persons} persons after linkage"
        )
    _render_estimates(result)
    out.print(f"synthetic lists and ground truth: {result.scenario_dir}")
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
    out.print(f"true total (simulated): {result.true_persons:,}")
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
