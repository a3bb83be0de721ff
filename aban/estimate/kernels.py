"""Compiled (numba) kernels of the LCMCR Gibbs sampler, and their random variates.

Each kernel has a NumPy reference twin in :mod:`aban.estimate.lcmcr`; the tests
check the two against each other distributionally (the random streams differ).
Everything compiled lives in this one module on purpose: numba's on-disk cache
of a function is invalidated only by changes to its own file, so a kernel cached
against random-variate code in another file would silently keep the old code.

**Sampler.** It works on capture *patterns*, never on individuals: a pattern is
the list of the lists that recorded it (CSR: ``ptr``, ``idx``) and its count. The
state of a chain is kept in arrays that the kernels update in place, so an
iteration allocates nothing:

- ``ratio[j, k]`` = lambda_jk / (1 - lambda_jk), the odds that list j records a
  member of latent class k;
- ``prod0[k]`` = prod_j (1 - lambda_jk), the probability that class k goes unseen;
- ``seen[k]`` = 1 - prod0[k], computed without cancellation;
- ``pi[k]`` the class weights and ``base[k]`` = pi[k] * prod0[k] (0 when below
  1e-200 of the largest: see :func:`class_bases`);
- ``order``: the classes by decreasing weight, so that a sequential-binomial
  multinomial draw usually stops after the few classes that matter.

Class probabilities of a pattern x are proportional to
``base[k] * prod_{j: x_j = 1} ratio[j, k]``: products, no logarithms or
exponentials, with a log-space fallback when a product under- or overflows.
Multinomial draws are sequential binomials (one categorical draw per individual
for patterns of a few people, and once few are left); Beta draws are ratios of
two gamma draws (a uniform when both shapes are 1).

**Random variates.** numba's own ``np.random`` keeps a hidden per-thread
Mersenne Twister and its variates cost 15-100 ns each; the sampler draws a few
hundred per iteration, so each chain carries its own generator instead: a
``uint64[4]`` xoshiro256** state (D. Blackman and S. Vigna 2018), seeded from
``np.random.SeedSequence``, reproducible whatever thread runs the chain:

- uniform: the top 53 bits of a 64-bit output, in [0, 1);
- normal: the 256-layer ziggurat (G. Marsaglia and W. W. Tsang 2000, J. Statist.
  Software 5(8)) with an exponential tail;
- gamma: G. Marsaglia and W. W. Tsang (2000), ACM TOMS 26:363, boosted by
  U^(1/a) below shape 1;
- binomial: for n up to 128 (unless n min(p, 1-p) < 0.3), the n trials as the
  bits of 64-bit words, compared with p's binary digits (:func:`_lanes`); else
  inversion (BINV) when n min(p, 1-p) < 10, else W. Hoermann's BTRD
  (1993), "The generation of binomial random variates", J. Statist. Comput.
  Simul. 46:101;
- Poisson: multiplication of uniforms below mean 10, else Hoermann's PTRS (1993),
  "The transformed rejection method for generating Poisson random variables",
  Insurance: Mathematics and Economics 12:39.

Their reference twins are NumPy's ``Generator`` methods. Inside the kernels a
state travels as a tuple of four words (``_uniform(st)`` returns the variate and
the next state), which the compiled loops keep in registers; the array-taking
functions above load it from and store it back into the ``uint64[4]`` array.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar, cast

import numpy as np
import numpy.typing as npt

from aban.estimate.native import new_state


@contextmanager
def _hidden(names: tuple[str, ...]) -> Iterator[None]:
    """``import NAME`` fails inside for each of ``names`` not loaded already; each
    is importable again afterwards."""
    hide = [name for name in names if name not in sys.modules]
    for name in hide:
        sys.modules[name] = None  # type: ignore[assignment]  # import fails
    try:
        yield
    finally:
        for name in hide:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


def _unused_by_numba() -> tuple[str, ...]:
    """What numba imports at its own import and this module never uses.

    SciPy, only to check its version (about 0.01 s of CPU; numba's SciPy-backed
    functions import what they need when they are compiled), and PyYAML, only to
    read a ``.numba_config.yaml`` in the current directory (0.008 s): PyYAML stays
    importable when the directory holds one, so numba reads it as before.
    """
    if os.path.isfile(".numba_config.yaml"):
        return ("scipy",)
    return ("scipy", "yaml")


try:
    with _hidden(_unused_by_numba()):
        import numba
    from numba.core import types
    from numba.extending import intrinsic
    from numba.np.arrayobj import populate_array
    from numba.np.numpy_support import carray
except ImportError as err:  # pragma: no cover - numba is a core dependency
    raise ImportError(
        "the compiled LCMCR sampler needs numba: pip install 'numba>=0.60' "
        "(or call fit_lcmcr with engine='numpy', which is much slower)"
    ) from err


class _Target:
    """How numba's CPU target starts here: without SciPy, and lightly for the cache.

    numba starts its CPU target (``refresh``) at each compilation and each load
    from its on-disk cache. The first start imports every module of numba's
    implementations of Python and NumPy (about 0.12 s of CPU), and one of them,
    ``numba.np.arraymath``, imports ``scipy.linalg`` (about 0.18 s more) only to
    record whether BLAS is there for ``np.correlate`` and ``np.convolve``.

    - ``scipy.linalg`` is hidden while the target starts, unless it is loaded
      already (then this costs nothing), and importable again afterwards:
      ``np.dot`` and ``np.linalg`` import it themselves when they are compiled,
      so they still compile in this process; only ``np.correlate`` and
      ``np.convolve`` take their inner products in a plain loop. These kernels
      use no BLAS.
    - Inside :meth:`light`, the next start only readies numba's runtime (its
      memory functions): enough to load compiled code from the cache, whose
      pickled environments import the few implementation modules that code
      uses. A start that precedes a compilation (a cache miss) is always the
      full one, so nothing compiles without its implementations; the light
      start is the calling thread's own, so another thread's compilation never
      takes it.
    """

    def __init__(self) -> None:
        from numba.core.registry import cpu_target

        self.context = cpu_target.target_context
        self.full = type(self.context).refresh
        self.local = threading.local()
        self.context.refresh = self.refresh

    @property
    def light_next(self) -> bool:
        """Whether this thread's next start is the light one."""
        return bool(getattr(self.local, "light_next", False))

    def refresh(self) -> None:
        """numba's ``refresh``: light once after :meth:`light`, else full."""
        if self.light_next:
            from numba.core.runtime import rtsys  # type: ignore[attr-defined]  # not re-exported

            self.local.light_next = False
            rtsys.initialize(self.context)
            return
        with _scipy_linalg_hidden():
            self.full(self.context)

    @contextmanager
    def light(self) -> Iterator[None]:
        """Load a kernel from the cache (its first call) without the full start."""
        self.local.light_next = True
        try:
            with _scipy_linalg_hidden():
                yield
        finally:
            self.local.light_next = False


