"""Detention cases: which records and events form one case, and its summary.

A record whose status is ``detained``, ``disappeared``, ``executed`` or
``died_in_custody`` is part of a detention case, and so is every record an event of
the detention events file is attached to (its *anchor*). Records of one linked person
form one case (keyed by the person id); a record not linked to a person is a case of
its own (keyed ``source:record_id``). Because events hang on records, not on person
rows, cases regroup by themselves when ``aban link`` rebuilds the persons.

A record's status is a statement in the case's history: dated with the record's
date (the date of arrest for ``detained`` and ``disappeared``, of death for
``executed`` and ``died_in_custody``), placed at its city (else province).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from aban.detention.alerts import (
    ALERT_KINDS,
    Alert,
    AlertSettings,
    access,
    case_alerts,
    status_since,
    whereabouts,
)
from aban.detention.history import Entry, History, evaluate
from aban.detention.vocab import CUSTODY, FREE, OPEN, RECORD_STATUSES, TERMINAL

_FACILITY_STATUSES = (CUSTODY - {"arrested"}) | TERMINAL


@dataclass(frozen=True)
class RecordFacts:
    """What a detention case needs from one record (no names, no protected fields).

    Attributes:
        row: the record's row id in the register.
        source: its source's name.
        record_id: its id within the source.
        group: the source's independence group (``source:NAME`` when it has none).
        person_id: the person it is linked to, if any.
        status: its status (records format).
        date: its date of death or arrest.
        place: its city, else province.
    """

    row: int
    source: str
    record_id: str
    group: str
    person_id: str | None = None
    status: str | None = None
    date: dt.date | None = None
    place: str | None = None

    def entry(self) -> Entry | None:
        """The record's statement as a history entry (detention statuses only)."""
        if self.status not in RECORD_STATUSES:
            return None
        return Entry(
            self.status,
            self.date,
            self.source,
            self.group,
            self.place,
            None,
            "record",
            self.row,
        )


@dataclass(frozen=True)
class Facets:
    """A case's situation as of a date, drawn from its history."""

    status_since: dt.date | None
    arrest_date: dt.date | None
    arrest_place: str | None
    facility: str | None
    whereabouts: str | None
    family_access: str | None
    lawyer_access: str | None
    sentence: str | None = None

    def details(self) -> list[str]:
        """The facets worth a word beside the status, in English (for tables)."""
        found = [f"sentence: {self.sentence}"] if self.sentence else []
        found += [f"at {self.facility}"] if self.facility else []
        if self.whereabouts in ("denied", "unknown"):
            found.append(f"whereabouts {self.whereabouts}")
        for who in ("family", "lawyer"):
            if getattr(self, f"{who}_access") == "denied":
                found.append(f"no {who} access")
        return found


def _arrest(history: History) -> tuple[dt.date | None, str | None]:
    """The first dated arrest event, else the first dated detained record."""
    for kinds, origins in (
        ({"arrested"}, ("event", "record")),
        ({"detained", "disappeared"}, ("record",)),
    ):
        for entry in history.entries:
            if entry.kind in kinds and entry.origin in origins and entry.date:
                return entry.date, entry.place
    return None, None


def standing_sentence(history: History) -> str | None:
    """The sentence that stands: ``death``, or the term of the last ``sentenced``
    entry that gives one; ``None`` after a release or a death, or without one."""
    found: str | None = None
    for _, entry in history.statuses:
        if entry.kind == "death_sentence":
            found = "death"
        elif entry.kind == "sentenced":
            found = entry.term or (found if found != "death" else None)
        elif entry.kind in FREE | TERMINAL:
            found = None
    return found


def case_facets(history: History) -> Facets:
    """Arrest, facility, whereabouts and access of a case from its history."""
    facility = None
    for _, entry in history.statuses:
        if entry.origin == "event" and entry.kind in _FACILITY_STATUSES:
            facility = entry.place or facility
    return Facets(
        status_since(history),
        *_arrest(history),
        facility,
        whereabouts(history)[0],
        access(history, "family")[0],
        access(history, "lawyer")[0],
        standing_sentence(history),
    )


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass(frozen=True)
class CaseName:
    """Who a case is about: the name shown, and the name in each script a source
    wrote it in (never a transliteration).

    Attributes:
        shown: the name with the most independent support (either script).
        latin: the name in Latin letters, if a source wrote it so.
        persian: the name in Persian letters, if a source wrote it so.
    """

    shown: str | None = None
    latin: str | None = None
    persian: str | None = None

    def in_script(self, script: str) -> str | None:
        """The name in ``script`` (``latin`` or ``persian``), else the one shown."""
        return (self.latin if script == "latin" else self.persian) or self.shown

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.shown,
            "names": {"latin": self.latin, "persian": self.persian},
        }


#: A case with no name known (its records name no one).
NO_NAME = CaseName()


