"""The pure half of an import: turning raw rows into checked, normalised records.

This half needs no register. (Spreading it over worker processes was tried and was
slower: pickling each prepared row back costs more than preparing it.)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from aban.config import Settings
from aban.ingest.issues import Issue
from aban.ingest.validate import RowContext, RowReader
from aban.store.records import RECORD_FIELDS

# The first record fields are the row's identity and raw content, set here.
_IDENTITY = ("record_id", "row_number", "raw", "content_sha256")
assert RECORD_FIELDS[: len(_IDENTITY)] == _IDENTITY


@dataclass(frozen=True)
class RowJob:
    """What every row of one import is checked against.

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
    one is made per row, and tuples are cheaper to make than frozen dataclasses).

    ``values`` are the record's stored fields in the order of ``RECORD_FIELDS``, or
    None when a cell held a nested value (the row is then refused).
    """

    row_number: int
    record_id: str
    source: str
    context: RowContext
    values: list[Any] | None
    issues: list[Issue]
    raw_json: str
    content_sha256: str


def _picker(positions: Sequence[int]) -> Callable[[Sequence[str]], tuple[str, ...]]:
    """The cells at ``positions`` as a tuple (itemgetter gives a bare cell for one)."""
    if len(positions) == 1:
        only = positions[0]
        return lambda cells: (cells[only],)
    return operator.itemgetter(*positions)


def raw_encoder(raw_header: Sequence[str]) -> Callable[[Sequence[str]], str]:
    """A function of a row's cells giving the JSON object of them under ``raw_header``.

    The same text as ``json.dumps(dict(zip(raw_header, cells)), ensure_ascii=False)``.
    The raw JSON of every row is hashed to tell a re-import from a changed record, so
    it must not change; the keys are encoded once here, not once per row.
    """
    if len(set(raw_header)) != len(raw_header):  # later keys would win in a dict
        return lambda cells: json.dumps(
            dict(zip(raw_header, cells, strict=True)), ensure_ascii=False
        )
    encode = json.encoder.encode_basestring  # what json.dumps uses for str
    template = (
        "{"
        + ", ".join(encode(key).replace("%", "%%") + ": %s" for key in raw_header)
        + "}"
    )
    return lambda cells: template % tuple(map(encode, cells))


class _Plan:
    """Where an import's rows keep each cell: worked out once from the header."""

    def __init__(self, job: RowJob) -> None:
        self.job = job
        header = job.header
        self.id_at = header.index("record_id") if "record_id" in header else None
        self.source_at = header.index("source") if "source" in header else None
        checked = [i for i, c in enumerate(header) if c in job.known and c != "source"]
        self.columns = tuple(header[i] for i in checked)
        self.pick = _picker(checked) if checked else (lambda cells: ())
        self.reader = RowReader(self.columns, RECORD_FIELDS)
        self.raw = raw_encoder(job.raw_header)

    def cell(self, cells: Sequence[str], at: int | None) -> str:
        return cells[at].strip() if at is not None else ""

    def translate(self, values: tuple[str, ...]) -> tuple[str, ...]:
        """Apply the mapping's value translations (``values`` of a column mapping)."""
        table = self.job.values
        return tuple(
            table.get(c, {}).get(v.strip(), v)
            for c, v in zip(self.columns, values, strict=True)
        )

    def prepare(self, row_number: int, cells: Sequence[str]) -> PreparedRow:
        """Check and normalise one row whose cells line up with ``job.header``."""
        job = self.job
        record_id = self.cell(cells, self.id_at)
        src = job.source if job.source is not None else self.cell(cells, self.source_at)
        ctx = RowContext(job.file, row_number, record_id or None, src or None)
        values = self.pick(cells)
        if job.values:
            values = self.translate(values)
        record, issues = self.reader.read(values, ctx, job.settings, job.today)
        raw_json = self.raw(cells)
        sha = hashlib.sha256(raw_json.encode("utf-8")).hexdigest()
        if record is not None:
            record[:4] = record_id, row_number, raw_json, sha
        return PreparedRow(
            row_number, record_id, src, ctx, record, issues, raw_json, sha
        )


def prepare_row(job: RowJob, row_number: int, cells: list[str]) -> PreparedRow:
    """Check and normalise one row whose cells line up with ``job.header``."""
    return _Plan(job).prepare(row_number, cells)


def prepare_rows(
    job: RowJob, rows: Iterable[tuple[int, list[str]]]
) -> Iterator[PreparedRow]:
    """Prepare ``rows`` in order, lazily."""
    prepare = _Plan(job).prepare
    for number, cells in rows:
        yield prepare(number, cells)
