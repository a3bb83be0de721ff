"""Digits in Persian, Arabic-Indic and ASCII script."""

from __future__ import annotations

_PERSIAN = "۰۱۲۳۴۵۶۷۸۹"  # U+06F0..U+06F9 (extended Arabic-Indic)
_ARABIC = "٠١٢٣٤٥٦٧٨٩"  # U+0660..U+0669 (Arabic-Indic)

# U+066B ARABIC DECIMAL SEPARATOR and U+066C ARABIC THOUSANDS SEPARATOR map to their
# ASCII counterparts, so "۱٫۵" reads as "1.5" and "۱٬۵۰۰" as "1,500": the meaning is
# kept and ASCII parsers can take it from there.
_TABLE = str.maketrans(
    {
        **{c: str(i) for i, c in enumerate(_PERSIAN)},
        **{c: str(i) for i, c in enumerate(_ARABIC)},
        "\u066b": ".",
        "\u066c": ",",
    }
)


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
