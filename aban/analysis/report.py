"""The whole pattern analysis of the killed persons: every breakdown at once.

Only persons whose canonical status is ``killed`` are analysed; persons with
another status or none are counted in the summary, not in the tables.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from aban.analysis.breakdowns import (
    DEFAULT_AGE_BOUNDS,
    ForceBreakdown,
    InjuryBreakdown,
    by_age_band,
    by_city,
    by_force,
    by_injury,
    by_province,
    by_sex,
)
from aban.analysis.tables import Breakdown, Row, count_row, grades_of
from aban.analysis.timeline import DayBreakdown, by_day
from aban.analysis.victims import KILLED, Victim
from aban.event import Event

By = Literal["day", "province", "city", "age-band", "sex", "injury", "force"]
#: The breakdowns, in the order they are shown.
BY: tuple[By, ...] = ("day", "province", "city", "age-band", "sex", "injury", "force")
AnyBreakdown = Breakdown | DayBreakdown | InjuryBreakdown | ForceBreakdown
NO_STATUS = "none"


@dataclass(frozen=True)
class Summary:
    """What the analysis counts, and what it leaves out.

    Attributes:
        persons: persons in the register.
        killed: persons whose status is ``killed``, by grade (discounted apart).
        not_analysed: persons of any other status, by status (``none`` for no
            status), every grade included.
    """

    persons: int
    killed: Row
    not_analysed: tuple[tuple[str, int], ...]

    def to_dict(self) -> dict[str, Any]:
        killed = self.killed.to_dict()
        del killed["label"]
        return {
            "persons": self.persons,
            "killed": killed,
            "not_analysed": dict(self.not_analysed),
        }


@dataclass(frozen=True)
class Analysis:
    """The analysis; ``to_dict`` is ``aban analysis --json``.

    Attributes:
        summary: the persons counted and left out.
        event: the event, or None when the workspace defines none.
        breakdowns: the tables asked for, in :data:`BY` order.
    """

    summary: Summary
    event: Event | None
    breakdowns: tuple[AnyBreakdown, ...]

    def breakdown(self, by: By) -> AnyBreakdown:
        """The table by ``by`` (KeyError when it was not asked for)."""
        for table in self.breakdowns:
            if table.by == by:
                return table
        raise KeyError(by)

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary.to_dict(),
            "event": self.event.to_dict() if self.event else None,
            **{table.by: table.to_dict() for table in self.breakdowns},
        }


def _breakdown(
    by: By, killed: Sequence[Victim], event: Event | None, bounds: Sequence[int]
) -> AnyBreakdown:
    if by == "day":
        return by_day(killed, event)
    if by == "age-band":
        return by_age_band(killed, bounds)
    if by == "injury":
        return by_injury(killed)
    tables = {"province": by_province, "city": by_city, "sex": by_sex}
    return tables[by](killed) if by in tables else by_force(killed)


def summarise(persons: Sequence[Victim]) -> Summary:
    """Count the killed persons by grade and the others by status."""
    killed = [v for v in persons if v.status == KILLED]
    others = Counter(v.status or NO_STATUS for v in persons if v.status != KILLED)
    return Summary(
        persons=len(persons),
        killed=count_row(KILLED, killed, grades_of(killed)),
        not_analysed=tuple(sorted(others.items())),
    )


def analyse(
    persons: Sequence[Victim],
    event: Event | None = None,
    by: Sequence[By] | None = None,
    age_bounds: Sequence[int] = DEFAULT_AGE_BOUNDS,
) -> Analysis:
    """Analyse the killed persons.

    Args:
        persons: every person of the register (those not killed are only
            counted in the summary).
        event: the event whose dates and moments frame the day table.
        by: the breakdowns to compute (all of :data:`BY` when None).
        age_bounds: lower bounds of the age bands after the first.

    Returns:
        The summary and the tables, in :data:`BY` order.
    """
    killed = [v for v in persons if v.status == KILLED]
    wanted = [b for b in BY if by is None or b in by]
    tables = tuple(_breakdown(b, killed, event, age_bounds) for b in wanted)
    return Analysis(summarise(persons), event, tables)
