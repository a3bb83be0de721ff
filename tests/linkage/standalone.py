"""A Spark standalone cluster on loopback for tests: a master and two workers
started with pyspark's own daemon script, authentication and encryption on.

Everything it writes (logs, process ids, the workers' work and local folders)
goes in one folder given by the test; :func:`standalone_cluster` stops every
daemon at the end, even when the test fails.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import aban

MASTER = "org.apache.spark.deploy.master.Master"
WORKER = "org.apache.spark.deploy.worker.Worker"
#: Seconds the cluster has to come up.
START_WAIT = 180
#: Settings of the daemons: the cluster's side of aban's security settings.
DAEMON_OPTS = (
    "-Dspark.authenticate=true -Dspark.network.crypto.enabled=true "
    "-Dspark.master.rest.enabled=false"
)

#: [linkage.spark] of a run on this cluster: the driver too listens on loopback.
LOOPBACK_DRIVER = {
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.executor.memory": "768m",
    "spark.cores.max": 2,
}


@dataclass(frozen=True)
class Cluster:
    """A running standalone cluster."""

    master: str
    secret: str
    root: Path

    @property
    def local_dirs(self) -> Path:
        """The workers' local folders (shuffle and spilled blocks)."""
        return self.root / "local"

    @property
    def work_dir(self) -> Path:
        """The workers' work folder (one per application and executor)."""
        return self.root / "work"

    @property
    def logs(self) -> Path:
        return self.root / "logs"


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def spark_home() -> Path:
    import pyspark

    return Path(pyspark.__file__).parent


def _environment(root: Path, secret: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ABAN_", "SPARK_", "PYSPARK_")) and k != "MASTER"
    }
    env.update(
        {
            "SPARK_HOME": str(spark_home()),
            "SPARK_CONF_DIR": str(root / "conf"),
            "SPARK_LOG_DIR": str(root / "logs"),
            "SPARK_PID_DIR": str(root / "pids"),
            "SPARK_IDENT_STRING": f"abantest{os.getpid()}",
            "SPARK_LOCAL_DIRS": str(root / "local"),
            "SPARK_WORKER_DIR": str(root / "work"),
            "SPARK_LOCAL_IP": "127.0.0.1",
            "SPARK_MASTER_OPTS": DAEMON_OPTS,
            "SPARK_WORKER_OPTS": DAEMON_OPTS,
            # Spark's own variable for the secret: daemons read it, and a worker
            # hands it to its executors the same way.
            "_SPARK_AUTH_SECRET": secret,
            # The executors' Python imports this aban, not an installed one.
            "PYTHONPATH": str(Path(aban.__file__).parents[1]),
        }
    )
    return env


def _daemon(env: dict[str, str], action: str, kind: str, n: int, *args: str) -> None:
    script = spark_home() / "sbin" / "spark-daemon.sh"
    subprocess.run(
        ["bash", str(script), action, kind, str(n), *args],
        env=env,
        check=action == "start",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=120,
    )


def _registered(root: Path) -> int:
    return sum(
        "Successfully registered with master" in log.read_text(errors="replace")
        for log in (root / "logs").glob(f"*{WORKER}*.out")
    )


def _kill_left(root: Path) -> None:
    """Kill any daemon whose process id file is still there after its stop."""
    for pid_file in (root / "pids").glob("*.pid"):
        with contextlib.suppress(ValueError, ProcessLookupError, PermissionError):
            os.kill(int(pid_file.read_text().strip()), signal.SIGKILL)


@contextlib.contextmanager
def standalone_cluster(root: Path, workers: int = 2) -> Iterator[Cluster]:
    """A master and ``workers`` workers (one core, 1 GiB each) on loopback.

    Raises:
        RuntimeError: the workers did not register in :data:`START_WAIT` seconds.
    """
    for name in ("conf", "logs", "pids", "local", "work"):
        (root / name).mkdir(mode=0o700, parents=True)
    secret = secrets.token_hex(32)
    env = _environment(root, secret)
    port = free_port()
    master = f"spark://127.0.0.1:{port}"
    started: list[tuple[str, int]] = []
    try:
        host = ("--host", "127.0.0.1")
        ui = ("--webui-port", str(free_port()))
        _daemon(env, "start", MASTER, 1, *host, "--port", str(port), *ui)
        started.append((MASTER, 1))
        for n in range(1, workers + 1):
            ui = ("--webui-port", str(free_port()))
            limits = ("--cores", "1", "--memory", "1g")
            _daemon(env, "start", WORKER, n, *host, *ui, *limits, master)
            started.append((WORKER, n))
        deadline = time.monotonic() + START_WAIT
        while _registered(root) < workers:
            if time.monotonic() > deadline:
                raise RuntimeError("the Spark workers did not register in time")
            time.sleep(1)
        yield Cluster(master=master, secret=secret, root=root)
    finally:
        for kind, n in reversed(started):
            _daemon(env, "stop", kind, n)
        _kill_left(root)
