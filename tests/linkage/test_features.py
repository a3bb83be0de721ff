"""Matching features of records: names, places, dates and vocabularies."""

from __future__ import annotations

import pandas as pd
import pytest

from aban.linkage.features import record_features
from aban.linkage.injuries import injury_region
from aban.text.causes import cause_kind
from aban.text.occupations import occupation_group, occupation_kind


def test_record_features_normalise_raw_values() -> None:
    records = pd.DataFrame(
        {
            "key": ["a", "b"],
            "source": ["ngo", "media"],
            "full_name": ["سيد علي كريمي", "Ali Karimi"],
            "age": ["۲۵ ساله", "25"],
            "date_of_death": ["۱۳۹۸/۸/۲۵", "2019-11-16"],
            "city": ["اهواز", "Ahwaz"],
            "sex": ["مرد", "male"],
            "injury_location": ["سر", "head"],
            "birth_date": ["", "1994-05-01"],
            "national_id": ["", "123-456 789"],
        }
    )
    f = record_features(records)
    for column in ("given_sk", "family_sk", "given_sv", "family_sv", "age", "dod"):
        assert f.loc[0, column] == f.loc[1, column], column
    assert f.loc[0, "given"] == "علی"
    assert list(f["city"]) == ["Ahvaz", "Ahvaz"]
    assert list(f["province"]) == ["Khuzestan", "Khuzestan"]
    assert list(f["sex"]) == ["m", "m"]
    assert list(f["injury"]) == ["head", "head"]
    assert f.loc[1, "born"] == "1994-05-01"
    assert f.loc[1, "national_id"] == "123456789"
    assert pd.isna(f.loc[0, "born"])


def test_record_features_tolerate_missing_columns_and_bad_values() -> None:
    records = pd.DataFrame(
        {"key": ["a"], "source": ["s"], "age": ["old"], "date_of_death": ["soon"]}
    )
    f = record_features(records)
    assert pd.isna(f.loc[0, "age"]) and pd.isna(f.loc[0, "dod"])
    assert pd.isna(f.loc[0, "given_sk"]) and pd.isna(f.loc[0, "city"])


def test_unknown_place_meets_across_scripts() -> None:
    records = pd.DataFrame(
        {"key": ["a", "b"], "source": ["s", "t"], "city": ["Golzar", "گلزار"]}
    )
    f = record_features(records)
    # By its sound key (g folded with q and gh, issue 16).
    assert f.loc[0, "city"] == f.loc[1, "city"] == "~qlzr"


def test_places_read_by_sound() -> None:
    # Issue 16: French ch for sh, doubled vowels, w for v.
    cities = ["Kermanchah", "کرمانشاه", "Kermaanshaah", "Jawanroud"]
    records = pd.DataFrame(
        {"key": list("abcd"), "source": list("stuv"), "city": cities}
    )
    f = record_features(records)
    assert f["city"].tolist() == ["Kermanshah"] * 3 + ["Javanrud"]
    assert f["province"].tolist() == ["Kermanshah"] * 4


def test_age_from_birth_date() -> None:
    records = pd.DataFrame(
        {
            "key": ["a"],
            "source": ["s"],
            "birth_date": ["2000-11-20"],
            "date_of_death": ["2019-11-16"],
        }
    )
    assert record_features(records).loc[0, "age"] == 18


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("head", "head"),
        ("سینه", "chest"),
        ("shot in the back", "back"),
        ("head and chest", None),
        ("", None),
        ("unknown", None),
    ],
)
def test_injury_region(text: str, region: str | None) -> None:
    assert injury_region(text) == region


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Worker", "worker"),
        ("کارگر ساختمانی", "construction worker"),
        ("works as a construction worker", "construction worker"),
        ("مغازه‌دار", "shopkeeper"),
        ("مغازه دار", "shopkeeper"),
        ("Self-employed", "self-employed"),
        ("شغل آزاد", "self-employed"),
        ("دانش‌آموز", "school student"),
        ("taxi driver", "driver"),
        ("teacher and farmer", None),
        ("astronaut", None),
        ("", None),
    ],
)
def test_occupation_kind(text: str, kind: str | None) -> None:
    assert occupation_kind(text) == kind


