"""Estimating a total stratum by stratum, and combining the strata.

Each stratum (a province, a day, a sex, an age band) is estimated on its own
capture histories, then the strata are added up. Strata are assumed independent
(no person is in two strata) and each is a closed population.

* LCMCR: the posterior of the total is the distribution of the sum of the strata's
  N. Every stratum is fitted with the same settings, so each has the same number of
  draws per chain; the draws are aligned by index (chain by chain, draw by draw,
  after thinning) and added. The total is the median of the summed draws, with the
  2.5% and 97.5% quantiles as its 95% interval.
* log-linear: the strata's estimates are added, and so are their variances; the
  interval is Chao's log-transformed one on the total unseen (see
  :func:`aban.estimate.tables.log_interval`).

Sparse strata are flagged, never estimated (:class:`SparseRule`): a stratum is too
sparse when fewer than ``min_lists`` lists listed anyone in it, when fewer than
``min_persons`` persons were observed in it, or when fewer than ``min_overlap``
persons are on two or more lists (with no overlap there is nothing to estimate
from). A stratum whose estimator fails (no log-linear model gives a finite
estimate) is flagged the same way. Flagged strata enter the total with their
observed persons only, as a floor: the total's interval holds none of their unseen
persons, and the result says so in ``notes``.

Lists that listed nobody in a stratum are left out of that stratum's fit; lists
that listed nobody at all are named in ``notes``. The checks of
:mod:`aban.estimate.checks` are those of ``aban mse``: an LCMCR stratum with too
many lists for its persons carries a warning, and a log-linear stratum whose
estimate is not a result (not finite, no upper bound, or over 20 times its
observed persons) is flagged ``failed``.

Randomness: LCMCR only. Stratum ``i`` (0-based, in the order given, flagged strata
included) is fitted with seed ``seed + i`` (``fit_lcmcr`` turns each into an
independent ``np.random.SeedSequence``), so the result is reproducible from
``seed`` and a single stratum is fitted exactly as ``aban mse --model lcmcr --seed
SEED`` would fit it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from aban.errors import EstimationError
from aban.estimate.checks import implausible, lcmcr_identifiability, prepare_table
from aban.estimate.diagnostics import ess_bulk, rank_rhat
from aban.estimate.strata_data import (
    I64,
    LcmcrSettings,
    Model,
    SparseRule,
    StrataResult,
    StratumEstimate,
    StratumHistories,
    group_histories,
)
from aban.estimate.tables import log_interval

__all__ = [
    "LcmcrSettings",
    "Model",
    "SparseRule",
    "StrataResult",
    "StratumEstimate",
    "StratumHistories",
    "estimate_strata",
    "group_histories",
]

#: Called with the work done so far and the total work (iterations for LCMCR,
#: strata for log-linear models).
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class _Fitted:
    """One stratum after fitting: its estimate and, for LCMCR, its draws of N."""

    stratum: StratumEstimate
    draws: I64 | None = None


def _used_lists(h: StratumHistories) -> npt.NDArray[np.bool_]:
    """Which lists listed anyone in the stratum."""
    return np.asarray(h.counts @ h.patterns > 0)


def _fit_lcmcr(
    h: StratumHistories,
    names: tuple[str, ...],
    used: npt.NDArray[np.bool_],
    options: Mapping[str, Any],
    report: Callable[[int], None],
) -> _Fitted:
    from aban.estimate.lcmcr import fit_lcmcr  # numba compiles on first use

    result = fit_lcmcr(h.patterns[:, used], h.counts, progress=report, **options)
    est = result.to_estimate(names)
    crowded = lcmcr_identifiability(h.patterns[:, used], h.counts)
    if crowded is not None:
        est = replace(est, warnings=(crowded, *est.warnings))
    return _Fitted(StratumEstimate(h.label, h.observed, names, est), result.draws)


def _fit_loglinear(
    h: StratumHistories,
    names: tuple[str, ...],
    used: npt.NDArray[np.bool_],
    criterion: Literal["aic", "bic"],
) -> _Fitted:
    from aban.estimate.selection import loglinear_estimate

    try:
        est = loglinear_estimate(
            h.patterns[:, used], h.counts, names, criterion=criterion
        )
    except EstimationError as err:
        # The message's advice (after ';') names aban mse options: keep the cause.
        why = str(err).split(";")[0]
        stratum = StratumEstimate(h.label, h.observed, names, None, "failed", (why,))
        return _Fitted(stratum)
    refused = implausible(est)
    if refused is not None:
        reason = refused.split(":")[0]
        failed = StratumEstimate(h.label, h.observed, names, None, "failed", (reason,))
        return _Fitted(failed)
    return _Fitted(StratumEstimate(h.label, h.observed, names, est))


def _sum_draws(fitted: Sequence[_Fitted], floor: int) -> dict[str, Any]:
    """The total from the strata's LCMCR draws, aligned by index and added."""
    draws = [f.draws for f in fitted if f.draws is not None]
    total = np.sum(np.stack(draws), axis=0) + floor
    lower, median, upper = np.quantile(total.ravel(), [0.025, 0.5, 0.975])
    return {
        "estimate": float(median),
        "lower": float(lower),
        "upper": float(upper),
        "interval": "posterior-quantiles",
        "draws": total,
        "extra": {
            "mean": float(total.mean()),
            "sd": float(total.std(ddof=1)) if total.size > 1 else math.nan,
            "rhat": rank_rhat(total),
            "ess": ess_bulk(total),
        },
    }


