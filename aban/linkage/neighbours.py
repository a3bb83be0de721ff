"""Candidates for records with one name: their nearest namesakes, not all of them.

A record that carries one name only (a given name alone, a family name alone, or
a one-word name read as a given name) shares that name with thousands of records
in a large register: a blocking rule on the name alone would compare it with all
of them, and one on the name with a second field (city, age, date of death)
misses the partner whenever that field is missing or wrong on either side. So
each such record is compared with its nearest namesakes only: the records that
carry its name as a given or a family name, sorted by date of death then age, by
age then date of death, and by city then date of death (three passes of a
*sorted neighbourhood*), within :data:`WINDOW` places of it in any pass. The
cost is at most ``6 * WINDOW`` pairs per one-name record, whatever the size of
the name's block.

Records with two names meet their nearest namesakes too, within
:data:`PAIR_WINDOW` places, under their given and under their family name: the
pairs that share one name while their other name differs beyond the skeleton
and their city, age or date of death is missing or wrong, which no blocking rule
on two fields brought up (at 10,000 records with ``--noise hard``, 78 of the
404 true pairs that no rule compared). The names are sorted on the skeleton with ``ch``
and ``g`` folded (:data:`_FOLD`), so that ``Hachemi`` meets ``Hashemi``.

A record with fewer than two names (one, or none) also meets its nearest records
of the same city, by date of death then age and by age then date of death,
within :data:`PLACE_WINDOW` places: its partner may carry only the other name,
or a name in the wrong column (a family name read as a given name). In a large
city the block of one day and age holds hundreds of records at a million, so
this pass finds fewer partners as the register grows; its cost stays at most
``4 * PLACE_WINDOW`` pairs per such record.

A one-name record also meets the :data:`CITY_WINDOW` namesakes on either side
of it within its city, by date of death then age and by age then date of death:
the partner whose city agrees while its date or age is off by a little. This
replaces a blocking rule on the name and the city, which compared the record
with every namesake of its city: at a million records a common given name in a
large city is a block of hundreds, and that rule alone made 56 million of the
about 124 million candidate pairs (counted rule by rule, ``--noise hard``).

Measured and not kept (``--noise hard``, 100,000 records): meeting, under the
same given (or family) name, the records of the next distinct spelling of the
other name, sorted forwards and backwards (a typo near the end or near the
start), made 0.6 million more pairs for a pairwise F1 0.0003 higher; the true
pairs it found mostly score below the threshold.

Records that share a given name and whose family names are one letter apart
(the skeleton, or a form of it one letter short, in common: ``Sadeghfar`` and
``Sadeghar``, a dropped letter) are compared here too, not by a blocking rule:
every pair in a block of at most :data:`NEAR_BLOCK` records (a given name with a
form of a family name), and in a larger block each record's :data:`NEAR_WINDOW`
nearest on either side by date of death, by age and by city. At a million
``--noise hard`` records the rule that compared every pair of such a block made
20.5 million candidate pairs, 15 million of them in blocks of more than 30
records (a common given name with two common family names a letter apart,
not a dropped letter), where 100,000 records have 5 of their 2,141 true pairs
of the rule. The learned blocking rule of :mod:`aban.linkage.learning` (the
same on learned keys) is replaced so too when every record is scored anew
(:func:`learned_pairs`).

Two more kinds of record are compared the same way, every pair of a block of at
most :data:`CAPPED_BLOCK` records and the nearest in a larger one
(:data:`WINDOW` on either side in each pass), where a blocking rule compared
every pair: a given name alone against the records of that given name and the
same father's name, and a record with no name against the records of its city
and age. At a million ``--noise hard`` records these two rules made 10.8 and 7.0
million candidate pairs for 8,400 and 9,300 true pairs; 7.4 and 5.0 million of
the pairs (900 and 2,500 true) in blocks of more than 1,000 records.

The pairs reach Splink as a blocking rule on an array column: each pair gets a
token, and a record's array holds the tokens of its pairs, so that exploding the
arrays and joining on the token yields exactly these pairs.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

#: Neighbours on either side of a one-name record in each sorted pass. On
#: ``aban simulate --noise hard`` lists, 3 gives the F1 of 10 (0.9611 and 0.9612
#: at 10,000 records, 0.9299 and 0.9300 at 100,000) for 0.7 more candidate pairs
#: per record instead of 2.3, and a precision 0.0007 higher at 100,000.
WINDOW = 3
#: The sort orders of the passes (after the name).
PASSES: tuple[tuple[str, str], ...] = (("dod", "age"), ("age", "dod"), ("city", "dod"))
#: Namesakes of the same city on either side of a one-name record, by date of
#: death then age and by age then date of death: they replace a blocking rule on
#: the name and the city, which compared such a record with every namesake of its
#: city (56 million of the 124 million pairs that the rules made at 1,000,000
#: ``--noise hard`` records; 0.55 million at 100,000). On those lists at 100,000,
#: 20 gives pairwise F1 0.9338 against the rule's 0.9339 (10: 0.9335; none,
#: 0.9324 before the same-source change): 0.35 million more neighbour pairs at
#: 100,000 and 5.1 million at 1,000,000.
CITY_WINDOW = 20
#: Neighbours on either side in each sorted pass between two records that both
#: carry two names (a given and a family name): the nearest namesakes of every
#: record, for pairs that share one name and whose other name, city, age or date
#: of death disagree (see :func:`neighbour_pairs`).
PAIR_WINDOW = 1
#: Records of the same city on either side of a record with fewer than two names
#: (one name, or none) in a pass by date of death then age and one by age then
#: date of death: its partner may carry the other name, or a name in the wrong
#: column.
PLACE_WINDOW = 3
#: Records sharing a given name and a form of a family name (its skeleton or
#: one of its forms one letter short) up to which every pair of them is compared
#: (see the module docstring).
NEAR_BLOCK = 30
#: Neighbours on either side in each sorted pass of a larger such block.
NEAR_WINDOW = 2
#: Records of one given name and father's name, or of one city and age, up to
#: which every pair of a given name alone (of a record with no name) with
#: another is compared (see the module docstring); a larger block compares
#: :data:`WINDOW` neighbours on either side.
CAPPED_BLOCK = 100
#: Strongest neighbours of a record (pairs at or above the threshold) through
#: which :func:`closure_pairs` pairs records that were not scored together.
CLOSURE_DEGREE = 20
#: The name of the array column of pair tokens.
COLUMN = "neighbours"
#: Letters the skeleton keeps apart that transliterations confuse, folded in the
#: neighbours' sort key only: ``ch`` for ``ش`` (French ``Chahram``, ``Hachemi``)
#: and ``g`` for ``ق``/``غ`` (``Bageri``, ``Gasem``).
_FOLD = str.maketrans({"C": "S", "g": "q"})

Ints = npt.NDArray[np.int64]


def _entries(features: pd.DataFrame) -> pd.DataFrame:
    """One row per name a record carries (given or family skeleton), flagged when
    the record carries that one name only."""
    given, family = features["given_sk"], features["family_sk"]
    one = given.isna() != family.isna()
    parts = []
    for column in ("given_sk", "family_sk"):
        part = features[["dod", "age", "city"]].copy()
        part["rid"] = np.arange(len(features), dtype=np.int64)
        part["name"], part["one"] = features[column].str.translate(_FOLD), one
        parts.append(part[part["name"].notna()])
    return pd.concat(parts, ignore_index=True)


def _in_city(entries: pd.DataFrame) -> pd.DataFrame:
    """The entries of records with a city, their name joined to the city: a
    record's namesakes of its own city, for :data:`CITY_WINDOW`."""
    part = entries[entries["city"].notna()].copy()
    part["name"] = part["name"] + "\x1f" + part["city"].astype(str)
    return part


