"""The command line turns core dumps off before it reads a passphrase (issue 13).

A crash with core dumps on would write the process's memory, passphrase and key
included, to disk. Checked from inside a real process that runs the entry point.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys

import pytest

from tests.conftest import PASSPHRASE

# Runs the console entry point, then reports the process's core-dump settings.
PROBE = """
import ctypes, resource, sys
from aban.cli import main
sys.argv = ["aban", "--version"]
try:
    main()
except SystemExit:
    pass
dumpable = ctypes.CDLL(None).prctl(3, 0, 0, 0, 0) if sys.platform == "linux" else -1
print(*resource.getrlimit(resource.RLIMIT_CORE), dumpable)
"""


def _allow_core_dumps() -> None:
    """In the child, before it runs: core dumps as large as the hard limit allows."""
    hard = resource.getrlimit(resource.RLIMIT_CORE)[1]
    resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))


def test_the_entry_point_turns_core_dumps_off() -> None:
    if resource.getrlimit(resource.RLIMIT_CORE)[1] == 0:
        pytest.skip("core dumps are off for this whole machine already")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ABAN_")}
    env["ABAN_PASSPHRASE"] = PASSPHRASE
    proc = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        preexec_fn=_allow_core_dumps,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    soft, hard, dumpable = proc.stdout.splitlines()[-1].split()
    assert (soft, hard) == ("0", "0")
    if sys.platform == "linux":
        assert dumpable == "0"
