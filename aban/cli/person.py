"""``aban person``: a person's publication consent and story, and reviewers'
discounts, merges and splits."""

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
from aban.linkage.merges import LinkCorrection, merge_persons, split_named_record
from aban.site.stories import set_story

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


def _why(note: str | None, note_file: Path | None) -> str:
    """The note on why, required for a merge or a split."""
    text = read_note(note, note_file)
    if not text:
        raise click.UsageError("say why: give --note TEXT (- to type it unseen)")
    return text


def _report_link(change: LinkCorrection) -> None:
    say(
        f"{change.action} of {' and '.join(change.persons)}: "
        f"{len(change.decisions)} link decisions stored; it takes effect at the "
        "next 'aban link'"
    )
    report_head(change.head)


@person.command("merge")
@click.argument("person_id", metavar="PERSON")
@click.argument("other", metavar="OTHER")
@note_options("Why they are one person, kept in the register", "Why")
@pass_app
def person_merge(
    app: AppContext,
    person_id: str,
    other: str,
    note: str | None,
    note_file: Path | None,
) -> None:
    """Say PERSON and OTHER are one person (a reviewer's match on their records).

    Stored as link decisions, as the review queue's and the web app's are, so
    it survives 'aban link' and takes effect at the next one; audited. Undo it
    with 'aban person split' on the records to keep apart. --note is required
    (give --note - to type it at a hidden prompt, or --note-file).

    \b
    Example:
        aban -w ./aban-2019 person merge P000042 P000317 --note "same funeral notice"
    """
    why = _why(note, note_file)
    with app.open() as ws:
        change = merge_persons(ws, person_id, other, why)
    _report_link(change)


@person.command("split")
@click.argument("record", metavar="SOURCE:RECORD_ID")
@note_options("Why the record is someone else, kept in the register", "Why")
@pass_app
def person_split(
    app: AppContext, record: str, note: str | None, note_file: Path | None
) -> None:
    """Split a record off the person that holds it (a reviewer's non-match with
    each of that person's other records).

    Stored as link decisions, so the next 'aban link' never puts it back with
    them (it overrides an earlier merge); audited. The record is named by its
    source and its record_id. --note is required (give --note - to type it at a
    hidden prompt, or --note-file).

    \b
    Example:
        aban -w ./aban-2019 person split ngo-list:r0042 --note "another age"
    """
    why = _why(note, note_file)
    with app.open() as ws:
        change = split_named_record(ws, record, why)
    _report_link(change)


def _story_file(path: Path | None) -> str | None:
    """A story part's text from a UTF-8 file (None when not given)."""
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise click.ClickException(
            f"{path.name}: not UTF-8 text; save it as UTF-8"
        ) from err


_PART_FILE = click.Path(dir_okay=False, exists=True, path_type=Path)


@person.command("story")
@click.argument("person_id", metavar="PERSON")
@click.option("--bio-en", type=_PART_FILE, help="The short biography in English.")
@click.option("--bio-fa", type=_PART_FILE, help="The short biography in Persian.")
@click.option(
    "--circumstances-en",
    type=_PART_FILE,
    help="How the person was killed, in English.",
)
@click.option(
    "--circumstances-fa",
    type=_PART_FILE,
    help="How the person was killed, in Persian.",
)
@click.option("--clear", is_flag=True, help="Remove the whole story.")
@pass_app
def person_story(
    app: AppContext,
    person_id: str,
    bio_en: Path | None,
    bio_fa: Path | None,
    circumstances_en: Path | None,
    circumstances_fa: Path | None,
    clear: bool,
) -> None:
    """Write the story the memorial shows for PERSON, from UTF-8 text files.

    The team's own words (never a source's): a short biography and how the
    person was killed, each in English and Persian; parts not given are kept,
    and a blank line starts a paragraph. Published only when the family's
    consent is public and [publication] stories is on (the default); audited.

    \b
    Example:
        aban -w ./aban-2019 person story P000042 --bio-fa bio.fa.txt --bio-en bio.en.txt
    """
    files = {
        "biography_en": bio_en,
        "biography_fa": bio_fa,
        "circumstances_en": circumstances_en,
        "circumstances_fa": circumstances_fa,
    }
    parts = {k: "" for k in files} if clear else {}
    parts.update({k: t for k, p in files.items() if (t := _story_file(p)) is not None})
    if not parts:
        raise click.UsageError("give a part of the story (--bio-fa FILE...) or --clear")
    with app.open() as ws:
        change = set_story(ws, person_id, parts)
    say(f"{change.person_id}: story written ({', '.join(change.written)})")
    report_head(change.head)
