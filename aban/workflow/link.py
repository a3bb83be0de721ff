"""Link then grade: records into persons, and every person graded again.

Linking changes who is who, so grades computed before it are stale; ``aban link``,
the demo and the web app (its runs page) all run both steps through
:func:`link_and_grade` so the register never holds persons without fresh grades.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aban.grade.register import GradeRun, grade_workspace
from aban.grade.rules import GradingRules, load_rules
from aban.linkage.register import Linker, LinkSummary, Progress, link_workspace
from aban.store.workspace import Workspace


@dataclass(frozen=True)
class LinkAndGrade:
    """What a link run and the grading after it found."""

    link: LinkSummary
    grades: GradeRun

    @property
    def head(self) -> str:
        """The audit head after both runs."""
        return self.grades.head

    def to_dict(self) -> dict[str, Any]:
        """``aban link --json``: the link summary, the headline grades and the head."""
        headline = self.grades.headline
        grades = {
            "persons_by_grade": headline.persons_by_grade,
            "minimum": headline.minimum,
            "upper": headline.upper,
        }
        return {**self.link.to_dict(), "grades": grades, "head": self.head}


def link_and_grade(
    ws: Workspace,
    *,
    threshold: float | None = None,
    engine: str = "duckdb",
    seed: int = 1,
    progress: Progress | None = None,
    rules: GradingRules | None = None,
    linker: Linker | None = None,
    before_grading: Callable[[], None] | None = None,
) -> LinkAndGrade:
    """Link every record of the register into persons, then grade every person.

    Args:
        ws: an open workspace.
        threshold: match probability from which a pair links (the settings' when
            None).
        engine: the linkage backend (``duckdb`` or ``spark``).
        seed: the seed of the linkage model's random sampling.
        progress: called with each stage's name as linking goes on.
        rules: the grading rules; the workspace's when None.
        linker: a stand-in for the linkage engine (tests).
        before_grading: called when linking is done and grading begins (the web
            app's progress).

    Returns:
        The link summary and the grade run, each stored and audited in the register.
    """
    rules = load_rules(ws.path) if rules is None else rules
    summary = link_workspace(
        ws,
        threshold=threshold,
        engine=engine,
        seed=seed,
        progress=progress,
        linker=linker,
    )
    if before_grading is not None:
        before_grading()
    return LinkAndGrade(summary, grade_workspace(ws, rules))
