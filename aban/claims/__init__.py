"""The claims ledger: published toll figures beside the register's own figures.

* :mod:`aban.claims.parse` reads a claims CSV (its rules are in that module);
* :mod:`aban.claims.importer` stores it, all or nothing, once per file content;
* :mod:`aban.claims.figures` counts the register (by grade, by identification
  level, the enumerated minimum and upper end) and reads the latest estimate;
* :mod:`aban.claims.snapshots` freezes those figures (each publication does);
* :mod:`aban.claims.ledger` sets everything side by side, with chart series.
"""

from __future__ import annotations

from aban.claims.figures import (
    EstimateFigures,
    RegisterFigures,
    latest_estimate,
    register_figures,
)
from aban.claims.importer import ClaimsImportResult, import_claims, stored_claims
from aban.claims.ledger import Ledger, load_ledger
from aban.claims.parse import Claim, ClaimsFile, read_claims
from aban.claims.snapshots import Snapshot, freeze_snapshot, list_snapshots

__all__ = [
    "Claim",
    "ClaimsFile",
    "ClaimsImportResult",
    "EstimateFigures",
    "Ledger",
    "RegisterFigures",
    "Snapshot",
    "freeze_snapshot",
    "import_claims",
    "latest_estimate",
    "list_snapshots",
    "load_ledger",
    "read_claims",
    "register_figures",
    "stored_claims",
]
