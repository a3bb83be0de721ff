"""Options shared by the commands that link records (``link`` and ``dedupe``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from aban.linkage.engine import DEFAULT_THRESHOLD

F = TypeVar("F", bound=Callable[..., Any])


def linkage_options(fn: F) -> F:
    """``--threshold``, ``--engine`` and ``--seed``, alike for every linking command."""
    options = (
        click.option(
            "--threshold",
            type=click.FloatRange(0.0, 1.0, min_open=True, max_open=True),
            default=DEFAULT_THRESHOLD,
            show_default=True,
            help="Least average match probability for records to join one person.",
        ),
        click.option(
            "--engine",
            type=click.Choice(["duckdb", "spark"]),
            default="duckdb",
            show_default=True,
            help="duckdb (in memory, one machine) or spark (Splink's Spark backend).",
        ),
        click.option(
            "--seed", type=int, default=1, show_default=True, help="Random seed."
        ),
    )
    for option in reversed(options):
        fn = option(fn)
    return fn
