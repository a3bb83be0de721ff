"""Reading capture histories and capture frequencies; one-line errors with file:row."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from aban.errors import IngestError
from aban.ingest.histories import Frequencies, Histories, read_histories


def write(tmp_path: Path, text: str, name: str = "h.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_histories(tmp_path: Path) -> None:
    path = write(
        tmp_path, "\ufeffA, B ,C,count\n1,0,0,5\n0,0,0,9\n\n1,1,1,2\n0,1,0,0\n"
    )
    data = read_histories(path)
    assert isinstance(data, Histories)
    assert data.lists == ("A", "B", "C")
    assert data.patterns.tolist() == [[1, 0, 0], [1, 1, 1], [0, 1, 0]]
    assert data.patterns.dtype == np.int8
    assert data.counts.tolist() == [5, 2, 0]
    assert data.observed == 7


def test_count_column_may_come_first(tmp_path: Path) -> None:
    data = read_histories(write(tmp_path, "count,A,B\n3,1,1\n"))
    assert isinstance(data, Histories)
    assert data.lists == ("A", "B")
    assert data.patterns.tolist() == [[1, 1]]


def test_reads_frequencies(tmp_path: Path) -> None:
    data = read_histories(write(tmp_path, "n_captures,count\n1,40\n3,5\n"))
    assert isinstance(data, Frequencies)
    assert data.counts_by_k.tolist() == [0, 40, 0, 5]
    assert data.observed == 45


ERRORS = [
    (
        "A,B,count\n1,2,5\n",
        "{p}:2: column 2 is not 0 or 1; mark each list with 1 "
        "(on the list) or 0 (not on it)",
    ),
    (
        "A,B,count\n1,0,-5\n",
        "{p}:2: column 3 is not a whole number >= 0; every count must be one",
    ),
    (
        "A,B,count\n1,0,2.5\n",
        "{p}:2: column 3 is not a whole number >= 0; every count must be one",
    ),
    (
        "A,B,n\n1,0,2\n",
        "{p}:1: no count column; the header must name one 0/1 "
        "column per list, then count",
    ),
    ("A,count\n1,2\n", "{p}:1: 1 list column; capture histories need at least 2 lists"),
    (
        "A,A,count\n1,0,2\n",
        "{p}:1: empty or repeated column names; name each list once",
    ),
    (
        "A,B,count\n1,0,2\n0,1,3\n1,0,4\n",
        "{p}:4: the same pattern as row 2; give "
        "each pattern once, with the counts summed",
    ),
    (
        "A,B,count\n1,0\n",
        "{p}:2: 2 cells for 3 columns; give every row one cell per column",
    ),
    ("A,B,count\n0,0,4\n", "{p}: no one in the capture histories (every count is 0)"),
    ("", "{p}: empty file; the header must name the lists, then count"),
    (
        "n_captures,count\n0,3\n",
        "{p}:2: n_captures is 0; the people never captured "
        "are what is estimated, leave that row out",
    ),
    (
        "n_captures,count\n1,3\n1,4\n",
        "{p}:3: n_captures 1 repeats row 2; give each once",
    ),
]


@pytest.mark.parametrize(("text", "message"), ERRORS)
def test_errors(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(IngestError) as err:
        read_histories(path)
    assert str(err.value) == message.format(p=path)


def test_binary_and_encoding(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_bytes(b"A,B,count\n\x00")
    with pytest.raises(IngestError, match="binary content"):
        read_histories(path)
    path.write_bytes(b"A,\xe9,count\n1,0,1\n")
    with pytest.raises(IngestError, match="not UTF-8 text"):
        read_histories(path)
    with pytest.raises(IngestError, match="cannot read the file"):
        read_histories(tmp_path / "missing.csv")
