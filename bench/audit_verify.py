"""``aban audit verify`` on a register of 1,000,000 records, and what sealing costs.

Simulates a crackdown with ``aban simulate`` (as the import benchmark does), imports
its 1,000,000 records into a new workspace, makes persons from the simulation's
true clusters (perfect linkage, so the setup does not take the linkage engine's
time), grades them, records a consent and a discount. Then times ``aban audit
verify --head`` as a user runs it (a subprocess), and each part of the check in
the process: the chain, the records (what verify checked before issue 13), the
sealed rows, and the tables linking and grading derive. Writes that change a
derived table seal the ranges of rows they changed: the time of the seals
computed for the link, grade and discount entries (before and after each write)
is reported too.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from aban.grade.register import discount_person, grade_workspace, set_consent
from aban.grade.rules import load_rules
from aban.ingest.importer import import_file
from aban.linkage.register import link_workspace
from aban.store import audit, state
from aban.store.audit import verify_chain
from aban.store.coverage import RANGES, ROWS
from aban.store.integrity import _records
from aban.store.workspace import create_workspace, open_workspace
from bench.import_speed import TARGET_ROWS, _join_sources
from bench.publish_speed import TruthLinker

TITLE = "Audit verify on 1,000,000 records (issue 13)"
PASSPHRASE = "bench passphrase"
T = TypeVar("T")


def _timed(fn: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[T, float]:
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started


class _SealClock:
    """Sums the time sealing takes: every seal of a row or range computed for an
    entry (before a write, by the triggers, and after it)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.saved = (state.seal_row, state.seal_range)

    def __enter__(self) -> _SealClock:
        for name, fn in zip(("seal_row", "seal_range"), self.saved, strict=True):
            setattr(state, name, self._timing(fn))
        return self

    def _timing(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any) -> Any:
            result, took = _timed(fn, *args)
            self.seconds += took
            return result

        return timed

    def __exit__(self, *exc: object) -> None:
        state.seal_row, state.seal_range = self.saved


def _build(root: Path) -> tuple[Path, dict[str, float]]:
    subprocess.run(
        [sys.executable, "-m", "aban", "simulate", str(root / "sim")]
        + ["--persons", "440000", "--sources", "5", "--seed", "7"],
        check=True,
        capture_output=True,
    )
    _join_sources(root / "sim", root / "all.csv", TARGET_ROWS)
    times: dict[str, float] = {}
    with _SealClock() as clock, create_workspace(root / "ws", PASSPHRASE) as ws:
        _, times["import"] = _timed(import_file, ws, root / "all.csv")
        linker = TruthLinker(root / "sim" / "truth" / "records.csv")
        before = clock.seconds
        _, times["link"] = _timed(link_workspace, ws, linker=linker)
        times["link_seal"] = clock.seconds - before
        rules = load_rules(ws.path)
        before = clock.seconds
        _, times["grade"] = _timed(grade_workspace, ws, rules)
        times["grade_seal"] = clock.seconds - before
        _, times["consent"] = _timed(set_consent, ws, "P000001", "withheld")
        before = clock.seconds
        _, times["discount"] = _timed(
            discount_person, ws, "P000002", "duplicate", rules
        )
        times["discount_seal"] = clock.seconds - before
    return root / "ws", times


def _parts(path: Path) -> dict[str, float]:
    with open_workspace(path, PASSPHRASE) as ws:
        conn = ws.conn
        _, chain = _timed(verify_chain, conn)
        _, records = _timed(lambda: list(_records(conn)))
        _, replay = _timed(state.recorded_state, conn)
        _, rows = _timed(lambda: [list(state.live_seals(conn, spec)) for spec in ROWS])
        wholes = {
            r.name: _timed(lambda r=r: list(state.live_ranges(conn, r)))[1]
            for r in RANGES
        }
        counts = {
            t: conn.execute(f"select count(*) from {t}").fetchone()[0]
            for t in ("records", "persons", "person_records", "audit")
        }
    return {
        "chain": chain,
        "records": records,
        "replay": replay,
        "rows": rows,
        **{f"whole_{k}": v for k, v in wholes.items()},
        **{f"n_{k}": float(v) for k, v in counts.items()},
    }


def _head(path: Path) -> str:
    with open_workspace(path, PASSPHRASE) as ws:
        return audit.head(ws.conn)


def _verify(path: Path, head: str) -> tuple[float, float, float]:
    env = {**os.environ, "ABAN_PASSPHRASE": PASSPHRASE}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "aban", "-w", str(path), "audit", "verify"]
        + ["--head", head],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError("audit verify failed on the untouched register")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def run() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        # Built in a process of its own: a child forked from this one would
        # count this process's memory (the linking's) as its own peak.
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(1, mp_context=spawn) as pool:
            path, times = pool.submit(_build, Path(tmp)).result()
        head = _head(path)
        wall, cpu, peak = _verify(path, head)
        parts = _parts(path)
        load = os.getloadavg()[0]
    checked_before = parts["chain"] + parts["records"]
    return (
        f"A register of {parts['n_records']:,.0f} records (one import), "
        f"{parts['n_persons']:,.0f} persons from the simulation's true clusters, "
        f"graded, one consent and one discount; {parts['n_audit']:,.0f} audit "
        "entries.\n\n"
        "| `aban audit verify --head` (subprocess) | wall time | CPU time | peak "
        "memory (max RSS) |\n|---|---|---|---|\n"
        f"| all of it | {wall:.1f} s | {cpu:.1f} s | {peak:,.0f} MiB |\n\n"
        "| part of the check (in process) | time |\n|---|---|\n"
        f"| the chain | {parts['chain']:.2f} s |\n"
        f"| the records (import digests, sources, named imports) | "
        f"{parts['records']:.2f} s |\n"
        f"| the seals the entries recorded (replayed) | {parts['replay']:.2f} s |\n"
        f"| sealed rows (every covered table) | {parts['rows']:.2f} s |\n"
        f"| persons in ranges ({parts['n_persons']:,.0f} rows) | "
        f"{parts['whole_persons']:.2f} s |\n"
        f"| grades in ranges | {parts['whole_grades']:.2f} s |\n"
        f"| person_records in ranges ({parts['n_person_records']:,.0f} rows) | "
        f"{parts['whole_person_records']:.2f} s |\n\n"
        f"Before issue 13 verify checked the chain and the records only: "
        f"{checked_before:.1f} s of the parts above.\n\n"
        "| write | wall time | of which sealing (digests for its entry) |\n"
        "|---|---|---|\n"
        f"| import | {times['import']:.1f} s | (the records digest, as before) |\n"
        f"| link (true clusters) | {times['link']:.1f} s | "
        f"{times['link_seal']:.2f} s |\n"
        f"| grade | {times['grade']:.1f} s | {times['grade_seal']:.2f} s |\n"
        f"| person consent | {times['consent']:.2f} s | (one row) |\n"
        f"| person discount | {times['discount']:.2f} s | "
        f"{times['discount_seal']:.2f} s |\n\n"
        f"Load average (1 min) at the end: {load:.2f} on 2 cores.\n"
    )
