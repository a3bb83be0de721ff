"""Clusterings drawn from the linkage model (aban estimate --linkage-uncertainty)."""

from __future__ import annotations

import math

import numpy as np

from aban.linkage.clusters import cluster_records
from aban.linkage.draws import draw_clusterings, uncertain_pairs
from aban.linkage.engine import cluster_rules

THRESHOLD = 0.5
SOURCES = ["a", "b", "c", "d", "e", "f"]


def weight(p: float) -> float:
    return math.log2(p / (1 - p))


def draws(pairs, must=(), cannot=(), n=200, seed=1, shift=0.0):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    return list(
        draw_clusterings(
            SOURCES,
            pairs,
            THRESHOLD,
            list(must),
            list(cannot),
            draws=n,
            rng=rng,
            shift=shift,
        )
    )


def test_certain_pairs_give_the_register_clustering_every_time() -> None:
    pairs = [(0, 1, weight(0.999)), (2, 3, weight(0.9995)), (1, 4, weight(0.001))]
    register = cluster_records(SOURCES, pairs, cluster_rules(THRESHOLD))
    found = draws(pairs, n=20)
    assert all(labels == register for labels in found)
    assert len(uncertain_pairs(pairs, shift=0.0).index) == 0


def test_an_uncertain_pair_is_a_match_as_often_as_its_probability() -> None:
    pairs = [(0, 1, weight(0.3)), (2, 3, weight(0.999))]
    found = draws(pairs, n=1000)
    together = sum(labels[0] == labels[1] for labels in found)
    # 1000 draws at 0.3: the binomial's 99.9% range is about 252 to 348.
    assert 252 <= together <= 348
    assert all(labels[2] == labels[3] for labels in found)


def test_the_calibration_shift_raises_the_probability() -> None:
    pairs = [(0, 1, weight(0.2))]
    shifted = uncertain_pairs(pairs, shift=2.0)
    assert shifted.probability[0] == 1 / (1 + 2 ** -(weight(0.2) + 2.0))
    found = draws(pairs, n=1000, shift=2.0)
    together = sum(labels[0] == labels[1] for labels in found)
    assert 450 <= together <= 550  # p = 0.5 after two bits


def test_reviewers_decisions_are_never_drawn_or_broken() -> None:
    # A pair the model finds unlikely that a reviewer matched, and a likely one a
    # reviewer kept apart, beside an undecided uncertain pair.
    pairs = [(0, 1, weight(0.05)), (2, 3, weight(0.95)), (4, 5, weight(0.5))]
    found = draws(pairs, must=[(0, 1)], cannot=[(2, 3)], n=300)
    assert all(labels[0] == labels[1] for labels in found)
    assert all(labels[2] != labels[3] for labels in found)
    chosen = uncertain_pairs(pairs, [(0, 1), (3, 2)], shift=0.0)
    assert chosen.index.tolist() == [2] and chosen.decided == 2
    # The undecided pair still varies.
    assert {labels[4] == labels[5] for labels in found} == {True, False}


def test_draws_are_seeded() -> None:
    pairs = [(0, 1, weight(0.5)), (1, 2, weight(0.4)), (3, 4, weight(0.6))]
    assert draws(pairs, n=30, seed=4) == draws(pairs, n=30, seed=4)
    assert draws(pairs, n=30, seed=4) != draws(pairs, n=30, seed=5)
    assert len({tuple(labels) for labels in draws(pairs, n=30)}) > 1


def test_a_drawn_non_match_does_not_split_a_person_its_other_pairs_hold() -> None:
    # Three records of one person: two sure pairs and one uncertain pair. A drawn
    # non-match on the uncertain pair must not split the person.
    pairs = [(0, 1, weight(0.999)), (1, 2, weight(0.999)), (0, 2, weight(0.3))]
    found = draws(pairs, n=100)
    assert all(labels[0] == labels[1] == labels[2] for labels in found)
