"""How the estimate moves with the linkage threshold: a what-if, nothing is written.

Linkage errors move multiple-systems estimates: two records of one victim left
apart look like two persons, each seen by fewer lists, which inflates the estimate;
two victims merged into one hide a person and inflate the overlap, which deflates
it. :func:`sensitivity_table` re-clusters the last link run's scored pairs at each
threshold with the linkage package's own clustering (reviewers' decisions as
must-link and cannot-link, exactly as ``aban link`` applies them), rebuilds the
capture histories and re-estimates the total (without strata). At the link run's
own threshold it reproduces the persons of that run.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from aban.errors import EstimationError
from aban.estimate.strata import StrataResult, StratumHistories, group_histories
from aban.linkage.clusters import cluster_records
from aban.linkage.engine import cluster_rules
from aban.linkage.rules import weight
from aban.store.db import Connection
from aban.store.links import decisions
from aban.store.runs import last_run, run_details

__all__ = [
    "DEFAULT_THRESHOLDS",
    "SensitivityRow",
    "StoredLinkage",
    "cluster_patterns",
    "counted_clusters",
    "load_linkage",
    "recluster",
    "sensitivity_table",
]

#: Match probabilities at which the total is re-estimated by default (with the
#: last link run's own threshold added).
DEFAULT_THRESHOLDS = (0.01, 0.05, 0.2, 0.5, 0.8, 0.9, 0.95, 0.99)
#: Re-estimates the total from the strata (one stratum here) with a progress callback.
Estimator = Callable[
    [Sequence[StratumHistories], Callable[[int, int], None]], StrataResult
]


@dataclass(frozen=True)
class SensitivityRow:
    """The total re-estimated with persons clustered at one threshold.

    Attributes:
        threshold: the match probability at which records were linked.
        persons: persons (clusters) at that threshold.
        observed: persons on at least one systematic list.
        estimate: the estimated total (NaN when it could not be estimated).
        lower: lower end of its 95% interval.
        upper: upper end.
        flag: ``""``, or why it was not estimated (``"sparse"``, ``"failed"``).
        current: True for the last link run's own threshold.
    """

    threshold: float
    persons: int
    observed: int
    estimate: float
    lower: float
    upper: float
    flag: str = ""
    current: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; non-finite numbers become null."""

        def number(value: float) -> float | None:
            return float(value) if math.isfinite(value) else None

        return {
            "threshold": self.threshold,
            "persons": self.persons,
            "observed": self.observed,
            "estimate": number(self.estimate),
            "lower": number(self.lower),
            "upper": number(self.upper),
            "flag": self.flag,
            "current": self.current,
        }


@dataclass(frozen=True)
class StoredLinkage:
    """What re-clustering needs, by record index (register order).

    Attributes:
        records: record row ids.
        sources: each record's source name.
        pairs: the last link run's scored pairs ``(i, j, match_weight)``.
        must: reviewers' match decisions.
        cannot: reviewers' non-match decisions.
        threshold: the link run's match probability threshold.
    """

    records: list[int]
    sources: list[str]
    pairs: list[tuple[int, int, float]]
    must: list[tuple[int, int]]
    cannot: list[tuple[int, int]]
    threshold: float | None


def load_linkage(conn: Connection) -> StoredLinkage:
    """The last link run's scored pairs and the standing decisions.

    Raises:
        EstimationError: there has been no link run yet.
    """
    run_id = last_run(conn, "link")
    if run_id is None:
        raise EstimationError("no link run yet: run 'aban link' first")
    rows = conn.execute(
        "select r.id, s.name from live_records r join sources s on s.id = r.source_id "
        "order by r.id"
    ).fetchall()
    index = {int(rid): i for i, (rid, _) in enumerate(rows)}
    pairs = [
        (index[a], index[b], weight(p) if w is None else float(w))
        for a, b, p, w in conn.execute(
            "select record_a, record_b, match_probability, match_weight "
            "from scored_pairs where run_id = ? order by record_a, record_b",
            (run_id,),
        )
        if a in index and b in index
    ]
    must: list[tuple[int, int]] = []
    cannot: list[tuple[int, int]] = []
    for (a, b), decision in sorted(decisions(conn).items()):
        if a in index and b in index:
            (must if decision == "match" else cannot).append((index[a], index[b]))
    threshold = run_details(conn, run_id)["settings"].get("threshold")
    return StoredLinkage(
        [int(r) for r, _ in rows],
        [str(s) for _, s in rows],
        pairs,
        must,
        cannot,
        None if threshold is None else float(threshold),
    )


