"""Tables by place, age band, sex, injury and force on the fixed scenario.

Each expected row is (label, confirmed, corroborated, single-source, contested,
discounted), counted by hand from the table in tests/analysis/scenario.py.
"""

from __future__ import annotations

import pytest

from aban.analysis import (
    COUNTED_GRADES,
    DEFAULT_AGE_BOUNDS,
    REGIONS,
    Breakdown,
    Victim,
    age_bands,
    age_years,
    band_of,
    by_age_band,
    by_city,
    by_force,
    by_injury,
    by_province,
    by_sex,
    tabulate,
    victim_from_canonical,
)
from aban.errors import ConfigError
from aban.text import injuries
from aban.workflow.estimate import stratum_of
from tests.analysis.scenario import canonical, victims

Expected = list[tuple[str, int, int, int, int, int]]


def killed() -> list[Victim]:
    return [v for v in victims() if v.status == "killed"]


def rows(table: Breakdown) -> Expected:
    assert table.grades == COUNTED_GRADES
    found = []
    for row in table.rows:
        counts = dict(row.counts)
        found.append((row.label, *(counts[g] for g in COUNTED_GRADES), row.discounted))
    return found  # type: ignore[return-value]


def check_total(table: Breakdown) -> None:
    """No silent drops: the rows add up to the total, grade by grade."""
    assert table.total.total == 10 and table.total.discounted == 2
    assert dict(table.total.counts) == {
        "confirmed": 3,
        "corroborated": 2,
        "single-source": 4,
        "contested": 1,
    }
    for grade in COUNTED_GRADES:
        assert (
            sum(dict(r.counts)[grade] for r in table.rows)
            == dict(table.total.counts)[grade]
        )
    assert sum(r.discounted for r in table.rows) == table.total.discounted


def test_by_province() -> None:
    table = by_province(killed())
    assert rows(table) == [
        ("Fars", 1, 1, 0, 1, 0),
        ("Khuzestan", 0, 1, 1, 0, 0),
        ("Tehran", 1, 0, 1, 0, 1),
        ("Isfahan", 0, 0, 1, 0, 0),
        ("Kermanshah", 0, 0, 1, 0, 0),
        ("Nowhere", 1, 0, 0, 0, 0),
        ("unknown", 0, 0, 0, 0, 1),
    ]
    check_total(table)


def test_by_city() -> None:
    table = by_city(killed())
    assert rows(table) == [
        ("Shiraz", 1, 1, 0, 1, 0),
        ("Bandar-e Mahshahr", 0, 1, 1, 0, 0),
        ("Tehran", 1, 0, 1, 0, 1),
        ("Isfahan", 0, 0, 1, 0, 0),
        ("unknown", 1, 0, 1, 0, 1),
    ]
    check_total(table)


def test_by_age_band() -> None:
    table = by_age_band(killed())
    assert rows(table) == [
        ("0-17", 2, 1, 0, 0, 0),
        ("18-29", 1, 0, 2, 0, 0),
        ("30-44", 0, 1, 0, 0, 1),
        ("45+", 0, 0, 2, 0, 0),
        ("unknown", 0, 0, 0, 1, 1),
    ]
    check_total(table)
    assert table.notes == ("children: the band 0-17 (under 18)",)


def test_age_bands_configurable() -> None:
    table = by_age_band(killed(), [18, 60])
    assert [(r.label, r.total) for r in table.rows] == [
        ("0-17", 3),
        ("18-59", 6),
        ("60+", 0),
        ("unknown", 1),
    ]
    check_total(table)
    assert age_bands([5, 18]) == ("0-4", "5-17", "18+")


@pytest.mark.parametrize("bounds", [[30, 18], [18, 18], [0, 18], [30, 45], [18.5]])
def test_age_bands_refused(bounds: list[int]) -> None:
    with pytest.raises(ConfigError):
        age_bands(bounds)


def test_default_bands_are_the_estimate_bands() -> None:
    for age in range(0, 121):
        canonical = {"fields": {"age": {"value": age}}}
        assert band_of(age) == stratum_of(canonical, "age-band")
    assert band_of(None) is None
    assert DEFAULT_AGE_BOUNDS == (18, 30, 45)


def test_by_sex() -> None:
    table = by_sex(killed())
    assert rows(table) == [
        ("female", 0, 1, 0, 1, 0),
        ("male", 3, 1, 3, 0, 1),
        ("unknown", 0, 0, 1, 0, 1),
    ]
    check_total(table)


def test_by_injury() -> None:
    result = by_injury(killed())
    assert rows(result.table) == [
        ("head", 1, 1, 1, 0, 0),
        ("neck", 0, 0, 1, 0, 0),
        ("chest", 1, 0, 0, 0, 0),
        ("torso", 0, 0, 0, 0, 0),
        ("abdomen", 0, 0, 1, 0, 0),
        ("back", 0, 0, 0, 0, 0),
        ("arms", 0, 0, 0, 1, 0),
        ("legs", 0, 1, 0, 0, 0),
        ("multiple", 0, 0, 0, 0, 1),
        ("unrecognized", 1, 0, 0, 0, 0),
        ("unknown", 0, 0, 1, 0, 1),
    ]
    check_total(result.table)
    head_torso = result.head_torso
    assert dict(head_torso.counts.counts) == {
        "confirmed": 2,
        "corroborated": 1,
        "single-source": 3,
        "contested": 0,
    }
    assert head_torso.counts.total == 6 and head_torso.counts.discounted == 0
    assert head_torso.known == 8
    assert head_torso.share == pytest.approx(0.75)
    assert head_torso.to_dict()["regions"] == [
        "head",
        "neck",
        "chest",
        "torso",
        "abdomen",
        "back",
    ]


