"""Alleged perpetrator forces in English or Persian, reduced to stable keys.

Lists name the force a source holds responsible in a word or a sentence, in
either script and with synonyms (``IRGC``, ``Revolutionary Guards``, ``سپاه``,
``Basij militia``, ``بسیجی‌ها``, ``riot police``, ``یگان ویژه``). Each force
becomes one key of :data:`FORCES`; phrases are matched as whole words, the
longest first, with case, hyphens, Arabic letter forms and ZWNJ ignored
(:func:`aban.text.normalise_name`), so ``لباس‌شخصی``, ``لباس شخصی`` and
``لباسشخصی`` are one phrase.

Several forces in one cell (``IRGC and Basij``, ``سپاه و بسیج``,
``FARAJA/NAJA``) are all kept: :func:`parse_forces` gives their keys in the order
of :data:`FORCES` (not the order written), without repeats, and
:func:`force_key` joins them with ``;`` (``irgc;basij``), the form a record
stores. A part of the cell (between commas, slashes, ``and``, ``و``...) that
names no known force is kept as written, whitespace collapsed, after the keys
(``irgc;Unit 12``), rather than dropped. Words for "not known" (``unknown``,
``unidentified forces``, ``نامعلوم``, ``نیروهای ناشناس``) name no force.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from aban.text.normalise import clean_text, normalise_name
from aban.text.vocab import is_unknown

#: The separator of the keys in a stored value (``irgc;basij``).
FORCE_SEPARATOR = ";"
_UNKNOWN = "_unknown"

# Key -> phrases that name it (English and Persian), in the order keys are given.
# fmt: off
_PHRASES: dict[str, tuple[str, ...]] = {
    "security_forces": (
        "security forces", "security force", "security", "security agents",
        "security officers", "security personnel", "state security forces",
        "نیروهای امنیتی", "نیروی امنیتی", "امنیتی", "ماموران امنیتی",
        "عوامل امنیتی",
    ),
    "police": (
        "police", "police forces", "police officers", "policemen", "policeman",
        "riot police", "anti riot police", "anti riot", "special unit",
        "special units", "police special unit", "law enforcement",
        "law enforcement force", "law enforcement forces", "naja", "faraja",
        "nopo", "پلیس", "پلیس ضد شورش", "ضد شورش", "ضدشورش", "نیروی انتظامی",
        "نیروهای انتظامی", "انتظامی", "ناجا", "فراجا", "یگان ویژه", "گارد ویژه",
        "نوپو", "پلیس امنیت",
    ),
    "irgc": (
        "irgc", "revolutionary guards", "revolutionary guard",
        "revolutionary guard corps", "islamic revolutionary guard corps",
        "guards corps", "pasdaran", "pasdar", "sepah", "irgc intelligence",
        "سپاه", "سپاه پاسداران", "سپاه پاسداران انقلاب اسلامی", "پاسداران",
        "پاسدار", "سپاهی", "سپاهیان", "اطلاعات سپاه",
    ),
    "basij": (
        "basij", "basiji", "basijis", "basij militia", "basij forces",
        "basij resistance force", "بسیج", "بسیجی", "بسیجیان", "بسیجی ها",
        "مقاومت بسیج", "نیروی مقاومت بسیج",
    ),
    "plainclothes": (
        "plainclothes", "plain clothes", "plainclothesmen", "plainclothes agents",
        "plainclothes officers", "civilian clothes", "لباس شخصی",
        "لباس شخصی ها", "شخصی پوش", "شخصی پوش ها",
    ),
    "military": ("military", "army", "artesh", "ارتش", "ارتشی", "نظامی"),
    "intelligence": (
        "intelligence", "intelligence agents", "intelligence ministry",
        "ministry of intelligence", "ministry of intelligence and security",
        "mois", "vaja", "وزارت اطلاعات", "اطلاعات", "اطلاعاتی", "واجا",
    ),
    _UNKNOWN: (
        "unknown", "unidentified", "unknown forces", "unidentified forces",
        "unidentified gunmen", "not known", "نامعلوم", "نامشخص", "ناشناس",
        "نیروهای ناشناس", "افراد ناشناس",
    ),
}
# fmt: on

#: The force keys, in the order :func:`parse_forces` gives them.
FORCES: tuple[str, ...] = tuple(k for k in _PHRASES if k != _UNKNOWN)

_WORD = re.compile(r"\w+")
# Where a cell divides into parts: punctuation between names, and the words for
# "and" and "or" in both scripts.
_PUNCTUATION = re.compile(r"\s*[,،;؛/+&|]\s*")
_PARTS = re.compile(r"\s*[,،;؛/+&|]\s*|\s+(?:and|or|و|یا)\s+", re.IGNORECASE)


def _words(text: str) -> list[str]:
    return _WORD.findall(normalise_name(text))


@cache
def _index() -> tuple[dict[str, str], int]:
    index: dict[str, str] = {}
    longest = 1
    for key, phrases in _PHRASES.items():
        for phrase in (key.replace("_", " "), *phrases):
            words = _words(phrase)
            index["".join(words)] = key
            longest = max(longest, len(words))
    return index, longest


def _scan(text: str) -> set[str]:
    """The keys (and the unknown mark) whose phrases ``text`` holds."""
    index, longest = _index()
    words = _words(text)
    found: set[str] = set()
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            key = index.get("".join(words[i : i + n]))
            if key is not None:
                found.add(key)
                i += n
                break
        else:
            i += 1
    return found


@lru_cache(1 << 14)
def parse_forces(raw: str) -> tuple[str, ...]:
    """The forces a text names: keys first, then parts naming none, as written.

    Args:
        raw: An alleged-force cell (any script, possibly several forces).

    Returns:
        The keys of :data:`FORCES` the text names, in that order, then each part
        of the text that names no known force (cleaned, whitespace collapsed);
        ``()`` for empty text or words for "not known".

    Example:
        >>> parse_forces("سپاه و بسیج"), parse_forces("Basij, IRGC")
        (('irgc', 'basij'), ('irgc', 'basij'))
        >>> parse_forces("IRGC and Unit 12"), parse_forces("نامعلوم")
        (('irgc', 'Unit 12'), ())
    """
    text = clean_text(raw)
    if not text or is_unknown(text):
        return ()
    # Each part between punctuation whole first, so that a phrase spanning "and"
    # (the Ministry of Intelligence and Security) is one force, but never across
    # punctuation: the stored form ``irgc;intelligence`` must read back as two
    # forces, not as the phrase "IRGC intelligence". Then each part between "and"
    # and "or" too, to find the parts that name none.
    found: set[str] = set()
    unrecognized: list[str] = []
    for section in _PUNCTUATION.split(text):
        found |= _scan(section)
        for piece in _PARTS.split(section):
            part = piece.strip()
            if part and not is_unknown(part) and not _scan(part):
                unrecognized.append(part)
    keys = [k for k in FORCES if k in found]
    return (*keys, *dict.fromkeys(unrecognized))


def force_key(raw: str) -> str | None:
    """The stored form of an alleged-force cell: :func:`parse_forces` joined by
    ``;`` (``irgc;basij``), or None when it names no force.

    Example:
        >>> force_key("Revolutionary Guards / Basij militia"), force_key("")
        ('irgc;basij', None)
    """
    return FORCE_SEPARATOR.join(parse_forces(raw)) or None


def known_forces(raw: str) -> tuple[str, ...]:
    """Only the keys of :data:`FORCES` a text names (parts naming none left out).

    Example:
        >>> known_forces("irgc;Unit 12"), known_forces("plain-clothes agents")
        (('irgc',), ('plainclothes',))
    """
    return tuple(f for f in parse_forces(raw) if f in FORCES)
