"""Order, current status and conflicts of a detention history."""

from __future__ import annotations

import itertools

import pytest

from aban.detention.history import Conflict, evaluate
from aban.detention.vocab import (
    FACTS,
    STATUSES,
    EventWordError,
    contradict,
    parse_event_word,
)
from tests.detention.helpers import day, entry

AS_OF = day("2022-01-01")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("arrested", "arrested"),
        ("Held Incommunicado", "held_incommunicado"),
        ("held-incommunicado", "held_incommunicado"),
        ("Released on bail", "released_on_bail"),
        ("released", "released"),
        ("Sentenced to death", "death_sentence"),
        ("حکم اعدام", "death_sentence"),
        ("آزادی با وثیقه", "released_on_bail"),
        ("مرگ در بازداشت", "died_in_custody"),
        ("missing", "disappeared"),
        ("commuted", "sentenced"),
        ("no lawyer", "lawyer_access_denied"),
        ("Whereabouts denied", "whereabouts_denied"),
        ("ممنوع‌الملاقات", "family_access_denied"),
    ],
)
def test_event_words_and_synonyms(text: str, kind: str) -> None:
    assert parse_event_word(text) == kind


def test_every_status_and_fact_reads_as_itself_and_unknown_is_empty() -> None:
    for kind in (*STATUSES, *FACTS):
        assert parse_event_word(kind) == kind
    assert parse_event_word("  ") is None
    assert parse_event_word("unknown") is None
    with pytest.raises(EventWordError, match="not a detention status or fact"):
        parse_event_word("killed")


def test_no_synonym_names_two_kinds() -> None:
    from aban.detention.vocab import _SYNONYMS
    from aban.text.vocab import vocabulary_key

    keys = [(vocabulary_key(w), kind) for kind, ws in _SYNONYMS.items() for w in ws]
    assert len({key for key, _ in keys}) == len(set(keys))


def test_contradiction_table() -> None:
    assert contradict("released", "detained")
    assert contradict("sentenced", "death_sentence")
    assert contradict("disappeared", "transferred")
    assert not contradict("charged", "sentenced")
    assert not contradict("released", "released_on_bail")


def test_out_of_order_rows_give_the_same_history() -> None:
    entries = [
        entry("arrested", "2019-11-16", order=1),
        entry("held_incommunicado", "2019-11-18", order=2),
        entry("transferred", "2019-12-01", order=3),
        entry("charged", "2020-01-10", order=4),
    ]
    expected = evaluate(entries, AS_OF)
    assert expected.status == "charged"
    for shuffled in itertools.permutations(entries):
        history = evaluate(list(shuffled), AS_OF)
        assert history.entries == expected.entries
        assert history.status == "charged"
    assert history.last_event == day("2020-01-10")
    assert history.conflicts == ()


def test_one_source_same_day_keeps_import_order_without_conflict() -> None:
    history = evaluate(
        [
            entry("released", "2019-11-20", order=8),
            entry("arrested", "2019-11-20", order=7),
        ],
        AS_OF,
    )
    assert [e.kind for e in history.entries] == ["arrested", "released"]
    assert history.status == "released"
    assert history.conflicts == ()


def test_two_sources_same_day_conflict_is_flagged_and_last_import_is_current() -> None:
    history = evaluate(
        [
            entry("arrested", "2019-11-16", "ngo", order=1),
            entry("released", "2020-02-01", "ngo", order=2),
            entry("detained", "2020-02-01", "family", order=3),
        ],
        AS_OF,
    )
    assert history.status == "detained"
    assert history.conflicts == (
        Conflict(
            "same_date", day("2020-02-01"), ("detained", "released"), ("family", "ngo")
        ),
    )


def test_records_come_before_events_on_one_date_and_undated_first() -> None:
    history = evaluate(
        [
            entry("charged", "2019-12-01", order=1),
            entry("detained", "2019-12-01", "media", origin="record", order=50),
            entry("disappeared", None, "family", origin="record", order=40),
        ],
        AS_OF,
    )
    assert [(e.kind, e.origin) for e in history.entries] == [
        ("disappeared", "record"),
        ("detained", "record"),
        ("charged", "event"),
    ]
    assert history.status == "charged"


def test_released_then_an_older_execution_from_another_source() -> None:
    # Imported in this order: the release first, then an execution dated earlier.
    released = entry("released", "2021-03-01", "family", order=1)
    executed = entry("executed", "2020-06-01", "ngo", order=2)
    history = evaluate([released, executed], AS_OF)
    # One independent source each: the terminal status stays current.
    assert history.status == "executed"
    assert history.conflicts == (
        Conflict(
            "after_terminal",
            day("2021-03-01"),
            ("executed", "released"),
            ("family", "ngo"),
        ),
    )
    assert [e.kind for e in history.entries] == ["executed", "released"]


def test_terminal_status_yields_to_more_independent_later_sources() -> None:
    executed = entry("executed", "2020-06-01", "ngo")
    later = [
        entry("detained", "2020-09-01", "family", order=1),
        entry("transferred", "2020-10-01", "media", order=2),
    ]
    history = evaluate([executed, *later], AS_OF)
    assert history.status == "transferred"
    assert history.conflicts[0].kind == "after_terminal"
    # The same two later sources in one independence group count once.
    grouped = [
        entry("detained", "2020-09-01", "family", group="g", order=1),
        entry("transferred", "2020-10-01", "media", group="g", order=2),
    ]
    assert evaluate([executed, *grouped], AS_OF).status == "executed"
    # A second independent report of the execution outweighs them again.
    second = entry("executed", "2020-06-02", "lawyers")
    assert evaluate([executed, second, *later], AS_OF).status == "executed"


def test_undated_terminal_record_wins_without_a_time_conflict() -> None:
    history = evaluate(
        [
            entry("executed", None, "ngo", origin="record", order=3),
            entry("death_sentence", "2020-05-01", "media", order=1),
        ],
        AS_OF,
    )
    assert history.status == "executed"
    assert history.conflicts == ()


def test_executed_and_died_in_custody_disagree() -> None:
    history = evaluate(
        [
            entry("died_in_custody", "2020-01-05", "family"),
            entry("executed", "2020-01-05", "ngo", order=1),
        ],
        AS_OF,
    )
    assert history.status == "executed"
    assert [c.kind for c in history.conflicts] == ["terminal_disagreement"]


def test_as_of_leaves_later_entries_out() -> None:
    entries = [
        entry("arrested", "2019-11-16"),
        entry("released", "2020-02-01", order=1),
        entry("family_access", "2019-12-01", order=2),
    ]
    before = evaluate(entries, day("2020-01-31"))
    assert before.status == "arrested"
    assert before.last_event == day("2019-12-01")
    assert evaluate(entries, day("2020-02-01")).status == "released"
    nothing = evaluate(entries, day("2019-11-15"))
    assert (nothing.entries, nothing.status, nothing.last_event) == ((), None, None)


def test_facts_do_not_change_the_status() -> None:
    history = evaluate(
        [
            entry("held_incommunicado", "2019-11-20"),
            entry("whereabouts_acknowledged", "2019-12-20", order=1),
        ],
        AS_OF,
    )
    assert history.status == "held_incommunicado"
    assert history.current == 0
    assert history.last_event == day("2019-12-20")
