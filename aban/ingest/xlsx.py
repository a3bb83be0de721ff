"""Reading one sheet of an XLSX workbook (its first row as header: see
aban/ingest/layout.py for the header found below a title).

A workbook often holds more than its list: notes on the first sheet, a second list
on another. The sheet read is the one asked for, by name or by its number from 1
(``--sheet``, or ``sheet:`` in a mapping), else the first sheet that holds a list's
header (two header words in its first rows), else the first sheet.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import zipfile
from collections.abc import Iterator
from typing import Any

from aban.ingest.headers import known_header
from aban.ingest.issues import fail
from aban.ingest.table import Row, Table

__all__ = ["list_sheets", "looks_like_list", "read_xlsx", "sheet_names"]

#: Rows of a sheet read to tell whether it holds a list (as the header is looked for).
_SCAN_ROWS = 12


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _open(data: bytes, name: str) -> Any:
    from openpyxl import load_workbook  # imported here: only XLSX imports need it

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except zipfile.BadZipFile as err:
        raise fail("xlsx-invalid", name, detail="not a zip archive") from err
    except (KeyError, OSError, ValueError) as err:
        raise fail(
            "xlsx-invalid", name, detail="parts of the workbook are missing"
        ) from err


def looks_like_list(worksheet: Any) -> bool:
    """True if one of the sheet's first rows holds two header words."""
    rows = worksheet.iter_rows(max_row=_SCAN_ROWS, values_only=True)
    return any(
        sum(1 for v in row if (t := _cell_text(v).strip()) and known_header(t)) >= 2
        for row in itertools.islice(rows, _SCAN_ROWS)
    )


def _pick(book: Any, sheet: str | None, name: str) -> Any:
    """The sheet named ``sheet``, else numbered ``sheet`` (from 1: a name is looked
    up first); without one, the first sheet that looks like a list, else the first."""
    if sheet is None and len(book.worksheets) == 1:
        return book.worksheets[0]
    if sheet is None:
        return next(
            (ws for ws in book.worksheets if looks_like_list(ws)), book.worksheets[0]
        )
    if sheet in book.sheetnames:
        return book[sheet]
    number = sheet.strip()
    if number.isdecimal() and 1 <= int(number) <= len(book.worksheets):
        return book.worksheets[int(number) - 1]
    raise fail(
        "xlsx-no-sheet", name, count=len(book.sheetnames),
        sheets=", ".join(book.sheetnames),
    )  # fmt: skip


def sheet_names(data: bytes, name: str) -> list[str]:
    """The names of the workbook's sheets, in order.

    Raises:
        FileIssueError: ``xlsx-invalid``.
    """
    return list(_open(data, name).sheetnames)


def list_sheets(data: bytes, name: str) -> list[str]:
    """The names of the sheets that look like lists (:func:`looks_like_list`).

    Raises:
        FileIssueError: ``xlsx-invalid``.
    """
    book = _open(data, name)
    return [ws.title for ws in book.worksheets if looks_like_list(ws)]


def read_xlsx(data: bytes, name: str, *, sheet: str | None = None) -> Table:
    """Parse one sheet of XLSX bytes into a :class:`Table` (see the module docstring
    for the sheet read).

    Args:
        data: the workbook's bytes.
        name: the file name for messages.
        sheet: the sheet's name, or its number from 1.

    Raises:
        FileIssueError: ``xlsx-invalid``, ``xlsx-no-sheet`` or ``file-empty``.
    """
    book = _open(data, name)
    worksheet = _pick(book, sheet, name)
    rows = worksheet.iter_rows(values_only=True)
    try:
        header = [_cell_text(v).strip() for v in next(rows)]
    except StopIteration:
        raise fail("file-empty", name) from None
    while header and not header[-1]:
        header.pop()
    table = Table(name, header, _rows(rows, len(header)), worksheet.max_row, "xlsx")
    table.sheet, table.sheets = worksheet.title, tuple(book.sheetnames)
    return table


def _rows(rows: Iterator[tuple[Any, ...]], width: int) -> Iterator[Row]:
    for row_number, values in enumerate(rows, start=2):
        cells = [_cell_text(v) for v in values]
        # Trailing empty cells beyond the first row are formatting, not data (an
        # import pads each row to its header's width).
        while len(cells) > width and not cells[-1]:
            cells.pop()
        yield row_number, cells
