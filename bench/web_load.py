"""The web app under load: simulated reviewers deciding pairs on loopback.

A workspace is filled with a simulated crackdown (imported as ``aban import``
does) and a review queue of scored pairs in the uncertain band; each reviewer has
an account (argon2 hashes at their default cost). ``aban serve`` runs as a
subprocess on a free loopback port. Each simulated reviewer is a thread with its
own HTTP client: it signs in through the login form, then until the time is up
loads the review page and decides the pair shown (match, non-match or skip),
as fast as the server answers. The run stops by itself.

Afterwards the register is checked: the decisions stored per reviewer must equal
what the clients were told was stored (nothing lost, nothing extra), no pair may be
decided twice, every decision must have its audit entry, and the audit chain must
verify.
"""

from __future__ import annotations

import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import numpy as np

from aban.ingest.importer import import_file
from aban.linkage.pairs import replace_scored_pairs
from aban.linkage.review import Comparison, ScoredPair
from aban.simulate import SimulationSettings, simulate, write_scenario
from aban.store.audit import verify_chain
from aban.store.db import transaction
from aban.store.records import record_keys
from aban.store.runs import save_run
from aban.store.users import add_user
from aban.store.workspace import create_workspace, now, open_workspace

TITLE = "Web app under load (issue 7)"
PASSPHRASE = "bench passphrase"
PASSWORD = "bench reviewer password"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
PAIR = re.compile(r'data-pair="(\d+)-(\d+)"')
CHOICES = ("match", "non_match", "skip")
WEIGHTS = (0.5, 0.4, 0.1)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _queue(ws_path: Path, pairs: int, seed: int) -> None:
    """A link run whose scored pairs fill the uncertain band (0.2 to 0.9)."""
    rng = np.random.default_rng(seed)
    with open_workspace(ws_path, PASSPHRASE) as ws:
        ids = record_keys(ws.conn)
        keys = sorted(ids)
        chosen: dict[frozenset[str], ScoredPair] = {}
        while len(chosen) < min(pairs, len(keys) * (len(keys) - 1) // 2):
            a, b = rng.choice(len(keys), size=2, replace=False)
            p = float(rng.uniform(0.2, 0.9))
            comparisons = (
                Comparison("given_name", "similar spelling", 1.5),
                Comparison("city", "same", 2.0),
            )
            pair = ScoredPair(
                keys[a], keys[b], p, float(np.log2(p / (1 - p))), comparisons
            )
            chosen[pair.pair] = pair
        with transaction(ws.conn):
            run = save_run(ws.conn, "link", now(), now(), {"bench": True}, None, {})
            replace_scored_pairs(ws.conn, run, chosen.values(), ids)


def build_workspace(
    root: Path, persons: int, reviewers: int, pairs: int, seed: int = 7
) -> Path:
    """The bench workspace: imported sources, a review queue, reviewer accounts."""
    scenario = root / "scenario"
    write_scenario(
        simulate(SimulationSettings(persons=persons, sources=4, seed=seed)), scenario
    )
    path = root / "ws"
    with create_workspace(path, PASSPHRASE) as ws:
        for source in sorted((scenario / "sources").glob("*.csv")):
            result = import_file(ws, source, source=source.stem, skip_invalid=True)
            assert not result.refused
        for n in range(reviewers):
            add_user(ws, f"reviewer{n:02d}", "reviewer", PASSWORD)
    _queue(path, pairs, seed)
    return path


@dataclass
class Reviewer:
    """One simulated reviewer's counts and latencies (seconds, by request kind)."""

    name: str
    stored: int = 0
    taken: int = 0
    skipped: int = 0
    empty: int = 0
    errors: list[str] = field(default_factory=list)
    latency: dict[str, list[float]] = field(default_factory=dict)

    def timed(self, kind: str, call: Callable[[], httpx.Response]) -> httpx.Response:
        started = time.perf_counter()
        response = call()
        self.latency.setdefault(kind, []).append(time.perf_counter() - started)
        return response


def _sign_in(client: httpx.Client, me: Reviewer) -> None:
    page = me.timed("GET /login", lambda: client.get("/login"))
    token = CSRF.search(page.text)
    data = {
        "name": me.name,
        "password": PASSWORD,
        "csrf": token.group(1) if token else "",
    }
    response = me.timed("POST /login", lambda: client.post("/login", data=data))
    if response.status_code != 303:
        raise RuntimeError(f"sign-in answered {response.status_code}")


def _decide_one(client: httpx.Client, me: Reviewer, rng: random.Random) -> None:
    page = me.timed("GET /review", lambda: client.get("/review"))
    if page.status_code != 200:
        me.errors.append(f"GET /review {page.status_code}")
        return
    pair, token = PAIR.search(page.text), CSRF.search(page.text)
    if pair is None or token is None:
        me.empty += 1
        time.sleep(0.05)
        return
    choice = rng.choices(CHOICES, WEIGHTS)[0]
    data = {
        "record_a": pair.group(1),
        "record_b": pair.group(2),
        "decision": choice,
        "csrf": token.group(1),
    }
    response = me.timed("POST /review", lambda: client.post("/review", data=data))
    outcome = response.headers.get("location", "").removeprefix("/review?last=")
    if response.status_code != 303 or outcome not in ("stored", "taken", "skipped"):
        me.errors.append(f"POST /review {response.status_code}")
    else:
        setattr(me, outcome, getattr(me, outcome) + 1)


def _review(base: str, me: Reviewer, deadline: float, seed: int) -> None:
    rng = random.Random(seed)
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            _sign_in(client, me)
            while time.monotonic() < deadline:
                _decide_one(client, me, rng)
    except (httpx.HTTPError, RuntimeError) as err:
        me.errors.append(type(err).__name__)


def _serve(path: Path, port: int) -> subprocess.Popen[str]:
    env = {**os.environ, "ABAN_PASSPHRASE": PASSPHRASE}
    proc = subprocess.Popen(
        [sys.executable, "-m", "aban", "-w", str(path), "serve", "--port", str(port)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    for _ in range(600):
        try:
            httpx.get(f"http://127.0.0.1:{port}/login", timeout=2)
            return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("aban serve did not start")


def load(path: Path, reviewers: int, seconds: float) -> list[Reviewer]:
    """Run the simulated reviewers against ``aban serve`` over ``path``."""
    port = _free_port()
    proc = _serve(path, port)
    team = [Reviewer(f"reviewer{n:02d}") for n in range(reviewers)]
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=_review, args=(f"http://127.0.0.1:{port}", me, deadline, n)
        )
        for n, me in enumerate(team)
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=seconds + 120)
    finally:
        proc.terminate()
        proc.communicate(timeout=60)
    return team


@dataclass(frozen=True)
class Check:
    """What the register holds after the run, against the clients' counts."""

    stored_by_reviewer: dict[str, int]
    pairs_decided_twice: int
    audit_decisions: int
    chain_ok: bool


def check_register(path: Path) -> Check:
    """Count decisions per reviewer, pairs decided twice, audit entries, chain."""
    with open_workspace(path, PASSPHRASE) as ws:
        by_reviewer = dict(
            ws.conn.execute("select reviewer, count(*) from link_decisions group by 1")
        )
        (twice,) = ws.conn.execute(
            "select count(*) from (select 1 from link_decisions "
            "group by record_a, record_b having count(*) > 1)"
        ).fetchone()
        (audited,) = ws.conn.execute(
            "select count(*) from audit where action = 'link-decision'"
        ).fetchone()
        chain = verify_chain(ws.conn)
    return Check(by_reviewer, int(twice), int(audited), chain.ok)


def _ms(values: list[float], q: float) -> str:
    return f"{np.quantile(values, q) * 1000:.0f}" if values else "-"


def report(team: list[Reviewer], check: Check, seconds: float, pairs: int) -> str:
    """The Markdown section: counts, latency by request kind, the register checks."""
    kinds: dict[str, list[float]] = {}
    for me in team:
        for kind, values in me.latency.items():
            kinds.setdefault(kind, []).extend(values)
    every = [v for values in kinds.values() for v in values]
    stored = sum(me.stored for me in team)
    errors = Counter(e for me in team for e in me.errors)
    clients = {me.name: me.stored for me in team if me.stored}
    same = check.stored_by_reviewer == clients
    lines = [
        f"{len(team)} simulated reviewers for {seconds:.0f} s against `aban serve` on "
        f"127.0.0.1 (a subprocess; one HTTP client per reviewer thread, no think "
        f"time), a queue of {pairs:,} pairs.\n",
        "| request | count | p50 (ms) | p99 (ms) |",
        "|---|---:|---:|---:|",
    ]
    for kind in sorted(kinds):
        values = kinds[kind]
        lines.append(
            f"| {kind} | {len(values):,} | {_ms(values, 0.5)} | {_ms(values, 0.99)} |"
        )
    lines.append(f"| all | {len(every):,} | {_ms(every, 0.5)} | {_ms(every, 0.99)} |\n")
    lines += [
        f"- requests: {len(every):,} ({len(every) / seconds:.1f}/s); errors: "
        f"{sum(errors.values())}" + (f" ({dict(errors)})" if errors else ""),
        f"- decisions stored: {stored:,} ({stored / seconds:.1f}/s); skipped: "
        f"{sum(me.skipped for me in team):,}; already decided by another: "
        f"{sum(me.taken for me in team)}; empty queue pages: "
        f"{sum(me.empty for me in team)}",
        f"- register: {sum(check.stored_by_reviewer.values()):,} decisions; per "
        f"reviewer equal to the clients' counts: {same}; pairs "
        f"decided twice: {check.pairs_decided_twice}; link-decision audit entries: "
        f"{check.audit_decisions:,}; audit chain verifies: {check.chain_ok}",
    ]
    return "\n".join(lines) + "\n"


def run(
    reviewers: int = 20, seconds: float = 60.0, persons: int = 3000, pairs: int = 20_000
) -> str:
    """Build the workspace, run the load, check the register; return Markdown."""
    with tempfile.TemporaryDirectory(prefix="aban-web-load-") as tmp:
        path = build_workspace(Path(tmp), persons, reviewers, pairs)
        team = load(path, reviewers, seconds)
        check = check_register(path)
    return report(team, check, seconds, pairs)


if __name__ == "__main__":
    print(run())
