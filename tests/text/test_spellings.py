"""Spellings learned from pairs of one person's names (issue 16)."""

from __future__ import annotations

from aban.text import normalise_name
from aban.text.keys import skeleton
from aban.text.spellings import (
    MIN_COUNT,
    SpellingTable,
    align,
    edits,
    learn_spellings,
)


def sk(name: str) -> str:
    return skeleton(normalise_name(name))


# Invented names: a Persian spelling and the Latin ones lists write for it.
SAME = [("Bagheri", "Bagheri"), ("Ghaffari", "Ghaffari"), ("Mahmoudi", "Mahmoudi")]
G_FOR_GH = [("باقری", "Bageri"), ("Ghaffari", "Gaffari"), ("Sadeghi", "Sadegi")]


def pairs(named: list[tuple[str, str]], times: int) -> list[tuple[str, str]]:
    return [(sk(a), sk(b)) for a, b in named] * times


def test_alignment_is_least_edit_and_deterministic() -> None:
    assert align("bqr", "bgr") == [("b", "b"), ("q", "g"), ("r", "r")]
    assert align("mhmd", "mhd") == [("m", "m"), ("h", "h"), ("m", ""), ("d", "d")]
    assert edits("Sbz", "Cbzn") == [("C", "S"), ("", "n")]
    assert align("", "ab") == [("", "a"), ("", "b")]


def test_nothing_is_learned_from_no_pairs() -> None:
    table = learn_spellings([])
    assert table == SpellingTable()
    assert table.folds == ()
    assert table.key("bqr") == "bqr"
    assert table.cost("g", "q") is None
    assert learn_spellings([("", "bgr")]).pairs == 0


def test_pairs_that_show_g_for_gh_make_it_cheaper_than_g_for_m() -> None:
    table = learn_spellings(
        pairs(SAME, 10) + pairs(G_FOR_GH, 3) + [(sk("Golami"), sk("Molami"))]
    )
    g_gh, g_m = table.cost("g", "q"), table.cost("g", "m")
    assert g_gh is not None and g_m is not None
    assert g_gh < g_m
    assert [e.label for e in table.folds] == ["g/gh/q"]
    assert table.key(sk("Bageri")) == table.key(sk("باقری")) == table.key(sk("Baqeri"))
    assert table.key(sk("Molami")) != table.key(sk("Golami"))


def test_an_edit_seen_fewer_than_min_count_times_is_no_fold() -> None:
    few = learn_spellings(
        pairs(SAME, 3) + [(sk("Shahbazi"), sk("Chahbazi"))] * (MIN_COUNT - 1)
    )
    assert few.folds == ()
    enough = learn_spellings(
        pairs(SAME, 3) + [(sk("Shahbazi"), sk("Chahbazi"))] * MIN_COUNT
    )
    assert [e.label for e in enough.folds] == ["ch/sh"]
    assert enough.explain(sk("Shahbazi"), sk("Chahbazi")) == ["ch/sh"]


def test_rare_edits_among_many_agreeing_pairs_are_no_fold() -> None:
    # A typo seen five times among thousands of letters written alike.
    table = learn_spellings(pairs(SAME, 400) + [(sk("Ghaffari"), sk("Ghaffati"))] * 5)
    assert table.folds == ()
    assert table.edits[0].letters == ("r", "t")


def test_names_too_far_apart_teach_nothing() -> None:
    table = learn_spellings([(sk("Mohammad"), sk("Reza"))] * 20)
    assert table.edits == ()
    assert table.pairs == 20


def test_table_round_trips_through_its_dict() -> None:
    table = learn_spellings(pairs(SAME, 10) + pairs(G_FOR_GH, 3))
    again = SpellingTable.from_dict(table.to_dict())
    assert [e.letters for e in again.edits] == [e.letters for e in table.edits]
    assert again.folds[0].label == "g/gh/q"
    assert again.key(sk("Bageri")) == table.key(sk("Bageri"))
    assert SpellingTable.from_dict({}) == SpellingTable()
