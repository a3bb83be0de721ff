"""Each step of the compiled LCMCR sampler against its NumPy twin's exact formulas.

The two engines cannot share a random stream, so every step is checked through
its distribution: the mean of many kernel draws must match the exact expectation
(the NumPy twin's formula) within 5 Monte Carlo standard errors, and so must the
NumPy twin's own draws. Seeds are fixed: the tests are deterministic.
"""

from __future__ import annotations

import numba
import numpy as np
import pytest

from aban.estimate import kernels
from aban.estimate.lcmcr import (
    ChainState,
    _csr,
    allocate_numpy,
    class_probabilities,
    draw_n0_numpy,
    kernel_arrays,
    unseen_probability,
    update_lambda_numpy,
    update_sticks_numpy,
)

REPS = 4000
Z_MAX = 5.0

PATTERNS = np.array(
    [
        [1, 0, 0, 0],
        [0, 1, 0, 0],
        [1, 1, 0, 0],
        [0, 0, 1, 1],
        [1, 1, 1, 1],
        [0, 1, 0, 1],
    ],
    dtype=np.int8,
)
# Counts of 1 (categorical draw), small (categorical tail), and large (binomials).
COUNTS = np.array([1, 3, 40, 900, 1, 12], dtype=np.int64)
N0 = 2500


def _state(n_class: int = 5, seed: int = 0) -> ChainState:
    rng = np.random.default_rng(seed)
    lam = rng.uniform(0.05, 0.7, size=(PATTERNS.shape[1], n_class))
    pi = rng.dirichlet(np.ones(n_class))
    return ChainState(lam=lam, pi=pi, alpha=0.7, n0=N0)


def _rs(seed: int) -> np.ndarray:
    return kernels.new_state(np.random.SeedSequence(seed))


@numba.njit
def _allocate_many(reps, rs, ptr, idx, counts, n0, ratio, base, pi, logs):
    n_list, n_class = ratio.shape
    order = np.arange(n_class)
    kernels.sort_classes(pi, order)
    w = np.empty(n_class)
    work = np.empty((3, n_class))
    nk = np.empty(n_class, dtype=np.int64)
    sjk = np.empty((n_list, n_class), dtype=np.int64)
    total_nk = np.zeros(n_class)
    total_sjk = np.zeros((n_list, n_class))
    for _ in range(reps):
        if not kernels.allocate(
            rs, ptr, idx, counts, n0, ratio, base, order, w, work, nk, sjk, logs
        ):
            return total_nk, total_sjk, False
        total_nk += nk
        total_sjk += sjk
    return total_nk / reps, total_sjk / reps, True


@numba.njit
def _lambda_many(reps, rs, nk, sjk, ratio, prod0, seen):
    total = np.zeros(ratio.shape)
    worst = 0.0
    for _ in range(reps):
        kernels.update_lambda(rs, nk, sjk, ratio, prod0, seen)
        lam = ratio / (1.0 + ratio)
        total += lam
        for k in range(ratio.shape[1]):
            p = 1.0
            for j in range(ratio.shape[0]):
                p *= 1.0 - lam[j, k]
            worst = max(worst, abs(p - prod0[k]), abs(1.0 - p - seen[k]))
    return total / reps, worst


@numba.njit
def _sticks_many(reps, rs, nk, alpha, pi):
    """Mean of each V_k recovered from pi, over the draws where it is recoverable."""
    total_v = np.zeros(pi.shape[0] - 1)
    used = np.zeros(pi.shape[0] - 1)
    worst = 0.0
    for _ in range(reps):
        stat = kernels.update_sticks(rs, nk, alpha, pi)
        left = 1.0
        for k in range(pi.shape[0] - 1):
            if left > 1e-200:
                total_v[k] += pi[k] / left
                used[k] += 1
            left -= pi[k]
        if pi[-1] > 0.0:
            worst = max(worst, abs(stat - np.log(pi[-1])))
        worst = max(worst, abs(pi.sum() - 1.0))
    return total_v / np.maximum(used, 1.0), used, worst


@numba.njit
def _alpha_many(reps, rs, stat, n_class, a, b):
    out = np.empty(reps)
    for i in range(reps):
        out[i] = kernels.update_alpha(rs, stat, n_class, a, b)
    return out


@numba.njit
def _n0_many(reps, rs, n_obs, pi, prod0, seen):
    out = np.empty(reps)
    for i in range(reps):
        out[i] = kernels.draw_n0(rs, n_obs, pi, prod0, seen)
    return out


