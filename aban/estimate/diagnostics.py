"""Convergence diagnostics of MCMC draws from several chains.

Every function takes ``draws`` shaped (chains, draws per chain) of one scalar
quantity. The methods are those of A. Gelman et al., *Bayesian Data Analysis*
(3rd ed., 2013, section 11.4: split R-hat, effective sample size from the
autocorrelations, Geyer's initial monotone sequence) and A. Vehtari, A. Gelman,
D. Simpson, B. Carpenter and P.-C. Buerkner, "Rank-normalization, folding, and
localization: an improved R-hat for assessing convergence of MCMC", Bayesian
Analysis 16 (2021): rank-normalized bulk and tail R-hat and ESS, and the Monte
Carlo standard error of quantiles. Undefined values (too few draws, constant
draws) are NaN; chains that are each constant, but not all at the same value,
have an infinite R-hat (they disagree, and nothing within a chain says by how
little).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

__all__ = [
    "autocovariance",
    "average_ranks",
    "ess",
    "ess_bulk",
    "ess_tail",
    "mcse_quantile",
    "normal_quantile",
    "rank_normalize",
    "rank_rhat",
    "split_chains",
    "split_rhat",
]

F64 = npt.NDArray[np.float64]
MIN_DRAWS = 4


def _chains(draws: npt.ArrayLike) -> F64:
    """Draws as a float (chains, draws) array; one chain if 1-D."""
    x = np.asarray(draws, dtype=np.float64)
    return x[None, :] if x.ndim == 1 else x


def split_chains(draws: npt.ArrayLike) -> F64:
    """Each chain cut in two halves (the middle draw dropped when odd): (2M, n // 2)."""
    x = _chains(draws)
    half = x.shape[1] // 2
    return np.vstack([x[:, :half], x[:, x.shape[1] - half :]])


def average_ranks(values: npt.ArrayLike) -> F64:
    """Ranks 1..S of the values, flattened in C order; ties get their average rank."""
    flat = np.asarray(values, dtype=np.float64).ravel()
    order = np.argsort(flat, kind="stable")
    ordered = flat[order]
    first = np.ones(flat.size, dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(first)
    ends = np.append(starts[1:], flat.size)
    ranks = np.empty(flat.size)
    ranks[order] = ((starts + ends + 1) / 2.0)[np.cumsum(first) - 1]
    return ranks


# Wichura's algorithm AS 241 (PPND16), Applied Statistics 37 (1988) 477-484: the
# coefficients of its three rational approximations, highest power first.
_CENTRAL = (
    (
        2509.0809287301226727,
        33430.575583588128105,
        67265.770927008700853,
        45921.953931549871457,
        13731.693765509461125,
        1971.5909503065514427,
        133.14166789178437745,
        3.387132872796366608,
    ),
    (
        5226.495278852545925,
        28729.085735721942674,
        39307.89580009271061,
        21213.794301586595867,
        5394.1960214247511077,
        687.1870074920579083,
        42.313330701600911252,
        1.0,
    ),
)
_NEAR = (
    (
        7.7454501427834140764e-4,
        0.0227238449892691845833,
        0.24178072517745061177,
        1.27045825245236838258,
        3.64784832476320460504,
        5.7694972214606914055,
        4.6303378461565452959,
        1.42343711074968357734,
    ),
    (
        1.05075007164441684324e-9,
        5.475938084995344946e-4,
        0.0151986665636164571966,
        0.14810397642748007459,
        0.68976733498510000455,
        1.6763848301838038494,
        2.05319162663775882187,
        1.0,
    ),
)
_FAR = (
    (
        2.01033439929228813265e-7,
        2.71155556874348757815e-5,
        0.0012426609473880784386,
        0.026532189526576123093,
        0.29656057182850489123,
        1.7848265399172913358,
        5.4637849111641143699,
        6.6579046435011037772,
    ),
    (
        2.04426310338993978564e-15,
        1.4215117583164458887e-7,
        1.8463183175100546818e-5,
        7.868691311456132591e-4,
        0.0148753612908506148525,
        0.13692988092273580531,
        0.59983220655588793769,
        1.0,
    ),
)


def _ratio(coefficients: tuple[tuple[float, ...], ...], t: F64) -> F64:
    numerator, denominator = coefficients
    return np.asarray(np.polyval(numerator, t) / np.polyval(denominator, t))


def normal_quantile(prob: npt.ArrayLike) -> F64:
    """Phi^-1(prob), the standard normal quantile, for probabilities in (0, 1).

    Wichura's AS 241, accurate to about 1e-16 (relative), in NumPy: SciPy's
    ``ndtri`` would cost every LCMCR command a quarter of a second of imports.
    """
    p = np.asarray(prob, dtype=np.float64)
    q = p - 0.5
    out = np.empty_like(p)
    central = np.abs(q) <= 0.425
    out[central] = q[central] * _ratio(_CENTRAL, 0.180625 - q[central] ** 2)
    tail = ~central
    r = np.sqrt(-np.log(np.minimum(p[tail], 1.0 - p[tail])))
    near = r <= 5.0
    value = np.where(near, _ratio(_NEAR, r - 1.6), _ratio(_FAR, r - 5.0))
    out[tail] = np.where(q[tail] < 0.0, -value, value)
    return out


def rank_normalize(draws: npt.ArrayLike) -> F64:
    """Normal scores of pooled ranks, Phi^-1((r - 3/8) / (S + 1/4)); ties averaged."""
    x = _chains(draws)
    ranks = average_ranks(x).reshape(x.shape)
    return normal_quantile((ranks - 0.375) / (x.size + 0.25))


def _rhat(x: F64) -> float:
    """Gelman-Rubin potential scale reduction of (already split) chains: NaN when
    every draw is the same, infinite when each chain is constant but not all alike."""
    n = x.shape[1]
    if n < 2 or x.shape[0] < 2 or not np.isfinite(x).all():
        return math.nan
    if (x == x[:, :1]).all():
        # Compared exactly: the variance of constant floats need not be 0.
        return math.nan if (x == x[0, 0]).all() else math.inf
    within = x.var(axis=1, ddof=1).mean()
    between_n = x.mean(axis=1).var(ddof=1)
    return float(math.sqrt(((n - 1) / n * within + between_n) / within))


def split_rhat(draws: npt.ArrayLike) -> float:
    """Classic split R-hat (BDA3): chains halved, then sqrt(var+ / W)."""
    x = _chains(draws)
    return math.nan if x.shape[1] < MIN_DRAWS else _rhat(split_chains(x))


def rank_rhat(draws: npt.ArrayLike) -> float:
    """Rank-normalized split R-hat: the larger of the bulk and the folded (tail) one.

    The folded draws can be constant where the draws are not (two values either
    side of the median, as with chains at 2 and 3 occupied classes): the bulk
    R-hat alone is then the answer. NaN when both are undefined.
    """
    x = _chains(draws)
    if x.shape[1] < MIN_DRAWS:
        return math.nan
    bulk = _rhat(split_chains(rank_normalize(x)))
    tail = _rhat(split_chains(rank_normalize(np.abs(x - np.median(x)))))
    defined = [value for value in (bulk, tail) if not math.isnan(value)]
    return max(defined) if defined else math.nan


def autocovariance(x: npt.ArrayLike) -> F64:
    """Autocovariance of one series at lags 0..n-1 (biased, divided by n), via FFT."""
    y = np.asarray(x, dtype=np.float64)
    n = y.shape[0]
    y = y - y.mean()
    size = 1 << (2 * n - 1).bit_length()
    spectrum = np.fft.rfft(y, size)
    return np.asarray(np.fft.irfft(spectrum * np.conj(spectrum), size)[:n] / n)


def _autocorrelations(x: F64) -> F64 | None:
    """Combined autocorrelations over chains (BDA3 11.5), or None if constant."""
    n_chain, n = x.shape
    acov = np.array([autocovariance(chain) for chain in x])
    mean_var = acov[:, 0].mean() * n / (n - 1)
    var_plus = mean_var * (n - 1) / n
    if n_chain > 1:
        var_plus += x.mean(axis=1).var(ddof=1)
    if not var_plus > 0.0:
        return None
    return np.asarray(1.0 - (mean_var - acov.mean(axis=0)) / var_plus)


def _geyer_tau(rho: F64) -> float:
    """Integrated autocorrelation time from Geyer's initial monotone sequence."""
    n = rho.shape[0]
    pairs = []
    for t in range(0, n - 1, 2):
        pair = rho[t] + rho[t + 1]
        if pair < 0.0:
            break
        pairs.append(pair)
    if not pairs:
        return 1.0
    monotone = np.minimum.accumulate(np.array(pairs))
    return float(-1.0 + 2.0 * monotone.sum())


def ess(draws: npt.ArrayLike) -> float:
    """Effective sample size of the draws as given (no splitting, no ranks)."""
    x = _chains(draws)
    if x.shape[1] < MIN_DRAWS or not np.isfinite(x).all():
        return math.nan
    rho = _autocorrelations(x)
    if rho is None:
        return math.nan
    total = x.size
    tau = max(_geyer_tau(rho), 1.0 / math.log10(total))
    return float(total / tau)


def ess_bulk(draws: npt.ArrayLike) -> float:
    """Bulk effective sample size: ESS of the rank-normalized split chains."""
    x = _chains(draws)
    if x.shape[1] < MIN_DRAWS:
        return math.nan
    return ess(split_chains(rank_normalize(x)))


def _ess_quantile(x: F64, prob: float) -> float:
    """ESS of the indicator draws <= the prob-quantile, on split chains."""
    indicator = (x <= np.quantile(x, prob)).astype(np.float64)
    return ess(split_chains(indicator))


def ess_tail(draws: npt.ArrayLike) -> float:
    """Tail effective sample size: the smaller ESS of the 5% and 95% quantiles."""
    x = _chains(draws)
    if x.shape[1] < MIN_DRAWS:
        return math.nan
    return min(_ess_quantile(x, 0.05), _ess_quantile(x, 0.95))


def mcse_quantile(draws: npt.ArrayLike, prob: float) -> float:
    """Monte Carlo standard error of the prob-quantile (Vehtari et al. 2021, 4.3).

    The ESS of the indicator sets a Beta interval of +-1 sd on the probability
    scale, mapped back through the sorted draws; the result is half its width.
    """
    x = _chains(draws)
    if x.shape[1] < MIN_DRAWS:
        return math.nan
    size = _ess_quantile(x, prob)
    if math.isnan(size):
        return math.nan
    from scipy import stats

    beta = stats.beta(size * prob + 1.0, size * (1.0 - prob) + 1.0)
    low, high = beta.ppf([stats.norm.cdf(-1.0), stats.norm.cdf(1.0)])
    ordered = np.sort(x.ravel())
    last = ordered.size - 1
    lo = ordered[max(0, min(last, int(math.floor(low * ordered.size))))]
    hi = ordered[max(0, min(last, int(math.ceil(high * ordered.size)) - 1))]
    return float((hi - lo) / 2.0)
