"""The order of day and month of a list's numeric dates, found column by column, and
the empty columns of a spreadsheet's export (issue 15): a Google Sheet in US format
(tests/data/shapes' gsheet_us.csv) wrote 11/12/2019 for 12 November, which was read
as 11 December, and 11/16/2019, which was refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from aban.config import Settings
from aban.ingest.importer import import_file
from aban.ingest.issues import FileIssueError
from aban.ingest.mapping import ColumnMapping, load_mapping
from aban.ingest.preview import preview_file
from aban.ingest.suggest import suggest_mapping
from aban.store.workspace import Workspace
from aban.text.dates import numeric_order, parse_date
from tests.cli.helpers import run
from tests.shapes import SHAPES, load_shapes

TODAY = dt.date(2026, 1, 1)
H = "record_id,full_name,birth_date,date_of_death\n"
ASSUMED = (
    "a.csv:date_of_death: {count} dates of date_of_death could be read day first "
    "or month first (11/12/2019: 11 December or 12 November) and none only one "
    "way; read day first. If the list writes the month first (a sheet in US "
    "format), add 'date_order: month-first' to the mapping; 'date_order: "
    "day-first' says it is day first [date-order-assumed]"
)
MIXED = (
    "a.csv:{row}:date_of_death: the column writes some dates day first and some "
    "month first, and this one can be read either way; left empty and the row "
    "kept. Write the date as 2019-11-16, or give the order with date_order in "
    "the mapping [date-order-mixed]"
)


MS = load_shapes()


def _import(
    ws: Workspace, path: Path, mapping: ColumnMapping | None = None
) -> tuple[list[str], dict[str, tuple[str | None, str | None]]]:
    """The issues (rendered) and each record's (birth_date, date_of_death)."""
    result = import_file(ws, path, source="s", mapping=mapping, today=TODAY)
    assert not result.refused, [i.render() for i in result.issues]
    dates = {
        r: (b, d)
        for r, b, d in ws.conn.execute(
            "select record_id, birth_date, date_of_death from records order by id"
        )
    }
    return [i.render() for i in result.issues], dates


def _csv(tmp_path: Path, text: str, name: str = "a.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("11/16/2019", "month-first"),
        ("16/11/2019", "day-first"),
        ("16-11-2019", "day-first"),
        ("11/12/2019", "either"),
        ("۱۱/۱۲/۲۰۱۹", "either"),
        ("05/05/2019", "same"),
        ("13/13/2019", None),  # no month either way
        ("2019-11-16", None),
        ("1398/08/25", None),  # Solar Hijri: year first
        ("۱۳۹۸/۰۸/۲۵", None),
        ("25/08/1398", None),  # Solar Hijri, year last: always day first
        ("16 Nov 2019", None),
        ("someday", None),
    ],
)
def test_what_order_a_date_admits(text: str, kind: str | None) -> None:
    assert numeric_order(text) == kind


def test_dates_read_month_first() -> None:
    assert parse_date("11/12/2019", "month-first") == dt.date(2019, 11, 12)
    assert parse_date("11/12/2019") == dt.date(2019, 12, 11)
    assert parse_date("11/16/2019", "month-first") == dt.date(2019, 11, 16)
    for solar in ("1398/08/25", "1398/8/25", "۱۳۹۸/۰۸/۲۵", "25/08/1398"):
        assert parse_date(solar, "month-first") == dt.date(2019, 11, 16)
    assert parse_date("2019-11-16", "month-first") == dt.date(2019, 11, 16)