def recluster(linkage: StoredLinkage, threshold: float) -> list[int]:
    """Each record's cluster (its smallest record index) at ``threshold``."""
    return cluster_records(
        linkage.sources,
        linkage.pairs,
        cluster_rules(threshold),
        linkage.must,
        linkage.cannot,
    )


def cluster_patterns(
    labels: Sequence[int], sources: Sequence[str], lists: Sequence[str]
) -> npt.NDArray[np.int8]:
    """Clusters x lists of 0/1: which lists have a record in each cluster."""
    roots, cluster = np.unique(np.asarray(labels), return_inverse=True)
    column = {name: j for j, name in enumerate(lists)}
    patterns = np.zeros((len(roots), len(lists)), dtype=np.int8)
    for i, source in enumerate(sources):
        if source in column:
            patterns[cluster[i], column[source]] = 1
    return patterns


def counted_clusters(
    labels: Sequence[int], records: Sequence[int], counted: Collection[int]
) -> npt.NDArray[np.bool_]:
    """Per cluster (in :func:`cluster_patterns` order): is a record of it counted."""
    _, cluster = np.unique(np.asarray(labels), return_inverse=True)
    kept = np.zeros(int(cluster.max()) + 1 if len(cluster) else 0, dtype=np.bool_)
    for i, record in enumerate(records):
        if record in counted:
            kept[cluster[i]] = True
    return kept


def _row(
    threshold: float, persons: int, result: StrataResult, current: float | None
) -> SensitivityRow:
    flag = result.strata[0].flag if result.strata else "sparse"
    return SensitivityRow(
        threshold=threshold,
        persons=persons,
        observed=result.observed,
        estimate=result.estimate,
        lower=result.lower,
        upper=result.upper,
        flag=flag,
        current=current is not None and math.isclose(threshold, current),
    )


def sensitivity_table(
    conn: Connection,
    lists: Sequence[str],
    thresholds: Sequence[float] | None,
    estimate: Estimator,
    progress: Callable[[str, int, int], None] | None = None,
    counted: Collection[int] | None = None,
) -> tuple[SensitivityRow, ...]:
    """Re-cluster the last link run at each threshold and re-estimate the total.

    Nothing is written: persons, runs and pairs stay as they are.

    Args:
        conn: the register.
        lists: the systematic lists' names.
        thresholds: match probabilities, each strictly between 0 and 1; None for
            :data:`DEFAULT_THRESHOLDS` and the last link run's threshold.
        estimate: fits the histories of one stratum (the caller's model, seed and
            settings).
        progress: called with a stage name, work done and total work.
        counted: record ids of the persons the toll counts; a cluster enters the
            estimate when one of its records is counted (None: every cluster).

    Returns:
        One row per threshold, in increasing order of threshold.

    Raises:
        EstimationError: no link run yet, or a threshold out of range.
    """
    wrong = [t for t in thresholds or () if not 0.0 < t < 1.0]
    if wrong:
        raise EstimationError(
            f"linkage thresholds must be between 0 and 1 (got {wrong[0]:g})"
        )
    linkage = load_linkage(conn)
    if thresholds is None:
        current = () if linkage.threshold is None else (linkage.threshold,)
        thresholds = (*DEFAULT_THRESHOLDS, *current)
    rows = []
    for threshold in sorted(set(thresholds)):
        labels = recluster(linkage, threshold)
        patterns = cluster_patterns(labels, linkage.sources, lists)
        if counted is not None:
            patterns = patterns[counted_clusters(labels, linkage.records, counted)]
        strata, _ = group_histories(patterns, ["all"] * len(patterns))
        if not strata:
            raise EstimationError("no one is on any list: there is nothing to estimate")
        stage = f"sensitivity {threshold:g}"

        def report(done: int, total: int, stage: str = stage) -> None:
            if progress is not None:
                progress(stage, done, total)

        result = estimate(strata, report)
        rows.append(_row(threshold, len(patterns), result, linkage.threshold))
    return tuple(rows)
