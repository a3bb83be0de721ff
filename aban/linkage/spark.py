"""Splink's Spark backend on a local session or a cluster, for ``engine="spark"``.

Spark scores every candidate pair and clusters them; the model it scores with is
trained on DuckDB in this process (:mod:`aban.linkage.engine`) and written in
Spark's SQL by :func:`spark_model`. Splink's training on Spark ran hundreds of
small stages, each planned by the driver (on 275 records on a standalone cluster,
310 s of a 440 s run), for work whose size is bounded anyway.

What touches disk. Spark writes shuffle blocks, spilled rows and cached blocks of
the records being linked to its local folders, and the JVM its own temporary
files. Here they all go in one private folder, ``aban-spark-<pid>-<random>`` in
the temporary folder (``TMPDIR``), mode 0700, and Spark encrypts what it writes
there (``spark.io.encryption.enabled``: AES with a key made for the session and
held only in the JVM's memory). The folder is removed when the session ends; a run
that was killed leaves it behind (ciphertext whose key died with the JVM), and the
next Spark session removes it.

The JVM is started with an environment without aban's variables (the workspace
passphrase among them): it and the Python workers it starts never see them.

On a cluster (a master from :mod:`aban.linkage.spark_settings`), the driver keeps
the same private folder; the executors write on the workers, in the folders their
administrator gave them (``SPARK_LOCAL_DIRS``; a standalone worker removes an
application's folders when it ends), encrypted as here, and reach the driver over
authenticated, encrypted connections. The shared secret is handed to the driver's
JVM over Py4J once it has started, never on its command line, which other users
of the machine can read.
"""

from __future__ import annotations

import contextlib
import copy
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from aban.errors import LinkageError
from aban.linkage.spark_settings import (
    LOCAL_MASTER,
    SECRET_KEY,
    SparkSettings,
    check_security,
    parallelism,
    spark_settings,
)

#: Spark master of the local session (two worker threads).
MASTER = LOCAL_MASTER
#: Start of the name of each session's private folder (then the process id).
FOLDER_PREFIX = "aban-spark-"
#: Spark's own default number of tasks per shuffle.
SPARK_PARTITIONS = 200
#: Seconds the JVM has to exit once its session has stopped.
EXIT_WAIT = 60

_FOLDER_PID = re.compile(re.escape(FOLDER_PREFIX) + r"(\d+)-")
#: Variables the JVM does not get besides aban's own: those that would send the
#: session to a Spark Connect server instead of a local one.
_WITHHELD = frozenset(
    {
        "SPARK_REMOTE",
        "SPARK_CONNECT_MODE_ENABLED",
        "SPARK_LOCAL_REMOTE",
        "SPARK_API_MODE",
    }
)


def session_defaults() -> dict[str, str]:
    """aban's Spark settings that the user's may replace."""
    return {
        "spark.app.name": "aban-linkage",
        "spark.io.encryption.enabled": "true",
        "spark.io.encryption.keySizeBits": "256",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.adaptive.enabled": "true",
        "spark.driver.memory": "4g",
    }


def cluster_defaults() -> dict[str, str]:
    """The security settings of a cluster run (turned off only with
    ``spark_insecure``)."""
    return {"spark.authenticate": "true", "spark.network.crypto.enabled": "true"}


def session_conf(folder: Path, settings: SparkSettings | None = None) -> dict[str, str]:
    """The settings of a session that keeps the driver's files in ``folder``.

    aban's defaults, then the user's (``settings``), then what keeps the driver's
    files in ``folder``, which always wins. Secrets included: see
    :func:`public_conf` for what may go on a command line.
    """
    settings = settings or SparkSettings()
    conf = session_defaults()
    conf.update(parallelism(settings))
    if not settings.local:
        conf.update(cluster_defaults())
    conf.update(settings.conf)
    if settings.secret:
        conf["spark.authenticate.secret"] = settings.secret
    conf.update(
        {
            "spark.master": settings.master,
            "spark.api.mode": "classic",
            "spark.local.dir": str(folder),
            "spark.driver.extraJavaOptions": f'-Djava.io.tmpdir="{folder / "jvm"}"',
            "spark.sql.warehouse.dir": str(folder / "warehouse"),
        }
    )
    return conf


