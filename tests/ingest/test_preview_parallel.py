"""The preview checks a large file's rows in forked processes (issue 15: a preview of
1M records in under 15 s) with exactly the output of one process."""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import sys
from pathlib import Path
from typing import Any

import pytest

from aban.config import Settings
from aban.errors import IngestError
from aban.ingest import preview
from aban.ingest.issues import FileIssueError
from aban.ingest.mapping import ColumnMapping
from aban.ingest.preview import preview_file
from aban.ingest.suggest import suggest_mapping

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
    **kwargs: object,
) -> tuple[dict[str, object], dict[str, object]]:
    """The preview's JSON in one process and with the rows after the first two
    batches in forked processes."""
    settings = Settings()
    monkeypatch.setattr(preview, "BATCH_ROWS", batch)
    monkeypatch.setattr(preview, "PARALLEL_FROM", 10**9)
    one = preview_file(path, settings, today=TODAY, **kwargs).to_dict()  # type: ignore[arg-type]
    monkeypatch.setattr(preview, "PARALLEL_FROM", 2 * batch)
    calls: list[int] = []
    parallel = preview._check_in_parallel

    def spy(*args: object) -> None:
        calls.append(1)
        parallel(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(preview, "_check_in_parallel", spy)
    two = preview_file(path, settings, today=TODAY, **kwargs).to_dict()  # type: ignore[arg-type]
    assert calls == ([1] if sys.platform == "linux" else [])
    return one, two


def test_parallel_preview_equals_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "varied.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(_varied_rows(3000))
    one, two = _previews(path, monkeypatch)
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
    "name",
    ["media_en.csv", "ngo_fa.xlsx", "family_cp1256.csv", "form_server.jsonl"],
)
def test_parallel_preview_of_each_shape(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = SHAPES / name
    guess = suggest_mapping(path)
    mapping = ColumnMapping(
        columns=guess.columns,
        header_row=guess.header_row,
        repeat=guess.repeat,
        row_ids=True,
    )
    one, two = _previews(path, monkeypatch, batch=2, source="shape", mapping=mapping)
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


def _die(rows: list[Any]) -> Any:
    os._exit(9)  # a worker killed in the middle of its batch


def test_a_worker_that_dies_is_an_error_not_a_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A worker killed (the out-of-memory killer, a signal) must not leave the
    # preview waiting for its batch for ever.
    lines = ["record_id,full_name,city"]
    lines += [f"R{n},Sara Karimi,Tehran" for n in range(300)]
    path = tmp_path / "list.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(preview, "BATCH_ROWS", 20)
    monkeypatch.setattr(preview, "PARALLEL_FROM", 40)
    monkeypatch.setattr(preview, "_prepare_slim", _die)
    with pytest.raises(IngestError) as err:
        preview_file(path, Settings(), source="s", today=TODAY)
    assert str(err.value) == (
        "list.csv: the preview's worker process stopped before it finished "
        "(out of memory?); nothing was written"
    )
