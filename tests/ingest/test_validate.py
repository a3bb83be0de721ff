"""Row normalisation: the fast paths give exactly what the plain rules give."""

from __future__ import annotations

import datetime as dt
import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from aban import text
from aban.config import Settings
from aban.ingest.json import NESTED
from aban.ingest.lenient import blank_not_known
from aban.ingest.rows import raw_rows
from aban.ingest.validate import (
    NORMALISED_COLUMNS,
    BatchReader,
    RowContext,
    cell_issues,
    normalise_row,
)
from tests.text.strategies import characters, texts

CTX = RowContext("f.csv", 2, "r1", "s")
TODAY = dt.date(2026, 1, 1)
# Whitespace of every kind, and characters that sit at word edges.
SPACES = st.sampled_from(
    [" ", "  ", "\t", "\n", "\x1c", "\x85", "\xa0", "\u2003", "\u3000"]
)
names = st.lists(st.tuples(texts, SPACES), max_size=5).map(
    lambda parts: "".join(word + space for word, space in parts)
)


def _reference(value: str) -> tuple[str | None, str | None, str]:
    clean = text.clean_text(value)
    if blank_not_known([value])[1]:  # a word for "not known" ("-", "/ ", "?")
        return None, None, ""
    return clean or None, text.normalise_name(clean) or None, text.script_of(clean)


@settings(max_examples=400)
@given(names)
def test_a_name_read_word_by_word_is_the_whole_cell_read(value: str) -> None:
    record, _ = normalise_row({"full_name": value}, CTX, Settings(), TODAY)
    display, norm, script = _reference(value)
    assert (record["full_name"], record["full_name_norm"]) == (display, norm)
    assert record["script"] == (script or "none")


def test_tricky_names_read_as_whole_cells() -> None:
    for value in [
        "a \u200c\u200bb",
        "a\u200c\u200b b",
        "x \u0301y",
        "Mohammad-Reza  Ra\u2019n\u0101",
        "\ufdfa \u00b4x",
        "\u200f\u0639\u0644\u064a \u200c\u0631\u0636\u0627\u200c ",
        " \t ",
        "",
        "a - b",
    ]:
        for column in ("full_name", "given_name"):  # read by word, by cell
            record, _ = normalise_row({column: value}, CTX, Settings(), TODAY)
            display, norm, script = _reference(value)
            assert (record[column], record[f"{column}_norm"]) == (display, norm)
            assert record["script"] == (script or "none")


@settings(max_examples=300)
@given(st.lists(names, min_size=4, max_size=4))
def test_the_record_script_is_that_of_all_its_names(values: list[str]) -> None:
    columns = ("full_name", "given_name", "family_name", "father_name")
    record, _ = normalise_row(
        dict(zip(columns, values, strict=True)), CTX, Settings(), TODAY
    )
    # A word for "not known" (None, Unknown, ...) is an empty cell, in names too.
    known, _ = blank_not_known(values)
    joined = " ".join(filter(None, (text.clean_text(v) for v in known)))
    assert record["script"] == (text.script_of(joined) or "none")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")
_FORMULA = re.compile(r"^\s*(=|[+\-@]\s*[A-Za-z_][A-Za-z0-9_.]*\s*\()")
TRICKY_CELLS = [
    "=1",
    " =x",
    "+a(",
    "- b_1 (",
    "@c",
    "+98",
    "-",
    "a",
    "",
    "\x1f",
    "x\x0b",
]
cells = st.one_of(
    st.sampled_from([*TRICKY_CELLS, NESTED, "long cell text"]),
    st.text(
        st.one_of(characters, st.sampled_from("=+-@( aB_.\x1f\x1e\x0b\t")), max_size=8
    ),
)


def _expected(row: dict[str, str], limit: int) -> list[tuple[str, str]]:
    found = []
    for column, value in row.items():
        if not value:
            continue
        if value == NESTED:
            found.append(("nested-value", column))
        elif len(value) > limit:
            found.append(("cell-too-long", column))
        elif _CONTROL.search(value):
            found.append(("control-characters", column))
        elif _FORMULA.match(value):
            found.append(("formula-in-cell", column))
    return found


@settings(max_examples=500)
@given(st.lists(cells, min_size=1, max_size=6), st.integers(3, 12))
def test_cell_issues_are_those_of_each_cell(values: list[str], limit: int) -> None:
    row = {f"c{i}": v for i, v in enumerate(values)}
    issues = cell_issues(row, CTX, Settings(max_cell_length=limit))
    assert [(i.code, i.column) for i in issues] == _expected(row, limit)


