"""Digits in Persian, Arabic-Indic and ASCII script: the one table of them.

Reading goes to ASCII (:func:`normalise_digits`); writing for Persian readers
goes to Persian digits (:func:`persian_digits`) and, for numbers, the Persian
separators too (:func:`persian_number`). The browser's search keeps its own copy
(``aban/site/static/names.js`` and ``search.js``).
"""

from __future__ import annotations

_PERSIAN = "۰۱۲۳۴۵۶۷۸۹"  # U+06F0..U+06F9 (extended Arabic-Indic)
_ARABIC = "٠١٢٣٤٥٦٧٨٩"  # U+0660..U+0669 (Arabic-Indic)
_ASCII = "0123456789"
_DECIMAL = "\u066b"  # ARABIC DECIMAL SEPARATOR, the Persian decimal point
_THOUSANDS = "\u066c"  # ARABIC THOUSANDS SEPARATOR, the Persian digit group mark

# U+066B ARABIC DECIMAL SEPARATOR and U+066C ARABIC THOUSANDS SEPARATOR map to their
# ASCII counterparts, so "۱٫۵" reads as "1.5" and "۱٬۵۰۰" as "1,500": the meaning is
# kept and ASCII parsers can take it from there.
_TABLE = str.maketrans(
    {
        **{c: str(i) for i, c in enumerate(_PERSIAN)},
        **{c: str(i) for i, c in enumerate(_ARABIC)},
        _DECIMAL: ".",
        _THOUSANDS: ",",
    }
)
_TO_PERSIAN = str.maketrans(_ASCII, _PERSIAN)
_TO_PERSIAN_NUMBER = str.maketrans(_ASCII + ",.", _PERSIAN + _THOUSANDS + _DECIMAL)


def normalise_digits(s: str) -> str:
    """Replace Persian and Arabic-Indic digits (and separators) with ASCII ones.

    Other characters are left as they are. The result contains no Persian or
    Arabic-Indic digit, so the function is idempotent.

    Args:
        s: Any text.

    Returns:
        The text with ``۰-۹`` and ``٠-٩`` as ``0-9``, the Arabic decimal separator
        ``٫`` as ``.`` and the Arabic thousands separator ``٬`` as ``,``.

    Example:
        >>> normalise_digits("۱۳۹۸/۰۸/۲۵")
        '1398/08/25'
    """
    return s.translate(_TABLE)


def persian_digits(s: str) -> str:
    """Write ASCII digits as Persian digits; everything else is left as it is.

    Example:
        >>> persian_digits("1398/08/25")
        '۱۳۹۸/۰۸/۲۵'
    """
    return s.translate(_TO_PERSIAN)


def persian_number(s: str) -> str:
    """Write a formatted number the Persian way: Persian digits, ``,`` as the
    thousands separator ``٬`` and ``.`` as the decimal separator ``٫``.

    The inverse of :func:`normalise_digits` on such text. Every comma and full
    stop in ``s`` is replaced, so pass the number alone.

    Example:
        >>> persian_number(f"{1500.5:,.1f}")
        '۱٬۵۰۰٫۵'
    """
    return s.translate(_TO_PERSIAN_NUMBER)
