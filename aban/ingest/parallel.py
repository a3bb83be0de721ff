"""A large file's rows checked in forked processes (``aban import --preview``).

The preview needs back from its workers only the issues, the record ids and which
rows were refused (its samples come from the first rows, checked in this process):
the import could not do this (its prepared rows would have to come back pickled).
Two ways, by what the file allows:

- a CSV whose rows are its lines (:func:`aban.ingest.csv.rows_are_lines`) is cut
  into parts that the workers read from its text themselves (:class:`Split`): this
  process reads only the first rows. The workers first scan the parts (the first
  pass: each date column's order, the empty columns, the rows of each part), then
  check them;
- any other file is read here and its batches of rows sent to the workers pickled
  (:func:`check_batches`).

Either way the results are counted here in the file's order and cut into the
batches one process reads, so the counts, the issues listed and the rows refused
are those of one process. A reading error is raised here as in one process; a
worker that dies (killed, out of memory) is an error, not a wait.
"""

from __future__ import annotations

import itertools
import multiprocessing
import sys
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol, TypeVar

from aban.errors import IngestError
from aban.ingest.csv import Part, read_part, rows_are_lines, split_rows
from aban.ingest.firstpass import Scan, drop_columns, merge_scans, scan_columns
from aban.ingest.issues import FileIssueError, Issue, make_issue
from aban.ingest.layout import Layout, Skipped, skip_rows
from aban.ingest.rows import PreparedBatch, RowPlan
from aban.ingest.table import Row, Table

__all__ = [
    "WORKERS",
    "Split",
    "Tally",
    "align_rows",
    "check_batches",
    "check_parts",
    "nonempty_batches",
    "part_rows",
    "split_table",
]

#: Processes that check rows in parallel (besides the one that reads the file).
WORKERS = 2
#: Batches sent to the workers and not yet counted, at most (rows sent pickled).
IN_FLIGHT = 4 * WORKERS
#: Characters of a CSV's text in one part read by a worker, about.
PART_CHARS = 1 << 21
_T = TypeVar("_T")


class Tally(Protocol):
    """What counts the rows checked, in the file's order (the preview's checker)."""

    plan: RowPlan

    def align(self, rows: list[Row], fmt: str, name: str) -> list[Row]:
        """The rows that line up with the header; the others refused."""

    def misaligned(self, issues: list[Issue]) -> None:
        """Refuse the rows of these ``row-length`` issues."""

    def prepared(self, batch: PreparedBatch) -> None:
        """Count a batch prepared elsewhere."""


def align_rows(
    rows: list[Row], width: int, fmt: str, name: str
) -> tuple[list[Row], list[Issue]]:
    """The rows whose cells line up with a header of ``width`` columns (padded or
    cut outside CSV), and a ``row-length`` issue for each CSV row of another
    length."""
    aligned, issues = [], []
    for number, cells in rows:
        if len(cells) == width:
            aligned.append((number, cells))
        elif fmt == "csv":
            found = len(cells)
            issues.append(
                make_issue("row-length", name, number, found=found, expected=width)
            )
        else:
            aligned.append((number, (cells + [""] * width)[:width]))
    return aligned, issues


def is_empty(cells: list[str]) -> bool:
    """Whether a row holds nothing but blanks (not counted, not checked)."""
    return not (cells and cells[0].strip()) and not any(map(str.strip, cells))


def nonempty_batches(
    rows: Iterable[Row], size: int, first: int = 0
) -> Iterator[list[Row]]:
    """The rows that are not empty, ``size`` at a time (the first batch ``first``
    rows if given: a part's batches end where one process's would)."""
    batch: list[Row] = []
    want = first or size
    for row in rows:
        cells = row[1]  # is_empty, inline: a call per row costs a tenth of reading
        if not (cells and cells[0].strip()) and not any(map(str.strip, cells)):
            continue
        batch.append(row)
        if len(batch) == want:
            yield batch
            batch, want = [], size
    if batch:
        yield batch


#: A batch prepared by a worker, and its cells read as "not known" by column.
_Slim = tuple[PreparedBatch, Counter[str]]


def _slim(plan: RowPlan, rows: list[Row]) -> _Slim:
    """A batch prepared, without the records' values (only whether a row was
    refused for a nested value), and its cells read as "not known"."""
    plan.not_known = Counter()
    return plan.prepare(rows, values=False), plan.not_known