def _places(features: pd.DataFrame) -> pd.DataFrame:
    """One row per record with a city, the city as its sort key, flagged when the
    record carries fewer than two names."""
    part = features[["dod", "age", "city"]].copy()
    part["rid"] = np.arange(len(features), dtype=np.int64)
    part["name"] = features["city"]
    part["one"] = features["given_sk"].isna() | features["family_sk"].isna()
    return part[part["name"].notna()]


def _sorted_pairs(
    entries: pd.DataFrame,
    passes: tuple[tuple[str, str], ...],
    window: int,
    pair_window: int,
) -> list[Ints]:
    """Pairs of entries with the same ``name`` within ``window`` places of each
    other in a pass when either is flagged ``one``, within ``pair_window`` places
    otherwise."""
    found: list[Ints] = []
    for order in passes:
        ranked = entries.sort_values(
            ["name", *order], na_position="last", kind="stable"
        )
        name = ranked["name"].to_numpy()
        rid = ranked["rid"].to_numpy()
        one = ranked["one"].to_numpy()
        for k in range(1, max(window, pair_window) + 1):
            near = name[k:] == name[:-k]
            if k > pair_window:
                near &= one[k:] | one[:-k]
            elif k > window:
                near &= ~(one[k:] | one[:-k])
            a, b = rid[:-k][near], rid[k:][near]
            found.append(np.column_stack([np.minimum(a, b), np.maximum(a, b)]))
    return found


