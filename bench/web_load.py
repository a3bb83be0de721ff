"""The web app under load: reviewers deciding pairs while an analyst links and
grades from the app and documenters add records (issue 18; issue 7 before it).

A workspace is filled with a simulated crackdown (imported as ``aban import``
does) and a review queue of scored pairs in the uncertain band; each reviewer,
the analyst and each documenter has an account (argon2 hashes at their default
cost; the documenters are field documenters, the ``documenter`` role, who reach
their own records only). ``aban serve`` runs as a subprocess on a free loopback
port. Each simulated user is a thread with its own HTTP client that signs in
through the login form, then until the time is up:

- a reviewer loads the review page and decides the pair shown, as the simulation's
  truth says (match when both records are one person, else non-match; one pair in
  ten skipped), as fast as the server answers;
- the analyst, a third of the way in, starts a link-and-grade run from the runs
  page, follows it on ``/api/runs`` every half second, reads its result for five
  seconds and starts another, while there is time (the last one is followed to
  its end); each run replaces the review queue with its own pairs;
- a documenter opens its own records (``/records/mine``), fills the new-record
  form with an invented person and opens the record it is sent to, every second;
  at the end it reads its own records once more.

Afterwards the register is checked: the decisions stored per reviewer must equal
what the clients were told was stored (nothing lost, nothing extra), no pair may be
decided twice, every decision must have its audit entry, each run the analyst saw
end must have its link and grade entries, the records stored must be exactly those
the documenters were told were stored (each once, and each in the list of the
documenter's own records the app showed it at the end), and the register must
pass ``aban audit verify`` (the chain and every row's seal).
"""

from __future__ import annotations

import html
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
from csv import DictReader
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from aban.ingest.importer import import_file
from aban.linkage.pairs import replace_scored_pairs
from aban.linkage.review import Comparison, ScoredPair
from aban.simulate import SimulationSettings, simulate, write_scenario
from aban.store.db import transaction
from aban.store.integrity import verify_register
from aban.store.records import record_keys
from aban.store.runs import save_run
from aban.store.users import add_user
from aban.store.workspace import create_workspace, now, open_workspace

TITLE = "Web app under load (issues 7 and 18)"
PASSPHRASE = "bench passphrase"
PASSWORD = "bench reviewer password"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
PAIR = re.compile(r'data-pair="(\d+)-(\d+)"')
SKIP = 0.1
#: Seconds the analyst reads a run's result before starting the next.
READING = 5.0
ANALYST = "analyst00"
FIELD_SOURCE = "field notes"
#: Invented names for the documenters' records (never a real victim's).
GIVEN = ("Arvin", "Bita", "Darya", "Kian", "Mahan", "Nika", "Parsa", "Sepehr")
FAMILY = ("Testi", "Namdar", "Farzin", "Rahbin", "Sadeqi", "Varzan")


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
            ws.record_audit("link", {"run": run, "pairs": len(chosen)})


def _truth(scenario: Path, ws_path: Path) -> dict[int, str]:
    """Each record's row id to its simulated person (the reviewers' answers)."""
    with (scenario / "truth" / "records.csv").open(encoding="utf-8") as handle:
        person = {
            (r["source"], r["record_id"]): r["person_id"] for r in DictReader(handle)
        }
    with open_workspace(ws_path, PASSPHRASE) as ws:
        rows = ws.conn.execute(
            "select r.id, s.name, r.record_id from records r "
            "join sources s on s.id = r.source_id"
        ).fetchall()
    return {int(i): person.get((s, r), f"?{i}") for i, s, r in rows}


def build_workspace(
    root: Path,
    persons: int,
    reviewers: int,
    pairs: int,
    seed: int = 7,
    documenters: int = 0,
) -> tuple[Path, dict[int, str]]:
    """The bench workspace (imported sources, a review queue, the accounts) and
    each record's simulated person."""
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
        add_user(ws, ANALYST, "analyst", PASSWORD)
        for n in range(documenters):
            add_user(ws, f"documenter{n:02d}", "documenter", PASSWORD)
    _queue(path, pairs, seed)
    return path, _truth(scenario, path)


