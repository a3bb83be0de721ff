"""Reading a records CSV, whole or in parts.

A file whose rows are its lines (:func:`rows_are_lines`) can be read in parts that
start at a line: :func:`split_rows` cuts its text after a row into :class:`Part` s
and :func:`read_part` reads one, so that worker processes can each read their own
(``aban import --preview`` of a large file).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from aban.ingest.decode import decode
from aban.ingest.issues import fail
from aban.ingest.table import Row, Table

_OTHER_DELIMITERS = (";", "\t", "|")
_LONE_CR = re.compile("\r(?!\n)")


def read_csv(
    data: bytes,
    name: str,
    *,
    encoding: str | None = None,
    delimiter: str = ",",
    keep_text: bool = False,
) -> Table:
    """Parse CSV bytes into a :class:`Table` (rows are produced lazily); with
    ``keep_text``, the table keeps the decoded text, for :func:`split_rows` (the
    reader alone holds it otherwise: an import of 1,000,000 rows peaked 260 MiB
    higher with the text kept).

    Raises:
        FileIssueError: binary or undecodable content, an empty file, a header in the
            wrong delimiter, or (while iterating) a cut-off or over-long row.
    """
    text, codec = decode(data, name, encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise fail("file-empty", name) from None
    except csv.Error as err:
        raise _csv_error(err, name, 1) from err
    if len(header) == 1 and delimiter == ",":
        for other in _OTHER_DELIMITERS:
            if other in header[0]:
                raise fail("wrong-delimiter", name, 1, delimiter=other)
    size_hint = text.count("\n")
    rows = _rows(reader, name)
    kept = text if keep_text else None
    return Table(name, header, rows, size_hint, "csv", encoding=codec, text=kept)


@dataclass(frozen=True)
class Part:
    """Lines of a CSV's text, from offset ``start`` to ``end``; the first is row
    ``first_row`` (a row is a line: see :func:`rows_are_lines`)."""

    start: int
    end: int
    first_row: int


def rows_are_lines(text: str) -> bool:
    """Whether each row of a CSV's text is one line: no quote (a quoted cell can
    hold a line break) and no carriage return but before a line feed (the reader
    ends a row at one). Rows are then numbered as lines, from 1 for the first."""
    return '"' not in text and _LONE_CR.search(text) is None


def split_rows(text: str, after: int, size: int) -> list[Part]:
    """The rows after row ``after`` of a CSV's text whose rows are lines
    (:func:`rows_are_lines`), in parts of about ``size`` characters, each a run of
    whole lines."""
    start = 0
    for _ in range(after):
        start = text.find("\n", start) + 1
        if not start:
            return []
    parts, row = [], after + 1
    while start < len(text):
        cut = text.find("\n", start + size)
        end = len(text) if cut < 0 else cut + 1
        parts.append(Part(start, end, row))
        row += text.count("\n", start, end)
        start = end
    return parts


def read_part(text: str, part: Part, name: str, delimiter: str = ",") -> Iterator[Row]:
    """The rows of one part of a CSV's text (see :func:`split_rows`), numbered and
    checked as :func:`read_csv` reads them."""
    lines = io.StringIO(text[part.start : part.end], newline="")
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    return _rows(reader, name, part.first_row)


def _rows(reader: Iterator[list[str]], name: str, first: int = 2) -> Iterator[Row]:
    row_number = first - 1
    while True:
        row_number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise _csv_error(err, name, row_number) from err
        yield row_number, cells


def _csv_error(err: csv.Error, name: str, row: int) -> Exception:
    detail = str(err)
    if "field larger than field limit" in detail:
        return fail("cell-too-long", name, row, limit=csv.field_size_limit())
    return fail("csv-malformed", name, row, detail=detail)
