"""The tables and fields of an export: one list read by the code and the README.

Each :class:`Table` names its fields in output order. A field marked ``protected``
(an informant, a contact, private notes, a national id, who gave evidence, who
reviewed) is written only by the full partner export (``aban export --full``). The
README of an export is generated from these
lists (:mod:`aban.export.readme`), and the writers select columns with
:meth:`Table.columns`, so the description cannot drift from the files.
"""

from __future__ import annotations

from dataclasses import dataclass

from aban.vocab.columns import NAME_COLUMNS

PSEUDONYM_NOTE = (
    "a protected source is named by a stable pseudonym, protected-source-N (N its "
    "number in the register), except in the full export"
)
SCRIPTS = ("persian", "latin")


@dataclass(frozen=True)
class Field:
    """One column of an exported table."""

    name: str
    help: str
    protected: bool = False


@dataclass(frozen=True)
class Table:
    """One exported table: its file stem, what a row is, and its fields."""

    name: str
    help: str
    fields: tuple[Field, ...]

    def columns(self, full: bool) -> tuple[str, ...]:
        """The field names written: every field when ``full``, else the open ones."""
        return tuple(f.name for f in self.fields if full or not f.protected)


def _f(name: str, text: str, protected: bool = False) -> Field:
    return Field(name, text, protected)


_REF = "records as source/record_id (" + PSEUDONYM_NOTE + ")"
_RECORD_HELP = {
    "sex": "sex as the source wrote it",
    "age": "age in years at death or arrest",
    "birth_date": "birth date, ISO 8601",
    "date_of_death": "date of death (or of arrest for detentions), ISO 8601",
    "city": "city as the source wrote it",
    "province": "province as the source wrote it",
    "country": "country",
    "status": "killed, injured, detained, disappeared, executed or died_in_custody",
    "cause": "cause of death or injury",
    "injury_location": "where on the body the injury was",
    "circumstances": "what happened, as the source told it",
    "occupation": "occupation",
    "alleged_force": "the force the source alleges responsible, as it wrote it",
}
_NAME_HELP = {
    "full_name": "full name",
    "given_name": "given name",
    "family_name": "family name",
    "father_name": "father's name",
}
_NATIONAL_ID = "national identity number (protected)"
_FORCE_NORM = (
    "the alleged forces as keys (security_forces, police, irgc, basij, "
    "plainclothes, military, intelligence) joined by ';', any part naming no "
    "known force as written"
)
#: Descriptor fields every export may show (the national id is not one of them).
OPEN_VALUES: tuple[str, ...] = tuple(_RECORD_HELP)


def _record_fields() -> tuple[Field, ...]:
    names: list[Field] = []
    for column in NAME_COLUMNS:
        names.append(_f(column, f"{_NAME_HELP[column]} as the source wrote it"))
        names.append(_f(f"{column}_norm", f"{_NAME_HELP[column]}, normalised"))
    places = []
    for column in _RECORD_HELP:
        places.append(_f(column, _RECORD_HELP[column]))
        if column in ("city", "province"):
            places.append(_f(f"{column}_norm", f"{column}, normalised"))
    places.append(_f("alleged_force_norm", _FORCE_NORM))
    return (
        _f("source", "the source that made the statement; " + PSEUDONYM_NOTE),
        _f("record_id", "the record's id within its source"),
        _f("person_id", "the person the record is linked to (empty if not linked)"),
        _f("row_number", "the row of the imported file that held the record"),
        _f("script", "script of the record's names: persian, latin or mixed"),
        *names,
        *places,
        _f("imported_at", "when the record was imported (UTC)"),
        _f("national_id", _NATIONAL_ID, True),
        _f("informant", "who informed the source (protected)", True),
        _f("contact", "how to reach the informant (protected)", True),
        _f("notes_private", "the documenters' private notes (protected)", True),
        _f("file_name", "name of the imported file (protected)", True),
        _f("content_sha256", "SHA-256 of the raw row as imported (protected)", True),
        _f("raw", "the row as imported, every column, as JSON (protected)", True),
    )


