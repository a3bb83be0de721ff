"""Identification levels (DESIGN.md 3): full name, partial name, descriptors, none."""

from __future__ import annotations

from typing import Any

import pytest

from aban.grade import identification_level, person_level


@pytest.mark.parametrize(
    ("values", "level"),
    [
        ({"given_name": "Ali", "family_name": "Karimi"}, "full_name"),
        ({"full_name": "Ali Karimi"}, "full_name"),
        ({"full_name": "علی کریمی"}, "full_name"),
        ({"full_name": "  Ali   Karimi "}, "full_name"),
        ({"full_name": "Ali"}, "partial_name"),
        ({"given_name": "Ali"}, "partial_name"),
        ({"family_name": "Karimi", "age": 30}, "partial_name"),
        # One word, however it is joined: a compound given name only.
        ({"full_name": "Mohammad-Reza"}, "partial_name"),
        ({"full_name": "محمد\u200cرضا"}, "partial_name"),
        ({"age": 17}, "descriptors_only"),
        ({"sex": "f"}, "descriptors_only"),
        ({"city": "Karaj"}, "descriptors_only"),
        ({"province": "Fars"}, "descriptors_only"),
        ({"injury_location": "head"}, "descriptors_only"),
        ({"father_name": "Hassan"}, "descriptors_only"),
        ({"age": 0}, "descriptors_only"),
        ({}, "unidentified"),
        ({"status": "killed", "date_of_death": "2019-11-16"}, "unidentified"),
        ({"full_name": "  ", "given_name": None, "age": ""}, "unidentified"),
    ],
)
def test_levels(values: dict[str, Any], level: str) -> None:
    assert identification_level(values) == level


def test_a_person_combines_its_records() -> None:
    records = [
        {"given_name": "Sara", "city": "Isfahan"},
        {"family_name": "Jafari"},
    ]
    assert person_level(records) == "full_name"
    assert person_level([{"full_name": "Sara"}, {"full_name": "Sara Jafari"}]) == (
        "full_name"
    )
    assert person_level([{"full_name": "Sara"}, {"age": 27}]) == "partial_name"
    assert person_level([{"age": None}, {"sex": "f"}]) == "descriptors_only"
    assert person_level([]) == "unidentified"
