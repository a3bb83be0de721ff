"""The comparisons of the Splink model: each field's levels with their starting m and u.

Each comparison is a Fellegi-Sunter field; its levels run from strongest to weakest:

* ``given``, ``family``: exact normalised spelling (weighted by the name's
  frequency), the same sound key (long vowels kept, in either script; weighted
  by the key's frequency), similar spelling (Jaro-Winkler ≥ 0.92, same script),
  the same skeleton (transliteration-invariant, weighted by the skeleton's
  frequency), one skeleton the other with one ``h`` more (``an h more or
  less``: Latin spellings write or drop the ``h`` of ``ه`` and ``ح``: ``Mohsen``
  and ``Mosen``, ``Rehza`` and ``رضا``; the first letters agree, for ``Hossein``
  without its first letter is ``Sina``), a skeleton one edit away (two letters
  swapped count as one edit)
  when both have at least :data:`SIMILAR_LENGTH` letters, the same for shorter
  skeletons of three letters or more (``similar short skeleton``: Karimi and
  Karimian), a skeleton two edits away (both at least :data:`CLOSE_LENGTH`
  letters; :func:`below_skeleton` is the Python twin of these three), given
  and family name swapped by their sound keys (from :data:`SWAP_NEAR_LENGTH`
  letters one edit off; the skeleton would read ``Mohammadi`` as ``Mohammad``
  and ``Hosseini`` as ``Hasan``), else disagreement. The sound key ranks above
  similar spelling so that ``Goudarzabadi``/``Gudarzabadi`` weighs as a rare
  name, not as any pair of similar strings. When the linkage learns spellings
  from its first pass, a ``learned spelling`` level follows the same skeleton
  (:mod:`aban.linkage.learning`). The levels between the same skeleton and the
  swap read ``ch`` and ``sh``, ``g`` and ``gh``/``q`` as one letter
  (:data:`FOLD_FROM`). Family names that are one stem with another prefix or
  suffix (``Latifkar``, ``Latifpour``: :func:`name_core`) reach ``one stem,
  another prefix or suffix`` after the ``h`` level, not the levels of one or
  two edits: the skeleton drops the vowels of ``-kar`` and ``-pour``, and left
  such names one letter apart. A record with one name only whose name is the other
  record's family name by the swap's test (:data:`ONE_NAME`) reaches the
  family name's ``one name, the other's family name`` level, weighted by the
  name's frequency, and no given name level.
* ``father``: the same levels without the swap.
* ``age``: exact (weighted by the age's frequency), ±1 year, within the age
  band, within twice the band, else. The band widens with age, read at the older
  of the two ages (:data:`AGE_BANDS`): ±1 year under 20, ±3 from 20, ±5 from 40
  (twice: ±2, ±6, ±10), for ages guessed by a relative or a reporter err more the
  older the person. ``dod`` (date of death): exact, ±1, ±3, ±7 days, else (a list
  may give the date of the report, or the day the family learnt of the death,
  rather than the day of death). ``place``: the same city (weighted by the
  city's frequency), the same province, else. ``sex``, ``injury`` (body region
  hit): same, else.
* ``status``: same; one can follow the other in a person's history (detained
  then disappeared, died in custody or executed; injured or disappeared then
  killed...), for lists written at different times; else (killed against
  detained: usually two people). ``occupation``, ``cause`` (of death): the same
  kind, kinds of one group (a worker and a construction worker; live ammunition
  and pellets), else.
* ``born`` (birth date), ``national_id``: same, one typo (Damerau-Levenshtein
  distance 1), else.

A missing value on either side is a null level: no evidence either way. Every
other level carries its label (which the scored pairs and the review screen
show) and its starting m and u (:class:`Level`), so that a level is added or
moved with its own values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from aban.text.keys import skeleton

#: Comparisons in the order of the model, with a short description each.
COMPARISONS: dict[str, str] = {
    "given": "given name",
    "family": "family name",
    "father": "father's name",
    "age": "age",
    "dod": "date of death",
    "place": "city and province",
    "sex": "sex",
    "status": "status",
    "occupation": "occupation",
    "cause": "cause of death",
    "injury": "injury location",
    "born": "birth date",
    "national_id": "national id",
}

LevelKind = Literal[
    "null", "exact", "jaro_winkler", "difference", "typo", "sql", "else"
]


@dataclass(frozen=True)
class Level:
    """One level of a comparison: how a pair reaches it, its label, its m and u.

    Training replaces m and u; the starting values stand when there is too
    little data to train on (fewer than
    :data:`aban.linkage.model.MIN_TRAINING_RECORDS` records).

    Attributes:
        label: The level's name, unique in its comparison; the scored pairs and
            the review screen show it.
        m: Starting probability that two records of one person reach the level;
            None for the null level.
        u: Starting probability that two records of different persons reach it;
            None for the null level.
        kind: How a pair reaches the level: ``null`` (``column`` is missing on
            either side, or ``sql`` holds: no evidence either way), ``exact``
            (the same ``column``), ``jaro_winkler`` (``column`` at least
            ``limit`` similar), ``difference`` (``column`` at most ``limit``
            apart), ``typo`` (``column`` at most ``limit`` edits apart), ``sql``
            (the condition ``sql`` holds), ``else`` (no level above it matched).
        column: The feature compared (:data:`aban.linkage.features.FEATURE_COLUMNS`).
        limit: The least similarity, or the largest difference or edit distance.
        sql: A condition on the features, suffixed ``_l`` and ``_r``.
        frequency: Weigh agreement by how common the value of ``column`` is.
    """

    label: str
    m: float | None = None
    u: float | None = None
    kind: LevelKind = "sql"
    column: str = ""
    limit: float = 0
    sql: str = ""
    frequency: bool = False


def _missing(column: str) -> Level:
    return Level(f"{column} is NULL", kind="null", column=column)


#: Least length of two skeletons one edit apart at the ``similar skeleton``
#: level; from 3 letters up to this, the ``similar short skeleton`` level: one
#: letter more or less turns a short name into another common one (Karimi and
#: Karimian, Kazemi and Aghakazemi), so a short pair weighs apart.
SIMILAR_LENGTH = 5


#: Letters the skeleton keeps apart that Latin spellings write for one another,
#: read as one by the levels below the same skeleton (the letters in
#: :data:`FOLD_FROM` as those in :data:`FOLD_TO`): ``ch`` for ``ش`` (French
#: spellings: ``Chahram``, ``Hachemi``, ``Kermanchah``) and ``g`` for ``ق`` and
#: ``غ`` (``Golam``, ``Bageri``). Alone, either is already one edit (a similar
#: skeleton); with a typo besides, a name was two or three edits away, and a long
#: one written ``ch`` twice (``Mirrachidvakhch``, ``Mirrashidbakhsh``) different.
#: The neighbours' sort key and the gazetteer's sounds fold the same letters.
FOLD_FROM, FOLD_TO = "Cg", "Sq"
_FOLD = str.maketrans(FOLD_FROM, FOLD_TO)


def _folded(sk: str, side: str) -> str:
    return f"translate({sk}_{side}, '{FOLD_FROM}', '{FOLD_TO}')"


def _lengths(sk: str, apart: int, least: int) -> str:
    # Cheap conditions first: the edit distance is computed only for the pairs of
    # names close enough in length (most pairs are not, and every random pair
    # of training reaches these levels).
    return (
        f"abs(length({sk}_l) - length({sk}_r)) <= {apart} "
        f"and least(length({sk}_l), length({sk}_r)) >= {least}"
    )


def _within(a: str, b: str, edits: int) -> str:
    # At most ``edits`` edits apart, two letters swapped counting as one (DuckDB's
    # damerau_levenshtein). Levenshtein's distance, several times cheaper, counts a
    # swap as two edits: a pair more than twice ``edits`` apart by it is not near.
    return (
        f"levenshtein({a}, {b}) <= {2 * edits} "
        f"and damerau_levenshtein({a}, {b}) <= {edits}"
    )


def _one_edit(sk: str, least: int) -> str:
    # A skeleton one edit away (two letters swapped count as one edit: Zarha,
    # Zahra); at least three letters, or every short name would be near every other.
    return (
        f"{_lengths(sk, 1, least)} and {_within(_folded(sk, 'l'), _folded(sk, 'r'), 1)}"
    )


#: Least length of two skeletons that may be two edits apart at the ``close
#: skeleton`` level: a long name (Pourhosseindoust) takes two slips of the pen
#: and still differs from every other name.
CLOSE_LENGTH = 6


def _two_edits(sk: str) -> str:
    return (
        f"{_lengths(sk, 2, CLOSE_LENGTH)} "
        f"and {_within(_folded(sk, 'l'), _folded(sk, 'r'), 2)}"
    )


def _edits(a: str, b: str) -> int:
    """Edits between ``a`` and ``b``, two adjacent letters swapped counting as one,
    as DuckDB's ``damerau_levenshtein`` counts them (the unrestricted distance: ``ca``
    and ``abc`` are two edits apart, where optimal string alignment says three)."""
    import jellyfish

    return int(jellyfish.damerau_levenshtein_distance(a, b))


#: Label of the level of two skeletons one ``h`` apart.
H_APART = "an h more or less"


def _h_apart(sk: str) -> str:
    # One skeleton is the other with one h more: Latin spellings write or drop
    # the h of ه and ح as speech keeps or elides it (Mohsen/Mosen, Zahra/Zara,
    # Rehza), and both scripts' skeletons keep it. The first letters agree, so
    # that a name without its first letter is another name (Hossein, Sina).
    return (
        f"abs(length({sk}_l) - length({sk}_r)) = 1 "
        f"and least(length({sk}_l), length({sk}_r)) >= 2 "
        f"and substr({_folded(sk, 'l')}, 1, 1) = substr({_folded(sk, 'r')}, 1, 1) "
        f"and replace({_folded(sk, 'l')}, 'h', '') "
        f"= replace({_folded(sk, 'r')}, 'h', '')"
    )


def _is_h_apart(a: str, b: str) -> bool:
    return (
        abs(len(a) - len(b)) == 1
        and min(len(a), len(b)) >= 2
        and a[0] == b[0]
        and a.replace("h", "") == b.replace("h", "")
    )


#: Label of the family name level of two names that are one stem with another
#: prefix or suffix (:func:`name_core`).
AFFIX_LABEL = "one stem, another prefix or suffix"
#: Words that end Persian family names, and words that begin them: a name made
#: of a stem and another of these is another name (Latifkar and Latifpour,
#: Nasirkar and Nasirfar, Mirvalinejad and Pourvalinejad), although the skeleton
#: drops their vowels and leaves them one or two letters apart.
FAMILY_ENDINGS = (
    "pour far kar zadeh nejad abadi panah bakhsh manesh doust vand khani beygi ollahi"
)
FAMILY_BEGINNINGS = "mir mirza pour haji sheykh molla ostad karbalai mashhadi"


def _affix_skeletons(words: str) -> tuple[str, ...]:
    found = {skeleton(w) for w in words.split()}
    # Longest first; one-letter skeletons (lou, nia) end too many names.
    return tuple(sorted((k for k in found if len(k) >= 2), key=lambda k: (-len(k), k)))


_ENDS, _STARTS = _affix_skeletons(FAMILY_ENDINGS), _affix_skeletons(FAMILY_BEGINNINGS)


def name_core(sk: str) -> str:
    """A family name's skeleton without the longest of :data:`FAMILY_BEGINNINGS`
    that begins it and of :data:`FAMILY_ENDINGS` that ends it (each only when two
    letters or more remain).

    Example:
        >>> name_core("ltfpr"), name_core("mrlnjd"), name_core("krm")
        ('ltf', 'lnjd', 'krm')
    """
    start = next((x for x in _STARTS if sk.startswith(x) and len(sk) - len(x) >= 2), "")
    rest = sk[len(start) :]
    end = next((x for x in _ENDS if rest.endswith(x) and len(rest) - len(x) >= 2), "")
    return rest[: len(rest) - len(end)]


def _another_affix(name: str) -> str:
    # Past the same skeleton the skeletons differ, so equal cores mean another
    # prefix or suffix; only for pairs that one of the levels of one or two edits
    # would take (Karimi and Karimipour stay different). The cores first, as a
    # CASE: few pairs share one, and DuckDB then computes no edit distance.
    sk = f"{name}_sk"
    return (
        f"case when {name}_core_l = {name}_core_r "
        f"then ({_one_edit(sk, 3)}) or ({_two_edits(sk)}) else false end"
    )


def below_skeleton(a: str, b: str, affixes: bool = False) -> str:
    """The level of a name comparison below the same skeleton that two different
    skeletons reach by their letters alone (the swap is not told apart): the
    Python twin of the SQL of those levels. With ``affixes`` (family names), one
    stem with another prefix or suffix (:func:`name_core`) comes before the
    levels of one or two edits.

    Example:
        >>> below_skeleton("krm", "krmn"), below_skeleton("qhsnzd", "qhsnd")
        ('similar short skeleton', 'similar skeleton')
        >>> below_skeleton("rhz", "rz"), below_skeleton("mrCdvXC", "mrSdbXS")
        ('an h more or less', 'similar skeleton')
        >>> below_skeleton("ltfkr", "ltfpr", affixes=True)
        'one stem, another prefix or suffix'

    """
    level = _by_edits(a.translate(_FOLD), b.translate(_FOLD))
    if affixes and level not in (H_APART, "different"):
        return AFFIX_LABEL if name_core(a) == name_core(b) else level
    return level


def _by_edits(a: str, b: str) -> str:
    if _is_h_apart(a, b):
        return H_APART
    edits, least = _edits(a, b), min(len(a), len(b))
    if edits <= 1 and least >= SIMILAR_LENGTH:
        return "similar skeleton"
    if edits <= 1 and least >= 3:
        return "similar short skeleton"
    if edits <= 2 and least >= CLOSE_LENGTH:
        return "close skeleton"
    return "different"


#: Least length of two skeletons that may be one edit apart at the ``swapped``
#: level (a one-word name written ``Akbarmanech`` against the family name
#: ``Akbarmanesh``).
SWAP_NEAR_LENGTH = 5


def _same_or_near(a: str, b: str) -> str:
    return (
        f"({a} = {b} or (abs(length({a}) - length({b})) <= 1 "
        f"and least(length({a}), length({b})) >= {SWAP_NEAR_LENGTH} "
        f"and {_within(a, b, 1)}))"
    )


def _swapped(sk: str, other: str) -> str:
    # Given and family names swapped (a one-word name that is the other record's
    # family name is ONE_NAME). From SWAP_NEAR_LENGTH letters, a sound key one
    # edit off counts too.
    return (
        f"({_same_or_near(f'{sk}_l', f'{other}_r')} "
        f"and {_same_or_near(f'{other}_l', f'{sk}_r')})"
    )


#: Label of the family name level of a record with one name only that is the
#: other record's family name (:data:`ONE_NAME`).
ONE_NAME_LABEL = "one name, the other's family name"


def _one_name(a: str, b: str) -> str:
    # Record a's one name (read as a given name) is record b's family name, by
    # sound key (from SWAP_NEAR_LENGTH letters one edit off); false, never NULL,
    # when either is missing. Each test is a CASE, so that DuckDB computes the
    # edit distance only for the pairs that get that far: under AND it orders
    # the terms as it learns their cost and computed many more (in a coalesce,
    # every pair's), and a link of 10,000 records took 40-60% more CPU.
    x, y = f"given_sv_{a}", f"family_sv_{b}"
    return (
        f"case when {x} is null or {y} is null then false when {x} = {y} then true "
        f"when abs(length({x}) - length({y})) <= 1 "
        f"and least(length({x}), length({y})) >= {SWAP_NEAR_LENGTH} "
        f"then {_within(x, y, 1)} else false end"
    )


#: A one-name record whose name is the other record's family name (``Karimi``
#: alone against ``Ali Karimi``; ``Akbarmanech`` against ``Reza Akbarmanesh``):
#: the family name comparison weighs the name as a family name (by its
#: frequency, as the same sound), and the given name comparison has no evidence.
#: As a level of the given name without frequency (``swapped``), a rare family
#: name weighed as much as Mohammadi, and one-name records lost their partners.
ONE_NAME = (
    "(case when family_sk_l is null and family_sk_r is not null "
    f"then {_one_name('l', 'r')} "
    "when family_sk_r is null and family_sk_l is not null "
    f"then {_one_name('r', 'l')} else false end)"
)
#: The family name comparison's null level: a family name missing on either
#: side, unless :data:`ONE_NAME` holds.
_FAMILY_MISSING = f"(family_sk_l is null or family_sk_r is null) and not {ONE_NAME}"


#: Statuses one of which can follow the other in a person's history (a detainee
#: disappears, dies in custody or is executed; the injured or disappeared die):
#: two lists written at different times may each hold one of them.
_RELATED_STATUSES = frozenset(
    {
        ("detained", "disappeared"),
        ("detained", "died_in_custody"),
        ("detained", "executed"),
        ("detained", "injured"),
        ("disappeared", "died_in_custody"),
        ("disappeared", "executed"),
        ("disappeared", "killed"),
        ("died_in_custody", "killed"),
        ("executed", "killed"),
        ("injured", "killed"),
    }
)


def _related_statuses() -> str:
    pairs = ", ".join(f"'{a}/{b}', '{b}/{a}'" for a, b in sorted(_RELATED_STATUSES))
    return f"status_l || '/' || status_r in ({pairs})"


#: Half-widths of the age band in years (``(below this age, width)``), read at the
#: older of the two ages: reported ages err more the older the person (Preston,
#: Elo and Stewart, "Effects of age misreporting on mortality estimates at older
#: ages", Population Studies 53, 1999). The widths are about a tenth of the age,
#: at least a year; the levels' m and u are learnt from the data.
AGE_BANDS: tuple[tuple[int, int], ...] = ((20, 1), (40, 3))
#: Half-width of the band from the last bound of :data:`AGE_BANDS` on.
AGE_BAND_OLDEST = 5


def _age_band(times: int) -> str:
    # |age_l - age_r| within ``times`` the band of the older of the two ages.
    older = "greatest(age_l, age_r)"
    cases = " ".join(
        f"when {older} < {bound} then {width * times}" for bound, width in AGE_BANDS
    )
    return f"abs(age_l - age_r) <= case {cases} else {AGE_BAND_OLDEST * times} end"


def _band_label(times: int) -> str:
    (young, w_young), (old, w_mid) = AGE_BANDS
    return (
        f"within {w_mid * times} years ({w_young * times} under {young}, "
        f"{AGE_BAND_OLDEST * times} from {old})"
    )


_AGE_BAND_LABEL = _band_label(1)
_AGE_WIDE_LABEL = _band_label(2)

_PLACE_MISSING = (
    "(city_l is null or city_r is null) and (province_l is null or province_r is null)"
)

# Each level reads Level(label, m, u, kind, column, limit), strongest first. The
# m of a comparison's levels sum to 1. Frequencies weigh the levels of an equal
# value (spelling, sound, skeleton; age, date, city...): weighing the similar
# spelling and similar skeleton levels too (by the commoner of the two names)
# left F1 unchanged on --noise hard lists of 10,000 records (0.9612, 0.9610).
LEVELS: dict[str, tuple[Level, ...]] = {
    "given": (
        Level(
            "given_sk is NULL",
            kind="null",
            sql=f"given_sk_l is null or given_sk_r is null or {ONE_NAME}",
        ),
        Level("same spelling", 0.25, 0.02, "exact", "given", frequency=True),
        Level("same sound", 0.38, 0.03, "exact", "given_sv", frequency=True),
        Level("similar spelling", 0.05, 0.01, "jaro_winkler", "given", 0.92),
        Level("same skeleton", 0.2, 0.04, "exact", "given_sk", frequency=True),
        Level(H_APART, 0.02, 0.005, sql=_h_apart("given_sk")),
        Level(
            "similar skeleton", 0.02, 0.01, sql=_one_edit("given_sk", SIMILAR_LENGTH)
        ),
        Level("similar short skeleton", 0.01, 0.02, sql=_one_edit("given_sk", 3)),
        Level("close skeleton", 0.01, 0.005, sql=_two_edits("given_sk")),
        Level("swapped", 0.01, 0.001, sql=_swapped("given_sv", "family_sv")),
        Level("different", 0.05, 0.885, "else"),
    ),
    "family": (
        Level(
            "family_sk is NULL",
            kind="null",
            sql=_FAMILY_MISSING,
        ),
        Level("same spelling", 0.25, 0.001, "exact", "family", frequency=True),
        Level("same sound", 0.37, 0.0012, "exact", "family_sv", frequency=True),
        Level("similar spelling", 0.07, 0.0012, "jaro_winkler", "family", 0.92),
        Level("same skeleton", 0.2, 0.0017, "exact", "family_sk", frequency=True),
        Level(H_APART, 0.02, 0.0005, sql=_h_apart("family_sk")),
        Level(AFFIX_LABEL, 0.001, 0.0005, sql=_another_affix("family")),
        Level(
            "similar skeleton", 0.019, 0.002, sql=_one_edit("family_sk", SIMILAR_LENGTH)
        ),
        Level("similar short skeleton", 0.01, 0.003, sql=_one_edit("family_sk", 3)),
        Level("close skeleton", 0.02, 0.002, sql=_two_edits("family_sk")),
        Level("swapped", 0.01, 0.0001, sql=_swapped("family_sv", "given_sv")),
        Level(
            ONE_NAME_LABEL,
            0.01,
            0.0001,
            column="family_sv",
            # Past the null level a family name is missing only where ONE_NAME
            # holds: the cheap test, for every pair of different family names
            # reaches this level.
            sql="family_sk_l is null or family_sk_r is null",
            frequency=True,
        ),
        Level("different", 0.02, 0.976, "else"),
    ),
    "father": (
        _missing("father_sk"),
        Level("same spelling", 0.49, 0.02, "exact", "father", frequency=True),
        Level("same sound", 0.2, 0.01, "exact", "father_sv", frequency=True),
        Level("similar spelling", 0.05, 0.004, "jaro_winkler", "father", 0.92),
        Level("same skeleton", 0.2, 0.013, "exact", "father_sk", frequency=True),
        Level(H_APART, 0.01, 0.005, sql=_h_apart("father_sk")),
        Level(
            "similar skeleton", 0.01, 0.01, sql=_one_edit("father_sk", SIMILAR_LENGTH)
        ),
        Level("similar short skeleton", 0.01, 0.015, sql=_one_edit("father_sk", 3)),
        Level("close skeleton", 0.01, 0.01, sql=_two_edits("father_sk")),
        Level("different", 0.02, 0.93, "else"),
    ),
    "age": (
        _missing("age"),
        Level("same", 0.85, 0.035, "exact", "age", frequency=True),
        Level("within 1 years", 0.07, 0.065, "difference", "age", 1),
        Level(_AGE_BAND_LABEL, 0.04, 0.12, sql=_age_band(1)),
        Level(_AGE_WIDE_LABEL, 0.02, 0.2, sql=_age_band(2)),
        Level("different", 0.02, 0.58, "else"),
    ),
    "dod": (
        _missing("dod"),
        Level("same", 0.85, 0.28, "exact", "dod", frequency=True),
        Level("within 1 days", 0.08, 0.4, "difference", "dod", 1),
        Level("within 3 days", 0.03, 0.25, "difference", "dod", 3),
        Level("within 7 days", 0.02, 0.05, "difference", "dod", 7),
        Level("different", 0.02, 0.02, "else"),
    ),
    "place": (
        Level("place missing", kind="null", sql=_PLACE_MISSING),
        Level("same city", 0.85, 0.025, "exact", "city", frequency=True),
        Level("same province", 0.1, 0.087, sql="province_l = province_r"),
        Level("different", 0.05, 0.89, "else"),
    ),
    "sex": (
        _missing("sex"),
        Level("same", 0.97, 0.84, "exact", "sex"),
        Level("different", 0.03, 0.16, "else"),
    ),
    "status": (
        _missing("status"),
        Level("same", 0.95, 0.75, "exact", "status"),
        Level("one led to the other", 0.03, 0.05, sql=_related_statuses()),
        Level("different", 0.02, 0.2, "else"),
    ),
    "occupation": (
        _missing("occupation"),
        Level("same", 0.85, 0.1, "exact", "occupation", frequency=True),
        Level("related", 0.05, 0.1, "exact", "occupation_group"),
        Level("different", 0.1, 0.8, "else"),
    ),
    "cause": (
        _missing("cause"),
        Level("same", 0.85, 0.6, "exact", "cause", frequency=True),
        Level("related", 0.05, 0.1, "exact", "cause_group"),
        Level("different", 0.1, 0.3, "else"),
    ),
    "injury": (
        _missing("injury"),
        Level("same", 0.9, 0.25, "exact", "injury", frequency=True),
        Level("different", 0.1, 0.75, "else"),
    ),
    "born": (
        _missing("born"),
        Level("same", 0.8, 0.0001, "exact", "born"),
        Level("one typo", 0.1, 0.001, "typo", "born", 1),
        Level("different", 0.1, 0.999, "else"),
    ),
    "national_id": (
        _missing("national_id"),
        Level("same", 0.85, 1e-6, "exact", "national_id"),
        Level("one typo", 0.1, 1e-5, "typo", "national_id", 1),
        Level("different", 0.05, 0.99999, "else"),
    ),
}


def _splink_level(level: Level, frequencies: bool) -> Any:
    """The Splink comparison level of ``level``."""
    import splink.comparison_level_library as cll

    if level.kind == "null" and level.sql:
        made = cll.CustomLevel(level.sql, level.label).configure(is_null_level=True)
    elif level.kind == "null":
        made = cll.NullLevel(level.column)
    elif level.kind == "exact":
        made = cll.ExactMatchLevel(level.column)
    elif level.kind == "jaro_winkler":
        made = cll.JaroWinklerLevel(level.column, level.limit)
    elif level.kind == "difference":
        made = cll.AbsoluteDifferenceLevel(level.column, level.limit)
    elif level.kind == "typo":
        made = cll.DamerauLevenshteinLevel(level.column, int(level.limit))
    elif level.kind == "sql":
        made = cll.CustomLevel(level.sql, level.label)
    else:
        made = cll.ElseLevel()
    made.configure(label_for_charts=level.label)
    if level.frequency and frequencies:
        made.configure(tf_adjustment_column=level.column)
    if level.m is not None and level.u is not None:
        made.configure(m_probability=level.m, u_probability=level.u)
    return made


def splink_comparisons(frequencies: bool = True) -> list[Any]:
    """The Splink comparisons of the model, built from :data:`LEVELS`.

    Args:
        frequencies: Weigh agreement by how common the value is (off for
            inputs of fewer than :data:`aban.linkage.model.MIN_FREQUENCY_RECORDS`
            records).
    """
    import splink.comparison_library as cl

    return [
        cl.CustomComparison(
            [_splink_level(level, frequencies) for level in LEVELS[name]],
            name,
            description,
        )
        for name, description in COMPARISONS.items()
    ]
