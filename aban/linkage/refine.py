"""Refining clusters one record at a time, after average linkage.

Average linkage (:mod:`aban.linkage.clusters`) merges greedily: a record that
joined a cluster early stays there even when a record of the same source that
fits better comes later and is refused (one source lists a person once). Both
steps serve one objective: the sum, over every pair of records inside a
cluster, of the pair's weight minus the threshold weight (a pair no blocking
rule brought up counts as the missing weight). A merge raises it exactly when
the average is at least the threshold. Refinement raises it further by local
moves, as in local search for correlation clustering:

* a record moves to the neighbouring cluster (one holding a record it was
  scored with) where it fits best, or out on its own, when that raises the
  objective;
* a record swaps with the one record of its own source that keeps it out of a
  cluster, when the record that leaves fits elsewhere (or alone) well enough
  that the objective rises.

Every move respects the same rules as merges (same source, least pair weight,
cannot-link; must-linked records move together and never swap): a pair of one
source below ``same_source_weight`` (but at least the threshold) joins only when
the move's own average, over the pairs between the group and the cluster other
than such pairs, is at least ``same_source_weight``. Each move
strictly raises the objective, so refinement ends; records are visited in index
order, so the result is deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from aban.linkage.rules import ClusterRules

#: Passes over every record; moves after the second are rare.
PASSES = 3


class _Neighbours:
    """Scored pairs as a compressed adjacency list (both directions)."""

    def __init__(self, n: int, pairs: Sequence[tuple[int, int, float]]) -> None:
        if pairs:
            i, j, w = (np.asarray(c) for c in zip(*pairs, strict=True))
        else:
            i = j = np.zeros(0, dtype=np.int64)
            w = np.zeros(0, dtype=np.float64)
        src = np.concatenate((i, j)).astype(np.int64)
        dst = np.concatenate((j, i)).astype(np.int64)
        order = np.argsort(src, kind="stable")
        self.dst = dst[order]
        self.weight = np.concatenate((w, w)).astype(np.float64)[order]
        self.start = np.concatenate(([0], np.cumsum(np.bincount(src, minlength=n))))

    def of(self, i: int) -> dict[int, float]:
        """Record -> weight of every record ``i`` was scored with."""
        a, b = int(self.start[i]), int(self.start[i + 1])
        return dict(zip(self.dst[a:b].tolist(), self.weight[a:b].tolist(), strict=True))


class _Refinement:
    def __init__(
        self,
        label: list[int],
        unit: list[int],
        sources: Sequence[str],
        neighbours: _Neighbours,
        rules: ClusterRules,
        cannot: dict[int, list[int]],
    ) -> None:
        self.label = label
        self.unit = unit
        self.sources = sources
        self.nb = neighbours
        self.rules = rules
        self.cannot = cannot
        self.units: dict[int, list[int]] = {}
        for i, u in enumerate(unit):
            self.units.setdefault(u, []).append(i)
        self.records: dict[int, set[int]] = {}
        for i, c in enumerate(label):
            self.records.setdefault(c, set()).add(i)
        self.fresh = len(label)
        self.moved: set[int] = set()
        self.changed: set[int] = set()

    def fit(
        self,
        group: list[int],
        cluster: int,
        weights: list[dict[int, float]],
        skip: frozenset[int] = frozenset(),
    ) -> float | None:
        """What joining ``group`` (its records' ``weights``) to ``cluster``
        (without ``skip``) adds to the objective, or None when a rule forbids it."""
        rules, sources = self.rules, self.sources
        own = self.unit[group[0]]
        others = [
            o
            for o in self.records.get(cluster, ())
            if o not in skip and self.unit[o] != own
        ]
        total = 0.0
        # The pairs of one source below their bar, and what they add.
        fair, fair_total = 0, 0.0
        for r, scored in zip(group, weights, strict=True):
            banned = self.cannot.get(r, ())
            for o in others:
                w = scored.get(o)
                if w is None:
                    if sources[o] == sources[r]:
                        return None
                    total += rules.missing_weight - rules.threshold
                    continue
                if w < rules.min_weight or o in banned:
                    return None
                if sources[o] == sources[r] and w < rules.same_source_weight:
                    if w < rules.threshold:
                        return None
                    fair += 1
                    fair_total += w - rules.threshold
                total += w - rules.threshold
            if any(p in others for p in banned):
                return None
        margin = rules.same_source_weight - rules.threshold
        rest = len(group) * len(others) - fair
        if fair and (rest == 0 or total - fair_total < margin * rest):
            return None
        return total

    def move(self, group: list[int], cluster: int | None) -> None:
        if cluster is None:
            cluster, self.fresh = self.fresh, self.fresh + 1
        for r in group:
            self.changed.add(self.label[r])
            self.records[self.label[r]].discard(r)
            self.records.setdefault(cluster, set()).add(r)
            self.label[r] = cluster
            self.moved.add(r)
        self.changed.add(cluster)

    def candidates(
        self, group: list[int], weights: list[dict[int, float]]
    ) -> list[int]:
        """Other clusters holding a record scored above the threshold with the
        group: where no pair is, the fit is negative and staying alone is better."""
        low = self.rules.threshold
        found = {
            self.label[j] for scored in weights for j, w in scored.items() if w > low
        }
        found.discard(self.label[group[0]])
        return sorted(found)

    def best(
        self, group: list[int], weights: list[dict[int, float]], exclude: int
    ) -> tuple[float, int | None]:
        """The best fit among neighbouring clusters but ``exclude``, else alone."""
        best, where = 0.0, None
        for c in self.candidates(group, weights):
            f = None if c == exclude else self.fit(group, c, weights)
            if f is not None and f > best + 1e-9:
                best, where = f, c
        return best, where

    def visit(self, group: list[int]) -> bool:
        """Move or swap ``group`` if that raises the objective; True if it did."""
        weights = [self.nb.of(r) for r in group]
        home = self.label[group[0]]
        here = self.fit(group, home, weights) or 0.0
        best, where = self.best(group, weights, home)
        if best > here + 1e-9:
            self.move(group, where)
            return True
        return len(group) == 1 and self.swap(group[0], weights[0], home, here)

    def swap(self, x: int, scored: dict[int, float], home: int, here: float) -> bool:
        for c in self.candidates([x], [scored]):
            rivals = [
                r
                for r in self.records[c]
                if self.sources[r] == self.sources[x]
                and scored.get(r, -math.inf) < self.rules.same_source_weight
            ]
            if len(rivals) != 1 or len(self.units[self.unit[rivals[0]]]) != 1:
                continue
            y = rivals[0]
            gain = self.fit([x], c, [scored], frozenset({y}))
            if gain is None or gain <= here:
                # Unless y gains by leaving, which its own visit finds.
                continue
            other = [self.nb.of(y)]
            stay = self.fit([y], c, other)
            if stay is None:
                continue
            self.move([x], c)
            away, where = self.best([y], other, c)
            self.move([x], home)
            if gain - here + away - stay > 1e-9:
                self.move([x], c)
                self.move([y], where)
                return True
        return False

    def touched(self) -> set[int]:
        """The units whose situation the moves since the last call may change."""
        near = {j for r in self.moved for j in self.nb.of(r)} | self.moved
        near |= {o for c in self.changed for o in self.records.get(c, ())}
        self.moved, self.changed = set(), set()
        return {self.unit[j] for j in near}


def refine_clusters(
    label: list[int],
    unit: list[int],
    sources: Sequence[str],
    pairs: Sequence[tuple[int, int, float]],
    rules: ClusterRules,
    cannot_link: Sequence[tuple[int, int]] = (),
) -> list[int]:
    """Improve a clustering by local moves (see the module docstring).

    Args:
        label: The cluster of each record (any integers).
        unit: The must-link group of each record (records of one group move
            together).
        sources: The source of each record.
        pairs: Scored pairs ``(i, j, match_weight)``.
        rules: The clustering thresholds.
        cannot_link: Pairs never to put in one cluster.

    Returns:
        The cluster of each record, as the smallest record index in it.
    """
    cannot: dict[int, list[int]] = {}
    for a, b in cannot_link:
        cannot.setdefault(a, []).append(b)
        cannot.setdefault(b, []).append(a)
    work = _Refinement(
        list(label), unit, sources, _Neighbours(len(label), pairs), rules, cannot
    )
    pending = set(work.units)
    for _ in range(PASSES):
        for u in sorted(pending):
            work.visit(work.units[u])
        # Moves change the fit only of records near what moved: revisit those.
        pending = work.touched()
        if not pending:
            break
    smallest = {c: min(rs) for c, rs in work.records.items() if rs}
    return [smallest[c] for c in work.label]
