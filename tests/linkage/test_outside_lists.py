"""The lists written apart from aban's simulator (bench/outside_lists.py, issue 16)."""

from __future__ import annotations

import ast
import csv
import json
from collections import Counter
from pathlib import Path

from bench.outside_lists import write_lists
from tests.cli.helpers import run

MODULE = Path(__file__).resolve().parents[2] / "bench" / "outside_lists.py"


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_it_imports_nothing_of_aban() -> None:
    tree = ast.parse(MODULE.read_text(encoding="utf-8"))
    imported = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ] + [
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    ]
    assert imported
    assert not [name for name in imported if name.split(".")[0] in ("aban", "bench")]


def test_same_seed_same_files_and_consistent_truth(tmp_path: Path) -> None:
    info = write_lists(tmp_path / "a", persons=1500, seed=4)
    write_lists(tmp_path / "b", persons=1500, seed=4)
    for path in sorted((tmp_path / "a").rglob("*.*")):
        twin = tmp_path / "b" / path.relative_to(tmp_path / "a")
        assert path.read_bytes() == twin.read_bytes()
    truth = read(tmp_path / "a" / "truth" / "records.csv")
    assert len({r["person_id"] for r in truth}) == 1500
    assert 1.5 < len(truth) / 1500 < 2.1
    records = [
        r for p in sorted((tmp_path / "a" / "sources").glob("*.csv")) for r in read(p)
    ]
    assert sorted((r["source"], r["record_id"]) for r in records) == sorted(
        (r["source"], r["record_id"]) for r in truth
    )
    kinds = Counter(k for r in truth for k in r["noise"].split(";") if k)
    assert set(kinds) == {
        "habit",
        "letters",
        "typo",
        "comma_order",
        "one_word",
        "report_date",
        "wide_age",
    }
    assert all(count > 30 for count in kinds.values()), kinds
    assert info["records"] == len(truth)
    saved = json.loads((tmp_path / "a" / "lists.json").read_text(encoding="utf-8"))
    assert saved["records_by_noise"] == dict(sorted(kinds.items()))
    comma = {
        (r["source"], r["record_id"]) for r in truth if "comma_order" in r["noise"]
    }
    assert all(
        ", " in r["full_name"] or "، " in r["full_name"]
        for r in records
        if (r["source"], r["record_id"]) in comma
    )


def test_the_lists_import_with_aban_import(tmp_path: Path) -> None:
    write_lists(tmp_path / "lists", persons=300, seed=2)
    workspace = tmp_path / "ws"
    run("init", workspace, check=True)
    for path in sorted((tmp_path / "lists" / "sources").glob("*.csv")):
        proc = run("-w", workspace, "import", path, "--json", check=True)
        report = json.loads(proc.stdout)
        assert report["rows"] == report["accepted"] == len(read(path)) > 20
        assert report["rejected"] == 0
