"""The simulator: determinism, truth consistency, realism, capture, errors, CLI."""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import aban.simulate as simulate_module
from aban.cli import cli
from aban.config import Settings
from aban.errors import ConfigError
from aban.ingest.validate import RowContext, normalise_row
from aban.sim.names import family_names, given_names
from aban.sim.people import draw_population
from aban.sim.specs import SourceSpec
from aban.sim.vocab import FORCE
from aban.simulate import (
    Capture,
    Scenario,
    SimulationSettings,
    simulate,
    write_scenario,
)
from aban.text import FORCES, parse_date, parse_forces
from aban.text.gazetteer import CITIES, find_city

PROTECTED = {"informant", "contact", "notes_private"}


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Scenario, Path]:
    out = tmp_path_factory.mktemp("sim") / "out"
    scenario = simulate(SimulationSettings(persons=2000, sources=5, seed=7))
    write_scenario(scenario, out)
    return scenario, out


@pytest.fixture(scope="module")
def large() -> Scenario:
    return simulate(SimulationSettings(persons=20_000, sources=4, seed=11, errors=0.1))


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    settings = SimulationSettings(persons=500, sources=5, seed=3)
    write_scenario(simulate(settings), tmp_path / "a")
    write_scenario(simulate(settings), tmp_path / "b")
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.*"))
    assert len(files) == 10
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (
            tmp_path / "b" / name
        ).read_bytes()
    write_scenario(
        simulate(SimulationSettings(persons=500, sources=5, seed=4)), tmp_path / "c"
    )
    assert (tmp_path / "a/truth/records.csv").read_bytes() != (
        tmp_path / "c/truth/records.csv"
    ).read_bytes()


def test_adding_a_source_keeps_the_others() -> None:
    four = simulate(SimulationSettings(persons=400, sources=4, seed=2))
    five = simulate(SimulationSettings(persons=400, sources=5, seed=2))
    assert np.array_equal(four.captures, five.captures[:, :4])
    assert [t.rows for t in four.tables] == [t.rows for t in five.tables[:4]]


def test_layout_and_scenario_json(small: tuple[Scenario, Path]) -> None:
    scenario, out = small
    names = ["ngo_list_fa", "media_en", "activists_noisy", "families", "list_05"]
    assert sorted(p.stem for p in (out / "sources").glob("*.csv")) == sorted(names)
    info = json.loads((out / "scenario.json").read_text(encoding="utf-8"))
    assert info["seed"] == 7
    assert info["settings"] == {
        "persons": 2000,
        "sources": 5,
        "seed": 7,
        "capture": "latent-class",
        "errors": 0.03,
        "detained_share": 0.14,
    }
    assert info["persons"] == 2000
    assert info["observed"] == scenario.observed
    assert [s["name"] for s in info["sources"]] == names
    assert sum(info["persons_by_status"].values()) == 2000
    assert info["records"] == sum(s["records"] for s in info["sources"])
    assert all((out / f).is_file() for f in info["files"])


def test_truth_is_consistent(small: tuple[Scenario, Path]) -> None:
    scenario, out = small
    truth = read(out / "truth" / "records.csv")
    ids = [r["record_id"] for r in truth]
    assert len(ids) == len(set(ids))
    by_source = Counter(r["source"] for r in truth)
    seen = []
    for path in (out / "sources").glob("*.csv"):
        rows = read(path)
        assert by_source[path.stem] == len(rows)
        assert {r["source"] for r in rows} == {path.stem}
        seen += [r["record_id"] for r in rows]
    assert sorted(seen) == sorted(ids)
    persons = read(out / "truth" / "persons.csv")
    assert len(persons) == 2000
    listed = {r["person_id"] for r in truth}
    assert listed == {p["person_id"] for p in persons if p["captured"] == "1"}
    histories = read(out / "truth" / "histories.csv")
    assert sum(int(h["count"]) for h in histories) == len(listed) == scenario.observed
    assert all(any(h[s] == "1" for s in list(h)[:-1]) for h in histories)


def test_histories_match_the_records(small: tuple[Scenario, Path]) -> None:
    _, out = small
    sources = list(read(out / "truth" / "histories.csv")[0])[:-1]
    pattern: dict[str, set[str]] = defaultdict(set)
    for r in read(out / "truth" / "records.csv"):
        pattern[r["person_id"]].add(r["source"])
    counts = Counter(
        "".join("1" if s in v else "0" for s in sources) for v in pattern.values()
    )
    for h in read(out / "truth" / "histories.csv"):
        assert counts["".join(h[s] for s in sources)] == int(h["count"])


