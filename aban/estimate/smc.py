"""LCMCR's posterior by sequential Monte Carlo: people added a batch at a time.

On many sparse lists the LCMCR posterior can have separated modes (class
structures that a Gibbs chain does not leave), so chains report the mode they
started near. This sampler does not rely on a chain crossing between modes. It is
N. Chopin's IBIS ("A sequential particle filter method for static models",
Biometrika 89, 2002): a population of parameter sets ("particles") is drawn from
the prior, and the observed people are added in a random order, a batch at a
time. After each batch every particle is weighted by the likelihood of the people
just added (the conditional likelihood of :func:`aban.estimate.kernels.log_likelihood`,
which is what the model leaves once n0 is integrated out under p(N) ~ 1/N); the
batch is as large as keeps the weights' effective sample size above half the
particles; the population is then resampled (systematic resampling) and each
particle moved by :data:`MOVES` Gibbs sweeps of :mod:`aban.estimate.kernels` on
the people added so far. A mode that the data make likely keeps particles in
proportion to its posterior mass, whichever mode a chain would have found. At the
end each particle sweeps :data:`SETTLE` times on all the data, then its N is
recorded every :data:`GAP` sweeps.

Two populations run side by side (one per core); they are independent, so the
rank R-hat between them says whether the population was large enough.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from aban.estimate.lcmcr import (
    ChainState,
    LcmcrResult,
    _Chain,
    _csr,
    _kernels,
    _summarize,
    kernel_arrays,
)

__all__ = ["sample_smc"]

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
# Most people weighed in one step (bounds the particles x people array), and the
# fewest looked ahead at: a step looks at four times as many people as the last
# step took, and twice as many again while the batch would take them all.
MAX_BATCH = 4_000
FIRST_WINDOW = 64
# The weights' effective sample size, as a share of the particles, that a batch
# may bring them down to before the population is resampled and moved.
ESS_FLOOR = 0.5
# Sweeps of every particle on all the data once everyone is added, before the
# first draw of N is recorded, and between two recorded draws.
SETTLE = 50
GAP = 5
# Gibbs sweeps that move each particle after each resampling.
MOVES = 40


@dataclass
class _Population:
    """The state arrays of a population of particles (see kernels.run_sweeps)."""

    ratio: F64
    pi: F64
    prod0: F64
    seen: F64
    base: F64
    scalars: F64

    def take(self, rows: I64) -> None:
        """Keep the particles ``rows`` (resampling), in place."""
        for name in ("ratio", "pi", "prod0", "seen", "base", "scalars"):
            setattr(self, name, np.ascontiguousarray(getattr(self, name)[rows]))


def _prior_population(
    rng: np.random.Generator,
    particles: int,
    n_list: int,
    n_class: int,
    a_alpha: float,
    b_alpha: float,
) -> _Population:
    """Particles drawn from the prior: alpha ~ Gamma(a, b), sticks V_k ~ Beta(1,
    alpha) on the log scale (1 - V = U^(1/alpha)), lambda_jk ~ Uniform(0, 1)."""
    alpha = rng.gamma(a_alpha, 1.0 / b_alpha, size=particles)
    alpha = np.maximum(alpha, 1e-300)
    log1m_v = np.log1p(-rng.random((particles, n_class - 1))) / alpha[:, None]
    log_v = np.log(-np.expm1(np.minimum(log1m_v, -1e-300)))
    log_left = np.concatenate(
        [np.zeros((particles, 1)), np.cumsum(log1m_v, axis=1)], axis=1
    )
    pi = np.exp(log_left + np.concatenate([log_v, np.zeros((particles, 1))], axis=1))
    lam = np.clip(rng.random((particles, n_list, n_class)), 1e-12, 1.0 - 1e-12)
    ratio, pi, prod0, seen, base = kernel_arrays(ChainState(lam, pi, 0.0, 0))
    return _Population(
        ratio=ratio,
        pi=pi,
        prod0=prod0,
        seen=seen,
        base=base,
        scalars=np.stack([alpha, np.zeros(particles)], axis=1),
    )


def _batch(log_w: F64, gains: F64) -> int:
    """How many of the next people to add: the most whose cumulative log
    likelihood gains (particles x people) keep the weights' ESS at or above
    :data:`ESS_FLOOR` of the particles; at least one."""
    total = log_w[:, None] + gains
    total -= total.max(axis=0, keepdims=True)
    w = np.exp(total)
    ess = w.sum(axis=0) ** 2 / (w * w).sum(axis=0)
    ok = np.nonzero(ess >= ESS_FLOOR * log_w.shape[0])[0]
    return int(ok[-1]) + 1 if ok.size else 1


def _systematic(rng: np.random.Generator, log_w: F64) -> I64:
    """Systematic resampling: particle indices in proportion to their weights."""
    w = np.exp(log_w - log_w.max())
    edges = np.cumsum(w / w.sum())
    edges[-1] = 1.0
    points = (rng.random() + np.arange(log_w.shape[0])) / log_w.shape[0]
    return np.asarray(np.searchsorted(edges, points), dtype=np.int64)


def _population(
    patterns: npt.NDArray[np.int8],
    counts: I64,
    settings: dict[str, Any],
    samples: int,
    seed: np.random.SeedSequence,
    report: Callable[[int], None],
) -> tuple[_Chain, int]:
    """Run one population; returns the draws of N, alpha and occupied classes,
    and the number of resample-move steps."""
    kern = _kernels()
    rng = np.random.default_rng(seed)
    rs = kern.new_state(seed.spawn(1)[0])
    particles, moves = int(settings["particles"]), MOVES
    n_class = int(settings["K"])
    prior = np.array([settings["a_alpha"], settings["b_alpha"]])
    ptr, idx = _csr(patterns)
    pop = _prior_population(
        rng, particles, patterns.shape[1], n_class, *(float(x) for x in prior)
    )
    owner = rng.permutation(np.repeat(np.arange(counts.shape[0]), counts))
    added = np.zeros(counts.shape[0], dtype=np.int64)
    log_w = np.zeros(particles)
    none = np.empty(0, dtype=np.int64)
    done, steps = 0, 0

    def sweep(n_iter: int, thinning: int, out: tuple[I64, F64, I64]) -> None:
        kern.run_sweeps(
            rs,
            ptr,
            idx,
            np.broadcast_to(added, (particles, added.shape[0])).copy(),
            prior,
            pop.ratio,
            pop.pi,
            pop.prod0,
            pop.seen,
            pop.base,
            pop.scalars,
            n_iter,
            thinning,
            *out,
            0,
            False,
        )

    scratch = (none, np.empty(0), none)
    window = FIRST_WINDOW
    while done < owner.shape[0]:
        while True:
            ahead = owner[done : done + window]
            rows, where = np.unique(ahead, return_inverse=True)
            terms = np.empty((particles, rows.shape[0]))
            kern.pattern_log_likelihoods(
                ptr, idx, rows, pop.ratio, pop.pi, pop.prod0, pop.seen, terms
            )
            gains = terms[:, where.ravel()]
            size = _batch(log_w, np.cumsum(gains, axis=1))
            if size < ahead.shape[0] or done + window >= owner.shape[0]:
                break
            window *= 2
        log_w += gains[:, :size].sum(axis=1)
        np.add.at(added, ahead[:size], 1)
        done += size
        window = min(MAX_BATCH, max(FIRST_WINDOW, 4 * size))
        pop.take(_systematic(rng, log_w))
        log_w[:] = 0.0
        kern.refresh_unseen(rs, done, pop.pi, pop.prod0, pop.seen, pop.scalars)
        sweep(moves, 0, scratch)
        steps += 1
        report(size)
    rounds = -(-samples // particles)
    n_draws = np.empty((rounds, particles), dtype=np.int64)
    alpha = np.empty((rounds, particles))
    occupied = np.empty((rounds, particles), dtype=np.int64)
    one = (np.empty(1, dtype=np.int64), np.empty(1), np.empty(1, dtype=np.int64))
    sweep(SETTLE, 0, scratch)
    for r in range(rounds):
        sweep(GAP, GAP, one)
        n_draws[r] = done + pop.scalars[:, 1].astype(np.int64)
        alpha[r] = pop.scalars[:, 0]
        occupied[r] = (pop.pi > 1e-3).sum(axis=1)
    return _Chain(n_draws.T.ravel(), alpha.T.ravel(), occupied.T.ravel()), steps


def sample_smc(
    patterns: npt.NDArray[np.int8],
    counts: I64,
    settings: dict[str, Any],
    progress: Callable[[int], None],
) -> LcmcrResult:
    """The LCMCR posterior of N by sequential Monte Carlo (see the module docstring).

    Called by :func:`aban.estimate.lcmcr.fit_lcmcr` (``sampler="smc"``), which
    checks the settings and the table. ``settings["chains"]`` independent
    populations of ``settings["particles"]`` particles each, run in parallel
    threads; each keeps ``samples / chains`` draws (rounded up to a multiple of
    the particles), each particle sweeping :data:`GAP` times between draws.
    ``progress`` is called with the number of people just added by one population.

    Returns:
        The posterior of N as :func:`fit_lcmcr` returns it: ``draws`` has shape
        (populations, draws per population); ``settings["steps"]`` holds each
        population's number of resample-move steps.
    """
    chains = int(settings["chains"])
    per_chain = -(-int(settings["samples"]) // chains)
    children = np.random.SeedSequence(int(settings["seed"])).spawn(chains)
    _kernels()

    def one(child: np.random.SeedSequence) -> tuple[_Chain, int]:
        return _population(patterns, counts, settings, per_chain, child, progress)

    with ThreadPoolExecutor(max_workers=min(chains, os.cpu_count() or 1)) as pool:
        runs = list(pool.map(one, children))
    return _summarize(
        [chain for chain, _ in runs],
        int(counts.sum()),
        {**settings, "moves": MOVES, "steps": [steps for _, steps in runs]},
        patterns.shape[1],
    )
