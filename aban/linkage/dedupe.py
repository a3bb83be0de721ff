"""One-shot linkage of records files, without a workspace (``aban dedupe``).

Files are read with the importer's readers (CSV in UTF-8 or Windows-1256, XLSX,
JSON), so the same encodings and refusals apply. Each row's source is its
``source`` cell, else the file's name without its extension. Record ids must be
unique across all the files. The result is the clusters format of DESIGN.md
section 4: ``record_id, person_id`` (then ``source``), every record once, in
input order; a record id or source name that a spreadsheet would run as a formula
starts with a single quote in the CSV (:func:`aban.text.spreadsheet.neutralise`).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from aban.errors import LinkageError
from aban.ingest.importer import read_table
from aban.ingest.issues import fail
from aban.ingest.mapping import ColumnMapping
from aban.linkage.engine import DEFAULT_THRESHOLD, Engine, LinkResult, Progress
from aban.linkage.engine import link_records as _link_records
from aban.text.spreadsheet import neutralise
from aban.vocab.columns import RECORD_COLUMNS

_SEPARATOR = "\x1f"


@dataclass(frozen=True)
class DedupeResult:
    """The clusters of the records read, and the linkage result behind them.

    Attributes:
        clusters: ``record_id``, ``person_id``, ``source``, one row per record in
            input order.
        link: The linkage result (pairs, model, threshold).
        files: The number of files read.
    """

    clusters: pd.DataFrame
    link: LinkResult
    files: int

    @property
    def persons(self) -> int:
        """The number of persons (clusters)."""
        return int(self.clusters["person_id"].nunique())


def _read_one(path: Path, encoding: str | None) -> pd.DataFrame:
    table = read_table(path, path.read_bytes(), ColumnMapping(), encoding, None)
    header = [h.strip().lower() for h in table.header]
    if "record_id" not in header:
        raise fail("header-missing-record-id", table.name, 1)
    if len(set(header)) != len(header):
        raise fail("header-duplicate-column", table.name, 1)
    rows, numbers = [], []
    for number, cells in table.rows:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header) and table.fmt == "csv":
            raise fail(
                "row-length", table.name, number, found=len(cells), expected=len(header)
            )
        rows.append((cells + [""] * len(header))[: len(header)])
        numbers.append(number)
    keep = [c for c in header if c in RECORD_COLUMNS]
    frame = pd.DataFrame(rows, columns=header, dtype=object)[keep]
    frame["record_id"] = frame["record_id"].str.strip()
    if "source" not in frame.columns:
        frame["source"] = path.stem
    frame["source"] = (
        frame["source"].str.strip().where(frame["source"].str.strip() != "", path.stem)
    )
    frame["_where"] = [f"{table.name}:{n}" for n in numbers]
    return frame


def _check_ids(frame: pd.DataFrame) -> None:
    empty = frame["record_id"] == ""
    if empty.any():
        name, row = str(frame.loc[empty, "_where"].iloc[0]).rsplit(":", 1)
        raise fail("record-id-missing", name, int(row))
    repeated = frame["record_id"].duplicated()
    if repeated.any():
        where = str(frame.loc[repeated, "_where"].iloc[0])
        first = frame.loc[
            frame["record_id"] == frame.loc[repeated, "record_id"].iloc[0], "_where"
        ].iloc[0]
        raise LinkageError(
            f"{where}: record_id repeats the one at {first}; ids must be unique "
            "across the files given to aban dedupe (prefix them per file)"
        )


def read_records(paths: Sequence[Path], encoding: str | None = None) -> pd.DataFrame:
    """Read records files into one frame with a ``key`` per record.

    Args:
        paths: Records files (CSV, XLSX, JSON).
        encoding: Force this text encoding (CSV and JSON).

    Returns:
        One row per record, input order: ``key`` (source, U+001F, record id),
        ``record_id``, ``source`` and the records-format columns present.

    Raises:
        FileIssueError: a file is unreadable, lacks ``record_id``, has a row of
            the wrong length or an empty record id.
        LinkageError: a record id repeats.
    """
    frame = pd.concat([_read_one(p, encoding) for p in paths], ignore_index=True)
    _check_ids(frame)
    frame.insert(0, "key", frame["source"] + _SEPARATOR + frame["record_id"])
    return frame.drop(columns="_where")


def dedupe_files(
    paths: Sequence[Path],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    engine: Engine = "duckdb",
    seed: int = 1,
    encoding: str | None = None,
    progress: Progress | None = None,
) -> DedupeResult:
    """Link the records of ``paths`` into persons.

    Args:
        paths: Records files.
        threshold: Least average match probability for records to join a person.
        engine: ``duckdb`` or ``spark``.
        seed: Seed of the training sample.
        encoding: Force this text encoding.
        progress: Called with a short message at each stage.

    Returns:
        The clusters (``record_id``, ``person_id``, ``source``) and the linkage.
    """
    records = read_records(paths, encoding)
    link = _link_records(
        records, threshold=threshold, engine=engine, seed=seed, progress=progress
    )
    clusters = pd.DataFrame(
        {
            "record_id": records["record_id"],
            "person_id": records["key"].map(link.clusters),
            "source": records["source"],
        }
    )
    return DedupeResult(clusters, link, len(paths))


def write_clusters(clusters: pd.DataFrame, path: Path) -> None:
    """Write the clusters as CSV (UTF-8, header ``record_id,person_id,source``),
    record ids and source names neutralised against formulas."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["record_id", "person_id", "source"])
        writer.writerows(
            (neutralise(str(record_id)), person_id, neutralise(str(source)))
            for record_id, person_id, source in clusters[
                ["record_id", "person_id", "source"]
            ].itertuples(index=False)
        )
