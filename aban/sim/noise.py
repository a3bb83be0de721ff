"""Noise that real lists add and the simulator's defaults leave out (issue 16).

Five kinds, each behind its own share (all 0 by default, so that a scenario
without them is byte-identical to one written before they existed):

* ``letters``: letter-level transliteration noise in Latin spellings, one or two
  edits per name: ق/غ written ``g`` as well as ``gh``/``q``, خ as ``x``, ش as ``ch``,
  و as ``w``/``o``/``u``/``oo``, ی as ``ee``/``ei``/``i``/``y``, a double
  consonant written single or a single one doubled.
* ``comma_order``: the full name written "Family, Given" (``Bageri, Hadi``) in one
  cell, the given and family name cells left empty.
* ``one_word``: a name of one word (the family or the given name) in the full
  name only, with the date of death and the city always written.
* ``report_date``: the date of the report instead of the date of death, 1 to 3
  days later.
* ``wide_age``: an age off by more than 3 years, more the older the person.

The kinds themselves are the misses the issue lists on lists written elsewhere.
The letter substitutions are the ones the usual romanisations of Persian disagree
on: the Library of Congress's ALA-LC Persian table and the BGN/PCGN 1958 system
write ق ``q``, غ ``gh``, خ ``kh``, ش ``sh``, و ``v`` or ``u``, ی ``y`` or ``i``;
French-style spellings write ش ``ch`` and و ``ou``; the Azerbaijani and Uzbek
Latin alphabets write خ ``x``; English-speaking writers write long vowels ``ee``
and ``oo``. That ages are misreported more the older the person is a finding of
demographic studies of age misreporting (Preston, Elo and Stewart, "Effects of
age misreporting on mortality estimates at older ages", Population Studies 53,
1999). The shares of the ``hard`` preset and the sizes of the age errors are this
project's choice (no study gives them for lists of victims): high enough that
each kind is a few thousand records at 10k records.

Randomness: one stream per source, spawned apart from the streams of the other
draws, so that turning a kind on changes nothing else in the scenario.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import numpy as np
import numpy.typing as npt

Objects = npt.NDArray[np.object_]
Mask = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]

#: The noise kinds added by this module, in the order of their draws.
KINDS = ("letters", "comma_order", "one_word", "report_date", "wide_age")
#: Kinds every scenario has (their shares are the sources' conventions); the
#: truth names them beside the new ones.
BASE_KINDS = ("variant", "typo", "partial", "unnamed")


@dataclass(frozen=True)
class Noise:
    """Share of each source's records touched by each noise kind (0 to 1).

    ``letters`` counts among records in Latin script, ``one_word`` among records
    with a date of death, ``report_date`` among records that write a date of
    death, ``wide_age`` among records that write an age.
    """

    letters: float = 0.0
    comma_order: float = 0.0
    one_word: float = 0.0
    report_date: float = 0.0
    wide_age: float = 0.0

    @property
    def active(self) -> bool:
        """Whether any kind is on."""
        return any(getattr(self, kind) > 0 for kind in KINDS)

    def problems(self) -> list[str]:
        """One message per share outside [0, 1]."""
        return [
            f"noise {kind} must be between 0 and 1"
            for kind in KINDS
            if not 0.0 <= getattr(self, kind) <= 1.0
        ]

    def to_dict(self) -> dict[str, float]:
        """Each kind's share."""
        return asdict(self)


#: Named sets of shares (``aban simulate --noise hard``).
PRESETS: dict[str, Noise] = {
    "none": Noise(),
    "hard": Noise(
        letters=0.3, comma_order=0.1, one_word=0.05, report_date=0.15, wide_age=0.1
    ),
}


def noise_from(preset: str, shares: dict[str, float]) -> Noise:
    """A preset with some shares replaced.

    Raises:
        KeyError: an unknown preset or kind (the CLI checks both first).
    """
    base = asdict(PRESETS[preset])
    for kind, share in shares.items():
        if kind not in base:
            raise KeyError(kind)
        base[kind] = share
    return Noise(**base)


