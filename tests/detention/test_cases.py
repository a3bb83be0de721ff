"""Records and events grouped into cases; facets; urgency order; the JSON shape."""

from __future__ import annotations

import datetime as dt

from aban.detention.alerts import AlertSettings
from aban.detention.cases import (
    CaseName,
    DetentionReport,
    RecordFacts,
    assemble_cases,
)
from tests.detention.helpers import day, entry

AS_OF = day("2020-06-01")


def record(
    row: int,
    source: str,
    status: str | None,
    person: str | None = None,
    date: dt.date | None = None,
    place: str | None = None,
) -> RecordFacts:
    """Record ``row`` of ``source``, with record id ``<initial><row>``."""
    return RecordFacts(
        row,
        source,
        f"{source[0]}{row}",
        f"source:{source}",
        person,
        status,
        date,
        place,
    )


def test_linked_records_form_one_case_unlinked_ones_their_own() -> None:
    records = [
        record(1, "ngo", "detained", "P000001", place="Shiraz"),
        record(2, "media", "disappeared", "P000001"),
        record(3, "ngo", "detained"),
        record(4, "media", "killed"),  # not a detention record, no event: no case
    ]
    cases = assemble_cases(records, [], AS_OF)
    assert sorted(c.key for c in cases) == ["P000001", "ngo:n3"]
    person = next(c for c in cases if c.key == "P000001")
    assert person.person_id == "P000001"
    assert person.records == (("ngo", "n1"), ("media", "m2"))
    assert [(e.kind, e.origin) for e in person.history.entries] == [
        ("detained", "record"),
        ("disappeared", "record"),
    ]
    # Undated statements of two sources that contradict each other.
    assert [c.kind for c in person.history.conflicts] == ["same_date"]


def test_events_join_the_case_of_their_anchor_records_person() -> None:
    records = [
        record(1, "ngo", "detained", "P000007"),
        record(5, "media", "killed", "P000007"),  # an anchor only
        record(9, "family", "killed"),  # an anchor only, unlinked
    ]
    events = [
        (5, entry("arrested", "2019-11-16", "media")),
        (9, entry("executed", "2020-01-20", "family", order=1)),
    ]
    cases = {c.key: c for c in assemble_cases(records, events, AS_OF)}
    assert set(cases) == {"P000007", "family:f9"}
    assert cases["P000007"].records == (("ngo", "n1"), ("media", "m5"))
    assert [e.kind for e in cases["P000007"].history.entries] == [
        "detained",
        "arrested",
    ]
    assert cases["family:f9"].status == "executed"


def test_facets_arrest_facility_whereabouts_access() -> None:
    records = [
        record(1, "ngo", "detained", date=day("2019-11-17"), place="Ahvaz"),
    ]
    events = [
        (1, entry("held_incommunicado", "2019-11-18", place="unknown location")),
        (1, entry("transferred", "2019-12-01", place="Prison A", order=1)),
        (1, entry("family_access", "2019-12-05", order=2)),
        (1, entry("whereabouts_acknowledged", "2019-12-05", order=3)),
    ]
    (case,) = assemble_cases(records, events, AS_OF)
    f = case.facets
    assert (f.arrest_date, f.arrest_place) == (day("2019-11-17"), "Ahvaz")
    assert f.facility == "Prison A"
    assert (f.whereabouts, f.family_access, f.lawyer_access) == (
        "acknowledged",
        "granted",
        "denied",
    )
    assert f.status_since == day("2019-12-01")
    # An arrest event is preferred to the record's date.
    with_arrest = [*events, (1, entry("arrested", "2019-11-16", place="Dezful"))]
    (case,) = assemble_cases(records, with_arrest, AS_OF)
    assert (case.facets.arrest_date, case.facets.arrest_place) == (
        day("2019-11-16"),
        "Dezful",
    )


def test_cases_sort_urgent_first() -> None:
    records = [record(r, "ngo", None) for r in range(1, 6)]
    events = [
        (1, entry("released", "2020-01-01")),
        (2, entry("arrested", "2020-05-01")),  # open, no alert yet
        (3, entry("arrested", "2020-01-01")),  # no news for long
        (4, entry("death_sentence", "2020-05-20")),
        (5, entry("arrested", "2019-12-01")),  # no news for longer
    ]
    cases = assemble_cases(records, events, AS_OF)
    assert [c.key for c in cases] == ["ngo:n4", "ngo:n5", "ngo:n3", "ngo:n2", "ngo:n1"]


def test_case_and_report_json() -> None:
    records = [record(1, "ngo", "detained", "P000002", place="Karaj")]
    events = [
        (1, entry("held_incommunicado", "2020-05-01", place="unknown location")),
        (1, entry("released", "2020-07-01", order=1)),  # after the as-of date
    ]
    settings = AlertSettings()
    cases = tuple(assemble_cases(records, events, AS_OF, settings))
    data = DetentionReport(AS_OF, settings, cases).to_dict()
    assert data["as_of"] == "2020-06-01"
    assert data["settings"] == {"incommunicado_days": 14, "no_news_days": 30}
    assert data["counts"] == {
        "cases": 1,
        "with_alerts": 1,
        "with_conflicts": 0,
        "alerts": {
            "death_sentence": 0,
            "whereabouts_denied": 0,
            "whereabouts_unknown": 0,
            "held_incommunicado": 1,
            "no_news": 1,
        },
    }
    assert data["cases"] == [
        {
            "case": "P000002",
            "person_id": "P000002",
            "name": None,  # no names given to the report
            "names": {"latin": None, "persian": None},
            "records": [{"source": "ngo", "record_id": "n1"}],
            "status": "held_incommunicado",
            "status_since": "2020-05-01",
            "last_event": "2020-05-01",
            "arrest_date": None,
            "arrest_place": None,
            "facility": "unknown location",
            "whereabouts": None,
            "family_access": "denied",
            "lawyer_access": "denied",
            "sentence": None,
            "alerts": [
                {"kind": "held_incommunicado", "since": "2020-05-01", "days": 31},
                {"kind": "no_news", "since": "2020-05-01", "days": 31},
            ],
            "conflicts": [],
            "history": [
                {
                    "date": None,
                    "status": "detained",
                    "place": "Karaj",
                    "source": "ngo",
                    "note": None,
                    "origin": "record",
                    "term": None,
                },
                {
                    "date": "2020-05-01",
                    "status": "held_incommunicado",
                    "place": "unknown location",
                    "source": "ngo",
                    "note": None,
                    "origin": "event",
                    "term": None,
                },
            ],
        }
    ]
    assert DetentionReport(AS_OF, settings, cases).only_alerts().cases == cases
    # Issue 18: the JSON names who each case is about, when the report knows.
    named = DetentionReport(
        AS_OF, settings, cases, {"P000002": CaseName("Kian Rahimi", "Kian Rahimi")}
    )
    (case,) = named.only_alerts().to_dict()["cases"]
    assert (case["name"], case["names"]) == (
        "Kian Rahimi",
        {"latin": "Kian Rahimi", "persian": None},
    )
    calm = tuple(assemble_cases(records, events, day("2020-05-10"), settings))
    assert calm[0].alerts == ()
    assert DetentionReport(day("2020-05-10"), settings, calm).only_alerts().cases == ()
