"""The comparisons' levels carry their own labels and starting m and u (issue 12)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from aban.linkage import model
from aban.linkage.comparisons import AFFIX_LABEL, COMPARISONS, LEVELS, ONE_NAME_LABEL


def test_every_comparison_has_levels_in_model_order() -> None:
    assert list(LEVELS) == list(COMPARISONS)


@pytest.mark.parametrize("name", list(LEVELS))
def test_levels_are_named_and_carry_their_defaults(name: str) -> None:
    levels = LEVELS[name]
    labels = [level.label for level in levels]
    assert len(set(labels)) == len(labels), f"{name}: labels repeat"
    null, *rest = levels
    assert null.kind == "null" and null.m is None and null.u is None
    assert rest[-1].kind == "else"
    for level in rest:
        assert level.kind != "null"
        assert level.m is not None and 0 < level.m < 1, (name, level.label)
        assert level.u is not None and 0 < level.u < 1, (name, level.label)
    assert math.isclose(sum(level.m or 0 for level in rest), 1.0)


def _splink_levels(frequencies: bool) -> dict[str, list[dict[str, Any]]]:
    built = model.settings(frequencies=frequencies).get_settings("duckdb").as_dict()
    return {
        c["output_column_name"]: c["comparison_levels"] for c in built["comparisons"]
    }


@pytest.mark.parametrize("frequencies", [True, False])
def test_splink_levels_are_built_from_the_table(frequencies: bool) -> None:
    built = _splink_levels(frequencies)
    assert list(built) == list(LEVELS)
    for name, levels in LEVELS.items():
        assert len(built[name]) == len(levels)
        for level, made in zip(levels, built[name], strict=True):
            assert made["label_for_charts"] == level.label
            assert made.get("is_null_level", False) == (level.kind == "null")
            assert made.get("m_probability") == level.m
            assert made.get("u_probability") == level.u
            weighted = frequencies and level.frequency
            assert made.get("tf_adjustment_column") == (
                level.column if weighted else None
            )


def _level_of(name: str, row: dict[str, Any]) -> str:
    """The label of the first level of ``name`` that a pair ``row`` reaches, run
    as the levels' own SQL on a one-row table."""
    import duckdb

    con = duckdb.connect()
    columns = ", ".join(f"{value!r} as {key}" for key, value in row.items())
    con.execute(f"create table pairs as select {columns}")
    for level in LEVELS[name][1:]:
        column = level.column
        condition = {
            "exact": f"{column}_l = {column}_r",
            "difference": f"abs({column}_l - {column}_r) <= {level.limit}",
            "sql": level.sql,
            "else": "true",
        }[level.kind]
        if con.execute(f"select {condition} from pairs").fetchone() == (True,):
            return level.label
    raise AssertionError("no level")


@pytest.mark.parametrize(
    ("ages", "label"),
    [
        ((17, 17), "same"),
        ((17, 18), "within 1 years"),
        ((17, 19), "within 6 years (2 under 20, 10 from 40)"),
        ((17, 20), "within 3 years (1 under 20, 5 from 40)"),
        ((25, 28), "within 3 years (1 under 20, 5 from 40)"),
        ((25, 31), "within 6 years (2 under 20, 10 from 40)"),
        ((25, 32), "different"),
        ((36, 41), "within 3 years (1 under 20, 5 from 40)"),
        ((55, 45), "within 6 years (2 under 20, 10 from 40)"),
        ((55, 44), "different"),
    ],
)
def test_age_band_widens_with_age(ages: tuple[int, int], label: str) -> None:
    # Issue 16: the band is read at the older of the two ages.
    assert _level_of("age", {"age_l": ages[0], "age_r": ages[1]}) == label


@pytest.mark.parametrize(
    ("days", "label"),
    [(0, "same"), (1, "within 1 days"), (3, "within 3 days"), (6, "within 7 days")],
)
def test_dates_of_death_a_week_apart_still_count(days: int, label: str) -> None:
    # Issue 16: a list may give the date of the report, not of the death.
    row = {"dod_l": 18216, "dod_r": 18216 + days}
    assert _level_of("dod", row) == label
    assert _level_of("dod", {"dod_l": 18216, "dod_r": 18224}) == "different"


