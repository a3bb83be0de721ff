"""The pure half of an import: turning raw rows into checked, normalised records.

This half needs no register. Rows are prepared a batch at a time, column by column
(see aban/ingest/validate.py). (Spreading this over worker processes was tried and was
slower: pickling each prepared row back costs more than preparing it.)
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import operator
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from aban.config import Settings
from aban.ingest.issues import Issue
from aban.ingest.lenient import EventDates, empty_bad_cells, rows_without_person
from aban.ingest.table import Row
from aban.ingest.validate import BatchReader, RowContext, RowIssues
from aban.store.records import RECORD_FIELDS
from aban.text.identifiers import has_invisible, normalise_identifier

_FIRST, _SECOND = operator.itemgetter(0), operator.itemgetter(1)
Columns = Sequence[Sequence[str]]
# The record fields of a row's identity and raw content, set here.
_IDENTITY = ("record_id", "row_number", "raw", "content_sha256")


@dataclass(frozen=True)
class RowJob:
    """What every row of one import is checked against.

    ``header`` holds the records-format column names after mapping; ``raw_header`` the
    names as written in the file, under which the raw values are kept; ``constants``
    the value a mapping sets for every row, by records column (not in the raw row);
    ``row_ids``: a file without a record_id column gives each row the record id
    ``row-N``, N its row number (the mapping's ``record_ids: rows``). ``event``
    holds the first and last day of the workspace's event (dates without a year
    take their year from it); ``skip_cells`` empties a cell whose value is an
    error and keeps its row (``--skip-invalid cells``); ``date_orders`` gives, by
    date column, the order of day and month of its numeric dates
    (:mod:`aban.ingest.dateorder`).
    """

    file: str
    header: tuple[str, ...]
    raw_header: tuple[str, ...]
    known: tuple[str, ...]
    values: dict[str, dict[str, str]]
    source: str | None
    settings: Settings
    today: dt.date
    constants: dict[str, str] = field(default_factory=dict)
    row_ids: bool = False
    event: EventDates | None = None
    skip_cells: bool = False
    date_orders: dict[str, str] = field(default_factory=dict)


class PreparedBatch(NamedTuple):
    """Rows after the pure checks, as parallel lists (one item per row).

    ``records`` hold each record's stored fields in the order of ``RECORD_FIELDS``,
    or None when a cell held a nested value (the row is then refused); ``issues``
    are by row index, for rows that have any.
    """

    numbers: Sequence[int]
    record_ids: list[str]
    sources: Sequence[str]
    records: list[tuple[Any, ...] | None]
    issues: RowIssues
    raws: list[str]
    shas: list[str]
    file: str

    def context(self, row: int) -> RowContext:
        """Where row ``row`` of the batch comes from, for its issues."""
        return RowContext(
            self.file,
            self.numbers[row],
            self.record_ids[row] or None,
            self.sources[row] or None,
        )


def raw_rows(raw_header: Sequence[str]) -> Callable[[Columns], list[str]]:
    """A function of cells given column by column, giving each row's raw JSON.

    The JSON of a row is ``json.dumps(dict(zip(raw_header, cells)),
    ensure_ascii=False)``. It is hashed to tell a re-import from a changed record, so
    it must not change; the keys are encoded once here, not once per row.
    """
    if len(set(raw_header)) != len(raw_header):  # later keys would win in a dict
        return lambda columns: [
            json.dumps(dict(zip(raw_header, row, strict=True)), ensure_ascii=False)
            for row in zip(*columns, strict=True)
        ]
    encode = json.encoder.encode_basestring  # what json.dumps uses for str
    template = (
        "{"
        + ", ".join(encode(key).replace("%", "%%") + ": %s" for key in raw_header)
        + "}"
    )
    return lambda columns: list(
        map(template.__mod__, zip(*(map(encode, c) for c in columns), strict=True))
    )


#: Source names repeat down a file: each is read once.
_source_name = functools.lru_cache(1 << 12)(normalise_identifier)


def _source_names(cells: Sequence[str]) -> list[str]:
    return list(map(_source_name, cells))


def _record_ids(cells: Sequence[str]) -> list[str]:
    """:func:`normalise_identifier` of each cell: stripped, then in NFC only if the
    cells are not all in NFC already (one check of them joined: NFC leaves a
    control character between two texts and each text as it would alone)."""
    stripped = list(map(str.strip, cells))
    if unicodedata.is_normalized("NFC", "\x1f".join(stripped)):
        return stripped
    return list(map(normalise_identifier, stripped))


def _check_record_ids(record_ids: Sequence[str], batch: PreparedBatch) -> None:
    """An issue for each record id with an invisible character (one scan for all)."""
    if not has_invisible("".join(record_ids)):
        return
    for row, record_id in enumerate(record_ids):
        if has_invisible(record_id):
            issue = batch.context(row).issue("invisible-characters", "record_id")
            batch.issues.setdefault(row, []).append(issue)


def _emptied(batch: PreparedBatch) -> Callable[[int, str, Issue], Issue]:
    """The warning that replaces an error when its cell is emptied."""

    def issue(row: int, column: str, error: Issue) -> Issue:
        return batch.context(row).issue(
            "cell-emptied", column, reason=error.message, original=error.code
        )

    return issue


class RowPlan:
    """Where an import's rows keep each cell: worked out once from the header."""

    def __init__(self, job: RowJob, *, keep_raw: bool = True) -> None:
        """Plan for ``job``; without ``keep_raw`` (a preview), rows' raw JSON and
        digests are left empty, which saves a fifth of the time."""
        self.job, self.keep_raw = job, keep_raw
        header = job.header
        self.id_at = header.index("record_id") if "record_id" in header else None
        self.source_at = header.index("source") if "source" in header else None
        self.checked = [
            i for i, c in enumerate(header) if c in job.known and c != "source"
        ]
        self.reader = BatchReader(
            [*(header[i] for i in self.checked), *job.constants],
            RECORD_FIELDS,
            job.date_orders,
        )
        self.raw = raw_rows(job.raw_header)
        self.identity_slots = [RECORD_FIELDS.index(f) for f in _IDENTITY]
        #: Cells read as empty for a word for "not known", by column, so far.
        self.not_known: Counter[str] = Counter()

    def _identity(
        self,
        columns: Columns,
        at: int | None,
        read: Callable[[Sequence[str]], list[str]],
    ) -> list[str]:
        """A column of record ids or source names, each stripped and in NFC."""
        if at is None:
            return [""] * len(columns[0])
        return read(columns[at])

    def _checked(self, columns: Columns) -> list[Sequence[str]]:
        """The cells read as records columns, with the mapping's value translations."""
        cells = [columns[i] for i in self.checked]
        for k, i in enumerate(self.checked):
            table = self.job.values.get(self.job.header[i])
            if table:
                cells[k] = [table.get(v.strip(), v) for v in cells[k]]
        size = len(columns[0]) if columns else 0
        cells.extend([value] * size for value in self.job.constants.values())
        return cells

    def prepare(self, rows: Sequence[Row], *, values: bool = True) -> PreparedBatch:
        """Check and normalise rows whose cells line up with ``job.header``; without
        ``values`` (a preview's worker, which sends back only the issues), each
        record is ``()``, or None for a row with a nested value."""
        job, size = self.job, len(rows)
        numbers = list(map(_FIRST, rows))
        cells = list(map(_SECOND, rows))
        columns = list(zip(*cells, strict=True))
        if self.id_at is None and job.row_ids:
            record_ids = [f"row-{n}" for n in numbers]
        else:
            record_ids = self._identity(columns, self.id_at, _record_ids)
        if job.source is not None:
            sources: Sequence[str] = [job.source] * size
        else:
            sources = self._identity(columns, self.source_at, _source_names)
        batch = PreparedBatch(numbers, record_ids, sources, [], {}, [], [], job.file)
        found = self.reader.read(
            self._checked(columns), batch.context, job.settings, job.today, job.event
        )
        self.not_known.update(found.not_known)
        if job.skip_cells:
            empty_bad_cells(
                found.issues,
                found.columns,
                RECORD_FIELDS,
                found.nested,
                _emptied(batch),
            )
        for row in rows_without_person(found.columns, RECORD_FIELDS, size):
            if row not in found.nested:
                issue = batch.context(row).issue("record-empty", None)
                found.issues.setdefault(row, []).append(issue)
        if self.keep_raw:
            batch.raws.extend(self.raw(columns))
            batch.shas.extend(
                [hashlib.sha256(r.encode("utf-8")).hexdigest() for r in batch.raws]
            )
        else:
            batch.raws.extend([""] * size)
            batch.shas.extend([""] * size)
        if values:
            identity = record_ids, numbers, batch.raws, batch.shas
            for slot, column in zip(self.identity_slots, identity, strict=True):
                found.columns[slot] = column
            batch.records.extend(zip(*found.columns, strict=True))
        else:
            batch.records.extend([()] * size)
        for row in found.nested:
            batch.records[row] = None
        batch.issues.update(found.issues)
        _check_record_ids(record_ids, batch)
        return batch
