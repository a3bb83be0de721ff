"""The methodology text describes the rules in force, and only those."""

from __future__ import annotations

from aban.grade.methodology import methodology
from aban.grade.rules import GradingRules, rules_from_mapping


def test_default_text_states_the_rules() -> None:
    text = methodology(GradingRules())
    assert text.startswith("# Methodology\n")
    assert text.endswith("\n")
    for expected in (
        "Primary sources are those of kind *family*, *witness* or *document*.",
        "Every source counts, whatever its reliability rating.",
        "documentary evidence (*death certificate*, *burial certificate* or "
        "*verified video*) is linked to the person, or at least 2 independent "
        "sources report the person and one of them is primary.",
        "   - on death or status: *killed* against *detained*; *killed* against "
        "*injured*",
        "   - on identity: different *sex* or *national id*",
        "at least one record gives the status *killed*, *executed* or *died in "
        "custody*, or no record gives any status;",
        "| `independent_sources` | `2` |",
        "| `count_missing_status` | `true` |",
    ):
        assert expected in text, expected
    assert "## Estimating the total" not in text


def test_a_config_change_changes_the_text() -> None:
    rules = rules_from_mapping(
        {
            "independent_sources": 3,
            "primary_kinds": ["document"],
            "min_reliability": "B",
            "contest_on": ["identity"],
            "identity_fields": ["sex", "age"],
            "age_tolerance": 4,
            "evidence_kinds": ["autopsy_report"],
            "count_missing_status": False,
        }
    )
    text = methodology(rules)
    assert text != methodology(GradingRules())
    for expected in (
        "Primary sources are those of kind *document*.",
        "Sources rated worse than B (usually reliable) on the HURIDOCS reliability "
        "scale count for nothing in grading",
        "documentary evidence (*autopsy report*) is linked to the person, or at "
        "least 3 independent sources",
        "4. **Corroborated**: at least 3 independent sources report the person.",
        "   - on identity: different *sex* or *age* (ages more than 4 years apart)",
        "| `independent_sources` | `3` |",
    ):
        assert expected in text, expected
    for gone in ("on death or status", "on cause", "or no record gives any status"):
        assert gone not in text
    no_contest = methodology(rules_from_mapping({"contest_on": []}))
    assert "2. **Contested**: not used" in no_contest


def test_estimation_settings_are_described() -> None:
    settings = {
        "model": "lcmcr",
        "seed": 7,
        "K": 10,
        "burnin": 20000,
        "by": "province",
        "versions": {"aban": "0"},
    }
    text = methodology(GradingRules(), settings)
    assert "## Estimating the total" in text
    assert "latent-class model of Manrique-Vallier (LCMCR)" in text
    assert "Each province is estimated on its own" in text
    assert "Settings: seed 7, K 10, burnin 20000." in text
    loglinear = methodology(GradingRules(), {"model": "loglinear", "criterion": "bic"})
    assert "log-linear models" in loglinear and "criterion bic" in loglinear


def test_the_interval_says_which_uncertainty_it_carries() -> None:
    plain = methodology(GradingRules(), {"model": "lcmcr", "seed": 1})
    assert (
        "The 95% interval carries sampling uncertainty only: it takes the linked "
        "persons as certain, so the uncertainty of deciding which records describe "
        "the same person is not in it."
    ) in plain
    drawn = {"draws": 20, "band": [0.01, 0.99], "calibration_bits": 2.0, "seed": 1}
    both = methodology(
        GradingRules(), {"model": "lcmcr", "seed": 1, "linkage_uncertainty": drawn}
    )
    assert "sampling uncertainty only" not in both
    assert (
        "The 95% interval carries both sampling uncertainty and linkage uncertainty "
        "(the uncertainty of deciding which records describe the same person): the "
        "total was estimated on 20 clusterings of the records"
    ) in both
    assert "(Sadinle 2018; Chen, Shrivastava and Steorts 2018)" in both
    # A run without linkage uncertainty stores null: sampling only.
    stored = {"model": "lcmcr", "linkage_uncertainty": None}
    assert "sampling uncertainty only" in methodology(GradingRules(), stored)
