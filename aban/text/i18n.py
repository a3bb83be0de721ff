"""The two languages of every page: English (left to right, ASCII digits) and
Persian (right to left, Persian digits).

:class:`BaseLocale` holds what the static site (``aban.site.i18n.Locale``) and
the web app (``aban.web.i18n.Words``) share: the language, its direction, the
other language, a pick from an (English, Persian) pair and the digits. Each
extends it with its own message table (:attr:`BaseLocale.MESSAGES`) and its
own formats for numbers and dates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Literal

from aban.text.digits import persian_digits, persian_number

__all__ = ["LANGS", "BaseLocale", "Lang", "Pair"]

Lang = Literal["en", "fa"]
LANGS: tuple[Lang, ...] = ("en", "fa")
#: A text in English and in Persian, in that order.
Pair = tuple[str, str]


@dataclass(frozen=True)
class BaseLocale:
    """One language's words and digits.

    Attributes:
        lang: ``en`` or ``fa``.
    """

    #: The interface texts of a subclass, by key: (English, Persian).
    MESSAGES: ClassVar[Mapping[str, Pair]] = {}

    lang: Lang

    @property
    def direction(self) -> str:
        """``rtl`` for Persian, ``ltr`` for English."""
        return "rtl" if self.lang == "fa" else "ltr"

    @property
    def other(self) -> Lang:
        """The other language."""
        return "en" if self.lang == "fa" else "fa"

    def pick(self, pair: Pair) -> str:
        """This language's text of an (English, Persian) pair."""
        return pair[1] if self.lang == "fa" else pair[0]

    def t(self, key: str) -> str:
        """The interface text ``key`` in this language.

        Raises:
            KeyError: ``key`` is not in :attr:`MESSAGES`.
        """
        return self.pick(self.MESSAGES[key])

    def digits(self, text: object) -> str:
        """Text with this language's digits."""
        return persian_digits(str(text)) if self.lang == "fa" else str(text)

    def number(self, text: str) -> str:
        """A formatted number (``1,500.5``) with this language's digits and
        separators (``۱٬۵۰۰٫۵``)."""
        return persian_number(text) if self.lang == "fa" else text
