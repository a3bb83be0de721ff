"""Reading detainee lists without the register: columns, status mapping, events."""

from __future__ import annotations

import datetime as dt

from aban.detention.lists import ListReader, list_layout, status_mapping
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
