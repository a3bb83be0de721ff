"""The command group: every listed command loads, and only when it runs."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from aban.cli import COMMANDS, cli


def test_every_command_loads_from_its_module() -> None:
    names = cli.list_commands(None)  # type: ignore[arg-type]
    assert set(names) <= set(COMMANDS)
    for name in names:
        command = cli.get_command(None, name)  # type: ignore[arg-type]
        assert command is not None and command.name == name, name
        assert command.callback is not None or hasattr(command, "commands")


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in cli.list_commands(None):  # type: ignore[arg-type]
        assert f"  {name} " in result.output


def test_starting_the_cli_loads_no_heavy_dependency() -> None:
    code = (
        "import sys; from aban.cli import cli; heavy = {'numpy', 'scipy', 'pandas', "
        "'splink', 'duckdb', 'numba'} & set(sys.modules); print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "[]"
