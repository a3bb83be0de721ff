"""Real lists' shapes get in as a user brings them (issue 15): ``aban mapping
suggest`` accepted as written or edited in one line, ``aban import --preview``, then
``aban import``, each run as a subprocess. The lists are tests/data/shapes'
(synthetic names; written afresh by make_shapes.py)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from aban.store.workspace import open_workspace
from tests.cli.helpers import run
from tests.conftest import PASSPHRASE
from tests.shapes import SHAPES, load_shapes

ONE_LINE = "set: {status: killed}  # a list of the dead"


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    paths: dict[str, Path] = load_shapes().write_all(tmp_path_factory.mktemp("shapes"))
    return paths


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    path = tmp_path / "ws"
    run("init", path, check=True)
    return path


def _suggest(path: Path, tmp_path: Path, edit: str | None = None) -> Path:
    """The suggested mapping, with its ``set:`` line replaced by ``edit``."""
    text = run("mapping", "suggest", path, check=True).stdout
    if edit is not None:
        lines = [edit if ln.startswith("set:") else ln for ln in text.splitlines()]
        changed = sum(a != b for a, b in zip(lines, text.splitlines(), strict=True))
        assert changed == 1
        text = "\n".join(lines) + "\n"
    mapping = tmp_path / f"{path.stem}.yaml"
    mapping.write_text(text, encoding="utf-8")
    return mapping


def _import(workspace: Path, path: Path, source: str, mapping: Path) -> dict[str, Any]:
    proc = run("-w", workspace, "import", path, "--source", source, "--mapping",
               mapping, "--json", check=True)  # fmt: skip
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def _records(workspace: Path, source: str) -> list[dict[str, Any]]:
    with open_workspace(workspace, PASSPHRASE) as ws:
        cursor = ws.conn.execute(
            "select r.record_id, r.full_name, r.given_name, r.family_name, r.age, "
            "r.city, r.status, r.date_of_death, r.sex from records r "
            "join sources s on s.id = r.source_id where s.name = ? order by r.id",
            (source,),
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _register(workspace: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(workspace.iterdir())
        if p.is_file()
    }


def test_the_ngo_workbook_title_totals_and_no_status(
    shapes: dict[str, Path], workspace: Path, tmp_path: Path
) -> None:
    path = shapes["ngo_fa.xlsx"]
    mapping = _suggest(path, tmp_path, ONE_LINE)
    assert "header_row: 3" in mapping.read_text(encoding="utf-8")
    before = _register(workspace)
    proc = run("-w", workspace, "import", path, "--source", "ngo", "--mapping",
               mapping, "--preview", "--json", check=True)  # fmt: skip
    preview = json.loads(proc.stdout)
    assert _register(workspace) == before  # nothing written, no audit entry
    assert (preview["header_row"], preview["rows"], preview["refused_rows"]) == (
        3,
        12,
        0,
    )
    assert preview["skipped"] == [
        {"row": 1, "reason": "above the header"},
        {"row": 2, "reason": "above the header"},
        {"row": 16, "reason": "a totals or summary row"},
    ]
    assert preview["issue_counts"] == {"row-summary": 1}
    by_header = {c["header"]: c for c in preview["columns"]}
    assert by_header["سن"]["column"] == "age"
    assert by_header["سن"]["samples"] == ["19", "22", "25"]  # "۱۹ ساله" read
    assert by_header[""]["column"] == "status"
    result = _import(workspace, path, "ngo", mapping)
    assert (result["rows"], result["accepted"]) == (12, 12)
    records = _records(workspace, "ngo")
    assert len(records) == 12  # the totals row is not a person
    assert {r["status"] for r in records} == {"killed"}
    assert all(r["given_name"] and r["family_name"] for r in records)
    assert {r["date_of_death"] for r in records} == {"2019-11-16", "2019-11-17"}


def test_the_media_csv(
    shapes: dict[str, Path], workspace: Path, tmp_path: Path
) -> None:
    path = shapes["media_en.csv"]
    mapping = _suggest(path, tmp_path, ONE_LINE)
    assert '# "Source URL": kept as raw data' in mapping.read_text(encoding="utf-8")
    result = _import(workspace, path, "media", mapping)
    assert result["accepted"] == 10
    records = _records(workspace, "media")
    assert [r["age"] for r in records if r["record_id"] in ("4", "8")] == [None, None]
    assert all(r["full_name"] and r["status"] == "killed" for r in records)


def test_the_form_export_is_fully_read(
    shapes: dict[str, Path], workspace: Path, tmp_path: Path
) -> None:
    path = shapes["form_kobo.json"]
    mapping = _suggest(path, tmp_path)  # accepted as written
    result = _import(workspace, path, "form", mapping)
    assert result["accepted"] == 8
    unknown = {i["column"] for i in result["issues"] if i["code"] == "unknown-column"}
    assert unknown == {"_id", "_submission_time", "_geolocation"}
    records = _records(workspace, "form")
    for record in records:
        assert record["full_name"] and record["age"] and record["sex"]
        assert record["status"] == "killed"
        assert record["date_of_death"] in ("2019-11-16", "2019-11-17")
        assert record["city"]


def test_a_repeat_group_is_one_record_per_item(
    shapes: dict[str, Path], workspace: Path, tmp_path: Path
) -> None:
    path = shapes["form_repeat.json"]
    mapping = _suggest(path, tmp_path, ONE_LINE)
    result = _import(workspace, path, "repeat", mapping)
    records = _records(workspace, "repeat")
    assert result["accepted"] == len(records) == 2 + 3 + 1 + 2
    assert records[0]["record_id"] == "7001-1"
    assert all(r["full_name"] and r["age"] and r["city"] for r in records)


def test_the_windows_1256_family_list(
    shapes: dict[str, Path], workspace: Path, tmp_path: Path
) -> None:
    path = shapes["family_cp1256.csv"]
    mapping = _suggest(path, tmp_path)  # accepted as written
    text = mapping.read_text(encoding="utf-8")
    assert "encoding: windows-1256" in text
    assert '"نام و نام خانوادگي": full_name' in text  # Arabic ي as in the file
    proc = run("-w", workspace, "import", path, "--source", "family", "--mapping",
               mapping, "--preview", check=True)  # fmt: skip
    assert proc.stdout.splitlines()[:2] == [
        "file: family_cp1256.csv (csv, encoding cp1256)",
        "header: row 1 (first row or as asked)",
    ]
    assert "  ملاحظات -> kept as raw data" in proc.stdout
    result = _import(workspace, path, "family", mapping)
    assert result["accepted"] == 9
    records = _records(workspace, "family")
    assert {r["status"] for r in records} == {"killed"}


def test_a_persian_mapping_matches_arabic_letters_and_names_what_is_missing(
    shapes: dict[str, Path], workspace: Path, tmp_path: Path
) -> None:
    mapping = tmp_path / "typed.yaml"
    mapping.write_text(
        "encoding: windows-1256\ncolumns:\n  ردیف: record_id\n"
        "  نام و نام خانوادگی: full_name\n  تاریخ تولد: birth_date\n"
        "  محل دفن: city\n",
        encoding="utf-8",
    )
    proc = run("-w", workspace, "import", shapes["family_cp1256.csv"], "--source",
               "family", "--mapping", mapping)  # fmt: skip
    assert proc.returncode == 1
    assert proc.stderr == (
        "Error: family_cp1256.csv:1: the mapping names columns the file does not "
        "have: تاریخ تولد, محل دفن (the header is row 1); check their spelling "
        "against the file's header, or set header_row [mapping-column-missing]\n"
    )


def test_preview_of_a_list_no_column_of_which_is_read_says_the_import_would_refuse_it(
    tmp_path: Path,
) -> None:
    # Issue 15: a mapping with `record_ids: rows` alone left every Persian header
    # unread; the preview crashed (IndexError) where the import refuses the file.
    mapping = tmp_path / "rows.yaml"
    mapping.write_text("record_ids: rows\n", encoding="utf-8")
    proc = run("import", SHAPES / "family_cp1256.csv", "--source", "family",
               "--mapping", mapping, "--preview", check=True)  # fmt: skip
    lines = proc.stdout.splitlines()
    assert "rows: not read (the import would refuse the file: see below)" in lines
    assert "  شهر -> kept as raw data; suggested: city" in lines
    assert proc.stderr.splitlines()[-2] == (
        "fatal: family_cp1256.csv:1: no column of the file is read as a name, "
        "national_id, age, sex, date or place, so its records would say nothing "
        "about a person; map the file's other columns onto the records format with "
        "--mapping [no-person-columns]"
    )
    shown = json.loads(
        run("import", SHAPES / "family_cp1256.csv", "--source", "family",
            "--mapping", mapping, "--preview", "--json", check=True).stdout
    )  # fmt: skip
    assert shown["issue_counts"] == {"no-person-columns": 1, "unknown-column": 8}
