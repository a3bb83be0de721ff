"""Spellings learned from a first pass, and the level that uses them (issue 16)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from aban.linkage import LinkResult, learning, link_records
from aban.sim.noise import Noise
from aban.simulate import SimulationSettings, simulate, write_scenario
from aban.text.spellings import SpellingTable

from .simdata import read_sources


def test_the_first_pass_takes_whole_cities_up_to_its_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    table = pd.DataFrame(
        {"rid": range(10), "city": ["Tehran"] * 5 + ["Shiraz"] * 3 + [None] * 2}
    )
    assert learning.learning_sample(table) is table
    monkeypatch.setattr(learning, "LEARN_RECORDS", 5)
    sample = learning.learning_sample(table)
    cities = set(sample["city"].fillna(""))
    assert len(sample) <= 5
    assert all(
        (table["city"].fillna("") == c).sum() == (sample["city"].fillna("") == c).sum()
        for c in cities
    )
    assert learning.learning_sample(table).equals(sample)


def test_the_sample_model_scales_the_prior() -> None:
    model = {"probability_two_random_records_match": 1e-6, "linker_uid": "x"}
    scaled = learning.sample_model(model, 1001, 101)
    assert scaled["probability_two_random_records_match"] == pytest.approx(1e-5)
    assert "linker_uid" not in scaled and model["linker_uid"] == "x"


def level(label: str, m: float, u: float) -> dict[str, object]:
    return {
        "sql_condition": "x",
        "label_for_charts": label,
        "m_probability": m,
        "u_probability": u,
    }


def test_the_learned_level_is_split_off_the_levels_below_it() -> None:
    levels = [
        {"sql_condition": "n", "label_for_charts": "missing", "is_null_level": True},
        level("same skeleton", 0.5, 0.01),
        level("similar skeleton", 0.2, 0.04),
        level("different", 0.3, 0.95),
    ]
    confident = {"similar skeleton": (10, 6), "different": (4, 1)}
    random = {"similar skeleton": 0.001, "different": 0.002}
    out = learning._split_levels(levels, confident, random, "family", True)
    labels = [lv["label_for_charts"] for lv in out]
    assert labels == [
        "missing",
        "same skeleton",
        "learned spelling",
        "similar skeleton",
        "different",
    ]
    new = out[2]
    assert new["m_probability"] == pytest.approx(0.6 * 0.2 + 0.25 * 0.3)
    assert new["u_probability"] == pytest.approx(0.003)
    assert new["sql_condition"] == "family_lk_l = family_lk_r"
    assert new["tf_adjustment_column"] == "family_lk"
    # The levels below keep their m and give up the u the new level takes.
    assert [lv["m_probability"] for lv in out[3:]] == [0.2, 0.3]
    assert [lv["u_probability"] for lv in out[3:]] == pytest.approx([0.039, 0.948])
    assert sum(lv["u_probability"] for lv in out[1:]) == pytest.approx(1.0)
    # No confident pair shares a learned key: no level.
    assert learning._split_levels(levels, {}, random, "family", True) == levels


@pytest.fixture(scope="module")
def hard(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, LinkResult]:
    folder = tmp_path_factory.mktemp("hard")
    settings = SimulationSettings(
        persons=1200, sources=4, seed=5, noise=Noise(letters=0.5)
    )
    write_scenario(simulate(settings), folder)
    records = read_sources(folder)
    return records, link_records(records)


def test_letter_noise_is_learned_and_scored_at_the_learned_level(
    hard: tuple[pd.DataFrame, LinkResult],
) -> None:
    _records, result = hard
    table = SpellingTable.from_dict(result.model["learned_spellings"])
    assert table.pairs > 1000
    assert {"ch/sh", "g/gh/q"} <= {e.label for e in table.folds}
    levels = pd.concat(
        [result.pairs[f"{n}_level"].astype(str) for n in ("given", "family")]
    )
    assert (levels == "learned spelling").sum() > 10
    names = {c["output_column_name"]: c for c in result.model["comparisons"]}
    labels = [lv["label_for_charts"] for lv in names["family"]["comparison_levels"]]
    assert labels.index("learned spelling") == labels.index("same skeleton") + 1


def test_learning_is_deterministic(hard: tuple[pd.DataFrame, LinkResult]) -> None:
    records, result = hard
    again = link_records(records.sample(frac=1.0, random_state=3))
    assert again.model["learned_spellings"] == result.model["learned_spellings"]
    assert again.clusters == result.clusters


def test_the_second_pass_moves_weights_as_scoring_again_would(
    hard: tuple[pd.DataFrame, LinkResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 16: the second pass scores again only the pairs it can change, and
    # moves the others' weights. Scoring every first-pass pair again gives the
    # same weights and levels.
    records, result = hard
    monkeypatch.setattr(
        learning, "changed_pairs", lambda scored, *_: np.ones(len(scored), dtype=bool)
    )
    again = link_records(records)
    cheap = result.pairs.set_index(["key_l", "key_r"])
    full = again.pairs.set_index(["key_l", "key_r"])
    assert cheap.index.equals(full.index)
    assert np.allclose(cheap["match_weight"], full["match_weight"], atol=1e-6)
    for name in learning.NAMES:
        assert (cheap[f"{name}_level"] == full[f"{name}_level"]).all()
        assert np.allclose(cheap[f"{name}_weight"], full[f"{name}_weight"], atol=1e-3)
    assert again.clusters == result.clusters


def test_pair_tokens() -> None:
    tokens = learning.pair_tokens(np.array([[0, 2], [2, 3]], dtype=np.int64), 5)
    found = [None if t is None else sorted(t) for t in tokens]
    assert found == [[0], None, [0, 1], [1], None]


# Invented family names with ق, and the Latin spelling with g that one list uses.
WITH_G = [
    ("باقری", "Bageri"),
    ("صادقی", "Sadegi"),
    ("رفیقی", "Rafigi"),
    ("توقلی", "Tavagoli"),
    ("حقیقی", "Hagigi"),
    ("قفاری", "Gaffari"),
]


def labelled(tmp_path: Path) -> tuple[pd.DataFrame, list[tuple[str, str, bool]]]:
    """Simulated background, and six persons each in Persian and in a Latin list
    that writes g for ق, matched by a reviewer."""
    folder = tmp_path / "sim"
    write_scenario(simulate(SimulationSettings(persons=100, sources=3, seed=8)), folder)
    rows, labels = [], []
    for i, (fa, en) in enumerate(WITH_G):
        a = {"key": f"fa\x1fq{i}", "source": "fa", "record_id": f"q{i}"}
        b = {"key": f"en\x1fq{i}", "source": "en", "record_id": f"q{i}"}
        rows += [
            {**a, "given_name": "هادی", "family_name": fa, "age": str(30 + i)},
            {**b, "given_name": "Hadi", "family_name": en, "age": str(30 + i)},
        ]
        labels.append((a["key"], b["key"], True))
    frame = pd.concat([read_sources(folder), pd.DataFrame(rows)], ignore_index=True)
    return frame.fillna(""), labels


def test_reviewers_matches_teach_spellings(tmp_path: Path) -> None:
    records, labels = labelled(tmp_path)
    result = link_records(records, labels=labels)
    table = SpellingTable.from_dict(result.model["learned_spellings"])
    assert [e.label for e in table.folds] == ["g/gh/q"]
    family = {c["output_column_name"]: c for c in result.model["comparisons"]}["family"]
    assert "learned spelling" in [
        lv["label_for_charts"] for lv in family["comparison_levels"]
    ]


@pytest.mark.slow
def test_spark_learns_and_links_as_duckdb(tmp_path: Path) -> None:
    records, labels = labelled(tmp_path)
    on_duckdb = link_records(records, labels=labels)
    on_spark = link_records(records, labels=labels, engine="spark")
    assert on_spark.model["sql_dialect"] == "spark"
    learned = on_spark.model["learned_spellings"]
    assert learned == on_duckdb.model["learned_spellings"]
    assert on_spark.clusters == on_duckdb.clusters
