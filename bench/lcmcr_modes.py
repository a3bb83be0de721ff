"""LCMCR on many sparse lists: separated modes, and where each sampler puts the mass.

On simulated sparse tables with known N (tests/data/lcmcr/ and
tests/data/reference/sparse/), the posterior of N has separated modes. For each
table: eight Gibbs chains (four started as R's LCMCR starts, four at random) and
where each settles; sequential Monte Carlo (``--sampler smc``) over three seeds,
two populations each, with the modes it finds and their shares of the draws; R's
LCMCR medians as recorded in tests/data/reference/lcmcr_r.json (run by hand with
R; none for the table of tests/data/lcmcr/, whose R runs are in its README); and
the truth. On a 10-list table whose Gibbs chains do cross between the modes (long
chains, R-hat near 1), the share of the upper mode by Gibbs is a reference for
the shares sequential Monte Carlo gives.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from statistics import median
from typing import Any

import numpy as np

TITLE = "LCMCR on many sparse lists: modes, and where each sampler puts the mass"
DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
TABLES = (
    ("lcmcr/modes_20_lists.csv", 2_000, None),
    ("reference/sparse/sparse20_seed6.csv", 2_400, "sparse/sparse20_seed6.csv"),
    ("reference/sparse/sparse20_seed9.csv", 2_400, "sparse/sparse20_seed9.csv"),
)
CROSSING = "reference/sparse/sparse10_seed1.csv"
K = 15
GIBBS = {"burnin": 10_000, "samples": 8_000, "thinning": 50, "K": K}


def _load(name: str) -> tuple[np.ndarray, np.ndarray]:
    table = np.loadtxt(DATA / name, delimiter=",", skiprows=1, dtype=np.int64)
    keep = table[:, -1] > 0
    return table[keep, :-1].astype(np.int8), table[keep, -1]


def _r_medians(name: str | None) -> str:
    if name is None:
        return "1,762, 1,798 (README)"
    runs = json.loads((DATA / "reference" / "lcmcr_r.json").read_text())["runs"]
    found = [
        r["quantiles"]["0.5"]
        for r in runs
        if r["table"] == name and r["settings"]["K"] == K
    ]
    return ", ".join(f"{m:,.0f}" for m in sorted(found))


def _modes(result: Any) -> str:
    return "; ".join(f"{at:,.0f} ({share:.0%})" for at, share in result.modes())


def _table_rows(name: str, truth: int, r_name: str | None) -> list[str]:
    from aban.estimate.lcmcr import fit_lcmcr

    patterns, counts = _load(name)
    short = name.split("/")[-1]
    started = time.perf_counter()
    r_start = fit_lcmcr(
        patterns, counts, chains=4, init="r", sampler="gibbs", seed=1, **GIBBS
    )
    prior = fit_lcmcr(
        patterns, counts, chains=4, init="prior", sampler="gibbs", seed=1, **GIBBS
    )
    gibbs_s = time.perf_counter() - started
    rows = [
        f"| {short} | {counts.sum():,} | {truth:,} | Gibbs, 4 chains from R's start "
        f"| {', '.join(f'{m:,.0f}' for m in r_start.chain_medians())} | "
        f"{_modes(r_start)} | {gibbs_s / 2:.1f} |",
        f"| | | | Gibbs, 4 chains from the prior | "
        f"{', '.join(f'{m:,.0f}' for m in prior.chain_medians())} | {_modes(prior)} "
        f"| {gibbs_s / 2:.1f} |",
        f"| | | | R's LCMCR (recorded medians) | {_r_medians(r_name)} | | |",
    ]
    for seed in (1, 2, 3):
        started = time.perf_counter()
        smc = fit_lcmcr(patterns, counts, K=K, sampler="smc", seed=seed)
        seconds = time.perf_counter() - started
        rows.append(
            f"| | | | sequential Monte Carlo, seed {seed} (two populations) | "
            f"{', '.join(f'{m:,.0f}' for m in smc.chain_medians())} | {_modes(smc)} "
            f"| {seconds:.1f} |"
        )
    return rows


def _crossing() -> list[str]:
    from aban.estimate.lcmcr import fit_lcmcr

    patterns, counts = _load(CROSSING)
    cut = 1_800
    gibbs = fit_lcmcr(
        patterns,
        counts,
        K=10,
        sampler="gibbs",
        burnin=20_000,
        samples=40_000,
        thinning=200,
        chains=8,
        seed=4,
    )
    per_chain = (gibbs.draws > cut).mean(axis=1)
    lines = [
        "| sampler | share of the draws above 1,800 (upper mode) | "
        "by chain or population | R-hat of N |",
        "|---|---|---|---|",
        f"| Gibbs, 8 chains x 1,620,000 iterations | {(gibbs.draws > cut).mean():.2f} "
        f"| {', '.join(f'{s:.2f}' for s in per_chain)} | {gibbs.rhat:.3f} |",
    ]
    shares = []
    for seed in (1, 2, 3):
        smc = fit_lcmcr(patterns, counts, K=10, sampler="smc", samples=4_000, seed=seed)
        pops = (smc.draws > cut).mean(axis=1)
        shares.extend(pops)
        lines.append(
            f"| sequential Monte Carlo, seed {seed} | {(smc.draws > cut).mean():.2f} "
            f"| {', '.join(f'{s:.2f}' for s in pops)} | {smc.rhat:.3f} |"
        )
    lines.append(
        f"\nSequential Monte Carlo's populations: median share {median(shares):.2f}, "
        f"range {min(shares):.2f}-{max(shares):.2f}."
    )
    return lines


def run() -> str:
    """The section's Markdown."""
    lines = [
        f"Each table at K={K}, a = b = 0.25. Gibbs: {GIBBS['burnin']:,} burn-in, "
        f"{GIBBS['samples']:,} draws at thinning {GIBBS['thinning']} over the chains; "
        "sequential Monte Carlo: 500 particles, two populations, 40 moves a step "
        "(the defaults). Modes: of the pooled draws of N, with their share. "
        "Seconds: wall time of the fit (Gibbs: per set of four chains).",
        "",
        "| table | seen | truth | sampler | chain / population medians | modes "
        "(share) | s |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, truth, r_name in TABLES:
        lines.extend(_table_rows(name, truth, r_name))
    lines += [
        "",
        f"A 10-list table whose Gibbs chains cross between the modes "
        f"(`{CROSSING.split('/')[-1]}`, 564 of 2,400 seen, K=10): the share of the "
        "upper mode by long Gibbs chains is the reference for sequential Monte "
        "Carlo's.",
        "",
        *_crossing(),
    ]
    return "\n".join(lines) + "\n"
