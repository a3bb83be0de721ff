"""Running aban as a user does: a subprocess with real stdout and stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.conftest import PASSPHRASE

ABAN = [sys.executable, "-m", "aban"]


def run(
    *args: str | Path,
    env: dict[str, str] | None = None,
    check: bool = False,
    tmpdir: Path | None = None,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``aban ARGS`` and return the finished process (text output); ``stdin`` is
    piped in (else standard input is empty)."""
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
        timeout=600,
        **({"input": stdin} if stdin is not None else {"stdin": subprocess.DEVNULL}),
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"aban {args} exited {proc.returncode}: {proc.stderr}")
    return proc


def aban_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment :func:`run` gives aban: no ABAN_ variable but the passphrase."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("ABAN_")}
    full_env["ABAN_PASSPHRASE"] = PASSPHRASE
    full_env.update(env or {})
    return full_env


def run_at_terminal(
    *args: str | Path, answers: list[str], timeout: float = 120
) -> tuple[int, str]:
    """Run ``aban ARGS`` on a terminal of its own (a pseudo-terminal), typing each of
    ``answers`` after a prompt ends in ': '; returns the exit code and all that the
    terminal showed."""
    import fcntl
    import pty
    import select
    import termios

    main, child_end = pty.openpty()

    def take_terminal() -> None:
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen(
        [*ABAN, *map(str, args)],
        stdin=child_end,
        stdout=child_end,
        stderr=child_end,
        env=aban_env(),
        start_new_session=True,
        preexec_fn=take_terminal,
    )
    os.close(child_end)
    shown, pending, since = b"", list(answers), 0
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([main], [], [], 0.5)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the terminal closed: the process ended
                break
            if not chunk:
                break
            shown += chunk
            if pending and shown[since:].rstrip().endswith(b":"):
                os.write(main, pending.pop(0).encode() + b"\r")
                since = len(shown)
        code = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        os.close(main)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return code, shown.decode("utf-8", "replace")


def status(workspace: Path) -> dict[str, Any]:
    proc = run("-w", workspace, "status", "--json", check=True)
    result: dict[str, Any] = json.loads(proc.stdout)
    return result