def _name_level(name: str, left: dict[str, str], right: dict[str, str]) -> str:
    """The label of the first level of comparison ``name`` that two records reach,
    by the levels' SQL run in DuckDB on their features."""
    import duckdb
    import pandas as pd

    from aban.linkage.features import record_features

    rows = pd.DataFrame([{"source": "s", **left}, {"source": "t", **right}])
    rows.insert(0, "key", ["a", "b"])
    features = record_features(rows)
    pair = pd.concat(
        [
            features.iloc[[0]].add_suffix("_l").reset_index(drop=True),
            features.iloc[[1]].add_suffix("_r").reset_index(drop=True),
        ],
        axis=1,
    )
    con = duckdb.connect()
    con.register("pair", pair)
    missing = LEVELS[name][0]
    null = missing.sql or f"{missing.column}_l is null or {missing.column}_r is null"
    if con.execute(f"select coalesce(({null}), false) from pair").fetchone()[0]:
        return "missing"
    for level in LEVELS[name][1:-1]:
        if level.kind == "sql":
            sql = level.sql
        elif level.kind == "exact":
            sql = f"{level.column}_l = {level.column}_r"
        else:
            continue
        if con.execute(f"select coalesce(({sql}), false) from pair").fetchone()[0]:
            return level.label
    return "different"


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ({"full_name": "Ali Karimi"}, {"full_name": "Karimi Ali"}, "swapped"),
        # Not Mohammad against Mohammadi, nor Hasan Mohammadi against Mohammad
        # Hosseini, which the skeletons (without long vowels) confuse.
        ({"full_name": "Mohammad"}, {"full_name": "Bagher Mohammadi"}, "different"),
        (
            {"full_name": "Hasan Mohammadi"},
            {"full_name": "Mohammad Hosseini"},
            "different",
        ),
    ],
)
def test_swapped_names(
    left: dict[str, str], right: dict[str, str], expected: str
) -> None:
    assert _name_level("given", left, right) == expected


@pytest.mark.parametrize(
    ("left", "right", "family"),
    [
        ({"full_name": "Karimi"}, {"full_name": "Ali Karimi"}, ONE_NAME_LABEL),
        # Issue 16: a one-word name one slip off the other's family name...
        (
            {"full_name": "Akbarmanech"},
            {"full_name": "Reza Akbarmanesh"},
            ONE_NAME_LABEL,
        ),
        ({"full_name": "کریمی"}, {"full_name": "Ali Karimi"}, ONE_NAME_LABEL),
        # ...but not Mohammad against Mohammadi (the sound keys differ by a long
        # vowel at fewer than five letters), whose given names then compare.
        ({"full_name": "Mohammad"}, {"full_name": "Bagher Mohammadi"}, "missing"),
    ],
)
def test_one_name_as_the_family_name(
    left: dict[str, str], right: dict[str, str], family: str
) -> None:
    # Issue 16: a one-name record that is the other's family name is weighed as a
    # family name (by its frequency); its given name comparison is then missing.
    assert _name_level("family", left, right) == family
    assert _name_level("family", right, left) == family
    given = _name_level("given", left, right)
    assert (given == "missing") == (family == ONE_NAME_LABEL)


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        # Issue 16: one letter off weighs apart in short and long family names.
        ("Karimi", "Karimian", "similar short skeleton"),
        ("Aghahosseinzadeh", "Aghahosseinadeh", "similar skeleton"),
        ("Pourhoseyndoust", "Pouhrhoseydnoust", "close skeleton"),
        ("Karimi", "Kermani", "similar short skeleton"),
        ("Karimi", "Rahimi", "different"),
        # ch for ش and g for ق read as one below the same skeleton: with a slip
        # besides, a long name written ch twice was three edits away.
        ("Mirrashidbakhsh", "Mirrachidvakhch", "similar skeleton"),
        ("Sheikhshakourdoust", "Cheykhchakourdoust", "similar skeleton"),
        ("Gholamnezhad", "Golamnejhad", "an h more or less"),
        # One stem with another suffix or prefix is another name, one or two
        # letters of the skeleton apart; a slip in the stem is not.
        ("Latifkar", "Latifpour", AFFIX_LABEL),
        ("Nasirkar", "Nasirfar", AFFIX_LABEL),
        ("Mirvalinejad", "Pourvalinejad", AFFIX_LABEL),
        ("لطیف‌کار", "Latifpour", AFFIX_LABEL),
        ("Latifpour", "Latifpor", "same skeleton"),
        ("Hassanabadi", "Hassanpanah", "different"),
        ("Yaghoubpour", "Yaghoobpor", "same skeleton"),
        ("Nasirpour", "Nasrpour", "same skeleton"),
        ("Nasirpour", "Nazirpour", "similar skeleton"),
        ("Karimi", "Karimipour", "different"),
    ],
)
def test_family_names_a_slip_apart(left: str, right: str, expected: str) -> None:
    level = _name_level(
        "family",
        {"given_name": "Ali", "family_name": left},
        {"given_name": "Ali", "family_name": right},
    )
    assert level == expected


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        # Issue 16: an h written or dropped, in either script...
        ("Rehza", "رضا", "an h more or less"),
        ("Mohsen", "Mosen", "an h more or less"),
        ("Zahra", "Zara", "an h more or less"),
        # ...but not a name without its first letter, nor an h for another letter.
        ("Hossein", "Sina", "different"),
        ("Ahmad", "Mohammad", "similar short skeleton"),
    ],
)
def test_an_h_more_or_less(left: str, right: str, expected: str) -> None:
    level = _name_level(
        "given",
        {"given_name": left, "family_name": "Karimi"},
        {"given_name": right, "family_name": "Karimi"},
    )
    assert level == expected


