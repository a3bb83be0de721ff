"""Commands on the workspace itself: init, status, sources, source set, retract and
restore, audit verify."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from aban.cli import AppContext, cli, passphrase
from aban.cli.corrections import say_source_change
from aban.cli.output import json_option, print_json, report_head, say, stdout
from aban.errors import AuditError
from aban.store import audit
from aban.store.audit import ChainReport
from aban.store.integrity import verify_register
from aban.store.passphrase import check_passphrase
from aban.store.sources import list_sources, update_source
from aban.store.status import register_status
from aban.store.workspace import create_workspace
from aban.vocab.sources import KINDS, RELIABILITY
from aban.workflow.corrections import SourceChange, restore_source, retract_source

pass_app = click.make_pass_decorator(AppContext)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Create a new encrypted workspace in DIRECTORY.

    The passphrase comes from ABAN_PASSPHRASE or is asked twice at the terminal.
    It must have 12 characters or more and take 10^10 guesses or more by zxcvbn's
    estimate (five random words do). Losing it loses the register: there is no
    recovery.

    \b
    Example:
        aban init ./aban-2019
    """
    key = passphrase(confirm=True)
    check_passphrase(key, hints=[directory.resolve().name, "aban"])
    with create_workspace(directory, key) as ws:
        head = audit.head(ws.conn)
    say(f"created workspace {directory} (register encrypted with your passphrase)")
    report_head(head)


@cli.command()
@json_option
@pass_app
def status(app: AppContext, as_json: bool) -> None:
    """Counts: sources, records, persons by grade and identification level, issues.

    \b
    Example:
        aban -w ./aban-2019 status --json
    """
    with app.open() as ws:
        result = register_status(ws.conn)
    if as_json:
        print_json(result.to_dict())
        return
    table = Table(title="register", show_header=False)
    for key in ("sources", "records", "persons", "issues", "audit_entries"):
        table.add_row(key.replace("_", " "), str(getattr(result, key)))
    for grade, n in result.persons_by_grade.items():
        table.add_row(f"persons {grade}", str(n))
    for level, n in result.persons_by_identification.items():
        table.add_row(f"persons {level.replace('_', ' ')}", str(n))
    stdout().print(table)


@cli.command()
@json_option
@pass_app
def sources(app: AppContext, as_json: bool) -> None:
    """List the sources with their metadata and record counts.

    \b
    Example:
        aban sources --json
    """
    with app.open() as ws:
        found = list_sources(ws.conn)
    if as_json:
        print_json([s.to_dict() for s in found])
        return
    table = Table(
        "source", "kind", "group", "reliability", "list", "protected", "records"
    )
    for s in found:
        table.add_row(
            s.name,
            s.kind or "-",
            s.group or "-",
            s.reliability or "-",
            "yes" if s.is_list else "no",
            "yes" if s.protected else "no",
            str(s.records),
        )
    stdout().print(table)


@cli.group()
def source() -> None:
    """Change a source's metadata, or withdraw and restore it."""


@source.command("set")
@click.argument("name")
@click.option("--kind", type=click.Choice(KINDS), help="What kind of source it is.")
@click.option(
    "--group", help="Independence group: sources in one group do not corroborate."
)
@click.option(
    "--reliability",
    type=click.Choice(sorted(RELIABILITY), case_sensitive=False),
    help="HURIDOCS reliability, A (completely reliable) to E (cannot be judged).",
)
@click.option(
    "--list/--not-list",
    "is_list",
    default=None,
    help="A systematic list (only lists enter estimation).",
)
@click.option(
    "--protected/--public",
    default=None,
    help="Keep the source's identity inside the workspace.",
)
@pass_app
def source_set(
    app: AppContext,
    name: str,
    kind: str | None,
    group: str | None,
    reliability: str | None,
    is_list: bool | None,
    protected: bool | None,
) -> None:
    """Set the metadata of source NAME.

    \b
    Example:
        aban source set ngo_list_fa --kind ngo_list --group ngo-a --reliability B --list
    """
    with app.open() as ws:
        changes, head = update_source(
            ws,
            name,
            kind=kind,
            group=group,
            reliability=reliability,
            is_list=is_list,
            protected=protected,
        )
    say("updated: " + (", ".join(f"{k}={v}" for k, v in changes.items()) or "nothing"))
    report_head(head)


