"""The preview checks a large file's rows in forked processes (issue 15: a preview of
1M records in under 15 s) with exactly the output of one process."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import os
import random
import sys
from pathlib import Path
from typing import Any

import pytest

from aban.config import Settings
from aban.errors import IngestError
from aban.ingest import parallel, preview
from aban.ingest.csv import read_csv, read_part, rows_are_lines, split_rows
from aban.ingest.issues import FileIssueError
from aban.ingest.mapping import ColumnMapping
from aban.ingest.preview import preview_file
from aban.ingest.suggest import suggest_mapping
from aban.sim.noise import PRESETS
from aban.simulate import SimulationSettings, simulate, write_scenario

SHAPES = Path(__file__).parent.parent / "data" / "shapes"
TODAY = dt.date(2026, 1, 1)
HEADER = [
    "source",
    "record_id",
    "full_name",
    "given_name",
    "family_name",
    "sex",
    "age",
    "date_of_death",
    "birth_date",
    "city",
    "status",
    "notes",
]
# Invented names, honorifics and words for "not known" among them.
GIVEN = ["Sara", "Reza", "Seyed Ali", "Haj Mahmoud", "سید علی", "شهید رضا", "مریم", ""]
FAMILY = ["Rostami", "Karimi", "Unknown", "رستمی", "کریمی", "-", "Asgari Nejad"]
CITIES = ["Tehran", "=SUM(A1:A2)", "Shiraz", "نامعلوم", "n/a", "Karaj", "تهران", "?"]
DEATHS = ["2019-11-16", "17 Nov 2019", "25 آبان 1398", "31/02/2019", "2030-01-01", ""]
BIRTHS = ["1990-01-01", "2001-05-05", "", "2020-01-01", "1700-01-01"]
AGES = ["29", "17 ساله", "", "150", "abc", "۳۵"]
SEXES = ["m", "f", "زن", "Male", "x", ""]
STATUSES = ["killed", "", "unknown-word", "کشته"]
NOTES = ["", "=SUM(A1:A2)", "plain note", "x" * 30]


def _varied_rows(count: int, seed: int = 7) -> list[list[str]]:
    """Rows of many shapes: duplicate and missing ids, short rows, totals and
    empty rows, issues of every kind in the cells."""
    rng = random.Random(seed)
    rows = []
    for n in range(count):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        record_id = rng.choice([f"R-{n}", f"R-{n}", f"R-{n // 3}", "", f"R-{n}\u200b"])
        row = [
            rng.choice(["ngo", "media", "ngo"]),
            record_id,
            f"{given} {family}".strip(),
            given,
            family,
            rng.choice(SEXES),
            rng.choice(AGES),
            rng.choice(DEATHS),
            rng.choice(BIRTHS),
            rng.choice(CITIES),
            rng.choice(STATUSES),
            rng.choice(NOTES),
        ]
        kind = rng.random()
        if kind < 0.01:
            row = row[:5]  # a short row, refused
        elif kind < 0.015:
            row = [""] * len(HEADER)
        elif kind < 0.02:
            row = ["Total", "", "", "", "", "", "2,500"] + [""] * 5
        rows.append(row)
    return rows


def _previews(
    path: Path,
    monkeypatch: pytest.MonkeyPatch,
    batch: int = 20,
    way: str | None = "check_batches",
    today: dt.date = TODAY,
    **kwargs: object,
) -> tuple[dict[str, object], dict[str, object]]:
    """The preview's JSON in one process and with the rows after the first two
    batches in forked processes (``way``: the function of aban.ingest.parallel that
    must check them: rows sent pickled, or parts of the file read by the workers;
    None: the first rows gave no samples, so this process reads the rest)."""
    settings = Settings()
    monkeypatch.setattr(preview, "BATCH_ROWS", batch)
    monkeypatch.setattr(preview, "PARALLEL_FROM", 10**9)
    one = preview_file(path, settings, today=today, **kwargs).to_dict()  # type: ignore[arg-type]
    monkeypatch.setattr(preview, "PARALLEL_FROM", 2 * batch)
    monkeypatch.setattr(parallel, "PART_CHARS", 500)  # parts of a few rows
    calls: list[str] = []
    for name in ("check_batches", "check_parts"):
        monkeypatch.setattr(parallel, name, _spy(calls, name, getattr(parallel, name)))
    two = preview_file(path, settings, today=today, **kwargs).to_dict()  # type: ignore[arg-type]
    assert calls == ([way] if way and sys.platform == "linux" else [])
    return one, two


def _spy(calls: list[str], name: str, function: Any) -> Any:
    def spy(*args: object) -> Any:
        calls.append(name)
        return function(*args)

    return spy


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)


@pytest.mark.parametrize("way", ["check_batches", "check_parts"])
def test_parallel_preview_equals_one_process(
    way: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = _varied_rows(3000)
    if way == "check_parts":  # no cell quoted: the workers read the file's parts
        rows = [["2500" if c == "2,500" else c for c in row] for row in rows]
    path = tmp_path / "varied.csv"
    _write(path, rows)
    one, two = _previews(path, monkeypatch, way=way)
    assert one == two
    # The file's shapes are all there: the comparison covers them.
    counts = one["issue_counts"]
    assert isinstance(counts, dict)
    for code in (
        "record-id-duplicate",
        "record-id-missing",
        "row-length",
        "date-in-future",
        "age-out-of-range",
        "formula-in-cell",
        "invisible-characters",
    ):
        assert counts.get(code, 0) > 0, code
    assert one["rows"] == 2967 and one["refused_rows"] == 2757
    assert one["skipped"] and one["issues"]


@pytest.mark.parametrize(
    ("name", "way"),
    [
        ("media_en.csv", "check_batches"),  # quoted cells
        ("ngo_fa.xlsx", "check_batches"),
        ("family_cp1256.csv", "check_parts"),
        ("gsheet_en.csv", "check_parts"),  # empty columns without a header
        ("gsheet_us.csv", "check_parts"),  # dates month first
        ("form_server.jsonl", "check_batches"),
    ],
)
def test_parallel_preview_of_each_shape(
    name: str, way: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = SHAPES / name
    guess = suggest_mapping(path)
    mapping = ColumnMapping(
        columns=guess.columns,
        header_row=guess.header_row,
        repeat=guess.repeat,
        row_ids=True,
    )
    one, two = _previews(
        path, monkeypatch, batch=2, way=way, source="shape", mapping=mapping
    )
    assert one == two


def test_a_reading_error_after_the_fork_is_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unclosed quote in the last row: the error the file's reading raises
    comes out of the parallel preview as it does in one process (it must not
    reach a worker, which could not unpickle it and would leave the preview
    waiting)."""
    lines = ["record_id,full_name,city"]
    lines += [f"R{n},Sara Karimi,Tehran" for n in range(300)]
    lines.append('R-last,"Sara Karimi,Tehran')
    path = tmp_path / "cut.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(preview, "BATCH_ROWS", 20)
    monkeypatch.setattr(preview, "PARALLEL_FROM", 40)
    with pytest.raises(FileIssueError) as err:
        preview_file(path, Settings(), source="s", today=TODAY)
    assert str(err.value) == (
        "cut.csv:302: the CSV is cut off or has an unclosed quote (unexpected end "
        "of data); re-export the file [csv-malformed]"
    )


