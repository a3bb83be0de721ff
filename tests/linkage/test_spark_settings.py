"""Where --engine spark runs and with what security, checked without a JVM
(issue 16: linkage on an existing Spark cluster)."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from aban.errors import ConfigError, LinkageError
from aban.linkage.clusters import cluster_records, link_components
from aban.linkage.rules import ClusterRules
from aban.linkage.spark_clusters import cluster_component
from aban.linkage.spark_settings import (
    SECRET_ENV,
    SparkSettings,
    check_security,
    read_defaults_file,
    spark_settings,
)
from aban.version import __version__

CLUSTER = "spark://10.0.0.5:7077"


def _defaults(tmp_path: Path, text: str) -> dict[str, str]:
    (tmp_path / "spark-defaults.conf").write_text(text)
    return {"SPARK_CONF_DIR": str(tmp_path)}


def test_the_default_is_a_local_session() -> None:
    settings = spark_settings({}, {})
    assert settings == SparkSettings()
    assert settings.master == "local[2]" and settings.local


def test_spark_defaults_conf_is_read_as_spark_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "spark-defaults.conf"
    path.write_text(
        "# comment\n\nspark.master   spark://a:7077\n"
        "spark.executor.memory=4g\nspark.eventLog.enabled : false\n"
    )
    assert read_defaults_file(path) == {
        "spark.master": "spark://a:7077",
        "spark.executor.memory": "4g",
        "spark.eventLog.enabled": "false",
    }


def test_precedence_defaults_file_then_aban_toml_then_environment(
    tmp_path: Path,
) -> None:
    environ = _defaults(
        tmp_path, "spark.master spark://file:7077\nspark.executor.memory 2g\n"
    )
    assert spark_settings({}, environ).master == "spark://file:7077"
    section = {
        "spark_master": "spark://toml:7077",
        "spark": {"spark.executor.memory": "8g", "spark.cores.max": 4},
    }
    settings = spark_settings(section, environ)
    assert settings.master == "spark://toml:7077"
    assert settings.conf == {"spark.executor.memory": "8g", "spark.cores.max": "4"}
    with_master = {**environ, "MASTER": "spark://env:7077"}
    assert spark_settings(section, with_master).master == "spark://env:7077"
    both = {**with_master, "SPARK_MASTER": "spark://first:7077"}
    assert spark_settings(section, both).master == "spark://first:7077"
    # Spark's daemon script reads SPARK_MASTER as where to copy Spark from.
    rsync = {**with_master, "SPARK_MASTER": "build-host:/opt/spark"}
    assert spark_settings(section, rsync).master == "spark://env:7077"
    assert spark_settings({}, {"SPARK_MASTER": "local[4]"}).master == "local[4]"


def test_other_linkage_keys_are_left_alone_and_spark_keys_checked() -> None:
    assert spark_settings({"threshold_note": 1}, {}).master == "local[2]"
    with pytest.raises(ConfigError) as err:
        spark_settings({"spark_mastr": CLUSTER, "spark_insecure": "yes"}, {})
    assert str(err.value) == (
        "aban.toml: [linkage] unknown key 'spark_mastr' (known: spark_master, "
        "spark_insecure, spark); 'spark_insecure' must be true or false"
    )


def test_a_secret_in_aban_toml_is_refused() -> None:
    section = {"spark": {"spark.authenticate.secret": "s3cret-value"}}
    with pytest.raises(ConfigError) as err:
        spark_settings(section, {})
    assert str(err.value) == (
        "aban.toml: [linkage] [linkage.spark] holds a secret: aban.toml is copied "
        "with the workspace. Give it in ABAN_SPARK_SECRET or "
        "spark.authenticate.secret.file instead"
    )
    assert "s3cret-value" not in str(err.value)
    file_only = {"spark": {"spark.authenticate.secret.file": "/etc/spark/secret"}}
    assert spark_settings(file_only, {}).conf == file_only["spark"]


def _conf(settings: SparkSettings) -> dict[str, str]:
    from aban.linkage.spark import session_conf

    return session_conf(Path("/private"), settings)


def test_a_cluster_run_has_security_on_and_the_secret_from_the_environment() -> None:
    settings = spark_settings({"spark_master": CLUSTER}, {SECRET_ENV: "s3cret"})
    assert "s3cret" not in repr(settings)
    conf = _conf(settings)
    assert conf["spark.authenticate"] == "true"
    assert conf["spark.network.crypto.enabled"] == "true"
    assert conf["spark.io.encryption.enabled"] == "true"
    assert conf["spark.authenticate.secret"] == "s3cret"
    assert conf["spark.local.dir"] == "/private"
    check_security(settings, conf)
    from aban.linkage.spark import public_conf

    assert "spark.authenticate.secret" not in public_conf(conf)
    assert "s3cret" not in settings.to_dict().values()


def test_a_cluster_run_with_encryption_off_is_refused_unless_insecure() -> None:
    section: dict[str, Any] = {
        "spark_master": CLUSTER,
        "spark": {"spark.network.crypto.enabled": False},
    }
    settings = spark_settings(section, {SECRET_ENV: "s3cret"})
    with pytest.raises(LinkageError) as err:
        check_security(settings, _conf(settings))
    assert str(err.value) == (
        "the Spark settings turn off spark.network.crypto.enabled: records would "
        "cross the network in plaintext. Turn it on, or set spark_insecure = true "
        "in [linkage] of aban.toml to run anyway"
    )
    allowed = spark_settings({**section, "spark_insecure": True}, {SECRET_ENV: "s"})
    check_security(allowed, _conf(allowed))


def test_a_cluster_run_without_a_secret_is_refused() -> None:
    settings = spark_settings({"spark_master": CLUSTER}, {})
    with pytest.raises(LinkageError) as err:
        check_security(settings, _conf(settings))
    assert str(err.value) == (
        "the Spark cluster spark://10.0.0.5:7077 needs the shared secret of its "
        "spark.authenticate: set ABAN_SPARK_SECRET, or spark.authenticate.secret.file "
        "in [linkage.spark] of aban.toml"
    )


def test_tasks_per_shuffle_follow_the_cores_unless_the_user_says() -> None:
    # Issue 16: two tasks per shuffle suit local[2], not a cluster of many cores.
    def tasks(section: dict[str, Any]) -> tuple[str | None, str | None]:
        conf = _conf(spark_settings(section, {SECRET_ENV: "s"}))
        keys = ("spark.sql.shuffle.partitions", "spark.default.parallelism")
        return conf.get(keys[0]), conf.get(keys[1])

    assert tasks({}) == ("2", "2")
    assert tasks({"spark_master": CLUSTER}) == (None, None)
    cores = {"spark_master": CLUSTER, "spark": {"spark.cores.max": 16}}
    assert tasks(cores) == ("32", "32")
    mine = {"spark.cores.max": 16, "spark.sql.shuffle.partitions": 64}
    assert tasks({"spark_master": CLUSTER, "spark": mine}) == ("64", "32")


def test_a_local_session_needs_only_io_encryption() -> None:
    settings = spark_settings({}, {})
    conf = _conf(settings)
    assert "spark.authenticate" not in conf
    check_security(settings, conf)
    off = spark_settings({"spark": {"spark.io.encryption.enabled": "false"}}, {})
    with pytest.raises(LinkageError, match="spark.io.encryption.enabled: shuffle"):
        check_security(off, _conf(off))


def test_the_secret_reaches_the_jvm_but_not_its_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("pyspark")
    import pyspark.java_gateway

    from aban.linkage import spark

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.delenv("PYSPARK_GATEWAY_PORT", raising=False)
    launched: dict[str, Any] = {}

    class Refused(Exception):
        pass

    def popen(command: list[str], **kwargs: Any) -> None:
        launched["command"] = command
        launched["env"] = kwargs["env"]
        raise Refused

    monkeypatch.setattr(pyspark.java_gateway, "Popen", popen)
    settings = spark_settings({"spark_master": CLUSTER}, {SECRET_ENV: "s3cret-4242"})
    with pytest.raises(Refused), spark.spark_api(settings):
        pass
    command = " ".join(launched["command"])
    assert "s3cret-4242" not in command
    assert not any("s3cret-4242" in v for v in launched["env"].values())
    assert f"spark.master={CLUSTER}" in command
    assert "spark.network.crypto.enabled=true" in command
    assert "spark.authenticate=true" in command
    assert list(tmp_path.iterdir()) == []


def _random_pairs(seed: int, n: int) -> list[tuple[int, int, float]]:
    rng = random.Random(seed)
    pairs = {}
    for _ in range(n * 3):
        i, j = sorted(rng.sample(range(n), 2))
        pairs[(i, j)] = rng.choice([-12.0, -6.0, -2.0, 1.0, 3.0, 5.0, 9.0, 15.0])
    return sorted((i, j, w) for (i, j), w in pairs.items())


@pytest.mark.parametrize("seed", range(20))
def test_clustering_each_component_alone_gives_the_same_persons(seed: int) -> None:
    # What Spark runs on its executors (one component per call) against what
    # DuckDB's run does (every record at once).
    n = 60
    rules = ClusterRules(threshold=0.0, min_weight=-8.0, same_source_weight=6.0)
    sources = [f"s{i % 4}" for i in range(n)]
    pairs = _random_pairs(seed, n)
    must, cannot = [(0, 1), (2, 40)], [(3, 4), (0, 2)]
    whole = cluster_records(sources, pairs, rules, must, cannot)
    component = link_components(n, pairs, rules.threshold, must)
    by_parts = list(range(n))
    for c in set(component.tolist()):
        members = [i for i in range(n) if component[i] == c]
        if len(members) < 2:
            continue
        inside = [p for p in pairs if component[p[0]] == component[p[1]] == c]
        found = cluster_component(
            pd.DataFrame(inside, columns=["rid_l", "rid_r", "weight"]),
            pd.DataFrame({"rid": members, "source": [sources[i] for i in members]}),
            rules=rules,
            must={0: [1], 1: [0], 2: [40], 40: [2]},
            cannot={3: [4], 4: [3], 0: [2], 2: [0]},
            version=__version__,
        )
        for rid, label in zip(found["rid"], found["label"], strict=True):
            by_parts[rid] = int(label)
    assert by_parts == whole


def test_a_worker_with_another_aban_refuses() -> None:
    empty = pd.DataFrame({"rid_l": [], "rid_r": [], "weight": []})
    members = pd.DataFrame({"rid": [0, 1], "source": ["a", "b"]})
    rules = ClusterRules(threshold=0.0, min_weight=-8.0, same_source_weight=6.0)
    with pytest.raises(RuntimeError) as err:
        cluster_component(empty, members, rules=rules, must={}, cannot={}, version="0")
    assert str(err.value) == (
        f"this Spark worker has aban {__version__}, the driver 0: install the "
        "same version on every worker"
    )
