"""The review queue shared by the reviewers signed in to one app.

The queue is :func:`aban.linkage.register.review_queue` (the last link run's
undecided pairs in the uncertain band, most uncertain first), read once per link
run and kept in memory. Each reviewer is shown the first pair that is undecided,
not skipped by them and not *leased* to another reviewer: showing a pair leases it
for :data:`LEASE_SECONDS`, so reviewers working at the same time see different
pairs. Before a pair is shown, and again inside the write that stores a decision,
the register is asked whether it was decided meanwhile (by another reviewer or by
``aban review``), so no pair is decided twice through the app. A pair shown
before a link run replaced the queue (the app's runs page starts one while
reviewers work) can still be decided: the previous run's pairs are kept too.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from aban.linkage.pairs import StoredPair
from aban.linkage.register import review_queue
from aban.store.db import Connection
from aban.store.runs import last_run

LEASE_SECONDS = 600.0
Pair = tuple[int, int]


def is_decided(conn: Connection, pair: Pair) -> bool:
    """Whether the register holds a decision on ``pair`` (record row ids, a < b)."""
    row = conn.execute(
        "select 1 from link_decisions where record_a = ? and record_b = ? limit 1",
        pair,
    ).fetchone()
    return row is not None


def owner_of(user_id: int) -> str:
    """Whose leases and skipped pairs: the reviewer's account, in every session.

    A lease belongs to the account, not to one browser session: a reviewer who
    closes the browser and signs in again gets the same pair back (issue 18: the
    app said "No pair is waiting for review" while the last pair sat leased to
    the closed session), and signing out releases it at once
    (:meth:`ReviewQueue.release`).
    """
    return f"user:{user_id}"


@dataclass(frozen=True)
class Next:
    """What a reviewer is shown next: a pair (or none), and what is left."""

    pair: StoredPair | None
    remaining: int
    skipped: int
    run_id: int | None
    #: Undecided pairs shown to other reviewers now (when no pair is left to show).
    leased: int = 0


class ReviewQueue:
    """The cached queue, its leases and each reviewer's skipped pairs.

    Args:
        lease_seconds: how long a shown pair stays reserved for its reviewer.
        clock: the time source in seconds; tests pass their own.
    """

    def __init__(
        self,
        lease_seconds: float = LEASE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.lease_seconds, self.clock = lease_seconds, clock
        self._lock = threading.Lock()
        self._refresh_lock = threading.Lock()
        self.run_id: int | None = None
        self._start = 0  # every pair before this index is decided
        self._pairs: list[StoredPair] = []
        self._by_ids: dict[Pair, StoredPair] = {}
        self._earlier: dict[Pair, StoredPair] = {}  # the previous run's queue
        self._decided: set[Pair] = set()
        self._leases: dict[Pair, tuple[str, float]] = {}
        self._skipped: dict[str, set[Pair]] = {}

    def refresh(self, conn: Connection) -> int | None:
        """Reload the queue if a new link run replaced the scored pairs."""
        run = last_run(conn, "link")
        if run == self.run_id:
            return run
        with self._refresh_lock:  # one reload, not one per waiting request
            if run == self.run_id:
                return run
            pairs = review_queue(conn) if run is not None else []
            with self._lock:
                self._earlier = self._by_ids
                self._pairs, self._start = pairs, 0
                self._by_ids = {(p.record_a, p.record_b): p for p in pairs}
                self._decided, self._leases, self._skipped = set(), {}, {}
                self.run_id = run
        return run

    def find(self, pair: Pair) -> StoredPair | None:
        """The queued pair with these record row ids, if it is in the queue (or
        was in the queue of the run before, shown before a run replaced it)."""
        with self._lock:
            return self._by_ids.get(pair) or self._earlier.get(pair)

    def _candidate(
        self, owner: str, passed: set[Pair]
    ) -> tuple[StoredPair | None, int, int]:
        """The first pair ``owner`` may see, how many pairs are undecided, and
        (when there is none to see) how many of them other reviewers hold.

        Scans from the first undecided pair, so the cost grows with the pairs
        leased, skipped or passed ahead of it, not with the queue's length.
        """
        now, skipped = self.clock(), self._skipped.get(owner, set())
        pairs, decided = self._pairs, self._decided
        while self._start < len(pairs) and self._key(self._start) in decided:
            self._start += 1
        remaining = len(pairs) - len(decided)
        leased = 0
        for index in range(self._start, len(pairs)):
            key = self._key(index)
            if key in decided or key in skipped or key in passed:
                continue
            lease = self._leases.get(key)
            if lease is None or lease[0] == owner or lease[1] <= now:
                return pairs[index], remaining, 0
            leased += 1
        return None, remaining, leased

    def _key(self, index: int) -> Pair:
        stored = self._pairs[index]
        return (stored.record_a, stored.record_b)

    def next_pair(self, conn: Connection, owner: str) -> Next:
        """Lease and return the next pair for ``owner`` (:func:`owner_of` a
        reviewer)."""
        run = self.refresh(conn)
        passed: set[Pair] = set()
        while True:
            with self._lock:
                found, remaining, leased = self._candidate(owner, passed)
                skipped = len(self._skipped.get(owner, ()))
            if found is None:
                return Next(None, remaining, skipped, run, leased)
            key = (found.record_a, found.record_b)
            if is_decided(conn, key):
                self.mark_decided(key)
                continue
            with self._lock:
                lease = self._leases.get(key)
                if lease is None or lease[0] == owner or lease[1] <= self.clock():
                    self._leases[key] = (owner, self.clock() + self.lease_seconds)
                    return Next(found, remaining, skipped, run)
            passed.add(key)

    def mark_decided(self, pair: Pair) -> None:
        """Record that ``pair`` has a decision; it leaves the queue."""
        with self._lock:
            if pair in self._by_ids:
                self._decided.add(pair)
            self._leases.pop(pair, None)

    def skip(self, owner: str, pair: Pair) -> None:
        """``owner`` skips ``pair``: it is not shown to them again, and freed."""
        with self._lock:
            self._skipped.setdefault(owner, set()).add(pair)
            if self._leases.get(pair, ("", 0.0))[0] == owner:
                del self._leases[pair]

    def release(self, owner: str) -> None:
        """Free every pair leased to ``owner`` (who signed out)."""
        with self._lock:
            for pair in [p for p, (who, _) in self._leases.items() if who == owner]:
                del self._leases[pair]

    def unskip(self, owner: str) -> None:
        """Show ``owner`` the pairs they skipped again."""
        with self._lock:
            self._skipped.pop(owner, None)
