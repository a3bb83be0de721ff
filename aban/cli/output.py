"""Shared output helpers: stdout for data, stderr for messages."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from aban.errors import IngestError

if TYPE_CHECKING:
    from aban.ingest.issues import FileImport

F = TypeVar("F", bound=Callable[..., Any])
#: Issues an import command shows; the rest are counted.
SHOWN_ISSUES = 20


def stdout() -> Console:
    return Console(highlight=False, soft_wrap=True)


def stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


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


@contextmanager
def progress_bar(label: str) -> Iterator[Bar | None]:
    """A counting bar on stderr when it is a terminal (gone when done); None
    otherwise, so that piped output and logs stay clean."""
    if not sys.stderr.isatty():
        yield None
        return
    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, console=stderr(), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int | None = None) -> None:
            bar.update(task, completed=done, total=total)

        yield update


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
