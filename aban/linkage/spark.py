"""Splink's Spark backend on a local session, for ``engine="spark"``."""

from __future__ import annotations

from typing import Any

#: Spark master of the local session (two worker threads).
MASTER = "local[2]"


def spark_api() -> Any:
    """A Splink SparkAPI on a local Spark session with Splink's similarity jar."""
    import splink
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    spark = (
        SparkSession.builder.master(MASTER)
        .appName("aban-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.driver.memory", "4g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    api_class: Any = splink.SparkAPI
    return api_class(
        spark_session=spark,
        break_lineage_method="persist",
        num_partitions_on_repartition=2,
    )
