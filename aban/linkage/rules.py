"""The thresholds that clustering and its refinement share."""

from __future__ import annotations

import math
from dataclasses import dataclass


def weight(probability: float) -> float:
    """A match probability as a weight: log2 of its odds (clipped to 1e-12 from 0
    and 1, so that every probability has a finite weight)."""
    p = min(max(probability, 1e-12), 1 - 1e-12)
    return math.log2(p / (1 - p))


#: Pairs scored below this probability are not returned (nor kept for clustering).
PAIR_FLOOR = 0.01
#: Weight of a pair of records that was not scored: no blocking rule brought it
#: up, or it was scored below :data:`PAIR_FLOOR` and dropped. It counts at the
#: floor's weight (-6.63), the most that is known of it; -7.0 counted it below
#: every kept pair, a guess that weighs more as the lists grow and more true
#: pairs go unscored (issue 16, ``--noise hard``: 6.2% of the true pairs at
#: 100,000 records, 11.1% at a million). Pairwise F1 at 10,000 records 0.9725 to
#: 0.9735 and 0.9737 to 0.9741 (seeds 20191115, 7), 100,000 0.94046 to 0.94073
#: (precision 0.9732 to 0.9723), a million 0.8915 to 0.8919 (0.9535 to 0.9521);
#: outside lists of 2,000 persons 0.9588 unchanged. Neither -6.3 nor -6.0 was
#: better at every size (-6.3: 100,000 0.94067, 10,000 seed 7 0.9739; -6.0 put
#: the precision at 100,000 at 0.9692).
MISSING_WEIGHT = weight(PAIR_FLOOR)


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
