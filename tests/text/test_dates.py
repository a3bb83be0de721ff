"""Tests for Gregorian and Solar Hijri dates (aban.text.dates)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aban.text import (
    DateError,
    VocabularyError,
    format_jalali,
    gregorian_to_jalali,
    jalali_to_gregorian,
    parse_date,
)

UNREADABLE = (
    "not a date in any accepted layout (ISO 2019-11-16, day-first 16/11/2019, "
    "Solar Hijri 1398/08/25)"
)
IMPOSSIBLE = (
    "no such day in the calendar (months run 1 to 12; the day must fit the "
    "month, and 29 February and 30 Esfand exist only in leap years)"
)
NOV_16 = dt.date(2019, 11, 16)

FIRST_DAY = jalali_to_gregorian(1300, 1, 1)
LAST_DAY = jalali_to_gregorian(1450, 12, 29)


@pytest.mark.parametrize(
    ("jalali", "gregorian"),
    [
        ((1398, 8, 25), dt.date(2019, 11, 16)),
        ((1398, 8, 24), dt.date(2019, 11, 15)),
        ((1399, 1, 1), dt.date(2020, 3, 20)),
        ((1398, 1, 1), dt.date(2019, 3, 21)),
        ((1399, 12, 30), dt.date(2021, 3, 20)),
        ((1403, 12, 30), dt.date(2025, 3, 20)),
        ((1404, 1, 1), dt.date(2025, 3, 21)),
        ((1300, 1, 1), dt.date(1921, 3, 21)),
    ],
)
def test_calendar_anchors(jalali: tuple[int, int, int], gregorian: dt.date) -> None:
    assert jalali_to_gregorian(*jalali) == gregorian
    assert gregorian_to_jalali(gregorian) == jalali


def test_every_day_1300_to_1450_round_trips_in_order() -> None:
    day, jalali = FIRST_DAY, (1300, 1, 1)
    count = 0
    while day <= LAST_DAY:
        assert gregorian_to_jalali(day) == jalali
        assert jalali_to_gregorian(*jalali) == day
        day += dt.timedelta(days=1)
        jalali = _next_jalali(jalali, gregorian_to_jalali(day))
        count += 1
    assert jalali == (1451, 1, 1)
    assert count == 55152  # 151 years, 37 of them leap: 151 * 365 + 37


def _next_jalali(
    current: tuple[int, int, int], converted: tuple[int, int, int]
) -> tuple[int, int, int]:
    """The day after ``current``, checked against the converter's answer."""
    y, m, d = current
    candidates = [(y, m, d + 1), (y, m + 1, 1), (y + 1, 1, 1)]
    assert converted in candidates
    if converted[2] == 1:  # a month ended: it had the right length
        length = 31 if m <= 6 else 30 if m <= 11 else d
        assert d == length and (m < 12 or d in (29, 30))
    return converted


@settings(max_examples=300)
@given(st.dates(min_value=FIRST_DAY, max_value=LAST_DAY))
def test_round_trip_property(day: dt.date) -> None:
    assert jalali_to_gregorian(*gregorian_to_jalali(day)) == day
    assert parse_date(format_jalali(day)) == day
    assert parse_date(format_jalali(day, persian_digits=True)) == day


