"""Clustering the scored pairs on Spark, for ``engine="spark"``.

The pairs stay on the executors; only each record's cluster comes back to the
driver, and only for the records that are not alone. Two steps:

1. The connected components of the graph of pairs at or above the threshold
   weight, with the must-links (:func:`aban.linkage.clusters.link_components`),
   by label propagation in Spark SQL: each record takes the smallest label among
   its own and its neighbours', then the label of its label (pointer jumping),
   until no label changes; rounds grow with the logarithm of a component's
   diameter. No GraphFrames.
2. Each component's records and its own pairs go to one Python worker, which
   clusters them with :func:`aban.linkage.clusters.cluster_records` (average
   linkage, then refinement), exactly as on one machine: no merge or move
   crosses a component, and the pairs are given in the same order, so the
   persons are the same as DuckDB's for the same scored pairs.

The executors therefore need the same version of aban (and NumPy, SciPy, pandas
and PyArrow) as the driver; a worker with another version refuses the work.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from aban.linkage.clusters import cluster_records
from aban.linkage.rules import ClusterRules
from aban.version import __version__

#: Rounds of label propagation before giving up (a component this deep is a bug).
MAX_ROUNDS = 64
_RESULT_SCHEMA = "rid long, label long"


def _partners(links: Sequence[tuple[int, int]]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for a, b in links:
        found.setdefault(a, []).append(b)
    return found


def cluster_component(
    pairs: pd.DataFrame,
    members: pd.DataFrame,
    *,
    rules: ClusterRules,
    must: Mapping[int, list[int]],
    cannot: Mapping[int, list[int]],
    version: str,
) -> pd.DataFrame:
    """Cluster one component on a Python worker.

    Args:
        pairs: The component's scored pairs: ``rid_l``, ``rid_r``, ``weight``.
        members: The component's records: ``rid``, ``source``.
        rules: The clustering thresholds.
        must: Record -> records it is must-linked with (any component).
        cannot: Record -> records it is cannot-linked with (any component).
        version: The driver's aban version.

    Returns:
        ``rid`` and ``label`` (the smallest ``rid`` of its cluster) of each member.

    Raises:
        RuntimeError: this worker's aban is not the driver's.
    """
    if version != __version__:
        raise RuntimeError(
            f"this Spark worker has aban {__version__}, the driver {version}: "
            "install the same version on every worker"
        )
    members = members.sort_values("rid", ignore_index=True)
    rids = members["rid"].to_numpy(dtype=np.int64)
    local = {int(r): i for i, r in enumerate(rids)}
    scored = []
    if not pairs.empty:  # a component held together by must-links alone has none
        pairs = pairs.sort_values(["rid_l", "rid_r"], ignore_index=True)
        scored = [
            (local[a], local[b], w)
            for a, b, w in zip(
                pairs["rid_l"].tolist(),
                pairs["rid_r"].tolist(),
                pairs["weight"].tolist(),
                strict=True,
            )
        ]

    def inside(links: Mapping[int, list[int]]) -> list[tuple[int, int]]:
        return [
            (local[a], local[b]) for a in local for b in links.get(a, ()) if b in local
        ]

    sources = members["source"].astype(str).tolist()
    label = cluster_records(sources, scored, rules, inside(must), inside(cannot))
    return pd.DataFrame({"rid": rids, "label": rids[np.asarray(label, dtype=int)]})


def _components(session: Any, edges: Any, say: Any) -> Any:
    """``node``, ``label`` (smallest node of its component) of every node of
    ``edges`` (``a``, ``b``: undirected)."""
    from pyspark.sql import functions as F

    both = edges.union(edges.select(F.col("b").alias("a"), F.col("a").alias("b")))
    both = both.distinct().localCheckpoint()
    labels = (
        both.groupBy("a")
        .agg(F.least(F.col("a"), F.min("b")).alias("label"))
        .withColumnRenamed("a", "node")
        .localCheckpoint()
    )
    for rounds in range(1, MAX_ROUNDS + 1):
        near = (
            both.join(labels.withColumnRenamed("node", "b"), "b")
            .groupBy("a")
            .agg(F.min("label").alias("near"))
            .withColumnRenamed("a", "node")
        )
        spread = labels.join(near, "node").select(
            "node",
            F.col("label").alias("before"),
            F.least("label", "near").alias("label"),
        )
        hop = spread.select(F.col("node").alias("label"), F.col("label").alias("hop"))
        jumped = (
            spread.join(hop, "label")
            .select("node", "before", F.least("label", "hop").alias("label"))
            .localCheckpoint()
        )
        # Counted on the checkpoint: no join with the labels before.
        changed = jumped.where(F.col("label") != F.col("before")).count()
        labels = jumped.select("node", "label")
        if changed == 0:
            say(f"components found in {rounds} rounds")
            return labels
    raise RuntimeError(f"label propagation did not settle in {MAX_ROUNDS} rounds")


def spark_clusters(
    session: Any,
    predictions: str,
    sources: Sequence[str],
    rules: ClusterRules,
    must: Sequence[tuple[int, int]],
    cannot: Sequence[tuple[int, int]],
    say: Any = None,
) -> dict[int, int]:
    """Cluster the scored pairs of the Spark table ``predictions`` on Spark.

    Args:
        session: The Spark session holding ``predictions``.
        predictions: Name of the table of scored pairs (``rid_l``, ``rid_r``,
            ``match_weight``), as Splink left it.
        sources: The source of each record, by ``rid``.
        rules: The clustering thresholds.
        must: Must-link pairs of ``rid``.
        cannot: Cannot-link pairs of ``rid``.
        say: Called with a short message at each stage.

    Returns:
        ``rid`` -> smallest ``rid`` of its cluster, for the records in a
        component of two or more (every other record is a person alone).
    """
    from pyspark.sql import functions as F

    say = say or (lambda _message: None)
    pairs = session.table(predictions).select(
        F.least("rid_l", "rid_r").cast("long").alias("rid_l"),
        F.greatest("rid_l", "rid_r").cast("long").alias("rid_r"),
        F.col("match_weight").cast("double").alias("weight"),
    )
    strong = pairs.where(F.col("weight") >= rules.threshold).select(
        F.col("rid_l").alias("a"), F.col("rid_r").alias("b")
    )
    if must:
        strong = strong.union(session.createDataFrame(list(must), "a long, b long"))
    labels = _components(session, strong, say)
    records = session.createDataFrame(
        pd.DataFrame({"rid": np.arange(len(sources)), "source": list(sources)}),
        "rid long, source string",
    )
    members = labels.withColumnRenamed("node", "rid").join(records, "rid")
    left = labels.select(F.col("node").alias("rid_l"), F.col("label").alias("c"))
    right = labels.select(F.col("node").alias("rid_r"), F.col("label").alias("c"))
    inside = pairs.join(left, "rid_l").join(right, ["rid_r", "c"])
    work = functools.partial(
        cluster_component,
        rules=rules,
        must=_partners([*must, *((b, a) for a, b in must)]),
        cannot=_partners([*cannot, *((b, a) for a, b in cannot)]),
        version=__version__,
    )
    say("clustering the components")
    found = (
        inside.groupBy("c")
        .cogroup(members.groupBy("label"))
        .applyInPandas(work, _RESULT_SCHEMA)
        .toPandas()
    )
    return dict(zip(found["rid"].tolist(), found["label"].tolist(), strict=True))