def test_a_reading_error_in_a_part_is_raised_in_the_files_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cell over the reader's limit in a part a worker reads: the error of one
    process, with its row, and the first of two."""
    lines = ["record_id,full_name,city"]
    lines += [f"R{n},Sara Karimi,Tehran" for n in range(300)]
    lines[150] = lines[250] = "R-long," + "x" * 200 + ",Tehran"
    path = tmp_path / "long.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    limit = csv.field_size_limit(100)
    try:
        monkeypatch.setattr(preview, "BATCH_ROWS", 20)
        monkeypatch.setattr(parallel, "PART_CHARS", 500)
        for parallel_from in (10**9, 40):
            monkeypatch.setattr(preview, "PARALLEL_FROM", parallel_from)
            with pytest.raises(FileIssueError) as err:
                preview_file(path, Settings(), source="s", today=TODAY)
            assert str(err.value) == (
                "long.csv:151: the cell is longer than 100 characters; shorten it "
                "or check the file is not damaged [cell-too-long]"
            )
    finally:
        csv.field_size_limit(limit)


def _die(*args: Any) -> Any:
    os._exit(9)  # a worker killed in the middle of its batch


@pytest.mark.parametrize("where", ["_prepare_slim", "_scan_part", "_check_part"])
def test_a_worker_that_dies_is_an_error_not_a_wait(
    where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A worker killed (the out-of-memory killer, a signal) must not leave the
    # preview waiting for its batch for ever: rows sent pickled (a quoted cell),
    # parts read by the workers while they scan them or check them.
    city = '"Tehran, Iran"' if where == "_prepare_slim" else "Tehran"
    lines = ["record_id,full_name,city"]
    lines += [f"R{n},Sara Karimi,{city}" for n in range(300)]
    path = tmp_path / "list.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(preview, "BATCH_ROWS", 20)
    monkeypatch.setattr(preview, "PARALLEL_FROM", 40)
    monkeypatch.setattr(parallel, where, _die)
    with pytest.raises(IngestError) as err:
        preview_file(path, Settings(), source="s", today=TODAY)
    assert str(err.value) == (
        "list.csv: the preview's worker process stopped before it finished "
        "(out of memory?); nothing was written"
    )


GOLDEN = Path(__file__).parent.parent / "data" / "preview_hard_noise.json"


def _hard_noise_list(folder: Path, delimiter: str) -> Path:
    """The sources of a simulated crackdown with hard noise (3 lists, 2,943 rows of
    invented persons) in one file with a source column, as bench/import_speed.py
    joins them."""
    scenario = simulate(
        SimulationSettings(persons=1500, sources=3, seed=11, noise=PRESETS["hard"])
    )
    write_scenario(scenario, folder / "sim")
    columns: list[str] = []
    files = sorted((folder / "sim" / "sources").glob("*.csv"))
    for path in files:
        with path.open(encoding="utf-8") as handle:
            columns += [
                c for c in next(csv.reader(handle)) if c not in (*columns, "source")
            ]
    out = folder / ("hard.csv" if delimiter == "," else "hard.tsv")
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["source", *columns], delimiter=delimiter)
        writer.writeheader()
        for path in files:
            with path.open(encoding="utf-8") as src:
                writer.writerows(
                    {**row, "source": path.stem} for row in csv.DictReader(src)
                )
    return out


@pytest.mark.parametrize(
    ("delimiter", "way"), [(",", "check_batches"), ("\t", "check_parts")]
)
def test_a_list_with_hard_noise_previews_as_before(
    delimiter: str, way: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Names written "Family, Given" are quoted in the CSV (rows sent pickled); the
    # same rows separated by tabs hold no quote (parts read by the workers). Both
    # ways give the JSON of one process, which is what the preview gave before its
    # workers read the file's parts (GOLDEN: written by that version). Today is in
    # the event: its later dates of death are in the future, 135 issues.
    path = _hard_noise_list(tmp_path, delimiter)
    mapping = ColumnMapping(delimiter=delimiter)
    today = dt.date(2019, 11, 20)
    one, two = _previews(path, monkeypatch, 50, way, today, mapping=mapping)
    assert one == two
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert one == golden[way]


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
@pytest.mark.parametrize("closed", [True, False])
def test_a_csvs_parts_hold_its_rows(ending: str, closed: bool) -> None:
    # Empty lines, a last line with or without its line break, parts of any size:
    # the parts' rows are the file's rows after the one cut at, numbered alike.
    lines = ["a,b"] + [f"{n},x{n}" if n % 7 else "" for n in range(200)]
    data = (ending.join(lines) + (ending if closed else "")).encode()
    text = read_csv(data, "f.csv", keep_text=True).text
    assert text is not None and rows_are_lines(text)
    for after in (1, 5):
        whole = list(itertools.islice(read_csv(data, "f.csv").rows, after - 1, None))
        for size in (1, 10, 100, 10_000):
            parts = split_rows(text, after, size)
            assert [r for p in parts for r in read_part(text, p, "f.csv")] == whole
    assert not rows_are_lines('a,"b\nc"\n') and not rows_are_lines("a\rb\r\n")


@pytest.mark.parametrize(("batch", "way"), [(50, "check_parts"), (20, None)])
def test_parts_after_a_title_with_rows_skipped_and_an_empty_column(
    batch: int, way: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A title and a blank line above the header, rows the mapping skips on both
    # sides of the first rows, a trailing column with no header and no value, and
    # dates month first: the parts read by the workers give one process's JSON
    # (and so do the parts read here, when the first 40 rows give no 3 samples).
    rows = [
        [*row[:7], "11/16/2019" if n % 5 == 0 else row[7], *row[8:], ""]
        for n, row in enumerate(_varied_rows(600, seed=3))
        if len(row) == len(HEADER)
    ]
    path = tmp_path / "titled.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        handle.write("List of the dead (invented)\n\n")
        csv.writer(handle).writerows([[*HEADER, ""], *rows])
    text = path.read_text(encoding="utf-8").replace('"2,500"', "2500")
    path.write_text(text, encoding="utf-8")
    mapping = ColumnMapping(skip_rows=[10, 11, 300, 301, 555])
    one, two = _previews(path, monkeypatch, batch, way, mapping=mapping)
    assert one == two
    assert one["header_row"] == 3 and one["empty_columns"] == 1
    assert [o["order"] for o in one["date_orders"]] == ["mixed", "day-first"]  # type: ignore[index]
    skipped = one["skipped"]
    assert isinstance(skipped, list)
    assert [s["row"] for s in skipped if "skip_rows" in s["reason"]] == [
        10,
        11,
        300,
        301,
        555,
    ]
