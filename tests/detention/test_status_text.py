"""Free-text statuses of detainee lists, read into status plus detail (issue 15)."""

from __future__ import annotations

import pytest

from aban.detention.vocab import (
    StatusPart,
    parse_event_word,
    read_status_text,
    sentence_term,
)


def parts(text: str) -> list[tuple[str | None, str | None, str | None]]:
    return [(p.kind, p.term, p.facility) for p in read_status_text(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sentenced to 5 years", [("sentenced", "5 years", None)]),
        (
            "Sentenced to 5 years and 6 months",
            [("sentenced", "5 years 6 months", None)],
        ),
        ("sentenced (1 year)", [("sentenced", "1 year", None)]),
        ("۵ سال حبس", [("sentenced", "5 years", None)]),
        (
            "محکوم به ۱۰ سال زندان و ۷۴ ضربه شلاق",
            [("sentenced", "10 years 74 lashes", None)],
        ),
        ("death sentence", [("death_sentence", None, None)]),
        ("حکم اعدام", [("death_sentence", None, None)]),
        ("اعدام", [("death_sentence", None, None)]),
        ("اعدام شد", [("executed", None, None)]),
        ("transferred to Evin", [("transferred", None, "Evin")]),
        ("Transferred to the Evin Prison.", [("transferred", None, "Evin Prison")]),
        ("منتقل به اوین", [("transferred", None, "اوین")]),
        ("به زندان اوین منتقل شد", [("transferred", None, "زندان اوین")]),
        ("held in Evin", [("detained", None, "Evin")]),
        (
            "in detention, no family visits",
            [("detained", None, None), ("family_access_denied", None, None)],
        ),
        ("بدون ملاقات", [("family_access_denied", None, None)]),
        ("ممنوع‌الملاقات", [("family_access_denied", None, None)]),
        ("no access to a lawyer", [("lawyer_access_denied", None, None)]),
        ("بدون وکیل", [("lawyer_access_denied", None, None)]),
        ("released on bail", [("released_on_bail", None, None)]),
        ("آزاد با وثیقه", [("released_on_bail", None, None)]),
        ("denied bail", [("detained", None, None)]),
        ("released after serving 2 years in prison", [("released", None, None)]),
        ("held incommunicado", [("held_incommunicado", None, None)]),
        ("بدون ارتباط با خانواده", [("held_incommunicado", None, None)]),
        ("whereabouts unknown", [("whereabouts_unknown", None, None)]),
        ("محل نگهداری نامعلوم", [("whereabouts_unknown", None, None)]),
        ("whereabouts denied", [("whereabouts_denied", None, None)]),
        (
            "sentenced to 5 years; transferred to Evin - no access to a lawyer",
            [
                ("sentenced", "5 years", None),
                ("transferred", None, "Evin"),
                ("lawyer_access_denied", None, None),
            ],
        ),
        (
            "در بازداشت، بدون وکیل",
            [("detained", None, None), ("lawyer_access_denied", None, None)],
        ),
        ("awaiting a verdict", [(None, None, None)]),
        ("Unknown", []),
        ("", []),
    ],
)
def test_free_text_statuses(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert parts(text) == expected


def test_whereabouts_unknown_is_no_longer_read_as_denied() -> None:
    assert parse_event_word("whereabouts unknown") == "whereabouts_unknown"
    assert parse_event_word("whereabouts denied") == "whereabouts_denied"


def test_parts_keep_the_text_as_written_and_flag_a_bare_execution_word() -> None:
    assert read_status_text("اعدام") == (
        StatusPart("اعدام", "death_sentence", ambiguous=True),
    )
    assert read_status_text("  transferred   to Evin, ??? ") == (
        StatusPart("transferred to Evin", "transferred", facility="Evin"),
        StatusPart("???", None),
    )


def test_sentence_terms() -> None:
    assert sentence_term("۵ سال و ۶ ماه") == "5 years 6 months"
    assert sentence_term("1 year, 30 lashes") == "1 year 30 lashes"
    assert sentence_term("after a short trial") is None
    assert sentence_term(None) is None
