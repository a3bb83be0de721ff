"""Choosing the language of a page and writing words, numbers and dates in it.

English pages run left to right with ISO dates; Persian pages run right to left
(``dir="rtl"``) with Solar Hijri dates and Persian digits. The language comes from
the ``lang`` query parameter (which also sets the ``aban_lang`` cookie), else from
that cookie, else English.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from aban.text.dates import DateError, format_jalali
from aban.text.digits import persian_number
from aban.web.messages import MESSAGES, TERMS

Lang = Literal["en", "fa"]
LANGS: tuple[Lang, ...] = ("en", "fa")
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
class Words:
    """The text helpers of one language, handed to templates."""

    lang: Lang

    @property
    def dir(self) -> str:
        return "rtl" if self.lang == "fa" else "ltr"

    @property
    def other(self) -> Lang:
        return "en" if self.lang == "fa" else "fa"

    def _pick(self, pair: tuple[str, str]) -> str:
        return pair[1] if self.lang == "fa" else pair[0]

    def t(self, key: str) -> str:
        """The interface text ``key``."""
        pair = MESSAGES.get(key)
        return self._pick(pair) if pair else key

    def term(self, value: object) -> str:
        """A vocabulary value (field, status, grade, ...) in words."""
        if value is None:
            return ""
        text = str(value)
        pair = TERMS.get(text)
        return self._pick(pair) if pair else text.replace("_", " ")

    def num(self, value: object) -> str:
        """A number, with Persian digits on Persian pages."""
        if value is None:
            return ""
        text = f"{value:,}" if isinstance(value, int) else str(value)
        return persian_number(text) if self.lang == "fa" else text

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
