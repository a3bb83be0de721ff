"""Averaging log-linear models over Occam's window, refusing implausible members.

The models are those of :func:`aban.estimate.selection.search_models` whose
criterion is within :data:`aban.estimate.selection.OCCAM_WINDOW` (``2 log 20``) of
the best (Madigan and Raftery 1994). Each is checked for existence of its MLE
(the linear programme of :mod:`aban.estimate.glm`) and refused when its estimate
is then not finite (N unbounded or not determined, or no finite SE, so no upper
end to its interval) or more than ``PLAUSIBLE_RATIO`` times the number observed.
A model whose MLE does not exist but whose extended MLE (the cells outside the
face fitted as 0, as for lists that share no one) gives a finite N is kept, as it
is when one model is chosen. The rest are weighted by ``exp(-delta / 2)``
(Buckland et al. 1997): the estimate is the weighted mean, the SE
``sum w_m sqrt(SE_m**2 + (N_m - N_avg)**2)``, and the interval log-transformed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from aban.errors import EstimationError
from aban.estimate.checks import PLAUSIBLE_RATIO
from aban.estimate.loglinear import LoglinearFit, fit_model
from aban.estimate.result import Estimate
from aban.estimate.selection import (
    OCCAM_WINDOW,
    Criterion,
    ModelSearch,
    fit_extra,
    prepare_search,
    search_models,
)
from aban.estimate.tables import log_interval

__all__ = ["averaged_estimate"]

_NAMED = 5
_LISTED = 10


def _refusal(fit: LoglinearFit, observed: int) -> str | None:
    if not fit.finite:
        return "no finite estimate"
    if fit.estimate > PLAUSIBLE_RATIO * observed:
        return f"{fit.estimate:,.0f}, over {PLAUSIBLE_RATIO} times the observed"
    return None


def _members(
    table: npt.NDArray[np.float64], search: ModelSearch, observed: int
) -> tuple[list[LoglinearFit], list[tuple[LoglinearFit, str]]]:
    """The models in the window, checked: those kept and those refused (why)."""
    best = search.score(search.best)
    sparse = bool((table[1:] == 0).any())
    kept, refused = [], []
    for fit in search.fits:
        if not search.score(fit) - best <= OCCAM_WINDOW:
            continue
        checked = fit_model(table, fit.model) if sparse else fit
        why = _refusal(checked, observed)
        if why is None:
            kept.append(checked)
        else:
            refused.append((checked, why))
    return kept, refused


def _refused_note(
    refused: list[tuple[LoglinearFit, str]], total: int, criterion: str
) -> list[str]:
    if not refused:
        return []
    named = "; ".join(f"{f.model.text} ({why})" for f, why in refused[:_NAMED])
    more = f"; and {len(refused) - _NAMED} more" if len(refused) > _NAMED else ""
    return [
        f"model averaging leaves out {len(refused)} of the {total} models within "
        f"{OCCAM_WINDOW:.1f} {criterion.upper()} units of the best: {named}{more}"
    ]


def averaged_estimate(
    patterns: npt.ArrayLike,
    counts: npt.ArrayLike,
    lists: Sequence[str] | None = None,
    *,
    criterion: Criterion = "bic",
    max_order: int | None = None,
) -> Estimate:
    """The model-averaged log-linear estimate over Occam's window.

    Model, weights, refusals: see the module docstring.

    Args:
        patterns: rows x lists of 0/1 capture histories.
        counts: the number of people with each history.
        lists: the list names.
        criterion: the weights are ``exp(-delta/2)`` of this criterion.
        max_order: the highest interaction order searched.

    Returns:
        The estimate (``model`` ``"loglinear-averaged"``, no terms) with the
        Buckland SE and a log-transformed interval; ``extra["models"]`` lists the
        members (ten at most) with their weights, ``extra["refused"]`` every model
        left out and why, and a warning names them.

    Raises:
        EstimationError: a malformed table, or no model left to average.
    """
    table, names, n = prepare_search(patterns, counts, lists)
    search = search_models(
        table, criterion=criterion, max_order=max_order, window=OCCAM_WINDOW
    )
    kept, refused = _members(table, search, n)
    if not kept:
        raise EstimationError(
            "no model can be averaged: every model close to the best has no finite "
            f"estimate or one over {PLAUSIBLE_RATIO} times the number observed"
        )
    scores = np.array([search.score(f) for f in kept])
    weights = np.exp(-(scores - scores.min()) / 2.0)
    weights /= weights.sum()
    mean = float(sum(w * f.estimate for f, w in zip(kept, weights, strict=True)))
    se = float(
        sum(
            w * math.sqrt(f.se**2 + (f.estimate - mean) ** 2)
            for f, w in zip(kept, weights, strict=True)
        )
    )
    lo, hi = log_interval(n, mean - n, se)
    ranked = sorted(zip(kept, weights, strict=True), key=lambda m: -m[1])
    listing: list[dict[str, Any]] = [
        {"terms": f.model.text, "estimate": f.estimate, "se": f.se, **fit_extra(f)}
        | {"weight": float(w)}
        for f, w in ranked[:_LISTED]
    ]
    notes = _refused_note(refused, len(kept) + len(refused), criterion)
    boundary = sum(1 for f in kept if f.warnings)
    if boundary:
        notes.append(
            f"{boundary} of the {len(kept)} models averaged have no MLE in the usual "
            "sense (cells fitted as 0, e.g. lists that share no one): their SEs are "
            "approximate"
        )
    if not search.complete:
        notes.append(
            f"the model search stopped after {len(search.fits):,} fits: models "
            "within the window may be missing"
        )
    return Estimate(
        model="loglinear-averaged",
        terms=None,
        estimate=mean,
        lower=lo,
        upper=hi,
        observed=n,
        lists=names,
        settings={
            "criterion": criterion,
            "search": search.method,
            "max_order": search.max_order,
            "average": "occam-window",
        },
        se=se,
        interval="log-transformed",
        warnings=tuple(notes),
        extra={
            "models": listing,
            "members": len(kept),
            "models_fitted": len(search.fits),
            "refused": [{"terms": f.model.text, "reason": w} for f, w in refused],
        },
    )
