"""Poisson regression with a log link, fitted by iteratively reweighted least squares.

The log-linear capture-recapture models are Poisson GLMs on the cells of the
contingency table. This module fits them and decides whether the maximum
likelihood estimate exists at all (it does not when zero cells let a parameter
run off to infinity; Haberman 1974, Fienberg and Rinaldo 2012).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import linprog
from scipy.special import gammaln, xlogy

__all__ = ["PoissonFit", "deviance", "facial_set", "fit_poisson", "loglik"]

_MAX_ITER = 100
_TOL = 1e-11
_LP_TOL = 1e-7

Vector = npt.NDArray[np.float64]
Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class PoissonFit:
    """A fitted Poisson log-linear model.

    Attributes:
        coef: the coefficients (minimum-norm when the design is rank-deficient).
        fitted: the fitted means, one per row of the design.
        cov: the inverse Fisher information (a pseudo-inverse when singular).
        rank: the rank of the design.
        iterations: IRLS iterations used.
        converged: whether the relative change in deviance fell below tolerance.
    """

    coef: Vector
    fitted: Vector
    cov: Matrix
    rank: int
    iterations: int
    converged: bool


def loglik(y: Vector, mu: Vector) -> float:
    """The Poisson log-likelihood, including the ``-log(y!)`` terms."""
    return float(np.sum(xlogy(y, mu) - mu - gammaln(y + 1.0)))


def deviance(y: Vector, mu: Vector) -> float:
    """The Poisson deviance against the saturated model (``0 log 0 = 0``)."""
    ratio = np.where(y > 0, y / np.where(mu > 0, mu, 1.0), 1.0)
    return float(2.0 * np.sum(xlogy(y, ratio) - (y - mu)))


def _solve(info: Matrix, rhs: Vector) -> Vector:
    """Solve the normal equations, falling back to least squares when singular."""
    try:
        return np.asarray(np.linalg.solve(info, rhs), dtype=np.float64)
    except np.linalg.LinAlgError:
        return np.asarray(np.linalg.lstsq(info, rhs, rcond=None)[0], dtype=np.float64)


def _covariance(x: Matrix, mu: Vector, rank: int) -> Matrix:
    info = x.T @ (mu[:, None] * x)
    if rank == x.shape[1]:
        try:
            return np.asarray(np.linalg.inv(info), dtype=np.float64)
        except np.linalg.LinAlgError:
            pass
    return np.asarray(np.linalg.pinv(info, hermitian=True), dtype=np.float64)


def fit_poisson(
    x: Matrix,
    y: Vector,
    *,
    start: Vector | None = None,
    max_iter: int = _MAX_ITER,
    rank: int | None = None,
) -> PoissonFit:
    """Fit ``log E[y] = x @ coef`` by IRLS with step halving.

    Args:
        x: the design, rows x parameters.
        y: the counts, one per row (non-negative).
        start: starting coefficients (e.g. from a neighbouring model).
        max_iter: the iteration limit.
        rank: the rank of ``x`` when the caller knows it (saves an SVD).

    Returns:
        The fit. ``converged`` is False when the limit was reached, which for a
        Poisson model means that some coefficient is diverging. A model whose
        information matrix breaks down (a diverging fit on a sparse table) gives
        non-finite coefficients, silently: callers treat its estimate as not
        finite.
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return _irls(x, y, start, max_iter, rank)


def _irls(
    x: Matrix, y: Vector, start: Vector | None, max_iter: int, rank: int | None
) -> PoissonFit:
    """The IRLS iterations of :func:`fit_poisson`."""
    if rank is None:
        rank = int(np.linalg.matrix_rank(x))
    if start is None:
        mu = y + 0.1
        eta = np.log(mu)
        coef = np.zeros(x.shape[1])
    else:
        coef = start.copy()
        eta = x @ coef
        mu = np.exp(eta)
    dev = deviance(y, mu)
    converged = False
    iterations = 0
    for iterations in range(1, max_iter + 1):
        z = eta + (y - mu) / mu
        new = _solve(x.T @ (mu[:, None] * x), x.T @ (mu * z))
        new_dev, new = _halve(
            x, y, coef, new, dev, first=start is None and iterations == 1
        )
        eta = np.clip(x @ new, -700.0, 700.0)
        mu = np.exp(eta)
        done = abs(new_dev - dev) / (abs(new_dev) + 0.1) < _TOL
        coef, dev = new, new_dev
        if done:
            converged = bool(np.isfinite(coef).all())
            break
    return PoissonFit(coef, mu, _covariance(x, mu, rank), rank, iterations, converged)


