"""The demo: the pipeline on a synthetic scenario, in a folder of its own.

Everything here is synthetic: names are drawn from common Persian names, never from any
list of victims. The demo passphrase is public ("demo"); never use it for real data.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from aban.analysis.report import Analysis
from aban.analysis.workspace import analyse_workspace
from aban.claims.importer import import_claims
from aban.claims.ledger import Ledger, load_ledger
from aban.claims.snapshots import freeze_snapshot
from aban.detention.cases import DetentionReport
from aban.detention.register import import_detention_events, workspace_detentions
from aban.errors import WorkspaceError
from aban.estimate.strata import (
    LcmcrSettings,
    StrataResult,
    StratumHistories,
    estimate_strata,
)
from aban.grade.register import GradeRun
from aban.grade.rules import load_rules
from aban.ingest.importer import ImportResult, import_file
from aban.linkage.register import LinkSummary
from aban.sim.vocab import DIED_IN_CUSTODY, KILLED
from aban.simulate import Scenario, SimulationSettings, simulate, write_scenario
from aban.site.build import Publication
from aban.site.demo import publish_demo
from aban.store import audit
from aban.store.sources import update_source
from aban.store.status import Status, register_status
from aban.store.workspace import Workspace, create_workspace
from aban.workflow.estimate import WorkspaceEstimate, estimate_workspace
from aban.workflow.link import link_and_grade

DEMO_PASSPHRASE = "demo"
MARKER = ".aban-demo"
DEMO_SETTINGS = SimulationSettings(persons=1500, sources=4, seed=1398)
#: LCMCR settings of the demo's estimates (small: the demo must stay quick).
DEMO_LCMCR = LcmcrSettings(burnin=10_000, samples=1_000, thinning=10)
#: The model case's event and published claims (examples/iran-2019-11).
MODEL_CASE = "iran-2019-11"
#: Detention alerts are computed as of this date (the simulated events' time).
DEMO_AS_OF = dt.date(2020, 1, 31)


def examples_dir() -> Path:
    """The shipped examples: inside the package when installed, else the repo's."""
    inside = Path(__file__).parent / "examples"
    return inside if inside.is_dir() else Path(__file__).parents[1] / "examples"


@dataclass
class DemoResult:
    """Where the demo put things and what it found."""

    folder: Path
    scenario_dir: Path
    workspace: Path
    true_persons: int
    true_killed: int = 0
    imports: list[ImportResult] = field(default_factory=list)
    status: Status | None = None
    link: LinkSummary | None = None
    grades: GradeRun | None = None
    estimate: WorkspaceEstimate | None = None
    reference: StrataResult | None = None
    ledger: Ledger | None = None
    detentions: DetentionReport | None = None
    analysis: Analysis | None = None
    site: Publication | None = None
    head: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "scenario": str(self.scenario_dir),
            "workspace": str(self.workspace),
            "true_persons": self.true_persons,
            "true_killed": self.true_killed,
            "imports": [r.to_dict() for r in self.imports],
            "status": self.status.to_dict() if self.status else None,
            "link": self.link.to_dict() if self.link else None,
            "grades": self.grades.to_dict() if self.grades else None,
            "ledger": self.ledger.to_dict() if self.ledger else None,
            "detentions": self.detentions.to_dict() if self.detentions else None,
            "analysis": self.analysis.to_dict() if self.analysis else None,
            "estimate": self.estimate.to_dict() if self.estimate else None,
            "reference": self.reference.to_dict() if self.reference else None,
            "site": self.site.to_dict() if self.site else None,
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


def _killed(scenario: Scenario) -> np.ndarray:
    """Which simulated persons the toll counts (killed or died in custody)."""
    status = scenario.population.status
    return np.asarray((status == KILLED) | (status == DIED_IN_CUSTODY))


