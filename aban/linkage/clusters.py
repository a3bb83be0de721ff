"""Clustering scored pairs into persons, without chaining.

Connected components at a threshold chain: one record that resembles two
different people (a namesake with no age and no city) joins them into one person.
Here clusters grow by *constrained average linkage* instead:

1. Records that a reviewer said are the same (must-link) start in one cluster.
2. The two clusters with the highest average pair weight are merged, then the
   next, while that average is at least the threshold weight. The average runs
   over *every* pair across the two clusters; a pair the model did not score
   (no blocking rule brought it up, or it scored below the floor) counts as
   :data:`MISSING_WEIGHT`, the floor's weight, a strong "different".
3. A merge is refused when it would join a cannot-link pair, when any scored
   pair across the two clusters is below ``min_weight`` (clear evidence of two
   different people), or when it would put two records of the same source in one
   cluster unless that pair's own weight is at least ``same_source_weight``, or
   it is at least the threshold and the merge's other pairs average at least
   ``same_source_weight`` (within-source duplicates exist but are rare, so they
   need strong evidence: of the pair, or of the records of other sources that
   both resemble; a pair under its own bar is not counted as its own support).
4. Records then move one at a time, under the same rules, where they fit better
   (:mod:`aban.linkage.refine`): greedy merges cannot undo an early one.

Components. A merge needs an average of at least the threshold, so at least one
pair across at or above it; a move goes only to a cluster holding a record
scored above it. Every person therefore lies inside one connected component of
the graph of pairs at or above the threshold weight and must-links
(:func:`link_components`). Pairs between two components change nothing, and are
dropped before clustering: each component is then clustered on its own, exactly
as among all the records, so that Spark can cluster the components on its
executors (:mod:`aban.linkage.spark_clusters`) and give the same persons.

A field that disagrees only lowers a pair's weight: it vetoes nothing by itself.
Weights are match weights (log2 posterior odds, prior included). The result is
deterministic: ties are broken by the records' keys.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components

from aban.linkage.refine import refine_clusters
from aban.linkage.rules import ClusterRules


@dataclass
class _Link:
    """What is known about the pairs between two clusters."""

    total: float = 0.0
    scored: int = 0
    lowest: float = math.inf
    same_source_ok: int = 0
    same_source_fair: int = 0
    same_total: float = 0.0
    cannot: bool = False

    def add(self, other: _Link) -> None:
        self.total += other.total
        self.scored += other.scored
        self.lowest = min(self.lowest, other.lowest)
        self.same_source_ok += other.same_source_ok
        self.same_source_fair += other.same_source_fair
        self.same_total += other.same_total
        self.cannot = self.cannot or other.cannot


@dataclass
class _Cluster:
    members: list[int]
    sources: dict[str, int] = field(default_factory=dict)
    links: dict[int, _Link] = field(default_factory=dict)
    version: int = 0


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _union_must(n: int, must: Iterable[tuple[int, int]]) -> list[int]:
    parent = list(range(n))
    for a, b in must:
        ra, rb = _find(parent, a), _find(parent, b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [_find(parent, i) for i in range(n)]


class _Agglomeration:
    def __init__(self, sources: Sequence[str], rules: ClusterRules) -> None:
        self.sources = sources
        self.rules = rules
        self.clusters: dict[int, _Cluster] = {}
        self.heap: list[tuple[float, int, int, int, int]] = []

    def start(self, root: list[int]) -> None:
        for i, r in enumerate(root):
            c = self.clusters.setdefault(r, _Cluster([]))
            c.members.append(i)
            c.sources[self.sources[i]] = c.sources.get(self.sources[i], 0) + 1

    def link(self, a: int, b: int) -> _Link:
        ca, cb = self.clusters[a], self.clusters[b]
        found = ca.links.get(b)
        if found is None:
            found = _Link()
            ca.links[b] = found
            cb.links[a] = found
        return found

    def add_pair(self, i: int, j: int, weight: float, root: list[int]) -> None:
        a, b = root[i], root[j]
        if a == b:
            return
        found = self.link(a, b)
        found.total += weight
        found.scored += 1
        found.lowest = min(found.lowest, weight)
        if self.sources[i] == self.sources[j]:
            if weight >= self.rules.same_source_weight:
                found.same_source_ok += 1
            elif weight >= self.rules.threshold:
                found.same_source_fair += 1
                found.same_total += weight

    def score(self, a: int, b: int) -> float | None:
        """The average weight of merging a and b, or None when refused."""
        ca, cb = self.clusters[a], self.clusters[b]
        found = ca.links[b]
        if found.cannot or found.lowest < self.rules.min_weight:
            return None
        shared = sum(n * cb.sources.get(s, 0) for s, n in ca.sources.items())
        if shared > found.same_source_ok + found.same_source_fair:
            return None
        pairs = len(ca.members) * len(cb.members)
        missing = pairs - found.scored
        average = (found.total + self.rules.missing_weight * missing) / pairs
        rest = pairs - found.same_source_fair
        support = (
            found.total - found.same_total + self.rules.missing_weight * missing
        ) / max(1, rest)
        if shared > found.same_source_ok and (
            rest == 0 or support < self.rules.same_source_weight
        ):
            # A pair of one source below its own bar needs the support of the
            # merge's other pairs: its own weight is not its own support.
            return None
        return average if average >= self.rules.threshold else None

    def push(self, a: int, b: int) -> None:
        average = self.score(a, b)
        if average is not None:
            lo, hi = min(a, b), max(a, b)
            ca, cb = self.clusters[lo], self.clusters[hi]
            heapq.heappush(self.heap, (-average, lo, hi, ca.version, cb.version))

    def merge(self, a: int, b: int) -> int:
        ca, cb = self.clusters[a], self.clusters[b]
        if len(ca.members) < len(cb.members):
            a, b, ca, cb = b, a, cb, ca
        del ca.links[b]
        for other, found in cb.links.items():
            if other == a:
                continue
            co = self.clusters[other]
            del co.links[b]
            if other in ca.links:
                ca.links[other].add(found)
            else:
                ca.links[other] = found
                co.links[a] = found
        ca.members.extend(cb.members)
        for s, n in cb.sources.items():
            ca.sources[s] = ca.sources.get(s, 0) + n
        ca.version += 1
        del self.clusters[b]
        return a

    def run(self) -> None:
        for a in sorted(self.clusters):
            for b in sorted(self.clusters[a].links):
                if a < b:
                    self.push(a, b)
        while self.heap:
            _, a, b, va, vb = heapq.heappop(self.heap)
            ca, cb = self.clusters.get(a), self.clusters.get(b)
            if ca is None or cb is None or ca.version != va or cb.version != vb:
                continue
            kept = self.merge(a, b)
            for other in sorted(self.clusters[kept].links):
                self.push(kept, other)


def link_components(
    n: int,
    pairs: Sequence[tuple[int, int, float]],
    threshold: float,
    must_link: Sequence[tuple[int, int]] = (),
) -> npt.NDArray[np.int64]:
    """The connected component of each of records 0..n-1 in the graph of the
    pairs weighing at least ``threshold`` and the must-links.

    Returns:
        For each record, a component number (any integer, equal within a
        component).
    """
    strong = [(i, j) for i, j, w in pairs if w >= threshold]
    ends = np.asarray([*strong, *must_link], dtype=np.int64).reshape(-1, 2)
    graph = coo_array(
        (np.ones(len(ends), dtype=np.int8), (ends[:, 0], ends[:, 1])), shape=(n, n)
    )
    _, component = connected_components(graph, directed=False)
    return np.asarray(component, dtype=np.int64)


def cluster_records(
    sources: Sequence[str],
    pairs: Iterable[tuple[int, int, float]],
    rules: ClusterRules,
    must_link: Iterable[tuple[int, int]] = (),
    cannot_link: Iterable[tuple[int, int]] = (),
) -> list[int]:
    """Cluster records 0..n-1 into persons (see the module docstring).

    Args:
        sources: The source of each record; its length is the number of records.
        pairs: Scored pairs ``(i, j, match_weight)``.
        rules: The thresholds.
        must_link: Pairs that are always in one cluster.
        cannot_link: Pairs that are never in one cluster (unless must-links,
            which win, join them).

    Returns:
        For each record, the smallest record index of its cluster.
    """
    must_link = list(must_link)
    cannot_link = list(cannot_link)
    scored = list(pairs)
    component = link_components(
        len(sources), scored, rules.threshold, must_link
    ).tolist()
    pairs = [p for p in scored if component[p[0]] == component[p[1]]]
    root = _union_must(len(sources), must_link)
    work = _Agglomeration(sources, rules)
    work.start(root)
    for i, j, weight in pairs:
        work.add_pair(i, j, weight, root)
    for i, j in cannot_link:
        if root[i] != root[j]:
            work.link(root[i], root[j]).cannot = True
    work.run()
    label = [0] * len(sources)
    for c in work.clusters.values():
        smallest = min(c.members)
        for i in c.members:
            label[i] = smallest
    return refine_clusters(label, root, sources, pairs, rules, cannot_link)
