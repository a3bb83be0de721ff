"""Persian and Latin text: normalisation, digits, Solar Hijri dates, vocabularies.

Everything here is a pure function of its text argument.
"""

from __future__ import annotations

from aban.text.age import parse_age
from aban.text.dates import (
    DateError,
    format_jalali,
    gregorian_to_jalali,
    jalali_to_gregorian,
    parse_date,
)
from aban.text.digits import normalise_digits, persian_digits, persian_number
from aban.text.forces import FORCES, force_key, parse_forces
from aban.text.normalise import clean_text, fold_persian, normalise_name, script_of
from aban.text.vocab import VocabularyError, parse_sex, parse_status

__all__ = [
    "DateError",
    "FORCES",
    "VocabularyError",
    "clean_text",
    "fold_persian",
    "force_key",
    "format_jalali",
    "gregorian_to_jalali",
    "jalali_to_gregorian",
    "normalise_digits",
    "normalise_name",
    "parse_age",
    "parse_date",
    "parse_forces",
    "parse_sex",
    "parse_status",
    "persian_digits",
    "persian_number",
    "script_of",
]
