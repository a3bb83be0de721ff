"""The total with the uncertainty of who is who: estimates over drawn clusterings.

``aban estimate --linkage-uncertainty [DRAWS]`` draws DRAWS clusterings of the
records from the last link run's scored pairs and the reviewers' decisions
(:mod:`aban.linkage.draws`: Sadinle 2018; Chen, Shrivastava and Steorts 2018),
builds each clustering's capture histories over the systematic lists exactly as
the register's persons give them (a cluster is counted when one of its records
belongs to a person the toll counts; with ``--by``, its stratum comes from the
canonical values of its records), estimates the total on each with the run's own
model and settings, and combines them (:mod:`aban.estimate.pooling`: LCMCR
posterior draws pooled, the same number from each clustering; log-linear
sampling distributions mixed). It reports the total with an interval that
carries both sampling and linkage uncertainty, the interval of the register's
own clustering (sampling only), and Rubin's decomposition of the variance of
log N into within-clustering (sampling) and between-clustering (linkage) parts.

Randomness: the clusterings come from ``np.random.default_rng([seed,
LINKAGE_STREAM])``; every clustering is fitted with the run's seed (common random
numbers: clusterings that give the same capture histories give the same fit, and
are fitted once). Nothing is written: the caller stores the estimate run.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from aban.errors import EstimationError
from aban.estimate.pooling import Decomposition, mixture_quantiles, pool_draws, rubin
from aban.estimate.strata import StrataResult, StratumHistories, group_histories
from aban.linkage.draws import (
    HIGH,
    LOW,
    centred_shift,
    draw_clusterings,
    uncertain_pairs,
)
from aban.store.db import Connection
from aban.store.persons import load_records
from aban.store.rows import LIVE_PERSON
from aban.store.sources import sources_by_name
from aban.vocab.canonical import canonical_values
from aban.vocab.traits import By, stratum_of
from aban.workflow.sensitivity import (
    StoredLinkage,
    cluster_patterns,
    counted_clusters,
    load_linkage,
)

__all__ = [
    "LINKAGE_STREAM",
    "DrawSummary",
    "LinkageUncertainty",
    "linkage_uncertainty",
    "over_clusterings",
]

#: Mixed into the seed of the clusterings' generator, apart from LCMCR's streams.
LINKAGE_STREAM = 14
#: Fits the strata of one clustering (the run's model, seed and settings).
Estimator = Callable[[Sequence[StratumHistories]], StrataResult]


def _number(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


@dataclass(frozen=True)
class DrawSummary:
    """One drawn clustering: its persons and its estimate of the total."""

    persons: int
    observed: int
    estimate: float
    lower: float
    upper: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; non-finite numbers become null."""
        return {
            "persons": self.persons,
            "observed": self.observed,
            "estimate": _number(self.estimate),
            "lower": _number(self.lower),
            "upper": _number(self.upper),
        }


