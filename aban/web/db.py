"""The web app's connections to the register: a pool of readers and one writer.

A SQLCipher connection must not run two statements at once, so each request takes
a reader connection from the pool for its reads and gives it back. Writes go
through the single writer connection under a lock, so they are serialised, and
each write is one transaction (the store functions open it). A link run started
from the app works on a connection of its own (:meth:`Database.runner`), so reviews
and entries go on while it links; SQLite's locks order its transactions with the
writer's, and every connection waits for a lock (:data:`BUSY_MS`) rather than
failing. Every connection is keyed once, when the app starts; the passphrase is
not kept afterwards.
"""

from __future__ import annotations

import contextlib
import dataclasses
import queue
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from aban.config import Settings
from aban.store import state
from aban.store.db import Connection, connect
from aban.store.workspace import REGISTER_NAME, Workspace

T = TypeVar("T")
#: How long a connection waits for another's write to end before it fails: a
#: link run's final transaction over a large register takes seconds.
BUSY_MS = 300_000


class Database:
    """Connections to one workspace's register, shared by the app's threads.

    Args:
        workspace: an open workspace (migrated); its connection becomes the writer.
        passphrase: the passphrase, used here to open the readers and then dropped.
        readers: how many reader connections to open.
    """

    def __init__(self, workspace: Workspace, passphrase: str, readers: int = 3) -> None:
        self.path: Path = workspace.path
        self.settings: Settings = workspace.settings
        self._writer = workspace.conn
        self._write_lock = threading.Lock()
        self._readers: queue.Queue[Connection] = queue.Queue()
        self._run_lock = threading.Lock()
        self._runner = connect(workspace.path / REGISTER_NAME, passphrase)
        state.track(self._runner)  # its writes are sealed into the audit too
        self._all = [self._writer, self._runner]
        for _ in range(readers):
            conn = connect(workspace.path / REGISTER_NAME, passphrase)
            self._readers.put(conn)
            self._all.append(conn)
        for conn in self._all:
            conn.execute(f"pragma busy_timeout = {BUSY_MS}")

    @contextlib.contextmanager
    def reader(self) -> Iterator[Connection]:
        """A reader connection for the duration of the block."""
        conn = self._readers.get()
        try:
            yield conn
        finally:
            self._readers.put(conn)

    def read(self, fn: Callable[..., T], *args: object) -> T:
        """Call ``fn(conn, *args)`` with a reader connection."""
        with self.reader() as conn:
            return fn(conn, *args)

    @contextlib.contextmanager
    def writer(self, actor: str) -> Iterator[Workspace]:
        """The workspace on the writer connection, with ``actor`` as the audit actor.

        Only one block holds it at a time: writes are serialised.
        """
        settings = dataclasses.replace(self.settings, actor=actor)
        with self._write_lock:
            yield Workspace(self.path, settings, self._writer)

    def write(self, actor: str, fn: Callable[..., T], *args: object) -> T:
        """Call ``fn(workspace, *args)`` holding the writer, as ``actor``."""
        with self.writer(actor) as ws:
            return fn(ws, *args)

    def try_write(self, actor: str, fn: Callable[..., T], *args: object) -> T | None:
        """As :meth:`write` if the writer is free now, else None without waiting
        (for bookkeeping that may be skipped, such as a session's last use)."""
        if not self._write_lock.acquire(blocking=False):
            return None
        try:
            settings = dataclasses.replace(self.settings, actor=actor)
            return fn(Workspace(self.path, settings, self._writer), *args)
        finally:
            self._write_lock.release()

    @contextlib.contextmanager
    def runner(self, actor: str) -> Iterator[Workspace]:
        """The workspace on the link runs' own connection, with ``actor`` as actor.

        One run at a time holds it; its transactions wait for the writer's (and
        the writer's for its) through SQLite's locks, not through the writer lock.
        """
        settings = dataclasses.replace(self.settings, actor=actor)
        with self._run_lock:
            yield Workspace(self.path, settings, self._runner)

    def close(self) -> None:
        """Close every connection.

        A link run still going keeps its connection (the process is ending; the
        run's writes are one transaction, so an unfinished one leaves nothing).
        """
        idle = self._run_lock.acquire(timeout=5)
        with self._write_lock:
            for conn in self._all:
                if conn is not self._runner or idle:
                    conn.close()
            self._all = []
        if idle:
            self._run_lock.release()
