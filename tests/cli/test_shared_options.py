"""Options that several commands share (issue 12)."""

from __future__ import annotations

import click

from aban.cli import cli
from aban.cli.options import lcmcr_settings
from aban.estimate.strata import LcmcrSettings

LCMCR = ("seed", "k", "burnin", "samples", "thinning", "chains")


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