def _scipy_linalg_hidden() -> contextlib.AbstractContextManager[None]:
    """``import scipy.linalg`` fails inside, unless it is loaded already."""
    return _hidden(("scipy.linalg",))


#: The CPU target's starts (see :class:`_Target`); ``with target.light(): ...``
#: around a kernel's first call loads it from the cache without the full start.
target = _Target()

__all__ = [
    "allocate",
    "binomial",
    "class_bases",
    "class_weights",
    "draw_n0",
    "gamma",
    "log_class_weights",
    "new_state",
    "normal",
    "poisson",
    "run_sweeps",
    "sort_classes",
    "uniform",
    "update_alpha",
    "update_lambda",
    "update_sticks",
    "log_gamma",
    "log_likelihood",
    "pattern_log_likelihoods",
    "refresh_unseen",
    "sweep",
]

F = TypeVar("F", bound=Callable[..., Any])
A = TypeVar("A", bound=np.ndarray[Any, Any])
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
U64 = npt.NDArray[np.uint64]
#: A xoshiro256** state as four words (see :func:`_step`).
State = tuple[np.uint64, np.uint64, np.uint64, np.uint64]
HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)
# Below this n, inversion takes (1 - p)^n by repeated squaring, not exp(n log1p(-p)).
SMALL_N = 64
# Binomials with n up to LANES_MAX_N and n p at least LANES_MIN_MEAN run their trials
# as the bits of 64-bit words (:func:`_lanes`); measured on the draws of Kosovo
# iterations (n up to 64: 40 to 17 ns a draw; 65-128: 52 to 33 ns).
LANES_MAX_N = 128
LANES_MIN_MEAN = 0.3
# Words each 64 trials of :func:`_lanes_st` take before it tests whether any trial
# is still open (measured on Kosovo iterations: 8 against 6, 7, 9 and 10).
LANES_WORDS = 8
# 2^64: p times this is p as a 64-bit binary fraction.
TWO_64 = 18446744073709551616.0


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


class _Borrow(Protocol):
    def __call__(self, arr: A) -> A: ...


def _borrowed(typingctx: Any, arr: Any) -> Any:
    """A view of an array that holds no reference to its memory (:data:`borrowed`).

    numba counts references to an array atomically each time a compiled function
    receives or drops it; in the sampler's inner loops those atomic operations
    took about half of an iteration. A borrowed view has no reference count, so
    it must not outlive the array it views: take it on entry to a compiled
    function from that function's arguments, and never return or store it.
    """
    if not isinstance(arr, types.Array):
        return None

    def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
        src = context.make_array(arr)(context, builder, args[0])
        view = context.make_array(arr)(context, builder)
        populate_array(  # type: ignore[no-untyped-call]  # numba is not annotated
            view,
            data=src.data,
            shape=src.shape,
            strides=src.strides,
            itemsize=src.itemsize,
            meminfo=None,
        )
        return view._getvalue()

    return arr(arr), codegen


#: ``borrowed(array)`` in compiled code: the array's view without a reference count.
borrowed = cast(_Borrow, intrinsic(_borrowed))


def _popcount(typingctx: Any, x: Any) -> Any:
    """The number of bits set in an integer (one instruction: LLVM's ctpop)."""
    if not isinstance(x, types.Integer):
        return None

    def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
        return builder.ctpop(args[0])

    return x(x), codegen


#: ``popcount(word)`` in compiled code: how many of its bits are 1.
popcount = cast(Callable[[np.uint64], int], intrinsic(_popcount))


@jit
def _rotl(x: np.uint64, k: int) -> np.uint64:
    return (x << np.uint64(k)) | (x >> np.uint64(64 - k))


@jit_inline
def _step(st: State) -> tuple[np.uint64, State]:
    """The next 64-bit output of xoshiro256** and the state after it.

    The state travels as a tuple of four words, which the compiled code keeps in
    registers: a draw loop then neither loads nor stores the state, and passes no
    array (each array passed to an inlined function costs a reference-count call
    and the register spills around it).
    """
    s0, s1, s2, s3 = st
    result = _rotl(s1 * np.uint64(5), 7) * np.uint64(9)
    t = s1 << np.uint64(17)
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = _rotl(s3, 45)
    return result, (s0, s1, s2, s3)


@jit_inline
def _load(s: U64) -> State:
    """The state held in ``s`` as a tuple (see :func:`_step`)."""
    return (s[0], s[1], s[2], s[3])


