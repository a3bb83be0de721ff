"""Where ``--engine spark`` runs, and the Spark settings it runs with.

By default a local session (``local[2]``). A user points it at an existing Spark
cluster in the workspace's ``aban.toml``::

    [linkage]
    spark_master = "spark://10.0.0.5:7077"

    [linkage.spark]
    "spark.executor.memory" = "8g"
    "spark.authenticate.secret.file" = "/etc/spark/secret"

or through Spark's own environment. Which wins, lowest first:

1. aban's defaults (``local[2]``, the settings of
   :func:`aban.linkage.spark.session_defaults`, and the tasks per shuffle of
   :func:`parallelism`);
2. ``spark-defaults.conf`` in ``SPARK_CONF_DIR`` (else ``SPARK_HOME/conf``), the
   cluster's own file, read by Spark's tools alike;
3. ``[linkage]`` and ``[linkage.spark]`` in the workspace's ``aban.toml``;
4. the master in the environment: ``SPARK_MASTER`` when it is a master URL
   (Spark's daemon script reads a ``host:path`` there), else ``MASTER`` (the
   variable ``spark-submit`` reads), as aban's ``ABAN_*`` variables beat its file.

Security. On a cluster the records cross the network and rest on the workers'
disks, so three settings are on unless the user turns them off:
``spark.authenticate`` (a shared secret), ``spark.network.crypto.enabled`` (AES
on every connection: RPC and block transfers) and ``spark.io.encryption.enabled``
(shuffle and spilled blocks on disk). A run whose settings turn one off is refused
unless ``spark_insecure = true`` in ``[linkage]`` says so. The secret comes from
``ABAN_SPARK_SECRET``, or from Spark's own settings (``spark.authenticate.secret``
in ``spark-defaults.conf``, or ``spark.authenticate.secret.file``); a secret
written in ``aban.toml`` is refused (the workspace is copied and backed up). aban
never writes it to disk, never logs it, and never puts it on a command line: it
reaches the driver's JVM over its Py4J connection.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aban.errors import ConfigError, LinkageError

#: Spark master of the local session (two worker threads).
LOCAL_MASTER = "local[2]"
#: Environment variable holding the cluster's shared secret.
SECRET_ENV = "ABAN_SPARK_SECRET"
#: Settings that must be on for a cluster run (and the last for any run).
SECURITY = (
    "spark.authenticate",
    "spark.network.crypto.enabled",
    "spark.io.encryption.enabled",
)
#: Settings whose values are secrets: set over Py4J, never on a command line.
SECRET_KEY = re.compile(r"(?i)secret|password|token|access[.]?key")
#: Shuffle tasks per core of a cluster run (``spark.sql.shuffle.partitions`` and
#: ``spark.default.parallelism`` are this times ``spark.cores.max``, unless set).
TASKS_PER_CORE = 2
#: The ``[linkage]`` keys read here.
KEYS = ("spark_master", "spark_insecure", "spark")
_MASTER_URL = re.compile(r"^(local(\[[^]]*\])?|yarn|[a-z][a-z0-9+.-]*://\S+)$")
_PROPERTY = re.compile(r"(\S+?)(?:\s*[=:]\s*|\s+)(.*)$")
_WHY = {
    "spark.authenticate": "anyone who reaches the cluster could join the run",
    "spark.network.crypto.enabled": "records would cross the network in plaintext",
    "spark.io.encryption.enabled": "shuffle blocks would rest on disk in plaintext",
}


@dataclass(frozen=True)
class SparkSettings:
    """The Spark run's master and settings (see the module docstring).

    Attributes:
        master: Spark master URL; ``local[...]`` runs in this process's JVM.
        conf: Spark settings from the user (``spark-defaults.conf`` and
            ``[linkage.spark]``; later wins), secrets included.
        insecure: The user allows a run with a security setting off.
        secret: The shared secret from :data:`SECRET_ENV` (never shown).
    """

    master: str = LOCAL_MASTER
    conf: Mapping[str, str] = field(default_factory=dict)
    insecure: bool = False
    secret: str = field(default="", repr=False)

    @property
    def local(self) -> bool:
        """Whether the run stays in this machine's one JVM."""
        return self.master.startswith("local")

    def to_dict(self) -> dict[str, Any]:
        """What run.json keeps: the master and the names of the settings given."""
        return {
            "master": self.master,
            "settings": sorted(self.conf),
            "insecure": self.insecure,
        }


def read_defaults_file(path: Path) -> dict[str, str]:
    """The settings of a ``spark-defaults.conf`` (``key value`` per line; ``#``
    comments), as Spark's tools read it."""
    conf: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "!")):
            continue
        found = _PROPERTY.match(line)
        if found is None:
            conf[line] = ""
        else:
            conf[found.group(1)] = found.group(2).strip()
    return conf