@dataclass
class Reviewer:
    """One simulated user's counts and latencies (seconds, by request kind).

    A reviewer counts decisions; the analyst keeps its runs (state, seconds,
    persons); a documenter keeps the record ids it was told were stored.
    """

    name: str
    stored: int = 0
    taken: int = 0
    skipped: int = 0
    empty: int = 0
    errors: list[str] = field(default_factory=list)
    latency: dict[str, list[float]] = field(default_factory=dict)
    runs: list[dict[str, Any]] = field(default_factory=list)
    records: list[str] = field(default_factory=list)
    #: The record ids a documenter's own-records page listed at the end.
    listed: list[str] = field(default_factory=list)
    #: Each review page's start (monotonic seconds), latency and whether it
    #: showed a pair, to tell the pages loaded while a run was going.
    pages: list[tuple[float, float, bool]] = field(default_factory=list)
    #: Each decision POST's start (monotonic seconds) and latency.
    posts: list[tuple[float, float]] = field(default_factory=list)
    #: The analyst's runs, from its start request to the poll that saw it end.
    windows: list[tuple[float, float]] = field(default_factory=list)

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


def _decide_one(
    client: httpx.Client, me: Reviewer, rng: random.Random, truth: dict[int, str]
) -> None:
    began, started = time.monotonic(), time.perf_counter()
    page = client.get("/review")
    took = time.perf_counter() - started
    if page.status_code != 200:
        me.errors.append(f"GET /review {page.status_code}")
        return
    pair, token = PAIR.search(page.text), CSRF.search(page.text)
    me.pages.append((began, took, pair is not None and token is not None))
    if pair is None or token is None:
        me.latency.setdefault("GET /review, empty queue", []).append(took)
        me.empty += 1
        time.sleep(0.05)
        return
    me.latency.setdefault("GET /review", []).append(took)
    a, b = int(pair.group(1)), int(pair.group(2))
    same = truth.get(a) == truth.get(b)
    choice = "skip" if rng.random() < SKIP else "match" if same else "non_match"
    data = {
        "record_a": pair.group(1),
        "record_b": pair.group(2),
        "decision": choice,
        "csrf": token.group(1),
    }
    posted = time.monotonic()
    response = me.timed("POST /review", lambda: client.post("/review", data=data))
    me.posts.append((posted, me.latency["POST /review"][-1]))
    outcome = response.headers.get("location", "").removeprefix("/review?last=")
    if response.status_code != 303 or outcome not in ("stored", "taken", "skipped"):
        me.errors.append(f"POST /review {response.status_code}")
    else:
        setattr(me, outcome, getattr(me, outcome) + 1)


def _review(
    base: str, me: Reviewer, deadline: float, seed: int, truth: dict[int, str]
) -> None:
    rng = random.Random(seed)
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            _sign_in(client, me)
            while time.monotonic() < deadline:
                _decide_one(client, me, rng, truth)
    except (httpx.HTTPError, RuntimeError) as err:
        me.errors.append(type(err).__name__)


def _follow_run(client: httpx.Client, me: Reviewer) -> None:
    """Start a link-and-grade run from the runs page and follow it to its end."""
    page = me.timed("GET /runs", lambda: client.get("/runs"))
    token = CSRF.search(page.text)
    data = {"action": "start", "csrf": token.group(1) if token else ""}
    began = time.monotonic()
    response = me.timed("POST /runs", lambda: client.post("/runs", data=data))
    if response.status_code != 303:
        me.errors.append(f"POST /runs {response.status_code}")
        return
    while True:
        time.sleep(0.5)
        answer = me.timed("GET /api/runs", lambda: client.get("/api/runs"))
        run = answer.json()["run"] if answer.status_code == 200 else None
        if run is None:
            me.errors.append(f"GET /api/runs {answer.status_code}")
            return
        if run["state"] != "running":
            break
    me.windows.append((began, time.monotonic()))
    me.runs.append(run)
    if run["state"] != "done":
        me.errors.append(f"run {run['state']}: {run['error']}")


