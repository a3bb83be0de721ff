"""What pattern the killings show: by day, place, age, sex, injury, force.

Pure functions on analysis rows (:class:`Victim`) return frozen tables whose
rows add up to their totals, counted by verification grade (discounted persons
apart, never in a total). :func:`analyse_workspace` reads a workspace's persons
and event; everything else does no I/O.
"""

from __future__ import annotations

from aban.analysis.breakdowns import (
    DEFAULT_AGE_BOUNDS,
    HEAD_TORSO,
    REGIONS,
    ForceBreakdown,
    HeadTorso,
    InjuryBreakdown,
    age_bands,
    band_of,
    by_age_band,
    by_city,
    by_force,
    by_injury,
    by_province,
    by_sex,
    force_label,
)
from aban.analysis.report import BY, Analysis, Summary, analyse, summarise
from aban.analysis.tables import COUNTED_GRADES, Breakdown, Row, tabulate
from aban.analysis.timeline import WINDOW_DAYS, DayBreakdown, Window, by_day
from aban.analysis.victims import KILLED, Victim, age_years, victim_from_canonical
from aban.analysis.workspace import analyse_workspace, load_age_bounds, load_victims

__all__ = [
    "BY",
    "COUNTED_GRADES",
    "DEFAULT_AGE_BOUNDS",
    "HEAD_TORSO",
    "KILLED",
    "REGIONS",
    "WINDOW_DAYS",
    "Analysis",
    "Breakdown",
    "DayBreakdown",
    "ForceBreakdown",
    "HeadTorso",
    "InjuryBreakdown",
    "Row",
    "Summary",
    "Victim",
    "Window",
    "age_bands",
    "age_years",
    "analyse",
    "analyse_workspace",
    "band_of",
    "by_age_band",
    "by_city",
    "by_day",
    "by_force",
    "by_injury",
    "by_province",
    "by_sex",
    "force_label",
    "load_age_bounds",
    "load_victims",
    "summarise",
    "tabulate",
    "victim_from_canonical",
]
