"""Constrained average linkage: no chaining, reviewers' links, sources."""

from __future__ import annotations

from aban.linkage.clusters import cluster_records
from aban.linkage.refine import refine_clusters
from aban.linkage.rules import ClusterRules

RULES = ClusterRules(threshold=0.0, min_weight=-8.0, same_source_weight=6.0)


def groups(label: list[int]) -> set[frozenset[int]]:
    found: dict[int, set[int]] = {}
    for i, root in enumerate(label):
        found.setdefault(root, set()).add(i)
    return {frozenset(g) for g in found.values()}


def test_strong_pairs_join_and_label_is_smallest_member() -> None:
    label = cluster_records(["a", "b", "c"], [(1, 2, 12.0)], RULES)
    assert label == [0, 1, 1]


def test_weak_pair_stays_apart() -> None:
    assert cluster_records(["a", "b"], [(0, 1, -1.0)], RULES) == [0, 1]


def test_namesake_bridge_does_not_chain() -> None:
    # 0-1 one person, 2-3 another; 4 resembles both (a namesake with no age or
    # city); 0 and 2 clearly differ. Connected components would give one cluster.
    pairs = [
        (0, 1, 15.0),
        (2, 3, 15.0),
        (0, 4, 4.0),
        (1, 4, 4.0),
        (2, 4, 3.5),
        (3, 4, 3.5),
        (0, 2, -9.0),
        (1, 3, -9.0),
        (0, 3, -9.0),
        (1, 2, -9.0),
    ]
    found = groups(cluster_records(list("abcde"), pairs, RULES))
    assert frozenset({0, 2}) not in found
    assert not any({0, 2} <= g or {1, 3} <= g for g in found)
    assert frozenset({0, 1, 4}) in found
    assert frozenset({2, 3}) in found


def test_bridge_without_negative_evidence_is_held_by_the_average() -> None:
    # 0 and 2 were never compared: they count as a missing pair (the floor's
    # weight, -6.63).
    pairs = [(0, 1, 3.0), (1, 2, 3.0)]
    found = groups(cluster_records(["a", "b", "c"], pairs, RULES))
    assert frozenset({0, 1, 2}) not in found


def test_an_unscored_pair_counts_at_the_floor_weight() -> None:
    # Issue 16: a pair that was not scored counts at the weight of the least
    # probability kept (PAIR_FLOOR), not below it: 0 joins 1 and 2 when its
    # pair with 1 and its unscored pair with 2 average the threshold (-4.25).
    from aban.linkage.engine import cluster_rules
    from aban.linkage.rules import MISSING_WEIGHT, PAIR_FLOOR, weight

    assert MISSING_WEIGHT == weight(PAIR_FLOOR)
    assert round(MISSING_WEIGHT, 2) == -6.63
    rules = cluster_rules(0.05)
    pairs = [(1, 2, 10.0), (0, 1, -1.8)]
    assert cluster_records(["a", "b", "c"], pairs, rules) == [0, 0, 0]
    apart = ClusterRules(
        rules.threshold, rules.min_weight, rules.same_source_weight, -7.0
    )
    assert cluster_records(["a", "b", "c"], pairs, apart) == [0, 1, 1]


def test_one_disagreeing_pair_does_not_veto_a_strong_cluster() -> None:
    pairs = [(0, 1, 20.0), (1, 2, 20.0), (0, 2, -3.0)]
    assert cluster_records(["a", "b", "c"], pairs, RULES) == [0, 0, 0]


def test_must_link_joins_and_cannot_link_separates() -> None:
    pairs = [(0, 1, 20.0), (2, 3, -20.0)]
    label = cluster_records(
        list("abcd"), pairs, RULES, must_link=[(2, 3)], cannot_link=[(0, 1)]
    )
    assert label[0] != label[1]
    assert label[2] == label[3]


def test_cannot_link_blocks_transitive_merges() -> None:
    pairs = [(0, 1, 20.0), (1, 2, 20.0), (0, 2, 20.0)]
    found = groups(cluster_records(list("abc"), pairs, RULES, cannot_link=[(0, 2)]))
    assert not any({0, 2} <= g for g in found)
    assert frozenset({0, 1}) in found or frozenset({1, 2}) in found


def test_same_source_needs_a_very_strong_pair() -> None:
    weak = cluster_records(["s", "s"], [(0, 1, 3.0)], RULES)
    strong = cluster_records(["s", "s"], [(0, 1, 7.0)], RULES)
    assert weak == [0, 1]
    assert strong == [0, 0]


