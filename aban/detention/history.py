"""A case's dated history: its order, its current status and its conflicts.

The rules (also the methodology text):

* **Order.** Entries sort by date; undated entries (records that give a status but
  no date) come first. On one date, statements of records come before detention
  events, then each in import order. Entries dated after the as-of date are left out.
* **Current status.** The status of the last entry in that order, except for the
  terminal rule.
* **Terminal rule.** Once a terminal status (``executed``, ``died_in_custody``) is in
  the history, it stays the current status over non-terminal statuses dated after it
  *only if* at least as many independent sources report that terminal status as
  report the later statuses (sources count once per independence group; a source
  without a group is its own group). Otherwise the latest status is current.
  Either way the contradiction is flagged.
* **Conflicts** (kept, never resolved silently): ``same_date`` (two sources give
  contradicting statuses for one date, or both without a date),
  ``after_terminal`` (a non-terminal status dated after the earliest terminal
  one) and ``terminal_disagreement`` (both ``executed`` and ``died_in_custody``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Literal

from aban.detention.vocab import FACTS, TERMINAL, contradict, sentence_term

Origin = Literal["record", "event"]
ConflictKind = Literal["same_date", "after_terminal", "terminal_disagreement"]


@dataclass(frozen=True)
class Entry:
    """One dated statement about a detention: a status or a fact.

    Attributes:
        kind: a status or a fact (:mod:`aban.detention.vocab`).
        date: when it happened; ``None`` when the source gave no date.
        source: the source's name.
        group: the source's independence group (``source:NAME`` when it has none).
        place: where, as the source wrote it.
        note: the source's note (sentence terms, charges, ...; for a detainee
            list, the part of the status text the entry was read from).
        origin: ``record`` (a record's status) or ``event`` (an events file row).
        order: import order within its origin.
    """

    kind: str
    date: dt.date | None
    source: str
    group: str
    place: str | None = None
    note: str | None = None
    origin: Origin = "event"
    order: int = 0

    def sort_key(self) -> tuple[bool, dt.date, int, int]:
        return (
            self.date is not None,
            self.date or dt.date.min,
            self.origin == "event",
            self.order,
        )

    @property
    def term(self) -> str | None:
        """The term of a ``sentenced`` entry, read from its note (``5 years``)."""
        return sentence_term(self.note) if self.kind == "sentenced" else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat() if self.date else None,
            "status": self.kind,
            "place": self.place,
            "source": self.source,
            "note": self.note,
            "origin": self.origin,
            "term": self.term,
        }


@dataclass(frozen=True)
class Conflict:
    """Statements that contradict each other; all of them stay in the history."""

    kind: ConflictKind
    date: dt.date | None
    statuses: tuple[str, ...]
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "date": self.date.isoformat() if self.date else None,
            "statuses": list(self.statuses),
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class History:
    """A case's entries as of a date, in order, with its current status.

    Attributes:
        entries: statuses and facts up to the as-of date, in order.
        status: the current status (``None`` without any status entry).
        current: the index in ``entries`` of the entry that gives ``status``.
        conflicts: contradictions found, in date order.
    """

    entries: tuple[Entry, ...]
    status: str | None
    current: int | None
    conflicts: tuple[Conflict, ...] = field(default=())

    @property
    def statuses(self) -> list[tuple[int, Entry]]:
        """The status entries with their index in ``entries``."""
        return [(i, e) for i, e in enumerate(self.entries) if e.kind not in FACTS]

    @property
    def last_event(self) -> dt.date | None:
        """The date of the newest dated entry, status or fact."""
        dates = [e.date for e in self.entries if e.date is not None]
        return max(dates) if dates else None


def order_entries(entries: Sequence[Entry], as_of: dt.date) -> tuple[Entry, ...]:
    """The entries dated on or before ``as_of`` (and undated ones), in order."""
    kept = [e for e in entries if e.date is None or e.date <= as_of]
    return tuple(sorted(kept, key=Entry.sort_key))


def _groups(entries: Sequence[Entry]) -> set[str]:
    return {e.group for e in entries}


def _current(statuses: list[tuple[int, Entry]]) -> int | None:
    """Index (in the entries) of the entry that gives the current status."""
    if not statuses:
        return None
    terminal = [(i, e) for i, e in statuses if e.kind in TERMINAL]
    if not terminal:
        return statuses[-1][0]
    index, last = terminal[-1]
    later = [
        e
        for _, e in statuses
        if e.kind not in TERMINAL
        and e.date is not None
        and last.date is not None
        and e.date > last.date
    ]
    support = _groups([e for _, e in terminal if e.kind == last.kind])
    if not later or len(support) >= len(_groups(later)):
        return index
    return statuses[-1][0]


def _conflict(
    kind: ConflictKind, date: dt.date | None, group: Sequence[Entry]
) -> Conflict:
    return Conflict(
        kind,
        date,
        tuple(sorted({e.kind for e in group})),
        tuple(sorted({e.source for e in group})),
    )


def _same_date(statuses: Sequence[Entry]) -> list[Conflict]:
    by_date: dict[dt.date | None, list[Entry]] = {}
    for e in statuses:
        by_date.setdefault(e.date, []).append(e)
    found = []
    for date, group in by_date.items():
        clash = [
            pair
            for pair in combinations(group, 2)
            if pair[0].source != pair[1].source
            and contradict(pair[0].kind, pair[1].kind)
            and not {pair[0].kind, pair[1].kind} <= TERMINAL
        ]
        if clash:
            found.append(_conflict("same_date", date, [e for p in clash for e in p]))
    return found


def find_conflicts(statuses: Sequence[Entry]) -> tuple[Conflict, ...]:
    """The contradictions among a case's status entries (see the module rules)."""
    found = _same_date(statuses)
    terminal = [e for e in statuses if e.kind in TERMINAL]
    dated = [e.date for e in terminal if e.date is not None]
    if dated:
        first = min(dated)
        later = [
            e
            for e in statuses
            if e.kind not in TERMINAL and e.date is not None and e.date > first
        ]
        if later:
            died = [e for e in terminal if e.date == first]
            found.append(_conflict("after_terminal", later[0].date, died + later))
    if len({e.kind for e in terminal}) > 1:
        found.append(_conflict("terminal_disagreement", None, terminal))
    key = {"same_date": 0, "after_terminal": 1, "terminal_disagreement": 2}
    return tuple(sorted(found, key=lambda c: (c.date or dt.date.min, key[c.kind])))


def evaluate(entries: Sequence[Entry], as_of: dt.date) -> History:
    """Order a case's entries and find its current status and conflicts.

    Args:
        entries: every status and fact of the case, in any order.
        as_of: the day the case is seen from; later entries are left out.

    Returns:
        The ordered history with its current status and conflicts.
    """
    ordered = order_entries(entries, as_of)
    history = History(ordered, None, None)
    statuses = history.statuses
    index = _current(statuses)
    return History(
        ordered,
        None if index is None else ordered[index].kind,
        index,
        find_conflicts([e for _, e in statuses]),
    )
