"""The grading rules: defaults, [grading] in aban.toml, one-line errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aban.errors import ConfigError
from aban.grade.rules import GradingRules, load_rules, rules_from_mapping
from aban.vocab.grades import GRADES


def test_grades_in_headline_order() -> None:
    assert GRADES == (
        "confirmed",
        "corroborated",
        "single-source",
        "contested",
        "discounted",
    )


def test_defaults() -> None:
    rules = GradingRules()
    assert rules.evidence_kinds == (
        "death_certificate",
        "burial_certificate",
        "verified_video",
    )
    assert rules.primary_kinds == ("family", "witness", "document")
    assert rules.independent_sources == 2
    assert rules.contest_on == ("status", "identity", "cause")
    assert rules.status_conflicts == (("killed", "detained"), ("killed", "injured"))
    assert rules.counted_statuses == ("killed", "executed", "died_in_custody")
    assert rules.count_missing_status is True


def test_mapping_gives_tuples_and_round_trips() -> None:
    rules = rules_from_mapping(
        {
            "evidence_kinds": ["photo"],
            "status_conflicts": [["killed", "injured"]],
            "min_reliability": "C",
            "count_missing_status": False,
        }
    )
    assert rules.evidence_kinds == ("photo",)
    assert rules.status_conflicts == (("killed", "injured"),)
    assert rules.min_reliability == "C"
    assert rules_from_mapping(rules.to_dict()) == rules
    assert rules_from_mapping({}) == GradingRules()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"colour": "red"}, "unknown key 'colour'"),
        (
            {"independent_sources": 1},
            "'independent_sources' must be a whole number of at least 2",
        ),
        (
            {"independent_sources": True},
            "'independent_sources' must be a whole number of at least 2",
        ),
        ({"age_tolerance": -1}, "'age_tolerance' must be a whole number of at least 0"),
        (
            {"primary_kinds": ["family", "rumour"]},
            "'primary_kinds' has unknown values ['rumour']",
        ),
        ({"primary_kinds": "family"}, "'primary_kinds' must be a list of text"),
        (
            {"contest_on": ["status", "mood"]},
            "'contest_on' has unknown values ['mood']",
        ),
        (
            {"status_conflicts": [["killed"]]},
            "'status_conflicts' must be a list of [status, status] pairs",
        ),
        (
            {"status_conflicts": [["killed", "asleep"]]},
            "'status_conflicts' has unknown statuses ['asleep']",
        ),
        (
            {"min_reliability": "F"},
            "'min_reliability' must be one of A, B, C, D, E or ''",
        ),
        ({"count_missing_status": 1}, "'count_missing_status' must be true or false"),
        (
            {"evidence_kinds": ["Death Certificate"]},
            "'evidence_kinds' must be a list of lower-case words",
        ),
        (
            {"identity_fields": ["city"]},
            "'identity_fields' has unknown values ['city']",
        ),
        (
            {"counted_statuses": ["alive"]},
            "'counted_statuses' has unknown values ['alive']",
        ),
    ],
)
def test_bad_values_are_one_line_errors(values: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        rules_from_mapping(values)
    text = str(caught.value)
    assert text.startswith("[grading]: " + message)
    assert "\n" not in text
    assert "(known keys: evidence_kinds, primary_kinds," in text


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ConfigError) as caught:
        rules_from_mapping({"a": 1, "independent_sources": 0})
    assert str(caught.value).startswith(
        "[grading]: unknown key 'a'; 'independent_sources' must be a whole number "
        "of at least 2 (known keys: "
    )


def test_load_rules_reads_the_workspace_table(tmp_path: Path) -> None:
    assert load_rules(tmp_path) == GradingRules()
    (tmp_path / "aban.toml").write_text(
        '[settings]\nactor = "cli"\n\n[grading]\nindependent_sources = 3\n'
        'primary_kinds = ["document"]\n',
        encoding="utf-8",
    )
    rules = load_rules(tmp_path)
    assert rules.independent_sources == 3
    assert rules.primary_kinds == ("document",)
    (tmp_path / "aban.toml").write_text("[grading]\nbogus = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_rules(tmp_path)
    assert str(caught.value).startswith(
        f"{tmp_path / 'aban.toml'}: [grading]: unknown key 'bogus' (known keys: "
    )
