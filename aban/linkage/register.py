"""Linking the register: records in, persons out, reviewers' decisions respected.

:func:`link_workspace` reads every record, runs the linkage engine with the
reviewers' decisions (a match always links, a non-match never does), then in one
transaction replaces the persons, stores the run (settings, versions, input digest,
model) and its scored pairs, and appends an audit entry with counts only.
Records imported while it links are left for the next run (in no person, as
after any import); a record it linked that was retracted or brought back
meanwhile makes it change nothing.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from typing import Any

import pandas as pd

from aban.config import CONFIG_NAME, load_section
from aban.errors import LinkageError
from aban.linkage.pairs import StoredPair, band_pairs, replace_scored_pairs
from aban.linkage.persons import cluster_values, replace_persons
from aban.linkage.review import HIGH, LOW, ScoredPair, scored_pairs, uncertain_band
from aban.linkage.spark_settings import spark_settings
from aban.store.db import Connection, transaction
from aban.store.links import Decision, add_decision, decisions
from aban.store.persons import RECORD_COLUMNS, load_records
from aban.store.runs import last_run, run_details, save_run
from aban.store.sources import sources_by_name
from aban.store.workspace import Workspace, now
from aban.text.spellings import SpellingTable
from aban.version import __version__
from aban.vocab.ids import record_key

Linker = Callable[..., Any]
Progress = Callable[..., None]


@dataclass(frozen=True)
class LinkSummary:
    """What a link run did; ``to_dict`` is ``aban link --json``. Counts only."""

    run_id: int
    records: int
    persons: int
    by_identification: dict[str, int]
    kept: int
    created: int
    retired: int
    pairs: int
    to_review: int
    decisions: int
    contradictory_decisions: int
    threshold: float | None
    engine: str
    head: str = field(default="", compare=False)
    #: The folds the run learned from confident matches (``g/gh/q``...).
    spellings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class _Constraints:
    must_link: list[tuple[str, str]]
    cannot_link: list[tuple[str, str]]
    labels: list[tuple[str, str, bool]]


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def records_frame(records: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The records as the linkage engine takes them: ``key``, ``source``, fields.

    Every field is text or None (ages too), as the engine reads them.
    """
    data: dict[str, list[str | None]] = {
        "key": [record_key(r["source"], r["record_id"]) for r in records]
    }
    for column in ("source", "record_id", *RECORD_COLUMNS):
        data[column] = [_text(r[column]) for r in records]
    return pd.DataFrame(data, dtype=object)


def _constraints(conn: Connection, key_of: Mapping[int, str]) -> _Constraints:
    must: list[tuple[str, str]] = []
    cannot: list[tuple[str, str]] = []
    labels: list[tuple[str, str, bool]] = []
    for (a, b), decision in sorted(decisions(conn).items()):
        if a not in key_of or b not in key_of:
            continue  # a retracted record's decisions wait for it (issue 15)
        pair = (key_of[a], key_of[b])
        (must if decision == "match" else cannot).append(pair)
        labels.append((*pair, decision == "match"))
    return _Constraints(must, cannot, labels)


def _default_linker() -> Linker:
    from aban.linkage import link_records

    return link_records


def _input_digest(conn: Connection, highest: int) -> str:
    digest = hashlib.sha256()
    rows = conn.execute(
        "select s.name, r.record_id, r.content_sha256 from live_records r "
        "join sources s on s.id = r.source_id where r.id <= ? order by r.id",
        (highest,),
    )
    for row in rows:
        digest.update("\x1f".join(map(str, row)).encode("utf-8") + b"\n")
    return digest.hexdigest()


def _snapshot(conn: Connection) -> tuple[int, int]:
    count, highest = conn.execute(
        "select count(*), max(id) from live_records"
    ).fetchone()
    return int(count), int(highest or 0)


def _linked_still_live(conn: Connection, snapshot: tuple[int, int]) -> bool:
    """Whether the records a run read are still the live ones up to its last id.

    Records imported since have larger ids and wait for the next run (the web
    app's documenters add records while an analyst's run links).
    """
    count, highest = snapshot
    (now_live,) = conn.execute(
        "select count(*) from live_records where id <= ?", (highest,)
    ).fetchone()
    return int(now_live) == count