def _analyse(base: str, me: Reviewer, deadline: float, seconds: float) -> None:
    """Link and grade from the app: the first run a third of the way in (the
    reviewers are at work on the big queue by then), then again after reading each
    result for :data:`READING` seconds, while there is time; the last run is
    followed to its end."""
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            _sign_in(client, me)
            time.sleep(max(0.0, deadline - seconds * 2 / 3 - time.monotonic()))
            while time.monotonic() < deadline and not me.errors:
                _follow_run(client, me)
                time.sleep(min(READING, max(0.0, deadline - time.monotonic())))
    except (httpx.HTTPError, RuntimeError, ValueError) as err:
        me.errors.append(type(err).__name__)


OWN_ROW = re.compile(r'<a href="/records/(\d+)" dir="ltr">([^<]+)</a>')


def _own_records(client: httpx.Client, me: Reviewer) -> list[str]:
    """The record ids the documenter's own-records page lists."""
    page = me.timed("GET /records/mine", lambda: client.get("/records/mine"))
    if page.status_code != 200:
        me.errors.append(f"GET /records/mine {page.status_code}")
        return []
    return [html.unescape(m.group(2)) for m in OWN_ROW.finditer(page.text)]


def _enter_one(client: httpx.Client, me: Reviewer, rng: random.Random) -> None:
    _own_records(client, me)
    page = me.timed("GET /records/new", lambda: client.get("/records/new"))
    token = CSRF.search(page.text)
    record_id = f"{me.name}-{len(me.records) + 1:04d}"
    data = {
        "csrf": token.group(1) if token else "",
        "record_id": record_id,
        "source": FIELD_SOURCE if me.records else "",
        "new_source": "" if me.records else FIELD_SOURCE,
        "given_name": rng.choice(GIVEN),
        "family_name": rng.choice(FAMILY),
        "age": str(rng.randint(15, 60)),
        "status": "killed",
        "city": "Shiraz",
        "date_of_death": "2019-11-17",
    }
    response = me.timed(
        "POST /records/new", lambda: client.post("/records/new", data=data)
    )
    target = response.headers.get("location", "")
    if response.status_code != 303 or "done=record_stored" not in target:
        me.errors.append(f"POST /records/new {response.status_code}")
        return
    me.records.append(record_id)
    shown = me.timed("GET /records/{id}", lambda: client.get(target))
    if shown.status_code != 200 or record_id not in shown.text:
        me.errors.append(f"GET /records/{{id}} {shown.status_code}")


def _document(base: str, me: Reviewer, deadline: float, seed: int) -> None:
    rng = random.Random(seed)
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            _sign_in(client, me)
            while time.monotonic() < deadline:
                _enter_one(client, me, rng)
                time.sleep(1.0)
            me.listed = _own_records(client, me)
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


@dataclass
class Team:
    """The simulated users of one load run."""

    reviewers: list[Reviewer]
    analyst: Reviewer | None
    documenters: list[Reviewer]

    @property
    def everyone(self) -> list[Reviewer]:
        return [*self.reviewers, *filter(None, [self.analyst]), *self.documenters]


def load(
    path: Path,
    reviewers: int,
    seconds: float,
    truth: dict[int, str],
    documenters: int = 0,
    analyst: bool = False,
) -> Team:
    """Run the simulated users against ``aban serve`` over ``path``."""
    port = _free_port()
    proc = _serve(path, port)
    base = f"http://127.0.0.1:{port}"
    team = Team(
        [Reviewer(f"reviewer{n:02d}") for n in range(reviewers)],
        Reviewer(ANALYST) if analyst else None,
        [Reviewer(f"documenter{n:02d}") for n in range(documenters)],
    )
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(target=_review, args=(base, me, deadline, n, truth))
        for n, me in enumerate(team.reviewers)
    ]
    threads += [
        threading.Thread(target=_document, args=(base, me, deadline, 100 + n))
        for n, me in enumerate(team.documenters)
    ]
    if team.analyst is not None:
        threads.append(
            threading.Thread(
                target=_analyse, args=(base, team.analyst, deadline, seconds)
            )
        )
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=seconds + 1200)
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
    link_runs: int = 0
    grade_runs: int = 0
    field_records: tuple[str, ...] = ()