def _near_entries(
    features: pd.DataFrame,
    given: str = "given_sk",
    forms: str = "family_near",
) -> pd.DataFrame:
    """One row per record with a given name and each form of its family name
    (``forms``), ``name`` the code of the given name (``given``) with the form,
    ``family`` the code of the record's two skeletons (pairs that share both
    meet by another rule)."""
    part = features[[given, forms, "dod", "age", "city"]].copy()
    part["rid"] = np.arange(len(features), dtype=np.int64)
    both = features["given_sk"].astype(str) + "\x1f" + features["family_sk"].astype(str)
    part["family"] = pd.factorize(both)[0]
    part = part[part[given].notna() & part[forms].notna()]
    part = part.explode(forms).dropna(subset=[forms])
    code = pd.factorize(part[given])[0].astype(np.int64)
    form, uniques = pd.factorize(part[forms])
    part["name"] = code * max(1, len(uniques)) + form
    return part


def _near_pairs(entries: pd.DataFrame, block: int, window: int) -> list[Ints]:
    """Pairs of records of different family names in one block of ``entries``:
    every pair where the block has at most ``block`` records, else those within
    ``window`` places of each other in a pass of :data:`PASSES`."""
    size = entries.groupby("name")["rid"].transform("size").to_numpy()
    small, large = entries[size <= block], entries[size > block]
    found: list[Ints] = []
    orders = [((), small, block - 1)] + [(order, large, window) for order in PASSES]
    for order, part, reach in orders:
        ranked = part.sort_values(["name", *order], na_position="last", kind="stable")
        name = ranked["name"].to_numpy()
        rid = ranked["rid"].to_numpy()
        family = ranked["family"].to_numpy()
        for k in range(1, min(reach, len(name) - 1) + 1):
            near = (name[k:] == name[:-k]) & (family[k:] != family[:-k])
            a, b = rid[:-k][near], rid[k:][near]
            found.append(np.column_stack([np.minimum(a, b), np.maximum(a, b)]))
    return found


def _lone_father(features: pd.DataFrame) -> pd.DataFrame:
    """One row per record with a given name and a father's name, keyed by both,
    flagged when the record has no family name (a given name alone)."""
    part = features[["dod", "age", "city"]].copy()
    part["rid"] = np.arange(len(features), dtype=np.int64)
    part["one"] = features["lone_sk"].notna()
    keep = features["given_sk"].notna() & features["father_sk"].notna()
    part["name"] = pd.factorize(
        features["given_sk"].astype(str) + "\x1f" + features["father_sk"].astype(str)
    )[0]
    return part[keep]


def _nameless(features: pd.DataFrame) -> pd.DataFrame:
    """One row per record with a city and an age, keyed by both, flagged when the
    record has no name."""
    part = features[["dod", "age", "city"]].copy()
    part["rid"] = np.arange(len(features), dtype=np.int64)
    part["one"] = features["given_sk"].isna() & features["family_sk"].isna()
    keep = features["city"].notna() & features["age"].notna()
    part["name"] = pd.factorize(
        features["city"].astype(str) + "\x1f" + features["age"].astype(str)
    )[0]
    return part[keep]


