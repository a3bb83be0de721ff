"""What the cells of a real list mean (issue 15): words for "not known", honorifics,
ages with their unit, dates without a year, --skip-invalid cells, rows and files
with nothing about a person. All names are invented."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aban.ingest.importer import import_file
from aban.ingest.issues import FileIssueError
from aban.ingest.lenient import (
    blank_not_known,
    drop_honorific_norm,
    drop_honorific_norms,
)
from aban.store.integrity import verify_register
from aban.store.workspace import Workspace
from aban.text import normalise_name, parse_age
from aban.text.dates import date_within, parse_day_month
from aban.text.keys import drop_honorifics, name_form, split_full_name
from aban.text.vocab import NOT_KNOWN_WORDS, is_unknown

TODAY = dt.date(2026, 1, 1)
EVENT = '\n[event]\nname = "Test event"\nstart = 2019-11-15\nend = 2019-11-27\n'


def _import(ws: Workspace, tmp_path: Path, text: str, **options: object) -> object:
    path = tmp_path / "list.csv"
    path.write_text(text, encoding="utf-8")
    return import_file(ws, path, source="ngo", today=TODAY, **options)  # type: ignore[arg-type]


def _records(ws: Workspace, *columns: str) -> list[tuple[object, ...]]:
    return ws.conn.execute(
        f"select {', '.join(columns)} from records order by id"  # noqa: S608
    ).fetchall()


def _with_event(ws: Workspace) -> None:
    with (ws.path / "aban.toml").open("a", encoding="utf-8") as toml:
        toml.write(EVENT)


# Words for "not known"


@pytest.mark.parametrize("word", NOT_KNOWN_WORDS)
def test_every_word_for_not_known_is_one(word: str) -> None:
    assert is_unknown(word)
    assert blank_not_known(["Testa", word, f" {word.upper()} "]) == (
        ["Testa", "", ""],
        2,
    )


@pytest.mark.parametrize(
    "cell",
    [
        "-",
        "--",
        "—",
        "...",
        "?",
        "؟",
        "*",
        "/",
        "N/A",
        "n.a.",
        "نا\u200cمعلوم",
        "UNKNOWN",
    ],
)
def test_spellings_and_placeholders_are_not_known(cell: str) -> None:
    assert is_unknown(cell)
    assert blank_not_known([cell]) == ([""], 1)


@pytest.mark.parametrize(
    "cell", ["", " ", "-1", "a-b", "Unknown Testa", "Nana", "Testa", "مهدی", "12/"]
)
def test_other_cells_are_kept(cell: str) -> None:
    assert blank_not_known(["x", cell]) == (["x", cell], 0)


def test_not_known_is_empty_in_every_column_and_counted_per_column(
    workspace: Workspace, tmp_path: Path
) -> None:
    result = _import(
        workspace,
        tmp_path,
        "record_id,full_name,city,province,age,sex,status,cause,occupation\n"
        "1,Testa Example,Unknown,نامشخص,?,-,n/a,نامعلوم,ندارد\n"
        "2,Testb Example,Testabad,مشخص نیست,17,m,killed,؟,-\n"
        "3,Unknown,-,,,,,,\n",
    )
    assert (result.accepted, result.rejected) == (2, 1)  # type: ignore[attr-defined]
    assert [i.render() for i in result.issues] == [  # type: ignore[attr-defined]
        "list.csv:4: the row has no name, national_id, age, sex, date or place: "
        "nothing identifies or describes a person; fill one in, or remove the row "
        "[record-empty]",
        *(
            f'list.csv:{column}: cells of this column that held only a word for "not '
            f'known" (unknown, n/a, نامعلوم, -, ...), read as empty: {count} '
            "[not-known-emptied]"
            for column, count in [
                ("full_name", 1),
                ("city", 2),
                ("province", 2),
                ("age", 1),
                ("sex", 1),
                ("status", 1),
                ("cause", 2),
                ("occupation", 2),
            ]
        ),
    ]


def test_unknown_is_not_a_city_and_the_raw_value_is_kept(
    workspace: Workspace, tmp_path: Path
) -> None:
    _import(
        workspace,
        tmp_path,
        "record_id,full_name,city\n1,Testa Example,Unknown\n2,Testb Example,Testabad\n",
        skip_invalid="rows",
    )
    rows = _records(workspace, "city", "city_norm", "raw")
    assert [(city, norm) for city, norm, _ in rows] == [
        (None, None),
        ("Testabad", "testabad"),
    ]
    assert json.loads(str(rows[0][2]))["city"] == "Unknown"
    assert verify_register(workspace.conn).ok


# Honorifics


@pytest.mark.parametrize(
    ("written", "without"),
    [
        ("شهید سید علی تستی", "علی تستی"),
        ("مرحوم حاج احمد آزمونی", "احمد آزمونی"),
        ("Martyr Seyed Ali Testi", "Ali Testi"),
        ("Haj Mirza Reza Testi", "Reza Testi"),
        ("کربلایی مشهدی حسن تستی", "حسن تستی"),
        ("سیدعلی تستی", "سیدعلی تستی"),  # one word: a given name
        ("Seyed-Ali Testi", "Seyed-Ali Testi"),
        ("سید", "سید"),  # never the only word
        ("شهید سید", "سید"),
        ("حاجی زاده", "حاجی زاده"),  # a family name (Hajizadeh) written spaced
        ("Haji Zadeh", "Haji Zadeh"),
        ("Ali Seyed", "Ali Seyed"),  # only in front
        ("Karbalaei Hasan Testi", "Hasan Testi"),
    ],
)
def test_honorifics_in_front_are_dropped(written: str, without: str) -> None:
    assert drop_honorifics(written) == without
    assert name_form(written) == name_form(without)
    norms = drop_honorific_norms([written], [normalise_name(written)])
    assert norms == [normalise_name(without)]


def test_family_names_keep_the_honorifics_that_begin_family_names() -> None:
    # کربلایی‌احمدی written with a space for the ZWNJ is a family name.
    assert drop_honorifics("کربلایی احمدی", family=True) == "کربلایی احمدی"
    assert drop_honorifics("Mirza Testi", family=True) == "Mirza Testi"
    assert drop_honorifics("شهید تستی", family=True) == "تستی"
    assert name_form("Mashhadi Testi", family=True) == "mashhaditesti"
    norms = drop_honorific_norms(["مشهدی تستی"], ["مشهدی تستی"], family=True)
    assert norms == ["مشهدی تستی"]


def test_a_full_name_splits_without_honorifics() -> None:
    assert split_full_name("شهید سید علی تستی") == ("علی", "تستی")
    assert split_full_name("Testi, Martyr Seyed Ali") == ("ali", "testi")


def test_honorifics_stay_as_written_and_leave_the_normalised_names(
    workspace: Workspace, tmp_path: Path
) -> None:
    _import(
        workspace,
        tmp_path,
        "record_id,full_name,given_name,family_name,father_name\n"
        "1,شهید سید علی تستی,سید علی,مرحوم تستی,حاج احمد\n"
        "2,سیدعلی کربلایی تستی,سیدعلی,کربلایی تستی,سید\n",
    )
    assert _records(
        workspace,
        "full_name",
        "full_name_norm",
        "given_name_norm",
        "family_name_norm",
        "father_name_norm",
    ) == [
        ("شهید سید علی تستی", "علی تستی", "علی", "تستی", "احمد"),
        ("سیدعلی کربلایی تستی", "سیدعلی کربلایی تستی", "سیدعلی", "کربلایی تستی", "سید"),
    ]


# Ages with their unit


@pytest.mark.parametrize(
    "written", ["۱۷ ساله", "17 ساله", "17 years", "17 yrs", "17 yrs.", "۱۷ سال", "17"]
)
def test_ages_with_their_unit(written: str) -> None:
    assert parse_age(written) == 17


def test_ages_with_their_unit_import_as_numbers(
    workspace: Workspace, tmp_path: Path
) -> None:
    result = _import(
        workspace,
        tmp_path,
        "record_id,full_name,age\n1,Testa,۱۷ ساله\n2,Testb,17 years\n3,Testc,17 yrs\n",
    )
    assert result.issues == []  # type: ignore[attr-defined]
    assert _records(workspace, "age") == [(17,), (17,), (17,)]


# Dates without a year


def test_a_day_and_a_month_name() -> None:
    assert parse_day_month("25 آبان") == ("jalali", 8, 25)
    assert parse_day_month("۲۵ آبان‌ماه") == ("jalali", 8, 25)
    assert parse_day_month("25 Aban") == ("jalali", 8, 25)
    assert parse_day_month("Nov 16") == ("gregorian", 11, 16)
    assert parse_day_month("16th November") == ("gregorian", 11, 16)
    assert parse_day_month("16 Testuary") is None
    assert parse_day_month("2019-11-16") is None


def test_the_year_is_the_one_within_the_event() -> None:
    start, end = dt.date(2019, 11, 15), dt.date(2019, 11, 27)
    assert date_within("jalali", 8, 25, start, end) == dt.date(2019, 11, 16)
    assert date_within("gregorian", 11, 16, start, end) == dt.date(2019, 11, 16)
    assert date_within("gregorian", 12, 16, start, end) is None
    # an event across the new year: the day falls in the second year
    assert date_within(
        "gregorian", 1, 2, dt.date(2019, 12, 28), dt.date(2020, 1, 5)
    ) == dt.date(2020, 1, 2)
    # 30 Esfand exists only in leap years; none within the range
    assert date_within("jalali", 12, 30, start, end) is None


DATES = (
    "record_id,full_name,date_of_death\n"
    "1,Testa,25 آبان\n2,Testb,Nov 16\n3,Testc,16 December\n"
)


def test_dates_without_a_year_take_the_event_year(
    workspace: Workspace, tmp_path: Path
) -> None:
    _with_event(workspace)
    result = _import(workspace, tmp_path, DATES, skip_invalid="rows")
    assert [(i.row, i.code, i.severity) for i in result.issues] == [  # type: ignore[attr-defined]
        (2, "date-year-from-event", "warning"),
        (3, "date-year-from-event", "warning"),
        (4, "date-year-missing", "error"),
    ]
    assert _records(workspace, "date_of_death") == [("2019-11-16",), ("2019-11-16",)]


def test_without_an_event_a_date_without_a_year_is_refused(
    workspace: Workspace, tmp_path: Path
) -> None:
    result = _import(workspace, tmp_path, DATES)
    assert result.refused  # type: ignore[attr-defined]
    assert [i.render() for i in result.issues][0] == (  # type: ignore[attr-defined]
        "list.csv:2:date_of_death: the date has no year, and its day does not fall "
        "within the dates of the workspace's event ([event] start and end in "
        "aban.toml); write the year [date-year-missing]"
    )
    assert _records(workspace, "record_id") == []


# --skip-invalid cells


BAD_CELLS = (
    "record_id,full_name,age,sex,date_of_death,city\n"
    "1,Testa Example,abc,q,2019-11-16,Testabad\n"
    "2,Testb Example,20,m,someday,Testabad\n"
    "3,Testc Example,300,f,2019-11-17,Testabad\n"
    ",Testd Example,30,m,2019-11-18,Testabad\n"
    "5,,xyz,,,\n"
)


def test_skip_invalid_cells_keeps_the_row_and_empties_the_bad_cells(
    workspace: Workspace, tmp_path: Path
) -> None:
    result = _import(workspace, tmp_path, BAD_CELLS, skip_invalid="cells")
    assert (result.accepted, result.rejected) == (3, 2)  # type: ignore[attr-defined]
    assert [(i.row, i.column, i.code) for i in result.issues] == [  # type: ignore[attr-defined]
        (2, "age", "cell-emptied"),
        (2, "sex", "cell-emptied"),
        (3, "date_of_death", "cell-emptied"),
        (4, "age", "cell-emptied"),
        (5, "record_id", "record-id-missing"),
        (6, "age", "cell-emptied"),
        (6, None, "record-empty"),
    ]
    assert result.issues[0].render() == (  # type: ignore[attr-defined]
        "list.csv:2:age: the cell was emptied and the row kept (--skip-invalid "
        "cells), for age-not-a-number: age is not a number of years; write digits "
        "(17, ۱۷) or leave it empty [cell-emptied]"
    )
    assert _records(workspace, "record_id", "age", "sex", "date_of_death") == [
        ("1", None, None, "2019-11-16"),
        ("2", 20, "m", None),
        ("3", None, "f", "2019-11-17"),
    ]
    raw = json.loads(str(_records(workspace, "raw")[0][0]))
    assert (raw["age"], raw["sex"]) == ("abc", "q")  # the raw values are kept
    assert verify_register(workspace.conn).ok


@pytest.mark.parametrize("mode", ["rows", True])
def test_skip_invalid_rows_is_the_whole_row_as_before(
    workspace: Workspace, tmp_path: Path, mode: object
) -> None:
    result = _import(workspace, tmp_path, BAD_CELLS, skip_invalid=mode)
    assert (result.accepted, result.rejected) == (0, 5)  # type: ignore[attr-defined]
    assert "cell-emptied" not in {i.code for i in result.issues}  # type: ignore[attr-defined]


# Nothing about a person


def test_a_file_with_no_person_column_is_refused(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "nested.json"
    path.write_text(
        json.dumps(
            [{"record_id": str(i), "victim": {"name": "Testa"}} for i in range(3)]
        ),
        encoding="utf-8",
    )
    with pytest.raises(FileIssueError) as caught:
        import_file(workspace, path, source="ngo", today=TODAY)
    assert str(caught.value) == (
        "nested.json:1: no column of the file is read as a name, national_id, age, "
        "sex, date or place, so its records would say nothing about a person; map "
        "the file's other columns onto the records format with --mapping "
        "[no-person-columns]"
    )
    assert _records(workspace, "record_id") == []


def test_a_file_with_only_other_known_columns_refuses_each_row(
    workspace: Workspace, tmp_path: Path
) -> None:
    # Nothing unread that a mapping could name: each row says why (the web form).
    result = _import(workspace, tmp_path, "record_id,status\n1,killed\n2,dead\n")
    assert result.refused  # type: ignore[attr-defined]
    assert [(i.row, i.code) for i in result.issues] == [  # type: ignore[attr-defined]
        (2, "record-empty"),
        (3, "record-empty"),
    ]


# Cells near the edges of the words for "not known": marks with line breaks and
# tabs between them, spaces and joiners around words, a cell holding the separator.
_EDGY = st.sampled_from(
    [
        "-",
        "/\n/ ",
        " - \t",
        "-\n",
        "?",
        "؟ ",
        "Unknown",
        " n/a\u200c",
        "نا معلوم",
        "نامعلوم\x1f",
        "Tehran",
        "",
        "--x",
        "\x1f",
        "Unknown soldier",
    ]
)


@settings(max_examples=300)
@given(st.lists(_EDGY, min_size=1, max_size=12))
def test_a_column_of_few_values_blanks_as_its_search_does(column: list[str]) -> None:
    # Each distinct value looked at once gives what the search of the joined cells
    # gives (a column with the separator in a cell is read the search's way).
    assert blank_not_known(column, set(column)) == blank_not_known(column)


@pytest.mark.parametrize("family", [False, True])
def test_one_names_honorifics_as_a_columns(family: bool) -> None:
    displays = ["Seyed Ali Rostami", "Haj", None, "Karbalaei Ahmadi", "شهید سید علی"]
    norms = [normalise_name(d) if d else None for d in displays]
    column = drop_honorific_norms(displays, norms, family)
    one = [
        drop_honorific_norm(d, n, family) for d, n in zip(displays, norms, strict=True)
    ]
    assert one == list(column)
