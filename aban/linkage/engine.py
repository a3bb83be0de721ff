"""Link records into persons: features, a Splink model, scoring, clustering.

What touches disk: nothing. DuckDB runs in memory (``:memory:``) with spilling
turned off (``temp_directory`` empty, so a query that needs more memory than the
limit fails instead of writing plaintext to a temporary file) and a memory limit
(:data:`MEMORY_LIMIT`, or ``ABAN_LINKAGE_MEMORY``). The Spark engine
(``engine="spark"``, for registers beyond one machine) keeps its tables in memory
too (``persist`` rather than parquet checkpoints), but Spark itself may spill
shuffle blocks to its local directories (``spark.local.dir``); run it only on an
encrypted disk.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from aban.errors import LinkageError
from aban.linkage import model as splink_model
from aban.linkage.clusters import ClusterRules, cluster_records
from aban.linkage.features import record_features

#: DuckDB's memory limit unless ``ABAN_LINKAGE_MEMORY`` says otherwise.
MEMORY_LIMIT = "12GB"
#: Default match probability for two records to be one person.
DEFAULT_THRESHOLD = 0.05
#: Pairs scored below this probability are not returned (nor kept for clustering).
PAIR_FLOOR = 0.001

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


def _weight(probability: float) -> float:
    p = min(max(probability, 1e-12), 1 - 1e-12)
    return math.log2(p / (1 - p))


def cluster_rules(threshold: float) -> ClusterRules:
    """The clustering thresholds for a match probability ``threshold``."""
    w = _weight(threshold)
    return ClusterRules(threshold=w, min_weight=w - 8.0, same_source_weight=w + 6.0)


def _duckdb_api() -> Any:
    import duckdb
    from splink import DuckDBAPI

    con = duckdb.connect(":memory:")
    con.execute("set temp_directory = ''")
    con.execute("set max_temp_directory_size = '0B'")
    limit = os.environ.get("ABAN_LINKAGE_MEMORY", MEMORY_LIMIT)
    con.execute("set memory_limit = ?", [limit])
    con.execute("set preserve_insertion_order = false")
    return DuckDBAPI(con)


def _api(engine: Engine) -> Any:
    if engine == "duckdb":
        return _duckdb_api()
    if engine == "spark":
        from aban.linkage.spark import spark_api

        return spark_api()
    raise LinkageError(f"unknown linkage engine {engine!r}: use duckdb or spark")


def _labels_frame(
    labels: Sequence[tuple[str, str, bool]], known: set[str]
) -> pd.DataFrame | None:
    rows = [
        (min(a, b), max(a, b))
        for a, b, same in labels
        if same and a != b and a in known and b in known
    ]
    if not rows:
        return None
    frame = pd.DataFrame(sorted(set(rows)), columns=["key_l", "key_r"])
    return frame.rename(columns={"key_l": "key_l", "key_r": "key_r"})


def _score(
    features: pd.DataFrame,
    labels: pd.DataFrame | None,
    engine: Engine,
    seed: int,
    say: Progress,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    with warnings.catch_warnings():
        # PySpark warns at every pandas conversion that it does not fully support
        # pandas 3, and calls pandas with a deprecated keyword; the conversions
        # used here (columns of text and integers) work.
        warnings.filterwarnings("ignore", category=FutureWarning, module="pyspark")
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="pyspark")
        return _run_splink(features, labels, engine, seed, say)


def _run_splink(
    features: pd.DataFrame,
    labels: pd.DataFrame | None,
    engine: Engine,
    seed: int,
    say: Progress,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    from splink import Linker

    api = _api(engine)
    frame = api.register(features, dataset_display_name="__aban__records")
    linker: Any = Linker(frame, splink_model.settings(), log_level=None)
    labels_table = None
    if labels is not None:
        labels_table = _register_labels(linker, labels)
    say("training the model")
    splink_model.train(linker, features, labels_table, seed)
    say("scoring candidate pairs")
    predictions = linker.inference.predict(threshold_match_probability=PAIR_FLOOR)
    frame_out = predictions.as_pandas_dataframe()
    model: dict[str, Any] = linker.misc.save_model_to_json()
    return splink_model.evidence_columns(frame_out, model), model


def _register_labels(linker: Any, labels: pd.DataFrame) -> Any:
    table = pd.DataFrame(
        {
            "source_dataset_l": "records",
            "key_l": labels["key_l"],
            "source_dataset_r": "records",
            "key_r": labels["key_r"],
        }
    )
    return linker.table_management.register_table(
        table, "__aban__labels", overwrite=True
    )


def _clusters(
    keys: list[str],
    sources: list[str],
    pairs: pd.DataFrame,
    threshold: float,
    must: Sequence[tuple[str, str]],
    cannot: Sequence[tuple[str, str]],
) -> dict[str, str]:
    index = {k: i for i, k in enumerate(keys)}

    def indexed(links: Sequence[tuple[str, str]]) -> list[tuple[int, int]]:
        return [(index[a], index[b]) for a, b in links if a in index and b in index]

    scored = zip(
        pairs["key_l"].map(index).tolist(),
        pairs["key_r"].map(index).tolist(),
        pairs["match_weight"].tolist(),
        strict=True,
    )
    label = cluster_records(
        sources, scored, cluster_rules(threshold), indexed(must), indexed(cannot)
    )
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
) -> LinkResult:
    """Find the records that describe the same person.

    The model (see :mod:`aban.linkage.model`) compares names through their
    normalised spellings and their transliteration-invariant skeletons, ages,
    dates of death, places and sex; it is trained without labels (random pairs for
    u, expectation maximisation for m), and with the reviewers' match decisions
    in ``labels`` when there are any. Pairs are clustered by constrained average
    linkage (see :mod:`aban.linkage.clusters`), which resists chaining.

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
        threshold: Match probability above which two records are one person.
        engine: ``duckdb`` (in memory, one machine) or ``spark``.
        seed: Seed of the random pairs sampled to estimate u probabilities.
        progress: Called with a short message at each stage.

    Returns:
        The clusters, the scored pairs, the trained model and the threshold.

    Raises:
        LinkageError: the keys are not unique, or the engine is unknown.
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
    if len(keys) < 2:
        pairs = splink_model.empty_pairs()
        model: dict[str, Any] = {}
    else:
        pairs, model = _score(
            features, _labels_frame(labels, set(keys)), engine, seed, say
        )
    say(f"clustering {len(pairs):,} scored pairs")
    must = [*must_link, *((a, b) for a, b, same in labels if same)]
    cannot = [*cannot_link, *((a, b) for a, b, same in labels if not same)]
    sources = features["source"].fillna("").astype(str).tolist()
    clusters = _clusters(keys, sources, pairs, threshold, must, cannot)
    return LinkResult(clusters, pairs, model, threshold)
