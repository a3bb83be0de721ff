"""Grading persons: identification level, verification grade, headline, methodology."""

from __future__ import annotations

from aban.grade.decisions import Decision
from aban.grade.grading import (
    Account,
    Dispute,
    GradeResult,
    PersonFacts,
    find_disputes,
    grade_person,
    in_scope,
)
from aban.grade.headline import Headline, headline
from aban.grade.methodology import methodology
from aban.grade.rules import GradingRules, load_rules, rules_from_mapping
from aban.vocab.grades import GRADES
from aban.vocab.identification import LEVELS, identification_level, person_level

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
