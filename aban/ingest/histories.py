"""Reading capture histories and capture frequencies (DESIGN.md section 4).

A capture-history file is CSV (UTF-8, with or without BOM) with one 0/1 column per
list, named after the list, and a ``count`` column: the number of people with
exactly that pattern. Rows with no 1 (the unobservable pattern: people on no
list are what is estimated) are left out, and a note names them.
A pattern that appears on two rows is refused rather than summed: it usually
means two tables were pasted together. A file whose header is exactly
``n_captures,count`` holds capture frequencies instead: how many people were
captured 1, 2, ... times.

Errors name the file and row (the header is row 1) and the column number, never
a cell's content.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from aban.errors import IngestError

__all__ = ["Frequencies", "Histories", "read_histories"]

_FREQUENCY_HEADER = ("n_captures", "count")


@dataclass(frozen=True)
class Histories:
    """A capture-history table.

    Attributes:
        lists: the list names, in column order.
        patterns: one row per distinct pattern, one 0/1 column per list.
        counts: the number of people with each pattern.
        notes: what was left out of the file, e.g. rows marking no list.
    """

    lists: tuple[str, ...]
    patterns: npt.NDArray[np.int8]
    counts: npt.NDArray[np.int64]
    notes: tuple[str, ...] = ()

    @property
    def observed(self) -> int:
        """The number of people on at least one list."""
        return int(self.counts.sum())


@dataclass(frozen=True)
class Frequencies:
    """Capture frequencies.

    Attributes:
        counts_by_k: element ``k`` is the number of people captured exactly ``k``
            times; element 0 is always 0.
    """

    counts_by_k: npt.NDArray[np.int64]

    @property
    def observed(self) -> int:
        """The number of people captured at least once."""
        return int(self.counts_by_k.sum())


def _text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise IngestError(f"{path}: cannot read the file ({err.strerror})") from err
    if b"\x00" in data:
        raise IngestError(f"{path}: binary content; give a CSV text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise IngestError(f"{path}: not UTF-8 text; save it as UTF-8 CSV") from err


def _rows(path: Path, text: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text))
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                yield reader.line_num, [cell.strip() for cell in row]
    except csv.Error as err:
        raise IngestError(f"{path}:{reader.line_num}: malformed CSV ({err})") from err


def _integer(path: Path, row: int, column: int, cell: str, what: str) -> int:
    if not cell.isdigit():
        raise IngestError(
            f"{path}:{row}: column {column} is not a whole number >= 0; "
            f"every {what} must be one"
        )
    return int(cell)


def read_histories(path: str | Path) -> Histories | Frequencies:
    """Read a capture-history (or capture-frequency) CSV file.

    Args:
        path: the file.

    Returns:
        :class:`Histories`, or :class:`Frequencies` when the header is
        ``n_captures,count``.

    Raises:
        IngestError: unreadable file; no ``count`` column; fewer than 2 lists;
            duplicate column names; a row of the wrong length; a cell other than
            0/1; a count that is negative or not a whole number; a repeated
            pattern; no one in the file.
    """
    where = Path(path)
    rows = _rows(where, _text(where))
    first = next(rows, None)
    if first is None:
        raise IngestError(
            f"{where}: empty file; the header must name the lists, then count"
        )
    header = first[1]
    if tuple(h.lower() for h in header) == _FREQUENCY_HEADER:
        return _frequencies(where, rows)
    return _histories(where, header, rows)


def _check_header(path: Path, header: list[str]) -> int:
    lowered = [h.lower() for h in header]
    if "count" not in lowered:
        raise IngestError(
            f"{path}:1: no count column; the header must name one 0/1 column per "
            "list, then count"
        )
    if len(set(lowered)) != len(lowered) or "" in lowered:
        raise IngestError(
            f"{path}:1: empty or repeated column names; name each list once"
        )
    if len(header) < 3:
        raise IngestError(
            f"{path}:1: {len(header) - 1} list column; capture histories need at "
            "least 2 lists"
        )
    return lowered.index("count")


def _histories(
    path: Path, header: list[str], rows: Iterator[tuple[int, list[str]]]
) -> Histories:
    where = _check_header(path, header)
    columns = [i for i in range(len(header)) if i != where]
    seen: dict[tuple[int, ...], int] = {}
    counts: list[int] = []
    unmarked: list[int] = []
    for row, cells in rows:
        if len(cells) != len(header):
            raise IngestError(
                f"{path}:{row}: {len(cells)} cells for {len(header)} columns; "
                "give every row one cell per column"
            )
        pattern = tuple(_bit(path, row, i + 1, cells[i]) for i in columns)
        count = _integer(path, row, where + 1, cells[where], "count")
        if not any(pattern):
            unmarked.append(row)
            continue
        if pattern in seen:
            raise IngestError(
                f"{path}:{row}: the same pattern as row {seen[pattern]}; give each "
                "pattern once, with the counts summed"
            )
        seen[pattern] = row
        counts.append(count)
    if not counts or sum(counts) == 0:
        raise IngestError(f"{path}: no one in the capture histories (every count is 0)")
    return Histories(
        lists=tuple(header[i] for i in columns),
        patterns=np.array(list(seen), dtype=np.int8).reshape(len(seen), len(columns)),
        counts=np.array(counts, dtype=np.int64),
        notes=_unmarked(unmarked),
    )


def _unmarked(rows: list[int]) -> tuple[str, ...]:
    if not rows:
        return ()
    shown = ", ".join(str(r) for r in rows[:10]) + (", ..." if len(rows) > 10 else "")
    many = len(rows) > 1
    return (
        f"{'rows' if many else 'row'} {shown} {'mark' if many else 'marks'} no list "
        f"and {'are' if many else 'is'} left out: the people on no list are what is "
        "estimated",
    )


def _bit(path: Path, row: int, column: int, cell: str) -> int:
    if cell not in ("0", "1"):
        raise IngestError(
            f"{path}:{row}: column {column} is not 0 or 1; mark each list with 1 "
            "(on the list) or 0 (not on it)"
        )
    return int(cell)


def _frequencies(path: Path, rows: Iterator[tuple[int, list[str]]]) -> Frequencies:
    found: dict[int, tuple[int, int]] = {}
    for row, cells in rows:
        if len(cells) != 2:
            raise IngestError(
                f"{path}:{row}: {len(cells)} cells; give n_captures and count"
            )
        k = _integer(path, row, 1, cells[0], "n_captures")
        count = _integer(path, row, 2, cells[1], "count")
        if k == 0:
            raise IngestError(
                f"{path}:{row}: n_captures is 0; the people never captured are "
                "what is estimated, leave that row out"
            )
        if k in found:
            raise IngestError(
                f"{path}:{row}: n_captures {k} repeats row {found[k][0]}; "
                "give each once"
            )
        found[k] = (row, count)
    if not found or sum(c for _, c in found.values()) == 0:
        raise IngestError(
            f"{path}: no one in the capture frequencies (every count is 0)"
        )
    freq = np.zeros(max(found) + 1, dtype=np.int64)
    for k, (_, count) in found.items():
        freq[k] = count
    return Frequencies(freq)
