"""The thresholds that clustering and its refinement share."""

from __future__ import annotations

from dataclasses import dataclass

#: Weight of a pair of records that no blocking rule brought together.
MISSING_WEIGHT = -7.0


@dataclass(frozen=True)
class ClusterRules:
    """Thresholds of :func:`cluster_records`, all in match weight (log2 odds).

    Attributes:
        threshold: Least average weight of a merge.
        min_weight: Least weight of any scored pair inside a cluster.
        same_source_weight: Least weight of a pair of records of one source,
            unless the pair reaches the threshold and the average of the other
            pairs of the merge (or move) that joins them reaches this weight.
        missing_weight: Weight of a pair that was not scored.
    """

    threshold: float
    min_weight: float
    same_source_weight: float
    missing_weight: float = MISSING_WEIGHT
