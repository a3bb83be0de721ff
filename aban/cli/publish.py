"""``aban publish``: the register as a static bilingual site and open data."""

from __future__ import annotations

from pathlib import Path

import click

from aban.cli import AppContext, cli
from aban.cli.output import json_option, print_json, progress_bar, report_head, say
from aban.site.build import parse_build_time, publish

pass_app = click.make_pass_decorator(AppContext)


@cli.command("publish")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--build-time",
    metavar="ISO",
    help="The build time shown on the site (default: now, UTC); the same "
    "register and build time give byte-identical files.",
)
@click.option(
    "--template-dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Templates that override the built-in ones, file by file.",
)
@json_option
@pass_app
def publish_command(
    app: AppContext,
    out: Path,
    build_time: str | None,
    template_dir: Path | None,
    as_json: bool,
) -> None:
    """Publish the register as a static site in OUT: memorial, report, open data.

    Only what [publication] in aban.toml allows is published, in English and
    Persian; persons whose consent is withheld never appear, sources and
    protected fields never do. The report's figures count persons by values
    from vocabularies (the gazetteer's places, body regions, forces, ...), never
    by text as a source wrote it, and show no count below [publication]
    min_cell (default 3): it reads "fewer than 3". Each publication is a
    numbered release (the same content again rebuilds the last release). OUT
    must be new, empty or an earlier site, which is replaced whole. It says how
    many persons are shown with and without names, and why (the family asked,
    or no consent is recorded and [publication] default_consent applies).

    \b
    Example:
        aban -w ./aban-2019 publish ./site --build-time 2020-05-20T12:00:00Z
    """
    when = parse_build_time(build_time)
    with app.open() as ws, progress_bar("person pages") as progress:
        result = publish(ws, out, when, template_dir=template_dir, progress=progress)
    release = result.release
    if as_json:
        print_json(result.to_dict())
    else:
        state = "new" if release.new else "unchanged, rebuilt"
        click.echo(
            f"release {release.number} ({state}): {result.listed:,} persons listed, "
            f"{result.files:,} files"
        )
        for line in result.consent.lines():
            click.echo(line)
        click.echo(f"open: {result.entry}")
    hint = result.consent.hint(release.new and release.number == 1)
    if hint is not None:
        say(hint)
    if release.new:
        report_head(release.head)
    else:
        say(f"release {release.number} was recorded with audit head {release.head}")
