"""Link records into persons: features, a Splink model, scoring, clustering.

What touches disk. With DuckDB (the default): nothing. DuckDB runs in memory
(``:memory:``) with spilling turned off (``temp_directory`` empty, so a query that
needs more memory than the limit fails instead of writing plaintext to a temporary
file) and a memory limit (:data:`MEMORY_LIMIT`, or ``ABAN_LINKAGE_MEMORY``). With
Spark (``engine="spark"``): training and the first pass still run here on DuckDB
(their size is bounded), then Spark scores every candidate pair and clusters
them; its shuffle and spilled blocks are encrypted by Spark with a key held in
memory, in a private folder of the temporary folder that is removed when the
session ends (see :mod:`aban.linkage.spark`).
"""

from __future__ import annotations

import contextlib
import math
import os
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from aban.errors import LinkageError
from aban.linkage import learning, neighbours
from aban.linkage import model as splink_model
from aban.linkage.clusters import cluster_records
from aban.linkage.evidence import empty_pairs, evidence_columns
from aban.linkage.features import record_features
from aban.linkage.parsing import memoise_splink_parsing
from aban.linkage.rules import PAIR_FLOOR, ClusterRules, weight
from aban.linkage.spark_settings import SparkSettings
from aban.text.spellings import SpellingTable

#: DuckDB's memory limit unless ``ABAN_LINKAGE_MEMORY`` says otherwise.
MEMORY_LIMIT = "8GB"
#: Default threshold: the least average match probability (averaged as log-odds
#: over every pair of records across two clusters) at which the clusters merge.
#: Low because the model is conservative (on simulated lists its pair
#: probabilities run one to two bits of log-odds below the observed match rates)
#: and because averaging over clusters already guards against chaining; 0.05 gave
#: the best F1 on simulated lists of 3,000 to 100,000 records.
DEFAULT_THRESHOLD = 0.05
#: The array column of the tokens of the learned blocking rule's pairs when every
#: record is scored anew (see :func:`_learned_neighbours`).
LEARNED_COLUMN = "learned_neighbours"
#: The array column of the tokens of :func:`neighbours.closure_pairs`.
CLOSURE_COLUMN = "closure"
#: Records per chunk of scoring: bounds the memory of the candidate pairs.
PREDICT_CHUNK = 400_000

Engine = Literal["duckdb", "spark"]
Progress = Callable[[str], None]


@dataclass(frozen=True)
class LinkResult:
    """The persons found among the records, with the evidence.

    Attributes:
        clusters: Record key -> person (cluster) id, every input key exactly once.
            Ids are ``P`` and the zero-padded rank of the cluster's smallest key.
        pairs: Scored candidate pairs (``key_l < key_r``): ``key_l``, ``key_r``,
            ``match_probability``, ``match_weight``, and for each comparison
            ``<name>_level`` (the agreement level's label) and ``<name>_weight``
            (its log2 Bayes factor, frequency adjustment included).
        model: The trained Splink settings (for run.json).
        threshold: The match probability used.
    """

    clusters: dict[str, str]
    pairs: pd.DataFrame
    model: dict[str, Any]
    threshold: float


def cluster_rules(threshold: float) -> ClusterRules:
    """The clustering thresholds for a match probability ``threshold``."""
    w = weight(threshold)
    return ClusterRules(threshold=w, min_weight=w - 8.0, same_source_weight=w + 6.0)


def _duckdb_api() -> Any:
    import duckdb
    from splink import DuckDBAPI

    memoise_splink_parsing()
    con = duckdb.connect(":memory:")
    con.execute("set temp_directory = ''")
    con.execute("set max_temp_directory_size = '0B'")
    limit = os.environ.get("ABAN_LINKAGE_MEMORY", MEMORY_LIMIT)
    con.execute("set memory_limit = ?", [limit])
    con.execute("set preserve_insertion_order = false")
    return DuckDBAPI(con)