header_names = st.text(st.one_of(characters, st.sampled_from('%"\\{}')), max_size=6)


@settings(max_examples=300)
@given(
    st.lists(header_names, min_size=1, max_size=8, unique=True),
    st.lists(st.lists(texts, min_size=8, max_size=8), min_size=1, max_size=3),
)
def test_raw_json_is_json_dumps_of_each_row(
    header: list[str], rows: list[list[str]]
) -> None:
    rows = [row[: len(header)] for row in rows]
    columns = list(zip(*rows, strict=True))
    assert raw_rows(header)(columns) == [
        json.dumps(dict(zip(header, row, strict=True)), ensure_ascii=False)
        for row in rows
    ]


def test_raw_json_with_a_repeated_header_keeps_json_dumps_behaviour() -> None:
    columns = [("a", "c"), ("b", "d"), ("%s", "")]
    assert raw_rows(["column_2", "column_2", "x"])(columns) == [
        '{"column_2": "b", "x": "%s"}',
        '{"column_2": "d", "x": ""}',
    ]


COLUMNS = (
    "record_id",
    "full_name",
    "sex",
    "age",
    "birth_date",
    "date_of_death",
    "alleged_force",
)
column_values = {
    "record_id": st.sampled_from(["r1", "=r2", ""]),
    "full_name": st.one_of(names, st.just(NESTED)),
    "sex": st.sampled_from(["m", "f", "x", ""]),
    "age": st.sampled_from(["23", "70", "200", "abc", "", "2"]),
    "birth_date": st.sampled_from(["1990-01-01", "2030-01-01", "1800-01-01", "", "x"]),
    "date_of_death": st.sampled_from(["2019-11-16", "1980-01-01", "2099-01-01", ""]),
    "alleged_force": st.sampled_from(
        ["IRGC", "سپاه و بسيج", "=IRGC", "unknown", " Unit  12", "", NESTED]
    ),
}
record_rows = st.lists(
    st.tuples(*(column_values[c] for c in COLUMNS)), min_size=1, max_size=6
)


@settings(max_examples=300)
@given(record_rows)
def test_a_batch_reads_as_its_rows_one_by_one(rows: list[tuple[str, ...]]) -> None:
    reader = BatchReader(COLUMNS, NORMALISED_COLUMNS)
    contexts = [RowContext("f.csv", n, "r", "s") for n in range(len(rows))]
    young = Settings(max_age=60)  # below parse_age's own limit, so both checks run
    found = reader.read(
        list(zip(*rows, strict=True)), contexts.__getitem__, young, TODAY
    )
    for n, row in enumerate(rows):
        record, issues = normalise_row(
            dict(zip(COLUMNS, row, strict=True)), contexts[n], young, TODAY
        )
        assert found.issues.get(n, []) == issues
        assert (n in found.nested) == (record == {})
        if record:
            batch_record = [column[n] for column in found.columns]
            assert batch_record == list(record.values())


def test_a_nested_value_stops_the_other_checks_of_its_row() -> None:
    row = {"full_name": NESTED, "sex": "x", "age": "70", "date_of_death": "2099-01-01"}
    record, issues = normalise_row(row, CTX, Settings(max_age=60), TODAY)
    assert record == {}
    assert [(i.code, i.column) for i in issues] == [("nested-value", "full_name")]


def test_the_alleged_force_is_kept_as_written_and_stored_as_keys() -> None:
    cases = {
        "سپاه و بسيج": ("سپاه و بسيج", "irgc;basij"),
        "\u200fلباس\u200c\u200cشخصی\u200cها ": (
            "لباس\u200cشخصی\u200cها",
            "plainclothes",
        ),
        "IRGC and  Basij militia": ("IRGC and Basij militia", "irgc;basij"),
        "riot police / FARAJA": ("riot police / FARAJA", "police"),
        "نامعلوم": (None, None),  # "not known" is an empty cell (issue 15)
        " Unit   12 ": ("Unit 12", "Unit 12"),
        "": (None, None),
    }
    for value, expected in cases.items():
        record, issues = normalise_row({"alleged_force": value}, CTX, Settings(), TODAY)
        assert issues == []
        assert (record["alleged_force"], record["alleged_force_norm"]) == expected