def _count(tally: Tally, slim: _Slim) -> None:
    batch, not_known = slim
    tally.plan.not_known.update(not_known)
    tally.prepared(batch)


def _pool() -> ProcessPoolExecutor:
    return ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("fork"))


def _stopped(name: str) -> IngestError:
    return IngestError(
        f"{name}: the preview's worker process stopped before it finished "
        "(out of memory?); nothing was written"
    )


def _in_order(pool: ProcessPoolExecutor, futures: Iterable[Future[_T]]) -> Iterator[_T]:
    """The futures' results in their order; on an error, those not started are
    cancelled (the pool then waits only for the ones running)."""
    try:
        for future in futures:
            yield future.result()
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise


# Rows sent pickled: the plan the forked processes prepare rows with (set before
# the fork).
_PLAN: list[RowPlan] = []


def check_batches(
    tally: Tally, batches: Iterator[list[Row]], fmt: str, name: str
) -> None:
    """Prepare the batches in :data:`WORKERS` forked processes, counted here in
    the file's order: the same counts and issues as in one process.

    This process reads the file (a third of the work) and keeps at most
    :data:`IN_FLIGHT` batches with the workers.
    """
    _PLAN[:] = [tally.plan]
    try:
        with _pool() as pool:
            pending: deque[Future[_Slim]] = deque()
            for batch in batches:
                aligned = tally.align(batch, fmt, name)
                if aligned:
                    pending.append(pool.submit(_prepare_slim, aligned))
                if len(pending) > IN_FLIGHT:
                    _count(tally, pending.popleft().result())
            for slim in _in_order(pool, pending):
                _count(tally, slim)
    except BrokenProcessPool:
        raise _stopped(name) from None
    finally:
        _PLAN.clear()


def _prepare_slim(rows: list[Row]) -> _Slim:
    return _slim(_PLAN[0], rows)


@dataclass
class Split:
    """A CSV cut into its first rows, read in this process, and parts of its text
    for the workers (:func:`split_table`).

    Attributes:
        head: the first rows (after the layout's rows skipped), as read.
        parts: the rest of the text, in parts.
        before: for each part, the rows not empty before it (None until
            :meth:`scan`).
    """

    head: list[Row]
    parts: list[Part]
    text: str
    name: str
    delimiter: str
    listed: frozenset[int]
    header: list[str]
    before: list[int] | None = None

    def scan(self, dates: dict[str, int], headerless: list[int]) -> Scan:
        """The first pass of the whole file (a :data:`~aban.ingest.firstpass.Scanner`):
        the head scanned here, the parts in the workers, which also count each
        part's rows that are not empty."""
        work = _Work(self, None, [], [], 0, 0, dates, headerless)
        scans = [scan_columns(self.head, dates, headerless)]
        counted = sum(not is_empty(cells) for _, cells in self.head)
        before = []
        for found in _run(work, _scan_part):
            if isinstance(found, Issue):
                raise FileIssueError(found)
            part_scan, rows = found
            scans.append(part_scan)
            before.append(counted)
            counted += rows
        self.before = before
        return merge_scans(dates, headerless, scans)


def split_table(
    table: Table, delimiter: str, listed: Iterable[int], head: int
) -> Split | None:
    """The table's first ``head`` rows that are not empty, read, and the rest of its
    text in parts; None (nothing read) unless the table is a CSV of more rows whose
    rows are its lines, on Linux (the workers are forked)."""
    text = table.text
    if text is None or sys.platform != "linux" or not 0 < head < (table.size_hint or 0):
        return None
    if not rows_are_lines(text):
        return None
    rows: list[Row] = []
    count, last = 0, table.header_row
    for row in table.rows:
        rows.append(row)
        last = row[0]
        count += not is_empty(row[1])
        if count == head:
            break
    table.rows = iter(rows)
    parts = split_rows(text, last, PART_CHARS)
    return Split(
        rows, parts, text, table.name, delimiter, frozenset(listed), table.header
    )


