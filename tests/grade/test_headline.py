"""Headline figures: minimum, upper end, by identification level, scope."""

from __future__ import annotations

from aban.grade.headline import headline
from aban.grade.rules import GradingRules

PERSONS = [
    ("confirmed", "full_name", True),
    ("confirmed", "descriptors_only", True),
    ("corroborated", "full_name", True),
    ("corroborated", "partial_name", True),
    ("single-source", "full_name", True),
    ("single-source", "unidentified", True),
    ("single-source", "full_name", False),  # only reported detained
    ("contested", "full_name", True),
    ("discounted", "full_name", True),
    ("discounted", "full_name", True),
]


def test_minimum_upper_and_apart() -> None:
    figures = headline(PERSONS, GradingRules())
    assert (figures.minimum, figures.upper) == (4, 6)
    data = figures.to_dict()
    assert data["persons"] == 10
    assert data["persons_by_grade"] == {
        "confirmed": 2,
        "corroborated": 2,
        "single-source": 3,
        "contested": 1,
        "discounted": 2,
    }
    assert data["grades"] == {
        "confirmed": 2,
        "corroborated": 2,
        "single-source": 2,
        "contested": 1,
        "discounted": 2,
    }
    assert data["scope"] == {
        "statuses": ["killed", "executed", "died_in_custody"],
        "missing_status": True,
        "persons": 9,
        "outside": 1,
    }
    assert data["by_identification"]["full_name"] == {
        "minimum": 2,
        "upper": 3,
        "confirmed": 1,
        "corroborated": 1,
        "single-source": 1,
        "contested": 1,
        "discounted": 2,
    }
    assert data["by_identification"]["unidentified"]["upper"] == 1
    assert list(data["by_identification"]) == [
        "full_name",
        "partial_name",
        "descriptors_only",
        "unidentified",
    ]
    levels = data["by_identification"].values()
    assert sum(row["minimum"] for row in levels) == data["minimum"]
    assert sum(row["upper"] for row in levels) == data["upper"]


def test_discounted_persons_never_count() -> None:
    more = [*PERSONS, *[("discounted", "full_name", True)] * 50]
    figures = headline(more, GradingRules())
    assert (figures.minimum, figures.upper) == (4, 6)
    assert figures.total.counts["discounted"] == 52


def test_empty_register_has_every_key() -> None:
    data = headline([], GradingRules()).to_dict()
    assert data["minimum"] == data["upper"] == data["persons"] == 0
    assert set(data["grades"]) == {
        "confirmed",
        "corroborated",
        "single-source",
        "contested",
        "discounted",
    }
