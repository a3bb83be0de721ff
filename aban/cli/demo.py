"""``aban demo``: the pipeline on a synthetic scenario."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from aban.cli import cli
from aban.cli.output import report_head, say, stdout
from aban.demo import DEMO_PASSPHRASE, DemoResult, run_demo
from aban.estimate.result import format_terms


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
    with the passphrase "demo", imports every source's list and prints a summary.
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
            f"register: {s.sources} sources, {s.records} records, {s.issues} issues "
            f"(persons appear after linkage)"
        )
    if result.estimate:
        e = result.estimate
        out.print(
            f"true total {result.true_persons:,}; listed {e.observed:,}; log-linear "
            f"estimate from the true capture histories {e.estimate:,.0f} "
            f"(95% {e.lower:,.0f}-{e.upper:,.0f}, {e.model} "
            f"{format_terms(e.terms) if e.terms else ''})"
        )
    out.print(f"synthetic lists and ground truth: {result.scenario_dir}")
    out.print(
        f"workspace: {result.workspace}  (try: ABAN_PASSPHRASE={DEMO_PASSPHRASE} "
        f"aban -w {result.workspace} status)"
    )