def test_surnames_are_as_common_as_in_the_civil_registry() -> None:
    # Registry: Mohammadi 1.13%, Hosseini 0.78%, Ahmadi 0.72% of about 85 million.
    pop = draw_population(40_000, 0.14, np.random.default_rng(5))
    table = family_names()
    counts = Counter(table.names[i].en for i in pop.family.tolist())
    top = [name for name, _ in counts.most_common(3)]
    assert top[0] == "Mohammadi"
    assert set(top) <= {"Mohammadi", "Hosseini", "Ahmadi", "Rezaei"}
    assert 0.009 < counts["Mohammadi"] / 40_000 < 0.014
    # A long tail: most surnames are rare, as in Iran's 600,000.
    assert len(table.names) > 10_000
    assert len(counts) > 8_000


def test_namesakes_and_name_forms(small: tuple[Scenario, Path]) -> None:
    _, out = small
    persons = read(out / "truth" / "persons.csv")
    names = Counter((p["given_name_en"], p["family_name_en"]) for p in persons)
    # Namesakes occur (Mohammad Mohammadi...) without being the rule.
    assert 15 <= sum(n for n in names.values() if n > 1) <= 200
    given = Counter(p["given_name_en"] for p in persons if p["sex"] == "m")
    assert given.most_common(1)[0][0] == "Mohammad"
    table, simple, compounds = given_names()
    compound = {n.en for n in table.names[simple : simple + compounds]}
    men = [p for p in persons if p["sex"] == "m"]
    share = sum(p["given_name_en"] in compound for p in men) / len(men)
    assert 0.07 < share < 0.13
    assert 0.03 < sum(p["honorific"] != "" for p in persons) / len(persons) < 0.09
    noisy = {r["given_name"] for r in read(out / "sources" / "activists_noisy.csv")}
    assert {"Mohammed", "Muhammad"} & noisy
    assert any("\u0600" <= c <= "\u06ff" for c in persons[0]["full_name_fa"])


def test_ages_sex_and_dates(large: Scenario) -> None:
    pop = large.population
    assert 0.06 < (pop.sex == 1).mean() < 0.12
    assert 0.05 < (pop.age < 18).mean() < 0.09
    assert 0.60 < ((pop.age >= 18) & (pop.age <= 35)).mean() < 0.76
    assert 0.01 < (pop.age > 60).mean() < 0.05
    killed = pop.status == 0
    assert 0.83 < killed.mean() < 0.89
    days = pop.death[killed] - dt.date(2019, 11, 15).toordinal()
    by_day = np.bincount(days)
    assert days.min() == 0 and days.max() <= 15
    assert set(np.argsort(by_day)[-2:]) == {1, 2}  # 16 and 17 November
    assert (days <= 4).mean() > 0.9


@pytest.mark.parametrize("mode", ["latent-class", "continuous"])
def test_capture_is_heterogeneous_and_realistic(mode: Capture) -> None:
    scenario = simulate(
        SimulationSettings(persons=20_000, sources=6, seed=5, capture=mode)
    )
    rates = scenario.captures.mean(axis=0)
    assert ((rates > 0.2) & (rates < 0.7)).all()
    assert 0.05 < 1 - scenario.observed / 20_000 < 0.4
    latent = scenario.population.latent_class
    if mode == "latent-class":
        assert set(np.unique(latent)) == {0, 1, 2}
        assert scenario.to_dict()["capture"]["classes"]["shares"] == [0.3, 0.45, 0.25]
        seen = [scenario.captures[latent == c].mean() for c in range(3)]
        assert seen[0] < seen[1] < seen[2]  # some classes more visible to every source
        for c in range(3):  # within a class, sources list independently
            within = scenario.captures[latent == c].astype(float)
            cov = np.cov(within, rowvar=False)[np.triu_indices(6, 1)]
            assert np.abs(cov).max() < 0.02
        pairs = np.cov(scenario.captures.astype(float), rowvar=False)
        assert pairs[np.triu_indices(6, 1)].mean() > 0.002  # positive on average
    else:
        both = (scenario.captures[:, 2] & scenario.captures[:, 3]).mean()
        assert both > 1.3 * rates[2] * rates[3]  # positive dependence via visibility
        assert (latent == -1).all()
        assert 1.3 < scenario.population.visibility.std() < 1.7


