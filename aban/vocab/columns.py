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
