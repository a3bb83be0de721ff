"""Values the server keeps in memory for a while, one per session.

A secret offered for two-factor enrolment (:mod:`aban.web.two_factor`) and an
uploaded list (:mod:`aban.web.uploads`) live here until they are used, their
time is up, or the session signs out; nothing of them is written to disk.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class Expiring(Generic[T]):
    """One value per key (a session's digest), each forgotten after ``seconds``."""

    seconds: float
    clock: Callable[[], float] = time.monotonic
    _found: dict[str, tuple[T, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def keep(self, key: str, value: T) -> None:
        """Keep ``value`` for ``key`` (replacing its earlier one); drop the expired."""
        now = self.clock()
        with self._lock:
            for old in [k for k, v in self._found.items() if v[1] <= now]:
                del self._found[old]
            self._found[key] = (value, now + self.seconds)

    def get(self, key: str) -> T | None:
        """The value kept for ``key``, if its time is not up."""
        with self._lock:
            found = self._found.get(key)
            if found is None or found[1] <= self.clock():
                self._found.pop(key, None)
                return None
            return found[0]

    def end(self, key: str) -> None:
        """Forget the value kept for ``key``."""
        with self._lock:
            self._found.pop(key, None)
