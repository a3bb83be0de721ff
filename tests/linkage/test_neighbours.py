"""Candidates of one-name records: their nearest namesakes (issue 16)."""

from __future__ import annotations

import itertools

import pandas as pd

from aban.linkage.features import record_features
from aban.linkage.neighbours import neighbour_pairs, neighbour_tokens


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
    pairs = neighbour_pairs(_features(), window=2)
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
