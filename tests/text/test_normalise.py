"""Tests for display and matching forms of text (aban.text.normalise, digits)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aban.text import (
    clean_text,
    fold_persian,
    normalise_digits,
    normalise_name,
    script_of,
)
from tests.text.strategies import PERSIAN_LETTERS, persian_words, texts

ZWNJ = "\u200c"

# Synthetic names only.
ARABIC_TO_PERSIAN = {"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("۰۱۲۳۴۵۶۷۸۹", "0123456789"),
        ("٠١٢٣٤٥٦٧٨٩", "0123456789"),
        ("۱۳۹۸/۰۸/۲۵", "1398/08/25"),
        ("۱٫۵", "1.5"),
        ("۱٬۵۰۰", "1,500"),
        ("abc 12", "abc 12"),
        ("", ""),
    ],
)
def test_normalise_digits(raw: str, expected: str) -> None:
    assert normalise_digits(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Sara   Test \n", "Sara Test"),
        ("a\tb\r\nc", "a b c"),
        ("\u200fنگار\u200e", "نگار"),
        ("\u202bنگار\u202c \u2067x\u2069", "نگار x"),
        ("\u061cabc\ufeff", "abc"),
        ("a\x00b\x07c\x9f", "abc"),
        ("دستان\u200cخواه", "دستان\u200cخواه"),
        ("دستان\u200c\u200cخواه", "دستان\u200cخواه"),
        ("\u200cدستان \u200cخواه\u200c", "دستان خواه"),
        ("Jose\u0301", "José"),
        ("a\u00a0\u2003b", "a b"),
        ("Ali\u200b", "Ali"),
        ("\u200c", ""),
        ("", ""),
    ],
)
def test_clean_text(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("علي", "علی"),
        ("مصطفى", "مصطفی"),
        ("كاظم", "کاظم"),
        ("فاطمة", "فاطمه"),
        ("خانهٔ", "خانه"),
        ("خانۀ", "خانه"),
        ("أحمد", "احمد"),
        ("إبراهيم", "ابراهیم"),
        ("آرش", "ارش"),
        ("ٱمید", "امید"),
        ("مؤمن", "مومن"),
        ("سائل", "سایل"),
        ("مُحَمَّد", "محمد"),
        ("محـــمد", "محمد"),
        ("رحمٰن", "رحمن"),
        ("محمد\u200cرضا", "محمدرضا"),
        ("محمد\u200dرضا", "محمدرضا"),
        ("\u200fمحمد  رضا\u200f", "محمد رضا"),
        ("ﻣﺤﻤﺪ", "محمد"),
        ("۱۳۹۸", "1398"),
        ("Ali", "Ali"),
    ],
)
def test_fold_persian(raw: str, expected: str) -> None:
    assert fold_persian(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Mohammad-Reza", "mohammad reza"),
        ("Mohammad Reza", "mohammad reza"),
        ("Mohammadreza", "mohammadreza"),
        ("Ra'na", "rana"),
        ("Ra’na", "rana"),
        ("Raʼna", "rana"),
        ("Ra`na", "rana"),
        ("Ra´na", "rana"),
        ("ZOHREH", "zohreh"),
        ("Zöhrē", "zohre"),
        ("S. Test_Name", "s test name"),
        ("Straße", "strasse"),
        ("  Mina   Test  ", "mina test"),
        ("علي", "علی"),
        ("دستان\u200cخواه", "دستانخواه"),
        ("دستان-خواه", "دستان خواه"),
        ("دستان خواه", "دستان خواه"),
        ("سيد علي Test-Name", "سید علی test name"),
        ("ﻣﺤﻤﺪ", "محمد"),
        ("", ""),
        ("\u200f", ""),
    ],
)
def test_normalise_name(raw: str, expected: str) -> None:
    assert normalise_name(raw) == expected


def test_compound_variants_documented_behaviour() -> None:
    joined, zwnj, spaced, hyphen = "محمدرضا", "محمد\u200cرضا", "محمد رضا", "محمد-رضا"
    assert normalise_name(zwnj) == normalise_name(joined) == "محمدرضا"
    assert normalise_name(spaced) == normalise_name(hyphen) == "محمد رضا"
    assert normalise_name(joined) != normalise_name(spaced)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("علی", "persian"),
        ("علي", "persian"),
        ("Ali", "latin"),
        ("José", "latin"),
        ("Ali علی", "mixed"),
        ("Иван", "mixed"),
        ("۱۳۹۸ - 12", ""),
        ("\u064e\u200c", ""),
        ("", ""),
        ("علی 17", "persian"),
    ],
)
def test_script_of(raw: str, expected: str) -> None:
    assert script_of(raw) == expected


@settings(max_examples=400)
@given(texts)
def test_normalisers_are_idempotent(s: str) -> None:
    for func in (clean_text, fold_persian, normalise_name, normalise_digits):
        once = func(s)
        assert func(once) == once, func.__name__


@settings(max_examples=300)
@given(texts)
def test_clean_text_output_is_nfc_and_trimmed(s: str) -> None:
    cleaned = clean_text(s)
    assert unicodedata.is_normalized("NFC", cleaned)
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned
    assert not cleaned.startswith(ZWNJ) and not cleaned.endswith(ZWNJ)


@settings(max_examples=300)
@given(texts)
def test_name_form_ignores_display_cleaning(s: str) -> None:
    assert normalise_name(clean_text(s)) == normalise_name(s)


@settings(max_examples=300)
@given(st.lists(persian_words, min_size=1, max_size=3))
def test_arabic_letter_spellings_give_same_name(words: list[str]) -> None:
    persian = " ".join(words)
    arabic = persian
    for arabic_letter, persian_letter in ARABIC_TO_PERSIAN.items():
        arabic = arabic.replace(persian_letter, arabic_letter)
    assert normalise_name(arabic) == normalise_name(persian)
    assert fold_persian(arabic) == fold_persian(persian)


@settings(max_examples=300)
@given(
    persian_words,
    st.lists(
        st.sampled_from(["\u200c", "\u0640", "\u064e", "\u0650", "\u0651", "\u200f"]),
        min_size=1,
        max_size=4,
    ),
    st.data(),
)
def test_invisible_and_marks_change_nothing(
    word: str, extras: list[str], data: st.DataObject
) -> None:
    decorated = word
    for extra in extras:
        at = data.draw(st.integers(min_value=1, max_value=len(decorated)))
        decorated = decorated[:at] + extra + decorated[at:]
    assert normalise_name(decorated) == normalise_name(word)
    assert fold_persian(decorated) == fold_persian(word)


def test_persian_letters_are_fixed_points() -> None:
    assert fold_persian(PERSIAN_LETTERS) == PERSIAN_LETTERS
    assert normalise_name(PERSIAN_LETTERS) == PERSIAN_LETTERS