def check_register(path: Path) -> Check:
    """Count decisions per reviewer, pairs decided twice, audit entries, the
    analyst's runs, the documenters' records, and verify the register."""
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
        runs = dict(
            ws.conn.execute(
                "select action, count(*) from audit where actor = ? "
                "and action in ('link', 'grade') group by action",
                (ANALYST,),
            )
        )
        field = tuple(
            sorted(
                r
                for (r,) in ws.conn.execute(
                    "select r.record_id from records r join sources s "
                    "on s.id = r.source_id where s.name = ?",
                    (FIELD_SOURCE,),
                )
            )
        )
        chain = verify_register(ws.conn)
    return Check(
        by_reviewer,
        int(twice),
        int(audited),
        chain.ok,
        int(runs.get("link", 0)),
        int(runs.get("grade", 0)),
        field,
    )


def _ms(values: list[float], q: float) -> str:
    return f"{np.quantile(values, q) * 1000:.0f}" if values else "-"


def _latency_table(users: list[Reviewer]) -> list[str]:
    kinds: dict[str, list[float]] = {}
    for me in users:
        for kind, values in me.latency.items():
            kinds.setdefault(kind, []).extend(values)
    every = [v for values in kinds.values() for v in values]
    lines = ["| request | count | p50 (ms) | p99 (ms) |", "|---|---:|---:|---:|"]
    for kind in sorted(kinds):
        values = kinds[kind]
        lines.append(
            f"| {kind} | {len(values):,} | {_ms(values, 0.5)} | {_ms(values, 0.99)} |"
        )
    lines.append(f"| all | {len(every):,} | {_ms(every, 0.5)} | {_ms(every, 0.99)} |\n")
    return lines


def _during_runs(team: Team) -> list[str]:
    """The review pages loaded and the decisions posted while a run was going
    (count, p50 and p99), against those outside the runs."""
    windows = team.analyst.windows if team.analyst else []

    def going(began: float) -> bool:
        return any(a <= began <= b for a, b in windows)

    during = [
        (took, shown)
        for me in team.reviewers
        for began, took, shown in me.pages
        if going(began)
    ]
    every = [took for took, _ in during]
    pairs = [took for took, shown in during if shown]
    posts = [(going(began), took) for me in team.reviewers for began, took in me.posts]
    inside = [took for run, took in posts if run]
    outside = [took for run, took in posts if not run]
    return [
        f"review pages loaded while a run was going: {len(every):,}, p50 "
        f"{_ms(every, 0.5)} ms, p99 {_ms(every, 0.99)} ms; of them showing a "
        f"pair: {len(pairs):,}, p50 {_ms(pairs, 0.5)} ms, p99 {_ms(pairs, 0.99)} ms",
        f"decisions posted while a run was going: {len(inside):,}, p50 "
        f"{_ms(inside, 0.5)} ms, p99 {_ms(inside, 0.99)} ms, max "
        f"{_ms(inside, 1.0)} ms; outside the runs: {len(outside):,}, p50 "
        f"{_ms(outside, 0.5)} ms, p99 {_ms(outside, 0.99)} ms",
    ]


