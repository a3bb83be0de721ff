"""``aban person``: a person's publication consent, and reviewers' discounts."""

from __future__ import annotations

from pathlib import Path

import click

from aban.cli import AppContext, cli
from aban.cli.options import note_options, read_note
from aban.cli.output import report_head, say
from aban.grade.register import (
    CONSENTS,
    Consent,
    PersonChange,
    discount_person,
    restore_person,
    set_consent,
)
from aban.grade.rules import DISCOUNT_REASONS, load_rules

pass_app = click.make_pass_decorator(AppContext)


def _report(change: PersonChange) -> None:
    say(f"{change.person_id}: {change.grade_reason}")
    report_head(change.head)


@cli.group()
def person() -> None:
    """Change what the register says about one person."""


@person.command("consent")
@click.argument("person_id", metavar="PERSON")
@click.argument("consent", type=click.Choice(CONSENTS))
@pass_app
def person_consent(app: AppContext, person_id: str, consent: Consent) -> None:
    """Record whether PERSON may be published: public, without name, or withheld.

    \b
    Example:
        aban -w ./aban-2019 person consent P000042 public-without-name
    """
    with app.open() as ws:
        change = set_consent(ws, person_id, consent)
    say(f"{change.person_id}: consent {consent}")
    report_head(change.head)


@person.command("discount")
@click.argument("person_id", metavar="PERSON")
@click.option(
    "--reason",
    type=click.Choice(DISCOUNT_REASONS),
    required=True,
    help="Why the person is not counted.",
)
@note_options("The reviewer's note, kept in the register", "Reviewer's note")
@pass_app
def person_discount(
    app: AppContext,
    person_id: str,
    reason: str,
    note: str | None,
    note_file: Path | None,
) -> None:
    """Discount PERSON: kept in the register, never counted.

    The decision holds the person's records, so it survives 'aban link'; undo it
    with 'aban person restore'. A note typed as an argument stays in shell history
    and shows in the process list: give --note - to type it at a hidden prompt (or
    pipe it in), or --note-file.

    \b
    Example:
        aban -w ./aban-2019 person discount P000042 --reason duplicate
    """
    note = read_note(note, note_file)
    rules = load_rules(app.workspace)
    with app.open() as ws:
        change = discount_person(ws, person_id, reason, rules, note)
    _report(change)


@person.command("restore")
@click.argument("person_id", metavar="PERSON")
@pass_app
def person_restore(app: AppContext, person_id: str) -> None:
    """Undo the discount of PERSON and grade it again.

    \b
    Example:
        aban -w ./aban-2019 person restore P000042
    """
    rules = load_rules(app.workspace)
    with app.open() as ws:
        change = restore_person(ws, person_id, rules)
    _report(change)
