"""Hierarchical log-linear models for multiple-systems estimation (Fienberg 1972).

The model: the counts of the ``2**t - 1`` observable capture patterns are
independent Poisson with ``log E[y] = X @ beta``, where ``X`` holds an intercept,
the main effect of every list and the interactions of the model (see
:mod:`aban.estimate.hierarchy`). The same model predicts the unobservable cell,
people on no list: ``f0 = exp(intercept)`` and ``N-hat = n + f0``. The
assumptions are a closed population and that the highest interaction missing
from the model is zero in the population.

Conventions (the same as Rcapture, so the figures can be compared):

* ``deviance`` is against the saturated model on the observed cells, with
  ``df = 2**t - 1 - parameters``.
* ``AIC = -2 loglik + 2 p`` and ``BIC = -2 loglik + p log(n)``, with ``loglik``
  the Poisson log-likelihood of the observed cells (``log y!`` included), ``p``
  the number of parameters with the intercept, ``n`` the number observed.
* ``SE(N-hat)**2 = f0 + f0**2 Var(intercept)`` (delta method, plus the Poisson
  variance of the unobserved cell).
* The log-transformed interval is ``n + f0/C`` to ``n + f0*C`` with
  ``C = exp(1.96 sqrt(log(1 + SE**2 / f0**2)))``; the profile-likelihood interval
  is the set of N with ``2 (max l - l(N)) <= 3.84``, ``l`` the multinomial
  likelihood of the complete table with ``N - n`` people in the unobserved cell,
  maximised over the model's parameters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.special import gammaln

from aban.estimate.glm import (
    PoissonFit,
    deviance,
    facial_set,
    fit_poisson,
    loglik,
    unbounded_along_face,
)
from aban.estimate.hierarchy import HierarchicalModel
from aban.estimate.profile import likelihood_interval

__all__ = ["LoglinearFit", "fit_model", "profile_interval"]


@dataclass(frozen=True)
class LoglinearFit:
    """One hierarchical log-linear model fitted to one table.

    Attributes:
        model: the model.
        observed: n, the number of people on at least one list.
        estimate: N-hat (NaN when not identifiable, inf when unbounded).
        f0: the estimated number of people on no list.
        se: the standard error of N-hat.
        deviance: the deviance against the saturated model.
        df: its degrees of freedom.
        loglik: the Poisson log-likelihood of the observed cells.
        aic: Akaike's criterion (see the module docstring).
        bic: Schwarz's criterion.
        converged: whether IRLS converged.
        warnings: one-line messages about identifiability and existence.
        coef: the coefficients, intercept first.
    """

    model: HierarchicalModel
    observed: int
    estimate: float
    f0: float
    se: float
    deviance: float
    df: int
    loglik: float
    aic: float
    bic: float
    converged: bool
    warnings: tuple[str, ...]
    coef: npt.NDArray[np.float64]

    @property
    def finite(self) -> bool:
        """Whether N-hat is a finite number with a finite SE."""
        return math.isfinite(self.estimate) and math.isfinite(self.se)


def fit_model(
    table: npt.NDArray[np.float64],
    model: HierarchicalModel,
    *,
    diagnose: bool = True,
) -> LoglinearFit:
    """Fit one hierarchical model to a complete table.

    Args:
        table: the ``2**t`` cell counts, cell 0 ignored (see
            :func:`aban.estimate.tables.complete_table`).
        model: the model.
        diagnose: check whether the MLE exists (a linear programme; only matters
            when the table has zero cells). Model search turns it off and
            checks the chosen models afterwards.

    Returns:
        The fit. A model holding the interaction of all lists is not
        identifiable: its estimate is NaN and it carries a warning.
    """
    y = table[1:]
    x = model.design()[1:]
    n = int(round(y.sum()))
    if model.saturated:
        note = (
            f"model {model.text} is not identifiable: its interaction of all "
            f"{model.t} lists leaves nothing to predict the people on no list"
        )
        return _result(model, n, y, fit_poisson(x, y), math.nan, (note,))
    face = facial_set(x, y) if diagnose and (y == 0).any() else np.ones(len(y), bool)
    if face.all():
        fit = fit_poisson(x, y, rank=x.shape[1])
        notes = () if fit.converged else (_diverging(model),)
        return _result(model, n, y, fit, _f0(fit), notes)
    return _fit_on_face(model, n, x, y, face)


def _fit_on_face(
    model: HierarchicalModel,
    n: int,
    x: npt.NDArray[np.float64],
    y: npt.NDArray[np.float64],
    face: npt.NDArray[np.bool_],
) -> LoglinearFit:
    """The extended MLE: cells outside the face fitted as 0, the rest by IRLS."""
    sub = fit_poisson(x[face], y[face])
    fitted = np.zeros(len(y))
    fitted[face] = sub.fitted
    fit = PoissonFit(sub.coef, fitted, sub.cov, sub.rank, sub.iterations, sub.converged)
    zeros = ", ".join(_pattern(int(c) + 1, model.t) for c in np.flatnonzero(~face))
    head = f"the MLE of model {model.text} does not exist (zero cells {zeros})"
    x0 = model.design()[0]
    estimable = np.linalg.matrix_rank(np.vstack([x[face], x0])) == sub.rank
    if not estimable and unbounded_along_face(x, face, x0):
        note = f"{head}: the number on no list is unbounded; choose a smaller model"
        return _result(model, n, y, fit, math.inf, (note,))
    if not estimable:
        note = (
            f"{head}: the number on no list is not determined; choose a smaller model"
        )
        return _result(model, n, y, fit, math.nan, (note,))
    note = f"{head}: those cells are fitted as 0, the SE and intervals are approximate"
    return _result(model, n, y, fit, float(np.exp(x0 @ sub.coef)), (note,))


def _pattern(cell: int, t: int) -> str:
    return "".join(str((cell >> i) & 1) for i in range(t))


def _diverging(model: HierarchicalModel) -> str:
    return (
        f"the fit of model {model.text} did not converge: a parameter is diverging "
        "(the MLE may not exist); do not rely on this estimate"
    )


def _f0(fit: PoissonFit) -> float:
    b0 = float(fit.coef[0])
    return math.exp(b0) if b0 < 700.0 else math.inf


def _result(
    model: HierarchicalModel,
    n: int,
    y: npt.NDArray[np.float64],
    fit: PoissonFit,
    f0: float,
    notes: tuple[str, ...],
) -> LoglinearFit:
    ll = loglik(y, fit.fitted)
    p = model.n_params
    if math.isfinite(f0):
        var0 = (
            float(fit.cov[0, 0]) if fit.rank == len(fit.coef) else _var_x0(model, fit)
        )
        se = math.sqrt(max(f0 + f0 * f0 * var0, 0.0))
        estimate = n + f0
    else:
        se, estimate = math.inf, f0
    return LoglinearFit(
        model=model,
        observed=n,
        estimate=estimate,
        f0=f0,
        se=se,
        deviance=deviance(y, fit.fitted),
        df=len(y) - p,
        loglik=ll,
        aic=-2.0 * ll + 2.0 * p,
        bic=-2.0 * ll + p * math.log(max(n, 1)),
        converged=fit.converged,
        warnings=notes,
        coef=fit.coef,
    )


def _var_x0(model: HierarchicalModel, fit: PoissonFit) -> float:
    x0 = model.design()[0]
    return float(x0 @ fit.cov @ x0)


def _profile_loglik(
    total: float,
    table: npt.NDArray[np.float64],
    x: npt.NDArray[np.float64],
    state: dict[str, npt.NDArray[np.float64]],
) -> float:
    """The multinomial log-likelihood of N = ``total``, maximised over the model."""
    y = table.copy()
    y[0] = total - table[1:].sum()
    start = state["start"] if state["start"].any() else None
    fit = fit_poisson(x, y, start=start, rank=x.shape[1])
    state["start"] = fit.coef
    return (
        loglik(y, fit.fitted)
        + float(gammaln(total + 1.0))
        + total
        - total * math.log(total)
    )


def profile_interval(
    table: npt.NDArray[np.float64], fit: LoglinearFit
) -> tuple[float, float] | None:
    """The 95% profile-likelihood interval of N for a fitted model.

    Args:
        table: the complete table the model was fitted to.
        fit: the fit.

    Returns:
        ``(lower, upper)`` (upper may be inf), or None when the estimate is not
        finite or the MLE lies on the boundary (any warning on the fit).
    """
    if not fit.finite or fit.warnings or fit.f0 <= 0.0:
        return None
    x = fit.model.design()
    state = {"start": fit.coef.copy()}

    def loglik_n(total: float) -> float:
        return _profile_loglik(total, table, x, state)

    return likelihood_interval(loglik_n, float(fit.observed), fit.estimate, fit.se)
