"""A link run's scored pairs in the register, for review and re-clustering.

Only the last link run's scored pairs are kept: ``aban review`` queues them
without linking again. Pairs are stored by record row id with
``record_a < record_b``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from aban.linkage.review import Comparison, ScoredPair
from aban.store.db import Connection
from aban.vocab.ids import record_key


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
        "join live_records ra on ra.id = p.record_a "
        "join sources sa on sa.id = ra.source_id "
        "join live_records rb on rb.id = p.record_b "
        "join sources sb on sb.id = rb.source_id "
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
