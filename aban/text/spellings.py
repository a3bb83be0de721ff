"""Spelling equivalences learned from names known to belong to one person.

The skeleton (:func:`aban.text.keys.skeleton`) folds the letter pairs that
spellings are known to merge (``gh``/``q``, ``z``/``ذ``...). Lists written
elsewhere have their own habits (``g`` for ``ق``, ``ch`` for ``ش``): this
module learns them from pairs of skeletons that belong to one person (pairs
linked with confidence, and reviewers' matches), in either script, since both
scripts reduce to the skeleton's alphabet.

* :func:`align`: a Levenshtein alignment of two skeletons, column by column.
* :func:`learn_spellings`: counts each substitution, and each letter written or
  left out, over the alignments; its *rate* is its count over the aligned columns
  that hold either letter, smoothed (``(count + 1/2) / (columns + 1)``), and its
  *cost* ``-log2(rate)`` bits, as in a weighted edit distance. A substitution
  seen at least :data:`MIN_COUNT` times at a rate of at least :data:`MIN_RATE`
  becomes a *fold*: its two letters are read as one in the learned key
  (:meth:`SpellingTable.key`). Nothing is learned from no pairs.

A letter left out is counted and costed but never folded: typos leave letters
out of any name (on Febrl4's English names, 17% of the skeleton letters that
stand for ``gh``, where a typo breaks the digraph), and a fold that dropped a
letter everywhere would make the key much coarser; the skeleton already drops
the letters that spellings leave out by habit (vowels, ``ع``, a final ``h``).

Deterministic: the result depends only on the multiset of pairs.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

#: An edit becomes a fold when seen this many times at least (in distinct pairs
#: of skeletons, each counted as often as it occurs)...
MIN_COUNT = 5
#: ...and at this rate at least: in this share of the aligned columns holding
#: either letter. Typos spread over many letter pairs and stay far below it (at
#: most 0.33%, r/t, on Febrl4's typo-laden English names); the letter noise of
#: ``aban simulate --noise hard`` gives 1.2 to 4.4% (g for gh/q, ch for sh).
#: Rates are those of pairs the first pass links with confidence, so a spelling
#: that weighs against a match shows less often than it is written.
MIN_RATE = 0.01
#: Pairs of skeletons further apart than this (or than half the shorter one) are
#: not aligned: they are other names (a nickname, a second given name), not
#: spellings of one name.
MAX_EDITS = 2

Column = tuple[str, str]

# How the skeleton's letters read in Latin spellings, for people.
_SHOWN = {"q": "gh/q", "S": "sh", "C": "ch", "X": "kh", "j": "j/zh", "": "nothing"}


def shown(letter: str) -> str:
    """A skeleton letter as Latin spellings write it (``q``: ``gh/q``)."""
    return _SHOWN.get(letter, letter)


def align(a: str, b: str) -> list[Column]:
    """A least-edit alignment of ``a`` and ``b``: columns ``(x, y)``, ``""`` a gap.

    Ties go to a substitution, then to a letter of ``a`` left out, so the
    alignment is the same on every run.

    Example:
        >>> align("bqr", "bgr")
        [('b', 'b'), ('q', 'g'), ('r', 'r')]
    """
    n, m = len(a), len(b)
    d = [[i + j if i == 0 or j == 0 else 0 for j in range(m + 1)] for i in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            d[i][j] = min(
                d[i - 1][j - 1] + (a[i - 1] != b[j - 1]),
                d[i - 1][j] + 1,
                d[i][j - 1] + 1,
            )
    columns: list[Column] = []
    i, j = n, m
    while i or j:
        if i and j and d[i][j] == d[i - 1][j - 1] + (a[i - 1] != b[j - 1]):
            columns.append((a[i - 1], b[j - 1]))
            i, j = i - 1, j - 1
        elif i and d[i][j] == d[i - 1][j] + 1:
            columns.append((a[i - 1], ""))
            i -= 1
        else:
            columns.append(("", b[j - 1]))
            j -= 1
    return columns[::-1]


def edits(a: str, b: str) -> list[Column]:
    """The columns of :func:`align` that differ, each as a sorted pair.

    Example:
        >>> edits("Sbzy", "Cbz")
        [('C', 'S'), ('', 'y')]
    """
    out: list[Column] = []
    for x, y in align(a, b):
        if x != y:
            low, high = sorted((x, y))
            out.append((low, high))
    return out


@dataclass(frozen=True)
class Edit:
    """One learned edit: two letters read as one, or one letter written or not.

    Attributes:
        letters: The two skeleton letters, sorted; ``""`` first when a letter is
            left out in one spelling.
        count: Aligned columns with this edit.
        columns: Aligned columns holding either letter.
        cost: ``-log2`` of the smoothed rate, in bits (lower: more usual).
        fold: Whether the learned key reads the letters as one (never for a
            letter left out).
    """

    letters: Column
    count: int
    columns: int
    cost: float
    fold: bool

    @property
    def label(self) -> str:
        """``g/gh/q``, ``ch/sh``, ``h/nothing``: the edit as a person reads it."""
        a, b = self.letters
        if not a:
            return f"{shown(b)}/{shown(a)}"
        return f"{shown(a)}/{shown(b)}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "letters": list(self.letters),
            "label": self.label,
            "count": self.count,
            "columns": self.columns,
            "cost": round(self.cost, 3),
            "fold": self.fold,
        }


@dataclass(frozen=True)
class SpellingTable:
    """What was learned: the edits seen, with their costs, and the folds.

    Attributes:
        pairs: Pairs of names learned from (equal ones included).
        edits: Every edit seen, cheapest first.
    """

    pairs: int = 0
    edits: tuple[Edit, ...] = ()

    @property
    def folds(self) -> tuple[Edit, ...]:
        """The edits the learned key folds."""
        return tuple(e for e in self.edits if e.fold)

    @cached_property
    def _translation(self) -> dict[int, str]:
        """Each folded letter to the first letter of its class (union-find)."""
        parent: dict[str, str] = {}

        def root(c: str) -> str:
            while parent.setdefault(c, c) != c:
                c = parent[c]
            return c

        for a, b in (e.letters for e in self.folds):
            ra, rb = root(a), root(b)
            parent[max(ra, rb)] = min(ra, rb)
        return {ord(c): root(c) for c in parent if root(c) != c}

    def key(self, sk: str) -> str:
        """The learned key of a skeleton: the folds applied, doubled letters once.

        Example:
            >>> table = learn_spellings([("bqr", "bgr")] * 5 + [("bqr", "bqr")] * 9)
            >>> table.key("bgr") == table.key("bqr")
            True
        """
        folded = sk.translate(self._translation)
        return "".join(c for i, c in enumerate(folded) if i == 0 or c != folded[i - 1])

    def cost(self, a: str, b: str) -> float | None:
        """The cost in bits of reading letter ``a`` as ``b``, None if never seen."""
        letters = tuple(sorted((a, b)))
        return next((e.cost for e in self.edits if e.letters == letters), None)

    def explain(self, a: str, b: str) -> list[str]:
        """The folds that make skeletons ``a`` and ``b`` one (labels, in order)."""
        folds = {e.letters: e.label for e in self.folds}
        labels = [folds[c] for c in edits(a, b) if c in folds]
        return list(dict.fromkeys(labels))

    def to_dict(self) -> dict[str, Any]:
        return {"pairs": self.pairs, "edits": [e.to_dict() for e in self.edits]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SpellingTable:
        """The table :meth:`to_dict` wrote."""
        found = tuple(
            Edit(
                (str(e["letters"][0]), str(e["letters"][1])),
                int(e["count"]),
                int(e["columns"]),
                float(e["cost"]),
                bool(e["fold"]),
            )
            for e in data.get("edits", [])
        )
        return cls(int(data.get("pairs", 0)), found)


def _close(a: str, b: str, columns: list[Column]) -> bool:
    changed = sum(x != y for x, y in columns)
    return changed <= MAX_EDITS and 2 * changed <= min(len(a), len(b))


def learn_spellings(pairs: Iterable[tuple[str, str]]) -> SpellingTable:
    """Learn edits and folds from pairs of skeletons of one person's name.

    Args:
        pairs: Skeletons (:func:`aban.text.keys.skeleton`) of one name as two
            records write it; equal pairs count too (they say how often each
            letter is written the same). Empty skeletons are left out.

    Returns:
        The edits seen, cheapest first (then by letters), with their counts,
        costs and folds (see the module docstring). Empty for no pairs.
    """
    weighted = Counter((a, b) for a, b in pairs if a and b)
    letters: Counter[str] = Counter()
    counts: Counter[Column] = Counter()
    for (a, b), n in weighted.items():
        aligned = align(a, b) if a != b else [(c, c) for c in a]
        if a != b and not _close(a, b, aligned):
            continue
        for x, y in aligned:
            for c in {x, y} - {""}:
                letters[c] += n
            if x != y:
                low, high = sorted((x, y))
                counts[(low, high)] += n
    found = []
    for (a, b), n in counts.items():
        seen = letters[a] + letters[b] - n if a else letters[b]
        rate = (n + 0.5) / (seen + 1)
        fold = bool(a) and n >= MIN_COUNT and rate >= MIN_RATE
        found.append(Edit((a, b), n, seen, -math.log2(rate), fold))
    found.sort(key=lambda e: (e.cost, e.letters))
    return SpellingTable(sum(weighted.values()), tuple(found))