def test_class_bases_drop_only_weights_no_draw_could_pick():
    pi = np.array([0.6, 0.3, 1e-150, 1e-290, 0.1])
    prod0 = np.array([0.5, 1e-3, 0.5, 0.5, 1e-210])
    base = np.empty(5)
    kernels.class_bases(pi, prod0, base)
    assert base.tolist() == [0.3, 3e-4, 5e-151, 0.0, 0.0]


def _expected_allocation(state: ChainState) -> tuple[np.ndarray, ...]:
    """Exact mean and variance of nk, and mean of sjk, from the NumPy formulas."""
    rows = np.vstack([PATTERNS, np.zeros((1, PATTERNS.shape[1]), dtype=np.int8)])
    probs = class_probabilities(rows, state.lam, state.pi)
    counts = np.append(COUNTS, N0).astype(float)
    mean_nk = counts @ probs
    var_nk = counts @ (probs * (1.0 - probs))
    mean_sjk = PATTERNS.T.astype(float) @ (COUNTS[:, None] * probs[:-1])
    return mean_nk, var_nk, mean_sjk


def test_class_weights_match_the_exact_class_probabilities():
    state = _state(seed=1)
    ratio, pi, prod0, seen, base = kernel_arrays(state)
    ptr, idx = _csr(PATTERNS)
    exact = class_probabilities(PATTERNS, state.lam, state.pi)
    w = np.empty(pi.shape[0])
    for row in range(PATTERNS.shape[0]):
        total = kernels.class_weights(ptr, idx, row, ratio, base, w)
        assert np.allclose(w / total, exact[row], rtol=1e-12, atol=0)
        total = kernels.log_class_weights(ptr, idx, row, ratio, base, w)
        assert np.allclose(w / total, exact[row], rtol=1e-12, atol=0)
    total = kernels.class_weights(ptr, idx, -1, ratio, base, w)
    zero = class_probabilities(np.zeros((1, 4), dtype=np.int8), state.lam, state.pi)
    assert np.allclose(w / total, zero[0], rtol=1e-12)


def test_allocate_refuses_an_underflowing_product_and_logs_recover_it():
    # 40 lists that all recorded one person, with tiny capture probabilities:
    # the product of 40 odds of 1e-9 underflows double precision.
    patterns = np.ones((1, 40), dtype=np.int8)
    lam = np.full((40, 3), 1e-9)
    lam[:, 1] = 2e-9
    state = ChainState(lam=lam, pi=np.array([0.5, 0.3, 0.2]), alpha=1.0, n0=0)
    ratio, pi, _, _, base = kernel_arrays(state)
    ptr, idx = _csr(patterns)
    counts = np.array([1000], dtype=np.int64)
    _, _, ok = _allocate_many(1, _rs(1), ptr, idx, counts, 0, ratio, base, pi, False)
    assert not ok
    mean_nk, _, ok = _allocate_many(
        200, _rs(1), ptr, idx, counts, 0, ratio, base, pi, True
    )
    assert ok
    exact = class_probabilities(patterns, lam, state.pi)[0] * 1000
    assert exact[1] > 999  # twice the odds on 40 lists: 2^40 times as likely
    assert np.allclose(mean_nk, exact, atol=0.5)


@pytest.mark.parametrize("logs", [False, True])
def test_allocate_draws_the_exact_multinomial_means(logs):
    state = _state(seed=2)
    ratio, pi, _, _, base = kernel_arrays(state)
    ptr, idx = _csr(PATTERNS)
    mean_nk, mean_sjk, ok = _allocate_many(
        REPS, _rs(2), ptr, idx, COUNTS, N0, ratio, base, pi, logs
    )
    assert ok
    exact_nk, var_nk, exact_sjk = _expected_allocation(state)
    assert mean_nk.sum() == pytest.approx(COUNTS.sum() + N0)
    assert np.all(np.abs(mean_nk - exact_nk) < Z_MAX * np.sqrt(var_nk / REPS) + 1e-9)
    # sjk's variance is at most its mean's binomial bound: a loose but sound scale.
    scale = np.sqrt(np.maximum(exact_sjk, 1.0) / REPS)
    assert np.all(np.abs(mean_sjk - exact_sjk) < Z_MAX * scale)