def public_conf(conf: Mapping[str, str]) -> dict[str, str]:
    """``conf`` without the settings whose values are secrets."""
    return {k: v for k, v in conf.items() if not SECRET_KEY.search(k)}


def child_environment(
    environ: Mapping[str, str], folder: Path, python: str | None = None
) -> dict[str, str]:
    """The JVM's environment: ``environ`` without aban's variables (the passphrase
    and the Spark secret among them) or a Spark Connect address, with ``folder``
    as Spark's local folder (``SPARK_LOCAL_DIRS`` wins over ``spark.local.dir``)
    and, when given, ``python`` as the executors' Python (``PYSPARK_PYTHON``)."""
    child = {
        name: value
        for name, value in environ.items()
        if not name.startswith("ABAN_") and name not in _WITHHELD
    }
    child["SPARK_LOCAL_DIRS"] = str(folder)
    if python is not None:
        child["PYSPARK_PYTHON"] = python
    return child


def spark_model(model: Mapping[str, Any]) -> dict[str, Any]:
    """``model`` (trained on DuckDB) in Spark's SQL dialect, with the same numbers.

    Each SQL condition and blocking rule of aban's settings
    (:func:`aban.linkage.model.settings`) is replaced by Spark's spelling of it;
    the learned spelling levels and their blocking rule
    (:mod:`aban.linkage.learning`) are written in SQL that both dialects read and
    stay as they are.

    Raises:
        LinkageError: a condition or rule is neither (a DuckDB spelling would
            fail on Spark, or worse, mean something else there).
    """
    from aban.linkage import model as splink_model

    base = splink_model.settings()
    duck, spark = (base.get_settings(d).as_dict() for d in ("duckdb", "spark"))
    conditions = {
        a["sql_condition"]: b["sql_condition"]
        for ca, cb in zip(duck["comparisons"], spark["comparisons"], strict=True)
        for a, b in zip(ca["comparison_levels"], cb["comparison_levels"], strict=True)
    }
    rules = {
        a["blocking_rule"]: b
        for a, b in zip(
            duck["blocking_rules_to_generate_predictions"],
            spark["blocking_rules_to_generate_predictions"],
            strict=True,
        )
    }
    out = copy.deepcopy(dict(model))
    out.pop("linker_uid", None)
    out["sql_dialect"] = "spark"
    for comparison in out["comparisons"]:
        for level in comparison["comparison_levels"]:
            sql = level["sql_condition"]
            level["sql_condition"] = conditions.get(sql, sql)
    out["blocking_rules_to_generate_predictions"] = [
        copy.deepcopy(rules.get(rule["blocking_rule"], rule)) | {"sql_dialect": "spark"}
        for rule in out["blocking_rules_to_generate_predictions"]
    ]
    levels = [lv for c in out["comparisons"] for lv in c["comparison_levels"]]
    texts = [
        *(level["sql_condition"] for level in levels),
        *(r["blocking_rule"] for r in out["blocking_rules_to_generate_predictions"]),
    ]
    if any('"' in text for text in texts):
        raise LinkageError(
            "the trained model has a condition in DuckDB's SQL that aban cannot "
            "write for Spark: link with --engine duckdb"
        )
    return out


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_folders(root: Path) -> list[Path]:
    """Remove the private folders in ``root`` of sessions whose process has ended.

    Only folders (not links) of this user named ``aban-spark-<pid>-...`` whose
    process is gone are removed.

    Returns:
        The folders removed.
    """
    removed = []
    for path in sorted(root.glob(FOLDER_PREFIX + "*")):
        match = _FOLDER_PID.match(path.name)
        try:
            info = path.lstat()
        except FileNotFoundError:
            continue
        if (
            match is None
            or not stat.S_ISDIR(info.st_mode)
            or info.st_uid != os.getuid()
            or _alive(int(match.group(1)))
        ):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


