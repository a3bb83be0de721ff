"""The claims ledger: published tolls beside the register's own figures over time.

:func:`load_ledger` gathers every claim, the register's current counts, the latest
estimate and the frozen snapshots; :meth:`Ledger.to_dict` is ``aban claims --json``.
:meth:`Ledger.series` gives the same figures as dated series for a chart: one
series per claimant, one for the register (minimum to upper end) and one for the
estimate (95% interval), each point::

    {"date": "2019-12-01", "precision": "month", "value": 1500,
     "low": 1500, "high": 1500, "label": "1,500 (opposition count)"}

``date`` is a day (a month's claims are placed on its first day, with
``precision`` ``"month"``); ``value`` is the single figure (a claim's figure when
low equals high, the register's minimum, the estimate), else None; ``low`` and
``high`` are the range (None for an open end).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aban.claims.figures import (
    EstimateFigures,
    RegisterFigures,
    latest_estimate,
    register_figures,
)
from aban.claims.importer import stored_claims
from aban.claims.parse import Claim
from aban.claims.snapshots import Snapshot, list_snapshots
from aban.grade.rules import GradingRules
from aban.store import audit
from aban.store.db import Connection
from aban.store.workspace import now

__all__ = ["Ledger", "load_ledger"]

Point = dict[str, Any]


@dataclass(frozen=True)
class Ledger:
    """Every claim, the register now, the latest estimate and the snapshots.

    Attributes:
        as_of: when the register's figures were counted (UTC, ISO 8601).
        head: the audit head when they were counted.
        claims: every claim, by date.
        register: the register's figures now.
        estimate: the latest estimate, if any.
        history: the frozen snapshots, oldest first.
    """

    as_of: str
    head: str
    claims: tuple[Claim, ...]
    register: RegisterFigures
    estimate: EstimateFigures | None
    history: tuple[Snapshot, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; the ``aban claims --json`` contract."""
        return {
            "as_of": self.as_of,
            "head": self.head,
            "claims": [c.to_dict() for c in self.claims],
            "register": self.register.to_dict(),
            "estimate": None if self.estimate is None else self.estimate.to_dict(),
            "history": [s.to_dict() for s in self.history],
            "series": self.series(),
        }

    def series(self) -> list[dict[str, Any]]:
        """Dated series for a chart: claimants (in order of first claim), the
        register (snapshots, then now) and the estimate (one point per run)."""
        by_claimant: dict[str, list[Point]] = {}
        for claim in self.claims:
            by_claimant.setdefault(claim.claimant, []).append(_claim_point(claim))
        found = [
            {"name": name, "kind": "claim", "points": points}
            for name, points in by_claimant.items()
        ]
        register = [
            _register_point(s.taken_at, s.register, s.label) for s in self.history
        ]
        register.append(_register_point(self.as_of, self.register, "now"))
        found.append({"name": "register", "kind": "register", "points": register})
        runs = {s.estimate.run_id: s.estimate for s in self.history if s.estimate}
        if self.estimate is not None:
            runs[self.estimate.run_id] = self.estimate
        estimates = [_estimate_point(runs[run]) for run in sorted(runs)]
        found.append({"name": "estimate", "kind": "estimate", "points": estimates})
        return found


def _point(
    date: str, value: float | None, low: float | None, high: float | None, label: str
) -> Point:
    month = len(date) == 7
    return {
        "date": f"{date}-01" if month else date[:10],
        "precision": "month" if month else "day",
        "value": value,
        "low": low,
        "high": high,
        "label": label,
    }


def _claim_point(claim: Claim) -> Point:
    value = claim.low if claim.low == claim.high else None
    label = f"{claim.figure} ({claim.kind})" if claim.kind else claim.figure
    return _point(claim.date, value, claim.low, claim.high, label)


def _register_point(at: str, figures: RegisterFigures, label: str) -> Point:
    return _point(at, figures.minimum, figures.minimum, figures.upper, label)


def _estimate_point(run: EstimateFigures) -> Point:
    label = f"{run.model} (run {run.run_id})"
    return _point(run.finished_at, run.estimate, run.lower, run.upper, label)


def load_ledger(conn: Connection, rules: GradingRules | None = None) -> Ledger:
    """Gather the claims ledger from the register (reads only).

    Args:
        conn: the register.
        rules: the workspace's grading rules (which persons the toll counts);
            defaults when None.

    Returns:
        Every claim, the current counts (by SQL on the persons), the latest
        estimate and every snapshot, with the time and audit head of the count.
    """
    return Ledger(
        as_of=now(),
        head=audit.head(conn),
        claims=tuple(stored_claims(conn)),
        register=register_figures(conn, rules),
        estimate=latest_estimate(conn),
        history=tuple(list_snapshots(conn)),
    )
