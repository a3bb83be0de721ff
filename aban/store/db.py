"""Opening the encrypted register (SQLCipher) with the workspace passphrase.

The register is one SQLite file encrypted by SQLCipher 4 (AES-256, key derived from the
passphrase with PBKDF2-HMAC-SHA512; the salt lives in the file header). Temporary tables
and sort spills are kept in memory, so nothing is written unencrypted beside it.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlcipher3

from aban.errors import StoreError, WrongPassphraseError

WRONG_PASSPHRASE = "wrong passphrase, or not an aban workspace"
PAGE_SIZE = 16384
CACHE_KIB = 65536

Connection = Any  # sqlcipher3.Connection has no type stubs

# sqlcipher3 binds a None parameter only after failing to find an adapter for it, which
# raises and clears two AttributeErrors: about 0.8 us per None, most of the cost of
# inserting a record with many empty columns. An adapter registered for None (``{}.get``
# returns None for any key, in C) makes the lookup succeed and binds the same NULL.
sqlcipher3.register_adapter(type(None), {}.get)


def _quote_pragma_string(value: str) -> str:
    """Quote a value for a PRAGMA, which takes no bound parameters."""
    return "'" + value.replace("'", "''") + "'"


def connect(path: Path, passphrase: str, *, create: bool = False) -> Connection:
    """Open (or create) the register at ``path`` keyed with ``passphrase``.

    Args:
        path: the register file (``register.db`` inside a workspace).
        passphrase: the workspace passphrase; never logged.
        create: allow creating a new file; otherwise the file must exist.

    Raises:
        WrongPassphraseError: the key does not decrypt the file, or it is not a
            register.
        StoreError: the file is missing or cannot be opened.
    """
    if not passphrase:
        raise StoreError(
            "empty passphrase: set ABAN_PASSPHRASE or type one at the prompt"
        )
    if not create and not path.is_file():
        raise StoreError(
            f"{path}: no register here; create a workspace with 'aban init'"
        )
    try:
        conn = sqlcipher3.connect(
            str(path), isolation_level=None, check_same_thread=False
        )
    except sqlcipher3.DatabaseError as err:
        raise StoreError(f"{path}: cannot open the register ({err})") from err
    # SQLCipher logs decryption failures straight to stderr; silence it before keying.
    conn.execute("pragma cipher_log_level = NONE")
    conn.execute(f"pragma key = {_quote_pragma_string(passphrase)}")
    # 16 KiB pages: a third less encryption and B-tree work per record than the
    # 4 KiB default on large imports. SQLCipher keeps the page size outside the file,
    # so every connection must set the same value.
    conn.execute(f"pragma cipher_page_size = {PAGE_SIZE}")
    try:
        conn.execute("select count(*) from sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as err:
        conn.close()
        raise WrongPassphraseError(WRONG_PASSPHRASE) from err
    conn.execute("pragma temp_store = memory")
    # A 64 MiB page cache (the default is 8 MiB): a large import then rarely writes
    # a page out and reads it back before it commits. It fills only as pages are used.
    conn.execute(f"pragma cache_size = -{CACHE_KIB}")
    conn.execute("pragma foreign_keys = on")
    conn.execute("pragma journal_mode = delete")
    conn.execute("pragma synchronous = full")
    return conn


@contextlib.contextmanager
def transaction(conn: Connection) -> Iterator[Connection]:
    """Run the body in one immediate transaction: all of it is written, or none."""
    conn.execute("begin immediate")
    try:
        yield conn
    except BaseException:
        conn.execute("rollback")
        raise
    else:
        conn.execute("commit")


class BatchWriter:
    """Runs ``executemany`` batches on a background thread.

    SQLCipher encrypts and writes pages without holding Python's GIL, so the caller
    can check the next rows while the last batch is written. Use as a context manager
    inside a transaction: leaving it waits for every batch and re-raises the first
    error of the writer thread. Call :meth:`wait` before using the connection from
    the calling thread while the writer is open.
    """

    def __init__(self, conn: Connection, sql: str, depth: int = 2) -> None:
        self._conn, self._sql = conn, sql
        self._queue: queue.Queue[list[tuple[Any, ...]] | None] = queue.Queue(depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, name="aban-writer", daemon=True
        )

    def __enter__(self) -> BatchWriter:
        self._thread.start()
        return self

    def _run(self) -> None:
        while (rows := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self._conn.executemany(self._sql, rows)
                except BaseException as err:  # handed to the caller's thread
                    self._error = err
            self._queue.task_done()
        self._queue.task_done()

    def wait(self) -> None:
        """Block until every queued batch is written, so the caller may use the
        connection itself (one connection must not run two statements at once)."""
        self._queue.join()
        self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        if self._error is not None:
            self.close()
        self._queue.put(rows)

    def close(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        self._raise()

    def __exit__(self, *exc: object) -> None:
        self.close()
