"""The site's two languages: words, numbers and dates in English and Persian.

Persian pages use Persian digits (``۱۲۳``), the Persian thousands separator
(``٬``) and Solar Hijri dates (``۲۵ آبان ۱۳۹۸``, by jdatetime); English pages
use ASCII digits and Gregorian dates (``16 November 2019``). Every word the
templates show comes from :data:`MESSAGES` or :data:`LABELS`; a missing key is
an error, so the two languages cannot drift apart. The language, its direction
and digits come from :class:`aban.text.i18n.BaseLocale`, shared with the web app.

Texts the team writes in both languages (the event, its moments, claimants)
are chosen by :meth:`Locale.text`: on a Persian page an English text stands in
only when no Persian one was given, and is marked ``lang="en"`` (in a ``bdi``,
so the punctuation around it keeps the page's direction). Names and titles kept
in their own script are marked by :meth:`Locale.name` (``class="name"``): the
Latin-run test of the Persian pages leaves those out, and nothing else.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import ClassVar

import jdatetime
from markupsafe import Markup, escape

from aban.site import messages
from aban.text.digits import persian_digits
from aban.text.i18n import BaseLocale, Lang, Pair

__all__ = ["Locale", "english_date", "jalali_date", "jalali_date_en"]

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
def jalali_date_en(iso: str) -> str:
    """An ISO date as a Solar Hijri date in English (``25 Aban 1398``)."""
    day = _day(iso)
    if day is None:
        return iso
    j = jdatetime.date.fromgregorian(date=day)
    return f"{j.day} {jdatetime.date.j_months_en[j.month - 1]} {j.year}"


@cache
def gregorian_date_fa(iso: str) -> str:
    """An ISO date as a Gregorian date in Persian (``۱۶ نوامبر ۲۰۱۹``)."""
    day = _day(iso)
    if day is None:
        return persian_digits(iso)
    return persian_digits(f"{day.day} {_MONTHS_FA[day.month - 1]} {day.year}")


@cache
def english_date(iso: str) -> str:
    """An ISO date as ``16 November 2019`` (other text as it is)."""
    day = _day(iso)
    if day is None:
        return iso
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


_LATIN = re.compile("[A-Za-z]")


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

    def tm(self, key: str, **values: object) -> Markup:
        """:meth:`t` as markup: the message escaped, and values that are
        markup (:meth:`text`, :meth:`name`) kept as they are."""
        shown = {k: self.num(v) if isinstance(v, int) else v for k, v in values.items()}
        return escape(super().t(key)).format(**shown)

    def claim_kind(self, kind: str, kind_fa: str = "") -> Markup:
        """A claim's kind: the known kinds' words, else the claims file's own
        words (``kind_fa`` on a Persian page, marked English without it)."""
        found = messages.LABELS["claim_kind"].get(kind)
        if found is not None:
            return escape(self.pick(found))
        return self.text(kind, kind_fa)

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

    def both_dates(self, iso: str | None) -> str:
        """An ISO date in both calendars, this page's first: ``۲۵ آبان ۱۳۹۸
        (۱۶ نوامبر ۲۰۱۹)``, ``16 November 2019 (25 Aban 1398)``."""
        if not iso or _day(iso) is None:
            return self.date(iso)
        if self.lang == "fa":
            return f"{jalali_date(iso)} ({gregorian_date_fa(iso)})"
        return f"{english_date(iso)} ({jalali_date_en(iso)})"

    def text(self, en: object, fa: object = "") -> Markup:
        """A text the team wrote in both languages, in this page's: the Persian
        one on a Persian page when given, else the English one marked as
        English (``<bdi lang="en">``, so punctuation keeps its direction)."""
        if self.lang == "fa":
            if fa:
                return escape(str(fa))
            if en:
                return Markup(f'<bdi lang="en" dir="ltr">{escape(str(en))}</bdi>')
        return escape(str(en or ""))

    def name(self, value: object) -> Markup:
        """A name or title as written, in any script, isolated from the text
        around it (``<bdi class="name">``) and marked as a name."""
        text = str(value or "")
        if not text:
            return Markup("")
        if _LATIN.search(text) and self.lang == "fa":
            return Markup(f'<bdi class="name" lang="en" dir="ltr">{escape(text)}</bdi>')
        # Written out rather than Markup.format: a page holds several names,
        # and 100,000 pages are written per language.
        return Markup(f'<bdi class="name">{escape(text)}</bdi>')

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
