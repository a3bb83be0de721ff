"""aban simulate: a synthetic crackdown with ground truth, written as files."""

from __future__ import annotations

from pathlib import Path

import click

from aban.cli import cli
from aban.sim.noise import KINDS, PRESETS, noise_from
from aban.simulate import SimulationSettings, simulate, write_scenario


class OneLineUsage(click.Command):
    """A command whose usage errors are one line on stderr (exit code 2)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as err:
            hint = f"; see 'aban {ctx.info_name} --help'"
            raise click.UsageError(err.format_message().rstrip(".") + hint) from None


class KindShare(click.ParamType[tuple[str, float]]):
    """``KIND=SHARE``: one noise kind and its share of records, 0 to 1."""

    name = "kind=share"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, float]:
        if isinstance(value, tuple):  # already converted
            return str(value[0]), float(value[1])
        kind, _, share = str(value).partition("=")
        if kind not in KINDS:
            self.fail(f"{kind!r} is not a noise kind; use one of {', '.join(KINDS)}")
        try:
            number = float(share)
        except ValueError:
            number = -1.0
        if not 0.0 <= number <= 1.0:
            self.fail(f"the share of {kind} must be a number from 0 to 1")
        return kind, number


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
@click.option(
    "--noise",
    type=click.Choice(list(PRESETS)),
    default="none",
    show_default=True,
    help="Noise beyond the sources' own conventions: 'hard' turns every kind on "
    "(letters 0.3 of Latin-script records, comma_order 0.1, one_word 0.05, "
    "report_date 0.15, wide_age 0.1).",
)
@click.option(
    "--noise-share",
    "shares",
    type=KindShare(),
    multiple=True,
    help="Set one noise kind's share, after --noise (repeatable): letters "
    "(transliteration letters: gh/g/q, kh/x, sh/ch, v/w, ou/o/u/oo, i/ee/y, "
    "double consonants), comma_order ('Family, Given'), one_word (one-word name "
    "with date and city), report_date (date of report, 1-3 days after death), "
    "wide_age (age off by 4 years or more, more when older).",
)
def simulate_command(
    out: Path,
    persons: int,
    sources: int,
    seed: int,
    capture: str,
    errors: float,
    noise: str,
    shares: tuple[tuple[str, float], ...],
) -> None:
    """Write synthetic sources with ground truth into folder OUT.

    OUT gets sources/<source>.csv (records CSVs), truth/records.csv,
    truth/persons.csv, truth/histories.csv, detentions.csv and scenario.json.
    The same settings give byte-identical files. Names are made up from common
    Persian names; no real person is described. With --noise or --noise-share,
    truth/records.csv also says which noise kinds touched each record.

    \b
    Example:
        aban simulate ./sim --persons 2000 --sources 4 --seed 1
        aban simulate ./hard --persons 2000 --noise hard
    """
    settings = SimulationSettings(
        persons=persons,
        sources=sources,
        seed=seed,
        capture="continuous" if capture == "continuous" else "latent-class",
        errors=errors,
        noise=noise_from(noise, dict(shares)),
    )
    scenario = simulate(settings)
    write_scenario(scenario, out)
    records = sum(len(t.rows) for t in scenario.tables)
    click.echo(
        f"simulated {persons} persons, {scenario.observed} listed by "
        f"{sources} sources in {records} records; wrote {out}",
        err=True,
    )
