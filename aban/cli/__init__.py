"""The aban command line: a click group; one module per command group.

Errors raised by the library (:class:`aban.errors.AbanError`) become one line on stderr
and exit code 1 here, at the boundary and only here. Anything unexpected is reported
without its message (which could quote data) unless ``--debug`` is given.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from aban import __version__
from aban.cli.process import disable_core_dumps, end
from aban.errors import AbanError, StoreError

if TYPE_CHECKING:
    from aban.store.workspace import Workspace


@dataclass
class AppContext:
    """What the group options resolve to, shared with every command."""

    workspace: Path
    debug: bool

    def open(self) -> Workspace:
        """Open the workspace with the passphrase from the environment or a prompt."""
        # Imported here: commands without a workspace (aban mse) start without it.
        from aban.store.workspace import open_workspace

        return open_workspace(self.workspace, passphrase())


def passphrase(confirm: bool = False) -> str:
    """The passphrase from ABAN_PASSPHRASE, else a hidden prompt on a terminal."""
    value = os.environ.get("ABAN_PASSPHRASE")
    if value:
        return value
    if not sys.stdin.isatty():
        raise StoreError("no passphrase: set ABAN_PASSPHRASE, or run in a terminal")
    text: str = click.prompt(
        "Passphrase", hide_input=True, confirmation_prompt=confirm, err=True
    )
    return text


#: Each command and the module of aban.cli that defines it. Modules are imported only
#: when their command runs (or help lists it), so each command starts fast.
COMMANDS = {
    "analysis": "analysis",
    "audit": "workspace",
    "claims": "claims",
    "dedupe": "dedupe",
    "demo": "demo",
    "detentions": "detentions",
    "estimate": "estimate",
    "evidence": "evidence",
    "export": "export",
    "grade": "grade",
    "import": "importing",
    "imports": "corrections",
    "init": "workspace",
    "link": "link",
    "mapping": "mapping",
    "mse": "mse",
    "person": "person",
    "publish": "publish",
    "review": "link",
    "serve": "serve",
    "simulate": "simulate",
    "source": "workspace",
    "spellings": "link",
    "sources": "workspace",
    "status": "workspace",
    "user": "serve",
}


def _defined(name: str) -> bool:
    return importlib.util.find_spec(f"aban.cli.{COMMANDS[name]}") is not None


class AbanGroup(click.Group):
    """A group that loads commands lazily and turns library errors into one line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        lazy = {name for name in COMMANDS if _defined(name)}
        return sorted(lazy | set(super().list_commands(ctx)))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMANDS and _defined(name):
            importlib.import_module(f"aban.cli.{COMMANDS[name]}")
        return super().get_command(ctx, name)

    def invoke(self, ctx: click.Context) -> Any:
        debug = bool(ctx.params.get("debug"))
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except AbanError as err:
            if debug:
                raise
            raise click.ClickException(str(err)) from err
        except Exception as err:
            if debug:
                raise
            raise click.ClickException(
                f"internal error ({type(err).__name__}); run again with --debug "
                "for the traceback, and report it"
            ) from None


@click.group(cls=AbanGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aban")
@click.option(
    "-w",
    "--workspace",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="ABAN_WORKSPACE",
    default=".",
    show_default="ABAN_WORKSPACE, else the current folder",
    help="The workspace folder.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks of errors.")
@click.pass_context
def cli(ctx: click.Context, workspace: Path, debug: bool) -> None:
    """aban: one verified register of victims from many overlapping lists.

    The passphrase of a workspace comes from ABAN_PASSPHRASE or a hidden prompt.
    """
    ctx.obj = AppContext(workspace, debug)


def main() -> None:
    # Before anything reads the passphrase: a crash must not write it to disk.
    disable_core_dumps()
    try:
        cli(prog_name="aban")
    except SystemExit as done:
        end(done)  # without the interpreter's teardown, if the command asked
        raise
