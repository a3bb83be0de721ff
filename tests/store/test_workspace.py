from __future__ import annotations

from pathlib import Path

import pytest

from aban.errors import WorkspaceError, WrongPassphraseError
from aban.store.db import WRONG_PASSPHRASE, connect
from aban.store.migrations import MIGRATIONS
from aban.store.status import register_status
from aban.store.workspace import create_workspace, open_workspace
from tests.conftest import PASSPHRASE


def test_workspace_holds_only_config_register_and_evidence(tmp_path: Path) -> None:
    create_workspace(tmp_path / "ws", PASSPHRASE).close()
    assert sorted(p.name for p in (tmp_path / "ws").iterdir()) == [
        "aban.toml",
        "evidence",
        "register.db",
    ]
    header = (tmp_path / "ws" / "register.db").read_bytes()[:16]
    assert header != b"SQLite format 3\x00"  # encrypted: no plaintext SQLite header


def test_wrong_passphrase_is_refused_with_one_message(tmp_path: Path) -> None:
    create_workspace(tmp_path / "ws", PASSPHRASE).close()
    with pytest.raises(WrongPassphraseError) as caught:
        open_workspace(tmp_path / "ws", "not the passphrase")
    assert (
        str(caught.value)
        == WRONG_PASSPHRASE
        == "wrong passphrase, or not an aban workspace"
    )


def test_a_plain_sqlite_file_is_not_a_workspace(tmp_path: Path) -> None:
    import sqlite3

    (tmp_path / "ws").mkdir()
    sqlite3.connect(tmp_path / "ws" / "register.db").execute(
        "create table t(a)"
    ).close()
    with pytest.raises(WrongPassphraseError):
        open_workspace(tmp_path / "ws", PASSPHRASE)


def test_missing_workspace_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError) as caught:
        open_workspace(tmp_path, PASSPHRASE)
    assert str(caught.value) == (
        f"{tmp_path}: not an aban workspace (no register.db); "
        "create one with 'aban init DIR' or pass -w DIR"
    )


def test_init_refuses_a_non_empty_folder_and_leaves_it_alone(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(WorkspaceError):
        create_workspace(tmp_path, PASSPHRASE)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_migrations_are_recorded_and_not_reapplied(tmp_path: Path) -> None:
    create_workspace(tmp_path / "ws", PASSPHRASE).close()
    ws = open_workspace(tmp_path / "ws", PASSPHRASE)
    rows = ws.conn.execute("select id, name from _migrations order by id").fetchall()
    assert [r[0] for r in rows] == sorted(MIGRATIONS)
    assert rows[0][1] == "initial schema"
    ws.close()


def test_new_workspace_status_is_empty(tmp_path: Path) -> None:
    with create_workspace(tmp_path / "ws", PASSPHRASE) as ws:
        status = register_status(ws.conn).to_dict()
    assert {k: status[k] for k in ("sources", "records", "persons", "issues")} == {
        "sources": 0,
        "records": 0,
        "persons": 0,
        "issues": 0,
    }
    assert set(status["persons_by_grade"]) == {
        "confirmed",
        "corroborated",
        "single-source",
        "contested",
        "discounted",
    }


def test_passphrase_with_quotes_round_trips(tmp_path: Path) -> None:
    phrase = 'it\'s a "quoted" pass; drop table x'
    create_workspace(tmp_path / "ws", phrase).close()
    conn = connect(tmp_path / "ws" / "register.db", phrase)
    assert conn.execute("select count(*) from audit").fetchone()[0] == 1
    conn.close()
