"""Headline figures: the enumerated minimum, its upper end, by identification level.

As Amnesty International and Airwars report a verified toll:

* the **enumerated minimum** is the persons graded confirmed or corroborated;
* the **upper end** adds the single-source persons (a min-max range);
* contested and discounted persons are shown beside them, never counted;
* each figure is also split by identification level (full name, partial name,
  descriptors only, unidentified).

Only persons in the toll's scope count (a record gives a status of
``counted_statuses``, or no record gives any status and ``count_missing_status``
is on); the others (detained, injured, disappeared only) are counted apart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aban.grade.rules import GradingRules
from aban.vocab.grades import GRADES
from aban.vocab.identification import LEVELS


@dataclass(frozen=True)
class Row:
    """Persons by grade in one group (all, or one identification level)."""

    counts: dict[str, int]

    @property
    def minimum(self) -> int:
        """Confirmed plus corroborated."""
        return self.counts["confirmed"] + self.counts["corroborated"]

    @property
    def upper(self) -> int:
        """The minimum plus the single-source persons."""
        return self.minimum + self.counts["single-source"]

    def to_dict(self) -> dict[str, int]:
        return {"minimum": self.minimum, "upper": self.upper, **self.counts}


def _row(counts: Counter[str]) -> Row:
    return Row({grade: counts[grade] for grade in GRADES})


@dataclass(frozen=True)
class Headline:
    """The headline figures; ``to_dict`` is part of ``aban grade --json``.

    Attributes:
        persons: every person graded.
        persons_by_grade: every person by grade (``aban status`` counts the same).
        statuses: the statuses that put a person in the toll's scope.
        missing_status: whether a person with no status is in scope.
        outside: persons outside the scope.
        total: persons in scope by grade, with the minimum and upper end.
        by_identification: the same for each identification level.
    """

    persons: int
    persons_by_grade: dict[str, int]
    statuses: tuple[str, ...]
    missing_status: bool
    outside: int
    total: Row
    by_identification: dict[str, Row]

    @property
    def minimum(self) -> int:
        """The enumerated minimum: confirmed plus corroborated persons in scope."""
        return self.total.minimum

    @property
    def upper(self) -> int:
        """The upper end: the minimum plus single-source persons in scope."""
        return self.total.upper

    def to_dict(self) -> dict[str, Any]:
        return {
            "persons": self.persons,
            "persons_by_grade": dict(self.persons_by_grade),
            "scope": {
                "statuses": list(self.statuses),
                "missing_status": self.missing_status,
                "persons": self.persons - self.outside,
                "outside": self.outside,
            },
            "minimum": self.minimum,
            "upper": self.upper,
            "grades": dict(self.total.counts),
            "by_identification": {
                level: row.to_dict() for level, row in self.by_identification.items()
            },
        }


def headline(persons: Iterable[tuple[str, str, bool]], rules: GradingRules) -> Headline:
    """Count graded persons into the headline figures.

    Args:
        persons: one ``(grade, identification level, in scope)`` per person.
        rules: the grading rules (for the scope they state).

    Returns:
        The figures; every grade and every level is present, zero when empty.
    """
    everyone: Counter[str] = Counter()
    total: Counter[str] = Counter()
    levels: dict[str, Counter[str]] = {level: Counter() for level in LEVELS}
    outside = 0
    for grade, level, scoped in persons:
        everyone[grade] += 1
        if not scoped:
            outside += 1
            continue
        total[grade] += 1
        levels.setdefault(level, Counter())[grade] += 1
    return Headline(
        persons=sum(everyone.values()),
        persons_by_grade={grade: everyone[grade] for grade in GRADES},
        statuses=rules.counted_statuses,
        missing_status=rules.count_missing_status,
        outside=outside,
        total=_row(total),
        by_identification={level: _row(c) for level, c in levels.items()},
    )
