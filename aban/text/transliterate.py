"""Names in the other script: Latin from Persian and Persian from Latin.

A published person has a name in each script. When no source wrote the name in
one of them, the site shows a *transliteration*, marked as one. Both directions
work word by word, and each word is read in this order:

1. a *lexicon* of name words seen in both scripts: the words of the names the
   register itself holds in both scripts for one person (:func:`learn_lexicon`,
   the most frequent pairing first), over the bundled list of common name words
   (``data/name_words.tsv``: given names, surnames, surname stems, prefixes and
   suffixes, each with its common English spelling);
2. a word made of lexicon words (``دهقان‌زاده`` = ``دهقان`` + ``زاده``,
   ``Farahmandpour`` = ``farahmand`` + ``pour``), split at the longest known
   ending;
3. from Latin only: the lexicon's Persian word with the same sound key
   (:func:`aban.text.keys.sound_key`: ``Mohamad`` finds ``محمد``);
4. letter rules, the last resort:

   * Persian to Latin: a simplified UN/BGN-PCGN romanisation in the common
     English usage: ``خ`` kh, ``ش`` sh, ``چ`` ch, ``ژ`` zh, ``غ``/``ق`` gh,
     ``ث``/``س``/``ص`` s, ``ذ``/``ز``/``ض``/``ظ`` z, ``ت``/``ط`` t, ``ح``/``ه`` h,
     ``ع`` and ``ء`` dropped; ``ا``/``آ`` a; ``و`` v at the start and next to
     ``ا``, else ou; ``ی`` y at the start and before ``ا``, else i; a final
     ``ه`` after a consonant eh. Persian does not write short vowels: an ``a``
     is put after a first consonant that another follows, and an ``e`` inside
     a run of three consonants, so a word outside the lexicon reads as a guess
     (``فرخنده`` gives ``Farkhendeh``, not the usual ``Farkhondeh``).
   * Latin to Persian: kh, sh, ch, zh, gh to ``خ ش چ ژ ق``; ou, oo, u, w, v
     to ``و``; ee, ei, ey, i, y to ``ی``; a vowel at the start to ``ا`` (``ای``
     for i, ``او`` for u); short vowels inside a word (a, e, o) are not
     written, a doubled one (aa) is ``ا``; a final a ``ا``, final e/eh ``ه``,
     final o ``و``.

Deterministic: a lexicon depends only on the multiset of pairs it learned from.
Published Persian names are written in Persian letters
(:func:`published_persian`): the Arabic ي ى ك ة ۀ as ی ی ک ه ه, without
diacritics (harakat, superscript alef) or tatweel; the register keeps the name
as written.

Example:
    >>> lexicon = bundled_lexicon()
    >>> lexicon.latin("محمدرضا دهقان‌زاده")
    'Mohammadreza Dehghanzadeh'
    >>> lexicon.persian("Mohamad Rezaei")
    'محمد رضایی'
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from aban.text.keys import skeleton, sound_key
from aban.text.normalise import normalise_name

__all__ = [
    "NameLexicon",
    "bundled_lexicon",
    "learn_lexicon",
    "published_persian",
]

ZWNJ = "\u200c"
_ARABIC_FORMS = str.maketrans(
    {"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "\u0640": None, "\u0670": None}
    | {chr(c): None for c in range(0x064B, 0x0653)}
)
#: Letters after which Persian leaves a gap (a word's next letter does not join).
_NON_JOINING = frozenset("اآأإدذرزژو")
_SPACES = re.compile(r"\s+")


def published_persian(name: str) -> str:
    """A Persian name as published: Persian letter forms, no diacritics.

    Example:
        >>> published_persian("ابراهيم ملكي") == "ابراهیم ملکی"
        True
        >>> published_persian("فاطمة") == "فاطمه"
        True
    """
    return _SPACES.sub(" ", name.translate(_ARABIC_FORMS)).strip()


# fmt: off
_TO_LATIN = {
    "ب": "b", "پ": "p", "ت": "t", "ث": "s", "ج": "j", "چ": "ch", "ح": "h",
    "خ": "kh", "د": "d", "ذ": "z", "ر": "r", "ز": "z", "ژ": "zh", "س": "s",
    "ش": "sh", "ص": "s", "ض": "z", "ط": "t", "ظ": "z", "غ": "gh", "ف": "f",
    "ق": "gh", "ک": "k", "گ": "g", "ل": "l", "م": "m", "ن": "n", "ه": "h",
}
# fmt: on
_VOWEL_LETTERS = frozenset("اآوی")
_SILENT = frozenset("عءئؤأإ")


def _romanise(word: str) -> str:
    """Persian to Latin by the letter rules (a word outside the lexicon)."""
    letters = [c for c in normalise_name(word) if c not in _SILENT or c in "ئؤ"]
    if word[:1] == "ع" and letters[:1] != ["ا"]:
        letters.insert(0, "ا")  # an initial ع reads as a vowel (Ebadi, Ali)
    out: list[str] = []
    run = 0  # consonants written since the last vowel
    for i, c in enumerate(letters):
        before = letters[i - 1] if i else ""
        after = letters[i + 1] if i + 1 < len(letters) else ""
        if c in "اآ":
            out.append("a")
            run = 0
        elif c in "وؤ":
            vowel = i > 0 and before not in "ا" and after != "ا"
            out.append("ou" if vowel else "v")
            run = 0 if vowel else run + 1
        elif c in "یئ":
            vowel = i > 0 and (after != "ا" or before not in _VOWEL_LETTERS)
            out.append("i" if vowel else "y")
            run = 0 if vowel else run + 1
        elif c == "ه" and not after and run > 0:
            out.append("eh")
            run = 0
        else:
            letter = _TO_LATIN.get(c, "")
            if not letter:
                continue
            if run == 2 or (run == 1 and i == 1 and c not in _VOWEL_LETTERS):
                out.append("e" if run == 2 else "a")
                run = 0
            out.append(letter)
            run += 1
    return "".join(out)


_FROM_LATIN = (
    ("kh", "خ"),
    ("sh", "ش"),
    ("ch", "چ"),
    ("zh", "ژ"),
    ("gh", "ق"),
    ("ph", "ف"),
    ("ou", "و"),
    ("oo", "و"),
    ("ee", "ی"),
    ("ei", "ی"),
    ("ey", "ی"),
    ("aa", "ا"),
)
# fmt: off
_LATIN_LETTERS = {
    "b": "ب", "p": "پ", "t": "ت", "j": "ج", "h": "ه", "d": "د", "r": "ر",
    "z": "ز", "s": "س", "f": "ف", "q": "ق", "k": "ک", "c": "ک", "g": "گ",
    "l": "ل", "m": "م", "n": "ن", "v": "و", "w": "و", "u": "و", "i": "ی",
    "y": "ی", "x": "خ",
}
# fmt: on
_START = {"a": "ا", "e": "ا", "o": "ا", "i": "ای", "u": "او"}
_LATIN_WORD = re.compile(r"[a-z]+")


def _persianise(word: str) -> str:
    """Latin to Persian by the letter rules (a word outside the lexicon)."""
    word = "".join(_LATIN_WORD.findall(word.lower()))
    if not word:
        return ""
    out: list[str] = []
    i = 0
    if word[0] in _START:
        two = word[:2]
        out.append("ای" if two in ("ee", "ei") else _START[word[0]])
        i = 2 if two in ("ee", "ei", "ou", "oo", "aa") else 1
    while i < len(word):
        rest = word[i:]
        if rest in ("eh", "e", "ah"):
            out.append("ه")
            break
        if rest in ("a", "o"):
            out.append("ا" if rest == "a" else "و")
            break
        pair = next((p for p in _FROM_LATIN if rest.startswith(p[0])), None)
        if pair is not None:
            out.append(pair[1])
            i += 2
            continue
        if word[i] == "a" and word[i - 1] in "iuy":
            out.append("ا")  # a vowel after a vowel is written (Kian, Darioush)
        else:
            out.append(_LATIN_LETTERS.get(word[i], ""))
        i += 1
    return "".join(out)


@cache
def _latin_key(word: str) -> str:
    return normalise_name(word).replace(" ", "")


@cache
def _persian_key(word: str) -> str:
    return normalise_name(word.replace(ZWNJ, "")).replace(" ", "")


def _join_persian(first: str, second: str) -> str:
    """Join two Persian parts as names are written: a ZWNJ after a joining letter."""
    if not first or first[-1] in _NON_JOINING or second[:1] in ("ی", ""):
        return first + second
    return first + ZWNJ + second


def _title(word: str) -> str:
    return word[:1].upper() + word[1:]


@dataclass(frozen=True)
class NameLexicon:
    """Name words in both scripts, each direction by matching form.

    Attributes:
        latin_of: a Persian word's matching form (:func:`normalise_name`, no
            ZWNJ) to its Latin spelling.
        persian_of: a Latin word's matching form to its Persian spelling.
        persian_by_sound: a Latin or Persian word's sound key to the Persian
            spelling most often seen with it.
    """

    latin_of: Mapping[str, str]
    persian_of: Mapping[str, str]
    persian_by_sound: Mapping[str, str]
    #: Words already read, in each direction (names repeat: read each once).
    _seen: dict[tuple[bool, str], str] = field(
        default_factory=dict, compare=False, repr=False
    )

    def latin(self, name: str) -> str:
        """``name`` (Persian) in Latin letters, word by word (see the module)."""
        words = published_persian(name).split()
        return " ".join(self._word(w, True) for w in words)

    def persian(self, name: str) -> str:
        """``name`` (Latin) in Persian letters, word by word (see the module)."""
        words = name.replace("-", " ").split()
        return " ".join(self._word(w, False) for w in words)

    def _word(self, word: str, latin: bool) -> str:
        """One word in the other script (a word already in it stays)."""
        found = self._seen.get((latin, word))
        if found is None:
            if latin:
                found = word if word.isascii() else _title(self._latin_word(word))
            else:
                found = (
                    self._persian_word(word)
                    if word.isascii()
                    else published_persian(word)
                )
            self._seen[(latin, word)] = found
        return found

    def _latin_word(self, word: str) -> str:
        key = _persian_key(word)
        if not key:
            return ""
        known = self._latin_known(key)
        if known is not None:
            return known
        parts = word.split(ZWNJ)
        if len(parts) > 1:
            return "".join(self._latin_word(p).lower() for p in parts)
        return _romanise(word)

    def _latin_known(self, key: str) -> str | None:
        """A word of lexicon words, split at the longest known ending."""
        found = self.latin_of.get(key)
        if found is not None:
            return found
        for cut in range(1, len(key)):
            head, tail = key[:cut], key[cut:]
            if tail in self.latin_of:
                start = self._latin_known(head)
                if start is not None:
                    return start + self.latin_of[tail].lower()
        return None

    def _persian_word(self, word: str) -> str:
        key = _latin_key(word)
        if not key:
            return ""
        known = self._persian_known(key)
        if known is not None:
            return known
        sound = _sound(key, True)
        if len(skeleton(key)) > 1 and sound in self.persian_by_sound:
            return self.persian_by_sound[sound]
        return _persianise(key)

    def _persian_known(self, key: str) -> str | None:
        found = self.persian_of.get(key)
        if found is not None:
            return found
        for cut in range(2, len(key) - 1):
            head, tail = key[:cut], key[cut:]
            if tail in self.persian_of:
                start = self._persian_known(head)
                if start is None and len(tail) > 2:
                    start = _persianise(head)
                if start is not None:
                    return _join_persian(start, self.persian_of[tail])
        return None


def _read_bundled() -> list[tuple[str, str, tuple[str, ...]]]:
    text = resources.files("aban.text").joinpath("data/name_words.tsv")
    rows = []
    for line in text.read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            fa, en, _kind, other = line.split("\t")
            rows.append((fa, en, tuple(o for o in other.split(",") if o)))
    return rows


def _sound(word: str, latin: bool) -> str:
    """A word's sound key and how it ends (a final a, or e/eh, which the key
    drops), so that ``Nika`` does not find ``نیک``."""
    key = _latin_key(word) if latin else _persian_key(word)
    if latin:
        end = "a" if key.endswith("a") else "e" if key.endswith(("e", "eh")) else ""
    else:
        end = "a" if key.endswith("ا") else "e" if key.endswith("ه") else ""
    return f"{sound_key(key)}+{end}"


def _lexicon(
    pairs: Iterable[tuple[str, str, int]],
    variants: Iterable[tuple[str, str]] = (),
) -> NameLexicon:
    """A lexicon from ``(Persian, Latin, weight)`` word pairs: for each word, the
    spelling of the heaviest pairing (then the first seen) in the other script."""
    latin: dict[str, Counter[str]] = defaultdict(Counter)
    persian: dict[str, Counter[str]] = defaultdict(Counter)
    sound: dict[str, Counter[str]] = defaultdict(Counter)
    for fa, en, weight in pairs:
        latin[_persian_key(fa)][en] += weight
        persian[_latin_key(en)][fa] += weight
        sound[_sound(en, True)][fa] += weight
        sound[_sound(fa, False)][fa] += weight
    for fa, en in variants:
        persian.setdefault(_latin_key(en), Counter({fa: 1}))

    def best(counts: Counter[str]) -> str:
        return max(counts.items(), key=lambda kv: kv[1])[0]

    return NameLexicon(
        {k: best(v) for k, v in latin.items()},
        {k: best(v) for k, v in persian.items()},
        {k: best(v) for k, v in sound.items() if not k.startswith("+")},
    )


#: The weight of a bundled word against a word the register pairs: the register's
#: spellings win from the second person that writes them.
_BUNDLED_WEIGHT = 1


@cache
def _bundled_pairs() -> tuple[
    tuple[tuple[str, str, int], ...], tuple[tuple[str, str], ...]
]:
    rows = _read_bundled()
    pairs = tuple((fa, en, _BUNDLED_WEIGHT) for fa, en, _ in rows)
    variants = tuple((fa, v) for fa, _, other in rows for v in other)
    return pairs, variants


@cache
def bundled_lexicon() -> NameLexicon:
    """The lexicon of the bundled common name words alone."""
    pairs, variants = _bundled_pairs()
    return _lexicon(pairs, variants)


def word_pairs(persian: str, latin: str) -> list[tuple[str, str]]:
    """The words of one person's name in both scripts, paired when they agree.

    The names pair word by word when they have as many words and each pair has
    the same consonant skeleton (:func:`aban.text.keys.skeleton`); otherwise
    nothing is paired (a name written with a word more or less in one script
    says nothing sure about which word is which).

    Example:
        >>> word_pairs("کوروش فرهمندپور", "Kourosh Farahmandpour")[1][1]
        'Farahmandpour'
    """
    fa_words = published_persian(persian).split()
    en_words = latin.replace("-", " ").split()
    if len(fa_words) != len(en_words):
        return []
    pairs = list(zip(fa_words, en_words, strict=True))
    for fa, en in pairs:
        if skeleton(_persian_key(fa)) != skeleton(_latin_key(en)):
            return []
    return pairs


def learn_lexicon(names: Iterable[tuple[str, str]]) -> NameLexicon:
    """The bundled lexicon with the word pairs of names known in both scripts.

    Args:
        names: ``(Persian, Latin)`` names that belong to one person each (the
            person's own records wrote both).

    Returns:
        A lexicon in which each word's spelling in the other script is the one
        most often paired with it (a bundled word counts once).
    """
    counts: Counter[tuple[str, str]] = Counter()
    for fa, en in names:
        counts.update(word_pairs(fa, en))
    bundled, variants = _bundled_pairs()
    learned = ((fa, en, n) for (fa, en), n in sorted(counts.items()))
    return _lexicon((*bundled, *learned), variants)
