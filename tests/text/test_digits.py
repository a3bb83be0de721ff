"""The one digit table (aban.text.digits): Persian digits and separators both ways."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from aban.text import normalise_digits, persian_digits, persian_number


def test_persian_digits_writes_digits_only() -> None:
    assert persian_digits("1398/08/25, 1.5") == "۱۳۹۸/۰۸/۲۵, ۱.۵"
    assert persian_digits("no digits") == "no digits"


def test_persian_number_writes_digits_and_separators() -> None:
    assert persian_number("1,500") == "۱٬۵۰۰"
    assert persian_number("87.3") == "۸۷٫۳"
    assert persian_number("-1,234,567.89") == "-۱٬۲۳۴٬۵۶۷٫۸۹"


@given(st.floats(allow_nan=False, allow_infinity=False), st.integers(0, 4))
def test_normalise_digits_reads_back_persian_numbers(
    value: float, decimals: int
) -> None:
    text = f"{value:,.{decimals}f}"
    assert normalise_digits(persian_number(text)) == text
    assert normalise_digits(persian_digits(text)) == text
