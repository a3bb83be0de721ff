"""What the command line does to its own process before it reads a passphrase."""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys

#: prctl(2) option (linux/prctl.h).
PR_SET_DUMPABLE = 4
#: Set by :func:`skip_teardown`: the running command leaves nothing to clean up.
_skip_teardown = [False]


def disable_core_dumps() -> None:
    """Turn core dumps off for this process and the processes it starts.

    A crash would otherwise write the process's memory, the passphrase and the
    register's key with it, to a core file on disk. The core size limit becomes 0
    (soft and hard, so nothing in the process raises it again); on Linux the
    process is also made non-dumpable, which keeps a core pattern that pipes to a
    crash collector from reading its memory, and other processes of the same user
    from attaching to it. Each step that the system refuses is skipped.
    """
    if sys.platform == "win32":
        return
    import resource

    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def skip_teardown() -> None:
    """Let this process end without Python's teardown once the command is done.

    For a command that opens no workspace and writes no file: tearing down the
    interpreter after it (collecting and freeing every module, numba's and
    LLVM's among them) costs about 0.2 s of CPU after the answer is printed.
    Only :func:`end` acts on it, from the command line's entry point; a command
    run in-process (tests) ends normally.
    """
    _skip_teardown[0] = True


def end(done: SystemExit) -> None:
    """End the process at once, with ``done``'s exit code, if the command asked to
    (:func:`skip_teardown`); otherwise return. Output is flushed first."""
    if not _skip_teardown[0]:
        return
    code = done.code
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)