def _must_groups(must_link: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Each key in a must-link to a representative of its chain of must-links."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    for a, b in must_link:
        parent[root(a)] = root(b)
    return {key: root(key) for key in parent}


def contradictions(rules: _Constraints) -> int:
    """Non-match decisions that a chain of match decisions overrides."""
    group = _must_groups(rules.must_link)
    return sum(
        a in group and b in group and group[a] == group[b] for a, b in rules.cannot_link
    )


def _check_clusters(
    clusters: Mapping[str, str], keys: Mapping[str, int], rules: _Constraints
) -> dict[int, str]:
    if set(clusters) != set(keys):
        raise LinkageError(
            "the linkage engine did not place every record in exactly one person; "
            "nothing changed"
        )
    broken = sum(clusters[a] != clusters[b] for a, b in rules.must_link)
    # A non-match inside a chain of matches cannot be kept; the matches win.
    broken += sum(clusters[a] == clusters[b] for a, b in rules.cannot_link)
    broken -= contradictions(rules)
    if broken:
        raise LinkageError(
            f"the linkage engine broke {broken} reviewer decisions; nothing changed"
        )
    return {keys[k]: str(c) for k, c in clusters.items()}


def _run_engine(
    linker: Linker | None,
    records: Sequence[Mapping[str, Any]],
    rules: _Constraints,
    options: dict[str, Any],
) -> tuple[dict[str, str], list[ScoredPair], dict[str, Any] | None, float | None]:
    """Clusters, scored pairs, model and threshold of one engine run."""
    if len(records) < 2:
        # Nothing to compare (and no model to train): each record is a person.
        keys = [record_key(r["source"], r["record_id"]) for r in records]
        return {k: k for k in keys}, [], None, options.get("threshold")
    result = (linker or _default_linker())(
        records_frame(records),
        must_link=rules.must_link,
        cannot_link=rules.cannot_link,
        labels=rules.labels,
        **{k: v for k, v in options.items() if v is not None},
    )
    clusters = {str(k): str(c) for k, c in result.clusters.items()}
    return clusters, scored_pairs(result.pairs), result.model, result.threshold


def _versions() -> dict[str, str]:
    versions = {"aban": __version__}
    for package in ("splink", "duckdb"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return versions


def link_workspace(
    ws: Workspace,
    *,
    threshold: float | None = None,
    engine: str = "duckdb",
    seed: int = 1,
    progress: Progress | None = None,
    linker: Linker | None = None,
) -> LinkSummary:
    """Link every record of the register into persons.

    Args:
        ws: an open workspace.
        threshold: match probability at which two records link (the engine's
            default when None).
        engine: ``"duckdb"`` or ``"spark"``.
        seed: the random seed of the engine's sampling.
        progress: called by the engine with its progress, if given.
        linker: the linkage function (``aban.linkage.link_records`` by default).

    Returns:
        The run's counts and the new audit head.

    Raises:
        LinkageError: the engine failed, or broke a reviewer's decision; or the
            records changed while linking. Nothing is changed then.
    """
    started = now()
    records, sources = load_records(ws.conn), sources_by_name(ws.conn)
    snapshot = _snapshot(ws.conn)
    keys = {record_key(r["source"], r["record_id"]): r["id"] for r in records}
    rules = _constraints(ws.conn, {v: k for k, v in keys.items()})
    options: dict[str, Any] = {"threshold": threshold, "engine": engine, "seed": seed}
    extra: dict[str, Any] = {"progress": progress}
    if engine == "spark":
        spark = spark_settings(
            load_section(ws.path, "linkage"), os.environ, str(ws.path / CONFIG_NAME)
        )
        extra["spark"] = spark
    clusters, pairs, model, used = _run_engine(
        linker, records, rules, {**options, **extra}
    )
    cluster_of = _check_clusters(clusters, keys, rules)
    decided = {frozenset(p[:2]) for p in rules.labels}
    # From the records read above, outside the write transaction (which checks
    # that they are still the live ones before it writes anything).
    values = cluster_values(cluster_of, records, sources)
    with transaction(ws.conn):
        if not _linked_still_live(ws.conn, snapshot):
            raise LinkageError(
                "records were retracted or brought back while linking; nothing "
                "changed. Run 'aban link' again"
            )
        change = replace_persons(ws.conn, cluster_of, records, sources, started, values)
        counts: dict[str, Any] = {
            "records": len(records),
            "persons": change.persons,
            "by_identification": change.by_identification,
            "kept": change.kept,
            "created": change.created,
            "retired": change.retired,
            "pairs": len(pairs),
            "to_review": len(uncertain_band(pairs, decided=decided)),
            "decisions": len(rules.labels),
            "contradictory_decisions": contradictions(rules),
        }
        settings = {
            **options,
            "threshold": used,
            "review_band": [LOW, HIGH],
            "versions": _versions(),
            "input_sha256": _input_digest(ws.conn, snapshot[1]),
        }
        if "spark" in extra:
            settings["spark"] = extra["spark"].to_dict()
        run_id = save_run(ws.conn, "link", started, now(), settings, model, counts)
        replace_scored_pairs(ws.conn, run_id, pairs, keys)
        head = ws.record_audit("link", {"run": run_id, "engine": engine, **counts})
    learned = SpellingTable.from_dict((model or {}).get("learned_spellings", {}))
    return LinkSummary(
        run_id=run_id,
        threshold=used,
        engine=engine,
        head=head,
        spellings=[e.label for e in learned.folds],
        **counts,
    )


def learned_spellings(conn: Connection) -> SpellingTable:
    """The spellings the last link run learned (kept with its model, encrypted).

    Raises:
        LinkageError: there has been no link run yet.
    """
    run_id = last_run(conn, "link")
    if run_id is None:
        raise LinkageError("no link run yet: run 'aban link' first")
    model = run_details(conn, run_id)["model"] or {}
    return SpellingTable.from_dict(model.get("learned_spellings", {}))


def review_queue(
    conn: Connection, *, low: float = LOW, high: float = HIGH
) -> list[StoredPair]:
    """The last link run's undecided pairs in the uncertain band, most uncertain first.

    Raises:
        LinkageError: there has been no link run yet.
    """
    run_id = last_run(conn, "link")
    if run_id is None:
        raise LinkageError("no link run yet: run 'aban link' first")
    stored = band_pairs(conn, run_id, low, high)
    by_pair = {s.pair.pair: s for s in stored}
    decided = set(decisions(conn))
    queue = uncertain_band(
        [s.pair for s in stored if (s.record_a, s.record_b) not in decided],
        low=low,
        high=high,
    )
    return [by_pair[p.pair] for p in queue]


def decide_pair(ws: Workspace, stored: StoredPair, decision: Decision) -> str:
    """Store a reviewer's decision on a queued pair and audit it; return the head.

    The reviewer is the workspace's ``actor`` setting. The decision is committed at
    once, so quitting a review session keeps every decision made so far.
    """
    with transaction(ws.conn):
        decision_id = add_decision(
            ws.conn,
            stored.record_a,
            stored.record_b,
            decision,
            ws.settings.actor,
            now(),
        )
        return ws.record_audit(
            "link-decision",
            {
                "decision_id": decision_id,
                "decision": decision,
                "records": [stored.record_a, stored.record_b],
            },
        )
