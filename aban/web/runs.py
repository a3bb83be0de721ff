"""Link and grade from the app: one run at a time, in a background thread.

An analyst starts a run (:meth:`RunManager.start`); a worker thread calls
:func:`aban.workflow.link.link_and_grade`, the function behind ``aban link``, on
the database's run connection (:meth:`aban.web.db.Database.runner`), so reviewers
and documenters keep working while it links. The run's state (who started it and
when, the stage it is at, then its counts and audit head, or its one-line error)
is kept in memory for the runs page and its JSON endpoint. A second start while
a run is going is refused with the running one's state. The review queue reloads
by itself on the next page after a run (:meth:`aban.web.queue.ReviewQueue.refresh`).

Nothing here carries personal data: the engine's progress messages are counts and
stage names, a run's result is counts, and a failure is the error's own one-line
message (errors never name a person) or, for an unexpected error, its kind only.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from aban.errors import AbanError
from aban.linkage.register import Linker
from aban.store.workspace import now
from aban.web.db import Database
from aban.workflow.link import link_and_grade

RunState = Literal["idle", "running", "done", "failed"]
#: The stage a progress message names, by its first words (the engine's words).
STAGES = (
    ("preparing", "preparing"),
    ("training", "training"),
    ("scoring again", "rescoring"),
    ("scoring", "scoring"),
    ("clustering", "clustering"),
    ("components", "clustering"),
)


def stage_of(message: str) -> str:
    """The stage key of an engine progress message (``linking`` when unknown)."""
    for prefix, stage in STAGES:
        if message.startswith(prefix):
            return stage
    return "linking"


@dataclass(frozen=True)
class RunStatus:
    """A run as the runs page shows it (``to_dict`` is ``/api/runs``'s ``run``).

    Attributes:
        state: ``idle`` (none since the app started), ``running``, ``done`` or
            ``failed``.
        number: the runs started since the app started (1 for the first).
        started_by: the account that started it.
        started_at: when (UTC, ISO 8601).
        finished_at: when it ended, if it has.
        stage: ``starting``, ``preparing``, ``training``, ``scoring``,
            ``rescoring``, ``clustering``, ``linking``, ``grading``, then ``done``.
        detail: the engine's last progress message (counts only), in English.
        seconds: how long it has run (or ran).
        result: ``aban link --json`` of the run, when it is done.
        error: the failure, one line, when it failed.
    """

    state: RunState = "idle"
    number: int = 0
    started_by: str = ""
    started_at: str = ""
    finished_at: str | None = None
    stage: str = ""
    detail: str = ""
    seconds: float = 0.0
    result: dict[str, Any] | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def failure(err: BaseException) -> str:
    """A failed run's one line: the error's message, or only its kind."""
    if isinstance(err, AbanError):
        return str(err).splitlines()[0] if str(err) else type(err).__name__
    # Other errors may quote data in their message; their kind says enough.
    return f"the run stopped on an unexpected error ({type(err).__name__})"


class RunManager:
    """The app's link runs: at most one going, and the last one's state.

    Args:
        linker: the linkage engine (``aban.linkage.link_records`` when None);
            tests pass a stand-in.
        clock: seconds, for the elapsed time; tests pass their own.
    """

    def __init__(
        self,
        linker: Linker | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.linker, self.clock = linker, clock
        self._lock = threading.Lock()
        self._status = RunStatus()
        self._began = 0.0
        self._thread: threading.Thread | None = None

    def status(self) -> RunStatus:
        """The current (or last) run's state, with its elapsed time."""
        with self._lock:
            found = self._status
            if found.state == "running":
                found = dataclasses.replace(found, seconds=self.clock() - self._began)
            return found

    def start(self, db: Database, actor: str) -> tuple[bool, RunStatus]:
        """Start a link run as ``actor`` unless one is going.

        Returns:
            Whether it started, and the run's state: the new one, or the one
            going (who started it and when).
        """
        with self._lock:
            if self._status.state == "running":
                return False, self._status
            self._status = RunStatus(
                "running",
                self._status.number + 1,
                actor,
                now(),
                stage="starting",
            )
            self._began = self.clock()
            started = self._status
            self._thread = threading.Thread(
                target=self._run, args=(db, actor), name="aban-link-run", daemon=True
            )
        self._thread.start()
        return True, started

    def wait(self, timeout: float | None = None) -> RunStatus:
        """Wait for the run going to end (tests, shutdown); return its state."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self.status()

    def _update(self, **changes: Any) -> None:
        with self._lock:
            self._status = dataclasses.replace(self._status, **changes)

    def _progress(self, message: object = "", *_args: object, **_kw: object) -> None:
        text = str(message)
        self._update(stage=stage_of(text), detail=text[:200])

    def _run(self, db: Database, actor: str) -> None:
        try:
            with db.runner(actor) as ws:
                done = link_and_grade(
                    ws,
                    progress=self._progress,
                    linker=self.linker,
                    before_grading=lambda: self._update(stage="grading", detail=""),
                )
            result, error, state = done.to_dict(), None, "done"
        except BaseException as err:  # a worker thread: its state must say it ended
            result, error, state = None, failure(err), "failed"
        self._update(
            state=state,
            stage=state,
            finished_at=now(),
            seconds=self.clock() - self._began,
            result=result,
            error=error,
        )
