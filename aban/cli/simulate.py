"""aban simulate: a synthetic crackdown with ground truth, written as files."""

from __future__ import annotations

from pathlib import Path

import click

from aban.cli import cli
from aban.simulate import SimulationSettings, simulate, write_scenario


class OneLineUsage(click.Command):
    """A command whose usage errors are one line on stderr (exit code 2)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as err:
            hint = f"; see 'aban {ctx.info_name} --help'"
            raise click.UsageError(err.format_message().rstrip(".") + hint) from None


@cli.command(name="simulate", cls=OneLineUsage)
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--persons",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="True number of persons (listed by some source or by none).",
)
@click.option(
    "--sources",
    type=click.IntRange(2, 20),
    default=4,
    show_default=True,
    help="Number of sources (lists).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option(
    "--capture",
    type=click.Choice(["latent-class", "continuous"]),
    default="latent-class",
    show_default=True,
    help="How capture varies between persons: latent classes or a continuous "
    "visibility shared by all sources.",
)
@click.option(
    "--errors",
    type=click.FloatRange(0.0, 1.0),
    default=0.03,
    show_default=True,
    help="Share of records with one contradiction (wrong city, age, date or sex).",
)
def simulate_command(
    out: Path, persons: int, sources: int, seed: int, capture: str, errors: float
) -> None:
    """Write synthetic sources with ground truth into folder OUT.

    OUT gets sources/<source>.csv (records CSVs), truth/records.csv,
    truth/persons.csv, truth/histories.csv, detentions.csv and scenario.json.
    The same settings give byte-identical files. Names are made up from common
    Persian names; no real person is described.

    \b
    Example:
        aban simulate ./sim --persons 2000 --sources 4 --seed 1
    """
    settings = SimulationSettings(
        persons=persons,
        sources=sources,
        seed=seed,
        capture="continuous" if capture == "continuous" else "latent-class",
        errors=errors,
    )
    scenario = simulate(settings)
    write_scenario(scenario, out)
    records = sum(len(t.rows) for t in scenario.tables)
    click.echo(
        f"simulated {persons} persons, {scenario.observed} listed by "
        f"{sources} sources in {records} records; wrote {out}",
        err=True,
    )