@dataclass(frozen=True)
class LinkageUncertainty:
    """The total over drawn clusterings; ``to_dict`` is its ``--json`` object.

    Attributes:
        draws: clusterings drawn.
        distinct: distinct capture histories among them (each fitted once).
        seed: the run's seed.
        band: the uncertain band of calibrated match probabilities.
        calibration_bits: log2 odds added to each pair before it is drawn.
        pairs_drawn: scored pairs drawn in each clustering.
        expected_matches: how many of them are matches in an average draw.
        pairs_decided: scored pairs a reviewer decided (never drawn).
        estimate: the total over the clusterings (median of the pooled
            posterior or of the mixture).
        lower: 2.5% point of the combined distribution (sampling and linkage).
        upper: 97.5% point.
        interval: how the combined interval was made.
        sampling: estimate, lower and upper of the register's own clustering.
        decomposition: Rubin's rules on log N.
        clusterings: each draw's persons and estimate, in draw order.
        notes: what the reader must know, one line each.
    """

    draws: int
    distinct: int
    seed: int
    band: tuple[float, float]
    calibration_bits: float
    pairs_drawn: int
    expected_matches: float
    pairs_decided: int
    estimate: float
    lower: float
    upper: float
    interval: str
    sampling: tuple[float, float, float]
    decomposition: Decomposition
    clusterings: tuple[DrawSummary, ...]
    notes: tuple[str, ...] = ()

    def settings(self) -> dict[str, Any]:
        """What reproduces the draws (stored in the run's settings)."""
        return {
            "draws": self.draws,
            "band": list(self.band),
            "calibration_bits": self.calibration_bits,
            "seed": self.seed,
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; non-finite numbers become null."""
        persons = [c.persons for c in self.clusterings]
        estimates = [c.estimate for c in self.clusterings]
        return {
            **self.settings(),
            "distinct": self.distinct,
            "pairs_drawn": self.pairs_drawn,
            "expected_matches": self.expected_matches,
            "pairs_decided": self.pairs_decided,
            "combined": {
                "estimate": _number(self.estimate),
                "lower": _number(self.lower),
                "upper": _number(self.upper),
                "interval": self.interval,
            },
            "sampling": {
                "estimate": _number(self.sampling[0]),
                "lower": _number(self.sampling[1]),
                "upper": _number(self.sampling[2]),
            },
            "decomposition": self.decomposition.to_dict(),
            "persons": {"min": min(persons), "max": max(persons)},
            "estimates": {
                "min": _number(float(np.nanmin(estimates))),
                "max": _number(float(np.nanmax(estimates))),
            }
            if any(math.isfinite(e) for e in estimates)
            else {"min": None, "max": None},
            "clusterings": [c.to_dict() for c in self.clusterings],
            "notes": list(self.notes),
        }


class _Strata:
    """A drawn cluster's stratum from its records' canonical values (cached)."""

    def __init__(self, conn: Connection, linkage: StoredLinkage, by: By) -> None:
        self.by = by
        self.records = load_records(conn)
        if [int(r["id"]) for r in self.records] != linkage.records:
            raise EstimationError(
                "records changed while estimating; nothing stored. Run 'aban link' "
                "and 'aban estimate' again"
            )
        self.sources = sources_by_name(conn)
        index = {rid: i for i, rid in enumerate(linkage.records)}
        members: dict[int, list[int]] = {}
        for pid, rid in conn.execute(
            "select pr.person_id, pr.record_id from person_records pr "
            "join live_records r on r.id = pr.record_id"
        ):
            members.setdefault(int(pid), []).append(index[int(rid)])
        # The register's persons keep their stored stratum, so a draw that
        # changes nothing gives exactly the register's strata.
        self.cache: dict[tuple[int, ...], str] = {}
        for pid, text in conn.execute(
            f"select id, canonical from persons p where {LIVE_PERSON}"
        ):
            key = tuple(sorted(members.get(int(pid), ())))
            self.cache[key] = stratum_of(json.loads(text), by)

    def label(self, members: tuple[int, ...]) -> str:
        found = self.cache.get(members)
        if found is None:
            records = [self.records[i] for i in members]
            found = stratum_of(canonical_values(records, self.sources), self.by)
            self.cache[members] = found
        return found


def _cluster_labels(
    labels: Sequence[int], stratum: Callable[[tuple[int, ...]], str] | None
) -> list[str]:
    """Each cluster's stratum, in :func:`cluster_patterns` order."""
    roots, cluster = np.unique(np.asarray(labels), return_inverse=True)
    if stratum is None:
        return ["all"] * len(roots)
    members: list[list[int]] = [[] for _ in roots]
    for i, c in enumerate(cluster):
        members[int(c)].append(i)
    return [stratum(tuple(m)) for m in members]


def _histories(
    labels: Sequence[int],
    linkage: StoredLinkage,
    lists: Sequence[str],
    counted: Collection[int] | None,
    stratum: Callable[[tuple[int, ...]], str] | None,
) -> tuple[tuple[StratumHistories, ...], int]:
    """A clustering's strata and its number of counted persons."""
    patterns = cluster_patterns(labels, linkage.sources, lists)
    names = _cluster_labels(labels, stratum)
    if counted is not None:
        kept = counted_clusters(labels, linkage.records, counted)
        patterns = patterns[kept]
        names = [n for n, k in zip(names, kept, strict=True) if k]
    found, _ = group_histories(patterns, names)
    if not found:
        raise EstimationError("no one is on any list: there is nothing to estimate")
    return found, len(patterns)


def _key(strata: Sequence[StratumHistories]) -> tuple[Any, ...]:
    return tuple(
        (h.label, h.patterns.tobytes(), h.patterns.shape, h.counts.tobytes())
        for h in strata
    )


def _summary(persons: int, result: StrataResult) -> DrawSummary:
    return DrawSummary(
        persons, result.observed, result.estimate, result.lower, result.upper
    )


def _log_moments(result: StrataResult) -> tuple[float, float]:
    """Mean and variance of log N under one clustering's fit."""
    if result.draws is not None:
        logs = np.log(result.draws.ravel().astype(np.float64))
        return float(logs.mean()), float(logs.var(ddof=1))
    se = math.inf if result.se is None else result.se
    return math.log(result.estimate), (se / result.estimate) ** 2


def _combine(
    fits: Sequence[StrataResult], multiplicity: Sequence[int]
) -> tuple[float, float, float, str]:
    """The combined median and 95% interval over the distinct fits."""
    if all(f.draws is not None for f in fits):
        pooled = pool_draws(
            [f.draws for f in fits if f.draws is not None], multiplicity
        )
        lower, median, upper = np.quantile(pooled, [0.025, 0.5, 0.975])
        return float(median), float(lower), float(upper), "pooled-posterior-quantiles"
    expanded = [f for f, c in zip(fits, multiplicity, strict=True) for _ in range(c)]
    observed = [float(f.observed) for f in expanded]
    f0 = [f.estimate - f.observed for f in expanded]
    se = [math.inf if f.se is None else f.se for f in expanded]
    lower, median, upper = mixture_quantiles(observed, f0, se)
    return median, lower, upper, "log-transformed-mixture"


def linkage_uncertainty(
    conn: Connection,
    lists: Sequence[str],
    estimate: Estimator,
    sampling: StrataResult,
    *,
    draws: int,
    seed: int,
    by: By | None = None,
    counted: Collection[int] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> LinkageUncertainty:
    """Estimate the total on ``draws`` clusterings drawn from the register's link.

    Model, combination and randomness: see the module docstring.

    Args:
        conn: the register (read only).
        lists: the systematic lists' names.
        estimate: fits one clustering's strata (the run's model and settings).
        sampling: the estimate on the register's own clustering.
        draws: clusterings to draw (at least 2).
        seed: the run's seed.
        by: the strata, or None.
        counted: record ids of the persons the toll counts (None: every record).
        progress: called with ``"linkage uncertainty"``, draws done and draws.

    Returns:
        The combined total, the register's, the decomposition and each draw.

    Raises:
        EstimationError: no link run, fewer than 2 draws, or a clustering with no
            one on a list.
    """
    if draws < 2:
        raise EstimationError(
            f"linkage uncertainty needs at least 2 draws (got {draws})"
        )
    linkage = load_linkage(conn)
    strata = None if by is None else _Strata(conn, linkage, by)
    return over_clusterings(
        linkage,
        lists,
        estimate,
        sampling,
        draws=draws,
        seed=seed,
        counted=counted,
        stratum=None if strata is None else strata.label,
        progress=progress,
    )


def over_clusterings(
    linkage: StoredLinkage,
    lists: Sequence[str],
    estimate: Estimator,
    sampling: StrataResult,
    *,
    draws: int,
    seed: int,
    counted: Collection[int] | None = None,
    stratum: Callable[[tuple[int, ...]], str] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    low: float = LOW,
    high: float = HIGH,
    shift: float | None = None,
) -> LinkageUncertainty:
    """:func:`linkage_uncertainty` on a stored linkage (no register needed).

    Args:
        linkage: the scored pairs, decisions and threshold of a link run.
        lists: the systematic lists' names.
        estimate: fits one clustering's strata.
        sampling: the estimate on the link run's own clustering.
        draws: clusterings to draw (at least 2).
        seed: the run's seed.
        counted: record ids the toll counts (None: every record).
        stratum: a cluster's stratum from its record indices (None: one).
        progress: called with ``"linkage uncertainty"``, draws done and draws.
        low: lower end of the uncertain band (calibrated match probability).
        high: upper end.
        shift: log2 odds added to each pair before it is drawn (None: centred
            on the link run's threshold).
    """
    threshold = linkage.threshold
    if threshold is None:
        raise EstimationError(
            "the last link run stored no threshold: run 'aban link' again"
        )
    if shift is None:
        shift = centred_shift(threshold)
    rng = np.random.default_rng([seed, LINKAGE_STREAM])
    fits: dict[tuple[Any, ...], StrataResult] = {}
    order: list[tuple[Any, ...]] = []
    summaries = []
    drawn = draw_clusterings(
        linkage.sources,
        linkage.pairs,
        threshold,
        linkage.must,
        linkage.cannot,
        draws=draws,
        rng=rng,
        low=low,
        high=high,
        shift=shift,
    )
    for done, labels in enumerate(drawn, start=1):
        histories, persons = _histories(labels, linkage, lists, counted, stratum)
        key = _key(histories)
        if key not in fits:
            fits[key] = estimate(histories)
        order.append(key)
        summaries.append(_summary(persons, fits[key]))
        if progress is not None:
            progress("linkage uncertainty", done, draws)
    chosen = uncertain_pairs(
        linkage.pairs, (*linkage.must, *linkage.cannot), low=low, high=high, shift=shift
    )
    keys = list(fits)
    multiplicity = [order.count(k) for k in keys]
    return _result(
        [fits[k] for k in keys],
        multiplicity,
        [fits[k] for k in order],
        sampling,
        LinkageUncertainty(
            draws=draws,
            distinct=len(keys),
            seed=seed,
            band=(low, high),
            calibration_bits=shift,
            pairs_drawn=len(chosen.index),
            expected_matches=chosen.expected_matches,
            pairs_decided=chosen.decided,
            estimate=math.nan,
            lower=math.nan,
            upper=math.nan,
            interval="",
            sampling=(sampling.estimate, sampling.lower, sampling.upper),
            decomposition=Decomposition(draws, math.nan, math.nan, math.nan, math.inf),
            clusterings=tuple(summaries),
        ),
    )


def _result(
    fits: Sequence[StrataResult],
    multiplicity: Sequence[int],
    every: Sequence[StrataResult],
    sampling: StrataResult,
    start: LinkageUncertainty,
) -> LinkageUncertainty:
    """Combine the fits into ``start`` (which holds the draws' bookkeeping)."""
    if not all(math.isfinite(f.estimate) and f.estimate > 0 for f in fits):
        failed = sum(
            c
            for f, c in zip(fits, multiplicity, strict=True)
            if not (math.isfinite(f.estimate) and f.estimate > 0)
        )
        return replace(
            start,
            lower=min(f.lower for f in fits),
            upper=math.inf,
            notes=(
                f"{failed} of {start.draws} drawn clusterings could not be estimated: "
                "the total with linkage uncertainty is unknown",
            ),
        )
    moments = [_log_moments(f) for f in every]
    decomposition = rubin([m for m, _ in moments], [v for _, v in moments])
    median, lower, upper, how = _combine(fits, multiplicity)
    share = decomposition.linkage_share
    note = (
        f"the interval carries sampling and linkage uncertainty: {start.draws} "
        f"clusterings drawn from the linkage model; linkage is {share:.0%} of the "
        "variance of log N"
    )
    if sampling.by:
        note += "; the strata's intervals carry sampling uncertainty only"
    return replace(
        start,
        estimate=median,
        lower=lower,
        upper=upper,
        interval=how,
        decomposition=decomposition,
        notes=(note,),
    )
