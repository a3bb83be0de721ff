"""Splink's parsing of the levels' SQL, done once per condition.

Splink asks of a comparison level whether its SQL condition is an exact match
(and on which columns), and checks that it parses, by parsing the condition with
sqlglot and normalising it, every time it is asked: for every level when an EM
session starts, for the levels before each frequency-weighted level whenever it
writes the scoring SQL, and for every level of each linker. aban's name levels
are long conditions (the one-name test is in three of them), so at 10,000
records this was about half a second of a link's CPU, for answers that depend
only on the condition's text and its SQL dialect. :func:`memoise_level_parsing`
keeps each answer (Splink keeps the columns a condition reads the same way).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: Splink's own answers (``exact``, ``columns``, ``validate``), once memoised.
ORIGINAL: dict[str, Callable[[Any], Any]] = {}


def _key(level: Any) -> tuple[str, str]:
    return (level.sql_condition, level.sqlglot_dialect)


def _answers(compute: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``compute(level)`` kept per condition; a list is copied for each caller."""
    kept: dict[tuple[str, str], Any] = {}

    def answer(level: Any) -> Any:
        key = _key(level)
        if key not in kept:
            kept[key] = compute(level)
        found = kept[key]
        return list(found) if isinstance(found, list) else found

    return answer


def memoise_level_parsing() -> None:
    """Keep Splink's answers about each level's SQL condition (see the module
    docstring): whether it is an exact match, its exact-match columns, and that
    it parses (a condition that fails to parse raises each time, as before).
    Idempotent; the answers are the ones Splink gives."""
    if ORIGINAL:
        return
    from splink.internals.comparison_level import ComparisonLevel

    # Any: Splink's own attributes, replaced by ones that give the same answers.
    level_class: Any = ComparisonLevel
    exact = level_class._is_exact_match.fget
    columns = level_class._exact_match_colnames.fget
    validate = level_class._validate_sql
    parsed: set[tuple[str, str]] = set()

    def validate_once(level: Any) -> bool:
        key = _key(level)
        if key not in parsed:
            validate(level)
            parsed.add(key)
        return True

    level_class._is_exact_match = property(_answers(exact))
    level_class._exact_match_colnames = property(_answers(columns))
    level_class._validate_sql = validate_once
    ORIGINAL.update(exact=exact, columns=columns, validate=validate)
