"""``aban evidence``: the vault of evidence files, their links and custody."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from aban.cli import AppContext, cli
from aban.cli.options import ProtectedText, note_options, read_note
from aban.cli.output import (
    json_option,
    print_json,
    progress_bar,
    report_head,
    say,
    stdout,
)
from aban.evidence import (
    IMAGE_KINDS,
    KINDS,
    EvidenceChange,
    EvidenceError,
    EvidenceItem,
    add_custody_event,
    add_evidence,
    check_kind,
    list_evidence,
    publishable_copy,
    set_publishable,
    set_verified,
    verify_vault,
)

pass_app = click.make_pass_decorator(AppContext)
_EVIDENCE_ID = click.argument("evidence_id", metavar="ID")
_GIVER = click.option(
    "--from",
    "giver",
    metavar="GIVER",
    type=ProtectedText("Who handed it over"),
    help="Who handed it over (protected; - to type it unseen).",
)
_RECEIVER = click.option(
    "--by",
    "receiver",
    metavar="RECEIVER",
    type=ProtectedText("Who received it"),
    help="Who received it (protected; - to type it unseen).",
)


def _flag(flag: bool | None) -> bool:
    if flag is None:
        raise click.UsageError("give --yes or --no")
    return flag


@cli.group()
def evidence() -> None:
    """The evidence vault: files hashed, encrypted, linked, with their custody.

    Givers, receivers, notes and original file names are protected: they stay in
    the encrypted register and are shown only with --show-protected.
    """


def _report_add(change: EvidenceChange) -> None:
    state = "added" if change.new else "already in the vault (same SHA-256)"
    say(f"{change.evidence_id}: {state}; {change.kind}, {change.size:,} bytes")
    if change.linked:
        say(f"{change.evidence_id}: linked; run 'aban grade' to update grades")
    if change.custody_id is not None:
        say(f"{change.evidence_id}: custody event {change.custody_id} recorded")
    if change.kind in IMAGE_KINDS:
        copy = "metadata-free copy kept" if change.derivative else "no publishable copy"
        reason = f" ({change.derivative_problem})" if change.derivative_problem else ""
        say(f"{change.evidence_id}: {copy}{reason}")
    report_head(change.head)


@evidence.command("add")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--kind",
    required=True,
    metavar="KIND",
    help=f"What the file is: {', '.join(KINDS)}.",
)
@click.option("--person", metavar="P", help="Link it to this person (P000123).")
@click.option(
    "--record", metavar="SOURCE:ID", help="Link it to this record (source:record_id)."
)
@_GIVER
@_RECEIVER
@note_options("A custody note", "Custody note")
@click.option("--publishable", is_flag=True, help="It may be published.")
@json_option
@pass_app
def evidence_add(
    app: AppContext,
    file: Path,
    kind: str,
    person: str | None,
    record: str | None,
    giver: str | None,
    receiver: str | None,
    note: str | None,
    note_file: Path | None,
    publishable: bool,
    as_json: bool,
) -> None:
    """Hash FILE, keep it encrypted in the vault and link it.

    The original is only read. The same content added again is the same item: the
    new link and custody event are added to it. Prints the evidence id and SHA-256.

    Givers, receivers and notes typed as arguments stay in shell history and show
    in the process list: give - instead to type one at a hidden prompt (or pipe
    one in), or the note with --note-file.

    \b
    Example:
        aban evidence add cert.pdf --person P000042 --kind death_certificate \\
            --from - --by "field team 2"
    """
    note = read_note(note, note_file)
    check_kind(kind)
    with app.open() as ws:
        change = add_evidence(
            ws,
            file,
            kind=kind,
            person=person,
            record=record,
            received_from=giver,
            received_by=receiver,
            publishable=publishable,
            note=note,
        )
    if as_json:
        print_json(change.to_dict())
    else:
        click.echo(f"{change.evidence_id}\t{change.sha256}")
    _report_add(change)


def _items_table(items: list[EvidenceItem], show_protected: bool) -> Table:
    names = ["id", "kind", "size", "sha256", "persons", "publishable", "copy"]
    table = Table(*names, "custody", title="evidence")
    if show_protected:
        table.add_column("original name")
    for item in items:
        cells = [
            item.evidence_id,
            item.kind,
            f"{item.size:,}",
            item.sha256[:16],
            " ".join(item.persons) or "-",
            "yes" if item.publishable else "no",
            "yes" if item.derivative else "-",
            str(len(item.custody)),
        ]
        if show_protected:
            cells.append(item.original_name or "-")
        table.add_row(*cells)
    return table


def _custody_table(items: list[EvidenceItem]) -> Table:
    table = Table("id", "at", "from", "by", "note", title="custody (protected)")
    for item in items:
        for event in item.custody:
            table.add_row(
                item.evidence_id,
                event.happened_at,
                event.received_from or "-",
                event.received_by or "-",
                event.note or "",
            )
    return table


@evidence.command("list")
@click.option(
    "--show-protected",
    is_flag=True,
    help="Also show givers, receivers, notes, original file names and "
    "linked records (for your eyes only).",
)
@json_option
@pass_app
def evidence_list(app: AppContext, show_protected: bool, as_json: bool) -> None:
    """List the evidence items: id, SHA-256, kind, size, persons, custody count.

    \b
    Example:
        aban evidence list --json
    """
    with app.open() as ws:
        items = list_evidence(ws.conn)
    if as_json:
        print_json([item.to_dict(show_protected) for item in items])
        return
    stdout().print(_items_table(items, show_protected))
    if show_protected:
        stdout().print(_custody_table(items))


@evidence.command("verify")
@json_option
@pass_app
def evidence_verify(app: AppContext, as_json: bool) -> None:
    """Decrypt and re-hash every file of the vault; one line per problem.

    Exits 1 if an item's SHA-256 or size in the register differs from what its
    intake entry in the audit log recorded (or it has none), if a blob is missing,
    does not decrypt (altered, truncated or reordered), or differs from the
    SHA-256 taken at intake, or if a file in evidence/ is not in the register.

    \b
    Example:
        aban evidence verify
    """
    with app.open() as ws, progress_bar("verifying the vault", "bytes") as progress:
        report = verify_vault(ws, progress)
    if as_json:
        print_json(report.to_dict())
    else:
        for problem in report.problems:
            click.echo(problem.line())
    if not report.ok:
        raise EvidenceError(
            f"{len(report.problems)} problem(s) in the evidence vault: restore the "
            "named blobs from a backup of the workspace"
        )
    if not as_json:
        say(
            f"evidence vault intact: {report.items} items, {report.blobs} blobs, "
            f"{report.checked_bytes:,} bytes checked"
        )


@evidence.command("custody")
@_EVIDENCE_ID
@_GIVER
@_RECEIVER
@click.option(
    "--at",
    metavar="DATE",
    help="When (2019-11-20, 2019-11-20T14:00 or 1398/08/29) [default: now].",
)
@note_options("A note", "Custody note")
@pass_app
def evidence_custody(
    app: AppContext,
    evidence_id: str,
    giver: str | None,
    receiver: str | None,
    at: str | None,
    note: str | None,
    note_file: Path | None,
) -> None:
    """Record that the file of item ID changed hands (all of it protected).

    Givers, receivers and notes typed as arguments stay in shell history and show
    in the process list: give - instead to type one at a hidden prompt (or pipe
    one in), or the note with --note-file.

    \b
    Example:
        aban evidence custody E000003 --from "field team 2" --by archivist \\
            --at 2019-12-02
    """
    note = read_note(note, note_file)
    with app.open() as ws:
        evidence_id, custody_id, head = add_custody_event(
            ws,
            evidence_id,
            received_from=giver,
            received_by=receiver,
            at=at,
            note=note,
        )
    say(f"{evidence_id}: custody event {custody_id} recorded")
    report_head(head)


def _report_flag(change: EvidenceChange, what: str) -> None:
    say(f"{change.evidence_id}: {what}")
    report_head(change.head)


@evidence.command("publishable")
@_EVIDENCE_ID
@click.option("--yes/--no", "flag", default=None, help="May be published, or not.")
@pass_app
def evidence_publishable(app: AppContext, evidence_id: str, flag: bool | None) -> None:
    """Mark item ID publishable (--yes) or not (--no).

    Photos and portraits are published only as their metadata-free copy; other
    kinds have no copy (their hash and kind may be published).

    \b
    Example:
        aban evidence publishable E000003 --yes
    """
    with app.open() as ws:
        change = set_publishable(ws, evidence_id, _flag(flag))
    state = "publishable" if change.publishable else "not publishable"
    if change.publishable and change.kind not in IMAGE_KINDS:
        state += f" (no file copy: a {change.kind} is not published as a file)"
    _report_flag(change, state)


@evidence.command("verified")
@_EVIDENCE_ID
@click.option("--yes/--no", "flag", default=None, help="Verified, or not.")
@pass_app
def evidence_verified(app: AppContext, evidence_id: str, flag: bool | None) -> None:
    """Mark video ID verified (kind verified_video) or not (kind video).

    A verified video confirms the persons linked to it (grading rules'
    evidence_kinds); run 'aban grade' afterwards.

    \b
    Example:
        aban evidence verified E000007 --yes
    """
    with app.open() as ws:
        change = set_verified(ws, evidence_id, _flag(flag))
    _report_flag(change, f"kind {change.kind}; run 'aban grade' to update grades")


@evidence.command("export-derivative")
@_EVIDENCE_ID
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@pass_app
def evidence_export_derivative(app: AppContext, evidence_id: str, out: Path) -> None:
    """Write the publishable copy of photo ID (a JPEG without metadata) to OUT.

    Refused unless the item is marked publishable. OUT must not exist yet.

    \b
    Example:
        aban evidence export-derivative E000003 portrait.jpg
    """
    if out.exists():
        raise EvidenceError("the output file exists already: choose a new name")
    with app.open() as ws:
        data = publishable_copy(ws, evidence_id)
    with out.open("xb") as dst:
        dst.write(data)
    say(f"wrote {len(data):,} bytes (JPEG, no metadata)")