@jit_inline
def _store(s: U64, st: State) -> None:
    """Write the state tuple ``st`` back into ``s``."""
    s[0], s[1], s[2], s[3] = st


@jit
def _next(s: U64) -> np.uint64:
    """The next 64-bit output of xoshiro256**; advances ``s``."""
    result, st = _step(_load(s))
    _store(s, st)
    return result


@jit_inline
def _uniform(st: State) -> tuple[float, State]:
    """:func:`uniform` on a state tuple."""
    r, st = _step(st)
    return float(np.int64(r >> np.uint64(11))) * (1.0 / 9007199254740992.0), st


@jit
def uniform(s: U64) -> float:
    """U(0, 1), 53 random bits, never 1."""
    return float(np.int64(_next(s) >> np.uint64(11))) * (1.0 / 9007199254740992.0)


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


@jit_inline
def _normal(st: State) -> tuple[float, State]:
    """:func:`normal` on a state tuple."""
    while True:
        r, st = _step(st)
        layer = int(r & np.uint64(0xFF))
        r >>= np.uint64(8)
        negative = (r & np.uint64(1)) != 0
        mantissa = (r >> np.uint64(1)) & np.uint64(0x000FFFFFFFFFFFFF)
        x = float(np.int64(mantissa)) * float(ZIG_W[layer])
        if mantissa < ZIG_K[layer]:
            return (-x if negative else x), st
        if layer == 0:
            while True:
                u1, st = _uniform(st)
                u2, st = _uniform(st)
                xx = -math.log1p(-u1) / ZIGGURAT_R
                yy = -math.log1p(-u2)
                if yy + yy > xx * xx:
                    x = ZIGGURAT_R + xx
                    return (-x if negative else x), st
        u, st = _uniform(st)
        fy = (ZIG_F[layer - 1] - ZIG_F[layer]) * u + ZIG_F[layer]
        if fy < math.exp(-0.5 * x * x):
            return (-x if negative else x), st


@jit
def normal(s: U64) -> float:
    """N(0, 1), the 256-layer ziggurat with an exponential tail."""
    x, st = _normal(_load(s))
    _store(s, st)
    return x


@jit_inline
def _gamma(st: State, shape: float) -> tuple[float, State]:
    """:func:`gamma` on a state tuple."""
    boost = 1.0
    if shape < 1.0:
        u, st = _uniform(st)
        boost = u ** (1.0 / shape)
        shape += 1.0
    if shape == 1.0:
        u, st = _uniform(st)
        return -math.log(1.0 - u) * boost, st
    d = shape - 1.0 / 3.0
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        x, st = _normal(st)
        v = 1.0 + c * x
        if v <= 0.0:
            continue
        v = v * v * v
        u, st = _uniform(st)
        x2 = x * x
        if u < 1.0 - 0.0331 * x2 * x2:
            return d * v * boost, st
        if math.log(u) < 0.5 * x2 + d * (1.0 - v + math.log(v)):
            return d * v * boost, st


@jit
def gamma(s: U64, shape: float) -> float:
    """Gamma(shape, 1), shape > 0 (Marsaglia and Tsang)."""
    g, st = _gamma(_load(s), shape)
    _store(s, st)
    return g


@jit_inline
def _binv(st: State, n: int, p: float) -> tuple[int, State]:
    """Binomial by inversion, p <= 1/2 and n p < 10.

    The first uniform is tested against P(0) before anything else is computed:
    most calls from the class allocation return 0 there.
    """
    u, st = _uniform(st)
    # P(0) = (1 - p)^n >= 1 - n p: below that the draw is 0, with no power taken.
    if u <= 1.0 - n * p:
        return 0, st
    q = 1.0 - p
    qn = q**n if n <= SMALL_N else math.exp(n * math.log1p(-p))
    if u <= qn:
        return 0, st
    r = p / q
    g = r * (n + 1)
    bound = n if n <= SMALL_N else min(n, int(n * p + 10.0 * math.sqrt(n * p * q + 1)))
    while True:
        k = 0
        pk = qn
        while u > pk:
            u -= pk
            k += 1
            if k > bound:
                break
            pk *= g / k - r
        if k <= bound:
            return k, st
        u, st = _uniform(st)


@jit_inline
def _lanes_st(st: State, n: int, p: float) -> tuple[int, State]:
    """Binomial(n, p) as n Bernoulli trials run at once, one in each bit of a word.

    Trial i compares a uniform U_i, drawn one binary digit at a time (bit i of
    successive 64-bit outputs), with p's binary digits: at the first digit where
    they differ, U_i < p if p's digit is 1. Each word decides about half of the
    trials still open, so 64 trials take :data:`LANES_WORDS` words, rarely one or
    two more, whatever p is, with no logarithm, power or division. p is read to 64
    binary digits (U_i < p exactly for that p, which differs from the double p by
    less than 2^-64).
    """
    frac = np.uint64(p * TWO_64)
    one = np.uint64(1)
    total = 0
    left = n
    while left > 0:
        width = min(left, 64)
        left -= width
        open_ = ~np.uint64(0) if width == 64 else (one << np.uint64(width)) - one
        below = np.uint64(0)
        shift = 63
        # A fixed number of words first, with no test: after 8 words a trial is
        # still open with probability 2^-8, so the loop below runs for about one
        # in five groups of 64 trials; its exit, tested after every word, was a
        # branch the processor guessed wrong about once per draw.
        for _ in range(LANES_WORDS):
            r, st = _step(st)
            digit = np.uint64(0) - ((frac >> np.uint64(shift)) & one)
            below |= open_ & ~r & digit
            open_ &= ~(r ^ digit)
            shift -= 1
        while open_ != 0 and shift >= 0:
            r, st = _step(st)
            # All ones where p's digit is 1: a 0 in r decides "below", a 1 keeps
            # the trial open; where p's digit is 0, a 1 in r decides "above".
            digit = np.uint64(0) - ((frac >> np.uint64(shift)) & one)
            below |= open_ & ~r & digit
            open_ &= ~(r ^ digit)
            shift -= 1
        total += popcount(below)
    return total, st


