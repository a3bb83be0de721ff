"""The simulator's noise kinds (issue 16): off by default, each does what it says."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from aban.cli import cli
from aban.config import Settings
from aban.errors import ConfigError
from aban.ingest.validate import RowContext, normalise_row
from aban.sim.noise import KINDS, PRESETS, Noise, letter_noise, noise_from
from aban.simulate import Scenario, SimulationSettings, simulate, write_scenario
from aban.text import parse_date

HARD = PRESETS["hard"]


def digest(folder: Path) -> str:
    hasher = hashlib.sha256()
    for path in sorted(folder.rglob("*.*")):
        hasher.update(path.relative_to(folder).as_posix().encode() + b"\0")
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


def test_default_output_is_as_before_the_noise_kinds(tmp_path: Path) -> None:
    # The digest of the files `aban simulate --persons 400 --sources 5 --seed 3`
    # wrote before the noise kinds existed (issue 16: keep today's settings
    # reproducible).
    write_scenario(
        simulate(SimulationSettings(persons=400, sources=5, seed=3)), tmp_path
    )
    assert digest(tmp_path) == (
        "28d0c96a3a1b334cba7a654a300bcb41bfcc423ddb03d1966a3e81fbd7e9341b"
    )


@pytest.fixture(scope="module")
def hard() -> Scenario:
    return simulate(SimulationSettings(persons=6000, sources=4, seed=5, noise=HARD))


@pytest.fixture(scope="module")
def plain() -> Scenario:
    return simulate(SimulationSettings(persons=6000, sources=4, seed=5))


def kinds_of(scenario: Scenario) -> list[set[str]]:
    return [
        set(str(k).split(";")) - {""} for t in scenario.tables for k in t.kinds.tolist()
    ]


def cells(scenario: Scenario) -> list[dict[str, str]]:
    return [
        dict(zip(t.columns, row, strict=True))
        for t in scenario.tables
        for row in t.rows
    ]


def test_noise_changes_nothing_else(hard: Scenario, plain: Scenario) -> None:
    assert np.array_equal(hard.captures, plain.captures)
    for noisy, clean in zip(hard.tables, plain.tables, strict=True):
        assert np.array_equal(noisy.person, clean.person)
        assert np.array_equal(noisy.contradiction, clean.contradiction)
        changed = {"full_name", "given_name", "family_name", "age", "date_of_death"}
        changed |= {"city"}  # one-word names always write the city
        for a, b in zip(noisy.rows, clean.rows, strict=True):
            differ = {c for c, x, y in zip(noisy.columns, a, b, strict=True) if x != y}
            assert differ <= changed
    untouched = [not k & set(KINDS) for k in kinds_of(hard)]
    same = [a == b for a, b in zip(cells(hard), cells(plain), strict=True)]
    assert all(s for s, u in zip(same, untouched, strict=True) if u)


def test_each_kind_touches_its_share(hard: Scenario) -> None:
    rows, kinds = cells(hard), kinds_of(hard)
    latin = [not any("\u0600" <= c <= "\u06ff" for c in r["full_name"]) for r in rows]
    count = Counter(k for ks in kinds for k in ks)
    total = len(rows)
    # letters: 30% of Latin-script rows (less the few whose name no rule changes)
    assert 0.24 < count["letters"] / sum(latin) < 0.31
    assert 0.07 < count["comma_order"] / total < 0.11
    assert 0.03 < count["one_word"] / total < 0.06
    assert 0.09 < count["report_date"] / total < 0.15
    assert 0.07 < count["wide_age"] / total < 0.11
    # The kinds every scenario has are in the truth too.
    assert {"variant", "typo", "partial", "unnamed"} <= set(count)


@pytest.mark.parametrize("kind", KINDS)
def test_one_kind_alone(kind: str) -> None:
    noise = noise_from("none", {kind: 0.2})
    scenario = simulate(SimulationSettings(persons=800, sources=4, seed=2, noise=noise))
    found = Counter(k for ks in kinds_of(scenario) for k in ks if k in KINDS)
    assert set(found) == {kind}
    assert found[kind] > 40


def test_the_records_show_their_kinds(hard: Scenario) -> None:
    pop = hard.population
    checked: Counter[str] = Counter()
    for table in hard.tables:
        for row, person, kinds, wrong in zip(
            table.rows,
            table.person.tolist(),
            table.kinds.tolist(),
            table.contradiction.tolist(),
            strict=True,
        ):
            cell = dict(zip(table.columns, row, strict=True))
            kinds = set(str(kinds).split(";"))
            if "comma_order" in kinds:
                assert ", " in cell["full_name"] or "، " in cell["full_name"]
                assert cell.get("given_name", "") == cell.get("family_name", "") == ""
                checked["comma_order"] += 1
            if "one_word" in kinds:
                assert cell["date_of_death"] and cell["city"]
                assert cell.get("given_name", "") == cell.get("family_name", "") == ""
                checked["one_word"] += 1
            if "report_date" in kinds and wrong != "date":
                reported = parse_date(cell["date_of_death"])
                assert reported is not None
                late = reported.toordinal() - int(pop.death[person])
                assert 1 <= late <= 3
                checked["report_date"] += 1
            if "wide_age" in kinds and wrong != "age":
                age = int("".join(c for c in cell["age"] if c.isdigit()) or "-1")
                if "\u06f0" <= cell["age"][:1] <= "\u06f9":
                    continue  # Persian digits: checked in the Latin rows
                off = abs(age - int(pop.age[person]))
                assert 4 <= off <= 4 + int(pop.age[person]) // 4 + 1
                checked["wide_age"] += 1
    assert min(checked.values()) > 100, checked


def test_wide_age_errors_grow_with_age(hard: Scenario) -> None:
    table = hard.tables[1]  # the media list: ages as ASCII digits
    age = table.columns.index("age")
    young, old = [], []
    for row, person, kinds, wrong in zip(
        table.rows,
        table.person.tolist(),
        table.kinds.tolist(),
        table.contradiction.tolist(),
        strict=True,
    ):
        if "wide_age" in str(kinds) and wrong != "age":
            true = int(hard.population.age[person])
            off = abs(int(row[age]) - true)
            (young if true < 25 else old if true >= 40 else []).append(off)
    assert len(young) > 30 and len(old) > 5
    assert np.mean(old) > np.mean(young) + 2


@pytest.mark.parametrize(
    ("name", "draws", "expected"),
    [
        ("Bagheri", [0.9, 0.0, 0.0, 0.0, 0.0], "Bageri"),
        ("Bagheri", [0.9, 0.0, 0.6, 0.0, 0.0], "Baqeri"),
        ("Khosravi", [0.9, 0.0, 0.0, 0.0, 0.0], "Xosravi"),
        ("Shirazi", [0.9, 0.0, 0.0, 0.0, 0.0], "Chirazi"),
        ("Vahid", [0.9, 0.0, 0.0, 0.0, 0.0], "Wahid"),
        ("Masoud", [0.9, 0.0, 0.5, 0.0, 0.0], "Masud"),
        ("Saeed", [0.9, 0.0, 0.0, 0.0, 0.0], "Said"),
        ("Abbasi", [0.9, 0.5, 0.0, 0.0, 0.0], "Abasi"),
        ("Hadi", [0.9, 0.99, 0.0, 0.0, 0.0], "Haddi"),
        ("Seyed Ali", [0.9, 0.99, 0.0, 0.0, 0.0], "Seyed Alli"),
        ("Bagheri", [0.1, 0.0, 0.0, 0.0, 0.0], "Bageree"),
        ("Aa", [0.9, 0.0, 0.0, 0.0, 0.0], "Aa"),
    ],
)
def test_letter_noise(name: str, draws: list[float], expected: str) -> None:
    assert letter_noise(name, np.array(draws)) == expected


def test_truth_file_and_scenario_json(tmp_path: Path) -> None:
    settings = SimulationSettings(persons=300, sources=4, seed=1, noise=HARD)
    write_scenario(simulate(settings), tmp_path)
    with (tmp_path / "truth" / "records.csv").open(encoding="utf-8") as handle:
        truth = list(csv.DictReader(handle))
    assert list(truth[0])[-1] == "noise"
    assert any("letters" in r["noise"] for r in truth)
    info = json.loads((tmp_path / "scenario.json").read_text(encoding="utf-8"))
    assert info["settings"]["noise"] == HARD.to_dict()
    media = info["sources"][1]["noise_records"]
    assert media["letters"] > 0 and media["typo"] == 0
    plain = SimulationSettings(persons=300, sources=4, seed=1)
    write_scenario(simulate(plain), tmp_path / "kinds", kinds=True)
    with (tmp_path / "kinds" / "truth" / "records.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {k for r in rows for k in r["noise"].split(";")} <= {
        "",
        "variant",
        "typo",
        "partial",
        "unnamed",
    }


def test_every_noisy_row_imports_without_errors(hard: Scenario) -> None:
    codes: Counter[str] = Counter()
    for table in hard.tables:
        for n, row in enumerate(table.rows[:800], start=2):
            cell = dict(zip(table.columns, row, strict=True))
            ctx = RowContext(table.spec.name, n, cell["record_id"], table.spec.name)
            _, issues = normalise_row(cell, ctx, Settings(), dt.date(2025, 1, 1))
            codes.update(i.code for i in issues if i.severity != "warning")
    assert codes == Counter()


def test_invalid_shares() -> None:
    noise = replace(HARD, letters=1.5, wide_age=-0.1)
    with pytest.raises(ConfigError) as caught:
        simulate(SimulationSettings(noise=noise))
    assert str(caught.value) == (
        "invalid simulation settings: noise letters must be between 0 and 1; "
        "noise wide_age must be between 0 and 1"
    )
    assert not Noise().active and HARD.active


def test_cli(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "simulate",
            str(tmp_path / "s"),
            "--persons",
            "200",
            "--noise",
            "hard",
            "--noise-share",
            "letters=0.5",
            "--noise-share",
            "one_word=0",
        ],
    )
    assert result.exit_code == 0, result.output
    info = json.loads((tmp_path / "s" / "scenario.json").read_text(encoding="utf-8"))
    assert info["settings"]["noise"] == {
        **HARD.to_dict(),
        "letters": 0.5,
        "one_word": 0,
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--noise", "loud"], "Invalid value for '--noise'"),
        (
            ["--noise-share", "typos=0.1"],
            "Invalid value for '--noise-share': 'typos' is not a noise kind; use one "
            "of letters, comma_order, one_word, report_date, wide_age; see 'aban "
            "simulate --help'\n",
        ),
        (
            ["--noise-share", "letters=lots"],
            "Invalid value for '--noise-share': the share of letters must be a "
            "number from 0 to 1; see 'aban simulate --help'\n",
        ),
    ],
)
def test_cli_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["simulate", str(tmp_path / "s"), *args])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"Error: {message}")
    assert not (tmp_path / "s").exists()
