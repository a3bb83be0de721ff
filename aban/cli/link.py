"""``aban link`` and ``aban review``: records into persons, and the reviewers' queue."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
from rich.table import Table
from rich.text import Text

from aban.cli import AppContext, cli
from aban.cli.options import linkage_options
from aban.cli.output import json_option, print_json, report_head, say, stderr, stdout
from aban.linkage.pairs import StoredPair
from aban.linkage.register import (
    LinkSummary,
    decide_pair,
    learned_spellings,
    review_queue,
)
from aban.linkage.review import HIGH, LOW, explain_pair
from aban.store.links import Decision
from aban.store.persons import load_records
from aban.text.spellings import SpellingTable
from aban.workflow.link import link_and_grade

pass_app = click.make_pass_decorator(AppContext)
KEYS: dict[str, Decision | None] = {"m": "match", "n": "non_match", "s": None}
PROMPT = "[m]atch, [n]on-match, [s]kip, [q]uit? "


@contextmanager
def _progress() -> Iterator[Any]:
    """A spinner with the engine's current stage on stderr, when it is a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    with stderr().status("linking") as status:
        yield lambda message: status.update(Text(f"linking: {message}"))


def _render_summary(summary: LinkSummary) -> None:
    table = Table(title="link", show_header=False)
    table.add_row("records", str(summary.records))
    table.add_row("persons", str(summary.persons))
    for level, n in summary.by_identification.items():
        table.add_row(f"persons {level.replace('_', ' ')}", str(n))
    table.add_row("person ids kept", str(summary.kept))
    table.add_row("person ids new", str(summary.created))
    table.add_row("person ids retired", str(summary.retired))
    table.add_row("decisions applied", str(summary.decisions))
    table.add_row("pairs to review", str(summary.to_review))
    table.add_row("spellings learned", ", ".join(summary.spellings) or "none")
    stdout().print(table)


@cli.command()
@linkage_options
@json_option
@pass_app
def link(
    app: AppContext, threshold: float | None, engine: str, seed: int, as_json: bool
) -> None:
    """Link the register's records into persons.

    Reviewers' decisions always win over the model. Persons keep their ids when
    their records stay mostly the same. The run's settings and model are stored in
    the register; 'aban review' then queues the uncertain pairs. Persons are graded
    again afterwards ('aban grade' shows the details).

    \b
    Example:
        aban -w ./aban-2019 link --threshold 0.9
    """
    with app.open() as ws, _progress() as progress:
        done = link_and_grade(
            ws, threshold=threshold, engine=engine, seed=seed, progress=progress
        )
    summary, headline = done.link, done.grades.headline
    if as_json:
        print_json(done.to_dict())
    else:
        _render_summary(summary)
        say(
            f"graded: enumerated minimum {headline.minimum:,}, upper end "
            f"{headline.upper:,} (details: aban grade)"
        )
    if summary.contradictory_decisions:
        say(
            f"warning: {summary.contradictory_decisions} non-match decisions "
            "contradict chains of match decisions; the matches won"
        )
    report_head(done.head)


def _weight(value: float | None) -> Text:
    if value is None:
        return Text("")
    colour = "green" if value > 0 else "red" if value < 0 else "default"
    return Text(f"{value:+.1f}", style=colour)


def _show(
    stored: StoredPair,
    records: dict[int, Any],
    n: int,
    total: int,
    spellings: SpellingTable,
) -> None:
    a, b = records[stored.record_a], records[stored.record_b]
    table = Table(
        title=f"pair {n} of {total}: match probability {stored.pair.probability:.2f}",
        title_justify="left",
    )
    table.add_column("field")
    table.add_column(f"A {a['source']} {a['record_id']}")
    table.add_column(f"B {b['source']} {b['record_id']}")
    table.add_column("agreement")
    table.add_column("weight", justify="right")
    for row in explain_pair(stored.pair, a, b, spellings):
        level = row.level or ""
        table.add_row(
            row.field.replace("_", " "),
            row.value_a,
            row.value_b,
            f"{level} ({row.detail})" if row.detail else level,
            _weight(row.weight),
        )
    stdout().print(table)


