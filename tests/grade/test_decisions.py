"""Discount decisions anchored on records: which persons they still hold."""

from __future__ import annotations

from aban.grade.decisions import Decision, DecisionIndex, covering, lapsed

OLD = Decision(1, "duplicate", frozenset({10, 11}), "P000002")
NEW = Decision(5, "unrelated", frozenset({10, 11, 12}), "P000002")


def test_a_decision_holds_a_person_all_of_whose_records_it_has() -> None:
    assert covering({10, 11}, [OLD]) == OLD
    assert covering({10}, [OLD]) == OLD  # a split keeps both halves discounted
    assert covering({10, 11, 12}, [OLD]) is None  # a record the reviewer never saw
    assert covering(set(), [OLD]) is None


def test_the_newest_covering_decision_wins() -> None:
    assert covering({10, 11}, [OLD, NEW]) == NEW
    assert covering({10, 11, 12}, [OLD, NEW]) == NEW


def test_lapsed_decisions_touch_a_person_without_holding_it() -> None:
    assert lapsed({10, 11, 12}, [OLD, NEW]) == [OLD]
    assert lapsed({10, 11}, [OLD, NEW]) == []
    assert lapsed({20}, [OLD, NEW]) == []


def test_index_finds_decisions_by_any_record() -> None:
    index = DecisionIndex.build([NEW, OLD])
    assert index.touching({12}) == [NEW]
    assert index.touching({11, 99}) == [OLD, NEW]
    assert index.touching({99}) == []
