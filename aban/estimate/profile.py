"""Profile-likelihood intervals for a population size N.

Given a profile log-likelihood ``l(N)`` (the likelihood maximised over every
other parameter), the 95% interval is the set of N with
``2 (max l - l(N)) <= 3.84``, the chi-squared(1) quantile (Cormack 1992).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from scipy.optimize import brentq, minimize_scalar

__all__ = ["CHI2_95", "likelihood_interval"]

CHI2_95 = 3.841458820694124
_GIVE_UP = 1000.0


def likelihood_interval(
    loglik: Callable[[float], float], observed: float, guess: float, scale: float
) -> tuple[float, float]:
    """The 95% profile-likelihood interval of N.

    Args:
        loglik: the profile log-likelihood, defined for ``N > observed``.
        observed: n, the smallest possible N.
        guess: a point estimate near the maximum.
        scale: a step size, e.g. the standard error of the estimate.

    Returns:
        ``(lower, upper)``; ``lower`` is n when the likelihood at n is within
        the cut-off, ``upper`` is inf when it stays within the cut-off up to a
        thousand times n.
    """
    step = max(scale, 1.0)
    low = observed + 1e-9
    best = minimize_scalar(
        lambda v: -loglik(v),
        bounds=(low, max(guess + 20.0 * step, 2.0 * guess)),
        method="bounded",
        options={"xatol": 1e-7},
    )
    mode, top = float(best.x), -float(best.fun)
    if loglik(guess) > top:
        mode, top = guess, loglik(guess)

    def gap(total: float) -> float:
        return 2.0 * (top - loglik(total)) - CHI2_95

    lower = observed if gap(low) <= 0 else float(brentq(gap, low, mode, xtol=1e-7))
    upper = mode
    while gap(upper + step) <= 0:
        upper += step
        step *= 2.0
        if upper > _GIVE_UP * max(observed, 1.0):
            return lower, math.inf
    return lower, float(brentq(gap, upper, upper + step, xtol=1e-7))
