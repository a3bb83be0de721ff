"""The aban command line."""

from __future__ import annotations

import click

from aban import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aban")
def cli() -> None:
    """aban: one verified register from many lists."""


def main() -> None:
    cli()