def test_occupation_groups_relate_close_kinds() -> None:
    assert occupation_group("worker") == occupation_group("construction worker")
    assert occupation_group("student") == occupation_group("university student")
    assert occupation_group("worker") != occupation_group("teacher")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("live ammunition", "live ammunition"),
        ("گلوله جنگی", "live ammunition"),
        ("shot in the head", "live ammunition"),
        ("ساچمه", "pellets"),
        ("ضرب و شتم", "beating"),
        ("گاز اشک‌آور", "tear gas"),
        ("denial of medical care", "medical neglect"),
        ("نامعلوم", None),
        ("beaten, then shot", None),
        ("", None),
    ],
)
def test_cause_kind(text: str, kind: str | None) -> None:
    assert cause_kind(text) == kind


def test_record_features_read_status_occupation_and_cause() -> None:
    records = pd.DataFrame(
        {
            "key": ["a", "b", "c"],
            "source": ["ngo", "media", "media"],
            "status": ["جان‌باخته", "shot dead", "arrested"],
            "occupation": ["کارگر ساختمانی", "construction worker", "worker"],
            "cause": ["گلوله جنگی", "live ammunition", "nonsense"],
        }
    )
    f = record_features(records)
    assert list(f["status"]) == ["killed", "killed", "detained"]
    assert f.loc[0, "occupation"] == f.loc[1, "occupation"] == "construction worker"
    assert f.loc[0, "occupation_group"] == f.loc[2, "occupation_group"] == "labour"
    assert f.loc[0, "cause"] == f.loc[1, "cause"] == "live ammunition"
    assert pd.isna(f.loc[2, "cause"]) and pd.isna(f.loc[2, "cause_group"])


def test_family_comma_given_is_read_in_that_order() -> None:
    # Issue 16: "Family, Given" with one comma, Latin or Persian, in the full name
    # or in a name cell; a name cell's own part wins over the comma's.
    records = pd.DataFrame(
        {
            "key": list("abcdef"),
            "source": "s",
            "full_name": [
                "Bageri, Seyed Hadi",
                "باقری، هادی",
                "",
                "",
                "Ali-zadeh, Mohammad Reza",
                "Bageri,",
            ],
            "given_name": ["", "", "Bageri , Hadi", "Hadi", "", ""],
            "family_name": ["", "", "", "Bageri،Mehdi", "", ""],
        }
    )
    f = record_features(records)
    assert f["given"].tolist()[:5] == ["hadi", "هادی", "hadi", "hadi", "mohammadreza"]
    assert f["family"].tolist()[:5] == [
        "bageri",
        "باقری",
        "bageri",
        "bageri",
        "alizadeh",
    ]
    assert f.loc[0, "given_sk"] == f.loc[1, "given_sk"] == "hd"
    # One name before a lone comma is a one-word name.
    assert (f.loc[5, "given"], f.loc[5, "lone_sk"]) == ("bageri", "bgr")


def test_one_hyphenated_word_is_one_name() -> None:
    # Issue 16: a one-word name with a hyphen is not a given and a family name.
    records = pd.DataFrame(
        {
            "key": ["a", "b", "c"],
            "source": "s",
            "full_name": ["Mohammad-Reza", "Najaf-Nejad", "Reza Najaf-Nejad"],
        }
    )
    f = record_features(records)
    assert f["given"].tolist() == ["mohammadreza", "najafnejad", "reza"]
    assert f["lone_sk"].tolist()[:2] == ["mhmdrz", "njfnjd"]
    assert pd.isna(f.loc[0, "family"]) and f.loc[2, "family_sk"] == "njfnjd"
