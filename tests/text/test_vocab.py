"""Tests for the sex and status vocabularies (aban.text.vocab)."""

from __future__ import annotations

import pytest

from aban.text import VocabularyError, parse_sex, parse_status
from aban.vocab.columns import STATUSES

SEX_UNKNOWN = "not a known sex (use m or f, male or female, مرد or زن)"
STATUS_UNKNOWN = (
    "not a known status (use killed, injured, detained, disappeared, executed "
    "or died_in_custody, or a synonym such as dead, arrested or missing)"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *[(t, "m") for t in ("m", "M", " m ", "male", "Male", "MAN", "boy", "مرد")],
        *[(t, "m") for t in ("پسر", "مذکر", "آقا")],
        *[(t, "f") for t in ("f", "F", "female", "Female", "woman", "GIRL", "زن")],
        *[(t, "f") for t in ("دختر", "مونث", "مؤنث", "خانم", "\u200fزن\u200f")],
    ],
)
def test_parse_sex(text: str, expected: str) -> None:
    assert parse_sex(text) == expected


@pytest.mark.parametrize("text", ["", "  ", "\u200f"])
def test_parse_sex_empty(text: str) -> None:
    assert parse_sex(text) is None


@pytest.mark.parametrize("text", ["x", "mf", "1", "males"])
def test_parse_sex_unknown(text: str) -> None:
    with pytest.raises(VocabularyError) as info:
        parse_sex(text)
    assert info.value.code == "sex-unknown"
    assert str(info.value) == SEX_UNKNOWN


STATUS_TABLE = {
    "killed": [
        "killed",
        "Killed",
        "dead",
        "DIED",
        "death",
        "deceased",
        "shot dead",
        "shot-dead",
        "Shot_Dead",
        "murdered",
        "fallen",
        "کشته",
        "کشته شده",
        "جان‌باخته",
        "جانباخته",
        "جان باخته",
    ],
    "injured": ["injured", "wounded", "Wounded", "زخمی", "مجروح"],
    "detained": [
        "detained",
        "arrested",
        "imprisoned",
        "in custody",
        "in-custody",
        "بازداشت",
        "بازداشت شده",
        "بازداشت‌شده",
        "زندانی",
    ],
    "disappeared": [
        "disappeared",
        "missing",
        "forcibly disappeared",
        "Forcibly-Disappeared",
        "ناپدید",
        "مفقود",
    ],
    "executed": ["executed", "EXECUTED", "اعدام", "اعدام شده", "اعدام‌شده"],
    "died_in_custody": [
        "died_in_custody",
        "died in custody",
        "Died-In-Custody",
        "death in custody",
        "مرگ در بازداشت",
        "جان باخته در بازداشت",
        "جان‌باخته در بازداشت",
    ],
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [(text, status) for status, texts in STATUS_TABLE.items() for text in texts],
)
def test_parse_status(text: str, expected: str) -> None:
    assert parse_status(text) == expected


def test_every_status_is_covered_and_reads_itself() -> None:
    assert set(STATUS_TABLE) == set(STATUSES)
    for status in STATUSES:
        assert parse_status(status) == status


@pytest.mark.parametrize("text", ["", " ", "\u200c"])
def test_parse_status_empty(text: str) -> None:
    assert parse_status(text) is None


@pytest.mark.parametrize("text", ["alive", "released", "kill", "سالم"])
def test_parse_status_unknown(text: str) -> None:
    with pytest.raises(VocabularyError) as info:
        parse_status(text)
    assert info.value.code == "status-unknown"
    assert str(info.value) == STATUS_UNKNOWN


def test_vocabulary_error_is_value_error_with_code() -> None:
    err = VocabularyError("sex-unknown")
    assert isinstance(err, ValueError)
    assert err.code == "sex-unknown"
    assert str(VocabularyError("sex-unknown", "custom")) == "custom"


@pytest.mark.parametrize(
    "word", ["unknown", "Unknown", "N/A", "?", "نامعلوم", "نامشخص"]
)
def test_words_for_not_known_read_as_empty(word: str) -> None:
    from aban.text import parse_age, parse_date

    assert parse_sex(word) is None
    assert parse_status(word) is None
    assert parse_age(word) is None
    assert parse_date(word) is None