@pytest.mark.parametrize("edits", [1, 2])
def test_the_cheap_edit_test_is_damerau_levenshtein(edits: int) -> None:
    # Every pair of strings of up to four letters of three: a swap, a swap with a
    # letter between (ca, abc: two edits), letters in and out at either end.
    import duckdb

    from aban.linkage.comparisons import _within

    words = [""]
    for _ in range(4):
        words += [w + c for w in words if len(w) == len(words[-1]) for c in "abc"]
    con = duckdb.connect()
    con.execute("create table w as select unnest(?) as a", [sorted(set(words))])
    cheap = _within("l.a", "r.a", edits)
    exact = f"damerau_levenshtein(l.a, r.a) <= {edits}"
    differ = con.execute(
        f"select count(*), count(*) filter (where ({cheap}) != ({exact})) "
        "from w as l, w as r"
    ).fetchone()
    assert differ == (121**2, 0)


def test_the_python_twin_counts_edits_as_duckdb_does() -> None:
    # The review screen and the learned keys' u ask the Python twin which level two
    # skeletons reach; it must count edits as the SQL the pairs were scored by.
    import duckdb

    from aban.linkage.comparisons import _edits

    words = [""]
    for _ in range(4):
        words += [w + c for w in words if len(w) == len(words[-1]) for c in "abc"]
    words = sorted(set(words))
    sql = duckdb.connect().execute(
        "select l.a, r.a, damerau_levenshtein(l.a, r.a) "
        "from (select unnest(?) as a) as l, (select unnest(?) as a) as r",
        [words, words],
    )
    differ = [(a, b) for a, b, d in sql.fetchall() if _edits(a, b) != d]
    assert (len(words), differ) == (121, [])


def test_the_python_twin_of_the_skeleton_levels() -> None:
    from aban.linkage.comparisons import below_skeleton

    assert below_skeleton("zrh", "zhr") == "similar short skeleton"
    assert below_skeleton("prhsndst", "phrhsdnst") == "close skeleton"
    assert below_skeleton("mhmd", "hsn") == "different"
    assert below_skeleton("mhsn", "msn") == "an h more or less"
    assert below_skeleton("hsn", "sn") == "different"
    # Two edits as DuckDB counts them (ca, abc), not three as optimal string
    # alignment does.
    assert below_skeleton("trbkca", "trbkabc") == "close skeleton"
    # Issue 16: another suffix or prefix, for family names only.
    assert below_skeleton("ltfkr", "ltfpr") == "similar skeleton"
    assert below_skeleton("ltfkr", "ltfpr", affixes=True) == AFFIX_LABEL
    assert below_skeleton("mrlnjd", "prlnjd", affixes=True) == AFFIX_LABEL
    assert below_skeleton("krm", "krmpr", affixes=True) == "different"
    assert below_skeleton("nsrpr", "nzrpr", affixes=True) == "similar skeleton"


@pytest.mark.parametrize(
    ("sk", "core"),
    [
        ("ltfpr", "ltf"),
        ("hsnbd", "hsn"),
        ("mrlnjd", "lnjd"),
        ("prl", "prl"),
        ("krm", "krm"),
        ("bXS", "bXS"),
    ],
)
def test_name_core_keeps_two_letters_at_least(sk: str, core: str) -> None:
    from aban.linkage.comparisons import name_core

    assert name_core(sk) == core
