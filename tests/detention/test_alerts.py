"""Alerts on dated scenarios: each kind, its boundary days, as-of before and after."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest

from aban.detention.alerts import (
    Alert,
    AlertSettings,
    alert_settings,
    case_alerts,
    whereabouts,
)
from aban.detention.history import Entry, evaluate
from aban.errors import ConfigError
from tests.detention.helpers import day, entry


def alerts_on(entries: Sequence[Entry], as_of: str, **settings: int) -> list[Alert]:
    when = day(as_of)
    return list(case_alerts(evaluate(entries, when), when, AlertSettings(**settings)))


def kinds(entries: Sequence[Entry], as_of: str) -> list[str]:
    return [a.kind for a in alerts_on(entries, as_of)]


INCOMMUNICADO = [
    entry("arrested", "2020-01-01"),
    entry("held_incommunicado", "2020-01-02", order=1),
]


def test_incommunicado_alerts_after_14_days_not_on_the_14th() -> None:
    assert kinds(INCOMMUNICADO, "2020-01-16") == []  # 14 days
    assert alerts_on(INCOMMUNICADO, "2020-01-17") == [
        Alert("held_incommunicado", day("2020-01-02"), 15)
    ]


def test_incommunicado_counts_from_the_first_report_of_the_run() -> None:
    again = [*INCOMMUNICADO, entry("held_incommunicado", "2020-01-12", "media")]
    assert alerts_on(again, "2020-01-17") == [
        Alert("held_incommunicado", day("2020-01-02"), 15)
    ]


def test_incommunicado_ends_with_access_or_a_new_status() -> None:
    visited = [*INCOMMUNICADO, entry("family_access", "2020-01-10", order=2)]
    assert kinds(visited, "2020-01-20") == []
    lawyer = [*INCOMMUNICADO, entry("lawyer_access", "2020-01-02", order=2)]
    assert kinds(lawyer, "2020-01-20") == []
    moved = [*INCOMMUNICADO, entry("transferred", "2020-01-10", order=2)]
    assert kinds(moved, "2020-01-20") == []
    # Access before the spell began does not end it.
    earlier = [entry("family_access", "2020-01-01", order=5), *INCOMMUNICADO]
    assert kinds(earlier, "2020-01-20") == ["held_incommunicado"]


def test_no_news_after_30_days_not_on_the_30th() -> None:
    held = [entry("arrested", "2020-01-01"), entry("charged", "2020-01-10", order=1)]
    assert kinds(held, "2020-02-09") == []  # 30 days after the last event
    assert alerts_on(held, "2020-02-10") == [Alert("no_news", day("2020-01-10"), 31)]


def test_a_fact_is_news() -> None:
    held = [
        entry("arrested", "2020-01-01"),
        entry("lawyer_access", "2020-02-01", order=1),
    ]
    assert kinds(held, "2020-03-02") == []
    assert alerts_on(held, "2020-03-03") == [Alert("no_news", day("2020-02-01"), 31)]


def test_released_or_dead_cases_never_alert() -> None:
    for last in ("released", "released_on_bail", "executed", "died_in_custody"):
        history = [*INCOMMUNICADO, entry(last, "2020-01-05", order=2)]
        assert kinds(history, "2021-01-01") == [], last


def test_as_of_before_and_after_a_release() -> None:
    history = [*INCOMMUNICADO, entry("released", "2020-03-01", order=2)]
    assert kinds(history, "2020-02-29") == ["held_incommunicado", "no_news"]
    assert kinds(history, "2020-03-01") == []
    assert kinds(history, "2019-12-31") == []  # before the arrest


DEATH_ROW = [
    entry("arrested", "2020-01-01"),
    entry("tried", "2020-02-01", order=1),
    entry("death_sentence", "2020-03-01", order=2),
    entry("transferred", "2020-04-01", order=3),
    entry("sentenced", "2020-05-01", "media", order=4, note="commuted to 15 years"),
]


def test_death_sentence_stands_from_its_day_until_commuted() -> None:
    assert kinds(DEATH_ROW, "2020-02-29") == []
    assert alerts_on(DEATH_ROW, "2020-03-01") == [
        Alert("death_sentence", day("2020-03-01"), 0)
    ]
    # A transfer does not lift it; the alert keeps its first day.
    assert alerts_on(DEATH_ROW, "2020-04-15") == [
        Alert("death_sentence", day("2020-03-01"), 45)
    ]
    assert kinds(DEATH_ROW, "2020-05-01") == []


def test_a_second_death_sentence_after_commutation_starts_again() -> None:
    history = [*DEATH_ROW, entry("death_sentence", "2020-08-01", order=5)]
    assert alerts_on(history, "2020-08-11") == [
        Alert("death_sentence", day("2020-08-01"), 10)
    ]


def test_whereabouts_denied_until_acknowledged() -> None:
    history = [
        entry("arrested", "2020-01-01"),
        entry("whereabouts_denied", "2020-01-03", "family", order=1),
        entry("charged", "2020-01-20", order=2),
        entry("whereabouts_acknowledged", "2020-02-01", order=3),
    ]
    # An explicit denial outlasts a later status.
    assert alerts_on(history, "2020-01-25") == [
        Alert("whereabouts_denied", day("2020-01-03"), 22)
    ]
    assert kinds(history, "2020-02-01") == []


def test_a_disappearance_is_a_denial_until_the_person_is_seen_held() -> None:
    history = [
        entry("arrested", "2020-01-01"),
        entry("disappeared", "2020-01-05", order=1),
        entry("charged", "2020-03-01", order=2),
    ]
    assert kinds(history, "2020-02-04") == ["whereabouts_denied"]
    assert alerts_on(history, "2020-02-05") == [
        Alert("whereabouts_denied", day("2020-01-05"), 31),
        Alert("no_news", day("2020-01-05"), 31),
    ]
    assert kinds(history, "2020-03-01") == []


def test_whereabouts_unknown_is_its_own_alert_not_a_denial() -> None:
    # Issue 15: "whereabouts unknown" was read as the stronger "whereabouts denied".
    history = [
        entry("arrested", "2020-01-01"),
        entry("whereabouts_unknown", "2020-01-03", "family", order=1),
    ]
    assert alerts_on(history, "2020-01-10") == [
        Alert("whereabouts_unknown", day("2020-01-03"), 7)
    ]
    assert whereabouts(evaluate(history, day("2020-01-10"))) == (
        "unknown",
        day("2020-01-03"),
    )


def test_whereabouts_unknown_ends_when_acknowledged_denied_or_seen_held() -> None:
    unknown = [
        entry("arrested", "2020-01-01"),
        entry("whereabouts_unknown", "2020-01-03", order=1),
    ]
    acknowledged = [*unknown, entry("whereabouts_acknowledged", "2020-01-05", order=2)]
    assert kinds(acknowledged, "2020-01-10") == []
    denied = [*unknown, entry("whereabouts_denied", "2020-01-05", order=2)]
    assert kinds(denied, "2020-01-10") == ["whereabouts_denied"]
    # A status on the same day (one row of a list) leaves it standing; a later one,
    # showing the person held, ends it.
    same_day = [*unknown, entry("detained", "2020-01-03", order=2)]
    assert kinds(same_day, "2020-01-10") == ["whereabouts_unknown"]
    held = [*unknown, entry("transferred", "2020-01-06", order=2, place="Prison B")]
    assert kinds(held, "2020-01-10") == []


def test_a_later_unknown_does_not_lift_a_denial() -> None:
    history = [
        entry("arrested", "2020-01-01"),
        entry("whereabouts_denied", "2020-01-02", order=1),
        entry("whereabouts_unknown", "2020-01-04", "family", order=2),
    ]
    assert alerts_on(history, "2020-01-10") == [
        Alert("whereabouts_denied", day("2020-01-02"), 8)
    ]


def test_alerts_come_most_urgent_first() -> None:
    history = [
        entry("death_sentence", "2020-03-01"),
        entry("whereabouts_denied", "2020-03-02", order=1),
        entry("held_incommunicado", "2020-03-03", order=2),
    ]
    assert kinds(history, "2020-06-01") == [
        "death_sentence",
        "whereabouts_denied",
        "held_incommunicado",
        "no_news",
    ]


def test_thresholds_from_settings() -> None:
    assert kinds(INCOMMUNICADO, "2020-01-06") == []
    assert [
        a.kind for a in alerts_on(INCOMMUNICADO, "2020-01-06", incommunicado_days=3)
    ] == ["held_incommunicado"]
    settings = alert_settings({"incommunicado_days": 7, "no_news_days": 60})
    assert settings == AlertSettings(7, 60)
    assert alert_settings({}) == AlertSettings(14, 30)


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (
            {"no_news": 3},
            "aban.toml [detentions]: unknown key 'no_news'; use "
            "incommunicado_days or no_news_days",
        ),
        (
            {"no_news_days": 0},
            "aban.toml [detentions]: no_news_days must be a whole number of days, "
            "1 or more",
        ),
        (
            {"incommunicado_days": True},
            "aban.toml [detentions]: incommunicado_days must be a whole number of "
            "days, 1 or more",
        ),
    ],
)
def test_bad_settings(section: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as err:
        alert_settings(section)
    assert str(err.value) == message


def test_alert_json() -> None:
    alert = Alert("no_news", dt.date(2020, 1, 5), 31)
    assert alert.to_dict() == {"kind": "no_news", "since": "2020-01-05", "days": 31}
