"""The review queue and the side-by-side explanation of a pair (pure functions)."""

from __future__ import annotations

import math

import pandas as pd

from aban.linkage.comparisons import AFFIX_LABEL, ONE_NAME_LABEL
from aban.linkage.review import (
    AFFIX_DETAIL,
    ONE_NAME_DETAIL,
    Comparison,
    FieldRow,
    ScoredPair,
    comparison_columns,
    explain_pair,
    scored_pairs,
    uncertain_band,
)
from aban.text.spellings import learn_spellings


def pairs_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "key_l": ["a", "a", "b", "c"],
            "key_r": ["b", "c", "c", "d"],
            "match_probability": [0.95, 0.45, 0.6, float("nan")],
            "match_weight": [4.2, -0.3, 0.6, float("nan")],
            "given_level": ["same spelling", "different", "missing", ""],
            "given_weight": [3.5, -2.0, 0.0, 0.0],
            "place_level": ["same city", "same province", "different", ""],
            "place_weight": [1.5, 0.5, float("nan"), 0.0],
        }
    )


def test_comparison_columns_pair_levels_with_weights() -> None:
    columns = list(pairs_frame().columns) + ["age_weight"]
    assert comparison_columns(columns) == {
        "given": ("given_level", "given_weight"),
        "place": ("place_level", "place_weight"),
        "age": (None, "age_weight"),
    }


def test_scored_pairs_read_the_engine_table() -> None:
    found = scored_pairs(pairs_frame())
    assert len(found) == 3  # no probability, no pair
    assert found[1] == ScoredPair(
        "a",
        "c",
        0.45,
        -0.3,
        (
            Comparison("given", "different", -2.0),
            Comparison("place", "same province", 0.5),
        ),
    )
    assert found[2].comparisons[1] == Comparison("place", "different", None)


def sp(a: str, b: str, p: float) -> ScoredPair:
    return ScoredPair(a, b, p, math.log2(p / (1 - p)))


def test_band_is_ordered_by_closeness_to_one_half() -> None:
    pairs = [
        sp("a", "b", 0.95),
        sp("a", "c", 0.3),
        sp("b", "c", 0.55),
        sp("c", "d", 0.2),
        sp("d", "e", 0.9),
        sp("e", "f", 0.1),
        sp("a", "f", 0.45),
        sp("0", "z", 0.55),
    ]
    band = uncertain_band(pairs)
    assert [(p.key_a, p.key_b) for p in band] == [
        ("0", "z"),  # 0.45 and 0.55 are as close: keys break the tie
        ("a", "f"),
        ("b", "c"),
        ("a", "c"),
        ("c", "d"),
        ("d", "e"),
    ]
    narrow = uncertain_band(pairs, low=0.4, high=0.6)
    assert [p.probability for p in narrow] == [0.55, 0.45, 0.55]


def test_band_leaves_out_decided_pairs_in_either_order() -> None:
    pairs = [sp("a", "b", 0.5), sp("c", "d", 0.6)]
    band = uncertain_band(pairs, decided={frozenset(("b", "a"))})
    assert [(p.key_a, p.key_b) for p in band] == [("c", "d")]


def test_explain_pair_side_by_side_without_protected_fields() -> None:
    pair = ScoredPair(
        "a",
        "b",
        0.5,
        0.0,
        (
            Comparison("given", "same skeleton", 2.25),
            Comparison("dod", "within 1 days", 1.0),
            Comparison("place", "same city", 1.5),
            Comparison("sex", "missing", 0.0),
            Comparison("extra_thing", "else", -1.0),
        ),
    )
    a = {
        "given_name": "Ali",
        "date_of_death": "2019-11-16",
        "city": "Shiraz",
        "informant": "Secret Witness",
        "contact": "+00",
        "notes_private": "note",
        "age": 23,
    }
    b = {"given_name": "علی", "date_of_death": "2019-11-17", "city": "شیراز"}
    rows = explain_pair(pair, a, b)
    assert rows == [
        FieldRow("given_name", "Ali", "علی", "same skeleton", 2.25),
        FieldRow("sex", "", "", "missing", 0.0),
        FieldRow("age", "23", "", None, None),
        FieldRow("date_of_death", "2019-11-16", "2019-11-17", "within 1 days", 1.0),
        FieldRow("city", "Shiraz", "شیراز", "same city", 1.5),
        FieldRow("extra_thing", "", "", "else", -1.0),
    ]
    shown = " ".join(f"{r.field} {r.value_a} {r.value_b}" for r in rows)
    for secret in ("informant", "Secret", "contact", "+00", "note"):
        assert secret not in shown


def test_a_learned_spelling_is_explained_by_its_letters() -> None:
    # Issue 16: the review says which learned letters tell the spellings apart.
    learned = learn_spellings(
        [("bqr", "bqr")] * 20 + [("bqr", "bgr")] * 6 + [("Shbz", "Chbz")] * 6
    )
    pair = ScoredPair(
        "a",
        "b",
        0.6,
        0.5,
        (
            Comparison("given", "same sound", 3.0),
            Comparison("family", "learned spelling", 6.5),
        ),
    )
    a = {"given_name": "Hadi", "family_name": "باقری"}
    b = {"full_name": "Hadi Bageri"}
    rows = {r.field: r for r in explain_pair(pair, a, b, learned)}
    assert rows["family_name"] == FieldRow(
        "family_name",
        "باقری",
        "",
        "learned spelling",
        6.5,
        "spellings that differ in ways seen in confident matches: g/gh/q",
    )
    assert rows["given_name"].detail == ""
    unexplained = {r.field: r for r in explain_pair(pair, a, b)}
    assert unexplained["family_name"].detail == (
        "spellings that differ in ways seen in confident matches"
    )


def test_a_one_name_record_against_a_family_name_is_explained() -> None:
    # Issue 16: a one-name record is weighed against the other's family name.
    pair = ScoredPair("a", "b", 0.6, 0.5, (Comparison("family", ONE_NAME_LABEL, 9.0),))
    a = {"full_name": "Karimi"}
    b = {"given_name": "Ali", "family_name": "Karimi"}
    rows = {r.field: r for r in explain_pair(pair, a, b)}
    assert rows["family_name"].level == ONE_NAME_LABEL
    assert rows["family_name"].detail == ONE_NAME_DETAIL
    assert ONE_NAME_DETAIL.startswith("one record gives one name only")


def test_one_stem_with_another_suffix_is_explained() -> None:
    # Issue 16: the level of Latifkar against Latifpour says why it is not a slip.
    pair = ScoredPair("a", "b", 0.1, -3.0, (Comparison("family", AFFIX_LABEL, 2.0),))
    a = {"family_name": "Latifkar"}
    b = {"family_name": "Latifpour"}
    rows = {r.field: r for r in explain_pair(pair, a, b)}
    assert rows["family_name"].detail == AFFIX_DETAIL
    assert AFFIX_DETAIL.startswith("one stem with another prefix or suffix")
