"""A first pass over a list, for what no row says alone (issue 15).

Rows are read and checked a batch at a time, but two things need a whole column:

- the order of day and month of a date column's numeric dates
  (:mod:`aban.ingest.dateorder`): ``11/12/2019`` is read by the other dates of its
  column;
- a column with no header and no value in any row (the empty columns at the end of
  a spreadsheet's export, ``column_9``), which is dropped without a word.

The first pass reads the rows of a first reading of the file (only when a date
column or a column without a header needs it), keeping per column only its distinct
values; the import then reads the file again. (The preview of a large file has its
parts scanned in worker processes instead, and what each scan found added up:
:func:`merge_scans`.)
"""

from __future__ import annotations

import itertools
import operator
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from aban.ingest.dateorder import ColumnOrder, decide_orders
from aban.ingest.mapping import ColumnMapping
from aban.ingest.table import Row, Table
from aban.ingest.validate import DATE_COLUMNS
from aban.text.dates import numeric_order

__all__ = [
    "FirstPass",
    "Scan",
    "Scanner",
    "drop_columns",
    "first_pass",
    "merge_scans",
    "scan_columns",
]

#: Rows scanned together: each column's cells of a batch are counted in one call.
_BATCH = 4096
_CELLS = operator.itemgetter(1)
#: What :func:`scan_columns` finds: by date column, its cells by kind; and the
#: columns without a header that hold no value.
Scan = tuple[dict[str, Counter[str]], list[int]]
#: Scans a table's rows as :func:`scan_columns` does, given its date columns and its
#: columns without a header, and leaves them unread (a large file's preview).
Scanner = Callable[[dict[str, int], list[int]], Scan]


@dataclass
class FirstPass:
    """What the first pass found.

    Attributes:
        orders: the order of day and month of each date column, by records column.
        empty: the positions of the columns with no header and no value.
        scanned: the table's rows were read.
    """

    orders: dict[str, ColumnOrder] = field(default_factory=dict)
    empty: list[int] = field(default_factory=list)
    scanned: bool = False


def _kinds(values: Counter[str]) -> Counter[str]:
    kinds: Counter[str] = Counter()
    for value, count in values.items():
        kind = numeric_order(value.strip()) if value else None
        if kind is not None and kind != "same":
            kinds[kind] += count
    return kinds


def scan_columns(
    rows: Iterable[Row], dates: dict[str, int], headerless: list[int]
) -> Scan:
    """Read the rows once: each date column's cells by what order they can be read
    in, and which of the columns without a header hold no value.

    Args:
        rows: the table's rows.
        dates: the position in a row of each date column, by records column.
        headerless: the positions of the columns without a header.

    Returns:
        By date column, a Counter of ``day-first``, ``month-first`` and ``either``
        (cells that can only be read so, or either way); and the positions in
        ``headerless`` of the columns with no value in any row.
    """
    values: dict[str, Counter[str]] = {c: Counter() for c in dates}
    empty = set(headerless)
    getters = [(values[c], operator.itemgetter(at)) for c, at in dates.items()]
    last = max([*dates.values(), *headerless], default=-1)
    rows = iter(rows)
    while batch := list(map(_CELLS, itertools.islice(rows, _BATCH))):
        if min(map(len, batch)) <= last:  # a short row: its length is an issue
            _scan_rows(batch, dates, values, empty)
            continue
        for counted, cell in getters:
            counted.update(map(cell, batch))
        for at in list(empty):
            if any(map(str.strip, map(operator.itemgetter(at), batch))):
                empty.discard(at)
    return {c: _kinds(v) for c, v in values.items()}, sorted(empty)


def _scan_rows(
    batch: list[list[str]],
    dates: dict[str, int],
    values: dict[str, Counter[str]],
    empty: set[int],
) -> None:
    """:func:`scan_columns` of a batch row by row, for rows of different lengths."""
    for cells in batch:
        width = len(cells)
        for column, at in dates.items():
            if at < width:
                values[column][cells[at]] += 1
        if empty:
            empty -= {at for at in empty if at < width and cells[at].strip()}


def merge_scans(
    dates: Iterable[str], headerless: list[int], scans: Iterable[Scan]
) -> Scan:
    """What :func:`scan_columns` finds in all the rows, from its scans of parts of
    them (the counts added up; a column is empty if it is in every part)."""
    kinds: dict[str, Counter[str]] = {c: Counter() for c in dates}
    empty = set(headerless)
    for found, none in scans:
        for column, counted in found.items():
            kinds[column].update(counted)
        empty &= set(none)
    return kinds, sorted(empty)


def first_pass(
    table: Table,
    columns: list[str],
    mapping: ColumnMapping,
    scan: Scanner | None = None,
) -> FirstPass:
    """Read the table's rows (so that the import must read the file again) when
    its dates' order or its columns without a header need it.

    Args:
        table: the file's table, header found and rows skipped as for the import.
        columns: the records column of each of its columns.
        mapping: its mapping (``date_order`` gives every date column's order).
        scan: scans the rows in its own way, leaving the table's rows unread
            (``scanned`` stays False); by default :func:`scan_columns` reads them.
    """
    dates = {c: i for i, c in enumerate(columns) if c in DATE_COLUMNS}
    headerless = [i for i, h in enumerate(table.header) if not h.strip()]
    found = FirstPass()
    if mapping.date_order:
        found.orders = decide_orders({c: Counter() for c in dates}, mapping.date_order)
        dates = {}
    if dates or headerless:
        if scan is None:
            kinds, found.empty = scan_columns(table.rows, dates, headerless)
        else:
            kinds, found.empty = scan(dates, headerless)
        found.orders = found.orders or decide_orders(kinds)
        found.scanned = scan is None
    return found


def drop_columns(
    table: Table, columns: list[str], empty: list[int]
) -> tuple[Table, list[str]]:
    """The table and its records columns without the columns at ``empty``.

    A row as long as the header loses those cells; a row of another length is left
    as it is (its length is checked against the new header's).
    """
    if not empty:
        return table, columns
    width = len(table.header)
    gone = set(empty)
    keep = [i for i in range(width) if i not in gone]
    header = [table.header[i] for i in keep]
    columns = [columns[i] for i in keep]
    if keep == list(range(len(keep))):  # trailing columns: a slice

        def cut(row: Row) -> Row:
            cells = row[1]
            return (row[0], cells[: len(keep)]) if len(cells) == width else row

    else:

        def cut(row: Row) -> Row:
            cells = row[1]
            if len(cells) != width:
                return row
            return row[0], [cells[i] for i in keep]

    rows = map(cut, table.rows)
    return replace(table, header=header, rows=iter(rows)), columns
