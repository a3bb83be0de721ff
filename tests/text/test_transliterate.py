"""Names in the other script (issue 17), on invented names only."""

from __future__ import annotations

import pytest

from aban.text.keys import skeleton
from aban.text.normalise import normalise_name
from aban.text.transliterate import (
    bundled_lexicon,
    learn_lexicon,
    published_persian,
    word_pairs,
)

ZWNJ = "\u200c"

# Persian to Latin: lexicon words, words made of them, then the letter rules.
TO_LATIN = [
    (f"محمدرضا دهقان{ZWNJ}زاده", "Mohammadreza Dehghanzadeh"),  # compounds
    (f"بهزاد کاظمی{ZWNJ}نژاد", "Behzad Kazeminejad"),
    ("كاظم رضايي", "Kazem Rezaei"),  # Arabic letter forms
    ("مُحَمَّد", "Mohammad"),  # diacritics
    ("فاطمة", "Fatemeh"),
    ("سید علی رستمی", "Seyed Ali Rostami"),
    ("شیدا کیانی", "Shida Kiani"),
    # Outside the lexicon: the letter rules (a guess, marked on the page).
    ("پرهام تستیان", "Parham Tastian"),
    ("فرخنده", "Farkhendeh"),
    ("ژیلا", "Zhila"),
    ("عرفان", "Erfan"),
    (f"داریوش نمونه{ZWNJ}پور", "Darioush Namounehpour"),
    ("Ali کریمی", "Ali Karimi"),  # a Latin word stays
]

TO_PERSIAN = [
    ("Mohamad Rezaei", "محمد رضایی"),  # a variant spelling in the lexicon
    ("Hosain Karimzadeh", f"حسین کریم{ZWNJ}زاده"),  # by sound, then a compound
    ("Ali-Reza", "علی رضا"),
    ("Shida Nemouneh", "شیدا نمونه"),
    # Outside the lexicon: the letter rules.
    ("Parviz Testian", "پرویز تستیان"),
    ("Kian", "کیان"),
    ("Farkhondeh", "فرخنده"),
    ("Nika", "نیکا"),  # not the stem نیک: its final vowel differs
    ("Testi علی", "تستی علی"),  # a Persian word stays
]


@pytest.mark.parametrize(("persian", "latin"), TO_LATIN)
def test_latin_from_persian(persian: str, latin: str) -> None:
    assert bundled_lexicon().latin(persian) == latin


@pytest.mark.parametrize(("latin", "persian"), TO_PERSIAN)
def test_persian_from_latin(latin: str, persian: str) -> None:
    assert bundled_lexicon().persian(latin) == persian


@pytest.mark.parametrize(("persian", "latin"), TO_LATIN[:7])
def test_a_transliteration_keeps_the_skeleton(persian: str, latin: str) -> None:
    """Both scripts of a lexicon name reduce to one skeleton, so the search index
    finds a transliterated name from either script."""
    words = [
        skeleton(normalise_name(w)) for w in bundled_lexicon().latin(persian).split()
    ]
    assert words == [skeleton(normalise_name(w)) for w in persian.split()]


def test_published_persian_folds_arabic_forms_and_drops_marks() -> None:
    assert published_persian("ابراهيم  ملكي") == "ابراهیم ملکی"
    assert published_persian("مُحَمَّد") == "محمد"
    assert published_persian("عيسى") == "عیسی"
    assert published_persian("زهرة") == "زهره"
    assert published_persian(f"علی{ZWNJ}پور") == f"علی{ZWNJ}پور"  # ZWNJ kept


def test_the_register_names_in_both_scripts_teach_the_lexicon() -> None:
    pairs = [("پرهام تستیان", "Parham Testian"), ("پرهام نمونه", "Parham Nemouneh")]
    lexicon = learn_lexicon(pairs)
    assert lexicon.persian("Parham Testian") == "پرهام تستیان"
    assert lexicon.latin("تستیان") == "Testian"
    assert lexicon.persian("Parhamzadeh") == f"پرهام{ZWNJ}زاده"
    assert learn_lexicon(reversed(pairs)) == lexicon  # order does not matter


def test_names_of_unequal_words_or_skeletons_teach_nothing() -> None:
    assert word_pairs("پرهام تستیان", "Parham") == []
    assert word_pairs("پرهام تستیان", "Parham Nemouneh") == []
    assert word_pairs(f"علی دهقان{ZWNJ}زاده", "Ali Dehghan-zadeh") == []
    lexicon = learn_lexicon([("پرهام تستیان", "Parham Nemouneh")])
    assert lexicon.persian("Nemouneh") == "نمونه"  # the rules, not the pair


def test_two_persons_spelling_a_word_alike_outweigh_the_bundled_spelling() -> None:
    names = [("ساناز تستی", "Sanaz Testi")] + [("سعید تستی", "Said Testi")] * 2
    assert bundled_lexicon().latin("سعید") == "Saeed"
    assert learn_lexicon(names).latin("سعید") == "Said"
    assert learn_lexicon(names[:2]).latin("سعید") == "Saeed"  # a tie: first seen