def _sum_estimates(fitted: Sequence[_Fitted], floor: int) -> dict[str, Any]:
    """The total of log-linear strata: estimates and variances added."""
    ests = [f.stratum.estimate for f in fitted if f.stratum.estimate is not None]
    total = sum(e.estimate for e in ests)
    seen = sum(e.observed for e in ests)
    variance = sum(math.inf if e.se is None else e.se**2 for e in ests)
    se = math.sqrt(variance)
    lower, upper = log_interval(seen, total - seen, se)
    return {
        "estimate": total + floor,
        "lower": lower + floor,
        "upper": upper + floor,
        "se": se,
        "interval": "log-transformed",
        "extra": {},
    }


def _notes(fitted: Sequence[_Fitted], floor: int) -> list[str]:
    flagged = [f.stratum.label for f in fitted if f.stratum.flag]
    notes = []
    if flagged:
        shown = ", ".join(flagged[:10]) + (", ..." if len(flagged) > 10 else "")
        notes.append(
            f"{len(flagged)} of {len(fitted)} strata not estimated ({shown}): their "
            f"{floor} observed persons are added as they are, a floor with no unseen "
            "persons"
        )
    if len(flagged) == len(fitted):
        notes.append("no stratum could be estimated: the total is unknown")
    for f in fitted:
        est = f.stratum.estimate
        where = f"stratum {f.stratum.label}: " if len(fitted) > 1 else ""
        for warning in () if est is None else est.warnings:
            notes.append(where + warning)
    return notes


def _counter(total: int, progress: Progress | None) -> Callable[[int], None]:
    done = 0

    def report(step: int) -> None:
        nonlocal done
        done += step
        if progress is not None:
            progress(done, total)

    return report


