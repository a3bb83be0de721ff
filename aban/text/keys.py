"""Name keys: the matching forms of a name, the same across spellings and scripts.

Pure functions of a name's text, used by record linkage (:mod:`aban.linkage`) and
the site's search index (:mod:`aban.site.search`):

* :func:`name_form`: the normalised name (:func:`aban.text.normalise_name`) with
  honorifics (Seyed, سید, Haj...) removed and spaces dropped, so that a compound
  written joined or spaced (``Mohammadreza``, ``Mohammad Reza``, ``محمد رضا``)
  gives one value; :func:`split_full_name` reads a given and a family name from
  a full name.
* :func:`skeleton`: a transliteration-invariant key that the same name shares in
  both scripts; :func:`sound_key`: the same with the long vowels kept, finer and
  a little less invariant.
* :func:`near_forms`: a skeleton and every form of it with one letter dropped,
  so that two skeletons one letter apart share a form.
"""

from __future__ import annotations

import re
from functools import cache

from aban.text.normalise import normalise_name

#: Words written before a name that are not part of it (issue 15): of descent
#: (Seyed, سید), of pilgrimage (Haj, کربلایی, مشهدی), of rank (Mirza, میرزا) and of
#: death (Martyr, شهید, مرحوم). Removed from the matching forms of names and from
#: published names (:func:`drop_honorifics`), never from the name as written.
#: aban/site/static/names.js holds the same words.
HONORIFIC_WORDS: tuple[str, ...] = tuple(
    (
        "seyed sayed seyyed sayyed sayyid seyd seied sayid syed "
        "seyedeh sayedeh seyyedeh sayyedeh seyede seyyede "
        "haj haji hajj hajieh hajiyeh mirza martyr shahid shaheed "
        "karbalaei karbalayi karbalai mashhadi mashadi marhoum marhum "
        "سید سیده حاج حاجی حاجیه میرزا شهید مرحوم مرحومه شادروان کربلایی مشهدی"
    ).split()
)
HONORIFICS = frozenset(map(normalise_name, HONORIFIC_WORDS))
#: Honorifics that also begin family names, written spaced for a ZWNJ (کربلایی احمدی,
#: Mirza Ahmadi, حاجی خدادادی, Haji Hosseini): dropped before given and full names only.
SURNAME_PREFIXES = frozenset(
    map(
        normalise_name,
        "mirza karbalaei karbalayi karbalai mashhadi mashadi haji".split(),
    )
) | frozenset(map(normalise_name, "میرزا کربلایی مشهدی حاجی".split()))
_FAMILY_HONORIFICS = HONORIFICS - SURNAME_PREFIXES
_FAMILY_SUFFIXES = frozenset(
    normalise_name(w)
    for w in (
        "zadeh zade zada pour pur poor nejad nezhad nejhad nia far vand lou lu "
        "khani abadi panah bakhsh manesh doost dust doust dost kar beigi beygi "
        "ollahi allahi yan ian "
        "زاده پور نژاد نیا فر وند لو خانی آبادی پناه بخش منش دوست کار بیگی اللهی "
        "یان ی"
    ).split()
)
#: Suffixes that never stand alone as a family name: a name of two words that
#: ends in one is one family name written spaced (``پورصادق پور``, ``Hassan
#: Zadeh``), not a given and a family name. Not ``Khani``, ``Abadi``, ``Nia``,
#: ``Far``..., which are family names of their own too.
_BOUND_SUFFIXES = frozenset(
    normalise_name(w)
    for w in (
        "zadeh zade zada pour pur poor nejad nezhad nejhad vand doost dust doust dost "
        "ollahi allahi yan ian beigi beygi "
        "زاده پور نژاد وند دوست اللهی یان بیگی ی"
    ).split()
)
#: Words that begin family names and are often written spaced instead of with a
#: ZWNJ (میر حسینی, Haji Karimi, شیخ الاسلامی): in a full name of three words or
#: more, such a word before the last joins it. Not آقا (Agha), which also follows a
#: given name as a title (Ali Agha).
_FAMILY_PREFIXES = frozenset(
    normalise_name(w)
    for w in (
        "mir mirza haji hajji karbalaei karbalayi karbalai mashhadi mashadi sheikh "
        "sheykh shaikh molla mulla ostad "
        "میر میرزا حاجی کربلایی مشهدی شیخ ملا استاد"
    ).split()
)

