from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from aban.ingest.importer import import_file
from aban.ingest.issues import FileIssueError
from aban.ingest.mapping import load_mapping
from aban.store.integrity import verify_register
from aban.store.records import LEGACY_FIELDS, RECORD_FIELDS, import_digest
from aban.store.status import register_status
from aban.store.workspace import Workspace

DATA = Path(__file__).resolve().parents[1] / "data"
TODAY = dt.date(2026, 1, 1)


def _records(ws: Workspace, source: str) -> list[dict[str, object]]:
    cursor = ws.conn.execute(
        "select r.* from records r join sources s on s.id = r.source_id "
        "where s.name = ? order by r.id",
        (source,),
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


@pytest.mark.parametrize(
    "name", ["persian_utf8.csv", "persian_utf8_bom.csv", "persian_cp1256.csv"]
)
def test_persian_lists_in_each_encoding(workspace: Workspace, name: str) -> None:
    result = import_file(workspace, DATA / "good" / name, source="fa", today=TODAY)
    assert (result.accepted, result.rejected, result.refused) == (2, 0, False)
    first, second = _records(workspace, "fa")
    assert first["sex"] == "m" and second["sex"] == "f"
    assert (first["age"], second["age"]) == (23, 17)
    assert first["date_of_death"] == "2019-11-16"  # 25 Aban 1398
    assert second["date_of_death"] == "2019-11-17"
    assert first["status"] == "killed"
    # Arabic letter forms fold to Persian in the normalised form, raw kept as written.
    assert "ي" not in str(first["full_name_norm"]) and "ك" not in str(
        second["city_norm"]
    )
    assert json.loads(str(first["raw"]))["record_id"] in ("f1", "w1")
    assert first["script"] == "persian"


def test_cp1256_and_utf8_lists_normalise_alike(
    tmp_path: Path, workspace: Workspace
) -> None:
    import_file(workspace, DATA / "good" / "persian_utf8.csv", source="a", today=TODAY)
    import_file(
        workspace, DATA / "good" / "persian_cp1256.csv", source="b", today=TODAY
    )
    a, b = _records(workspace, "a"), _records(workspace, "b")
    assert a[0]["city_norm"] == b[0]["city_norm"]
    assert a[1]["city_norm"] == b[1]["city_norm"]
    assert a[0]["father_name_norm"] == b[0]["father_name_norm"]


def test_json_and_json_lines(workspace: Workspace) -> None:
    r1 = import_file(workspace, DATA / "good" / "latin.json", source="j", today=TODAY)
    r2 = import_file(workspace, DATA / "good" / "latin.jsonl", source="l", today=TODAY)
    assert (r1.accepted, r2.accepted) == (2, 2)
    j = _records(workspace, "j")
    assert [r["date_of_death"] for r in j] == ["2019-11-16", "2019-11-17"]
    assert [r["status"] for r in j] == ["killed", "killed"]
    assert [r["age"] for r in _records(workspace, "l")] == [24, 30]


def test_mapping_file_for_another_layout(workspace: Workspace) -> None:
    mapping = load_mapping(DATA / "good" / "layout.yaml")
    result = import_file(
        workspace,
        DATA / "good" / "layout.csv",
        source="x",
        mapping=mapping,
        today=TODAY,
    )
    assert result.accepted == 2 and not result.issues
    rows = _records(workspace, "x")
    assert [r["record_id"] for r in rows] == ["x1", "x2"]
    assert [r["date_of_death"] for r in rows] == ["2019-11-17", "2019-11-16"]


def test_a_column_mapped_to_nothing_is_kept_as_raw_data_only(
    tmp_path: Path, workspace: Workspace
) -> None:
    # 'age' is a records column's name: without '~' it would be read as the age.
    (tmp_path / "ages.csv").write_text(
        "record_id,given_name,age,Age (reported)\nr1,Kaveh,1398,24\n", "utf-8"
    )
    (tmp_path / "m.yaml").write_text(
        "columns:\n  age: ~\n  Age (reported): age\n", "utf-8"
    )
    mapping = load_mapping(tmp_path / "m.yaml")
    assert mapping.columns == {"age": "", "Age (reported)": "age"}
    result = import_file(
        workspace, tmp_path / "ages.csv", source="x", mapping=mapping, today=TODAY
    )
    assert (result.accepted, result.issues) == (1, [])
    (row,) = _records(workspace, "x")
    assert row["age"] == 24
    assert json.loads(str(row["raw"]))["age"] == "1398"


def test_columns_mapped_to_nothing_do_not_count_as_one_target(
    tmp_path: Path,
) -> None:
    (tmp_path / "m.yaml").write_text("columns:\n  age: ~\n  sex: ~\n", "utf-8")
    assert load_mapping(tmp_path / "m.yaml").columns == {"age": "", "sex": ""}


def test_same_file_twice_is_a_no_op(workspace: Workspace) -> None:
    path = DATA / "good" / "persian_utf8.csv"
    import_file(workspace, path, source="fa", today=TODAY)
    before = register_status(workspace.conn)
    again = import_file(workspace, path, source="fa", today=TODAY)
    assert again.already_imported and again.accepted == 0
    assert register_status(workspace.conn) == before


def test_refused_file_changes_nothing(workspace: Workspace) -> None:
    before = register_status(workspace.conn)
    result = import_file(
        workspace, DATA / "bad" / "duplicate_ids.csv", source="s", today=TODAY
    )
    assert result.refused
    assert [i.code for i in result.errors] == ["record-id-duplicate"]
    assert register_status(workspace.conn) == before
    assert verify_register(workspace.conn).ok


def test_skip_invalid_imports_the_valid_rows_and_records_the_rest(
    workspace: Workspace,
) -> None:
    result = import_file(
        workspace,
        DATA / "bad" / "duplicate_ids.csv",
        source="s",
        skip_invalid=True,
        today=TODAY,
    )
    assert (result.accepted, result.rejected, result.refused) == (1, 1, False)
    status = register_status(workspace.conn)
    assert (status.records, status.issues) == (1, 1)
    stored = workspace.conn.execute("select row_number from rejected_rows").fetchall()
    assert stored == [(3,)]
    assert verify_register(workspace.conn).ok


def test_changed_record_is_refused_and_unchanged_rows_are_counted(
    tmp_path: Path, workspace: Workspace
) -> None:
    v1 = tmp_path / "v1.csv"
    v1.write_text("record_id,full_name,age\na,Testa Example,20\nb,Testb Example,30\n")
    import_file(workspace, v1, source="s", today=TODAY)
    v2 = tmp_path / "v2.csv"
    v2.write_text("record_id,full_name,age\na,Testa Example,20\nb,Testb Example,31\n")
    result = import_file(workspace, v2, source="s", today=TODAY)
    assert result.refused and [i.code for i in result.errors] == ["record-id-changed"]
    v3 = tmp_path / "v3.csv"
    v3.write_text("record_id,full_name,age\na,Testa Example,20\nc,Testc Example,40\n")
    result = import_file(workspace, v3, source="s", today=TODAY)
    assert (result.accepted, result.unchanged) == (1, 1)


def test_source_column_names_each_rows_source(
    tmp_path: Path, workspace: Workspace
) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text("record_id,source,full_name\n1,alpha,Testa A\n1,beta,Testa B\n")
    result = import_file(workspace, path, today=TODAY)
    assert result.sources == ["alpha", "beta"] and result.accepted == 2
    assert register_status(workspace.conn).sources == 2


def test_no_source_at_all_is_refused(tmp_path: Path, workspace: Workspace) -> None:
    path = tmp_path / "nosource.csv"
    path.write_text("record_id,full_name\n1,Testa A\n")
    with pytest.raises(FileIssueError) as caught:
        import_file(workspace, path, today=TODAY)
    assert caught.value.issue.code == "source-missing"


def test_unknown_columns_are_kept_raw_with_a_warning(
    tmp_path: Path, workspace: Workspace
) -> None:
    path = tmp_path / "extra.csv"
    path.write_text("record_id,full_name,tribe\n1,Testa A,xyz\n")
    result = import_file(workspace, path, source="s", today=TODAY)
    assert [i.code for i in result.issues] == ["unknown-column"]
    assert json.loads(str(_records(workspace, "s")[0]["raw"]))["tribe"] == "xyz"


def test_editing_a_record_behind_the_tools_back_breaks_verification(
    workspace: Workspace,
) -> None:
    import_file(workspace, DATA / "good" / "persian_utf8.csv", source="fa", today=TODAY)
    assert verify_register(workspace.conn).ok
    workspace.conn.execute("update records set age = 99 where record_id = 'f1'")
    report = verify_register(workspace.conn)
    assert report.broken_at == 2
    assert report.problem == "records of import 1 (entry 2) were altered or removed"


@pytest.mark.parametrize(
    "edit",
    [
        "update records set raw = replace(raw, 'f1', 'f9') where record_id = 'f1'",
        "update records set raw = '{}', content_sha256 = "
        "'44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a' "
        "where record_id = 'f1'",
        "delete from records where record_id = 'f2'",
        "update records set alleged_force_norm = 'irgc' where record_id = 'f2'",
    ],
)
def test_raw_json_edits_and_deletions_break_verification(
    workspace: Workspace, edit: str
) -> None:
    import_file(workspace, DATA / "good" / "persian_utf8.csv", source="fa", today=TODAY)
    workspace.conn.execute(edit)
    report = verify_register(workspace.conn)
    assert report.problem == "records of import 1 (entry 2) were altered or removed"


def _sha(rows: list[tuple[object, ...]]) -> str:
    return hashlib.sha256("".join(f"{row!r}\n" for row in rows).encode()).hexdigest()


def test_import_digests_are_version_3_and_versions_1_and_2_still_verify(
    workspace: Workspace,
) -> None:
    import_file(workspace, DATA / "good" / "persian_utf8.csv", source="fa", today=TODAY)
    detail = workspace.conn.execute(
        "select detail from audit where action = 'import'"
    ).fetchone()[0]
    assert json.loads(detail)["imports"]["1"]["digest_version"] == 3
    # Versions 1 and 2 cover the columns from before migration 11 (alleged_force),
    # as they were computed then, so that older imports still verify.
    assert LEGACY_FIELDS == RECORD_FIELDS[:-2]
    assert RECORD_FIELDS[-2:] == ("alleged_force", "alleged_force_norm")
    legacy = workspace.conn.execute(
        f"select {', '.join(LEGACY_FIELDS)} from records order by id"
    ).fetchall()
    every = workspace.conn.execute(
        f"select {', '.join(RECORD_FIELDS)} from records order by id"
    ).fetchall()
    raw = RECORD_FIELDS.index("raw")
    expected = {
        1: _sha(legacy),
        2: _sha([row[:raw] + row[raw + 1 :] for row in legacy]),
        3: _sha([row[:raw] + row[raw + 1 :] for row in every]),
    }
    for version, sha in expected.items():
        digest = import_digest(workspace.conn, 1, version)
        assert digest is not None
        assert (digest.count, digest.hexdigest()) == (2, sha)
    assert verify_register(workspace.conn).ok


def test_xlsx_import(tmp_path: Path, workspace: Workspace) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["record_id", "full_name", "age", "date_of_death"])
    sheet.append(["x1", "Testa Example", 20, dt.datetime(2019, 11, 16)])
    sheet.append(["x2", "نام آزمایشی", "۳۵", "1398/08/26"])
    book.save(tmp_path / "list.xlsx")
    result = import_file(workspace, tmp_path / "list.xlsx", source="x", today=TODAY)
    assert result.accepted == 2
    rows = _records(workspace, "x")
    assert [r["age"] for r in rows] == [20, 35]
    assert [r["date_of_death"] for r in rows] == ["2019-11-16", "2019-11-17"]


