"""Identifiers a source writes: source names and record ids.

They are compared as strings (a source is found by its name, a record by its id
within its source), so text that looks the same must be the same string, and text
that looks like another's must not pass. Two rules:

* One Unicode form: :func:`normalise_identifier` strips the text and composes it
  (NFC), so ``café`` typed with a combining accent is the ``café`` typed with the
  composed letter.
* No invisible characters (:func:`has_invisible`): direction marks, embeddings,
  overrides and isolates (U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069),
  zero-width characters (U+200B-U+200D, U+2060, U+FEFF) and the other invisible
  format characters (soft hyphen, U+2061-U+2064, U+206A-U+206F, U+180E). They
  change the bytes but not what a person sees, or reorder what is shown, so
  ``ngo_list`` with a zero-width space, or a name spelled backwards inside a
  right-to-left override, would name another source that looks the same.

ZWNJ (U+200C) too. It is a letter of correct Persian spelling in names and words
(``دهقان‌زاده``), and aban keeps it in names and free text. But an identifier is
matched, not read: after a letter that never joins the next (ا د ذ ر ز ژ و), and in
Latin text, a ZWNJ changes nothing on screen, so ``دارو‌ها`` and ``داروها`` are one
name to the eye and two sources to the register. A Persian source name is written
with a space or joined instead; refusing says so, where dropping the ZWNJ silently
would merge what the file kept apart.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["INVISIBLE", "has_invisible", "normalise_identifier"]

#: The invisible characters refused in source names and record ids.
INVISIBLE = (
    "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d"
    "\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\u206a\u206b"
    "\u206c\u206d\u206e\u206f\ufeff"
)
_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")


def normalise_identifier(text: str) -> str:
    """``text`` stripped and in NFC, the one form a name or id is compared in.

    Example:
        >>> normalise_identifier(" jose\\u0301 ") == "jos\\u00e9"
        True
    """
    return unicodedata.normalize("NFC", text.strip())


def has_invisible(text: str) -> bool:
    """Whether ``text`` holds a character of :data:`INVISIBLE`.

    Example:
        >>> has_invisible("ngo\\u200b_list"), has_invisible("ngo_list")
        (True, False)
    """
    return _INVISIBLE_RE.search(text) is not None