def _read_key() -> str:
    """One key: a keypress at a terminal, else one line of stdin (EOF quits)."""
    while True:
        if sys.stdin.isatty():
            click.echo(PROMPT, nl=False, err=True)
            key = click.getchar().strip().lower()
            click.echo(key, err=True)
        else:
            line = sys.stdin.readline()
            if not line:
                return "q"
            key = line.strip().lower()
        if not key:
            continue
        if key in ("m", "n", "s", "q"):
            return key
        say("unknown key: type m, n, s or q")


@cli.command()
@click.option(
    "--limit", type=click.IntRange(min=1), help="Show at most N pairs this session."
)
@click.option(
    "--low",
    type=click.FloatRange(0, 1),
    default=LOW,
    show_default=True,
    help="Lowest match probability in the queue.",
)
@click.option(
    "--high",
    type=click.FloatRange(0, 1),
    default=HIGH,
    show_default=True,
    help="Highest match probability in the queue.",
)
@pass_app
def review(app: AppContext, limit: int | None, low: float, high: float) -> None:
    """Decide the uncertain pairs of the last link run, most uncertain first.

    Each pair is shown side by side; type m (match), n (non-match), s (skip) or
    q (quit). Without a terminal, keys are read from stdin, one per line.
    Decisions are stored and audited at once; 'aban link' applies them.

    \b
    Example:
        aban -w ./aban-2019 review --limit 20
    """
    counts = {"match": 0, "non_match": 0, "skipped": 0}
    head = None
    with app.open() as ws:
        queue = review_queue(ws.conn, low=low, high=high)
        spellings = learned_spellings(ws.conn)
        shown = queue[:limit] if limit else queue
        ids = {i for s in shown for i in (s.record_a, s.record_b)}
        records = {r["id"]: r for r in load_records(ws.conn, ids)}
        for n, stored in enumerate(shown, start=1):
            _show(stored, records, n, len(shown), spellings)
            key = _read_key()
            if key == "q":
                break
            decision = KEYS[key]
            if decision is None:
                counts["skipped"] += 1
                continue
            head = decide_pair(ws, stored, decision)
            counts[decision] += 1
    left = len(queue) - counts["match"] - counts["non_match"]
    say(
        f"{counts['match']} match, {counts['non_match']} non-match, "
        f"{counts['skipped']} skipped; {left} left to review"
    )
    if head is not None:
        say("run 'aban link' to apply the decisions")
        report_head(head)


@cli.command()
@json_option
@pass_app
def spellings(app: AppContext, as_json: bool) -> None:
    """Show the spellings the last link run learned from confident matches.

    Name skeletons of the pairs linked with confidence (and of reviewers'
    matches) are aligned letter by letter; each difference is counted against
    the aligned letters that could have shown it. Cost is -log2 of that rate
    (lower: more usual). Folds (frequent enough) make the 'learned spelling'
    level of the name comparisons.

    \b
    Example:
        aban -w ./aban-2019 spellings
    """
    with app.open() as ws:
        table = learned_spellings(ws.conn)
    if as_json:
        print_json(table.to_dict())
        return
    out = Table(title=f"spellings learned from {table.pairs:,} pairs of names")
    for column in ("letters", "seen", "of", "cost (bits)", "fold"):
        out.add_column(column, justify="left" if column == "letters" else "right")
    for edit in table.edits[:40]:
        out.add_row(
            edit.label,
            f"{edit.count:,}",
            f"{edit.columns:,}",
            f"{edit.cost:.1f}",
            "yes" if edit.fold else "",
        )
    stdout().print(out)
    if len(table.edits) > 40:
        say(f"{len(table.edits) - 40} rarer differences not shown (--json lists all)")
