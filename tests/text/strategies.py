"""Hypothesis strategies for text in Persian, Arabic and Latin script."""

from __future__ import annotations

from hypothesis import strategies as st

# Characters the normalisers treat specially, so that examples hit them often.
SPECIAL = (
    "\u200c\u200d\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068"
    "\u2069\u00ad\u200b\u2060\ufeff\u0640\u064b\u064e\u0650\u0651\u0652\u0653\u0654"
    "\u0655\u0670\u0301\u0308\u0327\u00a0\u2003\t\n\r\x00\x1f\x85\x9f -_.'`´’ʼ"
    "يىئكةۀأإآٱؤیکهاوە٫٬۰۱۲۹٠٩ﻣﺤﻤﺪﷲﹰﹱ"
)

characters = st.one_of(
    st.characters(codec="utf-8"),
    st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
    st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFF),
    st.characters(min_codepoint=0x0300, max_codepoint=0x036F),
    st.characters(min_codepoint=0x0041, max_codepoint=0x024F),
    st.sampled_from(SPECIAL),
)

#: Arbitrary text, weighted towards Persian, Arabic, Latin and invisible characters.
texts = st.text(characters, max_size=30)

#: Persian words: Persian letters only (no marks, no joiners).
PERSIAN_LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
persian_words = st.text(st.sampled_from(PERSIAN_LETTERS), min_size=1, max_size=8)
