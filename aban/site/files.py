"""Writing the site's files on a background thread while pages are rendered.

Creating a file costs the kernel more than rendering a small page costs Python,
so one thread writes while the main thread renders the next pages. Files are
written in the order given, each with one ``open``/``write``/``close`` (no
buffering layer), folders made once. The first error stops the writing and is
raised in the caller's thread.
"""

from __future__ import annotations

import os
import queue
import threading
from pathlib import Path
from types import TracebackType

__all__ = ["FileWriter"]

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
    """Writes files under ``root`` on a thread; use as a context manager."""

    def __init__(self, root: Path, depth: int = 512) -> None:
        self.root = root
        self.count = 0
        self._base = str(root)
        self._folders: set[str] = set()
        self._queue: queue.Queue[tuple[str, bytes] | None] = queue.Queue(depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="aban-site-writer")

    def __enter__(self) -> FileWriter:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._queue.put(None)
        self._thread.join()
        if kind is None:
            self._raise()

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._error is not None:
                continue
            path, data = item
            try:
                folder = os.path.dirname(path)
                if folder not in self._folders:
                    os.makedirs(folder, exist_ok=True)
                    self._folders.add(folder)
                write_file(path, data)
            except BaseException as err:  # handed to the caller's thread
                self._error = err

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def write(self, relative: str, data: bytes) -> None:
        """Queue ``data`` to be written to ``root/relative``."""
        self._raise()
        # Relative paths come from person ids and fixed names, never from input.
        self._queue.put((os.path.join(self._base, relative), data))
        self.count += 1
