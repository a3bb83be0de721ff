"""Choosing the language of a page and writing words, numbers and dates in it.

English pages run left to right with ISO dates; Persian pages run right to left
(``dir="rtl"``) with Solar Hijri dates and Persian digits. The language comes from
the ``lang`` query parameter (which also sets the ``aban_lang`` cookie), else from
that cookie, else English. The language, its direction and digits come from
:class:`aban.text.i18n.BaseLocale`, shared with the static site.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from aban.text.dates import DateError, format_jalali
from aban.text.i18n import BaseLocale, Lang, Pair
from aban.web import messages

LANG_COOKIE = "aban_lang"


def choose_lang(query: Mapping[str, str], cookies: Mapping[str, str]) -> Lang:
    """The page language from the query parameter, else the cookie, else English."""
    for value in (query.get("lang"), cookies.get(LANG_COOKIE)):
        if value == "fa":
            return "fa"
        if value == "en":
            return "en"
    return "en"


@dataclass(frozen=True)
class Words(BaseLocale):
    """The text helpers of one language, handed to templates."""

    MESSAGES: ClassVar[Mapping[str, Pair]] = messages.MESSAGES

    def t(self, key: str) -> str:
        """The interface text ``key`` (the key itself when it has none)."""
        return super().t(key) if key in self.MESSAGES else key

    def term(self, value: object) -> str:
        """A vocabulary value (field, status, grade, ...) in words."""
        if value is None:
            return ""
        text = str(value)
        pair = messages.TERMS.get(text)
        return self.pick(pair) if pair else text.replace("_", " ")

    def num(self, value: object) -> str:
        """A number, with Persian digits on Persian pages."""
        if value is None:
            return ""
        text = f"{value:,}" if isinstance(value, int) else str(value)
        return self.number(text)

    def day(self, value: object) -> str:
        """A stored date or time as a date: ISO, or Solar Hijri on Persian pages.

        Text that is not an ISO date is returned as it is.
        """
        if value is None:
            return ""
        text = str(value)
        try:
            day = dt.date.fromisoformat(text[:10])
        except ValueError:
            return text
        if self.lang != "fa":
            return day.isoformat()
        try:
            return format_jalali(day, persian_digits=True)
        except DateError:
            return text