@jit
def _lanes(s: U64, n: int, p: float) -> int:
    """:func:`_lanes_st` on a state array (for tests)."""
    k, st = _lanes_st(_load(s), n, p)
    _store(s, st)
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


@jit_inline
def _btrd(st: State, n: int, p: float) -> tuple[int, State]:
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
        v, st = _uniform(st)
        if v <= 0.86 * v_r:
            u = v / v_r - 0.43
            return int(math.floor((2.0 * a / (0.5 - abs(u)) + b) * u + c)), st
        if v >= v_r:
            u, st = _uniform(st)
            u -= 0.5
        else:
            u = v / v_r - 0.93
            u = math.copysign(0.5, u) - u
            v, st = _uniform(st)
            v *= v_r
        us = 0.5 - abs(u)
        k = int(math.floor((2.0 * a / us + b) * u + c))
        if k < 0 or k > n:
            continue
        v = v * alpha / (a / (us * us) + b)
        if _btrd_accept(n, p, k, m, v, npq):
            return k, st


@jit_inline
def _binomial(st: State, n: int, p: float) -> tuple[int, State]:
    """:func:`binomial` on a state tuple."""
    if n <= 0 or p <= 0.0:
        return 0, st
    if p >= 1.0:
        return n, st
    flip = p > 0.5
    if flip:
        p = 1.0 - p
    mean = n * p
    if n <= LANES_MAX_N and mean >= LANES_MIN_MEAN:
        k, st = _lanes_st(st, n, p)
    elif mean < 10.0:
        k, st = _binv(st, n, p)
    else:
        k, st = _btrd(st, n, p)
    return (n - k if flip else k), st


@jit
def binomial(s: U64, n: int, p: float) -> int:
    """Binomial(n, p)."""
    k, st = _binomial(_load(s), n, p)
    _store(s, st)
    return k


@jit_inline
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


# The sampler.

# Smallest value a gamma draw may take before it enters a ratio or a logarithm:
# a draw that underflows to 0 would make a class weight exactly 0 or infinite.
TINY = 1e-300
# Upper bound on the Poisson mean of the unseen count, far beyond any real
# population: keeps the int64 draw defined when a chain wanders off.
MAX_UNSEEN_MEAN = 1e15
# Individuals left per remaining class below which allocate's multinomial switches
# to one categorical draw per individual (tuned on the Kosovo table).
TAIL_PER_CLASS = 1
# Patterns with at most this many individuals draw each one's class directly:
# cheaper than setting up a multinomial (tuned on a 20-list table, where most
# patterns hold one to a few people).
FEW = 4
# Below this, update_sticks keeps the stick left in logarithms (far above the
# smallest normal double, so V times it never loses precision).
LINEAR_FLOOR = 1e-250
# Class weights below this fraction of the largest are set to 0 (see class_bases).
BASE_FLOOR = 1e-200