def test_contradictions_follow_the_rate(large: Scenario) -> None:
    wrong = np.concatenate([t.contradiction for t in large.tables])
    assert 0.08 < (wrong != "").mean() < 0.11
    assert set(wrong) == {"", "city", "age", "date", "sex"}
    none = simulate(SimulationSettings(persons=2000, sources=4, seed=11, errors=0.0))
    assert all((t.contradiction == "").all() for t in none.tables)


def test_wrong_cities_are_wrong_and_the_rest_right(large: Scenario) -> None:
    media = large.tables[1]
    city = media.columns.index("city")
    checked: Counter[bool] = Counter()
    for row, person, wrong in zip(
        media.rows, media.person, media.contradiction, strict=True
    ):
        if row[city]:
            same = find_city(row[city]) == CITIES[large.population.city[person]]
            assert same == (wrong != "city")
            checked[wrong == "city"] += 1
    assert checked[True] > 20 and checked[False] > 1000


def test_persian_dates_parse_back(small: tuple[Scenario, Path]) -> None:
    scenario, _ = small
    ngo = scenario.tables[0]
    column = ngo.columns.index("date_of_death")
    parsed = 0
    for row, person, wrong in zip(ngo.rows, ngo.person, ngo.contradiction, strict=True):
        if row[column] and wrong != "date":
            true = dt.date.fromordinal(int(scenario.population.death[person]))
            assert parse_date(row[column]) == true
            parsed += 1
    assert parsed > 300
    assert any(c in "۰۱۲۳۴۵۶۷۸۹" for row in ngo.rows for c in row[column])


def test_every_row_imports_without_errors(small: tuple[Scenario, Path]) -> None:
    scenario, _ = small
    codes: Counter[str] = Counter()
    for table in scenario.tables:
        for n, row in enumerate(table.rows, start=2):
            cells = dict(zip(table.columns, row, strict=True))
            ctx = RowContext(table.spec.name, n, cells["record_id"], table.spec.name)
            _, issues = normalise_row(cells, ctx, Settings(), dt.date(2025, 1, 1))
            codes.update(i.code for i in issues if i.severity != "warning")
    assert codes == Counter()


def test_protected_columns_only_where_claimed(small: tuple[Scenario, Path]) -> None:
    _, out = small
    info = json.loads((out / "scenario.json").read_text(encoding="utf-8"))
    for source in info["sources"]:
        rows = read(out / "sources" / f"{source['name']}.csv")
        has = PROTECTED <= set(rows[0])
        assert has == source["protected"] == (source["name"] == "families")
        if has:
            contacts = [r["contact"] for r in rows if r["contact"]]
            assert len(contacts) > 0.8 * len(rows)
            assert all(
                c.startswith("+98-000-555-") or c.endswith("@example.org")
                for c in contacts
            )
            assert sum(1 for r in rows if r["notes_private"]) > 0.3 * len(rows)


def test_duplicates_and_partial_names(small: tuple[Scenario, Path]) -> None:
    scenario, _ = small
    noisy = scenario.tables[2]
    dup = noisy.person[noisy.duplicate]
    assert len(dup) > 5
    assert set(dup) <= set(noisy.person[~noisy.duplicate])
    families = scenario.tables[3]
    given, family = (
        families.columns.index("given_name"),
        families.columns.index("family_name"),
    )
    partial = sum(1 for r in families.rows if bool(r[given]) != bool(r[family]))
    assert 0.2 < partial / len(families.rows) < 0.4


def test_the_ngo_and_media_lists_name_the_alleged_force(large: Scenario) -> None:
    truth = {
        "security forces": "security_forces",
        "IRGC": "irgc",
        "Basij": "basij",
        "police": "police",
        "unknown": None,
    }
    forces = [truth[label.en] for label in FORCE]
    with_column = {t.spec.name for t in large.tables if "alleged_force" in t.columns}
    assert with_column == {"ngo_list_fa", "media_en"}
    for table in large.tables[:2]:
        column = table.columns.index("alleged_force")
        cells = [row[column] for row in table.rows]
        filled = [c for c in cells if c]
        # The source's gap, then 70% of the 15% of unknown forces left blank.
        gap = 0.35 if table.spec.name == "ngo_list_fa" else 0.5
        expected = gap + (1 - gap) * 0.15 * 0.7
        assert abs(1 - len(filled) / len(cells) - expected) < 0.03
        persian = sum(any("\u0600" <= ch <= "\u06ff" for ch in c) for c in filled)
        assert persian == (len(filled) if table.spec.script == "fa" else 0)
        several = 0
        for cell, person in zip(cells, table.person.tolist(), strict=True):
            keys = parse_forces(cell)
            true = forces[large.population.force[person]]
            assert (true in keys) if true and cell else keys == ()
            assert set(keys) <= {*FORCES}
            several += len(keys) > 1
        assert 0.03 < several / len(filled) < 0.2
    ngo = [
        row[large.tables[0].columns.index("alleged_force")]
        for row in large.tables[0].rows
    ]
    assert any("ي" in c for c in ngo) and "سپاه و بسیج" in ngo and "نامعلوم" in ngo


