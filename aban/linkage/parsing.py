"""Splink's parsing of SQL and column names, done once per text.

Splink asks of a comparison level whether its SQL condition is an exact match
(and on which columns), and checks that it parses, by parsing the condition with
sqlglot and normalising it, every time it is asked: for every level when an EM
session starts, for the levels before each frequency-weighted level whenever it
writes the scoring SQL, and for every level of each linker. aban's name levels
are long conditions (the one-name test is in three of them), so at 10,000
records this was about half a second of a link's CPU, for answers that depend
only on the condition's text and its SQL dialect. Likewise it parses a column's
name each time it makes a column of it, and writes a column reference's SQL with
sqlglot at each use (a link of 10,000 records parsed 1,861 times with the
levels' answers kept, 630 with the columns' too).
:func:`memoise_splink_parsing` keeps each answer (Splink keeps the columns a
condition reads the same way).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

#: Splink's own functions (``exact``, ``columns``, ``validate``, ``column_sql``,
#: ``column_parse``), once memoised.
ORIGINAL: dict[str, Callable[..., Any]] = {}


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


def memoise_splink_parsing() -> None:
    """Keep Splink's answers about each level's SQL condition (see the module
    docstring): whether it is an exact match, its exact-match columns, and that
    it parses (a condition that fails to parse raises each time, as before); and
    each column name's parse and column reference's SQL. Idempotent; the answers
    are the ones Splink gives."""
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
    _memoise_columns()


def _memoise_columns() -> None:
    """Keep Splink's parse of each column name and the SQL of each column
    reference: a reference is a frozen dataclass (name, table, alias, quotes),
    whose SQL Splink wrote with sqlglot at every use (over a thousand times a link,
    for about thirty columns)."""
    from splink.internals.input_column import SqlglotColumnTreeBuilder

    builder: Any = SqlglotColumnTreeBuilder
    write = builder.sql.fget
    parse = builder.from_raw_column_name_or_column_reference.__func__
    parse_once: Any = functools.cache(parse)
    builder.sql = property(functools.cache(write))
    builder.from_raw_column_name_or_column_reference = classmethod(parse_once)
    ORIGINAL.update(column_sql=write, column_parse=parse)