def test_copy_of_a_file_under_another_name_is_still_a_no_op(
    tmp_path: Path, workspace: Workspace
) -> None:
    src = DATA / "good" / "persian_utf8.csv"
    copy = tmp_path / "renamed.csv"
    shutil.copy(src, copy)
    import_file(workspace, src, source="fa", today=TODAY)
    assert import_file(workspace, copy, source="fa", today=TODAY).already_imported


def test_new_source_while_a_batch_is_being_written(
    tmp_path: Path, workspace: Workspace
) -> None:
    # Regression: a source first seen after a batch went to the writer thread used
    # the connection while the writer did ("no more rows available").
    path = tmp_path / "two.csv"
    lines = ["record_id,source,full_name"]
    for s in range(12):  # a new source just after each batch of 5,000 rows
        lines += [f"r{i},src{s:02d},Testa {i}" for i in range(5001)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_file(workspace, path, today=TODAY)
    assert result.accepted == 12 * 5001
    assert result.sources == [f"src{s:02d}" for s in range(12)]
    assert verify_register(workspace.conn).ok


def test_the_alleged_force_column_in_both_scripts(
    tmp_path: Path, workspace: Workspace
) -> None:
    path = tmp_path / "forces.csv"
    path.write_text(
        "record_id,full_name,status,alleged_force\n"
        "a1,نام آزمایشی,کشته,سپاه و بسيج\n"
        "a2,نام دیگر,کشته,نيروي انتظامي\n"
        "a3,Testa Example,killed,Revolutionary Guards / Basij militia\n"
        "a4,Testb Example,killed,plain-clothes agents\n"
        "a5,Testc Example,killed,unknown\n"
        "a6,Testd Example,killed,\n",
        encoding="utf-8",
    )
    result = import_file(workspace, path, source="mixed", today=TODAY)
    assert (result.accepted, result.rejected) == (6, 0)
    assert [i.render() for i in result.issues] == [
        'forces.csv:alleged_force: cells of this column that held only a word for "not '
        'known" (unknown, n/a, نامعلوم, -, ...), read as empty: 1 [not-known-emptied]'
    ]
    stored = [
        (r["alleged_force"], r["alleged_force_norm"])
        for r in _records(workspace, "mixed")
    ]
    assert stored == [
        ("سپاه و بسيج", "irgc;basij"),
        ("نيروي انتظامي", "police"),
        ("Revolutionary Guards / Basij militia", "irgc;basij"),
        ("plain-clothes agents", "plainclothes"),
        (None, None),  # "not known" is an empty cell (issue 15)
        (None, None),
    ]
    assert verify_register(workspace.conn).ok
    again = import_file(workspace, path, source="mixed", today=TODAY)
    assert again.already_imported and again.accepted == 0
