"""Accuracy of a clustering against the truth: pairwise and B-cubed scores.

Pairwise: a pair of records is a predicted match when both are in one predicted
cluster, a true match when both belong to one true person; precision, recall and
F1 are counted over pairs. B-cubed (Bagga and Baldwin, 1998): for each record,
precision is the share of its predicted cluster that truly belongs with it and
recall the share of its true cluster found in its predicted cluster, averaged
over records; F1 is their harmonic mean.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Scores:
    """Precision, recall and F1 (each between 0 and 1)."""

    precision: float
    recall: float
    f1: float


def _f1(precision: float, recall: float) -> float:
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


def _pairs(counts: Counter[object]) -> int:
    return sum(n * (n - 1) // 2 for n in counts.values())


def pairwise_scores(predicted: Mapping[str, str], truth: Mapping[str, str]) -> Scores:
    """Pairwise precision, recall and F1 of ``predicted`` against ``truth``.

    Args:
        predicted: Record -> predicted cluster.
        truth: Record -> true person; the same records as ``predicted``.

    Returns:
        The scores (1.0 for a score whose denominator is zero).
    """
    keys = list(truth)
    both = _pairs(Counter((predicted[k], truth[k]) for k in keys))
    found = _pairs(Counter(predicted[k] for k in keys))
    true = _pairs(Counter(truth[k] for k in keys))
    precision = both / found if found else 1.0
    recall = both / true if true else 1.0
    return Scores(precision, recall, _f1(precision, recall))


def bcubed_scores(predicted: Mapping[str, str], truth: Mapping[str, str]) -> Scores:
    """B-cubed precision, recall and F1 of ``predicted`` against ``truth``."""
    keys = list(truth)
    if not keys:
        return Scores(1.0, 1.0, 1.0)
    both = Counter((predicted[k], truth[k]) for k in keys)
    found = Counter(predicted[k] for k in keys)
    true = Counter(truth[k] for k in keys)
    precision = sum(both[(predicted[k], truth[k])] / found[predicted[k]] for k in keys)
    recall = sum(both[(predicted[k], truth[k])] / true[truth[k]] for k in keys)
    p, r = precision / len(keys), recall / len(keys)
    return Scores(p, r, _f1(p, r))
