"""Random variates for the numba kernels, from an explicit xoshiro256** state.

numba's own ``np.random`` keeps a hidden per-thread Mersenne Twister and its
variates cost 15-100 ns each; the LCMCR sampler draws a few hundred per
iteration, so it carries its own generator instead: a ``uint64[4]`` state array
per chain (xoshiro256**, D. Blackman and S. Vigna 2018), seeded from
``np.random.SeedSequence``. Each chain's stream is then reproducible whatever
thread runs it. The algorithms:

- uniform: the top 53 bits of a 64-bit output, in [0, 1);
- normal: the 256-layer ziggurat (G. Marsaglia and W. W. Tsang 2000, J. Statist.
  Software 5(8)) with an exponential tail;
- gamma: G. Marsaglia and W. W. Tsang (2000), ACM TOMS 26:363, boosted by
  U^(1/a) below shape 1;
- binomial: inversion (BINV) when n min(p, 1-p) < 10, else W. Hoermann's BTRD
  (1993), "The generation of binomial random variates", J. Statist. Comput.
  Simul. 46:101;
- Poisson: multiplication of uniforms below mean 10, else Hoermann's PTRS (1993),
  "The transformed rejection method for generating Poisson random variables",
  Insurance: Mathematics and Economics 12:39.

Their reference twins are NumPy's ``Generator`` methods; the tests compare the
two distributionally (goodness of fit against the exact distributions).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt

try:
    import numba
except ImportError as err:  # pragma: no cover - numba is a core dependency
    raise ImportError(
        "the compiled LCMCR sampler needs numba: pip install 'numba>=0.60' "
        "(or call fit_lcmcr with engine='numpy', which is much slower)"
    ) from err

__all__ = [
    "binomial",
    "gamma",
    "jit",
    "jit_inline",
    "new_state",
    "normal",
    "poisson",
    "uniform",
]

F = TypeVar("F", bound=Callable[..., Any])
U64 = npt.NDArray[np.uint64]
F64 = npt.NDArray[np.float64]
HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)
# Below this n, inversion takes (1 - p)^n by repeated squaring, not exp(n log1p(-p)).
SMALL_N = 64


def jit(func: F) -> F:
    """Compile with numba, cached on disk, releasing the GIL (chains run in threads)."""
    return cast(F, numba.njit(cache=True, nogil=True)(func))


def jit_inline(func: F) -> F:
    """Like :func:`jit`, but inlined by numba into its callers.

    A numba call that passes arrays costs reference counting and argument
    unpacking; for the small functions called per pattern that is several times
    the work they do.
    """
    return cast(F, numba.njit(cache=True, nogil=True, inline="always")(func))


def new_state(seed: np.random.SeedSequence) -> U64:
    """A xoshiro256** state from a seed sequence (never all zero)."""
    state = np.asarray(seed.generate_state(4, dtype=np.uint64), dtype=np.uint64)
    if not state.any():
        state[0] = 1
    return state


@jit
def _rotl(x: np.uint64, k: int) -> np.uint64:
    return (x << np.uint64(k)) | (x >> np.uint64(64 - k))


@jit
def _next(s: U64) -> np.uint64:
    """The next 64-bit output of xoshiro256**; advances ``s``."""
    result = _rotl(s[1] * np.uint64(5), 7) * np.uint64(9)
    t = s[1] << np.uint64(17)
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = _rotl(s[3], 45)
    return result


@jit
def uniform(s: U64) -> float:
    """U(0, 1), 53 random bits, never 1."""
    return float(_next(s) >> np.uint64(11)) * (1.0 / 9007199254740992.0)


def _ziggurat_tables() -> tuple[npt.NDArray[np.uint64], F64, F64]:
    """Tables of the 256-layer ziggurat for N(0, 1) (Marsaglia and Tsang 2000)."""
    scale = 2.0**52
    area = 0.00492867323399
    edge = ZIGGURAT_R
    q = area / math.exp(-0.5 * edge * edge)
    k = np.zeros(256, dtype=np.uint64)
    w = np.zeros(256)
    f = np.zeros(256)
    k[0] = np.uint64(edge / q * scale)
    w[0], w[255] = q / scale, edge / scale
    f[0], f[255] = 1.0, math.exp(-0.5 * edge * edge)
    previous = edge
    for i in range(254, 0, -1):
        edge = math.sqrt(-2.0 * math.log(area / edge + math.exp(-0.5 * edge * edge)))
        k[i + 1] = np.uint64(edge / previous * scale)
        previous = edge
        f[i] = math.exp(-0.5 * edge * edge)
        w[i] = edge / scale
    return k, w, f


ZIGGURAT_R = 3.6541528853610088
ZIG_K, ZIG_W, ZIG_F = _ziggurat_tables()


@jit
def normal(s: U64) -> float:
    """N(0, 1), the 256-layer ziggurat with an exponential tail."""
    while True:
        r = _next(s)
        layer = int(r & np.uint64(0xFF))
        r >>= np.uint64(8)
        negative = (r & np.uint64(1)) != 0
        mantissa = (r >> np.uint64(1)) & np.uint64(0x000FFFFFFFFFFFFF)
        x = float(mantissa) * float(ZIG_W[layer])
        if mantissa < ZIG_K[layer]:
            return -x if negative else x
        if layer == 0:
            while True:
                xx = -math.log1p(-uniform(s)) / ZIGGURAT_R
                yy = -math.log1p(-uniform(s))
                if yy + yy > xx * xx:
                    x = ZIGGURAT_R + xx
                    return -x if negative else x
        fy = (ZIG_F[layer - 1] - ZIG_F[layer]) * uniform(s) + ZIG_F[layer]
        if fy < math.exp(-0.5 * x * x):
            return -x if negative else x


@jit
def gamma(s: U64, shape: float) -> float:
    """Gamma(shape, 1), shape > 0 (Marsaglia and Tsang)."""
    boost = 1.0
    if shape < 1.0:
        boost = uniform(s) ** (1.0 / shape)
        shape += 1.0
    if shape == 1.0:
        return -math.log(1.0 - uniform(s)) * boost
    d = shape - 1.0 / 3.0
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        x = normal(s)
        v = 1.0 + c * x
        if v <= 0.0:
            continue
        v = v * v * v
        u = uniform(s)
        x2 = x * x
        if u < 1.0 - 0.0331 * x2 * x2:
            return d * v * boost
        if math.log(u) < 0.5 * x2 + d * (1.0 - v + math.log(v)):
            return d * v * boost


@jit
def _binv(s: U64, n: int, p: float) -> int:
    """Binomial by inversion, p <= 1/2 and n p < 10."""
    q = 1.0 - p
    if n <= SMALL_N:
        qn = q**n
        bound = n
    else:
        qn = math.exp(n * math.log1p(-p))
        bound = min(n, int(n * p + 10.0 * math.sqrt(n * p * q + 1.0)))
    r = p / q
    g = r * (n + 1)
    while True:
        k = 0
        pk = qn
        u = uniform(s)
        while u > pk:
            u -= pk
            k += 1
            if k > bound:
                break
            pk *= g / k - r
        if k <= bound:
            return k


@jit
def _stirling_tail(k: int) -> float:
    """fc(k) = log k! - [(k + 1/2) log(k + 1) - (k + 1) + log(2 pi) / 2]."""
    if k < 10:
        return (
            math.lgamma(k + 1.0)
            - (k + 0.5) * math.log(k + 1.0)
            + (k + 1.0)
            - HALF_LOG_2PI
        )
    k1 = 1.0 / (k + 1.0)
    k2 = k1 * k1
    return (1.0 / 12.0 - (1.0 / 360.0 - k2 / 1260.0) * k2) * k1


@jit
def _btrd_accept(n: int, p: float, k: int, m: int, v: float, npq: float) -> bool:
    """Steps 3.1-3.4 of BTRD: is (k, v) under the binomial pmf?"""
    r = p / (1.0 - p)
    nr = (n + 1) * r
    km = abs(k - m)
    if km <= 15:
        f = 1.0
        if m < k:
            for i in range(m + 1, k + 1):
                f *= nr / i - r
        elif m > k:
            for i in range(k + 1, m + 1):
                v *= nr / i - r
        return v <= f
    v = math.log(v)
    rho = (km / npq) * (((km / 3.0 + 0.625) * km + 1.0 / 6.0) / npq + 0.5)
    t = -km * km / (2.0 * npq)
    if v < t - rho:
        return True
    if v > t + rho:
        return False
    nm = n - m + 1.0
    h = (m + 0.5) * math.log((m + 1.0) / (r * nm)) + _stirling_tail(m)
    h += _stirling_tail(n - m)
    nk = n - k + 1.0
    bound = h + (n + 1.0) * math.log(nm / nk) + (k + 0.5) * math.log(nk * r / (k + 1.0))
    return v <= bound - _stirling_tail(k) - _stirling_tail(n - k)


@jit
def _btrd(s: U64, n: int, p: float) -> int:
    """Binomial by transformed rejection with decomposition, p <= 1/2, n p >= 10."""
    npq = n * p * (1.0 - p)
    spq = math.sqrt(npq)
    m = int((n + 1) * p)
    b = 1.15 + 2.53 * spq
    a = -0.0873 + 0.0248 * b + 0.01 * p
    c = n * p + 0.5
    alpha = (2.83 + 5.1 / b) * spq
    v_r = 0.92 - 4.2 / b
    while True:
        v = uniform(s)
        if v <= 0.86 * v_r:
            u = v / v_r - 0.43
            return int(math.floor((2.0 * a / (0.5 - abs(u)) + b) * u + c))
        if v >= v_r:
            u = uniform(s) - 0.5
        else:
            u = v / v_r - 0.93
            u = math.copysign(0.5, u) - u
            v = uniform(s) * v_r
        us = 0.5 - abs(u)
        k = int(math.floor((2.0 * a / us + b) * u + c))
        if k < 0 or k > n:
            continue
        v = v * alpha / (a / (us * us) + b)
        if _btrd_accept(n, p, k, m, v, npq):
            return k


@jit
def binomial(s: U64, n: int, p: float) -> int:
    """Binomial(n, p)."""
    if n <= 0 or p <= 0.0:
        return 0
    if p >= 1.0:
        return n
    flip = p > 0.5
    if flip:
        p = 1.0 - p
    k = _binv(s, n, p) if n * p < 10.0 else _btrd(s, n, p)
    return n - k if flip else k


@jit
def poisson(s: U64, lam: float) -> int:
    """Poisson(lam): multiplication below 10, else PTRS."""
    if lam <= 0.0:
        return 0
    if lam < 10.0:
        limit = math.exp(-lam)
        k = 0
        prod = uniform(s)
        while prod > limit:
            k += 1
            prod *= uniform(s)
        return k
    slam = math.sqrt(lam)
    loglam = math.log(lam)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
    v_r = 0.9277 - 3.6224 / (b - 2.0)
    while True:
        u = uniform(s) - 0.5
        v = uniform(s)
        us = 0.5 - abs(u)
        k = math.floor((2.0 * a / us + b) * u + lam + 0.43)
        if us >= 0.07 and v <= v_r:
            return int(k)
        if k < 0.0 or (us < 0.013 and v > us):
            continue
        log_ratio = math.log(v * inv_alpha / (a / (us * us) + b))
        if log_ratio <= -lam + k * loglam - math.lgamma(k + 1.0):
            return int(k)
