"""The columns of the records CSV interchange format (DESIGN.md section 4)."""

from __future__ import annotations

#: Columns every records file may carry, in the documented order.
RECORD_COLUMNS: tuple[str, ...] = (
    "record_id",
    "source",
    "full_name",
    "given_name",
    "family_name",
    "father_name",
    "sex",
    "age",
    "birth_date",
    "date_of_death",
    "city",
    "province",
    "country",
    "status",
    "cause",
    "injury_location",
    "circumstances",
    "occupation",
    "national_id",
    "alleged_force",
)

#: The name columns, each kept as written and in a normalised form.
NAME_COLUMNS: tuple[str, ...] = (
    "full_name",
    "given_name",
    "family_name",
    "father_name",
)

#: Columns describing the person and event, beside the identity columns and names.
DESCRIPTOR_COLUMNS: tuple[str, ...] = tuple(
    c for c in RECORD_COLUMNS if c not in ("record_id", "source", *NAME_COLUMNS)
)

#: Columns that identify or describe a person: a record needs a value in one of
#: them (issue 15: a list whose columns map onto none is refused, not imported as
#: nameless persons).
PERSON_COLUMNS: tuple[str, ...] = (
    *NAME_COLUMNS,
    "national_id",
    "age",
    "sex",
    "birth_date",
    "date_of_death",
    "city",
    "province",
)

#: Protected columns: never shown to viewers, never published, never logged.
PROTECTED_COLUMNS: tuple[str, ...] = ("informant", "contact", "notes_private")

ALL_COLUMNS: tuple[str, ...] = RECORD_COLUMNS + PROTECTED_COLUMNS

#: Status values (snake_case) a record may carry.
STATUSES: tuple[str, ...] = (
    "killed",
    "injured",
    "detained",
    "disappeared",
    "executed",
    "died_in_custody",
)

#: What each records column holds and accepts, for docs/import.md (generated).
COLUMN_HELP: dict[str, str] = {
    "record_id": "the row's id within its source (required; or `record_ids: rows`)",
    "source": "the source of the row, when `--source` is not given",
    "full_name": "the whole name as written, Persian or Latin script",
    "given_name": "the given name(s)",
    "family_name": "the family name",
    "father_name": "the father's given name",
    "sex": "`m`/`f`, `male`/`female`, `مرد`/`زن`",
    "age": "years: `17`, `۱۷`, `۱۷ ساله`, `about 30`, a range `20-25`; 0 to 120",
    "birth_date": "a date (as `date_of_death`)",
    "date_of_death": (
        "ISO `2019-11-16`, day-first `16/11/2019` or month-first `11/16/2019` "
        "(found by column), `16 Nov 2019`, Solar Hijri `1398/08/25` or "
        "`۲۵ آبان ۱۳۹۸`"
    ),
    "city": "a place name, matched to the gazetteer in either script",
    "province": "a province name, in either script",
    "country": "a country name",
    "status": (
        "`killed`, `injured`, `detained`, `disappeared`, `executed`, "
        "`died_in_custody`, or a synonym (`dead`, `کشته`, `arrested`, ...)"
    ),
    "cause": "free text; the kind (`live ammunition`, `گلوله`, `beating`...) is read",
    "injury_location": "free text; the body region (`head`, `سر`, `chest`...) is read",
    "circumstances": "free text",
    "occupation": "free text; a kind of occupation is read where known",
    "national_id": "the national id number as written",
    "alleged_force": (
        "the force(s) a source alleges, e.g. `IRGC and Basij`, `سپاه و بسیج`"
    ),
    "informant": "protected: who told the source (never shown to viewers or published)",
    "contact": "protected: how to reach the informant or family",
    "notes_private": "protected: private notes",
}
