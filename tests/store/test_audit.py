from __future__ import annotations

import pytest

from aban.store import audit
from aban.store.db import transaction
from aban.store.integrity import verify_register
from aban.store.workspace import Workspace


def _write_entries(ws: Workspace, n: int) -> list[str]:
    heads = []
    for i in range(n):
        with transaction(ws.conn):
            heads.append(ws.record_audit("test", {"i": i}))
    return heads


def test_untouched_chain_verifies(workspace: Workspace) -> None:
    heads = _write_entries(workspace, 5)
    report = verify_register(workspace.conn)
    assert report.ok and report.entries == 6 and report.head == heads[-1]
    assert verify_register(workspace.conn, heads[2]).ok


def test_edited_entry_is_named(workspace: Workspace) -> None:
    _write_entries(workspace, 5)
    workspace.conn.execute("update audit set detail = '{\"i\":99}' where seq = 4")
    report = verify_register(workspace.conn)
    assert (report.broken_at, report.problem) == (4, "entry 4 was altered")


def test_deleted_entry_is_named(workspace: Workspace) -> None:
    _write_entries(workspace, 5)
    workspace.conn.execute("delete from audit where seq = 3")
    report = verify_register(workspace.conn)
    assert report.broken_at == 4
    assert report.problem == "entry 4 is out of place (expected 3)"


def test_reordered_entries_are_named(workspace: Workspace) -> None:
    _write_entries(workspace, 5)
    conn = workspace.conn
    conn.execute("update audit set seq = -1 where seq = 3")
    conn.execute("update audit set seq = 3 where seq = 4")
    conn.execute("update audit set seq = 4 where seq = -1")
    report = verify_register(conn)
    assert report.broken_at == 3
    assert report.problem == "entry 3 does not follow entry 2"


def test_truncated_tail_is_found_against_a_kept_head(workspace: Workspace) -> None:
    heads = _write_entries(workspace, 5)
    workspace.conn.execute("delete from audit where seq = 6")
    assert verify_register(workspace.conn).ok  # undetectable from inside
    report = verify_register(workspace.conn, heads[-1])
    assert not report.ok
    assert report.problem == audit.HEAD_MISSING


def test_entry_hash_covers_every_field() -> None:
    base = ("1", "2019-11-16", "cli", "import", "{}", audit.GENESIS)
    reference = audit.entry_hash(1, *base[1:])
    for i in range(1, len(base)):
        changed = list(base)
        changed[i] = changed[i] + "x"
        assert audit.entry_hash(1, *changed[1:]) != reference
    assert audit.entry_hash(2, *base[1:]) != reference


@pytest.mark.parametrize("bad_head", ["0" * 64, "not-a-hash"])
def test_unknown_head_fails(workspace: Workspace, bad_head: str) -> None:
    _write_entries(workspace, 2)
    assert not verify_register(workspace.conn, bad_head).ok