def _defaults_file(environ: Mapping[str, str]) -> Path | None:
    folder = environ.get("SPARK_CONF_DIR")
    if not folder and environ.get("SPARK_HOME"):
        folder = str(Path(environ["SPARK_HOME"]) / "conf")
    if not folder:
        return None
    path = Path(folder) / "spark-defaults.conf"
    return path if path.is_file() else None


def _master_url(value: str) -> str:
    """``value`` if it is a master URL: Spark's daemon script reads
    ``SPARK_MASTER`` as a ``host:path`` to copy Spark from."""
    return value if _MASTER_URL.match(value) else ""


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _section_errors(section: Mapping[str, Any]) -> list[str]:
    errors = []
    for key in sorted(section):
        if key.startswith("spark") and key not in KEYS:
            errors.append(f"unknown key {key!r} (known: {', '.join(KEYS)})")
    if not isinstance(section.get("spark_master", ""), str):
        errors.append("'spark_master' must be text")
    if not isinstance(section.get("spark_insecure", False), bool):
        errors.append("'spark_insecure' must be true or false")
    table = section.get("spark", {})
    if not isinstance(table, dict):
        errors.append("[linkage.spark] must be a table of Spark settings")
    elif any(SECRET_KEY.search(k) and not k.endswith(".file") for k in table):
        errors.append(
            "[linkage.spark] holds a secret: aban.toml is copied with the workspace. "
            f"Give it in {SECRET_ENV} or spark.authenticate.secret.file instead"
        )
    return errors


def spark_settings(
    section: Mapping[str, Any], environ: Mapping[str, str], where: str = "aban.toml"
) -> SparkSettings:
    """Resolve the Spark run's settings (precedence in the module docstring).

    Args:
        section: The ``[linkage]`` table of the workspace's aban.toml (``{}``
            without a workspace); keys not beginning with ``spark`` are left to
            the rest of linkage.
        environ: The environment.
        where: The file named in errors.

    Raises:
        ConfigError: a ``spark*`` key of ``[linkage]`` is unknown or invalid.
    """
    errors = _section_errors(section)
    if errors:
        raise ConfigError(f"{where}: [linkage] " + "; ".join(errors))
    path = _defaults_file(environ)
    conf = read_defaults_file(path) if path is not None else {}
    conf.update({k: _text(v) for k, v in section.get("spark", {}).items()})
    master = (
        _master_url(environ.get("SPARK_MASTER", ""))
        or environ.get("MASTER")
        or section.get("spark_master")
        or conf.pop("spark.master", "")
        or LOCAL_MASTER
    )
    conf.pop("spark.master", None)
    return SparkSettings(
        master=master,
        conf=conf,
        insecure=bool(section.get("spark_insecure", False)),
        secret=environ.get(SECRET_ENV, ""),
    )


def parallelism(settings: SparkSettings) -> dict[str, str]:
    """Tasks per shuffle: two on the local session (its two threads); on a cluster
    :data:`TASKS_PER_CORE` per core of ``spark.cores.max`` when the user gives it,
    else Spark's own default (200, which adaptive execution coalesces when the
    data are small). Splink repartitions its large tables (the candidate pairs,
    the scored pairs) into as many partitions; the user's settings win."""
    if settings.local:
        tasks = "2"
    else:
        cores = settings.conf.get("spark.cores.max", "").strip()
        if not cores.isdigit() or int(cores) < 1:
            return {}
        tasks = str(TASKS_PER_CORE * int(cores))
    return {"spark.sql.shuffle.partitions": tasks, "spark.default.parallelism": tasks}


def check_security(settings: SparkSettings, conf: Mapping[str, str]) -> None:
    """Refuse a run whose resolved ``conf`` turns security off, unless allowed.

    Raises:
        LinkageError: a setting of :data:`SECURITY` is off (only
            ``spark.io.encryption.enabled`` counts on a local session) without
            ``spark_insecure``, or a cluster run has authentication on but no
            secret. One line, naming the setting, never its value.
    """
    needed = SECURITY[2:] if settings.local else SECURITY
    off = [k for k in needed if conf.get(k, "").strip().lower() != "true"]
    if off and not settings.insecure:
        raise LinkageError(
            f"the Spark settings turn off {off[0]}: {_WHY[off[0]]}. Turn it on, or "
            "set spark_insecure = true in [linkage] of aban.toml to run anyway"
        )
    authenticated = conf.get("spark.authenticate", "").strip().lower() == "true"
    has_secret = any(
        k in conf
        for k in (
            "spark.authenticate.secret",
            "spark.authenticate.secret.file",
            "spark.authenticate.secret.driver.file",
        )
    )
    if not settings.local and authenticated and not has_secret:
        raise LinkageError(
            f"the Spark cluster {settings.master} needs the shared secret of its "
            f"spark.authenticate: set {SECRET_ENV}, or spark.authenticate.secret.file "
            "in [linkage.spark] of aban.toml"
        )