@jit_inline
def class_weights(ptr: I64, idx: I64, row: int, ratio: F64, base: F64, w: F64) -> float:
    """Unnormalized class probabilities of pattern ``row`` into ``w``, and their sum.

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
    work: F64,
    nk: I64,
    sjk: I64,
    logs: bool,
) -> bool:
    """Draw how many of each pattern's individuals fall in each class.

    Fills the sufficient statistics: ``nk[k]`` individuals in class k (the
    ``n0`` unseen ones included) and ``sjk[j, k]`` of them recorded by list j.
    ``w`` is scratch space of length K, ``work`` of shape (3, K). With
    ``logs`` the class weights are computed through logarithms (slow, never
    fails).

    Returns:
        False, having drawn nothing usable, when a product of class weights
        under- or overflowed: call again with ``logs=True``. Whether that
        happens depends on the parameters only, not on the draws.

    Written as one function of some 100 lines, with the class weights, the
    multinomial and the categorical draws in the loop, on purpose: an inlined
    numba helper that takes an array adds a reference-count call per array and
    the register spills around each, and a helper left as a call passes each
    array as seven arguments; either cost more than the draws of a small pattern
    (Kosovo: about 10% of an iteration). The random state stays in registers
    (:func:`_step`).
    """
    n_class, n_rows = base.shape[0], counts.shape[0]
    nk[:] = 0
    sjk[:, :] = 0
    st = _load(rs)
    # Rows 0 .. n_rows - 1 are the patterns; the last step is the unseen (row -1).
    for step in range(n_rows + 1):
        row = step if step < n_rows else -1
        count = counts[row] if row >= 0 else n0
        if count == 0:
            continue
        if logs and row >= 0:
            total = log_class_weights(ptr, idx, row, ratio, base, w)
        else:
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
            if row >= 0 and not (total > 0.0 and total < math.inf):
                _store(rs, st)
                return False
        if row >= 0 and count <= FEW:
            for _ in range(count):
                # One categorical draw.
                u, st = _uniform(st)
                u *= total
                acc = 0.0
                k = 0
                for k2 in range(n_class):
                    if w[k2] > 0.0:
                        acc += w[k2]
                        k = k2
                        if u < acc:
                            break
                nk[k] += 1
                for t in range(ptr[row], ptr[row + 1]):
                    sjk[idx[t], k] += 1
            continue
        # The multinomial: sequential binomials over ``order``.
        # Row 0 of ``work``: suffix sums; row 1: the weights in that order; row 2:
        # each class's conditional probability, divided before any draw (the
        # divisions vectorize, out of the draws' dependency chain).
        acc = 0.0
        for i in range(n_class - 1, -1, -1):
            wi = w[order[i]]
            acc += wi
            work[0, i] = acc
            work[1, i] = wi
        for i in range(n_class):
            # Branch-free, so the loop vectorizes: a suffix sum of 0 holds only
            # weights of 0, divided by 1 (a positive sum is divided by itself).
            left = work[0, i]
            work[2, i] = work[1, i] / (1.0 if left == 0.0 else left)
        rest = count
        lo, hi = (ptr[row], ptr[row + 1]) if row >= 0 else (0, 0)
        for i in range(n_class):
            if rest == 0:
                break
            if rest <= TAIL_PER_CLASS * (n_class - i):
                # One categorical draw each for the few left. Row 2 becomes the
                # cumulative weights from position i (summed as a scan would add
                # them), stored from its start; a draw's position is i plus the
                # number of them at or below its uniform, counted without a
                # branch. Counted from index 0, the compiler knows no index is
                # negative, and loads them as a vector: from index i it gathered
                # them one by one (a slow instruction on recent processors).
                acc = 0.0
                top = 0
                for i2 in range(n_class - i):
                    wi = work[1, i + i2]
                    if wi > 0.0:
                        acc += wi
                        top = i2
                    work[2, i2] = acc
                for _ in range(rest):
                    u, st = _uniform(st)
                    u *= work[0, i]
                    pos = i
                    for i2 in range(top):
                        pos += u >= work[2, i2]
                    k = order[pos]
                    nk[k] += 1
                    for t in range(lo, hi):
                        sjk[idx[t], k] += 1
                break
            k = order[i]
            p = work[2, i]
            if p >= 1.0 or i == n_class - 1:
                x = rest
            elif p > 0.0:
                x, st = _binomial(st, rest, p)
            else:
                continue
            nk[k] += x
            for t in range(lo, hi):
                sjk[idx[t], k] += x
            rest -= x
            if p >= 1.0 or i == n_class - 1:
                break
    _store(rs, st)
    return True


@jit
def update_lambda(
    rs: U64, nk: I64, sjk: I64, ratio: F64, prod0: F64, seen: F64
) -> None:
    """lambda_jk ~ Beta(1 + s_jk, 1 + n_k - s_jk); refresh ratio, prod0 and seen.

    An empty class draws Beta(1, 1), a uniform, directly.
    """
    n_list, n_class = sjk.shape
    st = _load(rs)
    for k in range(n_class):
        prod0[k] = 1.0
        seen[k] = 0.0
    for j in range(n_list):
        for k in range(n_class):
            if nk[k] == 0:
                # Beta(1, 1): a uniform, drawn away from 0 and 1.
                u, st = _uniform(st)
                lam = max(u, 1e-16)
                lam1m = 1.0 - lam
            else:
                g1, st = _gamma(st, 1.0 + sjk[j, k])
                g2, st = _gamma(st, 1.0 + nk[k] - sjk[j, k])
                g1, g2 = max(g1, TINY), max(g2, TINY)
                scale = 1.0 / (g1 + g2)
                lam = g1 * scale
                lam1m = g2 * scale
            ratio[j, k] = lam / lam1m
            prod0[k] *= lam1m
            seen[k] += (1.0 - seen[k]) * lam
    _store(rs, st)


@jit_inline
def _log_gamma(st: State, shape: float) -> tuple[float, State]:
    """log of a Gamma(shape, 1) draw, exact however small the shape.

    Below shape 1 it is log Gamma(shape + 1) + log(U) / shape (C. P. Robert and G.
    Casella, *Monte Carlo Statistical Methods*, 2nd ed., 2004, p. 45), which stays
    finite where the draw itself would underflow to 0: a concentration alpha near 0
    makes the sticks' second shape that small.
    """
    if shape < 1.0:
        g, st = _gamma(st, shape + 1.0)
        u, st = _uniform(st)
        return math.log(max(g, TINY)) + math.log(1.0 - u) / shape, st
    g, st = _gamma(st, shape)
    return math.log(max(g, TINY)), st


@jit
def log_gamma(s: U64, shape: float) -> float:
    """:func:`_log_gamma` on a state array (for tests)."""
    lg, st = _log_gamma(_load(s), shape)
    _store(s, st)
    return lg


@jit
def update_sticks(rs: U64, nk: I64, alpha: float, pi: F64) -> float:
    """V_k ~ Beta(1 + n_k, alpha + sum_{h>k} n_h), pi from the sticks.

    Where a shape is below 1 (alpha near 0), or the stick left falls below
    LINEAR_FLOOR, it works on the log scale (V = G1 / (G1 + G2) from log gamma
    draws), as R's LCMCR does: log(1 - V_k) is never floored, so alpha can fall as
    low as its full conditional takes it (a floor there once held alpha above
    about 2e-3 and biased N upwards on tables where alpha is near 0). Elsewhere
    the stick left is a product in linear scale: the same draws, with no
    logarithm or exponential per stick.

    Returns:
        sum_{k<K} log(1 - V_k), the statistic of alpha's full conditional.
    """
    n_class = nk.shape[0]
    rest = nk.sum()
    st = _load(rs)
    # The stick left, prod_{h<k} (1 - V_h): in linear scale while it stays above
    # LINEAR_FLOOR and both shapes are at least 1 (then the gamma draws cannot
    # underflow, and V needs no logarithm or exponential), else in logarithms.
    left = 1.0
    log_left = 0.0
    linear = True
    for k in range(n_class - 1):
        rest -= nk[k]
        second = alpha + rest
        if linear and second >= 1.0:
            g1, st = _gamma(st, 1.0 + nk[k])
            g2, st = _gamma(st, second)
            g1, g2 = max(g1, TINY), max(g2, TINY)
            scale = left / (g1 + g2)
            pi[k] = g1 * scale
            left = g2 * scale
            if left < LINEAR_FLOOR:
                linear, log_left = False, math.log(left)
            continue
        if linear:
            linear, log_left = False, math.log(left)
        lg1, st = _log_gamma(st, 1.0 + nk[k])
        lg2, st = _log_gamma(st, second)
        # log(G1 + G2), with one exponential: exp(0) of the larger is 1.
        if lg1 >= lg2:
            log_sum = lg1 + math.log1p(math.exp(lg2 - lg1))
        else:
            log_sum = lg2 + math.log1p(math.exp(lg1 - lg2))
        pi[k] = math.exp(log_left + lg1 - log_sum)
        log_left += lg2 - log_sum
    _store(rs, st)
    if linear:
        pi[n_class - 1] = left
        return math.log(left)
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
def draw_n0(rs: U64, n_obs: int, pi: F64, prod0: F64, seen: F64) -> int:
    """Unseen count ~ NegBinomial(n, 1 - pi0) (the 1/N prior), as Gamma-Poisson."""
    pi0 = 0.0
    p_seen = 0.0
    for k in range(pi.shape[0]):
        pi0 += pi[k] * prod0[k]
        p_seen += pi[k] * seen[k]
    mean = min(gamma(rs, float(n_obs)) * pi0 / p_seen, MAX_UNSEEN_MEAN)
    return poisson(rs, mean)


@jit
def class_bases(pi: F64, prod0: F64, base: F64) -> None:
    """``base[k] = pi[k] * prod0[k]``; below BASE_FLOOR times the largest, 0.

    Such a class cannot take anyone at double precision (a draw resolves
    probabilities down to about 1e-16), and products with its weight would be
    subnormal numbers, which cost x86 processors some 100 cycles each: with a
    small alpha the trailing classes' weights sink to 1e-300 and below, and the
    class weights took four times longer.
    """
    top = 0.0
    for k in range(pi.shape[0]):
        base[k] = pi[k] * prod0[k]
        top = max(top, base[k])
    for k in range(pi.shape[0]):
        if base[k] < BASE_FLOOR * top:
            base[k] = 0.0


@jit_inline
def sweep(
    rs: U64,
    ptr: I64,
    idx: I64,
    counts: I64,
    n_obs: int,
    prior: F64,
    ratio: F64,
    pi: F64,
    prod0: F64,
    seen: F64,
    base: F64,
    order: I64,
    scratch: tuple[F64, F64, I64, I64],
    alpha: float,
    n0: int,
    fix_alpha: bool,
) -> tuple[float, int, int]:
    """One Gibbs iteration of one chain; returns the new alpha, n0 and the number
    of occupied classes. ``scratch`` is (w, work, nk, sjk). With ``fix_alpha``
    alpha keeps its value (the warm-up of R's start)."""
    w, work, nk, sjk = scratch
    sort_classes(pi, order)
    args = (ptr, idx, counts, n0, ratio, base, order, w, work, nk, sjk)
    if not allocate(rs, *args, False):
        allocate(rs, *args, True)
    update_lambda(rs, nk, sjk, ratio, prod0, seen)
    sum_log1m_v = update_sticks(rs, nk, alpha, pi)
    if not fix_alpha:
        alpha = update_alpha(rs, sum_log1m_v, nk.shape[0], prior[0], prior[1])
    n0 = draw_n0(rs, n_obs, pi, prod0, seen)
    class_bases(pi, prod0, base)
    occupied = 0
    for k in range(nk.shape[0]):
        if nk[k] > 0:
            occupied += 1
    return alpha, n0, occupied


@jit_inline
def _log_pattern(
    ptr: I64, idx: I64, row: int, ratio: F64, pi: F64, prod0: F64
) -> float:
    """log p(x) of pattern ``row`` = log sum_k pi_k prod0_k prod_{j in x} ratio_jk."""
    n_class = pi.shape[0]
    top = -math.inf
    for k in range(n_class):
        if pi[k] * prod0[k] > 0.0:
            lw = math.log(pi[k] * prod0[k])
            for t in range(ptr[row], ptr[row + 1]):
                lw += math.log(ratio[idx[t], k])
            top = max(top, lw)
    if top == -math.inf:
        return -math.inf
    acc = 0.0
    for k in range(n_class):
        if pi[k] * prod0[k] > 0.0:
            lw = math.log(pi[k] * prod0[k])
            for t in range(ptr[row], ptr[row + 1]):
                lw += math.log(ratio[idx[t], k])
            acc += math.exp(lw - top)
    return top + math.log(acc)


@jit_inline
def _log_seen(pi: F64, seen: F64) -> float:
    """log P(seen) = log sum_k pi_k seen_k."""
    p_seen = 0.0
    for k in range(pi.shape[0]):
        p_seen += pi[k] * seen[k]
    return math.log(p_seen) if p_seen > 0.0 else -math.inf


@jit
def log_likelihood(
    ptr: I64, idx: I64, counts: I64, ratio: F64, pi: F64, prod0: F64, seen: F64
) -> float:
    """log L_c = sum_x counts_x [log p(x) - log P(seen)], in logarithms throughout.

    The likelihood of the observed patterns given the class parameters, conditional
    on being observed: what is left of the model once n0 is integrated out under
    p(N) proportional to 1/N, so the posterior of the parameters is the prior times
    this. Rows with a count of 0 cost nothing.
    """
    log_seen = _log_seen(pi, seen)
    total = 0.0
    for row in range(counts.shape[0]):
        if counts[row] > 0:
            total += counts[row] * (
                _log_pattern(ptr, idx, row, ratio, pi, prod0) - log_seen
            )
    return total


@jit
def pattern_log_likelihoods(
    ptr: I64,
    idx: I64,
    rows: I64,
    ratio: F64,
    pi: F64,
    prod0: F64,
    seen: F64,
    out: F64,
) -> None:
    """``out[p, i]`` = log p(x) - log P(seen) for particle p and pattern ``rows[i]``.

    ``ratio`` (particles, lists, K) and ``pi``, ``prod0``, ``seen`` (particles, K)
    hold one set of class parameters per particle; a pattern's term is what one
    more individual with that pattern adds to :func:`log_likelihood`. The
    logarithms of each particle's parameters are taken once, not per pattern.
    """
    n_list, n_class = ratio.shape[1], ratio.shape[2]
    log_ratio = np.empty((n_list, n_class))
    log_base = np.empty(n_class)
    lw = np.empty(n_class)
    for p in range(ratio.shape[0]):
        log_seen = _log_seen(pi[p], seen[p])
        for k in range(n_class):
            b = pi[p, k] * prod0[p, k]
            log_base[k] = math.log(b) if b > 0.0 else -math.inf
            for j in range(n_list):
                log_ratio[j, k] = math.log(ratio[p, j, k])
        for i in range(rows.shape[0]):
            row = rows[i]
            top = -math.inf
            for k in range(n_class):
                acc = log_base[k]
                for t in range(ptr[row], ptr[row + 1]):
                    acc += log_ratio[idx[t], k]
                lw[k] = acc
                top = max(top, acc)
            if top == -math.inf:
                out[p, i] = -math.inf
                continue
            total = 0.0
            for k in range(n_class):
                total += math.exp(lw[k] - top)
            out[p, i] = top + math.log(total) - log_seen


@jit
def refresh_unseen(
    rs: U64, n_obs: int, pi: F64, prod0: F64, seen: F64, scalars: F64
) -> None:
    """Draw each particle's n0 from its full conditional given n_obs observed."""
    for p in range(pi.shape[0]):
        scalars[p, 1] = draw_n0(rs, n_obs, pi[p], prod0[p], seen[p])


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
    out_occupied: I64,
    offset: int,
    fix_alpha: bool,
) -> None:
    """Run ``n_iter`` Gibbs iterations of each of L independent chains ("levels").

    One chain for :func:`aban.estimate.lcmcr.fit_lcmcr`; the particles of a
    population for :mod:`aban.estimate.smc`. ``counts`` is (L, patterns): each
    level may hold its own data. The state arrays have a leading level axis:
    ``ratio`` (L, lists, K), ``pi``, ``prod0``, ``seen`` and ``base`` (L, K),
    ``scalars`` (L, 2) holding ``[alpha, n0]``; all updated in place.

    Every ``thinning``-th iteration stores level 0's N, alpha and number of
    occupied classes at ``out_*[offset + i]``; ``thinning == 0`` stores nothing
    (burn-in). ``fix_alpha`` holds alpha at its value (R's warm-up).
    """
    levels, n_list, n_class = ratio.shape
    scratch = (
        np.empty(n_class),
        np.empty((3, n_class)),
        np.empty(n_class, dtype=np.int64),
        np.empty((n_list, n_class), dtype=np.int64),
    )
    orders = np.empty((levels, n_class), dtype=np.int64)
    n_obs = np.empty(levels, dtype=np.int64)
    _start_levels(counts, pi, prod0, base, orders, n_obs)
    state = (rs, ptr, idx, counts, prior, ratio, pi, prod0, seen, base, scalars)
    out = (out_n, out_alpha, out_occupied)
    _iterate(state, scratch, orders, n_obs, out, n_iter, thinning, offset, fix_alpha)