def _runs_lines(team: Team, check: Check) -> list[str]:
    if team.analyst is None:
        return []
    runs = team.analyst.runs
    shown = "; ".join(
        f"{r['state']} in {r['seconds']:.1f} s"
        + (
            f" ({r['result']['persons']:,} persons, {r['result']['to_review']:,} "
            "pairs to review)"
            if r["result"]
            else ""
        )
        for r in runs
    )
    done = sum(r["state"] == "done" for r in runs)
    return [
        f"- analyst: {len(runs)} link-and-grade runs from the app ({shown}); link "
        f"and grade audit entries of the analyst: {check.link_runs}, "
        f"{check.grade_runs}; equal to the runs done: "
        f"{check.link_runs == check.grade_runs == done}",
        *(f"- {line}" for line in _during_runs(team)),
    ]


def _documenter_lines(team: Team, check: Check) -> list[str]:
    if not team.documenters:
        return []
    told = sorted(r for me in team.documenters for r in me.records)
    listed = all(sorted(me.listed) == sorted(me.records) for me in team.documenters)
    return [
        f"- documenters (field documenter accounts): {len(told):,} records stored "
        f"through the form; in the register: {len(check.field_records):,}; the "
        f"same records, none lost or duplicated: {tuple(told) == check.field_records}"
        f"; each documenter's own records page lists exactly its own: {listed}",
    ]


def report(team: Team, check: Check, seconds: float, pairs: int) -> str:
    """The Markdown section: counts, latency by request kind, the register checks."""
    reviewers = team.reviewers
    every = sum(len(v) for me in team.everyone for v in me.latency.values())
    stored = sum(me.stored for me in reviewers)
    errors = Counter(e for me in team.everyone for e in me.errors)
    clients = {me.name: me.stored for me in reviewers if me.stored}
    same = check.stored_by_reviewer == clients
    others = []
    if team.analyst is not None:
        others.append("an analyst linking and grading from the app")
    if team.documenters:
        others.append(f"{len(team.documenters)} documenters adding records")
    lines = [
        f"{len(reviewers)} simulated reviewers for {seconds:.0f} s"
        + (f", with {' and '.join(others)}," if others else "")
        + " against `aban serve` on 127.0.0.1 (a subprocess; one HTTP client per "
        "user thread; reviewers with no think time, documenters one record a "
        f"second), a queue of {pairs:,} pairs. Reviewers' requests:\n",
        *_latency_table(reviewers),
    ]
    if len(team.everyone) > len(reviewers):
        lines += [
            "The analyst's and documenters' requests:\n",
            *_latency_table(team.everyone[len(reviewers) :]),
        ]
    lines += [
        f"- requests: {every:,} ({every / seconds:.1f}/s); errors: "
        f"{sum(errors.values())}" + (f" ({dict(errors)})" if errors else ""),
        f"- decisions stored: {stored:,} ({stored / seconds:.1f}/s); skipped: "
        f"{sum(me.skipped for me in reviewers):,}; already decided by another: "
        f"{sum(me.taken for me in reviewers)}; empty queue pages: "
        f"{sum(me.empty for me in reviewers)}",
        *_runs_lines(team, check),
        *_documenter_lines(team, check),
        f"- register: {sum(check.stored_by_reviewer.values()):,} decisions; per "
        f"reviewer equal to the clients' counts: {same}; pairs "
        f"decided twice: {check.pairs_decided_twice}; link-decision audit entries: "
        f"{check.audit_decisions:,}; audit chain verifies (with every seal, as 'aban "
        f"audit verify'): {check.chain_ok}",
    ]
    return "\n".join(lines) + "\n"


def run(
    reviewers: int = 20,
    seconds: float = 60.0,
    persons: int = 3000,
    pairs: int = 20_000,
    documenters: int = 2,
    analyst: bool = True,
) -> str:
    """Build the workspace, run the load, check the register; return Markdown."""
    with tempfile.TemporaryDirectory(prefix="aban-web-load-") as tmp:
        path, truth = build_workspace(
            Path(tmp), persons, reviewers, pairs, documenters=documenters
        )
        team = load(path, reviewers, seconds, truth, documenters, analyst)
        check = check_register(path)
    return report(team, check, seconds, pairs)


if __name__ == "__main__":
    print(run())
