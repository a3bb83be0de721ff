"""Reading detainee lists without the register: columns, status mapping, events."""

from __future__ import annotations

import datetime as dt

import pytest

from aban.detention.lists import (
    ListReader,
    access_part,
    list_layout,
    sentence_parts,
    status_mapping,
)
from aban.ingest.mapping import ColumnMapping
from aban.ingest.table import Table

TODAY = dt.date(2021, 1, 1)


def table(header: list[str], *rows: list[str]) -> Table:
    numbered = [(n, list(r)) for n, r in enumerate(rows, start=2)]
    return Table("list.csv", header, iter(numbered), len(rows), "csv")


def test_list_columns_are_found_by_english_and_persian_headers() -> None:
    # Arabic ي and ك in the headers, a mapped status column.
    header = ["شناسه", "تاريخ بازداشت", "محل نگهداري", "Situation now", "Last news"]
    mapping = ColumnMapping({"شناسه": "record_id", "Situation now": "status"})
    layout = list_layout(table(header), mapping)
    assert layout.at == {
        "record_id": 0,
        "arrest_date": 1,
        "facility": 2,
        "status": 3,
        "status_date": 4,
    }


def test_status_texts_give_the_records_status() -> None:
    layout = list_layout(table(["record_id", "status"]), ColumnMapping())
    texts = ["executed", "death sentence", "ناپدید شده", "released on bail", "???"]
    assert status_mapping(layout, texts) == {
        "": "detained",
        "executed": "executed",
        "death sentence": "detained",
        "ناپدید شده": "disappeared",
        "released on bail": "detained",
        "???": "detained",
    }


def test_a_row_reads_into_the_arrest_and_its_statuses() -> None:
    header = ["record_id", "city", "arrest date", "prison", "status", "last news"]
    row = ["r1", "Tehran", "1398/08/25", "Evin", "death sentence, بدون ملاقات", ""]
    layout = list_layout(table(header), ColumnMapping())
    reader = ListReader("list.csv", layout, "ngo", dt.date(2020, 3, 1), TODAY)
    read, issues = reader.read_row(2, row)
    events, warnings = reader.events(read)
    assert issues == warnings == []
    assert [(e.date, e.kind, e.place, e.note) for e in events] == [
        (dt.date(2019, 11, 16), "arrested", "Tehran", None),
        (dt.date(2020, 3, 1), "death_sentence", "Evin", "death sentence"),
        (dt.date(2020, 3, 1), "family_access_denied", None, "بدون ملاقات"),
    ]


def test_a_mapping_targets_the_lists_own_columns_and_sets_them() -> None:
    # Headers no header word knows, named by the mapping; the facility set for
    # every row (a list of one prison).
    header = ["No", "Held since", "Now", "Verdict given", "Accused", "Kin", "Out"]
    mapping = ColumnMapping(
        {
            "No": "record_id",
            "Held since": "arrest_date",
            "Now": "status",
            "Verdict given": "sentence",
            "Accused": "charges",
            "Kin": "family_access",
            "Out": "release_date",
        },
        constants={"facility": "Evin", "city": "Tehran"},
    )
    layout = list_layout(table(header), mapping)
    assert layout.at == {
        "record_id": 0,
        "arrest_date": 1,
        "status": 2,
        "sentence": 3,
        "charges": 4,
        "family_access": 5,
        "release_date": 6,
    }
    assert layout.constants == {"facility": "Evin"}
    reader = ListReader("list.csv", layout, "ngo", dt.date(2020, 3, 1), TODAY)
    cells = ["r1", "2019-11-16", "released", "2 years", "assembly", "no", "2020-02-01"]
    read, issues = reader.read_row(2, cells)
    events, warnings = reader.events(read)
    assert issues == warnings == []
    assert [(e.date, e.kind, e.place, e.note) for e in events] == [
        (dt.date(2019, 11, 16), "arrested", None, None),
        (dt.date(2020, 3, 1), "charged", "Evin", "assembly"),
        (dt.date(2020, 3, 1), "sentenced", "Evin", "2 years"),
        (dt.date(2020, 2, 1), "released", "Evin", "released"),
        (dt.date(2020, 3, 1), "family_access_denied", None, "no"),
    ]


def test_a_release_date_without_a_release_in_the_status_adds_one() -> None:
    header = ["record_id", "prison", "status", "تاریخ آزادی", "last news"]
    layout = list_layout(table(header), ColumnMapping())
    reader = ListReader("list.csv", layout, "ngo", None, TODAY)
    read, _ = reader.read_row(2, ["r1", "Evin", "in detention", "1398/10/25", ""])
    events, warnings = reader.events(read)
    assert [(e.date, e.kind, e.place) for e in events] == [
        (None, "detained", "Evin"),
        (dt.date(2020, 1, 15), "released", "Evin"),
    ]
    assert warnings == []


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("5 years", [("sentenced", "5 years")]),
        ("۵ سال حبس", [("sentenced", "5 years")]),
        ("2 years and 74 lashes", [("sentenced", "2 years 74 lashes")]),
        ("death", [("death_sentence", None)]),
        ("حکم اعدام", [("death_sentence", None)]),
        ("pending", [(None, None)]),
        ("Unknown", []),
    ],
)
def test_sentence_cells(text: str, kinds: list[tuple[str | None, str | None]]) -> None:
    assert [(p.kind, p.term) for p in sentence_parts(text)] == kinds


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("yes", "family_access"),
        ("دارد", "family_access"),
        ("No", "family_access_denied"),
        ("ندارد", "family_access_denied"),
        ("ممنوع‌الملاقات", "family_access_denied"),
        ("no family visits", "family_access_denied"),
        ("once a month", None),
    ],
)
def test_access_cells(text: str, kind: str | None) -> None:
    part = access_part(text, "family_access")
    assert part is not None and part.kind == kind
    assert access_part("", "family_access") is None
    assert access_part("n/a", "family_access") is None


def test_an_unread_cell_is_a_note_and_a_warning() -> None:
    header = ["record_id", "arrest date", "lawyer", "sentence"]
    layout = list_layout(table(header), ColumnMapping())
    reader = ListReader("list.csv", layout, "ngo", dt.date(2020, 3, 1), TODAY)
    read, _ = reader.read_row(2, ["r1", "2019-11-16", "court-appointed", "pending"])
    events, warnings = reader.events(read)
    assert [(w.code, w.column) for w in warnings] == [
        ("list-cell-kept-as-note", "sentence"),
        ("list-cell-kept-as-note", "lawyer_access"),
    ]
    assert events[0].note == "sentence: pending; lawyer_access: court-appointed"
