"""Where a victim was hit, in English or Persian, reduced to a body region.

Lists write injury locations in either language and with synonyms (``chest``,
``سینه``, ``thorax``); linkage compares the region. Text that names no known
region, or several, gives ``None`` (no evidence either way) rather than a
disagreement.
"""

from __future__ import annotations

from functools import cache

from aban.text import normalise_name

# Region -> words that name it (English and Persian), matched as whole words.
# fmt: off
_REGIONS: dict[str, tuple[str, ...]] = {
    "head": ("head", "skull", "face", "eye", "forehead", "temple", "سر", "صورت",
             "چشم", "پیشانی", "جمجمه", "شقیقه"),
    "neck": ("neck", "throat", "گردن", "گلو"),
    "chest": ("chest", "thorax", "heart", "breast", "سینه", "قلب", "قفسه"),
    "torso": ("torso", "trunk", "upper body", "بالاتنه", "تنه"),
    "abdomen": ("abdomen", "stomach", "belly", "شکم"),
    "back": ("back", "spine", "کمر", "پشت"),
    "legs": ("leg", "legs", "thigh", "knee", "foot", "feet", "پا", "ران", "زانو"),
    "arms": ("arm", "arms", "hand", "hands", "shoulder", "دست", "بازو", "شانه"),
    "multiple": ("multiple", "several", "چند نقطه از بدن", "چند نقطه"),
}
# fmt: on


@cache
def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for region, words in _REGIONS.items():
        for word in words:
            index[normalise_name(word)] = region
    return index


@cache
def injury_region(raw: str) -> str | None:
    """The body region an injury-location text names, or None.

    Example:
        >>> injury_region("Shot in the chest"), injury_region("سینه")
        ('chest', 'chest')
    """
    text = normalise_name(raw)
    if not text:
        return None
    index = _index()
    if text in index:
        return index[text]
    words = text.split()
    found = {index[w] for w in words if w in index}
    pairs = [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    found |= {index[p] for p in pairs if p in index}
    return found.pop() if len(found) == 1 else None