@jit
def _start_levels(
    counts: I64, pi: F64, prod0: F64, base: F64, orders: I64, n_obs: I64
) -> None:
    """Before the loop, for each level: the classes in their own order, the number
    observed and the class bases (:func:`class_bases`)."""
    for lv in range(counts.shape[0]):
        for k in range(orders.shape[1]):
            orders[lv, k] = k
        n_obs[lv] = counts[lv].sum()
        class_bases(pi[lv], prod0[lv], base[lv])


@jit
def _iterate(
    state: tuple[U64, I64, I64, I64, F64, F64, F64, F64, F64, F64, F64],
    scratch: tuple[F64, F64, I64, I64],
    orders: I64,
    n_obs: I64,
    out: tuple[I64, F64, I64],
    n_iter: int,
    thinning: int,
    offset: int,
    fix_alpha: bool,
) -> None:
    """The loop of :func:`run_sweeps`, on borrowed views of its arrays."""
    rs = borrowed(state[0])
    ptr = borrowed(state[1])
    idx = borrowed(state[2])
    counts = borrowed(state[3])
    prior = borrowed(state[4])
    ratio = borrowed(state[5])
    pi = borrowed(state[6])
    prod0 = borrowed(state[7])
    seen = borrowed(state[8])
    base = borrowed(state[9])
    scalars = borrowed(state[10])
    work = (
        borrowed(scratch[0]),
        borrowed(scratch[1]),
        borrowed(scratch[2]),
        borrowed(scratch[3]),
    )
    orders = borrowed(orders)
    out_n = borrowed(out[0])
    out_alpha = borrowed(out[1])
    out_occupied = borrowed(out[2])
    for it in range(n_iter):
        occupied = 0
        for lv in range(ratio.shape[0]):
            alpha, n0, occ = sweep(
                rs,
                ptr,
                idx,
                counts[lv],
                n_obs[lv],
                prior,
                ratio[lv],
                pi[lv],
                prod0[lv],
                seen[lv],
                base[lv],
                orders[lv],
                work,
                scalars[lv, 0],
                int(scalars[lv, 1]),
                fix_alpha,
            )
            scalars[lv, 0] = alpha
            scalars[lv, 1] = n0
            if lv == 0:
                occupied = occ
        if thinning > 0 and (it + 1) % thinning == 0:
            out_n[offset] = n_obs[0] + int(scalars[0, 1])
            out_alpha[offset] = scalars[0, 0]
            out_occupied[offset] = occupied
            offset += 1


