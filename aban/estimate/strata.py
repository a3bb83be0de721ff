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

Lists that listed nobody in a stratum are left out of that stratum's fit.

Randomness: LCMCR only. Stratum ``i`` (0-based, in the order given, flagged strata
included) is fitted with seed ``seed + i`` (``fit_lcmcr`` turns each into an
independent ``np.random.SeedSequence``), so the result is reproducible from
``seed`` and a single stratum is fitted exactly as ``aban mse --model lcmcr --seed
SEED`` would fit it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from aban.errors import EstimationError
from aban.estimate.diagnostics import ess_bulk, rank_rhat
from aban.estimate.result import Estimate
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

Model = Literal["lcmcr", "loglinear"]
#: Called with the work done so far and the total work (iterations for LCMCR,
#: strata for log-linear models).
Progress = Callable[[int, int], None]
I8 = npt.NDArray[np.int8]
I64 = npt.NDArray[np.int64]


@dataclass(frozen=True)
class SparseRule:
    """When a stratum is too sparse to estimate (see the module docstring).

    Attributes:
        min_lists: least number of lists that listed anyone in the stratum.
        min_persons: least number of persons observed in the stratum.
        min_overlap: least number of persons on two or more lists.
    """

    min_lists: int = 2
    min_persons: int = 30
    min_overlap: int = 1

    def reasons(self, patterns: I8, counts: I64) -> tuple[str, ...]:
        """Why a stratum's histories are too sparse; empty when they are not."""
        used = int((counts @ patterns > 0).sum()) if counts.size else 0
        seen = int(counts.sum())
        overlap = int(counts[patterns.sum(axis=1) >= 2].sum()) if counts.size else 0
        found = []
        if used < self.min_lists:
            found.append(
                f"{used} list{'' if used == 1 else 's'} listed anyone "
                f"(fewer than {self.min_lists})"
            )
        if seen < self.min_persons:
            found.append(f"{seen} persons observed (fewer than {self.min_persons})")
        if overlap < self.min_overlap:
            found.append(
                "no person is on two or more lists"
                if overlap == 0
                else f"{overlap} persons on two or more lists "
                f"(fewer than {self.min_overlap})"
            )
        return tuple(found)