@pytest.mark.parametrize(
    ("day", "persian_digits", "expected"),
    [
        (NOV_16, False, "1398/08/25"),
        (NOV_16, True, "۱۳۹۸/۰۸/۲۵"),
        (dt.date(2020, 3, 20), False, "1399/01/01"),
    ],
)
def test_format_jalali(day: dt.date, persian_digits: bool, expected: str) -> None:
    assert format_jalali(day, persian_digits=persian_digits) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2019-11-16",
        "2019/11/16",
        "2019.11.16",
        "2019-11-16 10:30:00",
        "2019-11-16T10:30:00Z",
        "16/11/2019",
        "16-11-2019",
        "16.11.2019",
        "16 November 2019",
        "16 november 2019",
        "16 Nov 2019",
        "16 Nov. 2019",
        "16th November 2019",
        "November 16, 2019",
        "Nov 16 2019",
        "1398/08/25",
        "1398-8-25",
        "25/08/1398",
        "۱۳۹۸/۸/۲۵",
        "۱۳۹۸٫۰۸٫۲۵",
        "١٣٩٨/٠٨/٢٥",
        "٢٠١٩-١١-١٦",
        "۲۵ آبان ۱۳۹۸",
        "25 Aban 1398",
        "25 ABAN 1398",
        "Aban 25, 1398",
        "۱۶ نوامبر ۲۰۱۹",
        "\u200f۲۵ آبان ۱۳۹۸\u200f",
        "  2019-11-16  ",
    ],
)
def test_parse_date_layouts(text: str) -> None:
    assert parse_date(text) == NOV_16


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("۱ فروردین ۱۳۹۹", dt.date(2020, 3, 20)),
        ("15 Ordibehesht 1398", dt.date(2019, 5, 5)),
        ("۲۵ اردیبهشت ۱۳۹۸", dt.date(2019, 5, 15)),
        ("1 Khordad 1398", dt.date(2019, 5, 22)),
        ("1 Tir 1398", dt.date(2019, 6, 22)),
        ("1 Mordad 1398", dt.date(2019, 7, 23)),
        ("1 Shahrivar 1398", dt.date(2019, 8, 23)),
        ("1 Mehr 1398", dt.date(2019, 9, 23)),
        ("1 Azar 1398", dt.date(2019, 11, 22)),
        ("۱ آذر ۱۳۹۸", dt.date(2019, 11, 22)),
        ("1 Dey 1398", dt.date(2019, 12, 22)),
        ("1 Bahman 1398", dt.date(2020, 1, 21)),
        ("1 Esfand 1398", dt.date(2020, 2, 20)),
        ("30 Esfand 1399", dt.date(2021, 3, 20)),
        ("29 February 2020", dt.date(2020, 2, 29)),
        ("1 Sept 2019", dt.date(2019, 9, 1)),
        ("31 Dec 2019", dt.date(2019, 12, 31)),
        ("1 ژانویه 2020", dt.date(2020, 1, 1)),
    ],
)
def test_parse_date_month_names(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", " ", "\u200f", "\t\n"])
def test_parse_date_empty(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "hello",
        "16 Foo 2019",
        "16/11/19",
        "2019-11",
        "2019-11-16x",
        "2019-11/16",
        "201-11-16",
        "16 Nov 19",
        "16112019",
        "2019-11-16 25h",
    ],
)
def test_parse_date_unparseable(text: str) -> None:
    with pytest.raises(DateError) as info:
        parse_date(text)
    assert info.value.code == "date-unparseable"
    assert str(info.value) == UNREADABLE


@pytest.mark.parametrize(
    "text",
    [
        "1398/13/40",
        "1398/12/30",
        "30 Esfand 1398",
        "1398/00/10",
        "1398/08/00",
        "1398/07/31",
        "2019-02-30",
        "2019-00-10",
        "2019-11-31",
        "29/02/2019",
        "11/16/2019",
        "0000-01-01",
        "32 Aban 1398",
    ],
)
def test_parse_date_impossible(text: str) -> None:
    with pytest.raises(DateError) as info:
        parse_date(text)
    assert info.value.code == "date-impossible"
    assert str(info.value) == IMPOSSIBLE


def test_date_error_is_a_vocabulary_and_value_error() -> None:
    with pytest.raises(VocabularyError):
        parse_date("hello")
    with pytest.raises(ValueError):
        jalali_to_gregorian(1398, 12, 30)


def test_gregorian_to_jalali_out_of_range() -> None:
    with pytest.raises(DateError) as info:
        gregorian_to_jalali(dt.date(9999, 12, 31))
    assert info.value.code == "date-impossible"
    assert str(info.value) == "outside the Solar Hijri years 1 to 9377"


def test_messages_do_not_echo_input() -> None:
    secret = "Secretname 1398"
    with pytest.raises(DateError) as info:
        parse_date(secret)
    assert "Secretname" not in str(info.value)
