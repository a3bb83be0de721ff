"""aban: a documentation, verification and estimation system for crackdown victims.

Library first: everything the command line does is callable from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aban.version import __version__

if TYPE_CHECKING:
    from aban.config import Settings, load_settings
    from aban.errors import (
        AbanError,
        AuditError,
        BlobError,
        ConfigError,
        DerivativeError,
        EstimationError,
        EvidenceError,
        IngestError,
        LinkageError,
        NotConvergedError,
        SiteBuildError,
        StoreError,
        WeakPassphraseError,
        WorkspaceError,
        WrongPassphraseError,
    )
    from aban.ingest.importer import ImportResult, import_file
    from aban.ingest.issues import Issue
    from aban.ingest.mapping import ColumnMapping, load_mapping
    from aban.simulate import Scenario, SimulationSettings, simulate, write_scenario
    from aban.store.integrity import verify_register
    from aban.store.passphrase import check_passphrase
    from aban.store.status import Status, register_status
    from aban.store.workspace import Workspace, create_workspace, open_workspace
    from aban.vocab.issues import ISSUE_CODES

# Exports are imported on first use, so that `aban --help` and the command line start
# fast and optional heavy dependencies load only when needed (as splink does).
_EXPORTS = {
    "AbanError": "aban.errors",
    "AuditError": "aban.errors",
    "BlobError": "aban.errors",
    "ColumnMapping": "aban.ingest.mapping",
    "ConfigError": "aban.errors",
    "DerivativeError": "aban.errors",
    "EstimationError": "aban.errors",
    "EvidenceError": "aban.errors",
    "ISSUE_CODES": "aban.vocab.issues",
    "ImportResult": "aban.ingest.importer",
    "IngestError": "aban.errors",
    "Issue": "aban.ingest.issues",
    "LinkageError": "aban.errors",
    "NotConvergedError": "aban.errors",
    "Scenario": "aban.simulate",
    "Settings": "aban.config",
    "SimulationSettings": "aban.simulate",
    "SiteBuildError": "aban.errors",
    "Status": "aban.store.status",
    "StoreError": "aban.errors",
    "WeakPassphraseError": "aban.errors",
    "Workspace": "aban.store.workspace",
    "WorkspaceError": "aban.errors",
    "WrongPassphraseError": "aban.errors",
    "check_passphrase": "aban.store.passphrase",
    "create_workspace": "aban.store.workspace",
    "import_file": "aban.ingest.importer",
    "load_mapping": "aban.ingest.mapping",
    "load_settings": "aban.config",
    "open_workspace": "aban.store.workspace",
    "register_status": "aban.store.status",
    "simulate": "aban.simulate",
    "verify_register": "aban.store.integrity",
    "write_scenario": "aban.simulate",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'aban' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "AbanError",
    "AuditError",
    "BlobError",
    "ColumnMapping",
    "ConfigError",
    "DerivativeError",
    "EstimationError",
    "EvidenceError",
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
    "WeakPassphraseError",
    "Workspace",
    "WorkspaceError",
    "WrongPassphraseError",
    "__version__",
    "check_passphrase",
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
