"""Reading the first (or a named) sheet of an XLSX workbook (its first row as header:
see aban/ingest/layout.py for the header found below a title)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from typing import Any

from aban.ingest.issues import fail
from aban.ingest.table import Row, Table


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


def read_xlsx(data: bytes, name: str, *, sheet: str | None = None) -> Table:
    """Parse XLSX bytes into a :class:`Table`.

    Raises:
        FileIssueError: ``xlsx-invalid``, ``xlsx-no-sheet`` or ``file-empty``.
    """
    from openpyxl import load_workbook  # imported here: only XLSX imports need it

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except zipfile.BadZipFile as err:
        raise fail("xlsx-invalid", name, detail="not a zip archive") from err
    except (KeyError, OSError, ValueError) as err:
        raise fail(
            "xlsx-invalid", name, detail="parts of the workbook are missing"
        ) from err
    if sheet is not None and sheet not in book.sheetnames:
        raise fail("xlsx-no-sheet", name)
    worksheet = book[sheet] if sheet is not None else book.worksheets[0]
    rows = worksheet.iter_rows(values_only=True)
    try:
        header = [_cell_text(v).strip() for v in next(rows)]
    except StopIteration:
        raise fail("file-empty", name) from None
    while header and not header[-1]:
        header.pop()
    return Table(name, header, _rows(rows, len(header)), worksheet.max_row, "xlsx")


def _rows(rows: Iterator[tuple[Any, ...]], width: int) -> Iterator[Row]:
    for row_number, values in enumerate(rows, start=2):
        cells = [_cell_text(v) for v in values]
        # Trailing empty cells beyond the first row are formatting, not data (an
        # import pads each row to its header's width).
        while len(cells) > width and not cells[-1]:
            cells.pop()
        yield row_number, cells
