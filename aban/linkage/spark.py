"""Splink's Spark backend on a local session, for ``engine="spark"``.

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
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

#: Spark master of the local session (two worker threads).
MASTER = "local[2]"
#: Start of the name of each session's private folder (then the process id).
FOLDER_PREFIX = "aban-spark-"
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


def session_conf(folder: Path) -> dict[str, str]:
    """The settings of a local session that keeps its files in ``folder``."""
    return {
        "spark.master": MASTER,
        "spark.app.name": "aban-linkage",
        "spark.api.mode": "classic",
        "spark.local.dir": str(folder),
        "spark.io.encryption.enabled": "true",
        "spark.io.encryption.keySizeBits": "256",
        "spark.driver.extraJavaOptions": f'-Djava.io.tmpdir="{folder / "jvm"}"',
        "spark.sql.warehouse.dir": str(folder / "warehouse"),
        "spark.sql.shuffle.partitions": "2",
        "spark.default.parallelism": "2",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.adaptive.enabled": "true",
        "spark.driver.memory": "4g",
    }


def child_environment(environ: Mapping[str, str], folder: Path) -> dict[str, str]:
    """The JVM's environment: ``environ`` without aban's variables (the passphrase
    among them) or a Spark Connect address, with ``folder`` as Spark's local
    folder (``SPARK_LOCAL_DIRS`` wins over ``spark.local.dir``)."""
    child = {
        name: value
        for name, value in environ.items()
        if not name.startswith("ABAN_") and name not in _WITHHELD
    }
    child["SPARK_LOCAL_DIRS"] = str(folder)
    return child


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


def _stop(session: Any) -> None:
    """Stop the session and its JVM, so that its files can go."""
    from pyspark import SparkContext

    session.stop()
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


@contextlib.contextmanager
def spark_api() -> Iterator[Any]:
    """A Splink SparkAPI on a local Spark session with Splink's similarity jar.

    The session keeps its files encrypted in a private folder (see the module's
    docstring); on leaving the block the session and its JVM stop and the folder
    is removed.
    """
    import splink
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    root = Path(tempfile.gettempdir())
    remove_stale_folders(root)
    folder = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-", dir=root))
    try:
        (folder / "jvm").mkdir(mode=0o700)
        builder = SparkSession.builder.config("spark.jars", similarity_jar_location())
        for key, value in session_conf(folder).items():
            builder = builder.config(key, value)
        with _environment(child_environment(os.environ, folder)):
            session = builder.getOrCreate()
        try:
            session.sparkContext.setLogLevel("ERROR")
            api_class: Any = splink.SparkAPI
            yield api_class(
                spark_session=session,
                break_lineage_method="persist",
                num_partitions_on_repartition=2,
            )
        finally:
            _stop(session)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
