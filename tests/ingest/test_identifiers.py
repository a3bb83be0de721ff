"""Source names and record ids: one form (NFC), no invisible characters, and a
warning when a file adds rows to a protected source (issue 13, item 14)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aban.errors import ConfigError
from aban.ingest.importer import import_file
from aban.ingest.rows import _record_ids
from aban.store.sources import list_sources, set_source
from aban.store.workspace import Workspace
from aban.text.identifiers import normalise_identifier
from tests.text.strategies import texts

TODAY = dt.date(2026, 1, 1)
#: Direction marks and embeddings, zero-width characters, word joiner, BOM.
INVISIBLE = [
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2066", "\u2067", "\u2068", "\u2069",
    "\u200e", "\u200f", "\u061c",
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff",
]  # fmt: skip


def _file(tmp_path: Path, lines: list[str], name: str = "list.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _sources(ws: Workspace) -> dict[str, int]:
    return {s.name: s.records for s in list_sources(ws.conn)}


@pytest.mark.parametrize("mark", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_a_source_name_with_an_invisible_character_is_refused(
    workspace: Workspace, tmp_path: Path, mark: str
) -> None:
    path = _file(
        tmp_path,
        ["record_id,full_name,source", f"r1,Testa Ab,ngo{mark}_list", "r2,Testb Ab,x"],
    )
    result = import_file(workspace, path, today=TODAY)
    assert result.refused
    codes = [(i.code, i.row, i.column) for i in result.issues]
    assert codes == [("invisible-characters", 2, "source")]
    assert _sources(workspace) == {}


@pytest.mark.parametrize("mark", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_a_record_id_with_an_invisible_character_is_refused(
    workspace: Workspace, tmp_path: Path, mark: str
) -> None:
    path = _file(tmp_path, ["record_id,full_name", f"r{mark}1,Testa Ab", "r2,Testb"])
    result = import_file(workspace, path, source="ngo", skip_invalid=True, today=TODAY)
    assert [(i.code, i.row, i.column) for i in result.issues] == [
        ("invisible-characters", 2, "record_id")
    ]
    assert (result.accepted, result.rejected) == (1, 1)


def test_zwnj_stays_in_names_but_not_in_ids(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = _file(tmp_path, ["record_id,full_name", "r1,پرهام دهقان\u200cزاده"])
    result = import_file(workspace, path, source="ngo", today=TODAY)
    assert (result.accepted, result.issues) == (1, [])
    with pytest.raises(ConfigError, match="invisible characters"):
        import_file(workspace, path, source="فهرست\u200cها", today=TODAY)


def test_the_source_option_is_checked_alike(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = _file(tmp_path, ["record_id,full_name", "r1,Testa Ab"])
    with pytest.raises(ConfigError) as caught:
        import_file(workspace, path, source="ngo\u202e_list", today=TODAY)
    assert str(caught.value) == (
        "a source name must not hold invisible characters (direction marks, "
        "zero-width characters): they make one name look like another; remove them"
    )


def test_names_and_ids_are_compared_in_one_unicode_form(
    workspace: Workspace, tmp_path: Path
) -> None:
    composed, decomposed = "jos\u00e9", "jose\u0301"
    path = _file(
        tmp_path,
        [
            "record_id,full_name,source",
            f"{composed},Testa Ab,{composed}",
            f"{decomposed},Testb Ab,{decomposed}",
        ],
    )
    result = import_file(workspace, path, skip_invalid=True, today=TODAY)
    assert [(i.code, i.row) for i in result.issues] == [("record-id-duplicate", 3)]
    assert _sources(workspace) == {composed: 1}
    other = _file(tmp_path, ["record_id,full_name", "r9,Testc Ab"], "other.csv")
    import_file(workspace, other, source=decomposed, today=TODAY)
    assert _sources(workspace) == {composed: 2}


def _protected(ws: Workspace, tmp_path: Path) -> None:
    path = _file(tmp_path, ["record_id,full_name", "w1,Testa Ab"], "family.csv")
    import_file(ws, path, source="family_a", today=TODAY)
    set_source(ws.conn, "family_a", kind="family")


def test_a_file_that_adds_rows_to_a_protected_source_is_warned(
    workspace: Workspace, tmp_path: Path
) -> None:
    _protected(workspace, tmp_path)
    path = _file(
        tmp_path,
        [
            "record_id,full_name,source",
            "n1,Testb Ab,ngo",
            "w2,Testc Ab,family_a",
            "w3,Testd Ab,family_a",
        ],
    )
    result = import_file(workspace, path, today=TODAY)
    assert result.accepted == 3 and not result.refused
    (issue,) = result.issues
    assert (issue.code, issue.severity, issue.row, issue.column, issue.source) == (
        "protected-source-added",
        "warning",
        3,
        "source",
        "family_a",
    )
    assert "family_a" not in issue.message
    assert result.to_dict()["issues"][0]["code"] == "protected-source-added"


def test_no_warning_when_the_user_names_the_source_or_nothing_is_added(
    workspace: Workspace, tmp_path: Path
) -> None:
    _protected(workspace, tmp_path)
    path = _file(tmp_path, ["record_id,full_name", "w2,Testc Ab"], "more.csv")
    assert import_file(workspace, path, source="family_a", today=TODAY).issues == []
    refused = _file(
        tmp_path,
        [
            "record_id,full_name,age,source",
            "n2,Teste Ab,,ngo",
            "w9,Testf Ab,x,family_a",
        ],
        "refused.csv",
    )
    result = import_file(workspace, refused, skip_invalid=True, today=TODAY)
    assert result.accepted == 1
    assert [i.code for i in result.issues] == ["age-not-a-number"]


@settings(max_examples=300)
@given(st.lists(texts, max_size=8))
def test_record_ids_of_a_batch_are_each_read_alone(cells: list[str]) -> None:
    # The batch's ids are put in NFC only when joined they are not: the same as
    # each id read alone (combining marks at the edges of ids among them).
    assert _record_ids(cells) == [normalise_identifier(c) for c in cells]