def _capped_pairs(entries: pd.DataFrame, block: int, window: int) -> list[Ints]:
    """Pairs of entries with the same ``name``, at least one of them flagged
    ``one``: every such pair of a block of at most ``block`` entries, and in a
    larger block those within ``window`` places in a pass of :data:`PASSES`."""
    size = entries.groupby("name")["rid"].transform("size").to_numpy()
    small, large = entries[size <= block], entries[size > block]
    found = _sorted_pairs(large, PASSES, window, 0)
    ranked = small.sort_values("name", kind="stable")
    name, rid, one = (ranked[c].to_numpy() for c in ("name", "rid", "one"))
    for k in range(1, min(block - 1, len(name) - 1) + 1):
        near = (name[k:] == name[:-k]) & (one[k:] | one[:-k])
        a, b = rid[:-k][near], rid[k:][near]
        found.append(np.column_stack([np.minimum(a, b), np.maximum(a, b)]))
    return found


def neighbour_pairs(
    features: pd.DataFrame,
    window: int | None = None,
    pair_window: int | None = None,
    place_window: int | None = None,
    city_window: int | None = None,
    near_block: int | None = None,
) -> Ints:
    """Pairs of row numbers of records and their nearest namesakes, and of
    records with fewer than two names and their nearest records in their city.

    Args:
        features: Record features (:func:`aban.linkage.features.record_features`),
            in the order of their row numbers.
        window: Namesakes on either side of a one-name record in each pass
            (:data:`WINDOW` unless given).
        pair_window: Namesakes on either side of a two-name record in each pass
            (:data:`PAIR_WINDOW` unless given).
        place_window: Records of the same city on either side of a record with
            fewer than two names in each pass (:data:`PLACE_WINDOW` unless given).
        city_window: Namesakes of the same city on either side of a one-name
            record in each pass (:data:`CITY_WINDOW` unless given).
        near_block: Records of one given name and a form of a family name (of
            one given name and father's name, of one city and age) up to which
            every pair of them is paired (:data:`NEAR_BLOCK` unless given; 0
            pairs none of them).

    Returns:
        An array of shape (pairs, 2), each pair once, smaller row number first,
        sorted.
    """
    window = WINDOW if window is None else window
    pair_window = PAIR_WINDOW if pair_window is None else pair_window
    place_window = PLACE_WINDOW if place_window is None else place_window
    city_window = CITY_WINDOW if city_window is None else city_window
    near_block = NEAR_BLOCK if near_block is None else near_block
    found: list[Ints] = [np.empty((0, 2), dtype=np.int64)]
    entries = _entries(features)
    found += _sorted_pairs(entries, PASSES, window, pair_window)
    found += _sorted_pairs(_in_city(entries), PASSES[:2], city_window, 0)
    found += _sorted_pairs(_places(features), PASSES[:2], place_window, 0)
    if near_block > 0:
        found += _near_pairs(_near_entries(features), near_block, NEAR_WINDOW)
        capped = CAPPED_BLOCK if near_block == NEAR_BLOCK else near_block
        found += _capped_pairs(_lone_father(features), capped, window)
        found += _capped_pairs(_nameless(features), capped, window)
    return _unique(np.concatenate(found), len(features))


def learned_pairs(table: pd.DataFrame, given: str, forms: str) -> Ints:
    """Pairs of row numbers of records whose given names share a learned key
    (column ``given``) and whose family names' learned keys share a form one
    letter short (column ``forms``, a list), as the neighbour pairs of family
    names one letter apart: every pair of a block of at most :data:`NEAR_BLOCK`
    records, the nearest in a larger one. Pairs whose given and family names'
    skeletons both agree are left out (a blocking rule meets them).

    Args:
        table: The records' features with their learned keys, in the order of
            their row numbers.
        given: The column of the given name's learned key.
        forms: The column of the family name's learned key and its forms.

    Returns:
        An array of shape (pairs, 2), each pair once, smaller row number first,
        sorted.
    """
    found = _near_pairs(_near_entries(table, given, forms), NEAR_BLOCK, NEAR_WINDOW)
    return _unique(
        np.concatenate([np.empty((0, 2), dtype=np.int64), *found]), len(table)
    )