@dataclass(frozen=True)
class Case:
    """One detention case as of a date: history, current status, alerts, conflicts."""

    key: str
    person_id: str | None
    records: tuple[tuple[str, str], ...]
    history: History
    facets: Facets
    alerts: tuple[Alert, ...]

    @property
    def status(self) -> str | None:
        return self.history.status

    def urgency(self) -> tuple[int, int, int, int, str]:
        """Sort key: alerts (most urgent kind, then longest) first, then conflicts,
        then open, released and ended cases."""
        top = self.alerts[0] if self.alerts else None
        status = self.status or ""
        rank = 0 if status in OPEN else 1 if status in FREE else 2
        return (
            ALERT_KINDS.index(top.kind) if top else len(ALERT_KINDS),
            -top.days if top else 0,
            0 if self.history.conflicts else 1,
            rank if status else 3,
            self.key,
        )

    def to_dict(self, name: CaseName = NO_NAME) -> dict[str, Any]:
        """The case as JSON; ``name`` adds who it is about (``name``, ``names``)."""
        f = self.facets
        return {
            "case": self.key,
            "person_id": self.person_id,
            **name.to_dict(),
            "records": [{"source": s, "record_id": r} for s, r in self.records],
            "status": self.status,
            "status_since": _iso(f.status_since),
            "last_event": _iso(self.history.last_event),
            "arrest_date": _iso(f.arrest_date),
            "arrest_place": f.arrest_place,
            "facility": f.facility,
            "whereabouts": f.whereabouts,
            "family_access": f.family_access,
            "lawyer_access": f.lawyer_access,
            "sentence": f.sentence,
            "alerts": [a.to_dict() for a in self.alerts],
            "conflicts": [c.to_dict() for c in self.history.conflicts],
            "history": [e.to_dict() for e in self.history.entries],
        }


def case_key(record: RecordFacts) -> str:
    """The case a record belongs to: its person id, else ``source:record_id``."""
    return record.person_id or f"{record.source}:{record.record_id}"


def _group(
    records: Sequence[RecordFacts], events: Sequence[tuple[int, Entry]]
) -> tuple[dict[str, list[RecordFacts]], dict[str, list[Entry]]]:
    """Each case's records and entries, by case key."""
    by_row = {r.row: r for r in records}
    members: dict[str, list[RecordFacts]] = {}
    entries: dict[str, list[Entry]] = {}
    for record in sorted(records, key=lambda r: r.row):
        members.setdefault(case_key(record), []).append(record)
        entry = record.entry()
        if entry is not None:
            entries.setdefault(case_key(record), []).append(entry)
    for anchor, entry in events:
        entries.setdefault(case_key(by_row[anchor]), []).append(entry)
    return members, entries


def assemble_cases(
    records: Sequence[RecordFacts],
    events: Sequence[tuple[int, Entry]],
    as_of: dt.date,
    settings: AlertSettings | None = None,
) -> list[Case]:
    """Group records and events into cases and evaluate each as of a date.

    Args:
        records: the detention records and every event's anchor record.
        events: ``(anchor record row id, entry)`` for each detention event.
        as_of: the day cases are seen from; later entries are left out, and a
            case with nothing left is not listed.
        settings: alert thresholds.

    Returns:
        The cases, most urgent first (:meth:`Case.urgency`).

    Raises:
        KeyError: an event's anchor is not among ``records``.
    """
    members, entries = _group(records, events)
    cases = []
    for key, found in entries.items():
        history = evaluate(found, as_of)
        if not history.entries:
            continue
        cases.append(
            Case(
                key,
                members[key][0].person_id,
                tuple((r.source, r.record_id) for r in members[key]),
                history,
                case_facets(history),
                case_alerts(history, as_of, settings),
            )
        )
    return sorted(cases, key=Case.urgency)


@dataclass(frozen=True)
class DetentionReport:
    """The cases as of a date, with the thresholds the alerts used.

    Attributes:
        as_of: the day the cases are seen from.
        settings: the alert thresholds.
        cases: the cases, most urgent first.
        names: who each case is about, by case key (absent: no name known).
    """

    as_of: dt.date
    settings: AlertSettings
    cases: tuple[Case, ...]
    names: Mapping[str, CaseName] = field(default_factory=dict)

    def name(self, case: Case) -> CaseName:
        """Who ``case`` is about (:data:`NO_NAME` when no record names anyone)."""
        return self.names.get(case.key, NO_NAME)

    def only_alerts(self) -> DetentionReport:
        """The same report keeping only the cases with alerts."""
        kept = tuple(c for c in self.cases if c.alerts)
        return replace(self, cases=kept)

    def to_dict(self) -> dict[str, Any]:
        """The ``aban detentions --json`` shape."""
        alerts: dict[str, int] = dict.fromkeys(ALERT_KINDS, 0)
        for case in self.cases:
            for alert in case.alerts:
                alerts[alert.kind] += 1
        return {
            "as_of": self.as_of.isoformat(),
            "settings": {
                "incommunicado_days": self.settings.incommunicado_days,
                "no_news_days": self.settings.no_news_days,
            },
            "counts": {
                "cases": len(self.cases),
                "with_alerts": sum(1 for c in self.cases if c.alerts),
                "with_conflicts": sum(1 for c in self.cases if c.history.conflicts),
                "alerts": alerts,
            },
            "cases": [c.to_dict(self.name(c)) for c in self.cases],
        }