def test_same_source_pair_joins_with_the_support_of_other_sources() -> None:
    # Issue 16: a within-list duplicate whose own weight is under the bar joins
    # when the record of another source that both resemble makes the merge's
    # average reach it; without that support, or under the threshold, it stays
    # apart.
    supported = [(0, 2, 12.0), (1, 2, 12.0), (0, 1, 1.0)]
    weak = [(0, 2, 3.0), (1, 2, 3.0), (0, 1, 1.0)]
    below = [(0, 2, 10.0), (1, 2, 10.0), (0, 1, -1.0)]
    sources = ["s", "s", "t"]
    assert cluster_records(sources, supported, RULES) == [0, 0, 0]
    assert frozenset({0, 1}) not in groups(cluster_records(sources, weak, RULES))
    assert cluster_records(sources, below, RULES) != [0, 0, 0]


def test_a_same_source_pair_is_not_its_own_support() -> None:
    # Issue 16: the support is that of the other sources' records; the pair's own
    # weight, under the bar by definition, no longer lowers it (the average of all
    # three pairs, 5.0, was under the bar of 6).
    sources = ["s", "s", "t"]
    supported = [(0, 2, 7.0), (1, 2, 7.0), (0, 1, 1.0)]
    short = [(0, 2, 5.5), (1, 2, 5.5), (0, 1, 1.0)]
    assert cluster_records(sources, supported, RULES) == [0, 0, 0]
    assert frozenset({0, 1}) not in groups(cluster_records(sources, short, RULES))
    # The same rule when refinement moves record 1 into the cluster of 0 and 2.
    pairs = [(0, 2, 12.0), (1, 2, 7.0), (0, 1, 1.0)]
    assert refine_clusters([0, 1, 0], [0, 1, 2], sources, pairs, RULES) == [0, 0, 0]
    pairs = [(0, 2, 12.0), (1, 2, 5.5), (0, 1, 1.0)]
    assert refine_clusters([0, 1, 0], [0, 1, 2], sources, pairs, RULES) == [0, 1, 0]


def test_same_source_rule_covers_pairs_across_clusters() -> None:
    # 0 and 2 come from one source and were never compared directly.
    pairs = [(0, 1, 20.0), (1, 2, 20.0)]
    found = groups(cluster_records(["s", "t", "s"], pairs, RULES))
    assert frozenset({0, 1, 2}) not in found


def test_result_does_not_depend_on_pair_order() -> None:
    pairs = [(0, 1, 5.0), (1, 2, 5.0), (2, 3, 5.0), (0, 3, 1.0), (0, 2, 2.0)]
    sources = list("abcd")
    assert cluster_records(sources, pairs, RULES) == cluster_records(
        sources, list(reversed(pairs)), RULES
    )


def test_refinement_moves_a_record_to_the_cluster_it_fits_best() -> None:
    # Issue 3: a record that joined a cluster early moves where it fits better.
    pairs = [(0, 1, 20.0), (0, 2, 1.0), (1, 2, 1.0), (2, 3, 10.0)]
    label = refine_clusters([0, 0, 0, 3], [0, 1, 2, 3], list("abcd"), pairs, RULES)
    assert groups(label) == {frozenset({0, 1}), frozenset({2, 3})}


def test_refinement_swaps_a_record_for_its_own_sources_better_fit() -> None:
    # 2 and 3 come from one source, so only one of them can join 0 and 1; 3 fits
    # them much better, and 2 has somewhere else to go.
    pairs = [
        (0, 1, 20.0),
        (0, 2, 6.0),
        (1, 2, 6.0),
        (0, 3, 14.0),
        (1, 3, 14.0),
        (2, 4, 9.0),
    ]
    sources = ["a", "b", "c", "c", "d"]
    label = refine_clusters([0, 0, 0, 3, 4], list(range(5)), sources, pairs, RULES)
    assert groups(label) == {frozenset({0, 1, 3}), frozenset({2, 4})}


def test_refinement_keeps_must_linked_records_together_and_cannot_links_apart() -> None:
    pairs = [(0, 1, 1.0), (1, 2, 10.0), (0, 2, 10.0), (2, 3, 12.0)]
    # 0 and 1 are must-linked (one unit); 1 and 3 cannot link.
    label = refine_clusters(
        [0, 0, 2, 2], [0, 0, 2, 3], list("abcd"), pairs, RULES, [(1, 3)]
    )
    found = groups(label)
    assert any({0, 1} <= g for g in found)
    assert not any({1, 3} <= g for g in found)