@contextlib.contextmanager
def _environment(environ: Mapping[str, str]) -> Iterator[None]:
    """This process's environment is ``environ`` inside the block (PySpark starts
    the JVM with a copy of it), and what it was after."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(environ)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _close_gateway() -> None:
    """Shut down the Py4J gateway and wait for its JVM to exit."""
    from pyspark import SparkContext

    gateway: Any = SparkContext._gateway
    if gateway is None:
        return
    SparkContext._gateway = None
    SparkContext._jvm = None
    gateway.shutdown()
    process = gateway.proc
    if process is None:
        return
    process.stdin.close()  # the JVM exits when its standard input closes
    try:
        process.wait(EXIT_WAIT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _stop(session: Any) -> None:
    """Stop the session and its JVM, so that its files can go."""
    session.stop()
    _close_gateway()


def _python(settings: SparkSettings, environ: Mapping[str, str]) -> str:
    """The executors' Python: the user's, else this one."""
    return (
        settings.conf.get("spark.pyspark.python")
        or environ.get("PYSPARK_PYTHON")
        or sys.executable
    )


def _start(conf: Mapping[str, str], environ: Mapping[str, str]) -> Any:
    """A Spark session with ``conf``: its JVM gets the settings that are not
    secrets on its command line, then the secrets over Py4J."""
    from pyspark import SparkConf, SparkContext
    from pyspark.java_gateway import launch_gateway
    from pyspark.sql import SparkSession

    launch: Any = launch_gateway
    with _environment(environ):
        public = SparkConf(loadDefaults=False).setAll(list(public_conf(conf).items()))
        SparkContext._gateway = launch(public)
        SparkContext._jvm = SparkContext._gateway.jvm
        try:
            every = SparkConf(loadDefaults=False).setAll(list(conf.items()))
            context = SparkContext(conf=every, gateway=SparkContext._gateway)
        except BaseException:
            _close_gateway()
            raise
    return SparkSession(context)


@contextlib.contextmanager
def spark_api(settings: SparkSettings | None = None) -> Iterator[Any]:
    """A Splink SparkAPI on a Spark session with Splink's similarity jar.

    The session runs on ``settings.master`` (by default where Spark's
    environment says, see :func:`aban.linkage.spark_settings.spark_settings`,
    else ``local[2]``) and keeps the driver's files encrypted in a private
    folder (see the module's docstring); on leaving the block the session and
    its JVM stop and the folder is removed.

    Raises:
        LinkageError: the settings turn security off without ``spark_insecure``,
            or a cluster has no secret (see
            :func:`aban.linkage.spark_settings.check_security`).
    """
    import splink
    from splink.backends.spark import similarity_jar_location

    settings = settings or spark_settings({}, os.environ)
    root = Path(tempfile.gettempdir())
    remove_stale_folders(root)
    folder = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-", dir=root))
    try:
        conf = session_conf(folder, settings)
        check_security(settings, conf)
        jars = conf.get("spark.jars")
        conf["spark.jars"] = ",".join(filter(None, (similarity_jar_location(), jars)))
        (folder / "jvm").mkdir(mode=0o700)
        python = _python(settings, os.environ)
        session = _start(conf, child_environment(os.environ, folder, python))
        try:
            session.sparkContext.setLogLevel("ERROR")
            api_class: Any = splink.SparkAPI
            # Splink's tables stay in the executors' memory and encrypted local
            # folders: its other ways (checkpoint, parquet, Delta) write them to a
            # checkpoint folder that Spark does not encrypt.
            partitions = conf.get("spark.sql.shuffle.partitions", str(SPARK_PARTITIONS))
            yield api_class(
                spark_session=session,
                break_lineage_method="persist",
                num_partitions_on_repartition=int(partitions),
            )
        finally:
            _stop(session)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
