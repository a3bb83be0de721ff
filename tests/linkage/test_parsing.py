"""Splink's answers about the levels' SQL, kept per condition (issue 16)."""

from __future__ import annotations

import pytest

from aban.linkage import model
from aban.linkage.parsing import ORIGINAL, memoise_splink_parsing


def _levels(dialect: str) -> list:
    from splink.internals.settings_creator import SettingsCreator

    settings = model.settings()
    assert isinstance(settings, SettingsCreator)
    return [
        level
        for comparison in settings.get_settings(dialect).comparisons
        for level in comparison.comparison_levels
    ]


@pytest.mark.parametrize("dialect", ["duckdb", "spark"])
def test_the_kept_answers_are_splinks(dialect: str) -> None:
    memoise_splink_parsing()
    memoise_splink_parsing()
    levels = _levels(dialect)
    exact = [level for level in levels if level._is_exact_match]
    assert 20 <= len(exact) < len(levels)
    for level in levels:
        assert level._is_exact_match == ORIGINAL["exact"](level)
    for level in exact:
        columns = level._exact_match_colnames
        assert columns == ORIGINAL["columns"](level)
        columns.append("changed by a caller")
        assert level._exact_match_colnames == ORIGINAL["columns"](level)


def test_a_condition_that_does_not_parse_fails_every_time() -> None:
    import splink.comparison_level_library as cll

    memoise_splink_parsing()
    for _ in range(2):
        with pytest.raises(ValueError, match="Error parsing sql_statement"):
            cll.CustomLevel("given_l = (").get_comparison_level("duckdb")


@pytest.mark.parametrize("dialect", ["duckdb", "spark"])
def test_the_kept_column_references_are_splinks(dialect: str) -> None:
    from dataclasses import replace

    from splink.internals.input_column import SqlglotColumnTreeBuilder

    memoise_splink_parsing()
    names = ["given_sk", "group", "first name", "coordinates['lat']", "a[1]"]
    for name in names:
        kept = SqlglotColumnTreeBuilder.from_raw_column_name_or_column_reference(
            name, dialect
        )
        again = SqlglotColumnTreeBuilder.from_raw_column_name_or_column_reference(
            name, dialect
        )
        splinks = ORIGINAL["column_parse"](SqlglotColumnTreeBuilder, name, dialect)
        assert kept == again == splinks
        for reference in (kept, replace(kept, table="l", alias=f"{name}_l")):
            assert reference.sql == ORIGINAL["column_sql"](reference)
