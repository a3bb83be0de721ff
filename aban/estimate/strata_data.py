"""What stratified estimation takes and gives: settings, histories, results.

See :mod:`aban.estimate.strata` for how strata are estimated and combined; this
module holds the data types only, so that readers of stored results need not load
the estimators.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from aban.errors import EstimationError
from aban.estimate.result import Estimate

__all__ = [
    "LcmcrSettings",
    "Model",
    "SparseRule",
    "StrataResult",
    "StratumEstimate",
    "StratumHistories",
    "group_histories",
]

Model = Literal["lcmcr", "loglinear"]
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
    init: str = "dispersed"
    sampler: str = "auto"
    particles: int = 500

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
        draws: LCMCR only: the posterior draws of the total (chains x draws per
            chain, the strata's draws added); not part of :meth:`to_dict`.
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
    draws: I64 | None = field(default=None, compare=False, repr=False)

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
