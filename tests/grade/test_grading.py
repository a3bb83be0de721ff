"""Grading one person: every rule, its order and its edge cases (pure)."""

from __future__ import annotations

from typing import Any

import pytest

from aban.grade.decisions import Decision
from aban.grade.grading import (
    PersonFacts,
    find_disputes,
    grade_person,
    in_scope,
)
from aban.grade.rules import GradingRules, rules_from_mapping
from aban.vocab.sources import Source

RULES = GradingRules()
SOURCES = {
    "ngo_a": Source("ngo_a", "ngo_list", "ngo"),
    "ngo_b": Source("ngo_b", "ngo_list", "ngo"),
    "press": Source("press", "media", None),
    "blog": Source("blog", "social_media", None),
    "kin": Source("kin", "family", "kin"),
    "kin_list": Source("kin_list", "ngo_list", "kin"),
    "rumour": Source("rumour", "social_media", None, "D"),
}


def rec(source: str, rid: str, **fields: Any) -> dict[str, Any]:
    return {
        "source": source,
        "record_id": rid,
        "given_name": "Aram",
        "family_name": "Testi",
        **fields,
    }


def grade(
    *records: dict[str, Any], rules: GradingRules = RULES, **facts: Any
) -> tuple[str, str]:
    result = grade_person(PersonFacts("P000001", records, **facts), SOURCES, rules)
    assert result.reason.startswith(f"{result.grade}/{result.basis}: ")
    return result.grade, result.reason


def test_one_source_is_single_source() -> None:
    assert grade(rec("press", "1"), rec("press", "2")) == (
        "single-source",
        "single-source/single: 1 independent source (2 needed to corroborate)",
    )


def test_two_sources_of_one_independence_group_are_one_source() -> None:
    assert grade(rec("ngo_a", "1"), rec("ngo_b", "1"))[0] == "single-source"
    # A primary source with a list of its own group is still one source.
    assert grade(rec("kin", "1"), rec("kin_list", "1"))[0] == "single-source"


def test_two_independent_sources_corroborate() -> None:
    assert grade(rec("ngo_a", "1"), rec("press", "1")) == (
        "corroborated",
        "corroborated/independent: 2 independent sources",
    )
    # Sources without a group are each their own group.
    assert grade(rec("press", "1"), rec("blog", "1"))[0] == "corroborated"


def test_primary_and_independent_confirm() -> None:
    assert grade(rec("kin", "1"), rec("press", "1")) == (
        "confirmed",
        "confirmed/primary: 2 independent sources, primary: family",
    )
    # A primary source alone does not.
    assert grade(rec("kin", "1"))[0] == "single-source"


def test_evidence_confirms_even_one_source() -> None:
    assert grade(rec("press", "1"), evidence_kinds=("death_certificate",)) == (
        "confirmed",
        "confirmed/evidence: death_certificate linked; 1 independent source",
    )
    # Evidence of a kind the rules do not name confirms nothing.
    assert grade(rec("press", "1"), evidence_kinds=("photo",))[0] == "single-source"


def test_config_changes_change_grades() -> None:
    photo = rules_from_mapping({"evidence_kinds": ["photo"]})
    assert grade(rec("press", "1"), evidence_kinds=("photo",), rules=photo)[0] == (
        "confirmed"
    )
    no_primary = rules_from_mapping({"primary_kinds": []})
    assert grade(rec("kin", "1"), rec("press", "1"), rules=no_primary)[0] == (
        "corroborated"
    )
    three = rules_from_mapping({"independent_sources": 3})
    assert grade(rec("kin", "1"), rec("press", "1"), rules=three) == (
        "single-source",
        "single-source/single: 2 independent sources (3 needed to corroborate)",
    )
    assert (
        grade(rec("kin", "1"), rec("press", "1"), rec("blog", "1"), rules=three)[0]
        == "confirmed"
    )


def test_sources_rated_too_low_do_not_count() -> None:
    strict = rules_from_mapping({"min_reliability": "C"})
    assert grade(rec("press", "1"), rec("rumour", "1"), rules=strict) == (
        "single-source",
        "single-source/single: 1 independent source (2 needed to corroborate); "
        "1 source rated below C not counted",
    )
    assert grade(rec("rumour", "1"), rules=strict)[1] == (
        "single-source/single: no source that counts; 1 source rated below C not "
        "counted"
    )
    # Without a threshold every rating counts.
    assert grade(rec("press", "1"), rec("rumour", "1"))[0] == "corroborated"


def test_contested_status_shows_both_accounts() -> None:
    records = (
        rec("kin", "1", status="killed"),
        rec("press", "7", status="detained"),
        rec("blog", "3", status="killed"),
    )
    result = grade_person(PersonFacts("P000001", records), SOURCES, RULES)
    assert result.grade == "contested"
    assert result.reason == (
        "contested/status: status killed (2 sources) vs detained (1 source)"
    )
    (dispute,) = result.disputes
    assert dispute.to_dict() == {
        "kind": "status",
        "field": "status",
        "accounts": [
            {
                "value": "killed",
                "sources": ["blog", "kin"],
                "records": [["blog", "3"], ["kin", "1"]],
            },
            {"value": "detained", "sources": ["press"], "records": [["press", "7"]]},
        ],
    }


def test_contested_wins_over_evidence_and_primary() -> None:
    records = (rec("kin", "1", status="killed"), rec("press", "1", status="injured"))
    assert grade(*records, evidence_kinds=("death_certificate",))[0] == "contested"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("detained", "died_in_custody"),  # a sequence, not a contradiction
        ("killed", "executed"),
        ("killed", "disappeared"),
    ],
)
def test_statuses_that_do_not_conflict(a: str, b: str) -> None:
    assert grade(rec("kin", "1", status=a), rec("press", "1", status=b))[0] == (
        "confirmed"
    )


