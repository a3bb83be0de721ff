"""Compiled (numba) kernels of the LCMCR Gibbs sampler.

Each kernel has a NumPy reference twin in :mod:`aban.estimate.lcmcr`; the tests
check the two against each other distributionally (the random streams differ).

The sampler works on capture *patterns*, never on individuals: a pattern is the
list of the lists that recorded it (CSR: ``ptr``, ``idx``) and its count. The
state of a chain is kept in arrays that the kernels update in place, so an
iteration allocates nothing:

- ``ratio[j, k]`` = lambda_jk / (1 - lambda_jk), the odds that list j records a
  member of latent class k;
- ``prod0[k]`` = prod_j (1 - lambda_jk), the probability that class k goes unseen;
- ``seen[k]`` = 1 - prod0[k], computed without cancellation;
- ``pi[k]`` the class weights and ``base[k]`` = pi[k] * prod0[k];
- ``order``: the classes by decreasing weight, so that a sequential-binomial
  multinomial draw usually stops after the few classes that matter.

Class probabilities of a pattern x are proportional to
``base[k] * prod_{j: x_j = 1} ratio[j, k]``: products, no logarithms or
exponentials, with a log-space fallback when a product under- or overflows.

Random numbers come from the chain's own xoshiro256** state ``rs`` (see
:mod:`aban.estimate._rng`). Multinomial draws are sequential binomials; Beta
draws are ratios of two gamma draws (a uniform when both shapes are 1).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from aban.estimate._rng import (
    binomial,
    gamma,
    jit,
    jit_inline,
    new_state,
    poisson,
    uniform,
)

__all__ = [
    "allocate",
    "class_weights",
    "log_class_weights",
    "draw_n0",
    "new_state",
    "run_sweeps",
    "sort_classes",
    "update_alpha",
    "update_lambda",
    "update_sticks",
]

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
U64 = npt.NDArray[np.uint64]

# Smallest value a gamma draw may take before it enters a ratio or a logarithm:
# a draw that underflows to 0 would make a class weight exactly 0 or infinite.
TINY = 1e-300
# Upper bound on the Poisson mean of the unseen count, far beyond any real
# population: keeps the int64 draw defined when a chain wanders off.
MAX_UNSEEN_MEAN = 1e15
# Individuals left per remaining class below which _multinomial switches to one
# categorical draw per individual (tuned on the Kosovo table).
TAIL_PER_CLASS = 1


@jit_inline
def class_weights(ptr: I64, idx: I64, row: int, ratio: F64, base: F64, w: F64) -> float:
    """Unnormalised class probabilities of pattern ``row`` into ``w``, and their sum.

    ``row == -1`` is the all-zero (unseen) pattern. The sum is 0 or infinite when
    the product under- or overflowed: then call :func:`log_class_weights`.
    """
    n_class = base.shape[0]
    for k in range(n_class):
        w[k] = base[k]
    if row >= 0:
        for t in range(ptr[row], ptr[row + 1]):
            j = idx[t]
            for k in range(n_class):
                w[k] *= ratio[j, k]
    total = 0.0
    for k in range(n_class):
        total += w[k]
    return total


@jit
def log_class_weights(
    ptr: I64, idx: I64, row: int, ratio: F64, base: F64, w: F64
) -> float:
    """:func:`class_weights` through logarithms, rescaled to a largest weight of 1.

    Kept out of :func:`class_weights`: its mere presence there slows the common
    case threefold.
    """
    n_class = base.shape[0]
    top = -math.inf
    for k in range(n_class):
        lw = math.log(base[k]) if base[k] > 0.0 else -math.inf
        if row >= 0:
            for t in range(ptr[row], ptr[row + 1]):
                lw += math.log(ratio[idx[t], k])
        w[k] = lw
        top = max(top, lw)
    total = 0.0
    for k in range(n_class):
        w[k] = math.exp(w[k] - top)
        total += w[k]
    return total


@jit_inline
def _categorical(rs: U64, w: F64, total: float) -> int:
    """Index k with probability w[k] / total."""
    u = uniform(rs) * total
    acc = 0.0
    last = 0
    for k in range(w.shape[0]):
        if w[k] > 0.0:
            acc += w[k]
            last = k
            if u < acc:
                return k
    return last


@jit_inline
def _categorical_tail(
    rs: U64, count: int, w: F64, order: I64, suffix: F64, first: int, m: I64
) -> None:
    """Add ``count`` categorical draws over classes ``order[first:]`` to ``m``."""
    last = order[first]
    for _ in range(count):
        u = uniform(rs) * suffix[first]
        acc = 0.0
        for i in range(first, order.shape[0]):
            k = order[i]
            if w[k] > 0.0:
                acc += w[k]
                last = k
                if u < acc:
                    break
        m[last] += 1


@jit
def _multinomial(rs: U64, count: int, w: F64, order: I64, suffix: F64, m: I64) -> None:
    """Multinomial(count, w / sum(w)) into ``m``: sequential binomials over ``order``.

    Once few individuals are left for the remaining classes, one categorical draw
    each is cheaper than one binomial draw per class.
    """
    n_class = w.shape[0]
    acc = 0.0
    for i in range(n_class - 1, -1, -1):
        acc += w[order[i]]
        suffix[i] = acc
        m[i] = 0
    rest = count
    for i in range(n_class):
        if rest == 0:
            break
        k = order[i]
        if rest <= TAIL_PER_CLASS * (n_class - i):
            _categorical_tail(rs, rest, w, order, suffix, i, m)
            break
        p = w[k] / suffix[i] if suffix[i] > 0.0 else 0.0
        if p >= 1.0 or i == n_class - 1:
            m[k] = rest
            break
        if p > 0.0:
            x = binomial(rs, rest, p)
            m[k] = x
            rest -= x


@jit
def sort_classes(weight: F64, order: I64) -> None:
    """Re-sort the permutation ``order`` by decreasing ``weight``, in place.

    Insertion sort: K is small and ``order`` is usually nearly sorted already.
    """
    for i in range(1, order.shape[0]):
        k = order[i]
        j = i
        while j > 0 and weight[order[j - 1]] < weight[k]:
            order[j] = order[j - 1]
            j -= 1
        order[j] = k


@jit
def allocate(
    rs: U64,
    ptr: I64,
    idx: I64,
    counts: I64,
    n0: int,
    ratio: F64,
    base: F64,
    order: I64,
    w: F64,
    suffix: F64,
    m: I64,
    nk: I64,
    sjk: I64,
    logs: bool,
) -> bool:
    """Draw how many of each pattern's individuals fall in each class.

    Fills the sufficient statistics: ``nk[k]`` individuals in class k (the
    ``n0`` unseen ones included) and ``sjk[j, k]`` of them recorded by list j.
    ``w``, ``suffix`` and ``m`` are scratch space of length K. With ``logs`` the
    class weights are computed through logarithms (slow, never fails).

    Returns:
        False, having drawn nothing usable, when a product of class weights
        under- or overflowed: call again with ``logs=True``. Whether that
        happens depends on the parameters only, not on the draws. (Written as
        one function: numba calls that pass arrays cost more than this loop.)
    """
    nk[:] = 0
    sjk[:, :] = 0
    for row in range(counts.shape[0]):
        if logs:
            total = log_class_weights(ptr, idx, row, ratio, base, w)
        else:
            total = class_weights(ptr, idx, row, ratio, base, w)
            if not (total > 0.0 and total < math.inf):
                return False
        if counts[row] == 1:
            k = _categorical(rs, w, total)
            nk[k] += 1
            for t in range(ptr[row], ptr[row + 1]):
                sjk[idx[t], k] += 1
            continue
        _multinomial(rs, counts[row], w, order, suffix, m)
        for k in range(w.shape[0]):
            if m[k] > 0:
                nk[k] += m[k]
                for t in range(ptr[row], ptr[row + 1]):
                    sjk[idx[t], k] += m[k]
    if n0 > 0:
        class_weights(ptr, idx, -1, ratio, base, w)
        _multinomial(rs, n0, w, order, suffix, m)
        for k in range(w.shape[0]):
            nk[k] += m[k]
    return True


@jit
def update_lambda(
    rs: U64, nk: I64, sjk: I64, ratio: F64, prod0: F64, seen: F64
) -> None:
    """lambda_jk ~ Beta(1 + s_jk, 1 + n_k - s_jk); refresh ratio, prod0 and seen.

    An empty class draws Beta(1, 1), a uniform, directly.
    """
    n_list, n_class = sjk.shape
    for k in range(n_class):
        prod0[k] = 1.0
        seen[k] = 0.0
    for j in range(n_list):
        for k in range(n_class):
            if nk[k] == 0:
                # Beta(1, 1): a uniform, drawn away from 0 and 1.
                lam = max(uniform(rs), 1e-16)
                lam1m = 1.0 - lam
            else:
                g1 = max(gamma(rs, 1.0 + sjk[j, k]), TINY)
                g2 = max(gamma(rs, 1.0 + nk[k] - sjk[j, k]), TINY)
                lam = g1 / (g1 + g2)
                lam1m = g2 / (g1 + g2)
            ratio[j, k] = lam / lam1m
            prod0[k] *= lam1m
            seen[k] += (1.0 - seen[k]) * lam


@jit
def update_sticks(rs: U64, nk: I64, alpha: float, pi: F64) -> float:
    """V_k ~ Beta(1 + n_k, alpha + sum_{h>k} n_h), pi from the sticks.

    Returns:
        sum_{k<K} log(1 - V_k), the statistic of alpha's full conditional.
    """
    n_class = nk.shape[0]
    rest = nk.sum()
    log_left = 0.0
    for k in range(n_class - 1):
        rest -= nk[k]
        if nk[k] == 0 and rest == 0:
            # Beta(1, alpha) by inversion: 1 - V = U^(1 / alpha).
            log1m_v = max(math.log(1.0 - uniform(rs)) / alpha, math.log(TINY))
            log_v = math.log(-math.expm1(log1m_v))
        else:
            g1 = max(gamma(rs, 1.0 + nk[k]), TINY)
            g2 = max(gamma(rs, alpha + rest), TINY)
            log_sum = math.log(g1 + g2)
            log_v = math.log(g1) - log_sum
            log1m_v = math.log(g2) - log_sum
        pi[k] = math.exp(log_left + log_v)
        log_left += log1m_v
    pi[n_class - 1] = math.exp(log_left)
    return log_left


@jit
def update_alpha(
    rs: U64, sum_log1m_v: float, n_class: int, a_alpha: float, b_alpha: float
) -> float:
    """alpha ~ Gamma(a + K - 1, rate b - sum log(1 - V_k))."""
    shape = a_alpha + n_class - 1.0
    return max(gamma(rs, shape), TINY) / (b_alpha - sum_log1m_v)


@jit
def draw_n0(rs: U64, n_obs: int, pi: F64, prod0: F64, seen: F64, base: F64) -> int:
    """Unseen count ~ NegBinomial(n, 1 - pi0) (the 1/N prior), as Gamma-Poisson.

    Also sets ``base[k] = pi[k] * prod0[k]``, so pi0 = sum(base).
    """
    pi0 = 0.0
    p_seen = 0.0
    for k in range(pi.shape[0]):
        base[k] = pi[k] * prod0[k]
        pi0 += base[k]
        p_seen += pi[k] * seen[k]
    mean = min(gamma(rs, float(n_obs)) * pi0 / p_seen, MAX_UNSEEN_MEAN)
    return poisson(rs, mean)


@jit
def run_sweeps(
    rs: U64,
    ptr: I64,
    idx: I64,
    counts: I64,
    prior: F64,
    ratio: F64,
    pi: F64,
    prod0: F64,
    seen: F64,
    base: F64,
    scalars: F64,
    n_iter: int,
    thinning: int,
    out_n: I64,
    out_alpha: F64,
    offset: int,
) -> None:
    """Run ``n_iter`` Gibbs iterations; every ``thinning``-th stores N and alpha.

    ``prior`` is ``[a_alpha, b_alpha]``; ``scalars`` is ``[alpha, n0]``, updated
    in place like the state arrays. ``thinning == 0`` stores nothing (burn-in).
    The i-th stored draw of this call goes to ``out_n[offset + i]``.
    """
    n_list, n_class = ratio.shape
    n_obs = counts.sum()
    w = np.empty(n_class)
    suffix = np.empty(n_class)
    m = np.empty(n_class, dtype=np.int64)
    order = np.arange(n_class)
    nk = np.empty(n_class, dtype=np.int64)
    sjk = np.empty((n_list, n_class), dtype=np.int64)
    alpha = scalars[0]
    n0 = int(scalars[1])
    for it in range(n_iter):
        sort_classes(pi, order)
        args = (ptr, idx, counts, n0, ratio, base, order, w, suffix, m, nk, sjk)
        if not allocate(rs, *args, False):
            allocate(rs, *args, True)
        update_lambda(rs, nk, sjk, ratio, prod0, seen)
        sum_log1m_v = update_sticks(rs, nk, alpha, pi)
        alpha = update_alpha(rs, sum_log1m_v, n_class, prior[0], prior[1])
        n0 = draw_n0(rs, n_obs, pi, prod0, seen, base)
        if thinning > 0 and (it + 1) % thinning == 0:
            out_n[offset] = n_obs + n0
            out_alpha[offset] = alpha
            offset += 1
    scalars[0] = alpha
    scalars[1] = n0
