"""The comparisons' levels carry their own labels and starting m and u (issue 12)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from aban.linkage import model
from aban.linkage.comparisons import COMPARISONS, LEVELS


def test_every_comparison_has_levels_in_model_order() -> None:
    assert list(LEVELS) == list(COMPARISONS)


@pytest.mark.parametrize("name", list(LEVELS))
def test_levels_are_named_and_carry_their_defaults(name: str) -> None:
    levels = LEVELS[name]
    labels = [level.label for level in levels]
    assert len(set(labels)) == len(labels), f"{name}: labels repeat"
    null, *rest = levels
    assert null.kind == "null" and null.m is None and null.u is None
    assert rest[-1].kind == "else"
    for level in rest:
        assert level.kind != "null"
        assert level.m is not None and 0 < level.m < 1, (name, level.label)
        assert level.u is not None and 0 < level.u < 1, (name, level.label)
    assert math.isclose(sum(level.m or 0 for level in rest), 1.0)


def _splink_levels(frequencies: bool) -> dict[str, list[dict[str, Any]]]:
    built = model.settings(frequencies=frequencies).get_settings("duckdb").as_dict()
    return {
        c["output_column_name"]: c["comparison_levels"] for c in built["comparisons"]
    }


@pytest.mark.parametrize("frequencies", [True, False])
def test_splink_levels_are_built_from_the_table(frequencies: bool) -> None:
    built = _splink_levels(frequencies)
    assert list(built) == list(LEVELS)
    for name, levels in LEVELS.items():
        assert len(built[name]) == len(levels)
        for level, made in zip(levels, built[name], strict=True):
            assert made["label_for_charts"] == level.label
            assert made.get("is_null_level", False) == (level.kind == "null")
            assert made.get("m_probability") == level.m
            assert made.get("u_probability") == level.u
            weighted = frequencies and level.frequency
            assert made.get("tf_adjustment_column") == (
                level.column if weighted else None
            )
