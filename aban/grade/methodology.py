"""The methodology text, written from the workspace's own grading rules.

Every Casualty Worldwide's Standards for Casualty Recording ask every recorder to
publish how it counts. This text is generated from the rules in force (and, when
given, the settings of the last estimate), so it always describes the
configuration that produced the figures: a change in aban.toml changes the text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from aban.grade.rules import GradingRules
from aban.vocab.sources import RELIABILITY

_MODELS = {
    "lcmcr": (
        "the Bayesian non-parametric latent-class model of Manrique-Vallier (LCMCR), "
        "which allows the capture probabilities to vary between unobserved classes "
        "of persons; the estimate is the posterior median with a 95% credible "
        "interval"
    ),
    "loglinear": (
        "log-linear models of the lists' overlaps (with interactions between lists, "
        "the model chosen by an information criterion); the interval is a 95% "
        "confidence interval"
    ),
}
#: The estimate run's settings the methodology states, in this order.
ESTIMATION_KEYS = (
    "seed",
    "K",
    "sampler",
    "init",
    "particles",
    "burnin",
    "samples",
    "thinning",
    "chains",
    "criterion",
)


def _words(values: Sequence[str], last: str = "or") -> str:
    shown = [f"*{v.replace('_', ' ')}*" for v in values]
    if not shown:
        return "none"
    if len(shown) == 1:
        return shown[0]
    return f"{', '.join(shown[:-1])} {last} {shown[-1]}"


def _sources(rules: GradingRules) -> list[str]:
    lines = [
        "## Sources",
        "",
        "Each source is one organisation, person or document set that reports "
        "victims. Sources are grouped by independence: two sources in one "
        "independence group (for example a list and the campaign that compiled it) "
        "count as one source, and a source without a group counts on its own.",
        "",
        f"Primary sources are those of kind {_words(rules.primary_kinds)}.",
    ]
    if rules.min_reliability:
        level = rules.min_reliability
        lines.append(
            f"Sources rated worse than {level} ({RELIABILITY[level]}) on the "
            "HURIDOCS reliability scale count for nothing in grading; sources not "
            "rated yet count."
        )
    else:
        lines.append("Every source counts, whatever its reliability rating.")
    return lines


def _contest_text(rules: GradingRules) -> list[str]:
    parts = []
    if "status" in rules.contest_on:
        pairs = "; ".join(
            f"*{a.replace('_', ' ')}* against *{b.replace('_', ' ')}*"
            for a, b in rules.status_conflicts
        )
        parts.append(f"   - on death or status: {pairs or 'no pair of statuses'}")
    if "identity" in rules.contest_on:
        text = f"   - on identity: different {_words(rules.identity_fields)}"
        if "age" in rules.identity_fields:
            text += f" (ages more than {rules.age_tolerance} years apart)"
        parts.append(text)
    if "cause" in rules.contest_on:
        parts.append("   - on cause: two different causes written in the same script")
    return parts


def _grades(rules: GradingRules) -> list[str]:
    n = rules.independent_sources
    contest = _contest_text(rules)
    lines = [
        "## Verification grades",
        "",
        "Each person (the records that sources give about one individual, linked "
        "together) gets exactly one grade: the first of these that applies.",
        "",
        "1. **Discounted**: a reviewer decided the person is a duplicate, was "
        "found alive, or is unrelated to the event. Discounted persons are kept "
        "in the register and never counted.",
    ]
    if contest:
        lines += [
            "2. **Contested**: two records from different sources disagree (words "
            "for *not known* are ignored, and a source that contradicts itself "
            "makes no dispute); both accounts are kept, each with the sources that "
            "give it. Disagreement counts:",
            *contest,
        ]
    else:
        lines.append("2. **Contested**: not used; disagreements do not change grades.")
    lines += [
        f"3. **Confirmed**: documentary evidence ({_words(rules.evidence_kinds)}) "
        f"is linked to the person, or at least {n} independent sources report the "
        "person and one of them is primary.",
        f"4. **Corroborated**: at least {n} independent sources report the person.",
        f"5. **Single-source**: fewer than {n} independent sources report the person.",
    ]
    return lines


def _headline(rules: GradingRules) -> list[str]:
    scope = f"at least one record gives the status {_words(rules.counted_statuses)}"
    if rules.count_missing_status:
        scope += ", or no record gives any status"
    return [
        "## Headline figures",
        "",
        f"The toll counts the persons for whom {scope}; the others (for example "
        "persons only reported detained) are counted apart.",
        "",
        "- The **enumerated minimum** is the confirmed and corroborated persons.",
        "- The **upper end** adds the single-source persons: the published figure "
        "is the range from the minimum to the upper end.",
        "- Contested and discounted persons are shown separately and never counted.",
        "- Every figure is also given by identification level, as Amnesty "
        "International and Airwars report their counts: *full name* (a given "
        "and a family name), *partial name* (a given or a family name only), "
        "*descriptors only* (no name, but descriptors such as age, sex, place, "
        "injury location or father's name), and "
        "*unidentified*.",
    ]


def _decisions() -> list[str]:
    return [
        "## Reviewers' decisions",
        "",
        "A discount is kept with the records the person had when it was decided, so "
        "it survives re-linking. If a later linkage adds records the reviewer did "
        "not see, the discount no longer applies to that person and the grade "
        "notes it for review. Every decision, and every undoing of one, is written "
        "to the register's tamper-evident audit log.",
    ]


def _estimation(settings: Mapping[str, Any]) -> list[str]:
    model = str(settings.get("model", ""))
    lines = [
        "## Estimating the total",
        "",
        "The register can only list the victims some source reported. The total, "
        "seen and unseen, is estimated by multiple systems estimation from the "
        "overlaps between the sources marked as systematic lists, using "
        + _MODELS.get(model, f"the {model or 'unnamed'} model")
        + ".",
    ]
    by = settings.get("by")
    if by:
        lines.append(
            f"Each {by} is estimated on its own and the strata are added up; "
            "strata too sparse to estimate enter with their observed persons only."
        )
    lines += ["", uncertainty_statement(settings)]
    shown = [f"{k} {settings[k]}" for k in ESTIMATION_KEYS if k in settings]
    if shown:
        lines += ["", f"Settings: {', '.join(shown)}."]
    return lines


def uncertainty_statement(settings: Mapping[str, Any]) -> str:
    """Which uncertainty the published 95% interval carries, in one paragraph.

    Args:
        settings: the settings of the estimate run; ``linkage_uncertainty`` (an
            object with ``draws``) is there when the run drew clusterings.
    """
    drawn = settings.get("linkage_uncertainty")
    if isinstance(drawn, Mapping) and drawn.get("draws"):
        return (
            "The 95% interval carries both sampling uncertainty and linkage "
            "uncertainty (the uncertainty of deciding which records describe the "
            f"same person): the total was estimated on {drawn['draws']} "
            "clusterings of the records drawn from the linkage model's match "
            "probabilities, reviewers' decisions kept as they are, and the "
            "estimates were combined as multiple imputations (Sadinle 2018; Chen, "
            "Shrivastava and Steorts 2018)."
        )
    return (
        "The 95% interval carries sampling uncertainty only: it takes the linked "
        "persons as certain, so the uncertainty of deciding which records describe "
        "the same person is not in it."
    )


def _settings_table(rules: GradingRules) -> list[str]:
    lines = [
        "## Grading settings",
        "",
        "The rules above, as set in the workspace (`[grading]` in aban.toml):",
        "",
        "| setting | value |",
        "|---|---|",
    ]
    return lines + setting_rows(rules)


def setting_rows(rules: GradingRules) -> list[str]:
    """The settings table's rows, one per grading setting, its value as JSON
    (the same rows on the Persian page: settings are code, not words)."""
    return [
        f"| `{key}` | `{json.dumps(value, ensure_ascii=False)}` |"
        for key, value in rules.to_dict().items()
    ]


def methodology(
    rules: GradingRules, estimation: Mapping[str, Any] | None = None
) -> str:
    """The methodology as Markdown, describing exactly these rules.

    Args:
        rules: the grading rules in force.
        estimation: the settings of an estimate run (``model``, ``by``, ``seed``,
            ``K``, ...), to describe how the total was estimated; None to leave
            estimation out.

    Returns:
        Markdown text ending with a newline.
    """
    sections = [
        [
            "# Methodology",
            "",
            "Each victim is documented from every source that reports them; the "
            "records of one individual are linked into one person, and every "
            "person is graded by how well the sources confirm them. This text is "
            "generated from the rules the register applies, as Every Casualty "
            "Worldwide's Standards for Casualty Recording ask every recorder to "
            "publish them.",
        ],
        _sources(rules),
        _grades(rules),
        _headline(rules),
        _decisions(),
    ]
    if estimation is not None:
        sections.append(_estimation(estimation))
    sections.append(_settings_table(rules))
    return "\n\n".join("\n".join(section) for section in sections) + "\n"
