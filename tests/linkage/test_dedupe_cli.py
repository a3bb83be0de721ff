"""aban dedupe: records files in, one clusters CSV out, nothing else on disk."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from aban.cli import cli
from aban.linkage.dedupe import read_records
from aban.simulate import SimulationSettings, simulate, write_scenario


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("sim")
    write_scenario(simulate(SimulationSettings(persons=300, seed=2)), folder)
    return sorted((folder / "sources").glob("*.csv"))


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_record_once_with_its_source(sources: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "clusters.csv"
    code, stdout, stderr = run("dedupe", *sources, "-o", out)
    assert code == 0, stderr
    assert stdout == ""
    written = rows(out)
    assert list(written[0]) == ["record_id", "person_id", "source"]
    expected = read_records(sources)
    assert [r["record_id"] for r in written] == list(expected["record_id"])
    assert [r["source"] for r in written] == list(expected["source"])
    assert all(r["person_id"].startswith("P") for r in written)
    persons = len({r["person_id"] for r in written})
    assert persons < len(written)
    assert "dedupe: training the model" in stderr
    assert (
        stderr.strip()
        .splitlines()[-1]
        .startswith(
            f"linked {len(written):,} records from 4 files into {persons:,} persons"
        )
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clusters.csv"]


def test_source_from_file_name(tmp_path: Path) -> None:
    first = tmp_path / "list_a.csv"
    first.write_text("record_id,full_name,age\n1,Ali Karimi,25\n2,Reza Ahmadi,30\n")
    second = tmp_path / "list_b.csv"
    second.write_text("record_id,full_name,age\n3,علی کریمی,۲۵\n")
    out = tmp_path / "out.csv"
    code, _, stderr = run("dedupe", first, second, "-o", out)
    assert code == 0, stderr
    written = {r["record_id"]: r for r in rows(out)}
    assert [written[i]["source"] for i in "123"] == ["list_a", "list_a", "list_b"]
    assert written["1"]["person_id"] == written["3"]["person_id"]
    assert written["2"]["person_id"] != written["1"]["person_id"]


def test_repeated_record_id_is_an_error(tmp_path: Path) -> None:
    first = tmp_path / "a.csv"
    first.write_text("record_id,full_name\n1,Ali Karimi\n")
    second = tmp_path / "b.csv"
    second.write_text("record_id,full_name\n1,Reza Ahmadi\n")
    code, _, stderr = run("dedupe", first, second, "-o", tmp_path / "out.csv")
    assert code == 1
    assert stderr == (
        "Error: b.csv:2: record_id repeats the one at a.csv:2; ids must be unique "
        "across the files given to aban dedupe (prefix them per file)\n"
    )
    assert not (tmp_path / "out.csv").exists()


def test_missing_record_id_column_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name,age\nAli,3\n")
    code, _, stderr = run("dedupe", bad, "-o", tmp_path / "out.csv")
    assert code == 1
    assert stderr.startswith("Error: bad.csv:1: no record_id column")
    assert len(stderr.splitlines()) == 1


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    code, _, stderr = run("dedupe", tmp_path / "nothing.csv", "-o", tmp_path / "o.csv")
    assert code == 2
    code, _, _ = run("dedupe", "-o", tmp_path / "o.csv")
    assert code == 2
    source = tmp_path / "a.csv"
    source.write_text("record_id\n1\n")
    code, _, _ = run("dedupe", source)
    assert code == 2
    code, _, _ = run("dedupe", source, "-o", tmp_path / "o.csv", "--threshold", "1.5")
    assert code == 2


def test_clusters_csv_neutralises_formulas(tmp_path: Path) -> None:
    # Issue 13, item 3: record ids and source names come from the files linked.
    import pandas as pd

    from aban.linkage.dedupe import write_clusters

    clusters = pd.DataFrame(
        {
            "record_id": ['=HYPERLINK("http://x")', "＝1", "r3"],
            "person_id": ["P000001", "P000001", "P000002"],
            "source": ["@SUM(1)|cmd", "－s", "list_a"],
        }
    )
    out = tmp_path / "clusters.csv"
    write_clusters(clusters, out)
    assert rows(out) == [
        {
            "record_id": '\'=HYPERLINK("http://x")',
            "person_id": "P000001",
            "source": "'@SUM(1)|cmd",
        },
        {"record_id": "'＝1", "person_id": "P000001", "source": "'－s"},
        {"record_id": "r3", "person_id": "P000002", "source": "list_a"},
    ]
