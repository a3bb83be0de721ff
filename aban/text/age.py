"""Ages in years, written with digits in any script and common wording."""

from __future__ import annotations

import re
from decimal import Decimal

from aban.text.normalise import fold_persian
from aban.text.vocab import VocabularyError, is_unknown

MAX_AGE = 120

_NUMBER = r"\d+(?:\.\d+)?"
_YEARS = r"years?|yrs?\.?|y\.?o\.?|y\.?|سال|ساله|سالگی|سالش"
_UNDER_ONE = r"months?|mos?\.?|weeks?|wks?\.?|days?|ماه|ماهه|هفته|روز|روزه"
_AGE_RE = re.compile(
    r"(?:(?:aged?|سن)\s*:?\s*)?"
    r"(?:(?:about|around|approx(?:\.|imately)?|circa|ca\.?|c\.|~|≈"
    r"|حدود|حدودا|حدود\s*ی|تقریبا|قریب\s*به)\s*)?"
    rf"(?P<low>-?{_NUMBER})"
    rf"(?:\s*(?:-|–|—|to|تا)\s*(?P<high>{_NUMBER}))?"
    rf"\s*(?:(?P<years>{_YEARS})|(?P<under_one>{_UNDER_ONE}))?"
    rf"(?:\s*(?:and|و)?\s*\d+\s*(?:{_UNDER_ONE}))?"
    r"(?:\s*old)?",
    re.ASCII | re.IGNORECASE,
)


def parse_age(s: str) -> int | None:
    """Read an age in completed years.

    Accepts digits in ASCII, Persian or Arabic-Indic script; an optional unit
    (``17 years``, ``17 yrs``, ``۱۷ سال``, ``17 ساله``, ``17 years 6 months``);
    an optional approximation (``about 20``, ``~20``, ``حدود ۲۰``), read as the
    number; a range (``20-25``, ``20 to 25``, ``۲۰ تا ۲۵``), read as its midpoint
    rounded down; ages in months, weeks or days (``6 months``, ``۶ ماه``), read as
    0. Decimals are rounded down (``17.5`` is 17).

    Args:
        s: The age as written.

    Returns:
        The age in whole years, or ``None`` for empty text or a word for "not
        known" (``unknown``, ``نامعلوم``, ...).

    Raises:
        VocabularyError: ``age-not-a-number`` if the text is not an age in any of
            these forms; ``age-out-of-range`` if the age (or either end of a
            range) is below 0 or above 120.
    """
    text = fold_persian(s)
    if not text or is_unknown(text):
        return None
    match = _AGE_RE.fullmatch(text)
    if match is None:
        raise VocabularyError("age-not-a-number")
    low = Decimal(match["low"])
    high = Decimal(match["high"]) if match["high"] else low
    if min(low, high) < 0 or max(low, high) > MAX_AGE:
        raise VocabularyError("age-out-of-range")
    if match["under_one"]:
        return 0
    return int((low + high) // 2) if match["high"] else int(low)
