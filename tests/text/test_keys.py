"""Name keys: shared across scripts and spellings; name splitting (aban.text.keys)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aban.text import normalise_name
from aban.text.keys import (
    NEAR_MIN,
    drop_honorifics,
    name_form,
    near_forms,
    skeleton,
    sound_key,
    split_full_name,
)

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
        # Issue 16: family names written spaced for a ZWNJ.
        ("علی رمضان دوست", "علی", "رمضاندوست"),
        ("حسین میرسهراب ی", "حسین", "میرسهرابی"),
        ("جواد کربلایی شکوریان", "جواد", "کربلاییشکوریان"),
        ("Ali Mir Hosseini", "ali", "mirhosseini"),
        ("Ali Agha Karimi", "aliagha", "karimi"),
        ("Mir Hosseini", "mir", "hosseini"),
        ("پورصادق پور", "پورصادقپور", ""),
        ("Ali Khani", "ali", "khani"),
        ("", "", ""),
    ],
)
def test_split_full_name(full: str, given: str, family: str) -> None:
    assert split_full_name(full) == (given, family)


def test_name_form_drops_honorifics_in_front_and_spaces() -> None:
    assert name_form("Seyed Mohammad Reza") == "mohammadreza"
    assert name_form("Haj Seyed Ali") == "ali"
    # A lone honorific is the name itself.
    assert name_form("سید") == normalise_name("سید")
    assert name_form("") == ""


def test_haji_begins_a_family_name_and_is_an_honorific_before_a_given_name() -> None:
    # Family names such as حاجی خدادادی (Haji Hosseini) begin with the pilgrim's
    # title, written spaced for a ZWNJ: it stays in a family name, as Karbalaei and
    # Mirza do, and goes before a given or full name.
    assert drop_honorifics("حاجی خدادادی", family=True) == "حاجی خدادادی"
    assert drop_honorifics("Haji Hosseini", family=True) == "Haji Hosseini"
    assert drop_honorifics("Haji Ali Hosseini") == "Ali Hosseini"
    assert drop_honorifics("Haj Hosseini", family=True) == "Hosseini"


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
