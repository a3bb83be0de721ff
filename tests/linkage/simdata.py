"""Simulated records with ground truth for the linkage tests (via aban simulate)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from aban.simulate import SimulationSettings, simulate, write_scenario

SEPARATOR = "\x1f"


def read_sources(folder: Path) -> pd.DataFrame:
    """Every records CSV of a simulation as one frame with a ``key`` column."""
    frames = [
        pd.read_csv(path, dtype=str, keep_default_na=False)
        for path in sorted((folder / "sources").glob("*.csv"))
    ]
    records = pd.concat(frames, ignore_index=True)
    records.insert(0, "key", records["source"] + SEPARATOR + records["record_id"])
    return records


def read_truth(folder: Path) -> dict[str, str]:
    """Record key -> true person id."""
    truth = pd.read_csv(folder / "truth" / "records.csv", dtype=str)
    keys = truth["source"] + SEPARATOR + truth["record_id"]
    return dict(zip(keys, truth["person_id"], strict=True))


def simulated(
    folder: Path, persons: int, seed: int, sources: int = 4
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Simulate a crackdown into ``folder``; return its records and their truth."""
    scenario = simulate(SimulationSettings(persons=persons, sources=sources, seed=seed))
    write_scenario(scenario, folder)
    return read_sources(folder), read_truth(folder)
