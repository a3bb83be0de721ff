"""Running aban as a user does: a subprocess with real stdout and stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import PASSPHRASE

ABAN = [sys.executable, "-m", "aban"]


def run(
    *args: str | Path,
    env: dict[str, str] | None = None,
    check: bool = False,
    tmpdir: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``aban ARGS`` and return the finished process (text output)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("ABAN_")}
    full_env["ABAN_PASSPHRASE"] = PASSPHRASE
    if tmpdir is not None:
        full_env["TMPDIR"] = str(tmpdir)
    full_env.update(env or {})
    proc = subprocess.run(
        [*ABAN, *map(str, args)],
        capture_output=True,
        text=True,
        env=full_env,
        stdin=subprocess.DEVNULL,
        timeout=600,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"aban {args} exited {proc.returncode}: {proc.stderr}")
    return proc


def status(workspace: Path) -> dict[str, Any]:
    proc = run("-w", workspace, "status", "--json", check=True)
    result: dict[str, Any] = json.loads(proc.stdout)
    return result
