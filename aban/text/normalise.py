"""Display and matching forms of names and other text in Persian and Latin script.

Three forms of one string:

* :func:`clean_text` is the *display* form: what a person typed, minus invisible
  noise (control characters, direction marks, stray whitespace). ZWNJ (U+200C)
  inside a word is kept: it is part of correct Persian spelling (``دستان‌خواه``).
* :func:`fold_persian` is the *matching* form of Persian or Arabic script: letter
  variants folded (Arabic ``ي`` and ``ك`` to Persian ``ی`` and ``ک``, ...),
  vowel marks, tatweel, ZWNJ and ZWJ removed, digits made ASCII.
* :func:`normalise_name` is the form stored beside every raw name: the Persian
  fold plus the Latin one (accents dropped, case folded, apostrophes removed) and
  hyphens, dots and underscores read as spaces.

Compounds: a ZWNJ-joined compound equals the joined spelling (``محمد‌رضا`` and
``محمدرضا`` give the same form), but the spaced spelling (``محمد رضا``) stays
different, in both scripts (``Mohammad-Reza`` and ``Mohammad Reza`` give
``mohammad reza``; ``Mohammadreza`` stays one word). Record linkage compares
compounds with and without the space; this module only normalises spelling.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Literal

from aban.text.digits import normalise_digits

ZWNJ = "\u200c"
ZWJ = "\u200d"

# Direction marks and embeddings: ALM, LRM, RLM, LRE..RLO, LRI..PDI.
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Other invisible characters: soft hyphen, zero-width space, word joiner, BOM.
_INVISIBLE = "\u00ad\u200b\u2060\ufeff"
_INVISIBLE_RE = re.compile(
    "[" + _BIDI + _INVISIBLE + "\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]"
)
# ZWNJ at a word edge (start, end, next to whitespace) has no effect on display.
_EDGE_ZWNJ_RE = re.compile(r"(?<!\S)\u200c+|\u200c+(?!\S)")
_ZWNJ_RUN_RE = re.compile(r"\u200c{2,}")

# Harakat U+064B..U+065F, superscript alef U+0670, tatweel U+0640.
_MARKS_RE = re.compile("[\u064b-\u065f\u0670\u0640]")

_YEH, _KAF, _HEH, _ALEF, _WAW = "\u06cc", "\u06a9", "\u0647", "\u0627", "\u0648"
_LETTER_FOLDS = {
    "\u064a": _YEH,  # ي Arabic yeh
    "\u0649": _YEH,  # ى alef maksura
    "\u0626": _YEH,  # ئ yeh with hamza
    "\u06ce": _YEH,  # ێ Kurdish yeh with small v
    "\u0643": _KAF,  # ك Arabic kaf
    "\u06aa": _KAF,  # ڪ swash kaf
    "\u0629": _HEH,  # ة ta marbuta
    "\u06c0": _HEH,  # ۀ heh with yeh above (hamza)
    "\u06d5": _HEH,  # ە ae (Kurdish final e; the base of ۀ)
    "\u06c1": _HEH,  # ہ heh goal
    "\u06c2": _HEH,  # ۂ heh goal with hamza
    "\u0623": _ALEF,  # أ alef with hamza above
    "\u0625": _ALEF,  # إ alef with hamza below
    "\u0622": _ALEF,  # آ alef with madda
    "\u0671": _ALEF,  # ٱ alef wasla
    "\u0624": _WAW,  # ؤ waw with hamza
    "\u06c6": _WAW,  # ۆ Kurdish oe
    "\u0695": "\u0631",  # ڕ Kurdish reh with v below
    "\u06b5": "\u0644",  # ڵ Kurdish lam with v
}
_FOLD_TABLE = str.maketrans(_LETTER_FOLDS)

_APOSTROPHES = "'`\u00b4\u02b9\u02bb\u02bc\u02bd\u02be\u02bf\u2018\u2019\u201b\u2032"
_SEPARATORS = "-_.\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u06d4"
_NAME_TABLE = str.maketrans(
    {
        **_LETTER_FOLDS,
        **{c: None for c in _APOSTROPHES + "\u0640"},
        **{c: " " for c in _SEPARATORS},
    }
)

Script = Literal["persian", "latin", "mixed", ""]


def _collapse(s: str) -> str:
    return " ".join(s.split())


def _drop_invisible(s: str, *, joiners: bool) -> str:
    s = _INVISIBLE_RE.sub("", s)
    return s.replace(ZWNJ, "").replace(ZWJ, "") if joiners else s


def clean_text(s: str) -> str:
    """Return the display form of a text cell.

    Removes C0 and C1 control characters (tabs and line breaks become spaces),
    direction marks and embeddings (LRM, RLM, ALM, LRE..PDF, LRI..PDI), soft
    hyphens, zero-width spaces and byte-order marks; applies NFC; removes ZWNJ at
    word edges and collapses ZWNJ runs, keeping one ZWNJ inside a word; strips and
    collapses whitespace to single spaces. Idempotent.

    Args:
        s: Raw text.

    Returns:
        The cleaned text (``""`` if nothing visible is left).

    Example:
        >>> clean_text("\\u200f  دستان\\u200cخواه \\n")
        'دستان\\u200cخواه'
    """
    s = unicodedata.normalize("NFC", _drop_invisible(s, joiners=False))
    s = _ZWNJ_RUN_RE.sub(ZWNJ, _EDGE_ZWNJ_RE.sub("", s))
    return _collapse(s)


@functools.cache
def _letter_script(c: str) -> str:
    """The script of one character if it is a letter, else "" (cached per character)."""
    if not unicodedata.category(c).startswith("L"):
        return ""
    name = unicodedata.name(c, "")
    if "ARABIC" in name:
        return "persian"
    if "LATIN" in name:
        return "latin"
    return "other"


def script_of(s: str) -> Script:
    """Say which script the letters of a text are written in.

    Only letters (Unicode category L) count; digits, punctuation and marks do not.

    Args:
        s: Any text.

    Returns:
        ``"persian"`` if every letter is Arabic-script (Persian, Arabic, Kurdish,
        ...), ``"latin"`` if every letter is Latin, ``"mixed"`` if the letters
        come from both or from any other script, ``""`` if there is no letter.

    Example:
        >>> script_of("Ali علی")
        'mixed'
    """
    found = set(map(_letter_script, s))
    found.discard("")
    if not found:
        return ""
    if len(found) == 1 and "other" not in found:
        return "persian" if "persian" in found else "latin"
    return "mixed"


def fold_persian(s: str) -> str:
    """Return the matching form of Persian or Arabic script text.

    Applies NFKC (Arabic presentation forms become letters), folds letter variants
    (``ي ى ئ`` to ``ی``, ``ك`` to ``ک``, ``ة ۀ`` to ``ه``, ``أ إ آ ٱ`` to ``ا``,
    ``ؤ`` to ``و``, and the Kurdish ``ێ ۆ ە ڕ ڵ`` to their nearest Persian letter),
    removes harakat (U+064B..U+065F, U+0670), tatweel, ZWNJ, ZWJ, direction marks
    and control characters, makes digits ASCII and collapses whitespace. Latin
    letters keep their case and accents. Idempotent.

    Args:
        s: Any text.

    Returns:
        The folded text.

    Example:
        >>> fold_persian("علي") == fold_persian("عَلی")
        True
    """
    s = unicodedata.normalize("NFKC", _drop_invisible(s, joiners=True))
    s = _MARKS_RE.sub("", normalise_digits(s)).translate(_FOLD_TABLE)
    return _collapse(unicodedata.normalize("NFC", s))


#: The Arabic letters that Persian writes with its own: Windows-1256 has no Persian
#: ی or ک, so lists saved in it write ي and ك (and ى for a final ی).
_PERSIAN_LETTERS = str.maketrans({"\u064a": _YEH, "\u0649": _YEH, "\u0643": _KAF})


def persian_letters(s: str) -> str:
    """Return ``s`` with the Arabic ي, ى and ك written as the Persian ی and ک.

    The display form of a Persian name: unlike :func:`fold_persian`, it changes
    nothing else (ZWNJ, hamza and madda stay as written).

    Example:
        >>> persian_letters("محسن عزيزي كاظمي") == "محسن عزیزی کاظمی"
        True
    """
    return s.translate(_PERSIAN_LETTERS)


def _compat_caseless(s: str) -> str:
    # Unicode D146 compatibility caseless form: NFKD(cf(NFKD(cf(NFD(s))))).
    s = unicodedata.normalize("NFD", s).casefold()
    s = unicodedata.normalize("NFKD", s).casefold()
    return unicodedata.normalize("NFKD", s)


def _marks_class() -> str:
    # Every combining mark (categories Mn, Me) below U+30000, as one regex class.
    marks = [c for c in range(0x30000) if unicodedata.category(chr(c)) in ("Mn", "Me")]
    ranges, start, prev = [], marks[0], marks[0]
    for c in marks[1:] + [-1]:
        if c != prev + 1:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(prev))}")
            start = c
        prev = c
    return "[" + "".join(ranges) + "]"


_ALL_MARKS_RE = re.compile(_marks_class())


def normalise_name(s: str) -> str:
    """Return the normalised form of a name, stored beside the raw name.

    Persian and Arabic script get :func:`fold_persian`'s folds; Latin script loses
    accents (NFKD, combining marks dropped) and case (case folding); apostrophes
    (``' ` ´ ʼ ’ ‘ ʻ ʾ ʿ``) are removed (``Ra'na`` becomes ``rana``); hyphens,
    dots and underscores become spaces; whitespace is collapsed. Mixed strings
    get each treatment on the characters it concerns.

    The form is idempotent, and Arabic-letter and Persian-letter spellings of a
    name give the same result. ZWNJ-joined and joined compounds are equal; spaced
    compounds stay different (see the module docstring).

    Args:
        s: A name (or place name) as written.

    Returns:
        The normalised name, ``""`` if nothing is left.

    Example:
        >>> normalise_name("Mohammad-Reza Ra'nā")
        'mohammad reza rana'
    """
    s = _drop_invisible(s, joiners=True).translate(_NAME_TABLE)
    s = normalise_digits(_compat_caseless(s)).translate(_NAME_TABLE)
    if not s.isascii():
        s = _ALL_MARKS_RE.sub("", s)
    return _collapse(unicodedata.normalize("NFC", s))
