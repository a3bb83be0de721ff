"""Reading a short free text (an occupation, a cause of death) as one known kind.

Lists write such cells in English or Persian, with synonyms and in a sentence
(``shot by live ammunition``, ``کارگر ساختمانی``). A :class:`PhraseTable` maps the
phrases of a vocabulary to their kind and finds the kind a text names: phrases
are matched as whole words, the longest first, with spaces, punctuation and ZWNJ
ignored (``مغازه‌دار``, ``مغازه دار`` and ``مغازهدار`` are one phrase). A text that
names no known kind, or two different ones, gives ``None``: no evidence either
way rather than a wrong value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from aban.text.normalise import normalise_name

_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(normalise_name(text))


class PhraseTable:
    """Phrases of a vocabulary, each naming one kind.

    Args:
        kinds: Kind -> the phrases (English and Persian) that name it.

    Example:
        >>> table = PhraseTable({"firearm": ("live ammunition", "گلوله")})
        >>> table.find("Shot with live ammunition"), table.find("گلوله")
        ('firearm', 'firearm')
    """

    def __init__(self, kinds: Mapping[str, tuple[str, ...]]) -> None:
        self._index: dict[str, str] = {}
        self._longest = 1
        for kind, phrases in kinds.items():
            for phrase in phrases:
                words = _words(phrase)
                self._index["".join(words)] = kind
                self._longest = max(self._longest, len(words))

    def find(self, text: str) -> str | None:
        """The one kind ``text`` names, or None (nothing known, or two kinds)."""
        words = _words(text)
        found: set[str] = set()
        i = 0
        while i < len(words):
            for n in range(min(self._longest, len(words) - i), 0, -1):
                kind = self._index.get("".join(words[i : i + n]))
                if kind is not None:
                    found.add(kind)
                    i += n
                    break
            else:
                i += 1
        return found.pop() if len(found) == 1 else None