def test_regions_are_the_linkage_vocabulary() -> None:
    assert set(REGIONS) == set(injuries._REGIONS)


def test_head_torso_share_without_known_regions() -> None:
    result = by_injury([Victim("P1", "confirmed", "killed", injury_location="x")])
    assert result.head_torso.known == 0 and result.head_torso.share is None


def test_by_force_counts_each_person_once_under_the_forces_it_names() -> None:
    result = by_force(killed())
    assert rows(result.table) == [
        ("security_forces", 1, 0, 0, 0, 0),
        ("police", 0, 0, 1, 0, 0),
        ("irgc", 1, 0, 0, 0, 1),
        ("basij", 0, 1, 0, 0, 0),
        ("plainclothes", 0, 0, 1, 0, 0),
        ("military", 0, 0, 0, 0, 0),
        ("intelligence", 0, 0, 0, 0, 0),
        ("irgc;basij", 1, 0, 1, 0, 0),  # P2 (Persian) and P6 (English)
        ("unrecognized", 0, 0, 0, 1, 0),  # P7: fired from rooftops
        ("unknown", 0, 1, 1, 0, 1),  # P4 "unknown", P8 and P14 none
    ]
    check_total(result.table)
    assert result.by == "force"
    assert result.table.notes[0].startswith("from alleged_force: ")


def test_force_mentions_count_a_person_under_every_force_it_names() -> None:
    mentions = by_force(killed()).mentions
    found = [
        (r.label, *(dict(r.counts)[g] for g in COUNTED_GRADES), r.discounted)
        for r in mentions
    ]
    assert found == [
        ("security_forces", 1, 0, 0, 0, 0),
        ("police", 0, 0, 1, 0, 0),
        ("irgc", 2, 0, 1, 0, 1),  # P1, P2; P6; P9 discounted
        ("basij", 1, 1, 1, 0, 0),  # P2, P3, P6
        ("plainclothes", 0, 0, 1, 0, 0),
        ("military", 0, 0, 0, 0, 0),
        ("intelligence", 0, 0, 0, 0, 0),
    ]
    # P2 and P6 name two forces each: the mentions exceed the 10 persons by 2,
    # less the 3 persons who name none or only unrecognized text.
    assert sum(r.total for r in mentions) == 10 + 2 - 3


def test_force_table_as_json() -> None:
    data = by_force(killed()).to_dict()
    assert data["by"] == "force"
    assert [r["label"] for r in data["rows"]][-3:] == [
        "irgc;basij",
        "unrecognized",
        "unknown",
    ]
    assert data["total"]["total"] == 10
    assert data["mentions"][2] == {
        "label": "irgc",
        "counts": {
            "confirmed": 2,
            "corroborated": 0,
            "single-source": 1,
            "contested": 0,
        },
        "total": 3,
        "discounted": 1,
    }


def test_combinations_rank_by_persons_before_unrecognized_text() -> None:
    people = [
        Victim("P1", "confirmed", "killed", force="police, army"),
        Victim("P2", "confirmed", "killed", force="IRGC; basij"),
        Victim("P3", "confirmed", "killed", force="Basij و سپاه"),
        Victim("P4", "confirmed", "killed", force="Unit 12"),
        Victim("P5", "confirmed", "killed", force="IRGC and Unit 12"),
        Victim("P6", "confirmed", "killed", force="نامعلوم"),
    ]
    table = by_force(people).table
    assert [(r.label, r.total) for r in table.rows[7:]] == [
        ("irgc;basij", 2),
        ("police;military", 1),
        ("unrecognized", 1),
        ("unknown", 1),
    ]
    assert [(r.label, r.total) for r in table.rows[:7] if r.total] == [("irgc", 1)]


def test_unknown_grade_gets_its_own_column() -> None:
    people = [Victim("P1", "pending", "killed", sex="female"), *killed()]
    table = by_sex(people)
    assert table.grades == (*COUNTED_GRADES, "pending")
    assert table.total.total == 11
    assert dict(table.rows[0].counts)["pending"] == 1


def test_tabulate_empty() -> None:
    table = tabulate("sex", [], lambda v: v.sex, ("female", "male"))
    assert [(r.label, r.total, r.discounted) for r in table.rows] == [
        ("female", 0, 0),
        ("male", 0, 0),
        ("unknown", 0, 0),
    ]
    assert table.total.total == 0


def test_places_written_as_not_known_are_unknown() -> None:
    people = [
        victim_from_canonical(
            "P1", "confirmed", canonical({"province": "نامعلوم", "city": "unknown"})
        ),
        victim_from_canonical("P2", "confirmed", canonical({"city": "Tehran"})),
    ]
    assert people[0].province is None and people[0].city is None
    assert (people[1].province, people[1].city) == ("Tehran", "Tehran")
    assert [(r.label, r.total) for r in by_province(people).rows] == [
        ("Tehran", 1),
        ("unknown", 1),
    ]


def test_age_from_birth_date() -> None:
    assert (
        age_years(
            canonical({"birth_date": "2002-11-17", "date_of_death": "2019-11-17"})
        )
        == 17
    )
    assert age_years(canonical({"birth_date": "2002-11-17"})) is None
    assert age_years(canonical({"age": 40, "birth_date": "1900-01-01"})) == 40
