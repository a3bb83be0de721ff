"""Options and progress bars that several commands share (issue 12)."""

from __future__ import annotations

import io
import sys

import click
import pytest

from aban.cli import cli
from aban.cli import output as cli_output
from aban.cli.options import lcmcr_settings
from aban.estimate.strata import LcmcrSettings

LCMCR = (
    "seed",
    "k",
    "burnin",
    "samples",
    "thinning",
    "chains",
    "init",
    "sampler",
    "particles",
)


def _lcmcr_params(name: str) -> dict[str, click.Option]:
    command = cli.get_command(click.Context(cli), name)
    assert command is not None
    return {
        p.name: p
        for p in command.params
        if isinstance(p, click.Option) and p.name in LCMCR
    }


def test_estimate_and_mse_take_one_set_of_lcmcr_options() -> None:
    estimate, mse = _lcmcr_params("estimate"), _lcmcr_params("mse")
    assert set(estimate) == set(mse) == set(LCMCR)
    for name in LCMCR:
        assert estimate[name].to_info_dict() == mse[name].to_info_dict(), name
    defaults = {name: estimate[name].default for name in LCMCR}
    assert lcmcr_settings(defaults) == LcmcrSettings()
    assert defaults["burnin"] == 20_000 and defaults["seed"] == 1


def test_progress_bars_are_none_when_stderr_is_not_a_terminal() -> None:
    with cli_output.progress_bars() as bars, cli_output.progress_bar("x") as bar:
        assert bars is None and bar is None


@pytest.mark.parametrize("unit", ["items", "bytes", "percent"])
def test_progress_bars_on_a_terminal_write_to_stderr_only(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], unit: str
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with cli_output.progress_bars(unit) as bars:  # type: ignore[arg-type]
        assert bars is not None
        bars("one", 1, 4)
        bars("two", 2, 2)
        bars("one", 4, 4)
    with cli_output.progress_bar("three", unit) as bar:  # type: ignore[arg-type]
        assert bar is not None
        bar(5)
        bar(10, 10)
    assert capsys.readouterr().out == ""
    drawn = terminal.getvalue()
    assert all(label in drawn for label in ("one", "two", "three"))