# Letter rules on lower-case Latin spellings: a pattern and what it may become.
_C = "[bcdfghjklmnpqrstvwxz]"  # consonant letters
# fmt: off
_LETTER_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("gh", ("g", "q")),                       # غ/ق
    ("q", ("g", "gh")),                       # ق
    ("kh", ("x",)),                           # خ
    ("sh", ("ch",)),                          # ش
    ("v", ("w",)),                            # و as a consonant
    ("ou", ("o", "u", "oo")),                 # و as a vowel
    ("oo", ("ou", "u")),
    (f"(?<={_C})u", ("ou", "oo")),
    ("ee", ("i", "ei")),                      # ی
    ("ei", ("ee", "i")),
    ("ey", ("ei",)),
    (f"(?<={_C})i(?!{_C}?[aeiou])", ("ee", "y")),
    (f"(?<={_C})y\\b", ("i", "ee")),
    ("([bdfjklmnprstz])\\1", (r"\1",)),       # a double consonant written single
    ("(?<=[aeiou])([bdfjklmnprstz])(?=[aeiou])", (r"\1\1",)),  # a single one doubled
)
# fmt: on
_COMPILED = tuple((re.compile(p), alts) for p, alts in _LETTER_RULES)


def _capitalised_like(new: str, old: str) -> str:
    """``new`` with each word capitalised where the same word of ``old`` is."""
    words = [
        w[:1].upper() + w[1:] if o[:1].isupper() else w
        for w, o in zip(new.split(" "), old.split(" "), strict=True)
    ]
    return " ".join(words)


def letter_noise(text: str, draws: npt.NDArray[np.float64]) -> str:
    """``text`` with one or two letter-level transliteration edits.

    Args:
        text: A Latin-script name (one or more words).
        draws: Five numbers in [0, 1): how many edits, then for each edit where
            and which replacement.

    Returns:
        The respelt text; unchanged when no rule applies.

    Example:
        >>> letter_noise("Bagheri", np.array([0.9, 0.0, 0.0, 0.0, 0.0]))
        'Bageri'
    """
    lower = text.lower()
    for edit in range(2 if draws[0] < 0.3 else 1):
        spots = [
            (m, alts) for pattern, alts in _COMPILED for m in pattern.finditer(lower)
        ]
        if not spots:
            break
        found, alts = spots[int(draws[1 + 2 * edit] * len(spots))]
        new = found.expand(alts[int(draws[2 + 2 * edit] * len(alts))])
        lower = lower[: found.start()] + new + lower[found.end() :]
    return _capitalised_like(lower, text)


@dataclass(frozen=True)
class NoisePlan:
    """Which rows of a source each kind chose, and the draws that shape it."""

    chosen: dict[str, Mask]
    # (16, rows) numbers in [0, 1): 0 report days, 1-2 age error, 3 which name
    # parts, 4 which word, 5-9 and 10-14 letter edits of the given and family name
    detail: npt.NDArray[np.float64]


def plan_noise(
    noise: Noise,
    fa: Mask,
    death: Ints,
    present: dict[str, Mask],
    rng: np.random.Generator,
) -> tuple[NoisePlan, dict[str, Mask]]:
    """Choose the rows of each kind; a one-word name always shows date and city.

    Args:
        noise: The shares.
        fa: Rows in Persian script.
        death: Each row's date of death (ordinal, -1 when none).
        present: Which optional cells each row fills.
        rng: The source's noise stream.

    Returns:
        The plan and ``present`` with the one-word rows' date and city filled.
    """
    m = len(fa)
    pick = rng.random((len(KINDS), m))
    detail = rng.random((16, m))
    one_word = (pick[2] < noise.one_word) & (death > 0)
    present = dict(present)
    for column in ("date_of_death", "city"):
        if column in present:
            present[column] = present[column] | one_word
    none = np.zeros(m, dtype=np.bool_)
    chosen = {
        "letters": (pick[0] < noise.letters) & ~fa,
        "comma_order": (pick[1] < noise.comma_order) & ~one_word,
        "one_word": one_word,
        "report_date": (pick[3] < noise.report_date)
        & present.get("date_of_death", none)
        & (death > 0),
        "wide_age": (pick[4] < noise.wide_age) & present.get("age", none),
    }
    return NoisePlan(chosen, detail), present


