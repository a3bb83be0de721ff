"""Reading a records CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from aban.ingest.decode import decode
from aban.ingest.issues import fail
from aban.ingest.table import Row, Table

_OTHER_DELIMITERS = (";", "\t", "|")


def read_csv(
    data: bytes, name: str, *, encoding: str | None = None, delimiter: str = ","
) -> Table:
    """Parse CSV bytes into a :class:`Table` (rows are produced lazily).

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
    return Table(name, header, _rows(reader, name), size_hint, "csv", encoding=codec)


def _rows(reader: Iterator[list[str]], name: str) -> Iterator[Row]:
    row_number = 1
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
