"""Counting persons into categories, by verification grade.

Every table counts each person once: in its category, or in the last row
(``unknown``) when the value is missing, so the rows always add up to the total.
Counts are kept per grade. Discounted persons (duplicates, found alive,
unrelated) are never part of a total: each row shows them in a column of their
own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from aban.analysis.victims import Victim
from aban.vocab.grades import GRADES

DISCOUNTED = "discounted"
#: The grades a total counts, strongest first.
COUNTED_GRADES: tuple[str, ...] = tuple(g for g in GRADES if g != DISCOUNTED)
UNKNOWN = "unknown"

#: A person's category, or None when the value is unknown.
LabelOf = Callable[[Victim], str | None]


@dataclass(frozen=True)
class Row:
    """One category's counts.

    Attributes:
        label: the category.
        counts: (grade, persons) for every counted grade, in order.
        discounted: discounted persons in the category (not in ``total``).
    """

    label: str
    counts: tuple[tuple[str, int], ...]
    discounted: int = 0

    @property
    def total(self) -> int:
        """Persons in the category, all counted grades together."""
        return sum(n for _, n in self.counts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "counts": dict(self.counts),
            "total": self.total,
            "discounted": self.discounted,
        }


@dataclass(frozen=True)
class Breakdown:
    """Persons by one variable.

    Attributes:
        by: the variable (``province``, ``sex``, ...).
        rows: one per category, the unknown category last.
        total: the sum of the rows (label ``total``).
        notes: what a reader must know to read the table.
    """

    by: str
    rows: tuple[Row, ...]
    total: Row
    notes: tuple[str, ...] = ()

    @property
    def grades(self) -> tuple[str, ...]:
        """The counted grades, in column order."""
        return tuple(g for g, _ in self.total.counts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "grades": list(self.grades),
            "rows": [r.to_dict() for r in self.rows],
            "total": self.total.to_dict(),
            "notes": list(self.notes),
        }


def grades_of(victims: Iterable[Victim]) -> tuple[str, ...]:
    """The counted grades, plus any other grade the persons carry (sorted)."""
    extra = {v.grade for v in victims} - set(GRADES)
    return (*COUNTED_GRADES, *sorted(extra))


def count_row(label: str, victims: Iterable[Victim], grades: Sequence[str]) -> Row:
    """Count persons by grade under one label."""
    found = Counter(v.grade for v in victims)
    return Row(label, tuple((g, found[g]) for g in grades), found[DISCOUNTED])


def _rank(rows: Iterable[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: (-r.total, r.label))


def tabulate(
    by: str,
    victims: Sequence[Victim],
    label_of: LabelOf,
    order: Sequence[str] = (),
    *,
    unknown: str = UNKNOWN,
    notes: Sequence[str] = (),
) -> Breakdown:
    """Count persons into categories.

    Args:
        by: the variable's name.
        victims: the persons to count.
        label_of: a person's category, or None when unknown.
        order: categories shown first, in this order, even when empty; the
            others follow, most persons first (then by label).
        unknown: the label of the last row, which counts unknown values.
        notes: notes to keep with the table.

    Returns:
        The rows (``order``, then the others, then ``unknown``) and their total.
    """
    grades = grades_of(victims)
    groups: dict[str, list[Victim]] = {label: [] for label in order}
    missing: list[Victim] = []
    for victim in victims:
        label = label_of(victim)
        if label is None:
            missing.append(victim)
        else:
            groups.setdefault(label, []).append(victim)
    fixed = [count_row(label, groups.pop(label), grades) for label in order]
    others = _rank(count_row(label, vs, grades) for label, vs in groups.items())
    rows = (*fixed, *others, count_row(unknown, missing, grades))
    return Breakdown(by, rows, count_row("total", victims, grades), tuple(notes))
