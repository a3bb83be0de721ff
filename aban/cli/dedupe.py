"""``aban dedupe``: one-shot linkage of records files into a clusters CSV."""

from __future__ import annotations

import time
from pathlib import Path

import click

from aban.cli import cli
from aban.cli.options import linkage_options
from aban.cli.output import say
from aban.linkage.dedupe import dedupe_files, write_clusters


@cli.command(name="dedupe")
@click.argument(
    "files",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The clusters CSV to write (record_id, person_id, source).",
)
@linkage_options
@click.option("--encoding", default=None, help="Force the text encoding of the files.")
def dedupe_command(
    files: tuple[Path, ...],
    output: Path,
    threshold: float,
    engine: str,
    seed: int,
    encoding: str | None,
) -> None:
    """Link the records of FILE... into persons, without a workspace.

    Each row's source is its source cell, else the file name without extension;
    record ids must be unique across the files. Writes every record once with the
    id of its person (a record id or source name that a spreadsheet would run as a
    formula starts with a quote). Nothing else is written with the duckdb engine:
    the linkage runs in memory.

    \b
    Example:
        aban dedupe sim/sources/*.csv -o clusters.csv
    """
    started = time.monotonic()
    result = dedupe_files(
        list(files),
        threshold=threshold,
        engine="spark" if engine == "spark" else "duckdb",
        seed=seed,
        encoding=encoding,
        progress=lambda message: say(f"dedupe: {message}"),
    )
    write_clusters(result.clusters, output)
    records = len(result.clusters)
    say(
        f"linked {records:,} records from {result.files} files into "
        f"{result.persons:,} persons in {time.monotonic() - started:.1f} s; "
        f"wrote {output}"
    )
