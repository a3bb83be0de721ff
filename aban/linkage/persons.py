"""Persons from linked records: stable person ids, canonical values, identification.

A link run clusters the records; :func:`replace_persons` turns the clusters into
persons in the caller's transaction. Person ids stay stable across runs: an old
person's id goes to the new cluster that holds at least half of its records (the
largest overlap first, so a merge keeps the id of the bigger person and a split
leaves it on the bigger half). A person whose id is not carried over is *retired*:
its detentions and evidence links move to the cluster that holds most of its
records, and that person takes the most restrictive of their consents. New
clusters get the next unused number (``P000123``); a number is never reused.
Grades and consent of persons that keep their id are left as they are.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from aban.store.db import Connection
from aban.store.persons import load_records
from aban.vocab.canonical import canonical_values
from aban.vocab.identification import LEVELS, person_level
from aban.vocab.ids import format_person_id, person_number
from aban.vocab.sources import Source

#: Consent values from least to most restrictive; no answer yet ranks below withheld.
_CONSENT_ORDER = {"public": 0, "public-without-name": 1, None: 2, "withheld": 3}


@dataclass(frozen=True)
class Assignment:
    """How a run's clusters map to person ids.

    Attributes:
        ids: cluster id to person id, for every cluster.
        kept: person ids carried over from the previous persons.
        retired: old person id to the cluster that took most of its records.
        next_number: the first number still unused after this assignment.
    """

    ids: dict[str, str]
    kept: frozenset[str]
    retired: dict[str, str]
    next_number: int


def _overlaps(
    old: Mapping[str, Collection[int]], cluster_of: Mapping[int, str]
) -> dict[str, Counter[str]]:
    return {
        pid: Counter(cluster_of[r] for r in records if r in cluster_of)
        for pid, records in old.items()
    }


def assign_person_ids(
    old: Mapping[str, Collection[int]],
    new: Mapping[str, Collection[int]],
    next_number: int,
) -> Assignment:
    """Give each new cluster a person id, reusing old ids where records stayed.

    Args:
        old: person id to its record row ids before the run.
        new: cluster id to its record row ids after the run.
        next_number: the smallest person number never used.

    Returns:
        The assignment (deterministic for the same inputs).
    """
    cluster_of = {r: c for c, records in new.items() for r in records}
    first = {c: min(records) for c, records in new.items()}
    overlaps = _overlaps(old, cluster_of)
    candidates = sorted(
        (-n, pid, first[c], c)
        for pid, counts in overlaps.items()
        for c, n in counts.items()
        if 2 * n >= len(old[pid])
    )
    ids: dict[str, str] = {}
    for _, pid, _, cluster in candidates:
        if cluster not in ids and pid not in ids.values():
            ids[cluster] = pid
    kept = frozenset(ids.values())
    for cluster in sorted(new, key=first.__getitem__):
        if cluster not in ids:
            ids[cluster] = format_person_id(next_number)
            next_number += 1
    retired = {
        pid: min(counts, key=lambda c: (-counts[c], first[c]))
        for pid, counts in overlaps.items()
        if pid not in kept and counts
    }
    return Assignment(ids, kept, retired, next_number)


@dataclass(frozen=True)
class PersonsChange:
    """What :func:`replace_persons` did (counts only: no personal data)."""

    persons: int
    kept: int
    created: int
    retired: int
    by_identification: dict[str, int] = field(default_factory=dict)


def _next_number(conn: Connection) -> int:
    row = conn.execute("select value from _meta where key = 'next_person'").fetchone()
    known = int(row[0]) if row else 1
    for (pid,) in conn.execute("select person_id from persons"):
        number = person_number(pid)
        if number is not None:
            known = max(known, number + 1)
    return known


def _old_persons(conn: Connection) -> dict[str, set[int]]:
    old: dict[str, set[int]] = {}
    rows = conn.execute(
        "select p.person_id, pr.record_id from person_records pr "
        "join persons p on p.id = pr.person_id"
    )
    for pid, record in rows:
        old.setdefault(pid, set()).add(int(record))
    return old


def _persons_table(conn: Connection) -> dict[str, tuple[int, str | None]]:
    rows = conn.execute("select person_id, id, consent from persons")
    return {pid: (int(row_id), consent) for pid, row_id, consent in rows}


def _write_person(
    conn: Connection, pid: str, values: tuple[str, str], row_id: int | None, at: str
) -> int:
    canonical, level = values
    if row_id is not None:
        conn.execute(
            "update persons set canonical = ?, identification = ?, updated_at = ? "
            "where id = ?",
            (canonical, level, at, row_id),
        )
        return row_id
    cursor = conn.execute(
        "insert into persons (person_id, canonical, identification, created_at, "
        "updated_at) values (?, ?, ?, ?, ?)",
        (pid, canonical, level, at, at),
    )
    return int(cursor.lastrowid)


def _retire(conn: Connection, row_id: int, consent: str | None, successor: int) -> None:
    """Move a retired person's links to its successor, then delete it."""
    for table in ("detentions", "evidence_links"):
        # Table names come from the fixed tuple above, never from input.
        conn.execute(
            f"update {table} set person_id = ? where person_id = ?", (successor, row_id)
        )
    # A story the team wrote moves too, unless the successor has its own.
    conn.execute(
        "update or ignore person_stories set person_id = ? where person_id = ?",
        (successor, row_id),
    )
    conn.execute("delete from person_stories where person_id = ?", (row_id,))
    (current,) = conn.execute(
        "select consent from persons where id = ?", (successor,)
    ).fetchone()
    if _CONSENT_ORDER.get(consent, 2) > _CONSENT_ORDER.get(current, 2):
        conn.execute(
            "update persons set consent = ? where id = ?", (consent, successor)
        )
    conn.execute("delete from persons where id = ?", (row_id,))


