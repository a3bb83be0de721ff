"""Choosing and averaging hierarchical log-linear models, and their :class:`Estimate`.

Search: on up to five lists every hierarchical model with interactions up to
order 3 (order 2 on three lists) is fitted; on six or more lists the models with
pairwise interactions only are searched exactly by branch and bound
(:mod:`aban.estimate.search`), after a stepwise search (forward and backward, one
term at a time, from the independence model) has given a first best. Models are
ranked by AIC or BIC (see :mod:`aban.estimate.loglinear` for the conventions);
models whose estimate is not finite are never chosen.

Averaging (Buckland et al. 1997) is over Occam's window (Madigan and Raftery
1994): the models whose criterion is within ``2 log 20`` (about 6) of the best,
at least 1/20 as likely. Each is weighted by ``exp(-delta / 2)``; the SE is
``sum w_m sqrt(SE_m**2 + (N_m - N_avg)**2)`` and the interval log-transformed.
A model is refused, and named in a warning, when its estimate is not finite once
the existence of its MLE is checked, when its interval has no upper end, or when
it is more than 20 times the number observed (see :mod:`aban.estimate.checks`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from aban.errors import EstimationError
from aban.estimate.hierarchy import HierarchicalModel, enumerate_models, neighbours
from aban.estimate.loglinear import LoglinearFit, fit_model, profile_interval
from aban.estimate.result import Estimate
from aban.estimate.search import search_pairs
from aban.estimate.tables import (
    check_table,
    complete_table,
    list_names,
    log_interval,
    observed_total,
)

__all__ = [
    "OCCAM_WINDOW",
    "ModelSearch",
    "fit_estimate",
    "fit_extra",
    "loglinear_estimate",
    "prepare_search",
    "search_models",
]

Criterion = Literal["aic", "bic"]
IntervalKind = Literal["profile", "log-transformed"]
Method = Literal["auto", "exhaustive", "branch-and-bound", "stepwise"]
EXHAUSTIVE_UP_TO = 5
#: Occam's window: models at least 1/20 as likely as the best are averaged.
OCCAM_WINDOW = 2.0 * math.log(20.0)
_CLOSE = 2.0
_LISTED = 10


@dataclass(frozen=True)
class ModelSearch:
    """The models fitted by a search, best first.

    Attributes:
        fits: every model fitted, finite estimates first, each group by criterion.
        criterion: ``"aic"`` or ``"bic"``.
        method: ``"exhaustive"``, ``"branch-and-bound"`` or ``"stepwise"``.
        max_order: the highest interaction order searched.
        complete: whether the search covered every model it searches (False when
            branch and bound ran out of its budget of fits).
    """

    fits: tuple[LoglinearFit, ...]
    criterion: Criterion
    method: str
    max_order: int
    complete: bool = True

    @property
    def best(self) -> LoglinearFit:
        """The chosen model."""
        return self.fits[0]

    def score(self, fit: LoglinearFit) -> float:
        """The criterion value of one fit."""
        return fit.aic if self.criterion == "aic" else fit.bic

    def weights(self) -> npt.NDArray[np.float64]:
        """Model weights ``exp(-delta/2)``, normalised; 0 for non-finite fits."""
        scores = np.array([self.score(f) if f.finite else np.inf for f in self.fits])
        weights = np.exp(-(scores - scores.min()) / 2.0)
        return np.asarray(weights / weights.sum(), dtype=np.float64)


def _rank(fits: Iterable[LoglinearFit], criterion: Criterion) -> list[LoglinearFit]:
    def key(fit: LoglinearFit) -> tuple[bool, float, str]:
        score = fit.aic if criterion == "aic" else fit.bic
        return (not fit.finite, score, fit.model.text)

    return sorted(fits, key=key)


def _stepwise(
    table: npt.NDArray[np.float64], t: int, max_order: int, criterion: Criterion
) -> list[LoglinearFit]:
    seen: dict[HierarchicalModel, LoglinearFit] = {}

    def fit(model: HierarchicalModel) -> LoglinearFit:
        if model not in seen:
            seen[model] = fit_model(table, model, diagnose=False)
        return seen[model]

    current = fit(HierarchicalModel.independence(t))
    while True:
        options = _rank(
            [fit(m) for m in neighbours(current.model, max_order)], criterion
        )
        better = [
            o
            for o in options
            if o.finite and _key(o, criterion) < _key(current, criterion)
        ]
        if not better:
            return list(seen.values())
        current = better[0]


def _key(fit: LoglinearFit, criterion: Criterion) -> float:
    return fit.aic if criterion == "aic" else fit.bic


def _penalty(table: npt.NDArray[np.float64], criterion: Criterion) -> float:
    return 2.0 if criterion == "aic" else math.log(max(table[1:].sum(), 1.0))


def search_models(
    table: npt.NDArray[np.float64],
    *,
    criterion: Criterion = "bic",
    max_order: int | None = None,
    method: Method = "auto",
    window: float = _CLOSE,
) -> ModelSearch:
    """Fit the candidate models to a complete table and rank them.

    Args:
        table: the ``2**t`` cell counts (see ``complete_table``).
        criterion: ``"bic"`` or ``"aic"``.
        max_order: the highest interaction order; default 3 (capped at t - 1) for
            an exhaustive search, 2 otherwise.
        method: ``"auto"`` is exhaustive up to five lists and branch and bound
            beyond (stepwise when ``max_order`` is above 2); ``"branch-and-bound"``
            searches pairwise models only.
        window: branch and bound returns at least every model within this much
            of the best (averaging asks for :data:`OCCAM_WINDOW`).

    Returns:
        The search, its best model checked for existence of the MLE. After branch
        and bound, ``fits`` holds at least every model within ``window`` of
        the best.

    Raises:
        EstimationError: no model gave a finite estimate.
    """
    t = int(round(math.log2(len(table))))
    if method == "auto":
        method = (
            "exhaustive"
            if t <= EXHAUSTIVE_UP_TO
            else ("stepwise" if (max_order or 2) > 2 else "branch-and-bound")
        )
    order = min(max_order or (3 if method == "exhaustive" else 2), t - 1)
    complete = True
    if method == "exhaustive":
        fits = [fit_model(table, m, diagnose=False) for m in enumerate_models(t, order)]
    elif method == "branch-and-bound":
        order = min(order, 2)
        found = search_pairs(
            table,
            _penalty(table, criterion),
            window=window,
            seeds=tuple(_stepwise(table, t, order, criterion)),
        )
        fits, complete = list(found.fits), found.complete
    else:
        fits = _stepwise(table, t, order, criterion)
    ranked = _rank(fits, criterion)
    while ranked and ranked[0].finite:
        checked = fit_model(table, ranked[0].model)
        if checked.finite:
            ranked[0] = checked
            return ModelSearch(tuple(ranked), criterion, method, order, complete)
        ranked = _rank([checked, *ranked[1:]], criterion)
    raise EstimationError(
        "no log-linear model gives a finite estimate for this table: the lists "
        "overlap too little (or too completely); use --model chapman or --model chao"
    )


def fit_extra(fit: LoglinearFit) -> dict[str, Any]:
    """A fit's deviance, df, AIC, BIC, f0 and number of parameters."""
    return {
        "deviance": fit.deviance,
        "df": fit.df,
        "aic": fit.aic,
        "bic": fit.bic,
        "f0": fit.f0,
        "parameters": fit.model.n_params,
    }