def test_the_force_column_left_the_other_cells_as_they_were(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = SimulationSettings(persons=600, sources=5, seed=3)
    with_force = simulate(settings)
    specs = simulate_module.source_specs

    def without_force(k: int) -> tuple[SourceSpec, ...]:
        return tuple(
            replace(s, columns=tuple(c for c in s.columns if c != "alleged_force"))
            for s in specs(k)
        )

    monkeypatch.setattr(simulate_module, "source_specs", without_force)
    plain = simulate(settings)
    for a, b in zip(with_force.tables, plain.tables, strict=True):
        keep = [i for i, c in enumerate(a.columns) if c != "alleged_force"]
        assert [tuple(r[i] for i in keep) for r in a.rows] == b.rows
    assert with_force.detentions == plain.detentions


def test_detention_events(small: tuple[Scenario, Path]) -> None:
    scenario, out = small
    events = read(out / "detentions.csv")
    assert list(events[0]) == ["record_id", "date", "status", "place", "source", "note"]
    truth = {r["record_id"]: r for r in read(out / "truth" / "records.csv")}
    persons = {p["person_id"]: p for p in read(out / "truth" / "persons.csv")}
    dates: dict[str, list[str]] = defaultdict(list)
    for e in events:
        record = truth[e["record_id"]]
        assert record["source"] == e["source"]
        assert persons[record["person_id"]]["status"] != "killed"
        dates[record["person_id"]].append(e["date"])
    assert all(d == sorted(d) for d in dates.values())
    statuses = Counter(e["status"] for e in events)
    assert statuses["arrested"] == len(dates)
    assert {"charged", "released_on_bail", "held_incommunicado"} <= set(statuses)
    big = simulate(SimulationSettings(persons=20_000, sources=4, seed=1))
    assert any(e[2] == "death_sentence" for e in big.detentions)


def test_rewrites_an_earlier_simulation_only(tmp_path: Path) -> None:
    out = tmp_path / "sim"
    write_scenario(simulate(SimulationSettings(persons=50, sources=5)), out)
    write_scenario(simulate(SimulationSettings(persons=50, sources=3)), out)
    assert sorted(p.stem for p in (out / "sources").iterdir()) == [
        "activists_noisy",
        "media_en",
        "ngo_list_fa",
    ]
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("x")
    with pytest.raises(ConfigError, match="not empty"):
        write_scenario(simulate(SimulationSettings(persons=5)), tmp_path / "other")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("persons", 0),
        ("sources", 1),
        ("sources", 21),
        ("errors", 1.5),
        ("capture", "x"),
    ],
)
def test_invalid_settings(field: str, value: object) -> None:
    settings = SimulationSettings(**{field: value})  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match=field):
        simulate(settings)


def test_cli(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "simulate",
            str(tmp_path / "s"),
            "--persons",
            "300",
            "--sources",
            "4",
            "--seed",
            "1",
            "--capture",
            "continuous",
            "--errors",
            "0.05",
        ],
    )
    assert result.exit_code == 0, result.output
    info = json.loads((tmp_path / "s" / "scenario.json").read_text(encoding="utf-8"))
    assert info["settings"]["capture"] == "continuous"
    assert info["settings"]["errors"] == 0.05
    assert result.stderr.startswith(
        f"simulated 300 persons, {info['observed']} listed by 4"
    )
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--persons", "0"], "Invalid value for '--persons'"),
        (["--sources", "1"], "Invalid value for '--sources'"),
        (["--errors", "-0.1"], "Invalid value for '--errors'"),
        (["--capture", "heavy"], "Invalid value for '--capture'"),
    ],
)
def test_cli_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["simulate", str(tmp_path / "s"), *args])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"Error: {message}")
    assert not (tmp_path / "s").exists()


def test_subprocess(tmp_path: Path) -> None:
    aban = Path(sys.executable).parent / "aban"
    proc = subprocess.run(
        [
            str(aban),
            "simulate",
            str(tmp_path / "s"),
            "--persons",
            "300",
            "--sources",
            "4",
            "--seed",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.startswith("simulated 300 persons")
    assert len(read(tmp_path / "s" / "truth" / "persons.csv")) == 300