def _person_values(
    records: Sequence[Mapping[str, Any]], sources: Mapping[str, Source]
) -> tuple[str, str]:
    canonical = canonical_values(records, sources)
    text = json.dumps(canonical, ensure_ascii=False, sort_keys=True)
    return text, person_level(records)


def _members(
    clusters: Mapping[int, str], records: Sequence[Mapping[str, Any]]
) -> dict[str, list[Mapping[str, Any]]]:
    members: dict[str, list[Mapping[str, Any]]] = {}
    for record in records:
        members.setdefault(clusters[record["id"]], []).append(record)
    return members


def cluster_values(
    clusters: Mapping[int, str],
    records: Sequence[Mapping[str, Any]],
    sources: Mapping[str, Source],
) -> dict[str, tuple[str, str]]:
    """Each cluster's canonical values (JSON) and identification level.

    They depend on the records and sources only, so a link run works them out
    before its write transaction (about half of that transaction's time): the
    web app's reviewers wait for the writer that much less.
    """
    return {
        c: _person_values(rs, sources) for c, rs in _members(clusters, records).items()
    }


def replace_persons(
    conn: Connection,
    clusters: Mapping[int, str],
    records: Sequence[Mapping[str, Any]],
    sources: Mapping[str, Source],
    at: str,
    values: Mapping[str, tuple[str, str]] | None = None,
) -> PersonsChange:
    """Replace the persons with a link run's clusters, in the caller's transaction.

    Args:
        conn: the register, inside a transaction.
        clusters: record row id to cluster id, for every record.
        records: the records as :func:`load_records` returns them.
        sources: source metadata by name (for choosing canonical values).
        at: the time to stamp on created and updated persons.
        values: each cluster's values from :func:`cluster_values` on the same
            clusters, records and sources, if worked out already.

    Returns:
        Counts of persons, kept, created and retired ids, and persons by
        identification level.
    """
    members = _members(clusters, records)
    new = {c: [r["id"] for r in rs] for c, rs in members.items()}
    assignment = assign_person_ids(_old_persons(conn), new, _next_number(conn))
    table = _persons_table(conn)
    # Dormant persons keep their links to their retracted records (refresh_persons).
    conn.execute(
        "delete from person_records where record_id not in "
        "(select record_id from retractions)"
    )
    levels: Counter[str] = Counter()
    row_ids: dict[str, int] = {}
    for cluster, rs in sorted(members.items(), key=lambda item: item[1][0]["id"]):
        pid = assignment.ids[cluster]
        person = values[cluster] if values else _person_values(rs, sources)
        levels[person[1]] += 1
        existing = table[pid][0] if pid in assignment.kept else None
        row_ids[cluster] = _write_person(conn, pid, person, existing, at)
    for pid, cluster in sorted(assignment.retired.items()):
        _retire(conn, *table[pid], row_ids[cluster])
    conn.executemany(
        "insert into person_records (person_id, record_id) values (?, ?)",
        [(row_ids[clusters[r["id"]]], r["id"]) for r in records],
    )
    conn.execute(
        "insert or replace into _meta (key, value) values ('next_person', ?)",
        (str(assignment.next_number),),
    )
    return PersonsChange(
        persons=len(members),
        kept=len(assignment.kept),
        created=len(members) - len(assignment.kept),
        retired=len(assignment.retired),
        by_identification={level: levels[level] for level in LEVELS},
    )