def test_numpy_twin_allocation_draws_the_same_means():
    state = _state(seed=2)
    rng = np.random.default_rng(2)
    draws = [allocate_numpy(rng, PATTERNS, COUNTS, state) for _ in range(REPS)]
    mean_nk = np.mean([d[0] for d in draws], axis=0)
    exact_nk, var_nk, exact_sjk = _expected_allocation(state)
    assert np.all(np.abs(mean_nk - exact_nk) < Z_MAX * np.sqrt(var_nk / REPS) + 1e-9)
    assert np.allclose(np.mean([d[1] for d in draws], axis=0), exact_sjk, atol=2.0)


def test_update_lambda_draws_beta_means_and_keeps_products_consistent():
    nk = np.array([500, 40, 3, 0, 0], dtype=np.int64)
    sjk = np.array([[200, 10, 3, 0, 0], [0, 40, 1, 0, 0]], dtype=np.int64)
    lam0 = np.full((2, 5), 0.5)
    ratio, _, prod0, seen, _ = kernel_arrays(ChainState(lam0, np.full(5, 0.2), 1.0, 0))
    mean, worst = _lambda_many(REPS, _rs(3), nk, sjk, ratio, prod0, seen)
    a, b = 1.0 + sjk, 1.0 + nk - sjk
    exact = a / (a + b)
    sd = np.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    assert np.all(np.abs(mean - exact) < Z_MAX * sd / np.sqrt(REPS))
    assert worst < 1e-12
    twin = np.mean(
        [update_lambda_numpy(np.random.default_rng(i), nk, sjk) for i in range(REPS)],
        axis=0,
    )
    assert np.all(np.abs(twin - exact) < Z_MAX * sd / np.sqrt(REPS))


@pytest.mark.parametrize("alpha", [0.05, 0.7, 3.0])
def test_update_sticks_draws_the_stick_breaking_conditional(alpha):
    nk = np.array([800, 0, 150, 7, 0, 0], dtype=np.int64)
    pi = np.full(6, 1 / 6)
    mean_v, used, worst = _sticks_many(REPS, _rs(4), nk, alpha, pi)
    later = nk.sum() - np.cumsum(nk)
    a, b = 1.0 + nk[:-1], alpha + later[:-1]
    exact = a / (a + b)
    sd = np.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    # With a tiny alpha the sticks after the last occupied class take all that is
    # left and the rest underflows: V_k is then unrecoverable from pi.
    full = used == REPS
    assert full[:4].all()
    assert np.all(np.abs(mean_v - exact)[full] < Z_MAX * sd[full] / np.sqrt(REPS))
    # The returned statistic is sum log(1 - V_k) = log(pi_K).
    assert worst < 1e-9
    rng = np.random.default_rng(4)
    twin = np.array([update_sticks_numpy(rng, nk, alpha)[0] for _ in range(REPS)])
    left = 1.0 - np.hstack([np.zeros((REPS, 1)), np.cumsum(twin[:, :-2], axis=1)])
    for k in np.flatnonzero(full):
        v = twin[:, k] / left[:, k]
        assert abs(v.mean() - exact[k]) < Z_MAX * sd[k] / np.sqrt(REPS)


def test_update_alpha_draws_its_gamma_conditional():
    stat, n_class, a, b = -12.5, 10, 0.25, 0.25
    draws = _alpha_many(20 * REPS, _rs(5), stat, n_class, a, b)
    shape, rate = a + n_class - 1, b - stat
    assert abs(draws.mean() - shape / rate) < Z_MAX * np.sqrt(shape) / rate / np.sqrt(
        draws.size
    )
    assert draws.var() == pytest.approx(shape / rate**2, rel=0.05)


def test_draw_n0_has_the_negative_binomial_mean_and_variance():
    state = _state(seed=6)
    _, pi, prod0, seen, _ = kernel_arrays(state)
    n_obs = int(COUNTS.sum())
    draws = _n0_many(20 * REPS, _rs(6), n_obs, pi, prod0, seen)
    pi0, p_seen = unseen_probability(state.lam, state.pi)
    mean, var = n_obs * pi0 / p_seen, n_obs * pi0 / p_seen**2
    assert pi0 + p_seen == pytest.approx(1.0)
    assert abs(draws.mean() - mean) < Z_MAX * np.sqrt(var / draws.size)
    assert draws.var() == pytest.approx(var, rel=0.05)
    rng = np.random.default_rng(6)
    twin = np.array(
        [draw_n0_numpy(rng, n_obs, state.lam, state.pi) for _ in range(REPS)]
    )
    assert abs(twin.mean() - mean) < Z_MAX * np.sqrt(var / twin.size)
