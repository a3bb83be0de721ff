"""The client-side search index: published names with transliteration-invariant keys.

A name's key is the *sound key* of each of its words (:func:`aban.text.keys.sound_key`
on :func:`aban.text.normalise_name`'s words), the same for a Persian
spelling and its Latin spellings (``Pooya Dehghan`` and ``پویا دهقان`` both give
``pUI dhqn``). ``static/names.js`` is a line-by-line port of these functions, so
the page computes the same keys for what the user types; a test checks that
both give the same keys on a list of names. The page matches a query word when
its key begins a word's key (or, from two letters on, occurs anywhere in the
name's keys run together, for compounds written joined), first by sound key and
then by consonant skeleton (the sound key without its long vowels).

The index holds named persons only (consent ``public`` and a name allowed), as
a JavaScript file (``data/search-index.js``) so that it loads from ``file://``.
Each entry is an array: ``[person id, English-page name, Persian-page name,
[keys of each name], city (English), city (Persian), date of death (ISO),
date of death (Solar Hijri, Persian digits), [keys of the city]]``; absent values
are ``""`` (``[]`` for the city's keys). A city's keys are its gazetteer names in
both scripts and their variants, normalised without spaces (``tehran``,
``تهران``, ``teheran``): a query that begins one of them finds the persons of that
city, after every person whose name it finds.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache

from aban.site.i18n import jalali_date
from aban.site.people import Place, PublishedPerson
from aban.text import normalise_name
from aban.text.gazetteer import find_city
from aban.text.keys import drop_honorifics, skeleton, sound_key

__all__ = [
    "INDEX_VARIABLE",
    "name_keys",
    "place_keys",
    "search_index",
    "search_script",
]

#: The global the index file assigns (``window.ABAN_SEARCH``).
INDEX_VARIABLE = "ABAN_SEARCH"


def name_keys(name: str) -> str:
    """The sound keys of a name's words, joined by spaces (empty words dropped).

    Example:
        >>> name_keys("Pooya Dehghan") == name_keys("پویا دهقان")
        True
    """
    keys = (sound_key(word) for word in normalise_name(name).split())
    return " ".join(k for k in keys if k)


def query_keys(query: str) -> list[tuple[str, str]]:
    """The (sound key, skeleton) of each word of a query, as the page computes them.

    Honorifics in front (Seyed, سید, Haj, شهید...) are dropped when other words
    follow, as :func:`aban.text.keys.name_form` drops them. Used by the tests to
    check the JavaScript port.
    """
    words = normalise_name(drop_honorifics(query)).split()
    found = [(sound_key(w), skeleton(w)) for w in words]
    return [pair for pair in found if pair[0]]


@cache
def place_keys(name: str) -> tuple[str, ...]:
    """The search keys of a city: its names in both scripts and their variants
    (normalised, no spaces); the name itself alone when the gazetteer does not
    know it.

    Example:
        >>> "mahshahr" in place_keys("Bandar-e Mahshahr")
        True
    """
    city = find_city(name)
    names = [name]
    if city is not None:
        names += [city.name_en, city.name_fa, *city.variants_en, *city.variants_fa]
    keys = {normalise_name(n).replace(" ", "") for n in names}
    return tuple(sorted(k for k in keys if k))


def _entry(person: PublishedPerson) -> list[object]:
    en = person.names.get("latin") or person.names.get("persian", "")
    fa = person.names.get("persian") or person.names.get("latin", "")
    keys = sorted({k for k in map(name_keys, person.names.values()) if k})
    city = person.values.get("city")
    died = person.values.get("date_of_death")
    return [
        person.person_id,
        en,
        fa,
        keys,
        city.en if isinstance(city, Place) else "",
        city.fa if isinstance(city, Place) else "",
        died or "",
        jalali_date(died) if died else "",
        list(place_keys(city.en)) if isinstance(city, Place) else [],
    ]


def search_index(persons: Iterable[PublishedPerson]) -> list[list[object]]:
    """The index entries of the named persons, in person order."""
    return [_entry(p) for p in persons if p.named]


def search_script(persons: Iterable[PublishedPerson]) -> bytes:
    """The index as a JavaScript file that assigns ``window.ABAN_SEARCH``."""
    text = json.dumps(search_index(persons), ensure_ascii=False, separators=(",", ":"))
    # "</" cannot close a script element, and U+2028/9 are not line breaks in JS.
    text = text.replace("</", "<\\/").replace("\u2028", "\\u2028")
    text = text.replace("\u2029", "\\u2029")
    return f"window.{INDEX_VARIABLE}={text};\n".encode()
