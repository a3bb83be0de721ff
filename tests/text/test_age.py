"""Tests for ages (aban.text.age)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aban.text import VocabularyError, parse_age

NOT_A_NUMBER = (
    "not an age in years (write a number such as 17 or ۱۷, optionally with a "
    "unit, 'about' or a range such as 20-25)"
)
OUT_OF_RANGE = "age outside 0 to 120 years"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17", 17),
        ("۱۷", 17),
        ("١٧", 17),
        (" 17 ", 17),
        ("0", 0),
        ("120", 120),
        ("17 years", 17),
        ("17 Years", 17),
        ("17 year", 17),
        ("17 yrs", 17),
        ("17yrs", 17),
        ("17 years old", 17),
        ("aged 17", 17),
        ("۱۷ سال", 17),
        ("17 ساله", 17),
        ("۱۷ساله", 17),
        ("about 20", 20),
        ("About 20", 20),
        ("around 20", 20),
        ("approx. 20", 20),
        ("ca. 20", 20),
        ("~20", 20),
        ("~ 20", 20),
        ("حدود ۲۰", 20),
        ("حدوداً ۲۰ سال", 20),
        ("20-25", 22),
        ("20 - 26", 23),
        ("20–25", 22),
        ("20 to 25", 22),
        ("۲۰ تا ۲۵", 22),
        ("۲۰-۲۵ سال", 22),
        ("6 months", 0),
        ("6 month", 0),
        ("۶ ماه", 0),
        ("۶ ماهه", 0),
        ("3 weeks", 0),
        ("10 days", 0),
        ("17 years 6 months", 17),
        ("۱۷ سال و ۶ ماه", 17),
        ("17.5", 17),
        ("۱۷٫۵", 17),
    ],
)
def test_parse_age(text: str, expected: int) -> None:
    assert parse_age(text) == expected


@pytest.mark.parametrize("text", ["", " ", "\u200f"])
def test_parse_age_empty(text: str) -> None:
    assert parse_age(text) is None


@pytest.mark.parametrize(
    "text", ["abc", "seventeen", "17 17", "20-", "1e3", "17 kg", "۱۷ کیلو"]
)
def test_parse_age_not_a_number(text: str) -> None:
    with pytest.raises(VocabularyError) as info:
        parse_age(text)
    assert info.value.code == "age-not-a-number"
    assert str(info.value) == NOT_A_NUMBER


@pytest.mark.parametrize("text", ["-1", "121", "۱۲۰۰", "100-130", "999999999999999999"])
def test_parse_age_out_of_range(text: str) -> None:
    with pytest.raises(VocabularyError) as info:
        parse_age(text)
    assert info.value.code == "age-out-of-range"
    assert str(info.value) == OUT_OF_RANGE


@given(st.integers(min_value=0, max_value=120))
def test_every_age_in_range_reads_back(age: int) -> None:
    persian = str(age).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert parse_age(str(age)) == age
    assert parse_age(f"{persian} سال") == age
    assert parse_age(f"{age} years") == age


@given(st.integers(min_value=0, max_value=120), st.integers(min_value=0, max_value=120))
def test_range_is_midpoint_rounded_down(low: int, high: int) -> None:
    assert parse_age(f"{low}-{high}") == (low + high) // 2
