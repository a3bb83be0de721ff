"""The shared vocabulary: what several stages mean by the same words.

Record columns (:mod:`~aban.vocab.columns`), sources, their kinds, reliability and
independence (:mod:`~aban.vocab.sources`), the formats of ids
(:mod:`~aban.vocab.ids`), a person's canonical values
(:mod:`~aban.vocab.canonical`) and the traits strata and analysis read from them
(:mod:`~aban.vocab.traits`), grades and identification levels, and the catalogue of
issue codes with one wording each (:mod:`~aban.vocab.issues`). Pure: no register
access; it imports nothing of aban but :mod:`aban.errors` and :mod:`aban.text`.
"""
