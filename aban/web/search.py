"""Finding persons by name in either script, as the published site's search does.

"Hosseini" finds every حسینی and the reverse: each name is reduced to the keys
of :mod:`aban.site.search` (:func:`~aban.site.search.name_keys`, the sound key of
each word, the same for a Persian spelling and its Latin ones, and the
consonant skeleton), and a query matches a name by the rule of the site's
``search.js``: every word of the query begins a word of the name (or, from two
letters on, occurs in the name's keys run together), by sound key; by skeleton
only when nothing matches by sound or as written. A query word also counts in
its other script's spelling from the name lexicon
(:mod:`aban.text.transliterate`), so a spelling whose sound key differs
(``Husseini``) still finds the word the lexicon knows.

The names are every live record's full name, and its given and family names
together, of each person. The index is built on first use and again only after a
write that can change names or persons (an import, a link, a grade, ...; not a
sign-in or a review decision), so a search does not read every record.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from aban.site.search import name_keys, query_keys
from aban.store.db import Connection
from aban.text import normalise_name, script_of
from aban.text.keys import drop_honorifics, skeleton, sound_key
from aban.text.transliterate import NameLexicon, bundled_lexicon

#: Audit actions that change no name and no person: they do not rebuild the index.
QUIET_ACTIONS = ("web-login", "web-logout", "link-decision")
Key = tuple[str, str]  # a query word's (sound key, skeleton)


@dataclass(frozen=True)
class Name:
    """One name's keys: its words' sound keys and skeletons, and each run together
    (a key of two letters or more that begins a word is in the run, so only a
    one-letter key needs the words)."""

    sound: tuple[str, ...]
    skeleton: tuple[str, ...]
    sound_run: str
    skeleton_run: str

    @classmethod
    def of(cls, text: str) -> Name | None:
        words = tuple(name_keys(text).split())
        if not words:
            return None
        skeletons = tuple(skeleton(w) for w in words)
        return cls(words, skeletons, "".join(words), "".join(skeletons))

    def has(self, key: str, by_sound: bool) -> bool:
        """Whether ``key`` begins a word (or, from two letters on, is in the
        words run together): ``wordMatch`` of the site's search.js."""
        if len(key) >= 2:
            return key in (self.sound_run if by_sound else self.skeleton_run)
        words = self.sound if by_sound else self.skeleton
        return key == "" or any(w.startswith(key) for w in words)


def query_words(query: str, lexicon: NameLexicon) -> list[list[Key]]:
    """Each query word's keys (honorifics in front dropped, as the site drops
    them): as typed, and as the lexicon writes it in the other script
    (:meth:`NameLexicon.persian`, :meth:`NameLexicon.latin`)."""
    words = [w for w in normalise_name(drop_honorifics(query)).split() if sound_key(w)]
    found: list[list[Key]] = []
    for word, keys in zip(words, query_keys(query), strict=True):
        script = script_of(word)
        if script == "latin":
            other = query_keys(lexicon.persian(word))
        elif script == "persian":
            other = query_keys(lexicon.latin(word))
        else:
            other = []
        found.append([keys, *(k for k in other if k != keys)])
    return found


def _fingerprint(conn: Connection) -> int:
    marks = ", ".join("?" * len(QUIET_ACTIONS))
    row = conn.execute(
        f"select seq from audit where action not in ({marks}) "
        "order by seq desc limit 1",
        QUIET_ACTIONS,
    ).fetchone()
    return int(row[0]) if row else 0


def _names(conn: Connection) -> Iterable[tuple[int, str]]:
    rows = conn.execute(
        "select pr.person_id, r.full_name, r.given_name, r.family_name "
        "from person_records pr join live_records r on r.id = pr.record_id"
    )
    for person, full, given, family in rows:
        for text in (full, " ".join(p for p in (given, family) if p)):
            if text:
                yield int(person), str(text)


def _joined(runs: Sequence[str]) -> tuple[tuple[int, ...], str]:
    """Runs in one text, ``\n`` between them, and where each begins."""
    starts, at = [], 0
    for run in runs:
        starts.append(at)
        at += len(run) + 1
    return tuple(starts), "\n".join(runs)


@dataclass(frozen=True)
class _Built:
    """The index: each name's person and keys, and every name's runs of keys in
    one text per kind, so a key of two letters or more is found by the text's
    own search instead of a loop over the names."""

    persons: tuple[int, ...] = ()
    names: tuple[Name, ...] = ()
    sound: tuple[tuple[int, ...], str] = ((), "")
    skeleton: tuple[tuple[int, ...], str] = ((), "")

    @classmethod
    def of(cls, found: Sequence[tuple[int, Name]]) -> _Built:
        return cls(
            tuple(p for p, _ in found),
            tuple(n for _, n in found),
            _joined([n.sound_run for _, n in found]),
            _joined([n.skeleton_run for _, n in found]),
        )

    def hits(self, key: str, by_sound: bool) -> set[int]:
        """The names (their positions) that hold ``key`` by the rule of
        :meth:`Name.has`."""
        if len(key) < 2:
            return {i for i, n in enumerate(self.names) if n.has(key, by_sound)}
        starts, text = self.sound if by_sound else self.skeleton
        found: set[int] = set()
        at = text.find(key)
        while at >= 0:
            index = bisect.bisect_right(starts, at) - 1
            found.add(index)
            # on to the next name: a name counts once
            following = starts[index + 1] if index + 1 < len(starts) else len(text)
            at = text.find(key, following)
        return found

    def matching(self, wanted: Sequence[Sequence[Key]], by_sound: bool) -> set[int]:
        """The persons with a name that holds every query word (any spelling)."""
        part = 0 if by_sound else 1
        names: set[int] | None = None
        for word in wanted:
            either = set().union(*(self.hits(k[part], by_sound) for k in word))
            names = either if names is None else names & either
            if not names:
                return set()
        return {self.persons[i] for i in names or ()}


class NameIndex:
    """Each person's name keys, rebuilt when the register's names may have changed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._mark: int | None = None
        self._built = _Built()
        self.lexicon = bundled_lexicon()

    def refresh(self, conn: Connection) -> None:
        """Rebuild the index if a write since the last build may change names."""
        mark = _fingerprint(conn)
        if mark == self._mark:
            return
        with self._lock:  # one rebuild, not one per waiting request
            if mark == self._mark:
                return
            found: dict[tuple[int, str], Name] = {}
            for person, text in _names(conn):
                if (person, text) not in found and (name := Name.of(text)):
                    found[(person, text)] = name
            self._built = _Built.of([(p, n) for (p, _), n in found.items()])
            self._mark = mark

    def persons(self, conn: Connection, query: str, also: set[int]) -> set[int]:
        """The row ids of the persons with a name that matches ``query`` by sound
        key, with ``also`` (found otherwise); when there are none, those that
        match by skeleton only.

        The site's page ranks skeleton matches after the others; the app lists
        persons by id, so it shows them only when nothing else matched.
        """
        self.refresh(conn)
        wanted = query_words(query, self.lexicon)
        if not wanted:
            return set(also)
        built = self._built  # one snapshot, even if a rebuild swaps it meanwhile
        found = built.matching(wanted, True) | also
        return found or built.matching(wanted, False)
