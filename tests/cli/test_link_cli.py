"""aban link and aban review as a user runs them (subprocess, real stdout, stderr)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from aban.ingest.importer import import_file
from aban.linkage import LinkResult
from aban.linkage.register import link_workspace
from aban.simulate import SimulationSettings, simulate, write_scenario
from aban.store.workspace import create_workspace, open_workspace
from aban.text.spellings import learn_spellings
from tests.cli.helpers import ABAN, run, status
from tests.conftest import PASSPHRASE
from tests.store.fake_linker import FakeLinker, import_rows


def review(ws: Path, keys: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``aban review`` with ``keys`` piped on stdin (not a terminal)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ABAN_")}
    env["ABAN_PASSPHRASE"] = PASSPHRASE
    return subprocess.run(
        [*ABAN, "-w", str(ws), "review", *args],
        input=keys,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


SHIRAZ = [
    {
        "record_id": f"k{i}",
        "given_name": given,
        "family_name": "Karimi",
        "city": "Shiraz",
        "age": str(20 + i),
        "informant": "Hidden Informant",
        "contact": "+00 123",
        "notes_private": "do not show",
    }
    for i, given in enumerate(("Ali", "Bahram", "Cyrus", "Dara"), start=1)
]


@pytest.fixture
def queued(tmp_path: Path) -> Path:
    """A workspace linked by the fake engine: six pairs at 0.5 in the band."""
    path = tmp_path / "ws"
    with create_workspace(path, PASSPHRASE) as ws:
        import_rows(ws, tmp_path, "ngo", SHIRAZ)
        link_workspace(ws, linker=FakeLinker())
    return path


def test_review_with_piped_keys_stores_and_audits_decisions(queued: Path) -> None:
    proc = review(queued, "m\nn\ns\nq\n")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("match probability 0.50") == 4  # q on the fourth
    assert "pair 1 of 6" in proc.stdout
    for shown in ("Ali", "Bahram", "Karimi", "Shiraz", "same spelling", "+2.5"):
        assert shown in proc.stdout
    for hidden in ("Hidden", "Informant", "+00 123", "do not show", "informant"):
        assert hidden not in proc.stdout + proc.stderr
    lines = proc.stderr.splitlines()
    assert lines[-3:-1] == [
        "1 match, 1 non-match, 1 skipped; 4 left to review",
        "run 'aban link' to apply the decisions",
    ]
    assert lines[-1].startswith("audit head: ")
    with open_workspace(queued, PASSPHRASE) as ws:
        rows = ws.conn.execute(
            "select a.record_id, b.record_id, d.decision, d.reviewer "
            "from link_decisions d join records a on a.id = d.record_a "
            "join records b on b.id = d.record_b order by d.id"
        ).fetchall()
        audit = ws.conn.execute(
            "select action, detail, hash from audit order by seq desc limit 2"
        ).fetchall()
    # Six pairs at 0.5 are queued by key: k1-k2, k1-k3, k1-k4, k2-k3, ...
    assert rows == [("k1", "k2", "match", "cli"), ("k1", "k3", "non_match", "cli")]
    assert [a[0] for a in audit] == ["link-decision", "link-decision"]
    assert json.loads(audit[0][1])["decision"] == "non_match"
    assert lines[-1] == f"audit head: {audit[0][2]}"
    for _, detail, _ in audit:
        assert "Karimi" not in detail and "k1" not in detail


def test_decided_pairs_are_not_shown_again(queued: Path) -> None:
    assert review(queued, "m\nn\n", "--limit", "2").returncode == 0
    proc = review(queued, "s\ns\ns\ns\n")
    assert proc.returncode == 0, proc.stderr
    assert "pair 1 of 4" in proc.stdout
    assert proc.stderr == "0 match, 0 non-match, 4 skipped; 4 left to review\n"


def test_review_reads_until_a_known_key_and_stops_at_end_of_input(
    queued: Path,
) -> None:
    proc = review(queued, "x\n\nM\n")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines()[:2] == [
        "unknown key: type m, n, s or q",
        "1 match, 0 non-match, 0 skipped; 5 left to review",
    ]


def test_review_before_link_is_a_one_line_error(tmp_path: Path) -> None:
    create_workspace(tmp_path / "ws", PASSPHRASE).close()
    proc = review(tmp_path / "ws", "q\n")
    assert proc.returncode == 1
    assert proc.stderr == "Error: no link run yet: run 'aban link' first\n"


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("scenario")
    write_scenario(simulate(SimulationSettings(persons=80, sources=3, seed=3)), out)
    return out


@pytest.fixture
def imported(scenario: Path, tmp_path: Path) -> Path:
    path = tmp_path / "ws"
    with create_workspace(path, PASSPHRASE) as ws:
        for csv in sorted((scenario / "sources").glob("*.csv")):
            import_file(ws, csv)
    return path


def truth_counts(scenario: Path) -> dict[str, int]:
    """Records written and persons listed at least once, from the truth files."""
    with (scenario / "truth" / "records.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {"records": len(rows), "persons": len({r["person_id"] for r in rows})}


def test_link_with_the_real_engine_and_status(scenario: Path, imported: Path) -> None:
    proc = run("-w", imported, "link", "--json", check=True)
    summary = json.loads(proc.stdout)
    st = status(imported)
    truth = truth_counts(scenario)
    assert summary["records"] == st["records"] == truth["records"]
    assert summary["persons"] == st["persons"]
    assert truth["persons"] <= summary["persons"] < truth["records"]
    assert summary["by_identification"] == st["persons_by_identification"]
    assert sum(st["persons_by_identification"].values()) == st["persons"]
    assert summary["created"] == summary["persons"]
    assert proc.stderr == f"audit head: {summary['head']}\n"
    again = json.loads(run("-w", imported, "link", "--json", check=True).stdout)
    assert (again["kept"], again["created"], again["retired"]) == (
        summary["persons"],
        0,
        0,
    )
    table = run("-w", imported, "link", check=True).stdout
    assert "persons full name" in table and "pairs to review" in table


def person_of(ws_path: Path) -> dict[str, str]:
    with open_workspace(ws_path, PASSPHRASE) as ws:
        rows = ws.conn.execute(
            "select s.name || ':' || r.record_id, p.person_id from records r "
            "join sources s on s.id = r.source_id "
            "join person_records pr on pr.record_id = r.id "
            "join persons p on p.id = pr.person_id"
        ).fetchall()
    return dict(rows)


def test_review_decisions_win_on_the_next_real_link(imported: Path) -> None:
    run("-w", imported, "link", check=True)
    before = person_of(imported)
    # Say "match" to the most uncertain pair and "non-match" to the next.
    proc = review(imported, "m\nn\nq\n")
    assert proc.returncode == 0, proc.stderr
    with open_workspace(imported, PASSPHRASE) as ws:
        decided = ws.conn.execute(
            "select sa.name || ':' || a.record_id, sb.name || ':' || b.record_id, "
            "d.decision from link_decisions d "
            "join records a on a.id = d.record_a "
            "join sources sa on sa.id = a.source_id "
            "join records b on b.id = d.record_b "
            "join sources sb on sb.id = b.source_id "
            "order by d.id"
        ).fetchall()
    assert [d[2] for d in decided] == ["match", "non_match"]
    run("-w", imported, "link", check=True)
    after = person_of(imported)
    (a, b, _), (c, d, _) = decided
    assert after[a] == after[b]
    assert after[c] != after[d]
    # The person count may move either way: a match joins two persons, a non-match
    # can split one, and the labels retrain the model.
    assert set(after) == set(before)


HOSTILE = [
    {
        "record_id": f"h[{i}]",
        "given_name": f"[/bold] {i}",
        "family_name": "[link=https://evil.example/]Karimi[/link]",
        "city": "[bold red]Shiraz :skull:",
        "age": str(30 + i),
    }
    for i in (1, 2)
]


def test_review_shows_hostile_values_as_written_not_as_markup(
    tmp_path: Path,
) -> None:
    # Issue 13, item 8: a source's values, ids and name are text, never markup.
    path = tmp_path / "ws"
    with create_workspace(path, PASSPHRASE) as ws:
        import_rows(ws, tmp_path, "[blink]ngo", HOSTILE)
        link_workspace(ws, linker=FakeLinker())
    env = {k: v for k, v in os.environ.items() if not k.startswith("ABAN_")}
    env |= {"ABAN_PASSPHRASE": PASSPHRASE, "FORCE_COLOR": "1", "COLUMNS": "300"}
    proc = subprocess.run(
        [*ABAN, "-w", str(path), "review"],
        input="s\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    for written in (
        "[/bold]",
        "[link=https://evil.example/]Karimi[/link]",
        "[bold red]Shiraz :skull:",
        "h[1]",
        "[blink]ngo",
    ):
        assert written in proc.stdout
    assert "\x1b]8;" not in proc.stdout  # no terminal hyperlink
    assert "\N{SKULL}" not in proc.stdout  # no emoji code replaced
    assert proc.stderr == "0 match, 0 non-match, 1 skipped; 1 left to review\n"


class LearningLinker(FakeLinker):
    """The fake engine, with a learned table in its model as the real one keeps."""

    def __call__(self, records: Any, **options: Any) -> LinkResult:
        result = super().__call__(records, **options)
        learned = learn_spellings([("bqr", "bqr")] * 30 + [("bqr", "bgr")] * 6)
        model = {**result.model, "learned_spellings": learned.to_dict()}
        return replace(result, model=model)


def test_spellings_shows_what_the_last_link_run_learned(tmp_path: Path) -> None:
    path = tmp_path / "ws"
    with create_workspace(path, PASSPHRASE) as ws:
        import_rows(ws, tmp_path, "ngo", SHIRAZ)
        assert link_workspace(ws, linker=LearningLinker()).spellings == ["g/gh/q"]
    proc = run("-w", path, "spellings", check=True)
    assert "spellings learned from 36 pairs of names" in proc.stdout
    assert "g/gh/q" in proc.stdout and "yes" in proc.stdout
    shown = json.loads(run("-w", path, "spellings", "--json", check=True).stdout)
    assert shown["pairs"] == 36
    assert shown["edits"][0] == {
        "letters": ["g", "q"],
        "label": "g/gh/q",
        "count": 6,
        "columns": 36,
        "cost": 2.509,
        "fold": True,
    }


def test_spellings_before_link_is_a_one_line_error(tmp_path: Path) -> None:
    create_workspace(tmp_path / "ws", PASSPHRASE).close()
    proc = run("-w", tmp_path / "ws", "spellings")
    assert proc.returncode == 1
    assert proc.stderr == "Error: no link run yet: run 'aban link' first\n"


def test_link_on_a_spark_cluster_without_a_secret_is_a_one_line_error(
    queued: Path,
) -> None:
    # Issue 16: refused before any JVM starts, naming what to set, not a value.
    config = queued / "aban.toml"
    config.write_text(
        config.read_text()
        + '\n[linkage]\nspark_master = "spark://127.0.0.1:9"\n'
        + '[linkage.spark]\n"spark.executor.memory" = "1g"\n'
    )
    proc = run("-w", queued, "link", "--engine", "spark", env={"MASTER": ""})
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr == (
        "Error: the Spark cluster spark://127.0.0.1:9 needs the shared secret of its "
        "spark.authenticate: set ABAN_SPARK_SECRET, or spark.authenticate.secret.file "
        "in [linkage.spark] of aban.toml\n"
    )
    config.write_text(config.read_text() + '"spark.network.crypto.enabled" = false\n')
    proc = run(
        "-w", queued, "link", "--engine", "spark", env={"ABAN_SPARK_SECRET": "s3c"}
    )
    assert proc.returncode == 1
    assert proc.stderr == (
        "Error: the Spark settings turn off spark.network.crypto.enabled: records "
        "would cross the network in plaintext. Turn it on, or set spark_insecure = "
        "true in [linkage] of aban.toml to run anyway\n"
    )
