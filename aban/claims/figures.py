"""The register's own figures, as the claims ledger sets them beside the claims.

* ``by_grade``: every person by verification grade (``persons.grade``).
* ``by_identification``: the persons the toll counts (not ``discounted``, and a
  counted status as ``[grading]`` defines it) by identification level.
* ``minimum`` (the enumerated minimum, the headline count): confirmed plus
  corroborated. ``upper``: the minimum plus single-source, both among the persons
  the toll counts (as ``aban grade``'s headline). Contested persons are in neither;
  discounted persons (duplicates, found alive, unrelated) are never counted.
* The latest estimate: the newest run of kind ``estimate`` (``aban estimate``) with
  its 95% interval. It is ``stale`` when the records were linked again after it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aban.grade.rules import GradingRules
from aban.grade.scope import counted_persons
from aban.store.db import Connection
from aban.store.rows import persons_where
from aban.vocab.grades import GRADES
from aban.vocab.identification import LEVELS

__all__ = [
    "COUNTED_GRADES",
    "EstimateFigures",
    "RegisterFigures",
    "latest_estimate",
    "register_figures",
]

#: The grades whose persons make the enumerated minimum.
COUNTED_GRADES = ("confirmed", "corroborated")
#: The grade added to the minimum for the upper end of the register's range.
UPPER_GRADE = "single-source"


@dataclass(frozen=True)
class RegisterFigures:
    """Counts of the register's persons at one moment.

    Attributes:
        persons: every person, of every grade (discounted included).
        by_grade: persons by grade (every grade in :data:`GRADES`, then others).
        by_identification: persons that count (not discounted) by level.
        minimum: confirmed + corroborated (the enumerated minimum).
        upper: minimum + single-source (the upper end of the range).
    """

    persons: int
    by_grade: dict[str, int] = field(default_factory=dict)
    by_identification: dict[str, int] = field(default_factory=dict)
    minimum: int = 0
    upper: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "persons": self.persons,
            "minimum": self.minimum,
            "upper": self.upper,
            "by_grade": dict(self.by_grade),
            "by_identification": dict(self.by_identification),
        }


def register_figures(
    conn: Connection, rules: GradingRules | None = None
) -> RegisterFigures:
    """Count the register's persons by grade and identification level.

    Args:
        conn: the register.
        rules: the workspace's grading rules (:func:`aban.grade.rules.load_rules`);
            they say which persons the toll counts, as in ``aban grade``.
            Defaults when None.

    Returns:
        The counts, the enumerated minimum and the upper end; discounted persons
        and persons outside the toll (no counted status) are in ``by_grade`` only.
    """
    counted = counted_persons(conn, rules or GradingRules())
    by_grade: dict[str, int] = dict.fromkeys(GRADES, 0)
    in_toll: dict[str, int] = dict.fromkeys(GRADES, 0)
    by_identification: dict[str, int] = dict.fromkeys(LEVELS, 0)
    for person in persons_where(conn, select=("id", "grade", "identification")):
        row_id, grade, level = person.values()
        by_grade[str(grade)] = by_grade.get(str(grade), 0) + 1
        if int(row_id) in counted:
            in_toll[str(grade)] = in_toll.get(str(grade), 0) + 1
            by_identification[str(level)] = by_identification.get(str(level), 0) + 1
    minimum = sum(in_toll[g] for g in COUNTED_GRADES)
    return RegisterFigures(
        persons=sum(by_grade.values()),
        by_grade=by_grade,
        by_identification=by_identification,
        minimum=minimum,
        upper=minimum + in_toll[UPPER_GRADE],
    )


@dataclass(frozen=True)
class EstimateFigures:
    """An estimate run's total and 95% interval, as stored by ``aban estimate``.

    Attributes:
        run_id: the run's id in the register's ``runs`` table.
        finished_at: when it finished (UTC, ISO 8601).
        model: ``lcmcr`` or ``loglinear``.
        by: the strata (``province``, ...), or None.
        estimate: the estimated total (None when it could not be estimated).
        lower: the lower end of the 95% interval.
        upper: the upper end of the 95% interval.
        observed: the persons on systematic lists it was estimated from.
        interval: how the interval was obtained.
        stale: the records were linked again after this run.
    """

    run_id: int
    finished_at: str
    model: str
    by: str | None
    estimate: float | None
    lower: float | None
    upper: float | None
    observed: int
    interval: str = ""
    stale: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "run_id": self.run_id,
            "finished_at": self.finished_at,
            "model": self.model,
            "by": self.by,
            "estimate": self.estimate,
            "lower": self.lower,
            "upper": self.upper,
            "observed": self.observed,
            "interval": self.interval,
            "stale": self.stale,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EstimateFigures:
        """The figures :meth:`to_dict` wrote."""
        return cls(
            run_id=int(data["run_id"]),
            finished_at=str(data["finished_at"]),
            model=str(data["model"]),
            by=data.get("by"),
            estimate=_number(data.get("estimate")),
            lower=_number(data.get("lower")),
            upper=_number(data.get("upper")),
            observed=int(data.get("observed") or 0),
            interval=str(data.get("interval") or ""),
            stale=bool(data.get("stale")),
        )


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def latest_estimate(conn: Connection) -> EstimateFigures | None:
    """The newest estimate run's total and interval, or None if there is none."""
    row = conn.execute(
        "select id, finished_at, settings, results from runs "
        "where kind = 'estimate' and results is not null order by id desc limit 1"
    ).fetchone()
    if row is None:
        return None
    run_id, finished_at, settings_text, results_text = row
    settings, results = json.loads(settings_text), json.loads(results_text)
    (last_link,) = conn.execute(
        "select max(id) from runs where kind = 'link'"
    ).fetchone()
    return EstimateFigures(
        run_id=int(run_id),
        finished_at=str(finished_at),
        model=str(results.get("model", "")),
        by=results.get("by"),
        estimate=_number(results.get("estimate")),
        lower=_number(results.get("lower")),
        upper=_number(results.get("upper")),
        observed=int(results.get("observed", 0)),
        interval=str(results.get("interval") or ""),
        stale=last_link is not None and settings.get("link_run") != last_link,
    )
