"""Dates in Gregorian and Solar Hijri (Jalali) calendars.

Numeric dates are read year-month-day when the year comes first (``2019-11-16``,
``1398/08/25``) and day-month-year when it comes last (``16/11/2019``), or
month-day-year when told so (``11/16/2019``, a list in US format: see
:func:`numeric_order`); a year below 1700 is Solar Hijri. With a month name, the
name gives the calendar (``16 November 2019``, ``25 Aban 1398``,
``۲۵ آبان ۱۳۹۸``). Conversion between the calendars uses jdatetime, whose leap years
follow the official Iranian calendar.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

import jdatetime

from aban.text import digits
from aban.text.digits import normalise_digits
from aban.text.normalise import fold_persian
from aban.text.vocab import VocabularyError, is_unknown

#: Numeric dates whose year is below this are Solar Hijri.
JALALI_YEAR_LIMIT = 1700

Calendar = Literal["gregorian", "jalali"]
#: The order of day and month in a numeric date whose year comes last.
DateOrder = Literal["day-first", "month-first"]
DATE_ORDERS: tuple[DateOrder, ...] = ("day-first", "month-first")
#: What a numeric date admits (:func:`numeric_order`): one order only, either, or
#: either with the same result (day and month the same number).
OrderKind = Literal["day-first", "month-first", "either", "same"]

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_NUMERIC_RE = re.compile(
    rf"(\d{{1,4}})\s*([-/.])\s*(\d{{1,2}})\s*\2\s*(\d{{1,4}}){_TIME}", re.ASCII
)
_WORD = r"[^\W\d_]+(?:\s[^\W\d_]+)?"
_DAY_MONTH_YEAR_RE = re.compile(
    rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s*(?P<month>{_WORD})\.?,?\s*(?P<year>\d{{4}})"
)
_MONTH_DAY_YEAR_RE = re.compile(
    rf"(?P<month>{_WORD})\.?\s*(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s*(?P<year>\d{{4}})"
)

_DAY_MONTH_RE = re.compile(
    rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s*(?P<month>{_WORD})\.?"
)
_MONTH_DAY_RE = re.compile(
    rf"(?P<month>{_WORD})\.?\s*(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
)

_GREGORIAN_MONTHS = (
    ("january", "jan", "ژانویه"),
    ("february", "feb", "فوریه"),
    ("march", "mar", "مارس"),
    ("april", "apr", "آوریل", "آپریل"),
    ("may", "مه", "می"),
    ("june", "jun", "ژوئن", "جون"),
    ("july", "jul", "ژوئیه", "جولای"),
    ("august", "aug", "اوت", "آگوست", "اگوست"),
    ("september", "sep", "sept", "سپتامبر"),
    ("october", "oct", "اکتبر"),
    ("november", "nov", "نوامبر"),
    ("december", "dec", "دسامبر"),
)
_JALALI_MONTHS = (
    ("farvardin", "فروردین"),
    ("ordibehesht", "ardibehesht", "اردیبهشت"),
    ("khordad", "خرداد"),
    ("tir", "تیر"),
    ("mordad", "amordad", "مرداد", "امرداد"),
    ("shahrivar", "شهریور"),
    ("mehr", "مهر"),
    ("aban", "آبان"),
    ("azar", "آذر"),
    ("dey", "dei", "دی"),
    ("bahman", "بهمن"),
    ("esfand", "esfand", "isfand", "اسفند"),
)


def _month_key(word: str) -> str:
    return fold_persian(word).casefold().replace(" ", "")


def _month_table() -> dict[str, tuple[Calendar, int]]:
    table: dict[str, tuple[Calendar, int]] = {}
    for number, names in enumerate(_GREGORIAN_MONTHS, start=1):
        table.update({_month_key(n): ("gregorian", number) for n in names})
    for number, names in enumerate(_JALALI_MONTHS, start=1):
        table.update({_month_key(n): ("jalali", number) for n in names})
        # "آبان ماه", "آبان‌ماه": the month of Aban
        table.update({_month_key(n + "ماه"): ("jalali", number) for n in names[-1:]})
    return table


_MONTHS = _month_table()


class DateError(VocabularyError):
    """A date is unreadable (``date-unparseable``) or does not exist.

    The code for a readable date that does not exist is ``date-impossible``. The
    message never repeats the value.
    """


def jalali_to_gregorian(y: int, m: int, d: int) -> dt.date:
    """Convert a Solar Hijri date to the Gregorian calendar.

    Args:
        y: Solar Hijri year (1 to 9377).
        m: Month, 1 (Farvardin) to 12 (Esfand).
        d: Day of the month.

    Returns:
        The same day in the Gregorian calendar.

    Raises:
        DateError: ``date-impossible`` if the day does not exist.

    Example:
        >>> jalali_to_gregorian(1398, 8, 25)
        datetime.date(2019, 11, 16)
    """
    try:
        day = jdatetime.date(y, m, d).togregorian()
    except (ValueError, OverflowError):
        raise DateError("date-impossible") from None
    return dt.date(day.year, day.month, day.day)


def gregorian_to_jalali(d: dt.date) -> tuple[int, int, int]:
    """Convert a Gregorian date to the Solar Hijri calendar.

    Args:
        d: A date (a datetime counts as its date).

    Returns:
        ``(year, month, day)`` in the Solar Hijri calendar.

    Raises:
        DateError: ``date-impossible`` for a date outside Solar Hijri years 1 to
            9377 (before 22 March 622 or after 19 March 9999).

    Example:
        >>> gregorian_to_jalali(datetime.date(2019, 11, 16))
        (1398, 8, 25)
    """
    try:
        day = jdatetime.date.fromgregorian(year=d.year, month=d.month, day=d.day)
    except (ValueError, OverflowError):
        raise DateError(
            "date-impossible", "outside the Solar Hijri years 1 to 9377"
        ) from None
    return int(day.year), int(day.month), int(day.day)


def format_jalali(d: dt.date, persian_digits: bool = False) -> str:
    """Write a date in the Solar Hijri calendar as ``YYYY/MM/DD``.

    Args:
        d: A Gregorian date.
        persian_digits: Write Persian digits (``۱۳۹۸/۰۸/۲۵``) instead of ASCII.

    Returns:
        The Solar Hijri date, for example ``1398/08/25``; :func:`parse_date` reads
        it back.

    Raises:
        DateError: ``date-impossible`` as :func:`gregorian_to_jalali`.
    """
    y, m, day = gregorian_to_jalali(d)
    text = f"{y:04d}/{m:02d}/{day:02d}"
    return digits.persian_digits(text) if persian_digits else text


def _make_date(calendar: Calendar, y: int, m: int, d: int) -> dt.date:
    if calendar == "jalali":
        return jalali_to_gregorian(y, m, d)
    try:
        return dt.date(y, m, d)
    except ValueError:
        raise DateError("date-impossible") from None


def _numeric(text: str, order: DateOrder = "day-first") -> dt.date | None:
    match = _NUMERIC_RE.fullmatch(text)
    if match is None:
        return None
    first, _, middle, last = match.groups()
    if len(first) == 4:
        y, m, d = int(first), int(middle), int(last)
    elif len(last) == 4 and len(first) <= 2:
        y, m, d = int(last), int(middle), int(first)
        if order == "month-first" and y >= JALALI_YEAR_LIMIT:
            m, d = d, m
    else:
        return None
    return _make_date("jalali" if y < JALALI_YEAR_LIMIT else "gregorian", y, m, d)


def _named_month(text: str) -> dt.date | None:
    text = text.casefold()
    match = _DAY_MONTH_YEAR_RE.fullmatch(text) or _MONTH_DAY_YEAR_RE.fullmatch(text)
    if match is None:
        return None
    month = _MONTHS.get(_month_key(match["month"]))
    if month is None:
        return None
    calendar, number = month
    return _make_date(calendar, int(match["year"]), number, int(match["day"]))


def numeric_order(s: str) -> OrderKind | None:
    """Which order of day and month a Gregorian numeric date with its year last can
    be read in.

    ``16/11/2019`` is day-first only (no month 16), ``11/16/2019`` month-first only,
    ``11/12/2019`` either; ``05/05/2019`` reads the same both ways (``same``). A
    date with its year first (``2019-11-16``, Solar Hijri
    ``1398/08/25``), a Solar Hijri date with its year last, or a date with a month
    name has no order to choose: None, as for text that is no date.

    Example:
        >>> numeric_order("11/16/2019"), numeric_order("۱۱/۱۲/۲۰۱۹")
        ('month-first', 'either')
    """
    match = _NUMERIC_RE.fullmatch(normalise_digits(s).strip())
    if match is None:
        return None
    first, _, middle, last = match.groups()
    if len(last) != 4 or len(first) > 2 or int(last) < JALALI_YEAR_LIMIT:
        return None
    a, b = int(first), int(middle)
    if a <= 12 and b <= 12:
        return "same" if a == b else "either"
    if (a > 12) == (b > 12):  # no month either way
        return None
    return "day-first" if a > 12 else "month-first"


def parse_date(s: str, order: DateOrder = "day-first") -> dt.date | None:
    """Read a date in any accepted layout.

    Accepted: ISO ``2019-11-16`` (also ``2019/11/16`` and with a time after it),
    day-first ``16/11/2019``, ``16-11-2019``, ``16.11.2019``, month names
    ``16 November 2019``, ``16 Nov 2019``, ``November 16, 2019``, Solar Hijri
    ``1398/08/25``, ``1398-8-25``, ``۱۳۹۸/۸/۲۵`` and Solar Hijri month names
    ``۲۵ آبان ۱۳۹۸``, ``25 Aban 1398``. Digits may be Persian, Arabic-Indic or
    ASCII. A numeric date whose year is below 1700 is Solar Hijri.

    Args:
        s: The date as written.
        order: how to read a Gregorian numeric date with its year last:
            ``day-first`` (``11/12/2019`` is 11 December) or ``month-first`` (it
            is 12 November, and ``11/16/2019`` is 16 November).

    Returns:
        The Gregorian date, or ``None`` for empty or whitespace-only text.

    Raises:
        DateError: ``date-unparseable`` for text in no accepted layout;
            ``date-impossible`` for a readable date that does not exist
            (``1398/13/40``, ``2019-02-30``, ``1398/12/30``).
    """
    text = fold_persian(normalise_digits(s)).replace("،", ",")
    if not text or is_unknown(text):
        return None
    parsed = _numeric(text, order) or _named_month(text)
    if parsed is None:
        raise DateError("date-unparseable")
    return parsed


def parse_day_month(s: str) -> tuple[Calendar, int, int] | None:
    """Read a day and a named month written without a year.

    Lists of one event often leave the year out (``25 آبان``, ``25 Aban``,
    ``Nov 16``, ``16 November``); the month's name gives the calendar.

    Args:
        s: The date as written.

    Returns:
        ``(calendar, month, day)``, or None if the text is not a day and a month
        name (the day is not checked against the month: that needs the year).

    Example:
        >>> parse_day_month("۲۵ آبان"), parse_day_month("Nov 16")
        (('jalali', 8, 25), ('gregorian', 11, 16))
    """
    text = fold_persian(normalise_digits(s)).casefold().strip(" ,")
    match = _DAY_MONTH_RE.fullmatch(text) or _MONTH_DAY_RE.fullmatch(text)
    if match is None:
        return None
    month = _MONTHS.get(_month_key(match["month"]))
    if month is None:
        return None
    return month[0], month[1], int(match["day"])


def date_within(
    calendar: Calendar, month: int, day: int, start: dt.date, end: dt.date
) -> dt.date | None:
    """The first date from ``start`` to ``end`` (inclusive) that falls on ``day`` of
    ``month`` in ``calendar``, or None if none does.

    Example:
        >>> date_within("jalali", 8, 25, dt.date(2019, 11, 15), dt.date(2019, 11, 27))
        datetime.date(2019, 11, 16)
    """
    if calendar == "jalali":
        first, last = gregorian_to_jalali(start)[0], gregorian_to_jalali(end)[0]
    else:
        first, last = start.year, end.year
    for year in range(first, last + 1):
        try:
            found = _make_date(calendar, year, month, day)
        except DateError:
            continue
        if start <= found <= end:
            return found
    return None
