"""The analysis of a workspace: persons from the register, settings from aban.toml.

Reads ``persons`` (grade and canonical values) and the ``[event]`` and
``[analysis]`` tables of aban.toml; writes nothing. ``[analysis]`` has one key::

    [analysis]
    age_bands = [18, 30, 45]   # lower bounds after 0: bands 0-17, 18-29, 30-44, 45+
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from aban.analysis.breakdowns import DEFAULT_AGE_BOUNDS, age_bands
from aban.analysis.report import Analysis, By, analyse
from aban.analysis.victims import Victim, victim_from_canonical
from aban.config import CONFIG_NAME, load_section
from aban.errors import ConfigError
from aban.event import load_event
from aban.store.db import Connection
from aban.store.rows import persons_where
from aban.store.workspace import Workspace

_KEYS = ("age_bands",)


def load_victims(conn: Connection) -> list[Victim]:
    """Every person of the register as an analysis row, in person order."""
    persons = persons_where(conn, select=("person_id", "grade", "canonical"))
    return [
        victim_from_canonical(str(p["person_id"]), str(p["grade"]), p["canonical"])
        for p in persons
    ]


def load_age_bounds(workspace: Path) -> tuple[int, ...]:
    """The age bands' lower bounds from ``[analysis] age_bands`` (else the default).

    Raises:
        ConfigError: an unknown key, or bounds that are not increasing whole
            numbers above 0 including 18.
    """
    where = f"{workspace / CONFIG_NAME}: [analysis]"
    table = load_section(workspace, "analysis")
    unknown = sorted(set(table) - set(_KEYS))
    if unknown:
        raise ConfigError(f"{where} unknown key {unknown[0]!r} (known: age_bands)")
    bounds = table.get("age_bands", DEFAULT_AGE_BOUNDS)
    if not isinstance(bounds, list | tuple):
        raise ConfigError(f"{where} age_bands must be a list such as [18, 30, 45]")
    try:
        age_bands(bounds)
    except ConfigError as err:
        raise ConfigError(f"{where} {err}") from err
    return tuple(bounds)


def analyse_workspace(ws: Workspace, by: Sequence[By] | None = None) -> Analysis:
    """Analyse the killed persons of an open workspace (reads only).

    Args:
        ws: the workspace.
        by: the breakdowns to compute (all when None).

    Raises:
        ConfigError: the ``[event]`` or ``[analysis]`` table of aban.toml is
            invalid.
    """
    event = load_event(ws.path)
    bounds = load_age_bounds(ws.path)
    return analyse(load_victims(ws.conn), event, by, bounds)
