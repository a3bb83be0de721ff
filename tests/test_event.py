"""The event definition: [event] in aban.toml or a standalone TOML file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from aban.errors import ConfigError
from aban.event import MOMENT_KINDS, Event, load_event, parse_event, read_event_file

EXAMPLE = Path(__file__).parent.parent / "examples" / "iran-2019-11" / "event.toml"
D = dt.date


def base(**changes: object) -> dict[str, object]:
    table: dict[str, object] = {
        "name": "Synthetic protests",
        "start": D(2019, 11, 15),
        "end": D(2019, 11, 20),
    }
    table.update(changes)
    return table


def error(table: dict[str, object]) -> str:
    with pytest.raises(ConfigError) as err:
        parse_event(table, "aban.toml")
    message = str(err.value)
    assert "\n" not in message
    return message


def test_model_case_example() -> None:
    event = read_event_file(EXAMPLE)
    assert (event.start, event.end) == (D(2019, 11, 15), D(2019, 11, 27))
    assert event.places == ("Iran",)
    shutdown = event.first("shutdown_began")
    assert shutdown is not None and shutdown.date == D(2019, 11, 16)
    restoration = event.first("restoration")
    assert restoration is not None
    assert (restoration.date, restoration.until) == (D(2019, 11, 21), D(2019, 11, 27))
    protests = event.first("protests_began")
    assert protests is not None and protests.date == D(2019, 11, 15)
    assert [m.date for m in event.moments] == sorted(m.date for m in event.moments)
    assert {m.kind for m in event.moments} <= set(MOMENT_KINDS)


def test_moments_sorted_and_text_dates_read() -> None:
    event = parse_event(
        base(
            start="2019-11-15",
            moments=[
                {"name": "access back", "kind": "shutdown_ended", "date": "2019-11-20"},
                {"name": "shutdown", "kind": "shutdown_began", "date": D(2019, 11, 16)},
            ],
        ),
        "aban.toml",
    )
    assert event.start == D(2019, 11, 15)
    assert [m.kind for m in event.moments] == ["shutdown_began", "shutdown_ended"]
    assert event.first("restoration") is None
    assert event.to_dict()["moments"][0] == {
        "name": "shutdown",
        "kind": "shutdown_began",
        "date": "2019-11-16",
        "until": None,
        "at": None,
    }


def test_moment_with_time_and_offset() -> None:
    tehran = dt.timezone(dt.timedelta(hours=3, minutes=30))
    at = dt.datetime(2019, 11, 16, 23, 0, tzinfo=tehran)
    for value in (at, "2019-11-16T23:00:00+03:30"):
        moment = parse_event(
            base(moments=[{"name": "s", "kind": "shutdown_began", "date": value}]),
            "aban.toml",
        ).moments[0]
        assert moment.date == D(2019, 11, 16) and moment.at == at
        assert moment.to_dict()["at"] == "2019-11-16T23:00:00+03:30"


def test_time_without_offset_refused() -> None:
    local = dt.datetime(2019, 11, 16, 12, 0)
    message = error(base(moments=[{"name": "s", "kind": "other", "date": local}]))
    assert message == (
        "aban.toml: [event] moment 1 date has a time without a UTC offset; add one "
        "(2019-11-16T12:00:00+03:30) or give the date only"
    )


def test_every_problem_in_one_line() -> None:
    message = error(
        {
            "name": " ",
            "start": "16/11/2019",
            "end": D(2019, 11, 20),
            "places": "Iran",
            "colour": "red",
            "moments": [
                {"name": "x", "kind": "blackout", "date": D(2019, 11, 16)},
                {
                    "name": "y",
                    "kind": "other",
                    "date": D(2019, 11, 18),
                    "until": D(2019, 11, 17),
                    "note": 1,
                },
                "not a table",
            ],
        }
    )
    assert message == (
        "aban.toml: [event] unknown key 'colour' in [event] (known: name, name_fa, "
        "start, end, places, moments); name must be non-empty text; start must be "
        "an ISO date such as 2019-11-16; places must be a list of text, such as "
        '["Iran"]; moment 1 kind must be one of protests_began, shutdown_began, '
        "restoration, shutdown_ended, other; unknown key 'note' in moment 2 "
        "(known: name, name_fa, kind, date, until); moment 2 until is before its date; "
        "moment 3 must be a table ([[event.moments]])"
    )


def test_end_before_start() -> None:
    assert error(base(end=D(2019, 11, 1))) == "aban.toml: [event] end is before start"


def test_missing_dates() -> None:
    assert error({"name": "e"}) == (
        "aban.toml: [event] start must be an ISO date such as 2019-11-16; "
        "end must be an ISO date such as 2019-11-16"
    )


def test_moment_outside_the_event() -> None:
    moments = [
        {
            "name": "s",
            "kind": "restoration",
            "date": D(2019, 11, 19),
            "until": D(2019, 11, 27),
        }
    ]
    assert error(base(moments=moments)) == (
        "aban.toml: [event] a moment (restoration, 2019-11-19) falls outside the "
        "event's start and end; widen them or fix the moment's date"
    )


def test_moments_must_be_an_array() -> None:
    assert error(base(moments={"name": "s"})) == (
        "aban.toml: [event] moments must be an array of tables ([[event.moments]])"
    )


def test_load_event_from_workspace_toml(tmp_path: Path) -> None:
    assert load_event(tmp_path) is None
    (tmp_path / "aban.toml").write_text("[settings]\nactor = 'cli'\n")
    assert load_event(tmp_path) is None
    (tmp_path / "aban.toml").write_text(EXAMPLE.read_text(encoding="utf-8"))
    event = load_event(tmp_path)
    assert isinstance(event, Event) and event == read_event_file(EXAMPLE)
    (tmp_path / "aban.toml").write_text('[event]\nname = "e"\nstart = 2019-11-15\n')
    with pytest.raises(ConfigError) as err:
        load_event(tmp_path)
    assert str(err.value) == (
        f"{tmp_path / 'aban.toml'}: [event] end must be an ISO date such as 2019-11-16"
    )


def test_standalone_file_errors(tmp_path: Path) -> None:
    path = tmp_path / "event.toml"
    path.write_text("[settings]\n")
    with pytest.raises(ConfigError, match=r"no \[event\] table"):
        read_event_file(path)
    path.write_text("[event\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        read_event_file(path)
    with pytest.raises(ConfigError, match="cannot read"):
        read_event_file(tmp_path / "missing.toml")