@dataclass(frozen=True)
class _Work:
    """What the forked workers read and check the parts with."""

    split: Split
    plan: RowPlan | None
    columns: list[str]
    empty: list[int]
    width: int
    batch: int
    dates: dict[str, int] = field(default_factory=dict)
    headerless: list[int] = field(default_factory=list)


class _Checked(NamedTuple):
    """A part checked: its rows not empty, the rows skipped, and by batch the
    ``row-length`` issues and the rows prepared."""

    rows: int
    skipped: list[Skipped]
    batches: list[tuple[list[Issue], _Slim | None, int]]


#: The work of the forked processes (set before the fork).
_WORK: list[_Work] = []


def _run(work: _Work, job: Callable[[int], _T]) -> Iterator[_T]:
    """``job`` of each part's index in forked workers, the results in order."""
    _WORK[:] = [work]
    try:
        with _pool() as pool:
            futures = [pool.submit(job, k) for k in range(len(work.split.parts))]
            yield from _in_order(pool, futures)
    except BrokenProcessPool:
        raise _stopped(work.split.name) from None
    finally:
        _WORK.clear()


def _part_rows(work: _Work, k: int, layout: Layout) -> Iterator[Row]:
    """The rows of part ``k``, the rows skipped as the layout skips them (noted in
    ``layout``) and the empty columns dropped."""
    split = work.split
    rows = read_part(split.text, split.parts[k], split.name, split.delimiter)
    rows = skip_rows(rows, split.listed, layout)
    if work.empty:
        table = Table(split.name, split.header, rows, None, "csv")
        rows = drop_columns(table, work.columns, work.empty)[0].rows
    return rows


def part_rows(
    split: Split, layout: Layout, columns: list[str], empty: list[int]
) -> Iterator[Row]:
    """The rows of the split's parts read in this process (when the first rows
    gave no samples: the workers' results hold none), as :func:`_part_rows`."""
    work = _Work(split, None, columns, empty, 0, 0)
    parts = range(len(split.parts))
    return itertools.chain.from_iterable(_part_rows(work, k, layout) for k in parts)


def _scan_part(k: int) -> tuple[Scan, int] | Issue:
    work = _WORK[0]
    try:
        rows = list(_part_rows(work, k, Layout()))
    except FileIssueError as err:
        return err.issue  # raised by this process, in the file's order
    counted = sum(not is_empty(cells) for _, cells in rows)
    return scan_columns(rows, work.dates, work.headerless), counted


def _check_part(k: int) -> _Checked | Issue:
    work = _WORK[0]
    assert work.plan is not None and work.split.before is not None
    layout, batches, counted = Layout(), [], 0
    first = work.batch - work.split.before[k] % work.batch
    try:
        rows = _part_rows(work, k, layout)
        for batch in nonempty_batches(rows, work.batch, first):
            counted += len(batch)
            aligned, misfits = align_rows(batch, work.width, "csv", work.split.name)
            slim = _slim(work.plan, aligned) if aligned else None
            batches.append((misfits, slim, len(batch)))
    except FileIssueError as err:
        return err.issue
    return _Checked(counted, layout.skipped, batches)


def check_parts(
    split: Split,
    tally: Tally,
    layout: Layout,
    work: tuple[list[str], list[int], int, int],
) -> int:
    """Check the split's parts in forked workers, counted here in the file's order
    and in the batches one process would read (a batch that two parts share is
    counted once both halves are in). Returns the rows not empty.

    Args:
        split: the file's parts, scanned (:meth:`Split.scan`).
        tally: counts the rows checked.
        layout: the file's layout, which the parts' rows skipped are added to.
        work: the columns before the empty ones are dropped, the empty ones, the
            header's width after, and the rows in a batch.
    """
    columns, empty, width, size = work
    job = _Work(split, tally.plan, columns, empty, width, size)
    pending: list[_Slim] = []
    head = counted = sum(not is_empty(cells) for _, cells in split.head)
    for checked in _run(job, _check_part):
        if isinstance(checked, Issue):
            raise FileIssueError(checked)
        layout.skipped.extend(checked.skipped)
        for misfits, slim, rows in checked.batches:
            tally.misaligned(misfits)
            if slim is not None:
                pending.append(slim)
            counted += rows
            if counted % size == 0:
                for done in pending:
                    _count(tally, done)
                pending.clear()
    for done in pending:
        _count(tally, done)
    return counted - head