@dataclass(frozen=True)
class PersonsRefresh:
    """What :func:`refresh_persons` did (counts only).

    Attributes:
        records_out: retracted records taken out of persons that keep a live one.
        updated: persons given their values again.
        dormant: persons all of whose records are retracted, after the refresh
            (:data:`aban.store.rows.LIVE_PERSON`).
    """

    records_out: int
    updated: int
    dormant: int

    def to_dict(self) -> dict[str, int]:
        return {
            "records_out": self.records_out,
            "updated": self.updated,
            "dormant": self.dormant,
        }


def refresh_persons(
    conn: Connection,
    changed: Collection[int],
    sources: Mapping[str, Source],
    at: str,
) -> PersonsRefresh:
    """Take retracted records out of persons, in the caller's transaction.

    The persons that held them, or that hold a record in ``changed`` (a new
    version of its list changed it, or brought it back), get their canonical
    values and identification level again from the records they keep. A person
    all of whose records are retracted keeps them and is left as it was: it is
    *dormant* (:data:`aban.store.rows.LIVE_PERSON`), counted nowhere, and comes
    back with its id, consent and evidence when its records do. Who is who is
    left as the last link run found it: the next ``aban link`` may regroup the
    persons a retracted record held together.

    Args:
        conn: the register, inside a transaction.
        changed: row ids of records whose values changed.
        sources: source metadata by name.
        at: the time to stamp on updated persons.
    """
    # The links to retracted records of persons that keep a live record; a
    # dormant person (no live record) keeps its links.
    out = conn.execute(
        "select pr.person_id, pr.record_id from person_records pr "
        "join retractions x on x.record_id = pr.record_id where exists "
        "(select 1 from person_records lp join live_records lr "
        "on lr.id = lp.record_id where lp.person_id = pr.person_id)"
    ).fetchall()
    touched = {int(person) for person, _ in out}
    wanted = sorted(changed)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        touched.update(
            int(p)
            for (p,) in conn.execute(
                f"select person_id from person_records where record_id in ({marks})",
                chunk,
            )
        )
    conn.executemany(
        "delete from person_records where record_id = ?", [(r,) for _, r in out]
    )
    for row_id in sorted(touched):
        kept = [
            int(r)
            for (r,) in conn.execute(
                "select record_id from person_records where person_id = ?", (row_id,)
            )
        ]
        values = _person_values(load_records(conn, kept), sources)
        _write_person(conn, "", values, row_id, at)
    # Every link left to a retracted record is a dormant person's.
    (dormant,) = conn.execute(
        "select count(distinct pr.person_id) from person_records pr "
        "join retractions x on x.record_id = pr.record_id"
    ).fetchone()
    return PersonsRefresh(len(out), len(touched), int(dormant))
