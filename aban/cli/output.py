"""Shared output helpers: stdout for data, stderr for messages."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import click
from rich.console import Console

F = TypeVar("F", bound=Callable[..., Any])


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


def report_head(head: str) -> None:
    """Print the new audit head: every writing command does, so users can keep it."""
    say(f"audit head: {head}")