def _register(api: Any, table: pd.DataFrame, name: str) -> Any:
    """``table`` as a DuckDB table named ``name``, registered with Splink.

    Splink registers a pandas frame as a view, so every query that reads the
    records converted its Python strings again (about forty queries a link).
    """
    con = api.duckdb_con
    con.register("__aban__frame", table)
    try:
        con.execute(f"create or replace table {name} as select * from __aban__frame")
    finally:
        con.unregister("__aban__frame")
    return api.register(name, dataset_display_name=name)


@dataclass(frozen=True)
class _Clustering:
    """What clustering needs, by row number (``rid``)."""

    sources: list[str]
    rules: ClusterRules
    must: list[tuple[int, int]]
    cannot: list[tuple[int, int]]


@contextlib.contextmanager
def _api(engine: Engine, spark: SparkSettings | None) -> Iterator[Any]:
    """The engine's Splink API for the block; a Spark session stops at its end."""
    if engine == "duckdb":
        yield _duckdb_api()
        return
    from aban.linkage.spark import spark_api

    with spark_api(spark) as api:
        yield api


def _linker(frame: Any, settings: Any) -> Any:
    """A Splink linker on ``frame`` without Splink's settings validation: it only
    logs (and the log is off), and parsing every level's SQL cost 0.2 s of CPU per
    linker (three per run; about 5% of a run at 10,000 records)."""
    from splink import Linker

    return Linker(frame, settings, log_level=None, validate_settings=False)


def _labels_frame(
    labels: Sequence[tuple[str, str, bool]], index: dict[str, int]
) -> pd.DataFrame | None:
    """Reviewers' match decisions as pairs of row numbers, for training."""
    rows = {
        (min(index[a], index[b]), max(index[a], index[b]))
        for a, b, same in labels
        if same and a != b and a in index and b in index
    }
    if not rows:
        return None
    return pd.DataFrame(sorted(rows), columns=["rid_l", "rid_r"])


def _score(
    features: pd.DataFrame,
    labels: pd.DataFrame | None,
    engine: Engine,
    seed: int,
    say: Progress,
    clustering: _Clustering,
    spark: SparkSettings | None = None,
) -> tuple[pd.DataFrame, dict[str, Any], dict[int, int] | None]:
    with warnings.catch_warnings():
        # PySpark warns at every pandas conversion that it does not fully support
        # pandas 3, and calls pandas with a deprecated keyword; the conversions
        # used here (columns of text and integers) work.
        warnings.filterwarnings("ignore", category=FutureWarning, module="pyspark")
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="pyspark")
        # With I/O encryption on, PySpark sends a table to the JVM over a socket and
        # closes the socket's file but leaves the socket itself to the collector.
        warnings.filterwarnings(
            "ignore", message="unclosed <socket.socket", category=ResourceWarning
        )
        return _run_splink(features, labels, engine, seed, say, clustering, spark)


def _run_splink(
    features: pd.DataFrame,
    labels: pd.DataFrame | None,
    engine: Engine,
    seed: int,
    say: Progress,
    clustering: _Clustering,
    spark: SparkSettings | None,
) -> tuple[pd.DataFrame, dict[str, Any], dict[int, int] | None]:
    if engine not in ("duckdb", "spark"):
        raise LinkageError(f"unknown linkage engine {engine!r}: use duckdb or spark")
    # Splink sees a row number, not the key: pairs of integers take a fraction of
    # the memory of pairs of keys.
    # The family name's forms one letter short reach Splink as neighbour pairs
    # (see aban.linkage.neighbours), not as a column.
    table = features.drop(columns=["key", "source", "family_near"])
    table.insert(0, "rid", range(len(table)))
    table[neighbours.COLUMN] = neighbours.neighbour_tokens(features)
    frequencies = len(table) >= splink_model.MIN_FREQUENCY_RECORDS
    found = None
    # Training and the first pass run here on DuckDB whatever the engine: their
    # size is bounded (samples of pairs, LEARN_RECORDS), and on Spark they were
    # most of a run (see aban.linkage.spark). Spark scores every pair and clusters.
    with _api("duckdb", None) as api:
        linker, first, model, predictions, spellings, table = _model(
            api, table, labels, seed, say, frequencies
        )
        if engine == "duckdb":
            scored = _score_here(api, linker, first, model, predictions, table)
            threshold = clustering.rules.threshold
            scored = _closed_here(api, scored, table, model, threshold)
        elif predictions is not None:
            predictions.drop_table_from_database_and_remove_from_cache()
    if engine == "spark":
        scored, model, found = _on_spark(table, model, say, clustering, spark)
    model["learned_spellings"] = spellings.to_dict()
    keys = features["key"].to_numpy()
    return evidence_columns(scored, model, keys), model, found