def _true_histories_estimate(scenario: Scenario) -> StrataResult:
    """The same estimator on the true capture histories (perfect linkage)."""
    names = tuple(t.spec.name for t in scenario.tables)
    captures = scenario.captures[_killed(scenario)]
    listed = captures[captures.any(axis=1)]
    patterns, counts = np.unique(listed.astype(np.int8), axis=0, return_counts=True)
    strata = [StratumHistories("all", patterns, counts.astype(np.int64))]
    return estimate_strata(strata, names, lcmcr=DEMO_LCMCR)


def _import_lists(
    ws: Workspace, scenario: Scenario, result: DemoResult, say: Callable[[str], None]
) -> None:
    """Import every source's records and mark each source as a systematic list."""
    for table in scenario.tables:
        say(f"importing {table.spec.name}")
        path = result.scenario_dir / "sources" / f"{table.spec.name}.csv"
        result.imports.append(import_file(ws, path, source=table.spec.name))
        info = table.to_dict()
        update_source(
            ws,
            table.spec.name,
            kind=info["kind"],
            is_list=True,
            protected=bool(info["protected"]),
            group=table.spec.name,
        )


def _add_event(ws: Workspace) -> None:
    """Append the model case's event definition to the workspace's aban.toml."""
    event = (examples_dir() / MODEL_CASE / "event.toml").read_text("utf-8")
    config = ws.path / "aban.toml"
    config.write_text(config.read_text("utf-8") + "\n" + event, encoding="utf-8")


def _ledger_and_cases(
    ws: Workspace, result: DemoResult, say: Callable[[str], None]
) -> None:
    """Claims ledger (the model case's claims), detention cases and the analysis."""
    say("importing the model case's published claims and freezing the figures")
    import_claims(ws, examples_dir() / MODEL_CASE / "claims.csv")
    freeze_snapshot(ws, "demo")
    result.ledger = load_ledger(ws.conn, load_rules(ws.path))
    say("importing detention events")
    import_detention_events(
        ws, result.scenario_dir / "detentions.csv", create_sources=True
    )
    result.detentions = workspace_detentions(ws, DEMO_AS_OF)
    result.analysis = analyse_workspace(ws)


def run_demo(
    folder: Path,
    settings: SimulationSettings = DEMO_SETTINGS,
    progress: Callable[[str], None] | None = None,
) -> DemoResult:
    """Simulate a crackdown and run the pipeline on it.

    Imports every source's list, links and grades the records, estimates the
    total, imports the model case's published claims beside the register's
    figures, imports the detention events, analyses the killings and publishes
    the register as a static site.

    Args:
        folder: where to put ``scenario/`` (synthetic lists and truth),
            ``workspace/`` (the encrypted register, passphrase "demo") and
            ``site/`` (the published memorial, report and open data).
        settings: the simulation settings (default: 1,500 persons, 4 sources).
        progress: called with a short message before each step.
    """
    say = progress or (lambda _message: None)
    _prepare_folder(folder)
    say("simulating a crackdown (synthetic names only)")
    scenario = simulate(settings)
    result = DemoResult(
        folder,
        folder / "scenario",
        folder / "workspace",
        scenario.population.size,
        int(_killed(scenario).sum()),
    )
    write_scenario(scenario, result.scenario_dir)
    say("creating the encrypted workspace")
    with create_workspace(result.workspace, DEMO_PASSPHRASE) as ws:
        _add_event(ws)
        _import_lists(ws, scenario, result, say)
        say("linking records into persons and grading them")
        linked = link_and_grade(ws)
        result.link, result.grades = linked.link, linked.grades
        say("estimating the total from the linked persons (LCMCR)")
        result.estimate = estimate_workspace(ws, lcmcr=DEMO_LCMCR)
        _ledger_and_cases(ws, result, say)
        say("publishing the memorial, report and open data (synthetic names)")
        result.site = publish_demo(ws, folder)
        result.status = register_status(ws.conn)
        result.head = audit.head(ws.conn)
    say("estimating the total from the true capture histories")
    result.reference = _true_histories_estimate(scenario)
    return result