def test_a_source_contradicting_itself_is_no_dispute() -> None:
    records = (rec("press", "1", status="killed"), rec("press", "2", status="injured"))
    assert grade(*records)[0] == "single-source"


def test_status_conflicts_are_configurable() -> None:
    records = (rec("kin", "1", status="killed"), rec("press", "1", status="injured"))
    only_detained = rules_from_mapping({"status_conflicts": [["killed", "detained"]]})
    assert grade(*records, rules=only_detained)[0] == "confirmed"
    nothing = rules_from_mapping({"contest_on": []})
    assert grade(*records, rules=nothing)[0] == "confirmed"
    disappeared = rules_from_mapping({"status_conflicts": [["killed", "disappeared"]]})
    records = (
        rec("kin", "1", status="killed"),
        rec("press", "1", status="disappeared"),
    )
    assert grade(*records, rules=disappeared)[0] == "contested"


def test_contested_identity_sex_and_national_id() -> None:
    sex = (rec("kin", "1", sex="m"), rec("press", "1", sex="f"))
    assert grade(*sex) == (
        "contested",
        "contested/identity: sex f (1 source) vs m (1 source)",
    )
    ids = (rec("kin", "1", national_id="0012"), rec("press", "1", national_id="0099"))
    grade_, reason = grade(*ids)
    assert grade_ == "contested"
    # National ids are personal data: the reason counts accounts, never shows them.
    assert reason == "contested/identity: national_id: 2 accounts (1 source, 1 source)"
    assert "0012" not in reason and "Aram" not in reason and "Testi" not in reason
    sex_only = rules_from_mapping({"identity_fields": ["sex"]})
    assert grade(*ids, rules=sex_only)[0] == "confirmed"


def test_age_disagrees_only_beyond_the_tolerance() -> None:
    rules = rules_from_mapping({"identity_fields": ["age"], "age_tolerance": 2})
    near = (rec("kin", "1", age=23), rec("press", "1", age=25))
    far = (rec("kin", "1", age=23), rec("press", "1", age=26))
    assert grade(*near, rules=rules)[0] == "confirmed"
    assert grade(*far, rules=rules)[0] == "contested"
    assert grade(*far)[0] == "confirmed"  # age is not an identity field by default


def test_names_compare_by_matching_form_in_one_script() -> None:
    rules = rules_from_mapping({"identity_fields": ["family_name"]})
    same = (
        rec("kin", "1", family_name="Testi", family_name_norm="testi"),
        rec("press", "1", family_name="TESTI", family_name_norm="testi"),
        rec("blog", "1", family_name="تستی", family_name_norm="تستی"),
    )
    assert grade(*same, rules=rules)[0] == "confirmed"
    other = (*same[:2], rec("blog", "1", family_name="Otheri"))
    assert grade(*other, rules=rules)[0] == "contested"


def test_cause_disputes_within_one_script_and_ignore_unknown() -> None:
    def causes(*values: str) -> tuple[str, str]:
        sources = ("kin", "press", "blog")[: len(values)]
        return grade(
            *(rec(s, "1", cause=v) for s, v in zip(sources, values, strict=True))
        )

    assert causes("live ammunition", "Live  Ammunition")[0] == "confirmed"
    assert causes("live ammunition", "گلوله جنگی")[0] == "confirmed"
    assert causes("live ammunition", "unknown", "نامعلوم")[0] == "confirmed"
    assert causes("live ammunition", "beating") == (
        "contested",
        "contested/cause: cause: 2 accounts (1 source, 1 source)",
    )
    extra = rules_from_mapping({"unknown_values": ["unclear"]})
    records = (rec("kin", "1", cause="beating"), rec("press", "1", cause="Unclear"))
    assert grade(*records, rules=extra)[0] == "confirmed"
    assert grade(*records)[0] == "contested"


def test_several_disputes_in_one_reason() -> None:
    records = (
        rec("kin", "1", status="killed", sex="m"),
        rec("press", "1", status="detained", sex="f"),
    )
    assert grade(*records)[1] == (
        "contested/status+identity: status detained (1 source) vs killed (1 source); "
        "sex f (1 source) vs m (1 source)"
    )
    assert [d.field for d in find_disputes(records, RULES)] == ["status", "sex"]


def test_a_discount_wins_over_everything() -> None:
    records = (rec("kin", "1", status="killed"), rec("press", "1", status="detained"))
    decision = Decision(4, "found-alive", frozenset({1, 2}))
    assert grade(*records, decision=decision) == (
        "discounted",
        "discounted/found-alive: reviewer decision 4",
    )


def test_a_lapsed_decision_is_noted() -> None:
    assert grade(rec("kin", "1"), rec("press", "1"), lapsed=(3,))[1] == (
        "confirmed/primary: 2 independent sources, primary: family; discount "
        "decision 3 no longer holds all its records"
    )


def test_an_unknown_source_is_its_own_group() -> None:
    assert grade(rec("elsewhere", "1"), rec("press", "1"))[0] == "corroborated"


@pytest.mark.parametrize(
    ("statuses", "missing", "expected"),
    [
        (("killed",), True, True),
        (("detained", "died_in_custody"), True, True),
        (("detained",), True, False),
        (("injured", "disappeared"), True, False),
        ((None, ""), True, True),
        ((None,), False, False),
    ],
)
def test_scope_of_the_toll(
    statuses: tuple[str | None, ...], missing: bool, expected: bool
) -> None:
    rules = rules_from_mapping({"count_missing_status": missing})
    records = [rec("press", str(i), status=s) for i, s in enumerate(statuses)]
    assert in_scope(records, rules) is expected