def _person_fields() -> tuple[Field, ...]:
    names = [
        _f(f"{c}_{s}", f"canonical {_NAME_HELP[c]} in {s} script")
        for c in NAME_COLUMNS
        for s in SCRIPTS
    ]
    values = [_f(c, f"canonical {text}") for c, text in _RECORD_HELP.items()]
    return (
        _f("person_id", "the person's id (P and six digits), stable across links"),
        _f("identification", "full_name, partial_name, descriptors or unidentified"),
        _f("grade", "confirmed, corroborated, single-source, contested or discounted"),
        _f("grade_reason", "the grade's basis and reason (counts, kinds only)"),
        _f("consent", "publication consent: public, public-without-name, withheld"),
        _f("records", "number of records linked to the person"),
        _f("sources", "the sources of its records; " + PSEUDONYM_NOTE),
        *names,
        *values,
        _f(
            "canonical",
            "every canonical value as JSON: names by script and fields, each with "
            "value, source, record_id, independent_sources, records and "
            "conflicts (provenance); " + PSEUDONYM_NOTE + "; the national id "
            "only in the full export",
        ),
        _f("created_at", "when the person was first linked (UTC)"),
        _f("updated_at", "when the person last changed (UTC)"),
        _f("national_id", "canonical " + _NATIONAL_ID, True),
    )


