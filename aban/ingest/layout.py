"""A list's layout: which row is its header, and which rows hold no person.

Lists made by hand put a title (often a merged cell) and blank rows above the header,
and a totals row ("جمع / ۸۱ نفر", "Total: 81") below the data. :func:`find_header`
reads the first rows of a :class:`~aban.ingest.table.Table` to find the header, and
:func:`skip_rows` drops the rows a mapping lists and the totals rows, noting each.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from aban.ingest.headers import known_header
from aban.ingest.issues import fail
from aban.ingest.mapping import ColumnMapping
from aban.ingest.table import Row, Table

__all__ = [
    "HEADER_SCAN_ROWS",
    "Layout",
    "find_header",
    "is_summary_row",
    "lay_out",
    "skip_rows",
]

#: Rows read to find the header: a title block is rarely longer.
HEADER_SCAN_ROWS = 12

#: Why a row is skipped (the ``reason`` of :class:`Skipped`).
ABOVE_HEADER = "above the header"
LISTED = "listed in skip_rows of the mapping"
SUMMARY = "a totals or summary row"

# A totals label at the start of a cell: جمع, مجموع, جمع کل, Total, Sum, Totals.
_SUMMARY_LABEL = re.compile(r"\s*(جمع|مجموع|total|totals|sum|grand total)\b", re.I)
# What a totals row holds besides its label: numbers, counts and punctuation.
_SUMMARY_REST = re.compile(
    r"(جمع\s*کل|جمع|مجموع|grand|totals?|sum|نفر|تن|کشته|جانباخته|persons?|people|"
    r"victims?|killed|records?|[\d۰-۹٠-٩]|[\s:/\-–—=,.،؛()\[\]|]|\u200c)+",
    re.I,
)


@dataclass(frozen=True)
class Skipped:
    """A row read from the file but not imported, and why."""

    row: int
    reason: str


@dataclass
class Layout:
    """Where the header is and which rows were skipped (filled while rows are read).

    Attributes:
        header_row: the header's row number in the file (1 is the first row).
        detected: True if the header was found by reading the rows, False if the
            first row was taken or the row was forced.
        skipped: rows not imported, with their reasons, in file order.
    """

    header_row: int = 1
    detected: bool = False
    skipped: list[Skipped] = field(default_factory=list)

    def summaries(self) -> list[int]:
        """The row numbers of the totals rows skipped."""
        return [s.row for s in self.skipped if s.reason == SUMMARY]


def _filled(cells: list[str]) -> int:
    return sum(1 for c in cells if c.strip())


def _choose(rows: list[Row]) -> int:
    """The position in ``rows`` of the header: the first row with two header words,
    else the first row at least half as full as the fullest (and two cells)."""
    for at, (_, cells) in enumerate(rows):
        if sum(1 for c in cells if c.strip() and known_header(c)) >= 2:
            return at
    widest = max((_filled(cells) for _, cells in rows), default=0)
    least = max(2, (widest + 1) // 2)
    return next((at for at, (_, c) in enumerate(rows) if _filled(c) >= least), 0)


def find_header(table: Table, forced: int | None, layout: Layout) -> Table:
    """The table with its header at the row found (or ``forced``), rows above it
    skipped (noted in ``layout``).

    Args:
        table: a table as read, its first row as header (a JSON table is returned
            as it is: its header is its keys).
        forced: the header's row number, from ``--header-row`` or the mapping.
        layout: filled with the header row and the rows skipped above it.

    Raises:
        FileIssueError: ``header-row-missing`` if ``forced`` is past the end.
    """
    if table.fmt == "json":
        return table
    first: Row = (table.header_row, table.header)
    if forced is not None and forced <= first[0]:
        return table
    if forced is not None:
        ahead = list(itertools.islice(table.rows, forced - first[0]))
        rows = [first, *ahead]
        at = next((i for i, (n, _) in enumerate(rows) if n == forced), None)
        if at is None:
            raise fail("header-row-missing", table.name, forced, rows=rows[-1][0])
    else:
        ahead = list(itertools.islice(table.rows, HEADER_SCAN_ROWS - 1))
        rows = [first, *ahead]
        at = _choose(rows)
        layout.detected = at > 0
    number, header = rows[at]
    layout.header_row = number
    layout.skipped.extend(Skipped(n, ABOVE_HEADER) for n, _ in rows[:at])
    if table.fmt == "xlsx":
        header = [c.strip() for c in header]
        while header and not header[-1]:
            header.pop()
    rest = itertools.chain(rows[at + 1 :], table.rows)
    return replace(table, header=header, rows=rest, header_row=number)


def is_summary_row(cells: list[str]) -> bool:
    """True if the row is a totals row: its first filled cell starts with a totals
    label (جمع, مجموع, Total, Sum) and it holds nothing but that, numbers and counts.

    Example:
        >>> is_summary_row(["جمع / ۸۱ نفر", "", ""])
        True
        >>> is_summary_row(["", "Total", "", "81"])
        True
    """
    first = next((c for c in cells if c and not c.isspace()), None)
    if first is None or not _SUMMARY_LABEL.match(first):
        return False
    return all(_SUMMARY_REST.fullmatch(c) for c in cells if c and not c.isspace())


def skip_rows(
    rows: Iterable[Row], listed: Iterable[int], layout: Layout
) -> Iterator[Row]:
    """``rows`` without those listed and the totals rows (noted in ``layout``)."""
    listed = frozenset(listed)
    match = _SUMMARY_LABEL.match
    for row in rows:
        number, cells = row
        if listed and number in listed:
            layout.skipped.append(Skipped(number, LISTED))
            continue
        # The cheap test first: most rows' first cell is not a totals label.
        if cells and (match(cells[0]) or not cells[0]) and is_summary_row(cells):
            layout.skipped.append(Skipped(number, SUMMARY))
            continue
        yield row


def lay_out(
    table: Table, mapping: ColumnMapping, header_row: int | None = None
) -> tuple[Table, Layout]:
    """The table with its header found (or at ``header_row``, else the mapping's
    ``header_row``), without the rows above it, the rows the mapping skips and the
    totals rows; and the layout, which notes the rows skipped as they are read."""
    layout = Layout()
    table = find_header(table, header_row or mapping.header_row, layout)
    table.rows = skip_rows(table.rows, mapping.skip_rows, layout)
    return table, layout