def _halve(
    x: Matrix, y: Vector, old: Vector, new: Vector, dev: float, *, first: bool
) -> tuple[float, Vector]:
    """Halve the step until the deviance is finite and does not increase."""
    for _ in range(30):
        eta = x @ new
        if np.all(eta < 700.0):
            new_dev = deviance(y, np.exp(eta))
            if math.isfinite(new_dev) and (
                first or new_dev <= dev * (1 + 1e-12) + 1e-9
            ):
                return new_dev, new
        new = (old + new) / 2.0
    return deviance(y, np.exp(np.clip(x @ new, -700.0, 700.0))), new


def facial_set(x: Matrix, y: Vector) -> npt.NDArray[np.bool_]:
    """The cells whose fitted means stay positive in the (extended) MLE.

    The MLE exists exactly when this is every cell. A zero cell falls outside
    when some direction ``d`` of the coefficients keeps ``x @ d`` zero on the
    positive cells and non-positive on the zero cells, negative on that one:
    moving along ``d`` raises the likelihood without limit. Each round of a
    linear programme finds such cells; rounds repeat until none is left.

    Args:
        x: the design.
        y: the counts.

    Returns:
        A boolean mask over the rows of ``x``.
    """
    face = np.ones(len(y), dtype=bool)
    zero = y <= 0
    if not zero.any():
        return face
    while True:
        open_ = zero & face
        if not open_.any():
            return face
        found = _negative_cells(x, face & ~zero, open_, x[~face])
        if not found.any():
            return face
        face &= ~found


def _negative_cells(
    x: Matrix,
    positive: npt.NDArray[np.bool_],
    candidates: npt.NDArray[np.bool_],
    dropped: Matrix,
) -> npt.NDArray[np.bool_]:
    """One linear programme: which candidate cells can be pushed below zero."""
    xc = x[candidates]
    a_ub = np.vstack([xc, -xc, dropped]) if dropped.size else np.vstack([xc, -xc])
    b_ub = np.concatenate([np.zeros(len(xc)), np.ones(len(xc)), np.zeros(len(dropped))])
    xp = x[positive]
    result = linprog(
        c=xc.sum(axis=0),
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=xp if len(xp) else None,
        b_eq=np.zeros(len(xp)) if len(xp) else None,
        bounds=(None, None),
        method="highs",
    )
    mask = np.zeros(x.shape[0], dtype=bool)
    if result.status != 0:
        return mask
    values = xc @ result.x
    mask[np.flatnonzero(candidates)[values < -_LP_TOL]] = True
    return mask


def unbounded_along_face(
    x: Matrix, face: npt.NDArray[np.bool_], target: Vector
) -> bool:
    """Whether ``target @ coef`` can grow without limit as the likelihood rises.

    The directions that raise the likelihood towards its supremum keep
    ``x @ d`` zero on the face and non-positive off it; this maximises
    ``target @ d`` over them (within a box).

    Args:
        x: the design.
        face: the facial set (see :func:`facial_set`).
        target: a linear function of the coefficients, e.g. the design row of
            the unobserved cell.
    """
    inside, outside = x[face], x[~face]
    result = linprog(
        c=-target,
        A_ub=outside if len(outside) else None,
        b_ub=np.zeros(len(outside)) if len(outside) else None,
        A_eq=inside if len(inside) else None,
        b_eq=np.zeros(len(inside)) if len(inside) else None,
        bounds=(-1.0, 1.0),
        method="highs",
    )
    return bool(result.status == 0 and -float(result.fun) > _LP_TOL)