def native_sweeps() -> tuple[bytes, str, tuple[str, ...]]:
    """:func:`run_sweeps` compiled with a C signature, as machine code to keep.

    Returns the object code, the name of its entry point and the external
    symbols it refers to (numba's helpers and runtime, CPython's, libm's), for
    :mod:`aban.estimate.native`, which loads it in later processes without
    importing numba. The entry point takes raw pointers and sizes (the order of
    :data:`aban.estimate.native.PROTOTYPE`), runs the loop of :func:`run_sweeps`
    on the scratch arrays it is given (it allocates nothing), and returns 0, or 1
    if the loop raised (numba's exception cannot cross a C signature; the caller
    raises an error of its own).

    Compiles at each call (a few seconds once numba's cache holds the kernels it
    calls); reads numba's private ``_library`` (what its own cache serializes).
    """
    i64, f64, u64 = types.int64, types.float64, types.uint64
    pointer = cast(Callable[[Any], Any], types.CPointer)  # untyped in numba
    p_i64, p_f64 = pointer(i64), pointer(f64)
    signature = types.int32(
        pointer(u64),  # rs
        p_i64,  # ptr
        p_i64,  # idx
        i64,  # idx's length
        p_i64,  # counts
        i64,  # levels
        i64,  # patterns
        i64,  # lists
        i64,  # classes
        p_f64,  # prior
        p_f64,  # ratio
        p_f64,  # pi
        p_f64,  # prod0
        p_f64,  # seen
        p_f64,  # base
        p_f64,  # scalars
        i64,  # n_iter
        i64,  # thinning
        p_i64,  # out_n
        p_f64,  # out_alpha
        p_i64,  # out_occupied
        i64,  # length of the out arrays
        i64,  # offset
        i64,  # fix_alpha
        p_f64,  # scratch w (classes)
        p_f64,  # scratch work (3 x classes)
        p_i64,  # scratch nk (classes)
        p_i64,  # scratch sjk (lists x classes)
        p_i64,  # orders (levels x classes)
        p_i64,  # n_obs (levels)
    )

    def entry(  # noqa: PLR0913 - a C signature: one argument per pointer and size
        rs_: Any,
        ptr_: Any,
        idx_: Any,
        n_idx: int,
        counts_: Any,
        levels: int,
        n_pattern: int,
        n_list: int,
        n_class: int,
        prior_: Any,
        ratio_: Any,
        pi_: Any,
        prod0_: Any,
        seen_: Any,
        base_: Any,
        scalars_: Any,
        n_iter: int,
        thinning: int,
        out_n_: Any,
        out_alpha_: Any,
        out_occupied_: Any,
        n_out: int,
        offset: int,
        fix_alpha: int,
        w_: Any,
        work_: Any,
        nk_: Any,
        sjk_: Any,
        orders_: Any,
        n_obs_: Any,
    ) -> int:
        try:
            counts = carray(counts_, (levels, n_pattern))
            pi = carray(pi_, (levels, n_class))
            prod0 = carray(prod0_, (levels, n_class))
            base = carray(base_, (levels, n_class))
            orders = carray(orders_, (levels, n_class))
            n_obs = carray(n_obs_, levels)
            _start_levels(counts, pi, prod0, base, orders, n_obs)
            state = (
                carray(rs_, 4),
                carray(ptr_, n_pattern + 1),
                carray(idx_, n_idx),
                counts,
                carray(prior_, 2),
                carray(ratio_, (levels, n_list, n_class)),
                pi,
                prod0,
                carray(seen_, (levels, n_class)),
                base,
                carray(scalars_, (levels, 2)),
            )
            scratch = (
                carray(w_, n_class),
                carray(work_, (3, n_class)),
                carray(nk_, n_class),
                carray(sjk_, (n_list, n_class)),
            )
            out = (
                carray(out_n_, n_out),
                carray(out_alpha_, n_out),
                carray(out_occupied_, n_out),
            )
            _iterate(
                state,
                scratch,
                orders,
                n_obs,
                out,
                n_iter,
                thinning,
                offset,
                fix_alpha != 0,
            )
        except Exception:  # noqa: BLE001 - reported as a status, raised again by numba
            return 1
        return 0

    compiled = numba.cfunc(signature, nogil=True)(entry)
    library = cast(Any, compiled)._library
    _, _, (code, _) = library.serialize_using_object_code()
    module = library._final_module
    externals = {
        f.name
        for f in module.functions
        if f.is_declaration and not f.name.startswith("llvm.")
    } | {g.name for g in module.global_variables if g.is_declaration}
    return code, compiled.native_name, tuple(sorted(externals))
