"""Link runs, their scored pairs, and reviewers' link decisions in the register.

A *run* row keeps what ``run.json`` would hold (settings, versions, input digest,
the Splink model) inside the encrypted register, so nothing lands on disk in
plaintext. Only the last link run's scored pairs are kept: ``aban review`` queues
them without linking again. Pairs are stored by record row id with
``record_a < record_b``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from aban.linkage.review import Comparison, ScoredPair
from aban.store.db import Connection

Decision = Literal["match", "non_match"]
DECISIONS: tuple[Decision, ...] = ("match", "non_match")


def record_key(source: str, record_id: str) -> str:
    """The linkage key of a record: its source name and record id."""
    return f"{source}\x1f{record_id}"


def record_keys(conn: Connection) -> dict[str, int]:
    """Every record's linkage key mapped to its row id."""
    rows = conn.execute(
        "select r.id, s.name, r.record_id from records r "
        "join sources s on s.id = r.source_id"
    )
    return {record_key(name, rid): int(row_id) for row_id, name, rid in rows}


def save_run(
    conn: Connection,
    kind: str,
    started_at: str,
    finished_at: str,
    settings: Mapping[str, Any],
    model: Mapping[str, Any] | None,
    counts: Mapping[str, Any],
) -> int:
    """Store one run's settings, model and counts; return the run id."""
    cursor = conn.execute(
        "insert into runs (kind, started_at, finished_at, settings, model, counts) "
        "values (?, ?, ?, ?, ?, ?)",
        (
            kind,
            started_at,
            finished_at,
            json.dumps(settings, ensure_ascii=False, sort_keys=True),
            None if model is None else json.dumps(model, ensure_ascii=False),
            json.dumps(counts, sort_keys=True),
        ),
    )
    return int(cursor.lastrowid)


def last_run(conn: Connection, kind: str = "link") -> int | None:
    """The id of the newest run of ``kind``, or None."""
    row = conn.execute("select max(id) from runs where kind = ?", (kind,)).fetchone()
    return None if row[0] is None else int(row[0])


def run_details(conn: Connection, run_id: int) -> dict[str, Any]:
    """A run's stored settings, model and counts (what run.json would hold)."""
    row = conn.execute(
        "select kind, started_at, finished_at, settings, model, counts "
        "from runs where id = ?",
        (run_id,),
    ).fetchone()
    kind, started, finished, settings, model, counts = row
    return {
        "id": run_id,
        "kind": kind,
        "started_at": started,
        "finished_at": finished,
        "settings": json.loads(settings),
        "model": None if model is None else json.loads(model),
        "counts": json.loads(counts),
    }


def _comparisons_json(pair: ScoredPair) -> str:
    return json.dumps(
        [[c.name, c.level, c.weight] for c in pair.comparisons], ensure_ascii=False
    )


def replace_scored_pairs(
    conn: Connection, run_id: int, pairs: Iterable[ScoredPair], ids: Mapping[str, int]
) -> int:
    """Keep ``pairs`` as the scored pairs of ``run_id``, dropping older runs' pairs.

    Args:
        conn: the register, inside the caller's transaction.
        run_id: the link run the pairs belong to.
        pairs: the run's scored pairs, by record key.
        ids: record key to record row id.

    Returns:
        The number of pairs stored.
    """
    conn.execute("delete from scored_pairs")
    rows = {}
    for pair in pairs:
        a, b = sorted((ids[pair.key_a], ids[pair.key_b]))
        if a != b:
            rows[(a, b)] = (
                run_id,
                a,
                b,
                pair.probability,
                pair.weight,
                _comparisons_json(pair),
            )
    conn.executemany(
        "insert into scored_pairs (run_id, record_a, record_b, match_probability, "
        "match_weight, comparisons) values (?, ?, ?, ?, ?, ?)",
        list(rows.values()),
    )
    return len(rows)


@dataclass(frozen=True)
class StoredPair:
    """A scored pair as stored: record row ids and the pair itself (by key)."""

    record_a: int
    record_b: int
    pair: ScoredPair


def band_pairs(
    conn: Connection, run_id: int, low: float, high: float
) -> list[StoredPair]:
    """The run's scored pairs with a match probability in ``[low, high]``."""
    rows = conn.execute(
        "select p.record_a, p.record_b, sa.name, ra.record_id, sb.name, rb.record_id, "
        "p.match_probability, p.match_weight, p.comparisons "
        "from scored_pairs p "
        "join records ra on ra.id = p.record_a join sources sa on sa.id = ra.source_id "
        "join records rb on rb.id = p.record_b join sources sb on sb.id = rb.source_id "
        "where p.run_id = ? and p.match_probability between ? and ?",
        (run_id, low, high),
    )
    found = []
    for a, b, source_a, rid_a, source_b, rid_b, prob, weight, comps in rows:
        comparisons = tuple(Comparison(*c) for c in json.loads(comps))
        pair = ScoredPair(
            record_key(source_a, rid_a),
            record_key(source_b, rid_b),
            prob,
            weight,
            comparisons,
        )
        found.append(StoredPair(a, b, pair))
    return found


def decisions(conn: Connection) -> dict[tuple[int, int], Decision]:
    """The standing decision on each decided pair (the latest one wins).

    Returns:
        ``{(record_a, record_b): "match" | "non_match"}`` with ``record_a <
        record_b``.
    """
    standing: dict[tuple[int, int], Decision] = {}
    rows = conn.execute(
        "select record_a, record_b, decision from link_decisions order by id"
    )
    for a, b, decision in rows:
        standing[(min(a, b), max(a, b))] = decision
    return standing


def add_decision(
    conn: Connection,
    record_a: int,
    record_b: int,
    decision: Decision,
    reviewer: str,
    decided_at: str,
    note: str | None = None,
) -> int:
    """Store a reviewer's decision on a pair (in the caller's transaction)."""
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {DECISIONS}")
    a, b = sorted((record_a, record_b))
    cursor = conn.execute(
        "insert into link_decisions (record_a, record_b, decision, reviewer, note, "
        "decided_at) values (?, ?, ?, ?, ?, ?)",
        (a, b, decision, reviewer, note, decided_at),
    )
    return int(cursor.lastrowid)
