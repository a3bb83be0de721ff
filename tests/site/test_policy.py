"""The publication policy: defaults, validation, one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from aban.errors import ConfigError
from aban.site.policy import (
    DEFAULT_FIELDS,
    PublicationPolicy,
    load_policy,
    policy_from_mapping,
)


def test_defaults_without_a_publication_table(tmp_path: Path) -> None:
    policy = load_policy(tmp_path)
    assert policy == PublicationPolicy()
    assert policy.fields == DEFAULT_FIELDS
    assert "national_id" not in policy.fields
    assert policy.grades == ("confirmed", "corroborated", "single-source")
    assert policy.default_consent == "public-without-name"
    assert (policy.story, policy.portraits, policy.contact) == ("", False, "")
    assert policy.min_cell == 3


def test_a_valid_table_in_aban_toml(tmp_path: Path) -> None:
    (tmp_path / "aban.toml").write_text(
        "[publication]\n"
        'fields = ["grade", "name", "age"]\n'
        'grades = ["corroborated", "confirmed"]\n'
        'default_consent = "withheld"\n'
        'story = "circumstances"\nportraits = true\n'
        'contact = "corrections@example.org"\ntitle = "  A memorial "\n'
        "min_cell = 5\n",
        encoding="utf-8",
    )
    policy = load_policy(tmp_path)
    # Fields and grades are kept in the fixed order, whatever order they are given.
    assert policy.fields == ("name", "age", "grade")
    assert policy.grades == ("confirmed", "corroborated")
    assert policy.default_consent == "withheld"
    assert policy.story == "circumstances" and policy.portraits is True
    assert policy.contact == "corrections@example.org"
    assert policy.title == "A memorial"
    assert policy.to_dict()["fields"] == ["name", "age", "grade"]
    assert policy.min_cell == 5 and policy.to_dict()["min_cell"] == 5


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            {"colour": "red"},
            "unknown key 'colour' (known: fields, grades, "
            "default_consent, story, portraits, contact, title, min_cell, "
            "honorifics, stories)",
        ),
        (
            {"fields": ["name", "informant"]},
            "field 'informant' is protected and never published",
        ),
        ({"fields": ["contact"]}, "field 'contact' is protected and never published"),
        (
            {"fields": ["notes_private"]},
            "field 'notes_private' is protected and never published",
        ),
        ({"fields": "name"}, "fields must be a list of text"),
        (
            {"fields": ["nickname"]},
            "unknown field 'nickname' in fields (known: "
            "name, father_name, age, birth_date, sex, city, province, date_of_death, "
            "cause, injury_location, alleged_force, occupation, identification, grade, "
            "national_id)",
        ),
        (
            {"grades": ["confirmed", "discounted"]},
            "discounted persons are never published; remove it from grades",
        ),
        ({"grades": ["verified"]}, "unknown grade 'verified' in grades"),
        ({"grades": []}, "grades must name at least one grade"),
        (
            {"default_consent": "yes"},
            "default_consent must be one of public, public-without-name, withheld",
        ),
        ({"story": "notes_private"}, 'story must be "" or one of circumstances'),
        ({"portraits": "yes"}, "portraits must be true or false"),
        ({"honorifics": "no"}, "honorifics must be true or false"),
        ({"contact": "mail me"}, "contact must be an address without spaces or quotes"),
        ({"title": 3}, "title must be text of at most 200 characters on one line"),
        (
            {"title": "a\x00b"},
            "title must be text of at most 200 characters on one line",
        ),
        *(
            (
                {"min_cell": value},
                "min_cell must be a whole number of at least 3 (a smaller "
                "count could point at a family)",
            )
            for value in (2, 1, 0, -3, "3", 3.0, True)
        ),
    ],
)
def test_invalid_tables_are_one_line_errors(
    table: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        policy_from_mapping(table, "ws/aban.toml")
    assert str(caught.value) == f"ws/aban.toml: [publication] {message}"


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ConfigError) as caught:
        policy_from_mapping(
            {"fields": ["informant"], "default_consent": "x", "portraits": 1}, "w"
        )
    text = str(caught.value)
    assert "\n" not in text
    assert text.count(";") == 2
    assert "informant" in text and "default_consent" in text and "portraits" in text


def test_a_publication_key_that_is_not_a_table(tmp_path: Path) -> None:
    (tmp_path / "aban.toml").write_text('publication = "all"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[publication\] must be a table"):
        load_policy(tmp_path)


def test_every_publication_key_is_documented() -> None:
    import dataclasses

    docs = (Path(__file__).resolve().parents[2] / "docs" / "settings.md").read_text()
    for f in dataclasses.fields(PublicationPolicy):
        assert f"| `{f.name}` |" in docs, f.name
    assert "fewer than 3" in docs
