"""What the command line does to its own process before it reads a passphrase."""

from __future__ import annotations

import contextlib
import ctypes
import sys

#: prctl(2) option (linux/prctl.h).
PR_SET_DUMPABLE = 4


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