SOURCES = Table(
    "sources",
    "one row per source (who reports)",
    (
        _f("source", "the source's name; " + PSEUDONYM_NOTE),
        _f("kind", "ngo_list, family, witness, journalist, media, official, ..."),
        _f(
            "independence_group",
            "two sources in one group do not corroborate each other; a group with "
            "a protected source is named protected-group-N except in the full export",
        ),
        _f("reliability", "HURIDOCS scale: A (completely reliable) to E"),
        _f("is_list", "true for a systematic list (lists enter estimation)"),
        _f("protected", "true when the source's identity is protected"),
        _f("records", "number of records from the source"),
        _f("created_at", "when the source entered the register (UTC)"),
        _f("contact", "how to reach the source (protected)", True),
    ),
)
RECORDS = Table(
    "records",
    "one row per record: one source's statement about one individual",
    _record_fields(),
)
PERSONS = Table(
    "persons",
    "one row per person: a linked cluster of records, with canonical values",
    _person_fields(),
)
PERSON_RECORDS = Table(
    "person_records",
    "one row per link of a record to a person",
    (
        _f("person_id", "the person"),
        _f("source", "the record's source; " + PSEUDONYM_NOTE),
        _f("record_id", "the record's id within its source"),
    ),
)
CLAIMS = Table(
    "claims",
    "one row per published toll figure (claims ledger)",
    (
        _f("claim_id", "the claim's number in the register"),
        _f("claimant", "who published the figure"),
        _f("claim_date", "when it was published"),
        _f("low", "the figure, or the low end of its range"),
        _f("high", "the high end of the range (empty for a single figure)"),
        _f("kind", "official, verified count, estimate, opposition count, ..."),
        _f("scope", "the event, places and dates the figure covers"),
        _f("method", "how the claimant arrived at the figure"),
        _f("citation", "publisher, date and title"),
        _f("added_at", "when the claim entered the register (UTC)"),
    ),
)
DETENTION_CASES = Table(
    "detention_cases",
    "one row per detention case as of the build date (a person, or an unlinked "
    "record), from records and detention events",
    (
        _f("case", "the person id, else source/record_id of the unlinked record"),
        _f("person_id", "the person detained (empty for an unlinked record)"),
        _f("records", "the case's " + _REF),
        _f("status", "current status (arrested, held_incommunicado, ...)"),
        _f("status_since", "first date of the current status"),
        _f("last_event", "date of the newest dated statement"),
        _f("arrest_date", "date of arrest"),
        _f("arrest_place", "place of arrest"),
        _f("facility", "the last facility named"),
        _f("whereabouts", "acknowledged, denied or unknown, as last reported"),
        _f("family_access", "the family's access, as last reported"),
        _f("lawyer_access", "a lawyer's access, as last reported"),
        _f("alerts", "urgent situations: kind since date (days)"),
        _f("conflicts", "number of contradictions between sources"),
    ),
)
DETENTION_EVENTS = Table(
    "detention_events",
    "one row per dated detention event (status transition or fact) as imported",
    (
        _f("event_id", "the event's number in the register"),
        _f("record_source", "the source of the record it hangs on, named like source"),
        _f("record_id", "the record the event hangs on"),
        _f("person_id", "the person of that record now (empty if not linked)"),
        _f("date", "when it happened, ISO 8601"),
        _f("status", "arrested, charged, sentenced, released, ... or a fact"),
        _f("place", "where, as the source wrote it"),
        _f("source", "the source of the event; " + PSEUDONYM_NOTE),
        _f("note", "the source's note (charges, sentence terms, ...)"),
        _f("person_ref", "the person id the events file named, if any"),
        _f("row_number", "the row of the events file"),
    ),
)
GRADE_DECISIONS = Table(
    "grade_decisions",
    "one row per reviewer's discount of a person (duplicate, found alive, unrelated)",
    (
        _f("decision_id", "the decision's number in the register"),
        _f("person_id", "the person discounted when decided"),
        _f("reason", "duplicate, found-alive or unrelated"),
        _f("records", "the " + _REF + " the decision holds"),
        _f("decided_at", "when it was decided (UTC)"),
        _f("restored_at", "when it was withdrawn (empty while it holds)"),
        _f("reviewer", "who decided (protected)", True),
        _f("note", "the reviewer's note (protected)", True),
        _f("restored_by", "who withdrew it (protected)", True),
    ),
)
EVIDENCE = Table(
    "evidence",
    "the evidence manifest: one row per evidence file (the files themselves are "
    "not in the export; their SHA-256 lets anyone check a copy delivered apart)",
    (
        _f("evidence_id", "the item's id (E and six digits)"),
        _f("sha256", "SHA-256 of the original file, taken at intake"),
        _f("kind", "death certificate, video, photo, ..."),
        _f("size", "size of the original file in bytes"),
        _f("publishable", "true when a derivative may be published"),
        _f("added_at", "when the file entered the vault (UTC)"),
        _f("persons", "the persons it is linked to, directly or by a record"),
        _f("records", "the " + _REF + " it is linked to"),
        _f("custody_events", "number of custody events (see custody_events)"),
        _f(
            "derivative_sha256",
            "SHA-256 of the publishable copy (re-encoded, metadata stripped), if any",
        ),
        _f("original_name", "the file's name at intake (protected)", True),
        _f("blob_id", "name of the encrypted copy in the vault (protected)", True),
    ),
)
CUSTODY_EVENTS = Table(
    "custody_events",
    "the chain of custody: one row per hand-over of an evidence file",
    (
        _f("custody_event_id", "the event's number in the register"),
        _f("evidence_id", "the evidence item (E and six digits)"),
        _f("happened_at", "when it changed hands"),
        _f("recorded_at", "when the event entered the register (UTC)"),
        _f("received_from", "who gave it (protected)", True),
        _f("received_by", "who received it (protected)", True),
        _f("note", "note on the hand-over (protected)", True),
    ),
)

#: Every exported table, in the order files and JSON keys are written.
TABLES: tuple[Table, ...] = (
    SOURCES,
    RECORDS,
    PERSONS,
    PERSON_RECORDS,
    CLAIMS,
    DETENTION_CASES,
    DETENTION_EVENTS,
    GRADE_DECISIONS,
    EVIDENCE,
    CUSTODY_EVENTS,
)
#: Every protected field as ``table.field`` (left out unless the export is full).
PROTECTED_FIELDS: tuple[str, ...] = tuple(
    f"{t.name}.{f.name}" for t in TABLES for f in t.fields if f.protected
)
