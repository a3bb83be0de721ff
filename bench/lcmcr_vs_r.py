"""aban's LCMCR beside R's LCMCR, in the same run, as a user waits for them.

Each program runs as a command on the same table with the same settings, and the
wall time is that of the whole command, start-up included: `Rscript` on a small
driver that loads the LCMCR package (Manrique-Vallier's reference
implementation), and `python -m aban mse FILE --model lcmcr ... --json`. Two
tables: Kosovo 1999 (4 lists) at R's long settings, and a simulated 20-list
stratum with known N (tests/data/reference/sparse/) at HRDAG's production
settings for its Colombia strata (about 5 million iterations). aban splits its
samples over its chains (two by default, one core each, each running the whole
burn-in); R runs one chain. aban's compiled sampler is loaded from its kept
machine code without numba (:mod:`aban.estimate.native`), as at every run after
the first (an untimed run before the table keeps it; the first run after
installing aban compiles it once), and Python reads
aban's modules as bytecode, as an installed package or any run after the first
does (the untimed run writes it even where ``PYTHONDONTWRITEBYTECODE`` is set, as
it is on the machines these figures come from). Kosovo runs
three times and the table gives the median wall time; CPU time is user plus
system time of the command (both of aban's chains count), from the same run.

R's LCMCR is not a dependency: when `Rscript` or the package is missing the
section says so and runs nothing. The R driver is written to a temporary
directory at run time; it calls the installed package and builds nothing.
`ABAN_BENCH_LCMCR_VS_R_TABLES` (default `kosovo,sparse20`) picks the tables; a
table left out keeps its previous figures, marked with the date of their run.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

TITLE = "LCMCR against R's LCMCR (command-line wall time)"
ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "tests/data/reference"
SEED = 1
SKIPPED = "R's LCMCR is not installed on this machine: the comparison was skipped"

#: aban's rows: a label and the extra `aban mse` arguments of each (beside the
#: table's settings). Add a row to compare another sampler option.
ABAN_ROWS: list[tuple[str, list[str]]] = [
    ("aban (default)", []),
    ("aban --sampler gibbs --init r", ["--sampler", "gibbs", "--init", "r"]),
]

R_DRIVER = r"""
args <- commandArgs(trailingOnly = TRUE)
suppressMessages(library(LCMCR))
tab <- read.csv(args[1], check.names = FALSE)
tab <- tab[tab$count > 0, ]
lists <- setdiff(names(tab), "count")
captures <- data.frame(lapply(tab[lists], function(x)
  factor(x, levels = c(0, 1), labels = c("0", "1"))))
captures$Freq <- tab$count
n <- as.integer(args[2:6])
sampler <- lcmCR(captures, tabular = TRUE, in_list_label = "1",
                 not_in_list_label = "0", K = n[1], a_alpha = 0.25, b_alpha = 0.25,
                 buffer_size = 10000, thinning = 10, seed = n[5], verbose = FALSE)
N <- lcmCR_PostSampl(sampler, burnin = n[2], samples = n[3], thinning = n[4],
                     output = FALSE)
q <- quantile(N, c(0.025, 0.5, 0.975), names = FALSE)
cat(sprintf('{"lower": %.1f, "median": %.1f, "upper": %.1f, "draws": %d}\n',
            q[1], q[2], q[3], length(N)))
"""


@dataclass(frozen=True)
class Case:
    """One table and the settings both programs run it with."""

    key: str
    label: str
    file: str
    K: int  # noqa: N815 - the model's own name
    burnin: int
    samples: int
    thinning: int
    truth: int | None = None
    repeats: int = 1

    def settings(self) -> str:
        return (
            f"K={self.K}, burn-in {self.burnin:,}, {self.samples:,} samples "
            f"x thinning {self.thinning:,} "
            f"({(self.burnin + self.samples * self.thinning) / 1e6:.2f} M iterations "
            "in R)"
        )


#: The 20-list table is the one of tests/data/reference/sparse/ where R settles in
#: the lower of two modes (about 1,333, over seeds and K) while chains of aban
#: started at random split between it and a higher mode (about 1,530).
CASES = (
    Case(
        "kosovo",
        "Kosovo 1999, 4 lists, n = 4,400",
        "kosovo_1999.csv",
        10,
        100_000,
        10_000,
        100,
        repeats=3,
    ),
    Case(
        "sparse20",
        "simulated 20 lists, n = 867, true N = 2,400",
        "sparse/sparse20_seed9.csv",
        15,
        10_000,
        5_000,
        1_000,
        truth=2_400,
    ),
)


@dataclass(frozen=True)
class Run:
    """One command's wall time and posterior summary."""

    program: str
    command: str
    seconds: float
    cpu: float
    median: float
    lower: float
    upper: float
    note: str = ""


