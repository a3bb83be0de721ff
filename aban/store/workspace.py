"""A workspace: one investigation's folder.

It holds ``aban.toml`` (settings, no personal data), ``register.db`` (SQLCipher) and
``evidence/`` (encrypted blobs), and nothing else.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aban.config import CONFIG_NAME, Settings, load_settings, write_default_config
from aban.errors import WorkspaceError
from aban.store import audit, state
from aban.store.db import Connection, connect, transaction
from aban.store.migrations import migrate

REGISTER_NAME = "register.db"
EVIDENCE_DIR = "evidence"


def now() -> str:
    """The current UTC time as ISO 8601 text, as stored in the register."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass
class Workspace:
    """An open workspace: its folder, settings and register connection."""

    path: Path
    settings: Settings
    conn: Connection

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def record_audit(self, action: str, detail: dict[str, Any]) -> str:
        """Append an audit entry inside the current transaction; return the head.

        The entry also holds the seals of the covered rows written on this
        connection since the last entry (:func:`aban.store.state.drain`).
        """
        sealed = state.drain(self.conn)
        return audit.append(self.conn, self.settings.actor, action, detail, sealed)


def create_workspace(path: Path, passphrase: str) -> Workspace:
    """Create a new workspace folder with an empty encrypted register.

    Raises:
        WorkspaceError: the folder already holds a workspace or other files.
    """
    if (path / REGISTER_NAME).exists() or (path / CONFIG_NAME).exists():
        raise WorkspaceError(f"{path}: already a workspace; choose another folder")
    if path.exists() and any(path.iterdir()):
        raise WorkspaceError(
            f"{path}: folder is not empty; choose a new or empty folder"
        )
    existed = path.exists()
    path.mkdir(parents=True, exist_ok=True)
    try:
        return _populate(path, passphrase)
    except BaseException:
        # Leave nothing half-made behind: remove what this call created.
        for name in (REGISTER_NAME, CONFIG_NAME, f"{REGISTER_NAME}-journal"):
            (path / name).unlink(missing_ok=True)
        if (path / EVIDENCE_DIR).is_dir():
            (path / EVIDENCE_DIR).rmdir()
        if not existed:
            path.rmdir()
        raise


def _populate(path: Path, passphrase: str) -> Workspace:
    os.chmod(path, 0o700)
    (path / EVIDENCE_DIR).mkdir(mode=0o700)
    write_default_config(path)
    conn = connect(path / REGISTER_NAME, passphrase, create=True)
    os.chmod(path / REGISTER_NAME, 0o600)
    migrate(conn)
    state.track(conn)
    workspace = Workspace(path, load_settings(path), conn)
    with transaction(conn):
        conn.execute(
            "insert into _meta (key, value) "
            "values ('workspace_id', ?), ('created_at', ?)",
            (secrets.token_hex(16), now()),
        )
        workspace.record_audit("init", {"schema": max(_applied(conn))})
    return workspace


def _applied(conn: Connection) -> list[int]:
    return [row[0] for row in conn.execute("select id from _migrations")]


def open_workspace(path: Path, passphrase: str) -> Workspace:
    """Open an existing workspace, applying any pending migrations.

    Raises:
        WorkspaceError: ``path`` holds no workspace.
        WrongPassphraseError: the passphrase does not open the register.
    """
    if not (path / REGISTER_NAME).is_file():
        raise WorkspaceError(
            f"{path}: not an aban workspace (no {REGISTER_NAME}); "
            "create one with 'aban init DIR' or pass -w DIR"
        )
    settings = load_settings(path)
    conn = connect(path / REGISTER_NAME, passphrase)
    migrate(conn)
    state.track(conn)
    return Workspace(path, settings, conn)
