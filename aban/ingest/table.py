"""A table read from a file: its header and its rows, each with its row number."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

Row = tuple[int, list[str]]


@dataclass
class Table:
    """A header and an iterator of ``(row_number, cells)``; the header is row
    ``header_row`` (1 unless a title sits above it).

    Attributes:
        name: the file name used in messages (no folder, no personal data).
        header: column names as written.
        rows: data rows; cells are text ("" for empty).
        size_hint: the number of data rows if known cheaply, for progress bars.
        fmt: ``csv``, ``xlsx`` or ``json``.
        header_row: the header's row number in the file.
        encoding: the text encoding the file was read in (None for XLSX).
        sheet: the workbook's sheet read (None but for XLSX).
        sheets: the workbook's sheets, in order (empty but for XLSX).
        text: a CSV's decoded text (None for other formats), which a large file's
            preview reads in parts (:func:`aban.ingest.csv.split_rows`).
    """

    name: str
    header: list[str]
    rows: Iterator[Row]
    size_hint: int | None
    fmt: str
    header_row: int = 1
    encoding: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    text: str | None = field(default=None, repr=False)
