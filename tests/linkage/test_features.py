"""Matching features: name keys shared across scripts, name splitting, raw values."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aban.linkage.features import (
    NEAR_MIN,
    near_forms,
    record_features,
    skeleton,
    sound_key,
    split_full_name,
)
from aban.linkage.injuries import injury_region
from aban.text import normalise_name
from aban.text.causes import cause_kind
from aban.text.occupations import occupation_group, occupation_kind

SAME_NAME = [
    ("Mohammad", "محمد"),
    ("Muhammad", "محمد"),
    ("Hossein", "حسین"),
    ("Mohammadreza", "محمد رضا"),
    ("Mohammad-Reza", "محمدرضا"),
    ("Esmaeil", "اسماعیل"),
    ("Yaghoub", "یعقوب"),
    ("Yaqub", "یعقوب"),
    ("Rouhollah", "روح‌الله"),
    ("Fatemeh", "فاطمه"),
    ("Alizadeh", "علی‌زاده"),
    ("Ali-zade", "علیزاده"),
    ("Hosseinzadeh", "حسین زاده"),
    ("Davoud", "داوود"),
    ("Dawood", "داوود"),
    ("Pezhman", "پژمان"),
    ("Pejman", "پژمان"),
    ("Ghasemi", "قاسمی"),
    ("Qassem", "قاسم"),
    ("Rezaei", "رضایي"),
    ("Rezayi", "رضایی"),
    ("Mina", "مینا"),
    ("Jawad", "جواد"),
    ("Heydari", "حیدری"),
    ("Ja'far", "جعفر"),
    ("Morteza", "مرتضی"),
    ("Mohammadhossein", "محمدحسین"),
    ("Mohammad-Hossein", "محمد حسین"),
    ("Fallah", "فلاح"),
    ("Masih", "مسیح"),
]


@pytest.mark.parametrize(("latin", "persian"), SAME_NAME)
def test_skeleton_is_shared_across_scripts(latin: str, persian: str) -> None:
    assert skeleton(normalise_name(latin)) == skeleton(normalise_name(persian))


@pytest.mark.parametrize(
    ("latin", "persian"),
    [
        ("Mahmoud", "محمود"),
        ("Mohammad", "محمد"),
        ("Javad", "جواد"),
        ("Mina", "مینا"),
        ("Mohammadhadi", "محمدهادی"),
        ("Fallah", "فلاح"),
    ],
)
def test_sound_key_is_shared_across_scripts(latin: str, persian: str) -> None:
    assert sound_key(normalise_name(latin)) == sound_key(normalise_name(persian))


def test_skeleton_is_coarse_and_sound_key_finer() -> None:
    assert skeleton("mohammad") == skeleton("mahmoud") == "mhmd"
    assert sound_key("mohammad") == "mhmd"
    assert sound_key("mahmoud") == "mhmUd"


def test_skeleton_folds_letter_pairs() -> None:
    assert skeleton("ghasem") == skeleton("qasem") == "qsm"
    assert skeleton("pezhman") == skeleton("pejman") == "pjmn"
    assert skeleton(normalise_name("طاهری")) == skeleton("taheri") == "thr"


@pytest.mark.parametrize(
    ("full", "given", "family"),
    [
        ("Seyed Mohammad Reza Ali-zadeh", "mohammadreza", "alizadeh"),
        ("سید محمد رضا علی پور", "محمدرضا", "علیپور"),
        ("Karimi, Ali", "ali", "karimi"),
        ("Karim", "karim", ""),
        ("Hossein Zadeh Reza", "hosseinzadeh", "reza"),
        ("", "", ""),
    ],
)
def test_split_full_name(full: str, given: str, family: str) -> None:
    assert split_full_name(full) == (given, family)


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
    assert f.loc[0, "city"] == f.loc[1, "city"] == "~glzr"


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
    [("head", "head"), ("سینه", "chest"), ("shot in the back", "back"),
     ("head and chest", None), ("", None), ("unknown", None)],
)  # fmt: skip
def test_injury_region(text: str, region: str | None) -> None:
    assert injury_region(text) == region


@pytest.mark.parametrize(
    ("text", "kind"),
    [("Worker", "worker"), ("کارگر ساختمانی", "construction worker"),
     ("works as a construction worker", "construction worker"),
     ("مغازه‌دار", "shopkeeper"), ("مغازه دار", "shopkeeper"),
     ("Self-employed", "self-employed"), ("شغل آزاد", "self-employed"),
     ("دانش‌آموز", "school student"), ("taxi driver", "driver"),
     ("teacher and farmer", None), ("astronaut", None), ("", None)],
)  # fmt: skip
def test_occupation_kind(text: str, kind: str | None) -> None:
    assert occupation_kind(text) == kind


def test_occupation_groups_relate_close_kinds() -> None:
    assert occupation_group("worker") == occupation_group("construction worker")
    assert occupation_group("student") == occupation_group("university student")
    assert occupation_group("worker") != occupation_group("teacher")


@pytest.mark.parametrize(
    ("text", "kind"),
    [("live ammunition", "live ammunition"), ("گلوله جنگی", "live ammunition"),
     ("shot in the head", "live ammunition"), ("ساچمه", "pellets"),
     ("ضرب و شتم", "beating"), ("گاز اشک‌آور", "tear gas"),
     ("denial of medical care", "medical neglect"), ("نامعلوم", None),
     ("beaten, then shot", None), ("", None)],
)  # fmt: skip
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


def test_near_forms_of_a_short_skeleton_are_none() -> None:
    # In hsn or rz a dropped letter would meet too many other names.
    assert near_forms("hsn") is None
    assert near_forms("") is None
    assert near_forms("pkrS") == ["krS", "pkS", "pkr", "pkrS", "prS"]


@given(
    st.text(alphabet="bdfghjklmnpqrstvxzSX", min_size=4, max_size=10),
    st.integers(min_value=0, max_value=9),
    st.sampled_from("bdfghjklmnpqrstvxzSX"),
    st.sampled_from(["substitute", "insert", "delete"]),
)
def test_near_forms_meet_one_letter_apart(
    sk: str, where: int, letter: str, edit: str
) -> None:
    i = where % len(sk)
    other = {
        "substitute": sk[:i] + letter + sk[i + 1 :],
        "insert": sk[:i] + letter + sk[i:],
        "delete": sk[:i] + sk[i + 1 :],
    }[edit]
    if len(other) < NEAR_MIN:
        return
    assert set(near_forms(sk) or ()) & set(near_forms(other) or ())
