"""The simulated sources and their conventions.

The first four sources have fixed characters (an NGO list in Persian, a media list
in English, a noisy activists' list, a protected family source); sources five and
up are generic lists, alternately in Latin and Persian script.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

_BASE = ("record_id", "source", "full_name", "sex", "age", "date_of_death", "city")


@dataclass(frozen=True)
class SourceSpec:
    """How one source writes its records.

    Shares are per row (``variants``: alternative spellings; ``typos``: a typing
    error in a Latin name; ``partial``: given name only or family name only;
    ``unnamed``: no name at all; ``duplicates``: per person listed, a second row;
    ``missing``: per optional cell, left empty unless ``sparse`` says otherwise).
    """

    name: str
    kind: str
    description: str
    columns: tuple[str, ...]
    script: str = "en"  # fa, en or mixed
    persian_share: float = 0.0  # rows in Persian script when mixed
    latin_dates: str = "iso"  # iso, day_first, text or day_first_or_text
    persian_digits: float = 0.0  # share of Persian-script rows with Persian digits
    variants: float = 0.1
    typos: float = 0.0
    partial: float = 0.0
    unnamed: float = 0.0
    duplicates: float = 0.0
    missing: float = 0.1
    sparse: tuple[tuple[str, float], ...] = ()
    honorific: float = 0.5  # share of honorifics written
    sex_words: tuple[str, str] = ("male", "female")
    status_synonyms: float = 0.0
    age_words: float = 0.0
    force_synonyms: float = 0.0  # alleged force written with a synonym
    joint_forces: float = 0.0  # alleged force named with another one
    protected: bool = False
    alpha: float | None = None  # capture reach (logit); None: drawn at random

    def missing_rate(self, column: str) -> float:
        """Share of rows that leave ``column`` empty."""
        return dict(self.sparse).get(column, self.missing)

    def to_dict(self) -> dict[str, Any]:
        """Name, kind and conventions, for ``scenario.json``."""
        conventions = asdict(self)
        for key in ("name", "kind", "description", "columns", "protected", "alpha"):
            del conventions[key]
        conventions["sparse"] = dict(self.sparse)
        conventions["sex_words"] = list(self.sex_words)
        return {
            "name": self.name,
            "kind": self.kind,
            "description": self.description,
            "protected": self.protected,
            "conventions": conventions,
        }


# fmt: off
NGO = SourceSpec(
    name="ngo_list_fa", kind="ngo_list",
    description="NGO list in Persian script: Solar Hijri dates (1398/08/25), Persian "
    "digits in half the rows, Persian labels, father's names, alleged force in "
    "Persian",
    columns=(*_BASE, "given_name", "family_name", "father_name", "province", "status",
             "cause", "injury_location", "circumstances", "occupation",
             "alleged_force"),
    script="fa", persian_digits=0.5, variants=0.15, partial=0.02, duplicates=0.01,
    missing=0.05, honorific=0.8, status_synonyms=0.2, age_words=0.1, alpha=0.3,
    sparse=(("father_name", 0.5), ("occupation", 0.4), ("cause", 0.2),
            ("circumstances", 0.3), ("alleged_force", 0.35)),
    force_synonyms=0.3, joint_forces=0.15,
)
# fmt: on
# fmt: off
MEDIA = SourceSpec(
    name="media_en", kind="media",
    description="media list in English: standard spellings, ISO dates, some "
    "unidentified victims (no name), the alleged force in half the rows; copies "
    "part of the NGO list",
    columns=(*_BASE, "province", "country", "status", "cause", "injury_location",
             "circumstances", "alleged_force"),
    variants=0.1, unnamed=0.05, missing=0.1, honorific=0.3, alpha=-0.6,
    sparse=(("injury_location", 0.4), ("cause", 0.3), ("age", 0.2),
            ("circumstances", 0.3), ("alleged_force", 0.5)),
    force_synonyms=0.4, joint_forces=0.1,
)
# fmt: on
# fmt: off
ACTIVISTS = SourceSpec(
    name="activists_noisy", kind="social_media",
    description="activists' list in Latin script: alternative transliterations, typos, "
    "day-first dates (16/11/2019, 16 November 2019), ages like 'about 25', duplicates",
    columns=(*_BASE, "given_name", "family_name", "status", "injury_location",
             "circumstances"),
    latin_dates="day_first_or_text", variants=0.5, typos=0.12, partial=0.05,
    duplicates=0.04, missing=0.25, honorific=0.5, sex_words=("m", "f"),
    status_synonyms=0.5, age_words=0.15, alpha=-0.1,
)
# fmt: on
# fmt: off
FAMILIES = SourceSpec(
    name="families", kind="family",
    description="families and witnesses, protected: Persian or Latin script, partial "
    "names, father's names, birth dates, national ids, informant and contact details",
    columns=(*_BASE, "given_name", "family_name", "father_name", "birth_date",
             "province", "status", "cause", "occupation", "national_id", "informant",
             "contact", "notes_private"),
    script="mixed", persian_share=0.6, latin_dates="day_first", persian_digits=0.6,
    variants=0.3, typos=0.03, partial=0.3, duplicates=0.03, missing=0.15,
    honorific=0.9, sex_words=("M", "F"), status_synonyms=0.3, age_words=0.2,
    protected=True, alpha=-0.7,
    sparse=(("birth_date", 0.6), ("national_id", 0.6), ("notes_private", 0.5),
            ("cause", 0.4), ("occupation", 0.3), ("father_name", 0.3),
            ("informant", 0.05), ("contact", 0.1)),
)
# fmt: on


def _generic(number: int) -> SourceSpec:
    persian = number % 2 == 0
    script = "Persian script, Solar Hijri dates" if persian else "English, ISO dates"
    return SourceSpec(
        name=f"list_{number:02d}",
        kind="ngo_list",
        description=f"generic list in {script}",
        columns=(*_BASE, "province", "status"),
        script="fa" if persian else "en",
        persian_digits=0.3,
        variants=0.2,
        typos=0.02,
        partial=0.02,
        duplicates=0.01,
        missing=0.1,
    )


def source_specs(k: int) -> tuple[SourceSpec, ...]:
    """The first ``k`` sources: the four named ones, then ``list_05``, ``list_06``..."""
    named = (NGO, MEDIA, ACTIVISTS, FAMILIES)
    return named[:k] + tuple(_generic(n) for n in range(len(named) + 1, k + 1))