def fit_estimate(
    table: npt.NDArray[np.float64],
    fit: LoglinearFit,
    lists: Sequence[str],
    *,
    interval: IntervalKind = "profile",
    settings: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> Estimate:
    """Turn one fit into an :class:`Estimate` with its 95% interval.

    Args:
        table: the complete table the model was fitted to.
        fit: the fit.
        lists: the list names.
        interval: ``"profile"`` (falls back to log-transformed, with a warning,
            when the profile is unavailable) or ``"log-transformed"``.
        settings: settings to record.
        extra: more figures to record.

    Returns:
        The estimate; ``extra`` also holds both intervals where computed.
    """
    notes = list(fit.warnings)
    log_lo, log_hi = (
        log_interval(fit.observed, fit.f0, fit.se)
        if fit.finite
        else (fit.observed, math.inf)
    )
    prof = profile_interval(table, fit) if fit.finite else None
    kind: str = interval
    lo, hi = log_lo, log_hi
    if interval == "profile" and prof is not None:
        lo, hi = prof
    elif interval == "profile":
        kind = "log-transformed"
        if fit.finite:
            notes.append(
                "profile-likelihood interval unavailable; log-transformed given"
            )
    more = {**fit_extra(fit), "log_interval": [log_lo, log_hi], **(extra or {})}
    if prof is not None:
        more["profile_interval"] = list(prof)
    return Estimate(
        model="loglinear",
        terms=fit.model.labels,
        estimate=fit.estimate,
        lower=float(lo),
        upper=float(hi),
        observed=fit.observed,
        lists=tuple(lists),
        settings={**(settings or {}), "interval": interval},
        se=fit.se,
        interval=kind,
        warnings=tuple(notes),
        extra=more,
    )


def _listing(search: ModelSearch) -> list[dict[str, Any]]:
    weights = search.weights()
    return [
        {
            "terms": f.model.text,
            "estimate": f.estimate,
            "se": f.se,
            **fit_extra(f),
            "weight": float(w),
        }
        for f, w in zip(search.fits[:_LISTED], weights[:_LISTED], strict=False)
    ]


def _close_models(search: ModelSearch) -> list[str]:
    best = search.best
    close = [
        f
        for f in search.fits[1:]
        if f.finite and search.score(f) - search.score(best) < _CLOSE
    ]
    return [
        f"model {f.model.text} is within {_CLOSE:g} {search.criterion.upper()} "
        f"units of the chosen one and gives {f.estimate:,.0f}; consider model "
        "averaging (aban mse --average)"
        for f in close[:3]
    ]


def _incomplete(search: ModelSearch) -> list[str]:
    if search.complete:
        return []
    return [
        f"the model search stopped after {len(search.fits):,} fits, before it had "
        "covered every model with pairwise interactions: a better model may exist"
    ]


def prepare_search(
    patterns: npt.ArrayLike, counts: npt.ArrayLike, lists: Sequence[str] | None
) -> tuple[npt.NDArray[np.float64], tuple[str, ...], int]:
    """The complete table, the list names and n, for a search.

    Raises:
        EstimationError: a malformed table, or no one in it.
    """
    pat, cnt = check_table(patterns, counts)
    names = list_names(pat.shape[1], lists)
    n = observed_total(pat, cnt)
    if n == 0:
        raise EstimationError("the capture histories hold no one: every count is 0")
    return complete_table(pat, cnt), names, n


def loglinear_estimate(
    patterns: npt.ArrayLike,
    counts: npt.ArrayLike,
    lists: Sequence[str] | None = None,
    *,
    model: str | HierarchicalModel | None = None,
    criterion: Criterion = "bic",
    max_order: int | None = None,
    interval: IntervalKind = "profile",
) -> Estimate:
    """Estimate N with a hierarchical log-linear model, given or chosen.

    Args:
        patterns: rows x lists of 0/1 capture histories.
        counts: the number of people with each history.
        lists: the list names (default ``"1"`` ... ``"t"``).
        model: a generating class such as ``"[123,14,34]"``; None chooses one by
            ``criterion`` (see :func:`search_models`).
        criterion: ``"bic"`` (default) or ``"aic"``.
        max_order: the highest interaction order searched.
        interval: ``"profile"`` (default) or ``"log-transformed"``.

    Returns:
        The estimate: ``terms`` is the model, ``extra`` holds deviance, df, AIC,
        BIC, f0, both intervals and (after a search) the ten best models with
        their weights.

    Raises:
        EstimationError: a malformed table or model, or no usable model.

    Example:
        >>> est = loglinear_estimate([[1, 0], [0, 1], [1, 1]], [60, 40, 20])
        >>> round(est.estimate)
        220
    """
    table, names, _ = prepare_search(patterns, counts, lists)
    t = len(names)
    if model is not None:
        chosen = (
            model
            if isinstance(model, HierarchicalModel)
            else HierarchicalModel.parse(model, t)
        )
        if chosen.t != t:
            raise EstimationError(
                f"model {chosen.text} is for {chosen.t} lists, not {t}"
            )
        fit = fit_model(table, chosen)
        return fit_estimate(
            table, fit, names, interval=interval, settings={"model": chosen.text}
        )
    search = search_models(table, criterion=criterion, max_order=max_order)
    settings = {
        "criterion": criterion,
        "search": search.method,
        "max_order": search.max_order,
    }
    extra = {"models": _listing(search), "models_fitted": len(search.fits)}
    est = fit_estimate(
        table, search.best, names, interval=interval, settings=settings, extra=extra
    )
    notes = (*est.warnings, *_incomplete(search), *_close_models(search))
    return Estimate(**{**_fields(est), "warnings": notes})


def _fields(est: Estimate) -> dict[str, Any]:
    return {name: getattr(est, name) for name in Estimate.__dataclass_fields__}
