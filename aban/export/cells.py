"""Export rows as CSV and JSON bytes, with CSV cells safe to open in a spreadsheet.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula:
a name in a register can carry one (CSV injection). Every CSV cell passes through
:func:`aban.text.spreadsheet.neutralise`, which prefixes such a cell with a single
quote (full-width forms of the four signs, and a leading tab, carriage return or line
feed, alike). JSON keeps values exactly as stored.

CSV files are UTF-8 with a byte order mark (so spreadsheets read Persian script),
comma-separated, CRLF line ends (RFC 4180), a header row of the table's columns.
Lists of plain values are joined with ``"; "``; objects are JSON text.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from aban.text.spreadsheet import FORMULA_STARTS, neutralise

LIST_SEPARATOR = "; "
_FIRST = frozenset(FORMULA_STARTS)


def json_text(value: Any) -> str:
    """Compact JSON of ``value`` (UTF-8 text, keys in their given order)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def cell(value: Any) -> str:
    """The CSV cell of one value, neutralised."""
    if value is None:
        return ""
    if type(value) is str:  # the common case first: most cells are text (neutralise
        return "'" + value if value[:1] in _FIRST else value  # inline, a call less)
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, list) and all(
        isinstance(v, str | int) and not isinstance(v, bool) for v in value
    ):
        text = LIST_SEPARATOR.join(str(v) for v in value)
    elif isinstance(value, dict | list):
        text = json_text(value)
    else:
        text = str(value)
    return neutralise(text)


def csv_bytes(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> bytes:
    """A CSV file of ``rows`` restricted to ``columns``, every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(c) for c in columns])
    for row in rows:
        writer.writerow([cell(row[c]) for c in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def json_rows(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> list[Any]:
    """``rows`` restricted to ``columns``, in column order, ready for JSON."""
    return [{c: row[c] for c in columns} for row in rows]
