"""The language base that the static site and the web app extend (aban.text.i18n)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

import pytest

from aban.text.i18n import BaseLocale, Pair


@dataclass(frozen=True)
class Pages(BaseLocale):
    MESSAGES: ClassVar[Mapping[str, Pair]] = {"hello": ("hello", "سلام")}


def test_base_language_direction_and_digits() -> None:
    en, fa = Pages("en"), Pages("fa")
    assert (en.direction, fa.direction) == ("ltr", "rtl")
    assert (en.other, fa.other) == ("fa", "en")
    assert (en.t("hello"), fa.t("hello")) == ("hello", "سلام")
    assert (en.digits(1398), fa.digits(1398)) == ("1398", "۱۳۹۸")
    assert (en.number("1,500.5"), fa.number("1,500.5")) == ("1,500.5", "۱٬۵۰۰٫۵")
    with pytest.raises(KeyError):
        en.t("missing")
