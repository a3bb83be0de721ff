"""Merging two persons and splitting a record off one, as reviewers' link decisions.

A person is rebuilt by every ``aban link``, so a merge or a split made on the
persons themselves would be undone by the next run. Both are stored instead as
reviewers' decisions on pairs of records (``link_decisions``, as ``aban review``
and the app's review queue store them), which every link run obeys: a match
always links, a non-match never does.

- A merge links every record of both persons to the first of them (a match on
  each pair of that star), so the next run puts them all in one person.
- A split says the record is not the same as each other record of its person (a
  non-match on each pair), so the next run never puts it back with any of them;
  the latest decision on a pair stands, so a split also overrides an earlier
  match on those pairs.

Each is one transaction with one audit entry naming the persons, the record and
the decisions by id (no names); a note on why (``aban person merge|split
--note``) is kept on each decision stored, in the register, never in the audit
log. They take effect at the next link run (``aban link``, or the web app's runs
page).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from aban.errors import StoreError
from aban.store.db import Connection, transaction
from aban.store.evidence import find_record
from aban.store.links import Decision, add_decision, decisions
from aban.store.persons import find_person
from aban.store.rows import count_persons
from aban.store.workspace import Workspace, now

Action = Literal["merge", "split"]


@dataclass(frozen=True)
class LinkCorrection:
    """What a merge or a split stored (ids and counts only).

    Attributes:
        action: ``merge`` or ``split``.
        persons: the person ids it was decided on.
        record: the record split off (its row id), for a split.
        decisions: the ids of the link decisions it stored (pairs that already
            had the same standing decision are not stored again).
        head: the new audit head.
    """

    action: Action
    persons: tuple[str, ...]
    record: int | None
    decisions: tuple[int, ...]
    head: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _live_person(conn: Connection, text: str) -> tuple[int, str]:
    """The row id and person id of a person that has live records.

    Raises:
        StoreError: not a person id, no such person, or a dormant one.
    """
    row_id, person_id = find_person(conn, text)
    if not count_persons(conn, "p.id = ?", (row_id,)):
        raise StoreError(
            f"person {person_id} is dormant: all its records are retracted; it "
            "cannot be merged or split until they are back"
        )
    return row_id, person_id


def _records(conn: Connection, row_id: int) -> list[int]:
    """The live records of a person, by row id."""
    return [
        int(r)
        for (r,) in conn.execute(
            "select pr.record_id from person_records pr join live_records r "
            "on r.id = pr.record_id where pr.person_id = ? order by pr.record_id",
            (row_id,),
        )
    ]


def _store(
    ws: Workspace,
    pairs: list[tuple[int, int]],
    decision: Decision,
    note: str | None = None,
) -> tuple[int, ...]:
    """Store ``decision`` (with ``note``) on each pair that does not already
    stand so."""
    standing, at = decisions(ws.conn), now()
    return tuple(
        add_decision(ws.conn, a, b, decision, ws.settings.actor, at, note)
        for a, b in pairs
        if standing.get((min(a, b), max(a, b))) != decision
    )


def merge_persons(
    ws: Workspace, first: str, second: str, note: str | None = None
) -> LinkCorrection:
    """Say two persons are one: a match on a star over all their records; audit.

    Args:
        ws: an open workspace (its ``actor`` is the reviewer).
        first: a person id.
        second: another person id.
        note: why, kept on each decision stored (never in the audit log).

    Raises:
        StoreError: an unknown or dormant person, or the same person twice.
    """
    with transaction(ws.conn):
        row_a, person_a = _live_person(ws.conn, first)
        row_b, person_b = _live_person(ws.conn, second)
        if row_a == row_b:
            raise StoreError(f"{person_a} and {person_b} are the same person")
        records = sorted({*_records(ws.conn, row_a), *_records(ws.conn, row_b)})
        hub = records[0]
        stored = _store(ws, [(hub, r) for r in records[1:]], "match", note)
        head = ws.record_audit(
            "person-merge",
            {
                "persons": [person_a, person_b],
                "records": len(records),
                "decisions": list(stored),
            },
        )
    return LinkCorrection("merge", (person_a, person_b), None, stored, head)


def split_record(
    ws: Workspace,
    person: str,
    record: int,
    note: str | None = None,
    label: str | None = None,
) -> LinkCorrection:
    """Say a record is not its person: a non-match with each other record; audit.

    Args:
        ws: an open workspace (its ``actor`` is the reviewer).
        person: the person id.
        record: the row id of one of the person's records.
        note: why, kept on each decision stored (never in the audit log).
        label: how messages name the record (its row id when None).

    Raises:
        StoreError: an unknown or dormant person, a record that is not the
            person's, or the person's only record.
    """
    with transaction(ws.conn):
        row_id, person_id = _live_person(ws.conn, person)
        records, named = _records(ws.conn, row_id), label or record
        if record not in records:
            raise StoreError(f"record {named} is not a live record of {person_id}")
        others = [r for r in records if r != record]
        if not others:
            raise StoreError(
                f"record {named} is the only record of {person_id}: nothing to "
                "split it from"
            )
        stored = _store(ws, [(record, r) for r in others], "non_match", note)
        head = ws.record_audit(
            "person-split",
            {"person": person_id, "record": record, "decisions": list(stored)},
        )
    return LinkCorrection("split", (person_id,), record, stored, head)


def split_named_record(
    ws: Workspace, record: str, note: str | None = None
) -> LinkCorrection:
    """Split the record ``SOURCE:RECORD_ID`` off the person that holds it (as
    :func:`split_record`; ``aban person split``).

    Raises:
        StoreError: no such record, a record in no person yet, or what
            :func:`split_record` refuses.
    """
    if ":" not in record:
        raise StoreError(
            "not a record: give SOURCE:RECORD_ID, the source's name and the "
            "record_id of its file"
        )
    row_id, person = find_record(ws.conn, record)
    found = None
    if person is not None:
        found = ws.conn.execute(
            "select person_id from persons where id = ?", (person,)
        ).fetchone()
    if found is None:
        raise StoreError(f"record {record} is in no person yet: run 'aban link' first")
    return split_record(ws, str(found[0]), row_id, note, record)