def _model(
    api: Any,
    table: pd.DataFrame,
    labels: pd.DataFrame | None,
    seed: int,
    say: Progress,
    frequencies: bool,
) -> tuple[Any, dict[str, Any], dict[str, Any], Any, SpellingTable, pd.DataFrame]:
    """Train, then learn spellings from a first pass: the first pass's linker and
    model, the final model (with the learned levels when spellings were learned),
    the first pass's table of every scored pair (None when it scored a sample),
    the spellings and the records' table (with the learned keys)."""
    frame = _register(api, table, "__aban__records")
    settings = splink_model.settings(frequencies=frequencies)
    linker: Any = _linker(frame, settings)
    labels_table = None
    if labels is not None:
        labels_table = linker.table_management.register_table(
            labels, "__aban__labels", overwrite=True
        )
    say("training the model")
    splink_model.train(linker, table, labels_table, seed)
    if frequencies:
        splink_model.frequency_tables(linker)
    first: dict[str, Any] = linker.misc.save_model_to_json()
    say("scoring candidate pairs")
    predictions, confident = _first_pass(api, linker, table, first)
    spellings = learning.learn_from_pairs(table, confident, labels)
    model = first
    if spellings.folds:
        say("scoring again with the learned spellings")
        table = learning.add_learned_keys(table, spellings)
        model = learning.extend_model(first, table, confident, labels, frequencies)
        if predictions is None:
            table, model = _learned_neighbours(table, model)
    return linker, first, model, predictions, spellings, table


