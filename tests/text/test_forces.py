"""Alleged perpetrator forces: phrases in both scripts to stable keys."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aban.text import FORCES, force_key, parse_forces
from aban.text.forces import known_forces
from tests.text.strategies import texts

ZWNJ = "\u200c"


def test_the_keys_in_their_order() -> None:
    assert FORCES == (
        "security_forces",
        "police",
        "irgc",
        "basij",
        "plainclothes",
        "military",
        "intelligence",
    )


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("security forces", "security_forces"),
        ("Security Forces", "security_forces"),
        ("نیروهای امنیتی", "security_forces"),
        ("مأموران امنیتی", "security_forces"),
        ("police", "police"),
        ("Riot police", "police"),
        ("anti-riot police", "police"),
        ("FARAJA", "police"),
        ("NAJA", "police"),
        ("پلیس", "police"),
        ("ناجا", "police"),
        ("فراجا", "police"),
        ("یگان ویژه", "police"),
        ("نیروی انتظامی", "police"),
        ("IRGC", "irgc"),
        ("Revolutionary Guards", "irgc"),
        ("Islamic Revolutionary Guard Corps", "irgc"),
        ("Pasdaran", "irgc"),
        ("سپاه", "irgc"),
        ("سپاه پاسداران", "irgc"),
        ("اطلاعات سپاه", "irgc"),  # IRGC intelligence: the IRGC, not the ministry
        ("Basij", "basij"),
        ("Basij militia", "basij"),
        ("بسیج", "basij"),
        ("بسیجی", "basij"),
        ("plainclothes", "plainclothes"),
        ("plain-clothes agents", "plainclothes"),
        ("plain clothes", "plainclothes"),
        ("لباس شخصی", "plainclothes"),
        ("army", "military"),
        ("ارتش", "military"),
        ("Ministry of Intelligence and Security", "intelligence"),
        ("وزارت اطلاعات", "intelligence"),
        ("irgc", "irgc"),
        ("security_forces", "security_forces"),
    ],
)
def test_one_force_in_either_script(text: str, key: str) -> None:
    assert parse_forces(text) == (key,)
    assert force_key(text) == key


@pytest.mark.parametrize(
    "text",
    [
        "نیروهاي بسيج",  # Arabic yeh
        "بسیجی\u200cها",  # ZWNJ before the plural suffix
        "بسیجیها",  # the suffix joined
        "بسیجی ها",  # the suffix spaced
        "\u200fبسیج\u200c ",  # direction mark and an edge ZWNJ
    ],
)
def test_arabic_letter_forms_and_zwnj_variants(text: str) -> None:
    assert parse_forces(text) == ("basij",)


@pytest.mark.parametrize(
    "text", ["لباس\u200cشخصی", "لباس شخصی", "لباسشخصی", "لباس\u200cشخصی\u200cها"]
)
def test_a_compound_with_zwnj_space_or_joined_is_one_phrase(text: str) -> None:
    assert force_key(text) == "plainclothes"


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("IRGC and Basij", ("irgc", "basij")),
        ("Basij and IRGC", ("irgc", "basij")),  # the order of FORCES, not as written
        ("سپاه و بسیج", ("irgc", "basij")),
        ("بسیج، سپاه", ("irgc", "basij")),
        ("FARAJA/NAJA", ("police",)),  # one force named twice
        ("security and police forces", ("security_forces", "police")),
        ("نیروهای امنیتی و انتظامی", ("security_forces", "police")),
        ("police or Basij", ("police", "basij")),
        ("Basij militia (IRGC)", ("irgc", "basij")),
        ("IRGC, plainclothes agents; army", ("irgc", "plainclothes", "military")),
        ("shot by security forces from rooftops", ("security_forces",)),
    ],
)
def test_several_forces_in_one_cell_are_all_kept(
    text: str, keys: tuple[str, ...]
) -> None:
    assert parse_forces(text) == keys
    assert force_key(text) == ";".join(keys)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "  ",
        "unknown",
        "Unknown",
        "n/a",
        "نامعلوم",
        "نامشخص",
        "unidentified forces",
        "نیروهای ناشناس",
        "unknown; نامعلوم",
    ],
)
def test_words_for_not_known_name_no_force(text: str) -> None:
    assert parse_forces(text) == ()
    assert force_key(text) is None


def test_unrecognized_text_is_kept_as_written() -> None:
    assert parse_forces("  Unit   12 ") == ("Unit 12",)
    assert force_key("fired from a  rooftop") == "fired from a rooftop"
    assert parse_forces("IRGC and Unit 12") == ("irgc", "Unit 12")
    assert parse_forces("Unit 12, IRGC, unknown") == ("irgc", "Unit 12")
    assert parse_forces("Unit 12 / Unit 12") == ("Unit 12",)
    assert known_forces("IRGC and Unit 12") == ("irgc",)
    assert known_forces("Unit 12") == ()


def test_a_stored_value_reads_back_the_same() -> None:
    for text in ["IRGC and Basij", "irgc;Unit 12", "سپاه، پلیس", "Unit 12"]:
        stored = force_key(text)
        assert stored is not None
        assert parse_forces(stored) == parse_forces(text)


@settings(max_examples=300)
@given(st.lists(st.one_of(texts, st.sampled_from(["IRGC", "بسیج", " و ", "/"]))))
def test_the_stored_form_is_idempotent(parts: list[str]) -> None:
    stored = force_key("".join(parts))
    if stored is not None:
        assert force_key(stored) == stored
        assert set(known_forces(stored)) <= set(FORCES)


@pytest.mark.parametrize(
    "text", ["IRGC:آطلآعآت", "IRGC/intelligence", "سپاه، اطلاعات", "IRGC; intelligence"]
)
def test_stored_keys_never_merge_into_a_longer_phrase(text: str) -> None:
    """``irgc;intelligence`` reads back as two forces, not as the phrase "IRGC
    intelligence" (found by the property above on a busy CI-like run)."""
    assert force_key(text) == "irgc;intelligence"
    assert force_key("irgc;intelligence") == "irgc;intelligence"