def estimate_strata(
    strata: Sequence[StratumHistories],
    lists: Sequence[str],
    *,
    model: Model = "lcmcr",
    by: str | None = None,
    seed: int = 1,
    lcmcr: LcmcrSettings | None = None,
    criterion: Literal["aic", "bic"] = "bic",
    rule: SparseRule | None = None,
    engine: Literal["numba", "numpy"] = "numba",
    progress: Progress | None = None,
) -> StrataResult:
    """Estimate every stratum that is not too sparse, and combine them.

    Model, assumptions, combination and randomness: see the module docstring.

    Args:
        strata: the strata's capture histories (see :func:`group_histories`).
        lists: the list names, one per pattern column.
        model: ``"lcmcr"`` (default) or ``"loglinear"`` (chosen by ``criterion``
            in each stratum).
        by: what the strata are, recorded in the result.
        seed: LCMCR seed; stratum ``i`` uses ``seed + i``.
        lcmcr: LCMCR settings for every stratum (defaults: :class:`LcmcrSettings`).
        criterion: how log-linear models are chosen.
        rule: when a stratum is too sparse (defaults: :class:`SparseRule`).
        engine: LCMCR sampler, ``"numba"`` or the NumPy reference ``"numpy"``.
        progress: called with (work done, total work) as strata are fitted.

    Returns:
        The total with its 95% interval, each stratum's estimate or flag, notes.

    Raises:
        EstimationError: no stratum, mismatched list names, or invalid LCMCR
            settings.
    """
    names = tuple(lists)
    if not strata:
        raise EstimationError("no one is on any list: there is nothing to estimate")
    if any(h.patterns.shape[1] != len(names) for h in strata):
        raise EstimationError(
            f"every stratum needs one column for each of {len(names)} lists"
        )
    rule, lcmcr = rule or SparseRule(), lcmcr or LcmcrSettings()
    reasons = [rule.reasons(h.patterns, h.counts) for h in strata]
    work = sum(not r for r in reasons) * (lcmcr.iterations() if model == "lcmcr" else 1)
    report = _counter(work, progress)
    fitted = []
    for i, (h, why) in enumerate(zip(strata, reasons, strict=True)):
        used = _used_lists(h)
        kept = tuple(n for n, u in zip(names, used, strict=True) if u)
        if why:
            fitted.append(
                _Fitted(StratumEstimate(h.label, h.observed, kept, None, "sparse", why))
            )
        elif model == "lcmcr":
            options = {**asdict(lcmcr), "seed": seed + i, "engine": engine}
            fitted.append(_fit_lcmcr(h, kept, used, options, report))
        else:
            fitted.append(_fit_loglinear(h, kept, used, criterion))
            report(1)
    result = _combine(
        fitted, names, model, by, _settings(model, seed, lcmcr, criterion, rule, engine)
    )
    empty = _empty_lists(strata, names)
    return replace(result, notes=(*empty, *result.notes)) if empty else result


def _empty_lists(
    strata: Sequence[StratumHistories], names: tuple[str, ...]
) -> tuple[str, ...]:
    """The note naming lists that listed no one in any stratum."""
    patterns = np.concatenate([h.patterns for h in strata])
    counts = np.concatenate([h.counts for h in strata])
    try:
        table = prepare_table(patterns, counts, names)
    except EstimationError:
        return ()  # fewer than two lists with records: every stratum says why
    return tuple(n for n in table.notes if n.endswith("left out"))


def _settings(
    model: Model,
    seed: int,
    lcmcr: LcmcrSettings,
    criterion: str,
    rule: SparseRule,
    engine: str,
) -> dict[str, Any]:
    chosen: dict[str, Any] = (
        {"seed": seed, **asdict(lcmcr), "engine": engine}
        if model == "lcmcr"
        else {"criterion": criterion}
    )
    return {"model": model, **chosen, "sparse_rule": asdict(rule)}


def _combine(
    fitted: Sequence[_Fitted],
    names: tuple[str, ...],
    model: Model,
    by: str | None,
    settings: dict[str, Any],
) -> StrataResult:
    floor = sum(f.stratum.observed for f in fitted if f.stratum.flag)
    observed = sum(f.stratum.observed for f in fitted)
    if all(f.stratum.flag for f in fitted):
        total: dict[str, Any] = {
            "estimate": math.nan,
            "lower": float(floor),
            "upper": math.inf,
            "interval": "",
            "extra": {},
        }
    elif model == "lcmcr":
        total = _sum_draws(fitted, floor)
    else:
        total = _sum_estimates(fitted, floor)
    return StrataResult(
        model=model,
        by=by,
        lists=names,
        strata=tuple(f.stratum for f in fitted),
        observed=observed,
        floor=floor,
        settings=settings,
        notes=tuple(_notes(fitted, floor)),
        **total,
    )