# Latin digraphs, then single letters, to the key alphabet. Upper-case letters
# stand for sounds: S = sh/ش, C = ch/چ, X = kh/خ, and the long vowels the Persian
# script writes, U = ou/oo/u/w/v/و and I = ee/ei/ey/ie/i/y/ی (at the start, y
# and v are consonants, and ای and او begin with I and U).
_LATIN_DIGRAPHS = (
    ("sch", "S"),
    ("sh", "S"),
    ("ch", "C"),
    ("kh", "X"),
    ("gh", "q"),
    ("zh", "j"),
    ("ph", "f"),
    ("ck", "k"),
    ("ou", "U"),
    ("oo", "U"),
    ("ee", "I"),
    ("ei", "I"),
    ("ey", "I"),
    ("ie", "I"),
)
_LATIN_LETTERS = str.maketrans({"c": "k", "x": "X", "w": "v"})
_LATIN_LONG = {"u": "U", "v": "U", "i": "I", "y": "I"}
_SHORT_VOWELS = frozenset("aeo")
# fmt: off
_PERSIAN = {
    "ب": "b", "پ": "p", "ت": "t", "ث": "s", "ج": "j", "چ": "C", "ح": "h",
    "خ": "X", "د": "d", "ذ": "z", "ر": "r", "ز": "z", "ژ": "j", "س": "s",
    "ش": "S", "ص": "s", "ض": "z", "ط": "t", "ظ": "z", "ع": "", "غ": "q",
    "ف": "f", "ق": "q", "ک": "k", "گ": "g", "ل": "l", "م": "m", "ن": "n",
    "و": "v", "ه": "h", "ی": "y", "ا": "", "ء": "",
}
# fmt: on
_PERSIAN_LONG = {"و": "U", "ی": "I"}
_NOT_LETTER = re.compile(r"[^a-z\u0600-\u06ff]")


def _latin_key(word: str) -> str:
    for digraph, letter in _LATIN_DIGRAPHS:
        word = word.replace(digraph, letter)
    word = word.translate(_LATIN_LETTERS)
    if len(word) > 1 and word[-1] == "h":
        word = word[:-1]
    out = []
    for i, c in enumerate(word):
        if i == 0 and c in "yv":
            out.append(c)
        elif c in _LATIN_LONG:
            out.append(_LATIN_LONG[c])
        elif c not in _SHORT_VOWELS:
            out.append(c)
    return "".join(out)


def _persian_key(word: str) -> str:
    if len(word) > 1 and word[-1] in "هح":
        word = word[:-1]
    out = []
    for i, c in enumerate(word):
        if c in _PERSIAN_LONG and i > 0:
            out.append(_PERSIAN_LONG[c])
        else:
            out.append(_PERSIAN.get(c, ""))
    return "".join(out)


def _collapse(key: str) -> str:
    return "".join(c for i, c in enumerate(key) if i == 0 or c != key[i - 1])


@cache
def sound_key(name: str) -> str:
    """The skeleton of a name with its long vowels (``U`` and ``I``) kept.

    Finer than :func:`skeleton`: ``Mahmoud`` and ``محمود`` give ``mhmUd``,
    ``Mohammad`` and ``محمد`` give ``mhmd``. Latin ``ou``, ``oo``, ``u``, ``v``,
    ``w`` read as Persian ``و`` and ``ee``, ``ei``, ``ey``, ``i``, ``y`` as ``ی``
    (after the first letter); short vowels (``a``, ``e``, ``o``), ``ا`` and ``ع``
    are dropped.

    Args:
        name: A normalised name (spaces are ignored).

    Returns:
        The key, ``""`` if nothing is left.
    """
    word = _NOT_LETTER.sub("", name)
    return _collapse(_persian_key(word) if not word.isascii() else _latin_key(word))


@cache
def skeleton(name: str) -> str:
    """The consonant skeleton of a normalised name, the same in both scripts.

    :func:`sound_key` without its long vowels: Latin spellings lose their vowels
    (and ``y``, ``v``, ``w`` after the first letter, which Persian writes as the
    vowel letters ``ی`` and ``و``), and letter pairs that spellings merge are
    folded: ``gh``/``q``/``غ``/``ق``, ``z``/``ذ``/``ض``/``ظ``, ``s``/``ث``/``ص``,
    ``t``/``ط``, ``h``/``ح``/``ه``, ``j``/``zh``/``ژ``; ``ع`` and ``ا`` are dropped;
    a final ``h`` (``-eh``, ``-ah``, ``ه``, ``ح``: ``Fatemeh``, ``Fallah``) is
    dropped; ``dh`` is ``d`` then ``h`` (``Mohammadhossein``), not ``ذ``; doubled
    letters count once. The key is coarse (``Mohammad`` and ``Mahmoud`` share
    ``mhmd``): it ranks below exact and fuzzy agreement and is weighted by its
    frequency.

    Args:
        name: A name as :func:`aban.text.normalise_name` returns it (spaces are
            ignored, so compounds joined and spaced agree).

    Returns:
        The skeleton, ``""`` if nothing is left.

    Example:
        >>> skeleton("mohammad reza") == skeleton(normalise_name("محمدرضا"))
        True
    """
    return _collapse(sound_key(name).replace("U", "").replace("I", ""))