def test_a_us_format_google_sheet(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "gsheet_us.csv"
    MS.gsheet_us_csv(path)
    assert path.read_bytes() == (SHAPES / "gsheet_us.csv").read_bytes()
    # The suggestion is used as written.
    mapping_path = tmp_path / "us.yaml"
    mapping_path.write_text(suggest_mapping(path).to_yaml(), encoding="utf-8")
    issues, dates = _import(workspace, path, load_mapping(mapping_path))
    # No unknown-column warning for the two empty columns: they are dropped.
    assert issues == []
    assert dates == {
        str(i): (MS.us_birth(k).isoformat(), died.isoformat())
        for i, (k, died) in enumerate(MS.GSHEET_US.items(), start=1)
    }
    assert dates["2"][1] == "2019-11-12"  # 11/12/2019, not 11 December
    (raw,) = workspace.conn.execute("select raw from records limit 1").fetchone()
    assert '""' not in raw and "column_8" not in raw


def test_the_preview_shows_the_order_read(tmp_path: Path) -> None:
    path = tmp_path / "gsheet_us.csv"
    MS.gsheet_us_csv(path)
    mapping = tmp_path / "us.yaml"
    mapping.write_text(suggest_mapping(path).to_yaml(), encoding="utf-8")
    found = preview_file(
        path, Settings(), source="us", mapping=load_mapping(mapping), today=TODAY
    )
    assert found.empty_columns == 2
    assert [o.describe() for o in found.date_orders] == [
        "month-first (as the file's other date columns; 6 either way)",
        "month-first (found: 4 only month first, 2 either way)",
    ]
    assert [c.header for c in found.columns][-1] == "Status"
    proc = run(
        "import", path, "--source", "us", "--mapping", mapping, "--preview", check=True
    )
    assert (
        "empty columns dropped: 2 (no header, no value)\n"
        "dates of birth_date: month-first (as the file's other date columns; 6 "
        "either way)\n"
        "dates of date_of_death: month-first (found: 4 only month first, 2 either "
        "way)\n"
    ) in proc.stdout


def test_a_column_written_both_ways(workspace: Workspace, tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        H + "1,Testa,,11/16/2019\n2,Testb,,16/11/2019\n3,Testc,,11/12/2019\n"
        "4,Testd,,12/12/2019\n5,Teste,,1398/8/25\n",
    )
    issues, dates = _import(workspace, path)
    assert issues == [MIXED.format(row=4)]
    assert dates == {
        "1": (None, "2019-11-16"),
        "2": (None, "2019-11-16"),
        "3": (None, None),  # kept, its date left empty
        "4": (None, "2019-12-12"),  # the same both ways
        "5": (None, "2019-11-16"),
    }
    found = preview_file(path, Settings(), source="s", today=TODAY)
    assert [o.describe() for o in found.date_orders] == [
        "day-first (found: 0 only day first, 0 either way)",  # birth_date: empty
        "mixed (found: 1 only day first, 1 only month first; 1 either way, left empty)",
    ]
    assert found.issue_counts == {"date-order-mixed": 1}


def test_a_column_read_either_way_is_day_first_with_a_warning(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = _csv(
        tmp_path,
        H + "1,Testa,,11/10/2019\n2,Testb,,11/12/2019\n3,Testc,,۱۳۹۸/۰۸/۲۵\n",
    )
    issues, dates = _import(workspace, path)
    assert issues == [ASSUMED.format(count=2)]
    assert [d for _, d in dates.values()] == ["2019-10-11", "2019-12-11", "2019-11-16"]


def test_the_mapping_says_the_order(workspace: Workspace, tmp_path: Path) -> None:
    path = _csv(tmp_path, H + "1,Testa,,11/10/2019\n2,Testb,,11/12/2019\n")
    mapping = _csv(tmp_path, "date_order: month-first\n", "m.yaml")
    issues, dates = _import(workspace, path, load_mapping(mapping))
    assert issues == []
    assert [d for _, d in dates.values()] == ["2019-11-10", "2019-11-12"]
    found = preview_file(
        path, Settings(), source="s", mapping=load_mapping(mapping), today=TODAY
    )
    assert [o.describe() for o in found.date_orders] == [
        "month-first (date_order in the mapping)"
    ] * 2


def test_a_date_the_mapping_order_cannot_read_is_refused(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = _csv(tmp_path, H + "1,Testa,,16/11/2019\n")
    mapping = _csv(tmp_path, "date_order: month-first\n", "m.yaml")
    result = import_file(
        workspace, path, source="s", mapping=load_mapping(mapping), today=TODAY
    )
    assert result.refused
    assert [i.code for i in result.issues] == ["date-impossible"]


def test_a_date_order_the_mapping_cannot_have(tmp_path: Path) -> None:
    mapping = _csv(tmp_path, "date_order: US\n", "m.yaml")
    with pytest.raises(FileIssueError) as err:
        load_mapping(mapping)
    assert err.value.issue.render() == (
        "m.yaml: the mapping file is invalid: 'date_order' can only be month-first "
        "or day-first [mapping-invalid]"
    )


def test_day_first_columns_and_solar_hijri_dates_as_before(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = _csv(
        tmp_path,
        H + "1,Testa,03/04/1990,16/11/2019\n2,Testb,,11/12/2019\n"
        "3,Testc,,1398/08/25\n4,Testd,,۱۳۹۸/۸/۲۶\n",
    )
    issues, dates = _import(workspace, path)
    assert issues == []
    assert dates == {
        "1": ("1990-04-03", "2019-11-16"),  # birth_date as the other column
        "2": (None, "2019-12-11"),
        "3": (None, "2019-11-16"),
        "4": (None, "2019-11-17"),
    }


def test_empty_columns_without_a_header(workspace: Workspace, tmp_path: Path) -> None:
    # The third column has no header and no value: dropped; the fifth has no
    # header but a value in one row: kept as raw data, as before.
    path = _csv(
        tmp_path,
        "record_id,full_name,,age,,\n1,Testa,,30,,\n2,Testb, ,31,x,\n3,Testc\n",
    )
    result = import_file(workspace, path, source="s", today=TODAY, skip_invalid=True)
    assert [i.render() for i in result.issues] == [
        "a.csv:1:column_5: column is not part of the records format; its values are "
        "kept as raw data only [unknown-column]",
        "a.csv:4: the row has 2 cells but the header has 4; check for a stray or "
        "missing delimiter [row-length]",
    ]
    raws = [r for (r,) in workspace.conn.execute("select raw from records order by id")]
    assert raws == [
        '{"record_id": "1", "full_name": "Testa", "age": "30", "column_5": ""}',
        '{"record_id": "2", "full_name": "Testb", "age": "31", "column_5": "x"}',
    ]
    found = preview_file(path, Settings(), source="s", today=TODAY)
    assert found.empty_columns == 2
    assert [c.header for c in found.columns] == ["record_id", "full_name", "age", ""]
