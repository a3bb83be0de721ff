"""The pure half of an import: turning raw rows into checked, normalised records.

This half needs no register. (Spreading it over worker processes was tried and was
slower: pickling each prepared row back costs more than preparing it.)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from aban.config import Settings
from aban.ingest.issues import Issue
from aban.ingest.validate import RowContext, normalise_row


@dataclass(frozen=True)
class RowJob:
    """What every row of one import is checked against (sent to workers once a chunk).

    ``header`` holds the records-format column names after mapping; ``raw_header`` the
    names as written in the file, under which the raw values are kept.
    """

    file: str
    header: tuple[str, ...]
    raw_header: tuple[str, ...]
    known: tuple[str, ...]
    values: dict[str, dict[str, str]]
    source: str | None
    settings: Settings
    today: dt.date


class PreparedRow(NamedTuple):
    """One row after the pure checks: its record, issues and raw content (a tuple:
    one is made per row, and tuples are cheaper to make than frozen dataclasses)."""

    row_number: int
    record_id: str
    source: str
    record: dict[str, Any]
    issues: list[Issue]
    raw_json: str
    content_sha256: str


def prepare_row(job: RowJob, row_number: int, cells: list[str]) -> PreparedRow:
    """Check and normalise one row whose cells line up with ``job.header``."""
    values = dict(zip(job.header, cells, strict=True))
    record_id = values.get("record_id", "").strip()
    src = job.source if job.source is not None else values.get("source", "").strip()
    ctx = RowContext(job.file, row_number, record_id or None, src or None)
    if job.values:
        translate = job.values
        row_cells = {
            c: translate.get(c, {}).get(values[c].strip(), values[c]) for c in job.known
        }
    else:
        row_cells = {c: values[c] for c in job.known}
    row_cells.pop("source", None)
    record, issues = normalise_row(row_cells, ctx, job.settings, job.today)
    raw = dict(zip(job.raw_header, cells, strict=True))
    raw_json = json.dumps(raw, ensure_ascii=False)
    sha = hashlib.sha256(raw_json.encode("utf-8")).hexdigest()
    return PreparedRow(row_number, record_id, src, record, issues, raw_json, sha)


def prepare_rows(
    job: RowJob, rows: Iterable[tuple[int, list[str]]]
) -> Iterator[PreparedRow]:
    """Prepare ``rows`` in order, lazily."""
    for number, cells in rows:
        yield prepare_row(job, number, cells)