def _words(raw: object, family: bool = False) -> list[str]:
    """The normalised words of a name, without the honorifics in front."""
    if not isinstance(raw, str) or not raw.strip():
        return []
    return normalise_name(drop_honorifics(raw, family)).split()


def _honorific_at(words: list[str], k: int, family: bool) -> bool:
    """Whether word ``k`` of a name as written is an honorific to drop: a word of
    its own (``Seyed-Ali`` and ``سیدعلی`` are names), not the last word, and not
    the first half of a family name (``Haji Zadeh``)."""
    if k >= len(words) - 1:
        return False
    word = normalise_name(words[k])
    return (
        word in (_FAMILY_HONORIFICS if family else HONORIFICS)
        and normalise_name(words[k + 1]) not in _FAMILY_SUFFIXES
    )


@cache
def drop_honorifics(name: str, family: bool = False) -> str:
    """A name as written without the honorifics in front of it.

    An honorific (:data:`HONORIFIC_WORDS`) is dropped only as a word of its own,
    never as the only word left, nor before a family-name suffix. Before a family
    name (``family``), the honorifics that also begin family names
    (:data:`SURNAME_PREFIXES`: ``کربلایی احمدی`` is ``کربلایی‌احمدی`` spaced) stay.

    Example:
        >>> drop_honorifics("Martyr Seyed Ali Rostami"), drop_honorifics("Seyed")
        ('Ali Rostami', 'Seyed')
        >>> drop_honorifics("Seyed-Ali Rostami"), drop_honorifics("Haji Zadeh")
        ('Seyed-Ali Rostami', 'Haji Zadeh')
        >>> name = "Karbalaei Ahmadi"
        >>> drop_honorifics(name), drop_honorifics(name, family=True)
        ('Ahmadi', 'Karbalaei Ahmadi')
    """
    words = name.split()
    k = 0
    while _honorific_at(words, k, family):
        k += 1
    return " ".join(words[k:]) if k else name


def _join_affixes(words: list[str]) -> list[str]:
    """Words of a full name with a family name's parts written spaced joined: a
    suffix to the word before it (علی رمضان دوست), the last word to a prefix
    before it (جواد کربلایی شکوریان), when a given name stays in front."""
    out: list[str] = []
    for w in words:
        if out and len(out) > 1 and w in _FAMILY_SUFFIXES:
            out[-1] += w
        else:
            out.append(w)
    if len(out) > 2 and out[-2] in _FAMILY_PREFIXES:
        out[-2:] = [out[-2] + out[-1]]
    return out


@cache
def split_full_name(full: str) -> tuple[str, str]:
    """Given and family name (spaces dropped) read from a full name.

    The last word is the family name, with a suffix written spaced joined to the
    word before it and a prefix before it joined to it; a name of two words
    whose last is a suffix that never stands alone (:data:`_BOUND_SUFFIXES`) is
    one name, read as the given name as a one-word name is.

    Example:
        >>> split_full_name("Seyed Mohammad Reza Ali-zadeh")
        ('mohammadreza', 'alizadeh')
    """
    text = full.replace("،", ",")
    family, comma, given = text.partition(",")
    if comma:  # "Family, Given": honorifics stand before the given name
        text = f"{family} {drop_honorifics(given.replace(',', ' '))}"
    words = _join_affixes(_words(text, family=bool(comma)))
    if not words:
        return "", ""
    if len(words) == 1 or (
        not comma and len(words) == 2 and words[1] in _BOUND_SUFFIXES
    ):
        return "".join(words), ""
    if comma:
        return "".join(words[1:]), words[0]
    return "".join(words[:-1]), words[-1]


@cache
def name_form(raw: str, family: bool = False) -> str:
    """The matching form of one name column: normalised, no honorific, no spaces
    (``family``: a family name, see :func:`drop_honorifics`)."""
    return "".join(_words(raw, family))


#: Least length of a skeleton whose one-letter deletions are blocking keys: in
#: shorter ones (``hsn``, ``l``) a dropped letter meets too many other names.
NEAR_MIN = 4


def near_forms(sk: str) -> list[str] | None:
    """``sk`` and its forms with one letter dropped; None below :data:`NEAR_MIN`.

    Two skeletons one substitution, insertion or deletion apart share a form.

    Example:
        >>> near_forms("sgrn")
        ['grn', 'sgn', 'sgr', 'sgrn', 'srn']
    """
    if len(sk) < NEAR_MIN:
        return None
    return sorted({sk, *(sk[:i] + sk[i + 1 :] for i in range(len(sk)))})
