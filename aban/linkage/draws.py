"""Clusterings drawn from the linkage model: who is who, with its uncertainty.

A link run keeps one clustering of the records (the register's persons), but
its scored pairs say how sure the model is of each pair. Following the
multiple-imputation view of record linkage (Sadinle 2018, "Bayesian propagation
of record linkage uncertainty into population size estimation of human rights
violations", Annals of Applied Statistics 12(2); Chen, Shrivastava and Steorts
2018, "Unique entity estimation with application to the Syrian conflict",
Annals of Applied Statistics 12(2)), and the practice of the Human Rights Data
Analysis Group, who re-estimate over alternative linkages by hand,
:func:`draw_clusterings` draws many clusterings consistent with the model and the
reviewers:

1. Each scored pair whose (calibrated, below) match probability ``p`` lies in the
   uncertain band ``[low, high]`` is drawn a match with probability ``p``, else a
   non-match. A drawn match gets the weight :data:`DRAWN_MATCH` (a pair the model
   is sure of); a drawn non-match gets the clustering's least weight a pair may
   have inside one person (``min_weight``): its records stay apart unless the
   person's other pairs hold them together. Pairs outside the band keep their
   weights (they are near-certain).
2. Reviewers' decisions are never drawn: a match always links, a non-match never
   does, exactly as ``aban link`` applies them.
3. The records are clustered again with the register's own clustering
   (:func:`aban.linkage.clusters.cluster_records`, at the link run's threshold),
   so a draw obeys the same rules against chaining and same-source pairs.

This is an approximation of a posterior over partitions: pairs are drawn
independently and made coherent by the clustering, not drawn jointly as in
Sadinle's or Steorts' samplers. Drawn pairs disagree (A with B and B with C
matches, A with C a non-match); the clustering settles it by its average over
the person's pairs. A drawn non-match that forbade every merge would split a
person at any one of its uncertain pairs: on two simulated worlds of 800 persons
with 10% record errors, such draws gave 819 and 701 persons on average against
the register's 794 and 689 (truth 764 and 674), while the rule above gives 798
and 692.

Centring: the model's probabilities run below the match rates actually observed
(on simulated lists by 2.1 bits of log-odds, over 1,810 pairs of eight worlds),
which is why the register links at a low threshold
(:data:`aban.linkage.engine.DEFAULT_THRESHOLD`, 0.05). Drawing with them as they
are would split persons the register links and bias the total upwards. By default
each pair's log2 odds are shifted by :func:`centred_shift` of the link run's
threshold, so that a pair at the threshold is a match in half of the draws: the
draws are centred on the register's own rule, with no figure fitted to simulated
data. Randomness: the ``rng`` argument only.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from aban.linkage.clusters import cluster_records
from aban.linkage.engine import cluster_rules

__all__ = [
    "CALIBRATION_BITS",
    "DEFAULT_DRAWS",
    "DRAWN_MATCH",
    "HIGH",
    "LOW",
    "PairDraws",
    "centred_shift",
    "draw_clusterings",
    "uncertain_pairs",
]

#: Clusterings drawn by ``aban estimate --linkage-uncertainty`` with no number:
#: enough for the between-clusterings variance to within about a third (its
#: relative standard error is sqrt(2 / (draws - 1))), at 20 times a plain run.
DEFAULT_DRAWS = 20
#: The uncertain band: pairs with a calibrated match probability in it are drawn.
LOW = 0.01
HIGH = 0.99
#: The shift of log2 odds measured on simulated lists (see above); a comparison in
#: the linkage uncertainty benchmark, not a default.
CALIBRATION_BITS = 2.0
#: Weight given to a drawn match (log2 odds; a probability of about 0.999).
DRAWN_MATCH = 10.0


def centred_shift(threshold: float) -> float:
    """Log2 odds that make a pair at the link threshold a match with probability 1/2."""
    return math.log2((1.0 - threshold) / threshold)


def _probability(weight: float) -> float:
    return 1.0 / (1.0 + math.pow(2.0, -weight)) if weight > -1000 else 0.0


@dataclass(frozen=True)
class PairDraws:
    """Which pairs are drawn and with what probability.

    Attributes:
        index: positions (in the scored pairs) of the pairs that are drawn.
        probability: each drawn pair's calibrated match probability.
        decided: scored pairs a reviewer decided (never drawn).
    """

    index: npt.NDArray[np.int64]
    probability: npt.NDArray[np.float64]
    decided: int

    @property
    def expected_matches(self) -> float:
        """The number of drawn pairs expected to be matches in a draw."""
        return float(self.probability.sum())


def uncertain_pairs(
    pairs: Sequence[tuple[int, int, float]],
    decided: Iterable[tuple[int, int]] = (),
    *,
    low: float = LOW,
    high: float = HIGH,
    shift: float = 0.0,
) -> PairDraws:
    """The scored pairs that are drawn: calibrated probability in ``[low, high]``.

    Args:
        pairs: scored pairs ``(i, j, match_weight)``.
        decided: pairs a reviewer decided (either order); they are never drawn.
        low: lower end of the uncertain band.
        high: upper end.
        shift: log2 odds added to each weight before the band is applied.
    """
    known = {(min(a, b), max(a, b)) for a, b in decided}
    index: list[int] = []
    probability: list[float] = []
    skipped = 0
    for k, (i, j, weight) in enumerate(pairs):
        if (min(i, j), max(i, j)) in known:
            skipped += 1
            continue
        p = _probability(weight + shift)
        if low <= p <= high:
            index.append(k)
            probability.append(p)
    return PairDraws(
        np.asarray(index, dtype=np.int64),
        np.asarray(probability, dtype=np.float64),
        skipped,
    )


def draw_clusterings(
    sources: Sequence[str],
    pairs: Sequence[tuple[int, int, float]],
    threshold: float,
    must: Sequence[tuple[int, int]],
    cannot: Sequence[tuple[int, int]],
    *,
    draws: int,
    rng: np.random.Generator,
    low: float = LOW,
    high: float = HIGH,
    shift: float | None = None,
) -> Iterator[list[int]]:
    """Draw ``draws`` clusterings of the records (see the module docstring).

    Args:
        sources: each record's source name (records 0..n-1).
        pairs: the link run's scored pairs ``(i, j, match_weight)``.
        threshold: the link run's match probability threshold.
        must: reviewers' match decisions (record indices).
        cannot: reviewers' non-match decisions.
        draws: how many clusterings to draw.
        rng: the only source of randomness.
        low: lower end of the uncertain band (calibrated probability).
        high: upper end.
        shift: log2 odds added to each weight before it is drawn (None: centred
            on the threshold, :func:`centred_shift`).

    Yields:
        For each draw, each record's cluster (its smallest record index).
    """
    if shift is None:
        shift = centred_shift(threshold)
    chosen = uncertain_pairs(pairs, (*must, *cannot), low=low, high=high, shift=shift)
    rules = cluster_rules(threshold)
    weights = np.asarray([w for _, _, w in pairs], dtype=np.float64)
    ends = [(i, j) for i, j, _ in pairs]
    for _ in range(draws):
        match = rng.random(len(chosen.index)) < chosen.probability
        drawn = weights.copy()
        drawn[chosen.index] = np.where(match, DRAWN_MATCH, rules.min_weight)
        scored = [(i, j, float(w)) for (i, j), w in zip(ends, drawn, strict=True)]
        yield cluster_records(sources, scored, rules, must, cannot)
