"""The model trained on DuckDB, written for Spark (issue 16): the same numbers,
Spark's SQL."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from aban.errors import LinkageError
from aban.linkage import learning
from aban.linkage import model as splink_model
from aban.linkage.spark import spark_model


def _dialect(name: str) -> dict[str, Any]:
    settings: dict[str, Any] = splink_model.settings().get_settings(name).as_dict()
    settings.pop("linker_uid")
    return settings


def test_the_settings_written_for_spark_are_splinks_spark_settings() -> None:
    assert spark_model(_dialect("duckdb")) == _dialect("spark")


def test_trained_numbers_and_learned_levels_cross_unchanged() -> None:
    trained = _dialect("duckdb")
    trained["probability_two_random_records_match"] = 0.000123
    for i, comparison in enumerate(trained["comparisons"]):
        for j, level in enumerate(comparison["comparison_levels"]):
            if not level.get("is_null_level"):
                level["m_probability"] = 0.5 / (i + j + 1)
                level["u_probability"] = 0.01 / (i + j + 1)
    learned = {
        "sql_condition": "given_lk_l = given_lk_r",
        "label_for_charts": learning.LABEL,
        "m_probability": 0.02,
        "u_probability": 0.0003,
    }
    trained["comparisons"][0]["comparison_levels"].insert(4, learned)
    rule = "l.given_lk = r.given_lk and l.family_lk = r.family_lk"
    rules = trained["blocking_rules_to_generate_predictions"]
    rules.insert(2, {"blocking_rule": rule, "sql_dialect": "duckdb"})

    out = spark_model(trained)

    spark = _dialect("spark")
    assert out["sql_dialect"] == "spark"
    assert out["probability_two_random_records_match"] == 0.000123
    levels = out["comparisons"][0]["comparison_levels"]
    assert levels[4] == learned
    assert [lv["sql_condition"] for lv in levels[:4] + levels[5:]] == [
        lv["sql_condition"] for lv in spark["comparisons"][0]["comparison_levels"]
    ]
    for got, was in zip(out["comparisons"], trained["comparisons"], strict=True):
        pairs = zip(got["comparison_levels"], was["comparison_levels"], strict=True)
        for a, b in pairs:
            assert (a.get("m_probability"), a.get("u_probability")) == (
                b.get("m_probability"),
                b.get("u_probability"),
            )
    got_rules = out["blocking_rules_to_generate_predictions"]
    assert got_rules[2] == {"blocking_rule": rule, "sql_dialect": "spark"}
    spark_rules = spark["blocking_rules_to_generate_predictions"]
    assert got_rules[:2] + got_rules[3:] == spark_rules
    assert trained["sql_dialect"] == "duckdb", "the model given was changed"


def test_a_condition_only_duckdb_reads_is_refused() -> None:
    trained = _dialect("duckdb")
    level = copy.deepcopy(trained["comparisons"][0]["comparison_levels"][1])
    level["sql_condition"] = 'jaro_winkler_similarity("x_l", "x_r") > 0.5'
    trained["comparisons"][0]["comparison_levels"].insert(1, level)
    with pytest.raises(LinkageError) as caught:
        spark_model(trained)
    assert str(caught.value) == (
        "the trained model has a condition in DuckDB's SQL that aban cannot "
        "write for Spark: link with --engine duckdb"
    )
