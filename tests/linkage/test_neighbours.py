"""Candidates of one-name records: their nearest namesakes (issue 16)."""

from __future__ import annotations

import itertools

import pandas as pd

from aban.linkage.features import record_features
from aban.linkage.neighbours import (
    closure_pairs,
    learned_pairs,
    neighbour_pairs,
    neighbour_tokens,
    pair_tokens,
)


def _features() -> pd.DataFrame:
    # Forty Alis with family names, a day of death each, and one record that says
    # only "Ali", dead on the 16th aged 30; one "Karimi" alone, and one nameless.
    days = [f"2019-11-{15 + i % 5:02d}" for i in range(40)]
    records = pd.DataFrame(
        {
            "key": [f"k{i:02d}" for i in range(43)],
            "source": "s",
            "given_name": ["Ali"] * 40 + ["Ali", "", ""],
            "family_name": [f"Family{chr(65 + i % 26)}{i}" for i in range(40)]
            + ["", "Karimi", ""],
            "age": [str(20 + i) for i in range(40)] + ["30", "", "30"],
            "date_of_death": [*days, "2019-11-16", "", "2019-11-16"],
        }
    )
    return record_features(records)


def test_one_name_records_meet_their_nearest_namesakes_only() -> None:
    pairs = neighbour_pairs(_features(), window=2, pair_window=0, near_block=0)
    assert all(40 in pair for pair in pairs.tolist()), "only one-name records"
    partners = {b if a == 40 else a for a, b in pairs.tolist()}
    # Ali aged 30 dead on the 16th: the Alis of the 16th nearest in age, and the
    # nearest in age whatever the day; never all forty.
    assert {6, 11} <= partners
    assert {10, 9} <= partners
    assert len(partners) <= 3 * 2 * 2
    assert pairs.tolist() == sorted(map(list, {tuple(p) for p in pairs.tolist()}))


def test_tokens_pair_exactly_the_neighbour_pairs() -> None:
    features = _features()
    tokens = neighbour_tokens(features, window=2)
    shared = {
        (a, b)
        for a, b in itertools.combinations(range(len(tokens)), 2)
        if tokens[a] and tokens[b] and set(tokens[a]) & set(tokens[b])
    }
    assert shared == {tuple(p) for p in neighbour_pairs(features, 2).tolist()}
    assert tokens[41] is None and tokens[42] is None


def test_two_name_records_meet_their_next_namesake_in_each_pass() -> None:
    # Forty Alis with two names: each meets the Alis next to it in each pass (by
    # its given and by its family name, on either side), not all 39 others.
    pairs = neighbour_pairs(_features(), window=0, pair_window=1, near_block=0)
    assert [6, 11] in pairs.tolist(), "two Alis of the 16th next in age"
    per_record = pd.Series(pairs[pairs < 40].ravel()).value_counts()
    assert per_record.max() <= 3 * 2 * 2


def test_the_sort_key_folds_ch_and_g() -> None:
    # Issue 16: "Hachemi" (ch for ش) and "Bageri" (g for ق) were never compared
    # with "Hashemi" and "Bagheri" when nothing else was shared.
    records = pd.DataFrame(
        {
            "key": ["a", "b", "c", "d"],
            "source": "s",
            "given_name": ["Reza", "", "Sara", ""],
            "family_name": ["Hachemi", "Hashemi", "Bageri", "Bagheri"],
            "age": ["30", "41", "22", "35"],
        }
    )
    pairs = neighbour_pairs(record_features(records), window=1, pair_window=0)
    assert pairs.tolist() == [[0, 1], [2, 3]]


def test_records_with_fewer_than_two_names_meet_their_city() -> None:
    # A family name alone, written in the given name's column, and the same
    # person's given name alone: no name in common, same city, age and day.
    records = pd.DataFrame(
        {
            "key": [f"k{i}" for i in range(5)],
            "source": "s",
            "given_name": ["Sadeghfar", "Shahram", "Reza", "Sara", "Omid"],
            "family_name": ["", "", "Karimi", "Rahimi", "Nazari"],
            "city": ["Karaj", "Karaj", "Karaj", "Karaj", "Qom"],
            "age": ["30", "30", "52", "18", "30"],
            "date_of_death": ["2019-11-16", "2019-11-16", "", "", "2019-11-16"],
        }
    )
    features = record_features(records)
    pairs = neighbour_pairs(
        features, window=0, pair_window=0, place_window=1, near_block=0
    )
    assert [0, 1] in pairs.tolist()
    assert all(0 in pair or 1 in pair for pair in pairs.tolist()), "two names"
    assert not (pairs == 4).any(), "another city"
    none = neighbour_pairs(
        features, window=0, pair_window=0, place_window=0, near_block=0
    )
    assert none.size == 0


def test_one_name_records_meet_their_nearest_namesakes_in_their_city() -> None:
    # Issue 16: forty Alis of Tehran and five of Qom; "Ali" alone, of Tehran,
    # dead on the 16th aged 30, meets the Alis of Tehran nearest in day and age,
    # not all forty (a blocking rule on the name and the city did, and made 56
    # million pairs at a million records).
    days = [f"2019-11-{15 + i % 5:02d}" for i in range(45)]
    records = pd.DataFrame(
        {
            "key": [f"k{i:02d}" for i in range(46)],
            "source": "s",
            "given_name": ["Ali"] * 46,
            "family_name": [f"Family{chr(65 + i % 26)}{i}" for i in range(45)] + [""],
            "city": ["Tehran"] * 40 + ["Qom"] * 5 + ["Tehran"],
            "age": [str(20 + i) for i in range(45)] + ["30"],
            "date_of_death": [*days, "2019-11-16"],
        }
    )
    features = record_features(records)
    pairs = neighbour_pairs(
        features, window=0, pair_window=0, place_window=0, city_window=2, near_block=0
    )
    partners = {b if a == 45 else a for a, b in pairs.tolist()}
    assert all(45 in pair for pair in pairs.tolist()), "only the one-name record"
    assert partners <= set(range(40)), "Tehran only"
    assert {6, 11} <= partners, "the Alis of the 16th nearest in age"
    assert len(partners) <= 2 * 2 * 2
    none = neighbour_pairs(
        features, window=0, pair_window=0, place_window=0, city_window=0, near_block=0
    )
    assert none.size == 0


