"""One neutralisation for every CSV aban writes (issue 13, item 3)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from aban.export import neutralise as export_neutralise
from aban.text.spreadsheet import FORMULA_STARTS, neutralise


@given(st.text())
def test_nothing_neutralised_starts_a_formula(text: str) -> None:
    out = neutralise(text)
    assert not out.startswith(FORMULA_STARTS)
    assert out == text or out == "'" + text


def test_full_width_signs_and_line_breaks_are_formula_starts() -> None:
    for sign in ("＝", "＋", "－", "＠", "\n", "\r", "\t"):
        assert neutralise(sign + "1") == "'" + sign + "1"


def test_the_export_uses_the_same_function() -> None:
    assert export_neutralise is neutralise
