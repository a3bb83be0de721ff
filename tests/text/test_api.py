"""The public API of aban.text."""

from __future__ import annotations

import aban.text

EXPECTED = [
    "DateError",
    "VocabularyError",
    "clean_text",
    "fold_persian",
    "format_jalali",
    "gregorian_to_jalali",
    "jalali_to_gregorian",
    "normalise_digits",
    "normalise_name",
    "parse_age",
    "parse_date",
    "parse_sex",
    "parse_status",
    "persian_digits",
    "persian_number",
    "script_of",
]


def test_all_is_sorted_and_complete() -> None:
    assert aban.text.__all__ == sorted(aban.text.__all__)
    for name in EXPECTED:
        assert name in aban.text.__all__
        assert hasattr(aban.text, name)


def test_error_hierarchy() -> None:
    assert issubclass(aban.text.DateError, aban.text.VocabularyError)
    assert issubclass(aban.text.VocabularyError, ValueError)
