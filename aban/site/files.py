"""Writing the site's files: one ``open``/``write``/``close`` each, folders made once.

Files are written as soon as they are rendered, in the calling thread. (A writer
thread was tried: with two threads taking turns at the GIL around every system
call, 100,000 persons took longer, not shorter.)
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType

__all__ = ["FileWriter", "write_file"]

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def write_file(path: str | Path, data: bytes) -> None:
    """Create ``path`` (it must not exist) holding ``data``."""
    fd = os.open(path, _FLAGS, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


class FileWriter:
    """Writes files under ``root`` (a new, empty folder); counts them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.count = 0
        self._base = str(root)
        self._folders: set[str] = set()

    def __enter__(self) -> FileWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        return None

    def write(self, relative: str, data: bytes) -> None:
        """Write ``data`` to ``root/relative`` (which must not exist yet)."""
        # Relative paths come from person ids and fixed names, never from input.
        path = os.path.join(self._base, relative)
        folder = os.path.dirname(path)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        write_file(path, data)
        self.count += 1
