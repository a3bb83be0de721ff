"""The site's two languages: words, numbers and dates in English and Persian.

Persian pages use Persian digits (``۱۲۳``), the Persian thousands separator
(``٬``) and Solar Hijri dates (``۲۵ آبان ۱۳۹۸``, by jdatetime); English pages
use ASCII digits and Gregorian dates (``16 November 2019``). Every word the
templates show comes from :data:`MESSAGES` or :data:`LABELS`; a missing key is
an error, so the two languages cannot drift apart. The language, its direction
and digits come from :class:`aban.text.i18n.BaseLocale`, shared with the web app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import ClassVar

import jdatetime

from aban.site import messages
from aban.text.digits import persian_digits
from aban.text.i18n import BaseLocale, Lang, Pair

__all__ = ["Locale", "english_date", "jalali_date"]

# fmt: off
_MONTHS_FA = (
    "ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه", "اوت", "سپتامبر",
    "اکتبر", "نوامبر", "دسامبر",
)
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)
# fmt: on


def _day(iso: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(iso[:10])
    except ValueError:
        return None


@cache
def jalali_date(iso: str) -> str:
    """An ISO date as a Solar Hijri date in Persian (``۲۵ آبان ۱۳۹۸``).

    Text that is not an ISO date is returned with Persian digits.
    """
    day = _day(iso)
    if day is None:
        return persian_digits(iso)
    j = jdatetime.date.fromgregorian(date=day)
    month = jdatetime.date.j_months_fa[j.month - 1]
    return persian_digits(f"{j.day} {month} {j.year}")


@cache
def english_date(iso: str) -> str:
    """An ISO date as ``16 November 2019`` (other text as it is)."""
    day = _day(iso)
    if day is None:
        return iso
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


@cache
def _words(lang: Lang) -> dict[str, str]:
    column = 0 if lang == "en" else 1
    return {key: pair[column] for key, pair in messages.MESSAGES.items()}


@dataclass(frozen=True)
class Locale(BaseLocale):
    """One language's words and formats, as the templates use them.

    Attributes:
        lang: ``en`` or ``fa``.
    """

    MESSAGES: ClassVar[Mapping[str, Pair]] = messages.MESSAGES

    def t(self, key: str, **values: object) -> str:
        """The message ``key`` in this language, with ``{name}`` fields filled."""
        text = super().t(key)
        if values:
            shown = {
                k: self.num(v) if isinstance(v, int) else v for k, v in values.items()
            }
            text = text.format(**shown)
        return text

    def words(self) -> dict[str, str]:
        """Every message in this language, unformatted (for templates that only
        look words up)."""
        return _words(self.lang)

    def num(self, value: float | None, decimals: int = 0) -> str:
        """A number with thousands separators (``-`` for None)."""
        if value is None:
            return "-"
        return self.number(f"{value:,.{decimals}f}")

    def date(self, iso: str | None) -> str:
        """An ISO date in this language's calendar ("" for None)."""
        if not iso:
            return ""
        return jalali_date(iso) if self.lang == "fa" else english_date(iso)

    def month(self, iso: str) -> str:
        """The Gregorian month of an ISO date (``December 2019``, ``دسامبر ۲۰۱۹``)."""
        day = _day(iso)
        if day is None:
            return self.digits(iso)
        names = _MONTHS_FA if self.lang == "fa" else _MONTHS
        return self.digits(f"{names[day.month - 1]} {day.year}")

    def label(self, kind: str, value: str) -> str:
        """A vocabulary value (grade, level, sex, injury...) in this language.

        Values without a translation (a place as written, an age band) are
        shown as they are, with this language's digits.
        """
        found: Mapping[str, Pair] = messages.LABELS.get(kind, {})
        if value in found:
            return self.pick(found[value])
        shown = value.replace("-", "–") if kind == "age-band" else value
        return self.digits(shown)
