"""LCMCR's coverage in its own world, on many fresh populations.

The simulation study (`mse_study`) runs every method on 200 latent-class
populations; 200 give coverage to about +-4 points, too coarse to tell 89% from
90%. Here LCMCR alone runs on 1,000 new latent-class populations (seeds the
study does not use), with the study's settings,
and the coverage of its 50%, 80%, 90% and 95% intervals is reported with a
Wilson 95% interval. A calibrated method covers each level's share of the time.
A second run on fewer populations uses ten times longer chains, to show that the
result is the model's and not Monte Carlo error.

Many sparse lists. The last table leaves LCMCR's 5-source world for tables shaped
like a 20-list Colombia stratum, drawn by `aban.estimate.simtables.sparse_lists`
(the generator of tests/data/reference/sparse/): 10 and 20 lists, a nearly hidden
class, many tiny lists, most patterns seen once. On each it reports how often the
95% interval covers the true N, the median relative error of the posterior
median, and how often the result warns of disagreeing chains or of a mode left
out, for Gibbs chains started as R's LCMCR starts (R's answer) and for the default
(sequential Monte Carlo from 10 lists up).
"""

from __future__ import annotations

import math
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from aban.estimate.lcmcr import fit_lcmcr
from aban.estimate.simtables import sparse_lists
from bench.mse_study import LCMCR, PERSONS, SOURCES, Z95, population, table_of

TITLE = "LCMCR coverage in the latent-class world (many populations)"
POPULATIONS = 1_000
LONG_POPULATIONS = 200
FIRST_SEED = 20_000
LONG = {**LCMCR, "burnin": 200_000, "samples": 2_000, "thinning": 100}
LEVELS = (0.50, 0.80, 0.90, 0.95)
SPARSE_LISTS = (10, 20)
SPARSE_TABLES = 20  # per number of lists, seeds 1 on
SPARSE_PEOPLE = 2_400
SPARSE = {"K": 15, "burnin": 50_000, "samples": 2_000, "thinning": 50, "chains": 4}
#: The samplers compared on the sparse tables: Gibbs chains all started as R's
#: LCMCR starts (R's answer), and the default (sequential Monte Carlo from 10 lists,
#: with its Gibbs check; 2 populations).
SAMPLERS = (
    (
        "Gibbs, 4 chains started as R's LCMCR",
        {**SPARSE, "sampler": "gibbs", "init": "r"},
    ),
    ("default: sequential Monte Carlo", {"K": 15, "samples": 2_000}),
)


def fit(job: tuple[int, bool]) -> tuple[float, list[tuple[float, float]]]:
    """Posterior median and the central intervals of :data:`LEVELS` (one population)."""
    seed, long = job
    captures, _, _ = population("latent-class", seed, SOURCES)
    patterns, counts = table_of(captures)
    draws = fit_lcmcr(patterns, counts, seed=seed, **(LONG if long else LCMCR)).draws
    bounds = [
        (
            float(np.quantile(draws, (1 - level) / 2)),
            float(np.quantile(draws, (1 + level) / 2)),
        )
        for level in LEVELS
    ]
    return float(np.median(draws)), bounds


def fit_sparse(job: tuple[int, int, int]) -> tuple[float, float, float, float]:
    """Median, 95% interval and whether it warns of disagreeing chains or modes
    (1.0 or 0.0), on one simulated sparse table with one sampler."""
    n_lists, seed, sampler = job
    patterns, counts, _ = sparse_lists(n_lists, SPARSE_PEOPLE, seed)
    res = fit_lcmcr(patterns, counts, seed=seed, **SAMPLERS[sampler][1])  # type: ignore[arg-type]
    warned = any(("R-hat" in w or "mode" in w) for w in res.warnings())
    return res.median, res.lower, res.upper, float(warned)


def sparse_rows(
    n_lists: int, label: str, results: list[tuple[float, float, float, float]]
) -> str:
    """One row: coverage of the truth, relative error, width, disagreeing chains."""
    n = len(results)
    hits = sum(low <= SPARSE_PEOPLE <= high for _, low, high, _ in results)
    low, high = wilson(hits, n)
    errors = np.array([m / SPARSE_PEOPLE - 1 for m, *_ in results])
    width = np.mean([(h - lo) / SPARSE_PEOPLE for _, lo, h, _ in results])
    split = int(sum(warned for *_, warned in results))
    return (
        f"| {n_lists} | {label} | {n} | {100 * hits / n:.1f}% "
        f"| {100 * low:.1f}-{100 * high:.1f}% "
        f"| {100 * np.median(errors):+.1f}% | {100 * np.median(np.abs(errors)):.1f}% "
        f"| {100 * width:.1f}% | {split} of {n} |"
    )


