"""aban: a documentation, verification and estimation system for crackdown victims.

Library first: everything the command line does is callable from here.
"""

from __future__ import annotations

from aban.config import Settings, load_settings
from aban.errors import (
    AbanError,
    AuditError,
    ConfigError,
    EstimationError,
    IngestError,
    LinkageError,
    NotConvergedError,
    SiteBuildError,
    StoreError,
    WorkspaceError,
    WrongPassphraseError,
)
from aban.ingest.importer import ImportResult, import_file
from aban.ingest.issues import ISSUE_CODES, Issue
from aban.ingest.mapping import ColumnMapping, load_mapping
from aban.simulate import Scenario, SimulationSettings, simulate, write_scenario
from aban.store.integrity import verify_register
from aban.store.status import Status, register_status
from aban.store.workspace import Workspace, create_workspace, open_workspace

__version__ = "0.1.0"
__all__ = [
    "AbanError",
    "AuditError",
    "ColumnMapping",
    "ConfigError",
    "EstimationError",
    "ISSUE_CODES",
    "ImportResult",
    "IngestError",
    "Issue",
    "LinkageError",
    "NotConvergedError",
    "Scenario",
    "Settings",
    "SimulationSettings",
    "SiteBuildError",
    "Status",
    "StoreError",
    "Workspace",
    "WorkspaceError",
    "WrongPassphraseError",
    "__version__",
    "create_workspace",
    "import_file",
    "load_mapping",
    "load_settings",
    "open_workspace",
    "register_status",
    "simulate",
    "verify_register",
    "write_scenario",
]
