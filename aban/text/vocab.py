"""Fixed vocabularies: sex and status, with their synonyms in English and Persian.

The error raised for a value outside a vocabulary is :class:`VocabularyError`; its
``code`` is the stable issue code the importer reports (``sex-unknown``, ...).
Messages never repeat the value: it may be personal data.
"""

from __future__ import annotations

import re
from typing import Literal

from aban.text.normalise import normalise_name

_MESSAGES = {
    "sex-unknown": "not a known sex (use m or f, male or female, مرد or زن)",
    "status-unknown": (
        "not a known status (use killed, injured, detained, disappeared, executed "
        "or died_in_custody, or a synonym such as dead, arrested or missing)"
    ),
    "age-not-a-number": (
        "not an age in years (write a number such as 17 or ۱۷, optionally with a "
        "unit, 'about' or a range such as 20-25)"
    ),
    "age-out-of-range": "age outside 0 to 120 years",
    "date-unparseable": (
        "not a date in any accepted layout (ISO 2019-11-16, day-first 16/11/2019, "
        "Solar Hijri 1398/08/25)"
    ),
    "date-impossible": (
        "no such day in the calendar (months run 1 to 12; the day must fit the "
        "month, and 29 February and 30 Esfand exist only in leap years)"
    ),
    "date-order-mixed": (
        "can be read day first or month first, and its column writes dates both ways"
    ),
}


class VocabularyError(ValueError):
    """A value is not in a fixed vocabulary or not readable as its kind.

    Attributes:
        code: The stable kebab-case issue code, for example ``sex-unknown``.
    """

    def __init__(self, code: str, message: str | None = None) -> None:
        """Create the error for ``code``, with its standard message by default."""
        super().__init__(_MESSAGES[code] if message is None else message)
        self.code = code


def vocabulary_key(s: str) -> str:
    """Reduce a vocabulary word to its lookup key.

    The key is :func:`normalise_name` without spaces, so case, accents, hyphens,
    underscores, spaces, ZWNJ and Arabic letter variants do not matter.
    """
    return normalise_name(s).replace(" ", "")


#: Words lists use for "not known"; every cell that holds only one of them is read as
#: an empty cell (issue 15), whatever its column.
# fmt: off
NOT_KNOWN_WORDS: tuple[str, ...] = (
    "unknown", "not known", "unk", "n/a", "na", "n/k", "?", "??", "none", "nil",
    "not available", "not specified", "unspecified", "not stated", "not given",
    "نامعلوم", "نا معلوم", "نامشخص", "نا مشخص", "مجهول", "معلوم نیست",
    "مشخص نیست", "نامعلوم است", "ندارد", "ذکر نشده", "بدون اطلاع", "اطلاعی نیست",
    "؟", "؟؟",
)
# fmt: on
_UNKNOWN = frozenset(map(vocabulary_key, NOT_KNOWN_WORDS))
#: A cell of nothing but dashes, dots, question marks, asterisks or slashes ("-",
#: "--", "—", "...", "*"): lists write it for "not known".
#: The marks of such a cell, as the inside of a regular expression's class.
PLACEHOLDER_MARKS = r"\-\u2010-\u2015\u2212_.\u2026?\u061f*/"
_PLACEHOLDER = re.compile(rf"\s*[{PLACEHOLDER_MARKS}][\s{PLACEHOLDER_MARKS}]*")


def is_unknown(s: str) -> bool:
    """True if ``s`` is a word for "not known" (read as an empty cell).

    The words are :data:`NOT_KNOWN_WORDS` (case, spaces, hyphens, ZWNJ and Arabic
    letter forms aside), and a cell of nothing but dashes, dots, question marks,
    asterisks or slashes (``-``, ``—``, ``...``).

    Example:
        >>> is_unknown("N/A"), is_unknown("نا‌معلوم"), is_unknown("--")
        (True, True, True)
        >>> is_unknown(""), is_unknown("Unknown soldier")
        (False, False)
    """
    return vocabulary_key(s) in _UNKNOWN or _PLACEHOLDER.fullmatch(s) is not None


def _table(words: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {
        vocabulary_key(w): value for value, synonyms in words.items() for w in synonyms
    }


_SEX = _table(
    {
        "m": ("m", "male", "man", "boy", "مرد", "پسر", "مذکر", "آقا"),
        "f": ("f", "female", "woman", "girl", "زن", "دختر", "مونث", "مؤنث", "خانم"),
    }
)

_STATUS = _table(
    {
        "killed": (
            "killed",
            "dead",
            "died",
            "death",
            "deceased",
            "shot dead",
            "murdered",
            "fallen",
            "کشته",
            "کشته شده",
            "جان‌باخته",
            "جان باخته",
        ),
        "injured": ("injured", "wounded", "زخمی", "مجروح", "مصدوم"),
        "detained": (
            "detained",
            "arrested",
            "imprisoned",
            "in custody",
            "jailed",
            "بازداشت",
            "بازداشت شده",
            "بازداشتی",
            "زندانی",
            "دستگیر",
            "دستگیر شده",
        ),
        "disappeared": (
            "disappeared",
            "missing",
            "forcibly disappeared",
            "enforced disappearance",
            "ناپدید",
            "ناپدید شده",
            "مفقود",
            "مفقودالاثر",
        ),
        "executed": ("executed", "اعدام", "اعدام شده"),
        "died_in_custody": (
            "died in custody",
            "death in custody",
            "died in detention",
            "death in detention",
            "killed in custody",
            "مرگ در بازداشت",
            "جان باخته در بازداشت",
            "کشته در بازداشت",
        ),
    }
)


def parse_sex(s: str) -> Literal["m", "f"] | None:
    """Read a sex value.

    Args:
        s: ``m``/``f``, ``male``/``female``, ``man``/``woman``, ``boy``/``girl``,
            ``مرد``/``زن``, ``پسر``/``دختر``, ``مذکر``/``مونث`` (or ``مؤنث``),
            ``آقا``/``خانم``, in any case.

    Returns:
        ``"m"``, ``"f"``, or ``None`` for empty text or a word for "not known"
        (``unknown``, ``n/a``, ``نامعلوم``, ...).

    Raises:
        VocabularyError: ``sex-unknown`` for any other text.
    """
    key = vocabulary_key(s)
    if not key or key in _UNKNOWN:
        return None
    value = _SEX.get(key)
    if value == "m":
        return "m"
    if value == "f":
        return "f"
    raise VocabularyError("sex-unknown")


def parse_status(s: str) -> str | None:
    """Read a status value.

    Args:
        s: One of ``killed``, ``injured``, ``detained``, ``disappeared``,
            ``executed``, ``died_in_custody`` or a synonym in English or Persian
            (``dead``, ``shot dead``, ``کشته``, ``جان‌باخته``, ``wounded``,
            ``زخمی``, ``arrested``, ``بازداشت``, ``missing``, ``ناپدید``,
            ``اعدام``, ``death in custody``, ``مرگ در بازداشت``, ...). Case,
            spaces, hyphens, underscores and ZWNJ do not matter.

    Returns:
        The status in snake_case (one of :data:`aban.vocab.columns.STATUSES`), or
        ``None`` for empty text or a word for "not known".

    Raises:
        VocabularyError: ``status-unknown`` for any other text.
    """
    key = vocabulary_key(s)
    if not key or key in _UNKNOWN:
        return None
    try:
        return _STATUS[key]
    except KeyError:
        raise VocabularyError("status-unknown") from None
