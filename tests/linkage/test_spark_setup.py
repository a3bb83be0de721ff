"""The Spark session's set-up, checked without starting a JVM (issue 13, item 6).

Spark's local folders hold shuffle blocks and spilled rows of the records being
linked: they go in a private folder, encrypted, removed at the end (and after a
crash, at the next start); the JVM does not inherit the workspace passphrase.
tests/linkage/test_spark.py checks the same on a running session.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyspark")

from aban.linkage import spark  # noqa: E402


def test_the_session_encrypts_its_files_in_its_own_folder(tmp_path: Path) -> None:
    conf = spark.session_conf(tmp_path)
    assert conf["spark.io.encryption.enabled"] == "true"
    assert conf["spark.io.encryption.keySizeBits"] == "256"
    assert conf["spark.local.dir"] == str(tmp_path)
    assert conf["spark.sql.warehouse.dir"] == str(tmp_path / "warehouse")
    assert conf["spark.driver.extraJavaOptions"] == (
        f'-Djava.io.tmpdir="{tmp_path / "jvm"}"'
    )
    assert conf["spark.master"] == spark.MASTER
    assert conf["spark.ui.enabled"] == "false"
    assert conf["spark.api.mode"] == "classic"


def test_the_child_environment_has_no_passphrase(tmp_path: Path) -> None:
    environ = {
        "ABAN_PASSPHRASE": "secret",
        "ABAN_USER_PASSWORD": "secret",
        "ABAN_WORKSPACE": "/ws",
        "SPARK_LOCAL_DIRS": "/elsewhere",
        "SPARK_REMOTE": "sc://far.example",
        "PATH": "/usr/bin",
        "JAVA_HOME": "/usr/lib/jvm/x",
    }
    child = spark.child_environment(environ, tmp_path)
    assert child == {
        "PATH": "/usr/bin",
        "JAVA_HOME": "/usr/lib/jvm/x",
        "SPARK_LOCAL_DIRS": str(tmp_path),
    }


def _folder(root: Path, pid: int, mode: int = 0o700) -> Path:
    folder = root / f"{spark.FOLDER_PREFIX}{pid}-abc123"
    folder.mkdir(mode=mode)
    (folder / "blockmgr-1").mkdir()
    (folder / "blockmgr-1" / "shuffle_0_0_0.data").write_bytes(b"ciphertext")
    return folder


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_folders_of_dead_runs_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    dead = _folder(tmp_path, _dead_pid())
    live = _folder(tmp_path, os.getppid())
    mine = _folder(tmp_path, os.getpid())
    unnamed = tmp_path / f"{spark.FOLDER_PREFIX}notapid"
    unnamed.mkdir()
    other = tmp_path / "blockmgr-x"
    other.mkdir()
    link = tmp_path / f"{spark.FOLDER_PREFIX}{_dead_pid()}-link"
    link.symlink_to(other)
    assert spark.remove_stale_folders(tmp_path) == [dead]
    assert not dead.exists()
    assert live.is_dir() and mine.is_dir() and unnamed.is_dir() and other.is_dir()
    assert link.is_symlink()


def test_the_launcher_gets_the_conf_and_the_child_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The JVM launcher is stopped at Popen: what it would have started is seen,
    # and the session's folder is still removed.
    import pyspark.java_gateway

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setenv("ABAN_PASSPHRASE", "passphrase-canary")
    monkeypatch.delenv("PYSPARK_GATEWAY_PORT", raising=False)
    stale = _folder(tmp_path, _dead_pid())
    launched: dict[str, Any] = {}

    class Refused(Exception):
        pass

    def popen(command: list[str], **kwargs: Any) -> None:
        launched["command"] = command
        launched["env"] = kwargs["env"]
        folder = Path(kwargs["env"]["SPARK_LOCAL_DIRS"])
        launched["mode"] = stat.S_IMODE(folder.stat().st_mode)
        launched["jvm"] = (folder / "jvm").is_dir()
        raise Refused

    monkeypatch.setattr(pyspark.java_gateway, "Popen", popen)
    with pytest.raises(Refused), spark.spark_api():
        pass
    assert "ABAN_PASSPHRASE" not in launched["env"]
    assert os.environ["ABAN_PASSPHRASE"] == "passphrase-canary"
    folder = Path(launched["env"]["SPARK_LOCAL_DIRS"])
    assert folder.parent == tmp_path and folder.name.startswith(spark.FOLDER_PREFIX)
    assert launched["mode"] == 0o700 and launched["jvm"]
    command = " ".join(launched["command"])
    assert "spark.io.encryption.enabled=true" in command
    assert f"spark.local.dir={folder}" in command
    assert not stale.exists()
    assert list(tmp_path.iterdir()) == []