def _near_records(families: list[str]) -> pd.DataFrame:
    count = len(families)
    return pd.DataFrame(
        {
            "key": [f"k{i:02d}" for i in range(count)],
            "source": "s",
            "given_name": ["Mohammad"] * count,
            "family_name": families,
            "age": [str(20 + i) for i in range(count)],
        }
    )


def test_family_names_one_letter_apart_meet_in_a_small_block() -> None:
    # Issue 16: a dropped letter (Sadeghfar, Sadeghar) under the same given name,
    # every pair of a small block; never two records of the same family name
    # (both skeletons agree: another rule meets them).
    records = _near_records(["Sadeghfar", "Sadeghar", "Sadeghfar", "Bakhtiari"])
    pairs = neighbour_pairs(
        record_features(records),
        window=0,
        pair_window=0,
        place_window=0,
        city_window=0,
    )
    assert pairs.tolist() == [[0, 1], [1, 2]]


def test_family_names_one_letter_apart_meet_their_nearest_in_a_large_block() -> None:
    # Twenty Mohammad Sadeghar and twenty Sadeghfar, aged 20 to 59: in a block
    # this large each record meets its nearest of the other name by age (and by
    # the passes where age and city are missing), not all twenty.
    records = _near_records(["Sadeghar", "Sadeghfar"] * 20)
    features = record_features(records)
    pairs = neighbour_pairs(
        features, window=0, pair_window=0, place_window=0, city_window=0, near_block=10
    )
    assert [0, 1] in pairs.tolist() and [1, 2] in pairs.tolist()
    assert len(pairs) < 20 * 20
    per_record = pd.Series(pairs.ravel()).value_counts()
    assert per_record.max() <= 3 * 2 * 2
    assert all((a - b) % 2 for a, b in pairs.tolist()), "other family name only"


def test_learned_keys_one_letter_apart_meet_as_the_skeletons_do() -> None:
    # The learned rule's pairs (issue 16): the same given name's learned key and a
    # family form in common; not two records whose skeletons both agree.
    table = pd.DataFrame(
        {
            "given_sk": ["mhmd", "mhmd", "mhmd", "mhmd", "al"],
            "family_sk": ["sdqfr", "sdqfr", "sdkfr", "sdqr", "sdqfr"],
            "given_lk": ["mhmd", "mhmd", "mhmd", "mhmd", "al"],
            "family_lnear": [
                ["dqfr", "sdfr", "sdqf", "sdqfr", "sdqr", "sqfr"],
                ["dqfr", "sdfr", "sdqf", "sdqfr", "sdqr", "sqfr"],
                ["dqfr", "sdfr", "sdqf", "sdqfr", "sdqr", "sqfr"],
                ["dqr", "sdq", "sdqr", "sdr", "sqr"],
                ["dqfr", "sdfr", "sdqf", "sdqfr", "sdqr", "sqfr"],
            ],
            "dod": pd.array([None] * 5, dtype="Int64"),
            "age": pd.array([30, 31, 32, 33, 34], dtype="Int64"),
            "city": [None] * 5,
        }
    )
    pairs = learned_pairs(table, "given_lk", "family_lnear")
    assert pairs.tolist() == [[0, 2], [0, 3], [1, 2], [1, 3], [2, 3]]
    tokens = pair_tokens(pairs, len(table))
    shared = {
        (a, b)
        for a, b in itertools.combinations(range(len(table)), 2)
        if tokens[a] and tokens[b] and set(tokens[a]) & set(tokens[b])
    }
    assert shared == {tuple(p) for p in pairs.tolist()}
    assert tokens[4] is None


def test_closure_pairs_meet_records_that_each_match_a_third() -> None:
    # 0-1 and 1-2 match, 0-2 was never scored; 3-4 match but meet no one else
    # above the threshold, and 2-5 was scored weakly: only 0-2 is new.
    scored = pd.DataFrame(
        {
            "rid_l": [0, 1, 1, 3, 2, 3],
            "rid_r": [1, 2, 3, 4, 5, 5],
            "match_weight": [5.0, 3.0, -6.0, 4.0, -5.0, -6.0],
        }
    )
    assert closure_pairs(scored, -4.0, 6).tolist() == [[0, 2]]
    # Lower thresholds: 2-5 and then 1-3 and 3-5 count too (scored pairs never).
    assert closure_pairs(scored, -5.5, 6).tolist() == [[0, 2], [1, 5]]
    assert closure_pairs(scored, -6.0, 6).tolist() == [
        [0, 2],
        [0, 3],
        [1, 4],
        [1, 5],
        [2, 3],
        [4, 5],
    ]


def test_closure_pairs_take_each_records_strongest_neighbours_only() -> None:
    # Record 0 matches 25 records: only its 20 strongest are paired.
    scored = pd.DataFrame(
        {
            "rid_l": [0] * 25,
            "rid_r": list(range(1, 26)),
            "match_weight": [float(w) for w in range(25, 0, -1)],
        }
    )
    pairs = closure_pairs(scored, 0.0, 26)
    assert len(pairs) == 20 * 19 // 2
    assert set(pairs.ravel().tolist()) == set(range(1, 21))