def shifted_death(plan: NoisePlan, death: Ints) -> Ints:
    """Dates of the report (1 to 3 days after the death) where chosen."""
    days = 1 + (plan.detail[0] * 3).astype(np.int64)
    return np.where(plan.chosen["report_date"], death + days, death)


def widened_age(plan: NoisePlan, age: Ints) -> Ints:
    """Ages off by 4 years or more where chosen: 4 plus up to a quarter of the age
    (4 to 9 years at 20, 4 to 19 at 60), up or down (up when down would be < 1)."""
    size = 4 + (plan.detail[1] * (age / 4 + 1)).astype(np.int64)
    down = (plan.detail[2] < 0.5) & (age - size >= 1)
    wrong = np.where(down, age - size, age + size)
    return np.where(plan.chosen["wide_age"], wrong, age)


def _respell(
    given: str, family: str, draws: npt.NDArray[np.float64]
) -> tuple[str, str]:
    """Letter noise in the given name, the family name or both (a third each)."""
    parts = [given, family]
    targets = [i for i in (0, 1) if parts[i]]
    if len(targets) == 2 and draws[3] < 2 / 3:
        targets = [0] if draws[3] < 1 / 3 else [1]
    for i in targets:
        parts[i] = letter_noise(parts[i], draws[5 + 5 * i : 10 + 5 * i])
    return parts[0], parts[1]


def apply_name_noise(
    cells: dict[str, Objects], plan: NoisePlan, fa: Mask
) -> dict[str, Mask]:
    """Apply the name kinds to the name cells, in place.

    Letter noise first (Latin rows), then a one-word name (the family name, or
    the last word of the given name when there is no family name or for 40% of
    rows) or "Family, Given" (``،`` in Persian script); both leave the given and
    family name cells empty, the name being in the full name only.

    Returns:
        The rows each name kind changed.
    """
    given, family = cells["given_name"].copy(), cells["family_name"].copy()
    full = cells["full_name"].copy()
    m = len(full)
    touched = {k: np.zeros(m, dtype=np.bool_) for k in KINDS[:3]}
    detail = plan.detail.T
    for i in np.flatnonzero(plan.chosen["letters"]).tolist():
        g, f = _respell(given[i], family[i], detail[i])
        touched["letters"][i] = (g, f) != (given[i], family[i])
        given[i], family[i] = g, f
        full[i] = f"{g} {f}".strip()
    for i in np.flatnonzero(plan.chosen["one_word"]).tolist():
        words = given[i].split()
        use_given = bool(words) and (not family[i] or detail[i][4] < 0.4)
        word = words[-1] if use_given else family[i]
        touched["one_word"][i] = bool(word)
        full[i], given[i], family[i] = word, "", ""
    for i in np.flatnonzero(plan.chosen["comma_order"]).tolist():
        if given[i] and family[i]:
            comma = "، " if fa[i] else ", "
            full[i] = f"{family[i]}{comma}{given[i]}"
            given[i], family[i] = "", ""
            touched["comma_order"][i] = True
    cells.update(full_name=full, given_name=given, family_name=family)
    return touched


def kind_labels(kinds: dict[str, Mask], m: int) -> Objects:
    """Each row's kinds, in the order of BASE_KINDS then KINDS, joined by ``;``."""
    labels = np.full(m, "", dtype=object)
    for kind in (*BASE_KINDS, *KINDS):
        if kind in kinds:
            mark = np.where(labels == "", kind, labels + ";" + kind)
            labels = np.where(kinds[kind], mark, labels)
    return labels
