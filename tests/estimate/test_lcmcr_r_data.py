"""R's LCMCR posteriors recorded in tests/data/reference/lcmcr_r.json (issue 14).

The file is reference data: R's LCMCR 0.4.14 was run once, outside the repo, on
the tables named there, and each run's exact call, settings and posterior
quantiles were recorded, so that the comparisons with R run where R is not
installed. These tests check that the record is whole and consistent with the
tables it names; the comparisons themselves live with the sampler's tests.
"""

from __future__ import annotations

import json
from pathlib import Path
from unittest import mock

import numpy as np
import pytest

import bench.lcmcr_vs_r as vs_r

DATA = Path(__file__).resolve().parents[1] / "data" / "reference"
RECORD = json.loads((DATA / "lcmcr_r.json").read_text(encoding="utf-8"))
RUNS = RECORD["runs"]
PROBS = ["0.025", "0.05", "0.25", "0.5", "0.75", "0.95", "0.975"]


def run_id(run: dict) -> str:
    s = run["settings"]
    return f"{run['table']}-K{s['K']}-seed{run['seed']}"


@pytest.mark.parametrize("run", RUNS, ids=run_id)
def test_each_run_is_recorded_whole(run: dict) -> None:
    table = np.loadtxt(DATA / run["table"], delimiter=",", skiprows=1, dtype=np.int64)
    assert run["observed"] == table[:, -1].sum()
    assert run["r_version"] == "4.2.2" and run["lcmcr_version"] == "0.4.14"
    settings = run["settings"]
    assert run["draws"] == settings["samples"]
    for name in ("K", "burnin", "samples", "thinning"):
        assert f"{name}={settings[name]}," in run["call"] + ","
    assert f"seed={run['seed']}," in run["call"]
    quantiles = [run["quantiles"][p] for p in PROBS]
    assert quantiles == sorted(quantiles)
    assert run["observed"] <= quantiles[0] and quantiles[-1] < 21 * run["observed"]
    assert quantiles[0] <= run["mean"] <= quantiles[-1] and run["sd"] > 0
    assert run["wall_seconds"] > 0


def test_the_issue_14_runs_are_all_there() -> None:
    tables = {(r["table"], r["settings"]["K"]) for r in RUNS}
    assert sum(r["table"] == "us_western_trafficking.csv" for r in RUNS) == 6
    assert ("kosovo_1999.csv", 10) in tables
    for name in ("sparse20_seed6", "sparse20_seed9"):
        assert {(f"sparse/{name}.csv", k) for k in (10, 15)} <= tables
    for name in (
        "sparse10_seed1",
        "sparse10_seed2",
        "sparse15_seed1",
        "sparse15_seed2",
    ):
        assert (f"sparse/{name}.csv", 10) in tables


def test_the_bench_says_when_r_is_missing() -> None:
    with mock.patch("shutil.which", return_value=None):
        text = vs_r.run()
    assert text.endswith(
        "R's LCMCR is not installed on this machine: the comparison was skipped.\n"
    )