def sparse_section() -> list[str]:
    """The many-list table (a minute or two on two processes)."""
    jobs = [
        (j, s, k)
        for j in SPARSE_LISTS
        for k in range(len(SAMPLERS))
        for s in range(1, SPARSE_TABLES + 1)
    ]
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(fit_sparse, jobs, chunksize=2))
    settings = ", ".join(f"{k}={v:,}" for k, v in SPARSE.items())
    lines = [
        f"Sparse many-list tables: `sparse_lists(J, {SPARSE_PEOPLE:_}, seed)`, "
        f"seeds 1-{SPARSE_TABLES}, true N {SPARSE_PEOPLE:,}. Gibbs: {settings}. "
        "Sequential Monte Carlo: K=15, 500 particles, 2 populations, with its Gibbs "
        "check. 'Warned': the result warns of disagreeing chains, populations or a "
        "mode outside the interval.",
        "",
        "| lists | sampler | tables | 95% coverage | Wilson 95% | median relative "
        "error | median absolute error | mean width | warned |",
        "|---:|---|---:|---:|---|---:|---:|---:|---|",
    ]
    for i in range(len(SPARSE_LISTS) * len(SAMPLERS)):
        part = results[i * SPARSE_TABLES : (i + 1) * SPARSE_TABLES]
        n_lists = SPARSE_LISTS[i // len(SAMPLERS)]
        lines.append(sparse_rows(n_lists, SAMPLERS[i % len(SAMPLERS)][0], part))
    return lines


def wilson(hits: int, n: int) -> tuple[float, float]:
    """The Wilson score 95% interval of a proportion."""
    p, z2 = hits / n, Z95**2
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return centre - half, centre + half


def rows(label: str, results: list[tuple[float, list[tuple[float, float]]]]) -> str:
    """One table row per interval level."""
    medians = np.array([r[0] for r in results]) / PERSONS - 1
    out = []
    for i, level in enumerate(LEVELS):
        hits = sum(low <= PERSONS <= high for _, b in results for low, high in [b[i]])
        low, high = wilson(hits, len(results))
        width = np.mean([(b[i][1] - b[i][0]) / PERSONS for _, b in results])
        out.append(
            f"| {label} | {len(results):,} | {100 * level:.0f}% | "
            f"{100 * hits / len(results):.1f}% | {100 * low:.1f}-{100 * high:.1f}% | "
            f"{100 * width:.1f}% | {100 * medians.mean():+.1f}% |"
        )
    return "\n".join(out)


def run() -> str:
    started = time.perf_counter()
    seeds = range(FIRST_SEED, FIRST_SEED + POPULATIONS)
    with ProcessPoolExecutor(max_workers=2) as pool:
        short = list(pool.map(fit, [(s, False) for s in seeds], chunksize=8))
        long = list(
            pool.map(fit, [(s, True) for s in seeds[:LONG_POPULATIONS]], chunksize=4)
        )
    sparse = sparse_section()
    minutes = (time.perf_counter() - started) / 60
    settings = ", ".join(f"{k}={v:,}" for k, v in LCMCR.items())
    long_settings = ", ".join(f"{k}={v:,}" for k, v in LONG.items())
    return "\n".join(
        [
            __doc__.split("\n\n", 1)[1].strip(),
            "",
            f"Populations of {PERSONS:,} persons, {SOURCES} sources "
            f"(seeds {FIRST_SEED:,} on). Study settings: {settings}. "
            f"Long chains: {long_settings}, on the first {LONG_POPULATIONS} "
            "populations.",
            "",
            "| chains | populations | interval | coverage | Wilson 95% | mean width "
            "| median's bias |",
            "|---|---:|---:|---:|---|---:|---:|",
            rows("study settings", short),
            rows("study settings, first 200", short[:LONG_POPULATIONS]),
            rows("long chains, same 200", long),
            "",
            *sparse,
            "",
            f"Run time {minutes:.1f} minutes on 2 processes.",
        ]
    )