def _learned_neighbours(
    table: pd.DataFrame, model: dict[str, Any]
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The learned blocking rule (:data:`aban.linkage.learning.LEARNED_RULE`) as
    neighbour pairs when every record is scored anew: every pair of a small
    block, the nearest in a large one (:func:`neighbours.learned_pairs`), as the
    first pass's rule on skeletons one letter apart, which made 20.5 million
    candidate pairs at a million ``--noise hard`` records."""
    pairs = neighbours.learned_pairs(table, "given_lk", learning.NEAR)
    tokens = neighbours.pair_tokens(pairs, len(table))
    table = table.drop(columns=[learning.NEAR]).assign(**{LEARNED_COLUMN: tokens})
    rules = model["blocking_rules_to_generate_predictions"]
    for i, rule in enumerate(rules):
        if rule.get("blocking_rule") == learning.LEARNED_RULE["blocking_rule"]:
            rules[i] = {
                "blocking_rule": f"l.{LEARNED_COLUMN} = r.{LEARNED_COLUMN}",
                "arrays_to_explode": [LEARNED_COLUMN],
                "sql_dialect": rule.get("sql_dialect", "duckdb"),
            }
    return table, model


def _score_here(
    api: Any,
    linker: Any,
    first: dict[str, Any],
    model: dict[str, Any],
    predictions: Any,
    table: pd.DataFrame,
) -> pd.DataFrame:
    """Every candidate pair scored with ``model`` on DuckDB: from the first pass's
    table when there is one, else scored anew."""
    if model is first:
        if predictions is None:
            predictions = _predict(linker, len(table))
        return _fetch(linker, predictions)
    if predictions is not None:
        return _second_pass(api, linker, predictions, table, first, model)
    frame = _register(api, table, "__aban__learned")
    learned = _linker(frame, model)
    return _fetch(learned, _predict(learned, len(table)))


def _closure(
    api: Any,
    scored: pd.DataFrame,
    table: pd.DataFrame,
    model: dict[str, Any],
    threshold: float,
) -> tuple[Any, Any] | None:
    """The linker and table of the pairs of :func:`neighbours.closure_pairs`
    scored with ``model`` (None when there are none): two records that each match
    a third above ``threshold`` and were not scored together, which clustering
    would otherwise count at the missing weight."""
    pairs = neighbours.closure_pairs(scored, threshold, len(table))
    if not len(pairs):
        return None
    tokens = neighbours.pair_tokens(pairs, len(table))
    # Only the records of the pairs: the frequency tables are the API's, from
    # every record (see _model).
    some = tokens.notna().to_numpy()
    frame = api.register(
        table[some].assign(**{CLOSURE_COLUMN: tokens[some].to_numpy()}),
        dataset_display_name="__aban__closure",
    )
    settings = {k: v for k, v in model.items() if k != "linker_uid"}
    rule = f"l.{CLOSURE_COLUMN} = r.{CLOSURE_COLUMN}"
    settings["blocking_rules_to_generate_predictions"] = [
        {"blocking_rule": rule, "arrays_to_explode": [CLOSURE_COLUMN]}
    ]
    closing = _linker(frame, settings)
    return closing, _predict(closing, int(some.sum()))


def _closed_here(
    api: Any,
    scored: pd.DataFrame,
    table: pd.DataFrame,
    model: dict[str, Any],
    threshold: float,
) -> pd.DataFrame:
    """``scored`` and the pairs of :func:`_closure` (DuckDB)."""
    closure = _closure(api, scored, table, model, threshold)
    if closure is None:
        return scored
    found = _fetch(*closure)
    return pd.concat([scored, found[scored.columns]], ignore_index=True)


def _on_spark(
    table: pd.DataFrame,
    model: dict[str, Any],
    say: Progress,
    clustering: _Clustering,
    spark: SparkSettings | None,
) -> tuple[pd.DataFrame, dict[str, Any], dict[int, int]]:
    """Score every candidate pair with the trained ``model`` on Spark, and the
    pairs of :func:`_closure`, and cluster them there: the scored pairs, the model
    in Spark's dialect, the clusters."""
    from aban.linkage.spark import spark_model
    from aban.linkage.spark_clusters import spark_clusters

    model = spark_model(model)
    with _api("spark", spark) as api:
        frame = api.register(table, dataset_display_name="__aban__records")
        linker = _linker(frame, model)
        say("scoring candidate pairs on Spark")
        predictions = _predict(linker, len(table))
        scored = _fetch(linker, predictions, keep=True)
        name = predictions.physical_name
        threshold = clustering.rules.threshold
        closure = _closure(api, scored, table, model, threshold)
        if closure is not None:
            extra = _fetch(*closure, keep=True)
            scored = pd.concat([scored, extra[scored.columns]], ignore_index=True)
            columns = ["rid_l", "rid_r", "match_weight"]
            both = api.spark.table(name).select(*columns)
            both = both.unionByName(
                api.spark.table(closure[1].physical_name).select(*columns)
            )
            name = "__aban__closed"
            both.createOrReplaceTempView(name)
        say("clustering scored pairs on Spark")
        found = spark_clusters(
            api.spark,
            name,
            clustering.sources,
            clustering.rules,
            clustering.must,
            clustering.cannot,
            say,
        )
    return scored, model, found


def _predict(linker: Any, records: int) -> Any:
    """The table of every candidate pair scored at :data:`PAIR_FLOOR` or above."""
    chunks = max(1, math.ceil(records / PREDICT_CHUNK))
    return linker.inference.predict(
        threshold_match_probability=PAIR_FLOOR,
        num_chunks_left=chunks,
        num_chunks_right=chunks,
    )


def _second_pass(
    api: Any,
    linker: Any,
    predictions: Any,
    table: pd.DataFrame,
    first: dict[str, Any],
    model: dict[str, Any],
) -> pd.DataFrame:
    """The scored pairs under the extended ``model`` from the first pass's table of
    every scored pair (see :mod:`aban.linkage.learning`): the pairs it can change
    scored again, the others' weights moved; the first pass's table is dropped."""
    scored = _fetch(linker, predictions)
    changed = learning.changed_pairs(scored, table, first)
    pairs = scored.loc[changed, ["rid_l", "rid_r"]].to_numpy(dtype="int64")
    tokens = learning.pair_tokens(pairs, len(table))
    frame = _register(
        api, table.assign(**{learning.RESCORE: tokens}), "__aban__learned"
    )
    again = _linker(frame, learning.rescoring_model(model))
    rescored = _fetch(again, _predict(again, len(table)))
    kept = learning.adjust_weights(scored, first, model)
    index = pd.MultiIndex.from_frame(kept[["rid_l", "rid_r"]])
    seen = pd.MultiIndex.from_frame(rescored[["rid_l", "rid_r"]])
    kept = kept[~index.isin(seen)]
    kept = kept[kept["match_probability"].to_numpy(dtype=float) >= PAIR_FLOOR]
    return pd.concat([kept, rescored[kept.columns]], ignore_index=True)


def _first_pass(
    api: Any, linker: Any, table: pd.DataFrame, model: dict[str, Any]
) -> tuple[Any, pd.DataFrame]:
    """The first pass (see :mod:`aban.linkage.learning`): the table of every
    scored pair when it covered every record (else None), and the confident pairs."""
    sample = learning.learning_sample(table)
    if len(sample) == len(table):
        predictions = _predict(linker, len(table))
        where = f"match_probability >= {learning.CONFIDENT}"
        return predictions, _fetch(linker, predictions, where=where, keep=True)
    if len(sample) < 2:
        return None, pd.DataFrame({"rid_l": [], "rid_r": []}, dtype="int64")
    frame = _register(api, sample, "__aban__learning")
    small = _linker(frame, learning.sample_model(model, len(table), len(sample)))
    predictions = small.inference.predict(
        threshold_match_probability=learning.CONFIDENT
    )
    return None, _fetch(small, predictions)


def _fetch(
    linker: Any, predictions: Any, where: str = "", keep: bool = False
) -> pd.DataFrame:
    """The predictions' ids, scores and match weights (not the frequencies), of
    those ``where`` says if given; the table is dropped unless ``keep``."""
    wanted = {"rid_l", "rid_r", "match_weight", "match_probability"}
    names = [c.unquote().name for c in predictions.columns]
    chosen = [n for n in names if n in wanted or n.startswith("mw_")]
    sql = f"select {', '.join(chosen)} from {predictions.physical_name}"
    if where:
        sql += f" where {where}"
    frame: pd.DataFrame = linker.misc.query_sql(sql, output_type="pandas")
    if not keep:
        predictions.drop_table_from_database_and_remove_from_cache()
    return frame


def _indexed(
    links: Sequence[tuple[str, str]], index: dict[str, int]
) -> list[tuple[int, int]]:
    return [(index[a], index[b]) for a, b in links if a in index and b in index]


def _clusters(pairs: pd.DataFrame, clustering: _Clustering) -> list[int]:
    scored = zip(
        pairs["rid_l"].tolist(),
        pairs["rid_r"].tolist(),
        pairs["match_weight"].tolist(),
        strict=True,
    )
    return cluster_records(
        clustering.sources,
        scored,
        clustering.rules,
        clustering.must,
        clustering.cannot,
    )


def _names(keys: list[str], label: Sequence[int]) -> dict[str, str]:
    """Record key -> person id: ``P`` and the rank of the cluster's smallest key."""
    smallest = sorted({label[i] for i in range(len(keys))})
    width = max(6, len(str(len(smallest))))
    rank = {root: f"P{n:0{width}d}" for n, root in enumerate(smallest, start=1)}
    return {k: rank[label[i]] for i, k in enumerate(keys)}


def link_records(
    records: pd.DataFrame,
    *,
    must_link: Sequence[tuple[str, str]] = (),
    cannot_link: Sequence[tuple[str, str]] = (),
    labels: Sequence[tuple[str, str, bool]] = (),
    threshold: float = DEFAULT_THRESHOLD,
    engine: Engine = "duckdb",
    seed: int = 1,
    progress: Progress | None = None,
    spark: SparkSettings | None = None,
) -> LinkResult:
    """Find the records that describe the same person.

    The model (see :mod:`aban.linkage.model`) compares names through their
    normalised spellings, sound keys and transliteration-invariant skeletons,
    ages, dates of death, places, sex, status, occupation, cause of death and
    injury; it is trained without labels (random pairs for u, expectation
    maximisation for m), and with the reviewers' match decisions in ``labels``
    when there are any. A first pass teaches which letters the lists write for
    one another; when it learns some, names that differ only so reach a level
    of their own and the records are scored again (see
    :mod:`aban.linkage.learning`; the table is in ``model["learned_spellings"]``).
    Two records that each match a third at the threshold but were never
    compared are scored too (:func:`aban.linkage.neighbours.closure_pairs`).
    Pairs are clustered by constrained average linkage (see
    :mod:`aban.linkage.clusters`), which resists chaining, then refined record
    by record (:mod:`aban.linkage.refine`).

    Reviewers' decisions always win: ``must_link`` pairs and ``labels`` marked
    True end in one person; ``cannot_link`` pairs and ``labels`` marked False never
    do (when must-links chain two cannot-linked records together, must-links win).

    Args:
        records: One row per record: a unique string ``key``, ``source`` and any
            records-format columns (raw text is fine: Persian digits, Solar Hijri
            dates and Arabic letter forms are normalised here).
        must_link: Pairs of keys that are the same person.
        cannot_link: Pairs of keys that are different persons.
        labels: Reviewer decisions ``(key, key, same)``; used in training and as
            must-link or cannot-link.
        threshold: Least average match probability of the pairs across two
            clusters for them to merge (see :data:`DEFAULT_THRESHOLD`).
        engine: ``duckdb`` (in memory, one machine) or ``spark``.
        seed: Seed of the random pairs sampled to estimate u probabilities.
        progress: Called with a short message at each stage.
        spark: Where and how Spark runs (``engine="spark"``); by default from
            Spark's own environment (see :mod:`aban.linkage.spark_settings`).
            The model is trained here on DuckDB with either engine (the same
            model); with Spark every pair is scored and clustered on its
            executors, giving the same persons as on one machine for the same
            scored pairs.

    Returns:
        The clusters, the scored pairs, the trained model and the threshold.

    Raises:
        LinkageError: the keys are not unique, the engine is unknown, or the
            Spark settings turn security off (see
            :func:`aban.linkage.spark_settings.check_security`).
    """
    say = progress or (lambda _message: None)
    if not 0.0 < threshold < 1.0:
        raise LinkageError("the match threshold must be a probability between 0 and 1")
    keys = records["key"].astype(str).tolist() if "key" in records.columns else []
    if len(set(keys)) != len(keys) or "key" not in records.columns:
        raise LinkageError("every record needs a unique key")
    say(f"preparing {len(keys):,} records")
    # Sorted by key, so that the result does not depend on the input order.
    features = record_features(records).sort_values("key", ignore_index=True)
    keys = features["key"].tolist()
    index = {k: i for i, k in enumerate(keys)}
    must = [*must_link, *((a, b) for a, b, same in labels if same)]
    cannot = [*cannot_link, *((a, b) for a, b, same in labels if not same)]
    clustering = _Clustering(
        sources=features["source"].fillna("").astype(str).tolist(),
        rules=cluster_rules(threshold),
        must=_indexed(must, index),
        cannot=_indexed(cannot, index),
    )
    found: dict[int, int] | None = None
    if len(keys) < 2:
        pairs = empty_pairs()
        model: dict[str, Any] = {}
    else:
        pairs, model, found = _score(
            features,
            _labels_frame(labels, index),
            engine,
            seed,
            say,
            clustering,
            spark,
        )
    if found is None:
        say(f"clustering {len(pairs):,} scored pairs")
        label = _clusters(pairs, clustering)
    else:
        label = [found.get(i, i) for i in range(len(keys))]
    clusters = _names(keys, label)
    pairs = pairs.drop(columns=["rid_l", "rid_r"])
    return LinkResult(clusters, pairs, model, threshold)