@source.command("retract")
@click.argument("name")
@click.option(
    "--reason",
    required=True,
    help="Why (kept protected in the register, like a reviewer's note).",
)
@json_option
@pass_app
def source_retract(app: AppContext, name: str, reason: str, as_json: bool) -> None:
    """Withdraw every record of source NAME: kept, counted nowhere.

    The records leave persons at once and every person is graded again;
    'aban source restore' brings them back.

    \b
    Example:
        aban source retract ngo_list_fa --reason "list withdrawn by the NGO"
    """
    with app.open() as ws:
        change = retract_source(ws, name, reason)
    _source_change(change, as_json)


@source.command("restore")
@click.argument("name")
@json_option
@pass_app
def source_restore(app: AppContext, name: str, as_json: bool) -> None:
    """Bring back the records of a retracted source NAME (link them again after).

    \b
    Example:
        aban source restore ngo_list_fa && aban link
    """
    with app.open() as ws:
        change = restore_source(ws, name)
    _source_change(change, as_json)


def _source_change(change: SourceChange, as_json: bool) -> None:
    if as_json:
        print_json(change.to_dict())
    else:
        say_source_change(change)
    report_head(change.head)


@cli.group("audit")
def audit_group() -> None:
    """Check the register's audit chain."""


@audit_group.command("verify")
@click.option(
    "--head",
    "expected",
    help="A head hash printed earlier by a write, a release or a bundle.",
)
@json_option
@pass_app
def audit_verify(app: AppContext, expected: str | None, as_json: bool) -> None:
    """Verify the audit chain and the register state it vouches for.

    Checks every entry against the one before it; each import's records (their
    content, each in its import's source, none under an import no entry names);
    each row of sources, imports, persons' consent, link decisions, grade
    decisions, users, sessions, two-factor secrets, who wrote each import,
    evidence items (with their links and publishable
    copies), custody events, claims, detentions and their events, snapshots,
    releases and runs, against the seal of the last entry that wrote it (and
    each entry's seal of the row as it found it against the one before); what
    linking and grading derive (which records make each person, canonical values,
    identification levels, grades) in ranges of rows; and the heads snapshots and
    releases recorded. Not checked: import issues and refused rows, the scored
    pairs of the last link run, the portrait cache, when persons were created and
    updated, and aban's own bookkeeping (_meta, _migrations).

    From inside, the log cannot show that it was cut, or rewritten with every
    hash recomputed: keep the heads printed by writes, releases and bundles
    outside the register, and pass one as --head. Exits 1 with the first problem,
    naming its table and row (--json lists them all).

    \b
    Example:
        aban audit verify --head 3f5a...
    """
    with app.open() as ws:
        report = verify_register(ws.conn, expected)
    if as_json:
        print_json(report.to_dict())
    if not report.ok:
        raise AuditError(_broken(report))
    if not as_json:
        say(
            f"audit chain intact: {report.entries} entries, head {report.head}"
            f"{_since(report.after_head)}"
        )


def _since(after: int | None) -> str:
    """What follows the head the user kept, if they gave one."""
    if after is None:
        return ""
    if after == 0:
        return "; the given head is the newest entry"
    return f"; {after} {'entry' if after == 1 else 'entries'} after the given head"


def _broken(report: ChainReport) -> str:
    """The one line saying what verify found, and what to do."""
    if not report.mismatches:
        return f"audit chain broken: {report.problem}"
    more = len(report.mismatches) - 1 + report.more
    others = f" (and {more} more: --json lists them)" if more else ""
    return (
        f"register changed outside aban: {report.problem}{others}; restore it "
        "from a backup whose log verifies, or find out who changed it"
    )
