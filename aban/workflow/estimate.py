"""Estimating the total from the register: capture histories of linked persons.

Only sources marked as systematic lists (``aban source set NAME --list``) enter
estimation. A person's capture pattern says which lists have a record of it; persons
on no list are left out (and counted). With ``by``, persons are split into strata
by their canonical values (see :func:`stratum_of`), each stratum is estimated and
the strata are combined (:mod:`aban.estimate.strata`). Each run is stored in the
register (``runs``, kind ``estimate``: settings with the seed, counts and the
results) with an audit entry that holds counts only.

Caution on strata: a person seen by fewer lists has fewer records to give a value,
so the ``unknown`` stratum holds mostly persons seen once and its estimate (or its
floor, when it is too sparse) is not comparable with the others. Many sparse strata
(``--by province`` on a few hundred persons) leave much of the total as a floor, so
the stratified total then falls below the unstratified one.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from aban.errors import EstimationError
from aban.estimate.strata import (
    LcmcrSettings,
    Model,
    SparseRule,
    StrataResult,
    estimate_strata,
    group_histories,
)
from aban.grade.rules import load_rules
from aban.grade.scope import counted_persons
from aban.store.db import Connection, transaction
from aban.store.rows import LIVE_PERSON, count_persons
from aban.store.runs import last_run
from aban.store.workspace import Workspace, now
from aban.version import __version__
from aban.vocab.traits import BY, By, age_band, stratum_of
from aban.workflow.linkage_uncertainty import LinkageUncertainty, linkage_uncertainty
from aban.workflow.sensitivity import SensitivityRow, sensitivity_table

__all__ = [
    "BY",
    "WorkspaceEstimate",
    "age_band",
    "counted_persons",
    "estimate_workspace",
    "list_names",
    "person_histories",
    "stratum_of",
]

#: Called with a stage ("estimate", "sensitivity 0.9"), work done and total work.
Progress = Callable[[str, int, int], None]


def list_names(conn: Connection) -> tuple[str, ...]:
    """The names of the sources marked as systematic lists, sorted.

    Raises:
        EstimationError: fewer than two sources are lists.
    """
    rows = conn.execute("select name from sources where is_list = 1 order by name")
    names = tuple(str(name) for (name,) in rows)
    if len(names) < 2:
        raise EstimationError(
            f"{len(names)} sources are marked as systematic lists; estimation needs "
            "at least 2: mark each list with 'aban source set NAME --list'"
        )
    return names


def person_histories(
    conn: Connection,
    lists: Sequence[str],
    by: By | None,
    counted: Collection[int] | None = None,
) -> tuple[npt.NDArray[np.int8], list[str]]:
    """Each person's capture pattern over ``lists`` and its stratum.

    Args:
        conn: the register.
        lists: the systematic lists' names.
        by: the stratum, or None.
        counted: row ids of the persons to include (see :func:`counted_persons`);
            None for every person.

    Returns:
        persons x lists of 0/1, and one stratum label per person (``"all"``
        when ``by`` is None).

    Raises:
        EstimationError: there are no persons yet.
    """
    persons = conn.execute(
        f"select id, canonical from persons p where {LIVE_PERSON} order by id"
    ).fetchall()
    if not persons:
        raise EstimationError("no persons in the register: run 'aban link' first")
    if counted is not None:
        persons = [(pid, text) for pid, text in persons if int(pid) in counted]
    row_of = {int(pid): i for i, (pid, _) in enumerate(persons)}
    column = {name: j for j, name in enumerate(lists)}
    patterns = np.zeros((len(persons), len(lists)), dtype=np.int8)
    rows = conn.execute(
        "select pr.person_id, s.name from person_records pr "
        "join live_records r on r.id = pr.record_id "
        "join sources s on s.id = r.source_id where s.is_list = 1"
    )
    for pid, name in rows:
        if name in column and int(pid) in row_of:
            patterns[row_of[int(pid)], column[name]] = 1
    if by is None:
        return patterns, ["all"] * len(persons)
    labels = [stratum_of(json.loads(text), by) for _, text in persons]
    return patterns, labels


def counted_records(conn: Connection, counted: Collection[int]) -> set[int]:
    """Record ids of the counted persons (for re-clustering at other thresholds)."""
    return {
        int(rid)
        for pid, rid in conn.execute("select person_id, record_id from person_records")
        if int(pid) in counted
    }


@dataclass(frozen=True)
class WorkspaceEstimate:
    """An estimate run on a workspace; ``to_dict`` is ``aban estimate --json``.

    Attributes:
        run_id: the run's id in the register's ``runs`` table.
        persons: persons in the register.
        unlisted: persons on no systematic list (left out).
        result: the stratified estimate and its total.
        sensitivity: the total re-estimated at other linkage thresholds, if asked.
        notes: what the reader must know about the register (not the estimate).
        head: the audit head after the run.
        counted: persons the toll counts (not discounted, a counted status);
            None when every person was counted.
        linkage: the total over clusterings drawn from the linkage model
            (``--linkage-uncertainty``), or None. When given, the total and its
            interval in :meth:`results` are its combined ones (sampling and
            linkage); the strata keep the register's clustering.
    """

    run_id: int
    persons: int
    unlisted: int
    result: StrataResult
    sensitivity: tuple[SensitivityRow, ...] | None = None
    notes: tuple[str, ...] = ()
    head: str = field(default="", compare=False)
    counted: int | None = None
    linkage: LinkageUncertainty | None = None

    @property
    def in_lists(self) -> int:
        """Counted persons on at least one systematic list."""
        return (self.persons if self.counted is None else self.counted) - self.unlisted

    def results(self) -> dict[str, Any]:
        """What is stored in the run: the result, counts and sensitivity table."""
        body = self.result.to_dict()
        notes = [*self.notes, *body["notes"]]
        if self.linkage is not None:
            combined = self.linkage.to_dict()["combined"]
            body.update(combined)
            if self.result.model == "loglinear" and combined["estimate"] is not None:
                # The delta method from the variance of log N (Rubin's T).
                spread = math.sqrt(self.linkage.decomposition.total)
                body["se"] = (
                    combined["estimate"] * spread if spread < math.inf else None
                )
            notes += self.linkage.notes
        return {
            **body,
            "persons": self.persons,
            "persons_counted": self.persons if self.counted is None else self.counted,
            "persons_in_lists": self.in_lists,
            "persons_in_no_list": self.unlisted,
            "notes": notes,
            "sensitivity": None
            if self.sensitivity is None
            else [row.to_dict() for row in self.sensitivity],
            "linkage_uncertainty": None
            if self.linkage is None
            else self.linkage.to_dict(),
        }

    def to_dict(self) -> dict[str, Any]:
        """The run id, the stored results and the audit head."""
        return {"run_id": self.run_id, **self.results(), "head": self.head}


def _register_notes(conn: Connection, unlisted: int, left_out: int) -> list[str]:
    notes = []
    if left_out:
        notes.append(
            f"{left_out} persons are discounted or outside the toll (no counted "
            "status; see [grading] counted_statuses) and are left out"
        )
    (loose,) = conn.execute(
        "select count(*) from live_records where id not in "
        "(select record_id from person_records)"
    ).fetchone()
    if loose:
        notes.append(
            f"{loose} records are in no person (imported after the last link run) "
            "and are left out: run 'aban link' first"
        )
    if unlisted:
        notes.append(f"{unlisted} persons are on no systematic list and are left out")
    return notes


def _stage(progress: Progress | None, name: str) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        if progress is not None:
            progress(name, done, total)

    return report


def _save(
    ws: Workspace,
    started: str,
    run: WorkspaceEstimate,
    settings: Mapping[str, Any],
    link_run: int | None,
) -> tuple[int, str]:
    """Store the run and its audit entry (counts only); return run id and head."""
    results = run.results()
    counts = {
        "persons": run.persons,
        "persons_counted": run.counted,
        "persons_in_lists": run.in_lists,
        "persons_in_no_list": run.unlisted,
        "lists": len(run.result.lists),
        "strata": len(run.result.strata),
        "sparse": len(run.result.sparse),
    }
    with transaction(ws.conn):
        if last_run(ws.conn, "link") != link_run:
            raise EstimationError(
                "the register was linked again while estimating; nothing stored. "
                "Run 'aban estimate' again"
            )
        cursor = ws.conn.execute(
            "insert into runs (kind, started_at, finished_at, settings, counts, "
            "results) values ('estimate', ?, ?, ?, ?, ?)",
            (
                started,
                now(),
                json.dumps(settings, sort_keys=True),
                json.dumps(counts, sort_keys=True),
                json.dumps(results, ensure_ascii=False, sort_keys=True),
            ),
        )
        run_id = int(cursor.lastrowid)
        head = ws.record_audit(
            "estimate",
            {
                "run": run_id,
                "model": run.result.model,
                "by": run.result.by,
                "seed": settings.get("seed"),
                **counts,
                "observed": run.result.observed,
                "estimate": results["estimate"],
                "lower": results["lower"],
                "upper": results["upper"],
                "linkage_draws": None if run.linkage is None else run.linkage.draws,
            },
        )
    return run_id, head


def estimate_workspace(
    ws: Workspace,
    *,
    model: Model = "lcmcr",
    by: By | None = None,
    seed: int = 1,
    lcmcr: LcmcrSettings | None = None,
    criterion: Literal["aic", "bic"] = "bic",
    rule: SparseRule | None = None,
    sensitivity: bool = False,
    thresholds: Sequence[float] | None = None,
    linkage_draws: int | None = None,
    progress: Progress | None = None,
) -> WorkspaceEstimate:
    """Estimate the total from the register's linked persons and store the run.

    Args:
        ws: an open workspace whose records are linked (``aban link``).
        model: ``"lcmcr"`` (default) or ``"loglinear"``.
        by: ``"province"``, ``"day"``, ``"sex"`` or ``"age-band"`` to estimate
            each stratum and combine them (see :func:`stratum_of`); None for one.
        seed: the LCMCR seed (stratum ``i`` uses ``seed + i``).
        lcmcr: LCMCR settings (defaults: :class:`LcmcrSettings`).
        criterion: how log-linear models are chosen, ``"bic"`` or ``"aic"``.
        rule: when a stratum is too sparse (defaults: :class:`SparseRule`).
        sensitivity: also re-estimate the total with the records re-linked at
            other match probabilities (a what-if table; nothing is written).
        thresholds: the match probabilities of that table (implies
            ``sensitivity``); by default ``DEFAULT_THRESHOLDS`` of
            :mod:`aban.workflow.sensitivity` and the last link run's threshold.
        linkage_draws: also draw this many clusterings from the last link run's
            pair probabilities and the reviewers' decisions, estimate on each and
            combine them (:mod:`aban.workflow.linkage_uncertainty`); the total's
            interval then carries linkage uncertainty too. None: the register's
            clustering only (sampling uncertainty only).
        progress: called with a stage name, work done and total work.

    Returns:
        The estimate, stored as a run of kind ``estimate``, and the audit head.

    Raises:
        EstimationError: fewer than two lists, no persons, no one on a list, or
            invalid settings.
    """
    started = now()
    lists = list_names(ws.conn)
    link_run = last_run(ws.conn, "link")
    counted = counted_persons(ws.conn, load_rules(ws.path))
    patterns, labels = person_histories(ws.conn, lists, by, counted)
    persons = count_persons(ws.conn)
    strata, unlisted = group_histories(patterns, labels)
    if not strata:
        raise EstimationError(
            "no person is on a systematic list: there is nothing to estimate"
        )
    options: dict[str, Any] = {
        "model": model,
        "seed": seed,
        "lcmcr": lcmcr,
        "criterion": criterion,
        "rule": rule,
    }
    result = estimate_strata(
        strata, lists, by=by, progress=_stage(progress, "estimate"), **options
    )
    table = None
    if sensitivity or thresholds is not None:
        table = sensitivity_table(
            ws.conn,
            lists,
            thresholds,
            lambda s, report: estimate_strata(s, lists, progress=report, **options),
            progress,
            counted_records(ws.conn, counted),
        )
    linkage = None
    if linkage_draws is not None:
        linkage = linkage_uncertainty(
            ws.conn,
            lists,
            lambda s: estimate_strata(s, lists, by=by, **options),
            result,
            draws=linkage_draws,
            seed=seed,
            by=by,
            counted=counted_records(ws.conn, counted),
            progress=progress,
        )
    run = WorkspaceEstimate(
        0,
        int(persons),
        unlisted,
        result,
        table,
        tuple(_register_notes(ws.conn, unlisted, persons - len(labels))),
        counted=len(labels),
        linkage=linkage,
    )
    settings = {
        **result.settings,
        "by": by,
        "link_run": link_run,
        "thresholds": None if table is None else [r.threshold for r in table],
        "linkage_uncertainty": None if linkage is None else linkage.settings(),
        "versions": {"aban": __version__},
    }
    run_id, head = _save(ws, started, run, settings, link_run)
    return replace(run, run_id=run_id, head=head)