@dataclass(frozen=True)
class LcmcrSettings:
    """The LCMCR settings used for every stratum (see ``fit_lcmcr``).

    The defaults fit a four-list stratum of a few thousand persons in about a
    second on one core per chain.
    """

    K: int = 10
    burnin: int = 20_000
    samples: int = 2_000
    thinning: int = 20
    chains: int = 2
    a_alpha: float = 0.25
    b_alpha: float = 0.25

    def iterations(self) -> int:
        """Gibbs iterations of one stratum, all chains together."""
        per_chain = -(-self.samples // self.chains)
        return self.chains * (self.burnin + per_chain * self.thinning)


@dataclass(frozen=True)
class StratumHistories:
    """The capture histories of one stratum.

    Attributes:
        label: the stratum, e.g. ``"Tehran"`` or ``"2019-11-16"``.
        patterns: rows x lists of 0/1 (no all-zero row).
        counts: persons with each pattern.
    """

    label: str
    patterns: I8
    counts: I64

    @property
    def observed(self) -> int:
        """Persons observed in this stratum."""
        return int(self.counts.sum())


def group_histories(
    patterns: npt.ArrayLike, labels: Sequence[str]
) -> tuple[tuple[StratumHistories, ...], int]:
    """Capture histories per stratum from one pattern per person.

    Args:
        patterns: persons x lists of 0/1: which lists listed each person.
        labels: each person's stratum.

    Returns:
        The strata in sorted order (``"unknown"`` last), each with its distinct
        patterns and their counts, and the number of persons on no list (left out).

    Raises:
        EstimationError: the patterns and labels do not match.
    """
    pat = np.asarray(patterns, dtype=np.int8)
    if pat.ndim != 2 or pat.shape[0] != len(labels):
        raise EstimationError("one capture pattern per person and one stratum each")
    listed = pat.any(axis=1)
    names = np.asarray(labels, dtype=object)
    strata = []
    for label in sorted(set(names[listed].tolist()), key=_stratum_order):
        rows = pat[listed & (names == label)]
        unique, counts = np.unique(rows, axis=0, return_counts=True)
        strata.append(
            StratumHistories(
                str(label), unique.astype(np.int8), counts.astype(np.int64)
            )
        )
    return tuple(strata), int((~listed).sum())


def _stratum_order(label: str) -> tuple[bool, str]:
    return (label == "unknown", label)


@dataclass(frozen=True)
class StratumEstimate:
    """One stratum's estimate, or why it has none.

    Attributes:
        label: the stratum.
        observed: persons observed in it.
        lists: the lists that listed anyone in it (those the fit used).
        estimate: the stratum's estimate; None when it is flagged.
        flag: ``""`` (estimated), ``"sparse"`` or ``"failed"``.
        reasons: why it is flagged, one line each.
    """

    label: str
    observed: int
    lists: tuple[str, ...]
    estimate: Estimate | None
    flag: str = ""
    reasons: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: label, observed, lists, flag, reasons and the estimate."""
        return {
            "label": self.label,
            "observed": self.observed,
            "lists": list(self.lists),
            "flag": self.flag,
            "reasons": list(self.reasons),
            "estimate": None if self.estimate is None else self.estimate.to_dict(),
        }


def _number(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return float(value)


@dataclass(frozen=True)
class StrataResult:
    """The total over all strata.

    Attributes:
        model: ``"lcmcr"`` or ``"loglinear"``.
        by: what the strata are (``"province"``, ...), None for one stratum.
        lists: every list's name.
        strata: each stratum's estimate or flag, in order.
        estimate: the total (estimated strata plus the floor); NaN when no
            stratum could be estimated.
        lower: lower end of the 95% interval of the total.
        upper: upper end (infinite when no stratum could be estimated).
        observed: persons observed in all strata.
        floor: persons observed in flagged strata, counted as they are.
        se: standard error of the total (log-linear only).
        interval: how the interval was obtained.
        settings: everything needed to reproduce it (seed, model settings, rule).
        notes: what the reader must know (flagged strata, warnings), one line each.
        extra: method-specific figures (R-hat and ESS of the summed draws).
    """

    model: str
    by: str | None
    lists: tuple[str, ...]
    strata: tuple[StratumEstimate, ...]
    estimate: float
    lower: float
    upper: float
    observed: int
    floor: int
    se: float | None = None
    interval: str = ""
    settings: Mapping[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "settings", MappingProxyType(dict(self.settings)))
        object.__setattr__(self, "extra", MappingProxyType(dict(self.extra)))

    @property
    def sparse(self) -> tuple[str, ...]:
        """The labels of the flagged strata."""
        return tuple(s.label for s in self.strata if s.flag)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; non-finite numbers become null."""
        return {
            "model": self.model,
            "by": self.by,
            "lists": list(self.lists),
            "estimate": _number(self.estimate),
            "lower": _number(self.lower),
            "upper": _number(self.upper),
            "observed": self.observed,
            "floor": self.floor,
            "se": _number(self.se),
            "interval": self.interval,
            "sparse": list(self.sparse),
            "notes": list(self.notes),
            "settings": _plain(self.settings),
            "extra": _plain(self.extra),
            "strata": [s.to_dict() for s in self.strata],
        }


def _plain(value: Any) -> Any:
    """Mappings and tuples as JSON values; non-finite floats as None."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


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
    return _combine(
        fitted, names, model, by, _settings(model, seed, lcmcr, criterion, rule, engine)
    )


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
            "estimate": math.nan, "lower": float(floor), "upper": math.inf,
            "interval": "", "extra": {},
        }  # fmt: skip
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
