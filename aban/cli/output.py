"""Shared output helpers: stdout for data, stderr for messages."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar

import click

from aban.errors import IngestError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import ProgressColumn, TaskID

    from aban.ingest.issues import FileImport

F = TypeVar("F", bound=Callable[..., Any])
#: Issues an import command shows; the rest are counted.
SHOWN_ISSUES = 20


# Everything the CLI prints through rich is plain text, never markup or emoji codes:
# values, ids and source names come from the lists, and a hostile list could
# otherwise style the output, plant terminal hyperlinks in a match decision, or
# crash a command with '[/bold]' (issue 13). Styles are given as Text or style=.


# rich is imported where a console or a bar is made: a command that prints only
# JSON (aban mse --json) starts without it (about 0.02 s of CPU).


def stdout() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True, markup=False, emoji=False)


def stderr() -> Console:
    from rich.console import Console

    return Console(
        stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False
    )


def json_option(fn: F) -> F:
    """The shared ``--json`` flag: print the library's ``to_dict()`` as JSON."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON.")(fn)


def print_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False))


def say(message: str) -> None:
    """A message for the person at the terminal (stderr)."""
    click.echo(message, err=True)


class Bar(Protocol):
    """Moves a progress bar: ``done`` so far, of ``total`` when known."""

    def __call__(self, done: int, total: int | None = None) -> None: ...


class Bars(Protocol):
    """Moves the bar ``label`` (added on first use): ``done`` of ``total``."""

    def __call__(self, label: str, done: int, total: int | None = None) -> None: ...


#: What a bar counts: items (``12/40``), bytes (``1.2/4.0 MB``) or a share (``30%``).
Unit = Literal["items", "bytes", "percent"]


def _count_column(unit: Unit) -> ProgressColumn:
    from rich.progress import DownloadColumn, MofNCompleteColumn, TextColumn

    if unit == "bytes":
        return DownloadColumn()
    if unit == "percent":
        return TextColumn("{task.percentage:>3.0f}%")
    return MofNCompleteColumn()


@contextmanager
def progress_bars(unit: Unit = "items") -> Iterator[Bars | None]:
    """Progress bars on stderr when it is a terminal, one per label, gone when
    done; None otherwise, so that piped output and logs stay clean.

    Every command that shows progress draws it here: ``progress_bar`` for one
    bar, this for a bar per stage (``aban estimate``).
    """
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        _count_column(unit),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=stderr(), transient=True) as bars:
        tasks: dict[str, TaskID] = {}

        def update(label: str, done: int, total: int | None = None) -> None:
            if label not in tasks:
                tasks[label] = bars.add_task(label, total=total)
            bars.update(tasks[label], completed=done, total=total)

        yield update


@contextmanager
def progress_bar(label: str, unit: Unit = "items") -> Iterator[Bar | None]:
    """One bar of :func:`progress_bars`, shown from the start (it pulses until
    the total is known); None when stderr is not a terminal."""
    with progress_bars(unit) as bars:
        if bars is None:
            yield None
            return
        bars(label, 0)
        yield functools.partial(bars, label)


def report_head(head: str) -> None:
    """Print the new audit head: every writing command does, so users can keep it."""
    say(f"audit head: {head}")


def say_issues(
    result: FileImport,
    *,
    already: str = "already imported",
    more: str = "",
    remedy: str = "fix them and import the file again",
) -> bool:
    """Say what an import found, the same way for every kind of file.

    Says that a file was already imported (and returns False: nothing else to
    say), else its first :data:`SHOWN_ISSUES` issues (``more`` follows the count
    of the rest), and returns True.

    Raises:
        IngestError: the file was refused; the message counts errors and rows
            and ends with ``remedy``.
    """
    if result.already_imported:
        say(f"{result.file}: {already}; nothing changed")
        return False
    for issue in result.issues[:SHOWN_ISSUES]:
        say(f"{issue.severity}: {issue.render()}")
    if len(result.issues) > SHOWN_ISSUES:
        say(f"... and {len(result.issues) - SHOWN_ISSUES} more issues{more}")
    if result.refused:
        errors = result.errors
        rows = len({i.row for i in errors})
        raise IngestError(
            f"{result.file}: {len(errors)} errors in {rows} rows, nothing imported; "
            f"{remedy}"
        )
    return True
