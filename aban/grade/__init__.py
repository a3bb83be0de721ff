"""Grading persons: identification level, verification grade, headline, methodology."""

from __future__ import annotations

from aban.grade.decisions import Decision
from aban.grade.grading import (
    Account,
    Dispute,
    GradeResult,
    PersonFacts,
    SourceMeta,
    find_disputes,
    grade_person,
    in_scope,
)
from aban.grade.headline import Headline, headline
from aban.grade.identification import LEVELS, identification_level, person_level
from aban.grade.methodology import methodology
from aban.grade.rules import GRADES, GradingRules, load_rules, rules_from_mapping

__all__ = [
    "GRADES",
    "LEVELS",
    "Account",
    "Decision",
    "Dispute",
    "GradeResult",
    "GradingRules",
    "Headline",
    "PersonFacts",
    "SourceMeta",
    "find_disputes",
    "grade_person",
    "headline",
    "identification_level",
    "in_scope",
    "load_rules",
    "methodology",
    "person_level",
    "rules_from_mapping",
]
