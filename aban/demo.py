"""The demo: the pipeline on a synthetic scenario, in a folder of its own.

Everything here is synthetic: names are drawn from common Persian names, never from any
list of victims. The demo passphrase is public ("demo"); never use it for real data.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from aban.errors import WorkspaceError
from aban.estimate.result import Estimate
from aban.estimate.selection import loglinear_estimate
from aban.ingest.importer import ImportResult, import_file
from aban.simulate import Scenario, SimulationSettings, simulate, write_scenario
from aban.store import audit
from aban.store.db import transaction
from aban.store.sources import set_source
from aban.store.status import Status, register_status
from aban.store.workspace import create_workspace

DEMO_PASSPHRASE = "demo"
MARKER = ".aban-demo"
DEMO_SETTINGS = SimulationSettings(persons=1500, sources=4, seed=1398)


@dataclass
class DemoResult:
    """Where the demo put things and what it found."""

    folder: Path
    scenario_dir: Path
    workspace: Path
    true_persons: int
    imports: list[ImportResult] = field(default_factory=list)
    status: Status | None = None
    estimate: Estimate | None = None
    head: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "scenario": str(self.scenario_dir),
            "workspace": str(self.workspace),
            "true_persons": self.true_persons,
            "imports": [r.to_dict() for r in self.imports],
            "status": self.status.to_dict() if self.status else None,
            "estimate": self.estimate.to_dict() if self.estimate else None,
            "head": self.head,
        }


def _prepare_folder(folder: Path) -> None:
    """Make ``folder`` empty: refuse a folder that is not an earlier demo."""
    if folder.exists() and any(folder.iterdir()):
        if not (folder / MARKER).is_file():
            raise WorkspaceError(
                f"{folder}: folder exists and is not an aban demo; "
                "choose another folder"
            )
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("made by 'aban demo'; safe to delete\n")


def _true_histories_estimate(scenario: Scenario) -> Estimate:
    names = tuple(t.spec.name for t in scenario.tables)
    histories = scenario.histories()
    patterns = np.array([p for p, _ in histories], dtype=np.int8)
    counts = np.array([c for _, c in histories], dtype=np.int64)
    return loglinear_estimate(patterns, counts, names)


def run_demo(
    folder: Path,
    settings: SimulationSettings = DEMO_SETTINGS,
    progress: Callable[[str], None] | None = None,
) -> DemoResult:
    """Simulate a crackdown, create a workspace and import every source's list.

    Args:
        folder: where to put ``scenario/`` (synthetic lists and truth) and
            ``workspace/`` (the encrypted register, passphrase "demo").
        settings: the simulation settings (default: 1,500 persons, 4 sources).
        progress: called with a short message before each step.
    """
    say = progress or (lambda _message: None)
    _prepare_folder(folder)
    say("simulating a crackdown (synthetic names only)")
    scenario = simulate(settings)
    result = DemoResult(
        folder, folder / "scenario", folder / "workspace", scenario.population.size
    )
    write_scenario(scenario, result.scenario_dir)
    say("creating the encrypted workspace")
    with create_workspace(result.workspace, DEMO_PASSPHRASE) as ws:
        for table in scenario.tables:
            say(f"importing {table.spec.name}")
            path = result.scenario_dir / "sources" / f"{table.spec.name}.csv"
            result.imports.append(import_file(ws, path, source=table.spec.name))
            info = table.to_dict()
            with transaction(ws.conn):
                changes = set_source(
                    ws.conn, table.spec.name, kind=info["kind"], is_list=True,
                    protected=bool(info["protected"]), group=table.spec.name,
                )  # fmt: skip
                ws.record_audit("source-set", {"source": table.spec.name, **changes})
        result.status = register_status(ws.conn)
        result.head = audit.head(ws.conn)
    say("estimating the total from the true capture histories")
    result.estimate = _true_histories_estimate(scenario)
    return result