def _unique(pairs: Ints, records: int) -> Ints:
    """``pairs`` without self-pairs and repeats, sorted."""
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    # One number per pair: sorting numbers is faster than sorting rows.
    n = max(1, records)
    codes = np.sort(pairs[:, 0] * n + pairs[:, 1])
    codes = codes[np.concatenate([codes[:1] == codes[:1], codes[1:] != codes[:-1]])]
    return np.column_stack([codes // n, codes % n])


def pair_tokens(pairs: Ints, records: int) -> pd.Series:
    """Each record's tokens (a list, or None) such that two records share a token
    exactly when ``pairs`` (shape (k, 2), row numbers) holds them."""
    token = np.arange(len(pairs), dtype=np.int64)
    rid = pairs.T.ravel()
    order = np.argsort(rid, kind="stable")
    tokens = np.concatenate([token, token])[order].tolist()
    counts = np.bincount(rid, minlength=records).tolist()
    out: list[list[int] | None] = []
    start = 0
    for count in counts:
        out.append(tokens[start : start + count] if count else None)
        start += count
    return pd.Series(out, dtype=object)


def neighbour_tokens(features: pd.DataFrame, window: int | None = None) -> pd.Series:
    """Each record's pair tokens (:data:`COLUMN`): a list, or None when it has no
    neighbour pair. Two records share a token exactly when
    :func:`neighbour_pairs` pairs them."""
    return pair_tokens(neighbour_pairs(features, window), len(features))


def closure_pairs(scored: pd.DataFrame, threshold: float, records: int) -> Ints:
    """Pairs of row numbers of records that were not scored together although
    each was scored at least ``threshold`` (a match weight) with a third record.

    Clustering counts a pair that was not scored at the fixed missing weight, a
    strong "different" (:data:`aban.linkage.rules.MISSING_WEIGHT`): when two
    records each resemble a third and no blocking rule met them together (one
    writes the given name alone, the other the family name in another spelling),
    that guess, not their evidence, kept them apart. Scoring these pairs puts
    their own evidence in its place. Each record brings its
    :data:`CLOSURE_DEGREE` strongest such neighbours, so a record that resembles
    many (a namesake with no age and no city) costs a bounded number of pairs.

    Args:
        scored: Scored pairs: ``rid_l``, ``rid_r``, ``match_weight``.
        threshold: The least match weight of a pair through the third record.
        records: The number of records.

    Returns:
        An array of shape (pairs, 2), each pair once, smaller row number first,
        sorted; no pair of ``scored`` is in it.
    """
    from scipy.sparse import coo_array

    weight = scored["match_weight"].to_numpy(dtype=float)
    rid_l = scored["rid_l"].to_numpy(dtype=np.int64)
    rid_r = scored["rid_r"].to_numpy(dtype=np.int64)
    strong = weight >= threshold
    left, right = rid_l[strong], rid_r[strong]
    src = np.concatenate([left, right])
    dst = np.concatenate([right, left])
    both = np.concatenate([weight[strong], weight[strong]])
    # Each record's strongest neighbours first, then a rank within the record.
    order = np.lexsort((-both, src))
    src, dst = src[order], dst[order]
    starts = np.searchsorted(src, src, side="left")
    keep = np.arange(len(src)) - starts < CLOSURE_DEGREE
    src, dst = src[keep], dst[keep]
    n = max(1, records)
    graph = coo_array(
        (np.ones(len(src), dtype=np.int32), (src, dst)), shape=(n, n)
    ).tocsr()
    paths = (graph.T @ graph).tocoo()
    a, b = paths.row.astype(np.int64), paths.col.astype(np.int64)
    upper = a < b
    codes = a[upper] * n + b[upper]
    known = np.concatenate([rid_l * n + rid_r, rid_r * n + rid_l])
    codes = np.unique(codes[~np.isin(codes, known)])
    return np.column_stack([codes // n, codes % n])