def r_available() -> bool:
    """Whether `Rscript` runs and loads the LCMCR package."""
    if shutil.which("Rscript") is None:
        return False
    check = 'quit(status = if (requireNamespace("LCMCR", quietly = TRUE)) 0 else 1)'
    try:
        done = subprocess.run(
            ["Rscript", "-e", check], capture_output=True, timeout=120, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def timed(
    argv: list[str], env: dict[str, str] | None = None
) -> tuple[float, float, str]:
    """Run a command; its wall and CPU (user + system) seconds and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        argv, capture_output=True, text=True, check=True, cwd=ROOT, env=env
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, done.stdout


def repeated(
    case: Case, argv: list[str], env: dict[str, str] | None = None
) -> tuple[float, float, str]:
    """The run of median wall time among ``case.repeats`` runs of a command."""
    runs = sorted(timed(argv, env) for _ in range(case.repeats))
    return runs[len(runs) // 2]


def run_r(case: Case, driver: Path) -> Run:
    numbers = [case.K, case.burnin, case.samples, case.thinning, SEED]
    argv = ["Rscript", str(driver), str(REFERENCE / case.file), *map(str, numbers)]
    seconds, cpu, out = repeated(case, argv)
    found = json.loads(out.strip().splitlines()[-1])
    command = (
        f"`Rscript lcmcr.R {Path(case.file).name} "
        + " ".join(map(str, numbers))
        + "` (lcmCR, lcmCR_PostSampl)"
    )
    return Run(
        "R LCMCR",
        command,
        seconds,
        cpu,
        found["median"],
        found["lower"],
        found["upper"],
    )


def run_aban(case: Case, label: str, extra: list[str]) -> Run:
    options = [
        "--model",
        "lcmcr",
        "--K",
        str(case.K),
        "--burnin",
        str(case.burnin),
        "--samples",
        str(case.samples),
        "--thinning",
        str(case.thinning),
        "--seed",
        str(SEED),
        *extra,
        "--json",
    ]
    paths = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    argv = [sys.executable, "-m", "aban", "mse", str(REFERENCE / case.file), *options]
    seconds, cpu, out = repeated(case, argv, env)
    found = json.loads(out)
    rhat = found.get("extra", {}).get("rhat")
    note = f"R-hat {rhat:.2f}" if rhat is not None else ""
    if found.get("warnings"):
        note += f"; {len(found['warnings'])} warning(s)"
    command = f"`aban mse {Path(case.file).name} " + " ".join(options) + "`"
    return Run(
        label,
        command,
        seconds,
        cpu,
        found["estimate"],
        found["lower"],
        found["upper"],
        note,
    )


def warm_up() -> None:
    """Short untimed runs of both samplers, so that the timed runs load the
    compiled kernels from their caches and aban's modules as bytecode (as every
    run after the first does)."""
    paths = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    table = str(REFERENCE / CASES[0].file)
    short = ["--burnin", "10", "--samples", "20", "--thinning", "1", "--json"]
    for sampler in (["--sampler", "gibbs"], ["--sampler", "smc", "--particles", "10"]):
        argv = [sys.executable, "-m", "aban", "mse", table, "--model", "lcmcr"]
        timed([*argv, *sampler, *short], env)


def table(case: Case, runs: list[Run]) -> list[str]:
    reference = runs[0].seconds
    lines = [
        f"**{case.label}**; {case.settings()}.",
        "",
        "| program | command | wall s | CPU s | median | 2.5% | 97.5% "
        "| R's time / this | note |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in runs:
        lines.append(
            f"| {r.program} | {r.command} | {r.seconds:.1f} | {r.cpu:.1f} | "
            f"{r.median:,.0f} | "
            f"{r.lower:,.0f} | {r.upper:,.0f} | {reference / r.seconds:.1f} | "
            f"{r.note} |"
        )
    if case.truth is not None:
        lines += ["", f"The true N of this table is {case.truth:,}."]
    return [*lines, ""]


def previous(case: Case) -> list[str]:
    """A table's figures from the stored section, marked with the date of their run
    (for a table left out of this run)."""
    stored = ROOT / "bench/results/lcmcr_vs_r.md"
    text = stored.read_text(encoding="utf-8") if stored.exists() else ""
    date = re.search(r"^- date: (.+)$", text, re.MULTILINE)
    start = text.find(f"**{case.label}**")
    end = text.find("Load average before this table", start)
    if start < 0 or end < 0 or date is None:
        return [f"**{case.label}**: not run this time, and no earlier figures.", ""]
    end = text.index("\n", end)
    marker = r"From the run of (.+) \(not run this time\):\s*$"
    carried = re.search(marker, text[:start])
    when = carried.group(1) if carried else date.group(1)
    return [
        f"From the run of {when} (not run this time):",
        "",
        text[start:end].strip(),
        "",
    ]


def run() -> str:
    intro = __doc__.split("\n\n", 1)[1].strip()
    if not r_available():
        return f"{intro}\n\n{SKIPPED}.\n"
    wanted = os.environ.get("ABAN_BENCH_LCMCR_VS_R_TABLES", "kosovo,sparse20")
    chosen = {key.strip() for key in wanted.split(",")}
    lines = [intro, ""]
    warm_up()
    with tempfile.TemporaryDirectory() as tmp:
        driver = Path(tmp) / "lcmcr.R"
        driver.write_text(R_DRIVER, encoding="utf-8")
        for case in CASES:
            if case.key not in chosen:
                lines += previous(case)
                continue
            load = os.getloadavg()[0]
            runs = [run_r(case, driver)]
            runs += [run_aban(case, label, extra) for label, extra in ABAN_ROWS]
            lines += table(case, runs)
            lines.append(f"Load average before this table: {load:.2f}.")
            lines.append("")
            print("\n".join(lines[-len(runs) - 8 :]), file=sys.stderr, flush=True)
    versions = subprocess.run(
        [
            "Rscript",
            "-e",
            'cat(R.version.string, "LCMCR", format(packageVersion("LCMCR")))',
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    lines.append(f"R: {versions}. Seed {SEED} for both programs.")
    return "\n".join(lines)
