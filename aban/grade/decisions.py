"""Reviewers' discount decisions, anchored on records so they survive re-linking.

A reviewer discounts a person (a duplicate, found alive, unrelated). ``aban link``
rebuilds persons, so the decision is kept with the records the person had when it
was decided. After a re-link the decision applies to every person all of whose
records it holds: a person split in two stays discounted in both halves. A person
that also holds records the reviewer never saw (a duplicate merged back into its
original, a new source naming the person) is not discounted: the decision has
*lapsed* for it and is reported, so a reviewer looks again.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    """One active discount decision.

    Attributes:
        id: the decision's row id (newer decisions have larger ids).
        reason: ``duplicate``, ``found-alive`` or ``unrelated``.
        records: the record row ids the person had when it was decided.
        person_id: the person id it was decided on (for display only).
    """

    id: int
    reason: str
    records: frozenset[int]
    person_id: str = ""


@dataclass(frozen=True)
class DecisionIndex:
    """Active decisions indexed by record, to find those touching a person fast."""

    by_record: dict[int, tuple[Decision, ...]]

    @classmethod
    def build(cls, decisions: Iterable[Decision]) -> DecisionIndex:
        """Index ``decisions`` by each of their records."""
        by_record: dict[int, list[Decision]] = {}
        for decision in decisions:
            for record in decision.records:
                by_record.setdefault(record, []).append(decision)
        return cls({r: tuple(ds) for r, ds in by_record.items()})

    def touching(self, records: Collection[int]) -> list[Decision]:
        """Decisions that hold at least one of ``records``, oldest first."""
        found = {d.id: d for r in records for d in self.by_record.get(r, ())}
        return [found[i] for i in sorted(found)]


def covering(
    records: Collection[int], decisions: Sequence[Decision]
) -> Decision | None:
    """The newest decision holding every one of a person's ``records``, if any."""
    wanted = set(records)
    held = [d for d in decisions if wanted and wanted <= d.records]
    return max(held, key=lambda d: d.id) if held else None


def lapsed(records: Collection[int], decisions: Sequence[Decision]) -> list[Decision]:
    """Decisions holding some but not all of a person's ``records``."""
    wanted = set(records)
    return [d for d in decisions if wanted & d.records and not wanted <= d.records]
