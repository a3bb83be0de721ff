"""Run benchmark sections and rebuild BENCHMARKS.md.

Usage: ``python -m bench [SECTION ...]`` (default: every section). Each section is a
module ``bench/<name>.py`` with ``run() -> str`` returning Markdown. Its output is
stored in ``bench/results/<name>.md`` with the machine, command and date, so running
one section refreshes only that section; BENCHMARKS.md is every stored section
concatenated.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import platform
import sys
from pathlib import Path

SECTIONS = [
    "import_speed",
    "lcmcr_speed",
    "lcmcr_vs_r",
    "lcmcr_modes",
    "mse_study",
    "lcmcr_coverage",
    "linkage_uncertainty",
    "linkage_speed",
    "spark_cluster",
    "publish_speed",
    "web_load",
    "audit_verify",
]
ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores, "
        f"{mem:.0f} GiB, Python {platform.python_version()}"
    )


def run_section(name: str) -> None:
    module = importlib.import_module(f"bench.{name}")
    started = dt.datetime.now(dt.UTC)
    body = module.run()
    header = (
        f"## {module.TITLE}\n\n"
        f"- machine: {machine()}\n"
        f"- command: `make bench` (or `.venv/bin/python -m bench {name}`)\n"
        f"- date: {started:%Y-%m-%d %H:%M} UTC\n\n"
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.md").write_text(header + body.rstrip() + "\n", encoding="utf-8")


def write_benchmarks() -> None:
    parts = [
        "# Benchmarks\n\nWritten by `make bench`; each section says when and where.\n"
    ]
    for name in SECTIONS:
        path = RESULTS / f"{name}.md"
        if path.exists():
            parts.append(path.read_text(encoding="utf-8"))
    (ROOT.parent / "BENCHMARKS.md").write_text("\n".join(parts), encoding="utf-8")


def main(argv: list[str]) -> None:
    names = argv or SECTIONS
    for name in names:
        if name not in SECTIONS:
            sys.exit(f"unknown section {name!r}; known: {', '.join(SECTIONS)}")
    for name in names:
        print(f"bench: {name} ...", file=sys.stderr)
        run_section(name)
    write_benchmarks()


if __name__ == "__main__":
    main(sys.argv[1:])
