"""Import throughput on a 1,000,000-record simulated file.

Simulates a crackdown with ``aban simulate``, joins every source's records into one CSV
with a ``source`` column (1,000,000 rows), and times ``aban import`` of that file into a
new workspace, as a user runs it (a subprocess). Peak memory is the child's maximum
resident set size.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TITLE = "Import throughput (issue 2)"
TARGET_ROWS = 1_000_000
PASSPHRASE = "bench passphrase"


def _aban(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ABAN_PASSPHRASE": PASSPHRASE}
    return subprocess.run(
        [sys.executable, "-m", "aban", *map(str, args)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )


def _join_sources(sim: Path, out: Path, limit: int) -> int:
    files = sorted((sim / "sources").glob("*.csv"))
    columns: list[str] = []
    for path in files:
        with path.open(encoding="utf-8") as handle:
            for name in next(csv.reader(handle)):
                if name not in columns and name != "source":
                    columns.append(name)
    written = 0
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["source", *columns])
        writer.writeheader()
        for path in files:
            with path.open(encoding="utf-8") as src:
                for row in csv.DictReader(src):
                    if written == limit:
                        return written
                    row.pop("source", None)
                    writer.writerow({"source": path.stem, **row})
                    written += 1
    return written


def _timed_import(
    ws: Path, path: Path, *options: str
) -> tuple[float, float, float, str]:
    """Wall time, CPU time (user + system, with the processes it forks), peak RSS
    (MiB) of the import process alone, and its summary line (the last line of its
    output)."""
    env = {**os.environ, "ABAN_PASSPHRASE": PASSPHRASE}
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "aban",
                "-w",
                str(ws),
                "import",
                str(path),
                *options,
            ],
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            env=env,
        )
        assert proc.stdout is not None
        summary = (proc.stdout.read().strip().splitlines() or [""])[-1]
        _, status, usage = os.wait4(proc.pid, 0)
        err.seek(0)
        errors = err.read().strip().splitlines()
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        last = errors[-1] if errors else ""
        raise RuntimeError(f"import failed with exit code {proc.returncode}: {last}")
    cpu = usage.ru_utime + usage.ru_stime
    return elapsed, cpu, usage.ru_maxrss / 1024, summary


def run() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        _aban(
            "simulate",
            root / "sim",
            "--persons",
            "440000",
            "--sources",
            "5",
            "--seed",
            "7",
        )
        simulated = time.perf_counter() - started
        rows = _join_sources(root / "sim", root / "all.csv", TARGET_ROWS)
        size = (root / "all.csv").stat().st_size
        _aban("init", root / "ws")
        preview_load = os.getloadavg()[0]
        preview = _timed_import(root / "ws", root / "all.csv", "--preview")
        load_before = os.getloadavg()[0]
        elapsed, cpu, peak, summary = _timed_import(root / "ws", root / "all.csv")
        load_after = os.getloadavg()[0]
        register = (root / "ws" / "register.db").stat().st_size
    rate = rows / elapsed
    return (
        f"Simulated {rows:,} records ({size / 2**20:.0f} MiB CSV, 5 sources, mixed "
        f"Persian and Latin script; simulation took {simulated:.1f} s) and imported "
        f"them in one `aban import` into a new encrypted workspace.\n\n"
        f"| records | wall time | records/s | CPU time (all threads) | "
        f"peak memory (max RSS) | register size |\n"
        f"|---|---|---|---|---|---|\n"
        f"| {rows:,} | {elapsed:.1f} s | {rate:,.0f} | {cpu:.1f} s | {peak:,.0f} MiB | "
        f"{register / 2**20:.0f} MiB |\n\n"
        f"Load average (1 min) before and after the import: {load_before:.2f}, "
        f"{load_after:.2f} on 2 cores; a load above about 1.3 (the import's own main "
        f"and writer threads) means other work shared the machine and slowed it.\n\n"
        f"Target: at least 20,000 records/s. Importer output: `{summary}`\n\n"
        + _preview_text(preview, preview_load)
    )


def _preview_text(timed: tuple[float, float, float, str], load: float) -> str:
    elapsed, cpu, peak, _ = timed
    return (
        f"`aban import --preview` of the same file (issue 15), before the import: "
        f"{elapsed:.1f} s wall, {cpu:.1f} s CPU (the reading process and the two "
        f"it forks to check rows), peak memory {peak:,.0f} MiB (the reading "
        f"process), at a load average of {load:.2f} before it. Target: under 15 s.\n"
    )
