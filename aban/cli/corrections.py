"""``aban imports`` and what corrections print: a new version of a list, a
source withdrawn or restored."""

from __future__ import annotations

import click
from rich.table import Table

from aban.cli import AppContext, cli
from aban.cli.output import json_option, print_json, say, stdout
from aban.store.retractions import list_imports
from aban.workflow.corrections import Regraded, Replaced, SourceChange

pass_app = click.make_pass_decorator(AppContext)


def _persons(regraded: Regraded | None) -> None:
    if regraded is None:
        return
    refresh = regraded.persons
    line = (
        f"persons: {refresh.records_out} retracted records taken out, "
        f"{refresh.updated} persons updated, {refresh.dormant} dormant (all their "
        "records retracted)"
    )
    if regraded.grades is not None:
        headline = regraded.grades.headline
        line += f"; graded again: minimum {headline.minimum}, upper {headline.upper}"
    say(line)


def say_replaced(replaced: Replaced) -> None:
    """What a new version of a list changed, and the persons after it."""
    changes = replaced.result.changes or {}
    if changes:
        say(
            f"new version: {changes['added']} added, {changes['changed']} changed, "
            f"{changes['retracted']} retracted, {changes['returned']} back"
        )
    _persons(replaced.regraded)


def say_source_change(change: SourceChange) -> None:
    """What ``aban source retract`` or ``restore`` did."""
    if change.action == "retract":
        say(f"retracted source {change.source}: {change.records} records withdrawn")
        _persons(change.regraded)
    else:
        wait = (
            f", {change.unlinked} of them in no person until 'aban link'"
            if change.unlinked
            else ""
        )
        say(f"restored source {change.source}: {change.records} records back{wait}")
        _persons(change.regraded)


@cli.command("imports")
@json_option
@pass_app
def imports_command(app: AppContext, as_json: bool) -> None:
    """List the imports of records: ids, file digests, sources, dates and counts.

    For a new version of a list (import --replace): records added, changed and
    retracted; for any import, its records that count now (live) and its state:
    current, replaced by a later version of its list (the import's id), or
    retracted (its source is withdrawn: 'aban source retract').

    \b
    Example:
        aban -w ./ws imports --json
    """
    with app.open() as ws:
        found = list_imports(ws.conn)
    if as_json:
        print_json([row.to_dict() for row in found])
        return
    table = Table(
        "id", "source", "file", "sha256", "imported", "added", "changed",
        "retracted", "live", "state",
    )  # fmt: skip
    for row in found:
        table.add_row(
            str(row.id),
            row.source,
            row.file_name,
            row.file_sha256[:12],
            row.imported_at,
            str(row.added),
            str(row.changed),
            str(row.retracted),
            str(row.records_live),
            f"replaced by {row.replaced_by}" if row.replaced_by else row.state,
        )
    stdout().print(table)
