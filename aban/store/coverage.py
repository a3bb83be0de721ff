"""What the audit log vouches for, table by table, and what it does not.

Records are vouched for by their import's digest (:mod:`aban.store.records`).
Every other table that publication, grading or access reads is listed here: in
:data:`ROWS` (each row sealed on its own) or :data:`RANGES` (what a stage derives
in bulk, sealed in ranges of rows). :data:`NOT_COVERED` says, in words, what is
left out; ``tests/store/test_state.py`` fails for a table or column in none of
them.
:mod:`aban.store.state` does the sealing and the checking.
"""

from __future__ import annotations

from dataclasses import dataclass

from aban.vocab.ids import format_evidence_id


def _columns(names: str) -> tuple[str, ...]:
    return tuple(names.split())


@dataclass(frozen=True)
class Part:
    """Rows of another table folded into a covered row's seal.

    Attributes:
        table: the other table.
        parent: its column holding the covered row's key.
        columns: the columns sealed, in this order (rows sorted by them).
    """

    table: str
    parent: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Rows:
    """A table each row of which the log vouches for.

    Attributes:
        table: the table.
        columns: the columns sealed (one left out may change freely).
        key: the column naming a row (unique).
        scope: a condition on the row (``{r}`` its alias): rows outside it are
            sealed as absent (a person without a consent).
        parts: rows of other tables sealed with each row.
        may_end: rows may be deleted without an entry (sessions end).
        what: what a change is called in a report (``consent``).
    """

    table: str
    columns: tuple[str, ...]
    key: str = "id"
    scope: str = ""
    parts: tuple[Part, ...] = ()
    may_end: bool = False
    what: str = ""

    def label(self, key: str) -> str:
        """How a report names a row: ``persons P000012``, ``sources row 3``."""
        if self.table == "evidence":
            return f"evidence {format_evidence_id(int(key))}"
        if self.key == "person_id":
            return f"{self.table} {key}"
        if self.key == "token_sha256":
            return f"{self.table} row {key[:12]}"
        return f"{self.table} row {key}"


#: Rows per sealed range of a :class:`Ranges` table.
RANGE_ROWS = 1024


@dataclass(frozen=True)
class Ranges:
    """A table the log vouches for in ranges of rows: what linking and grading
    derive, rewritten in bulk, where a seal per row would make entries too big.

    Attributes:
        name: what the audit log calls these seals (a table may have several,
            each over columns that different stages write).
        table: the table.
        order: an integer column, unique: the row where it is ``n`` is in range
            ``n // RANGE_ROWS``, and rows are digested in its order.
        columns: the other columns digested.
        what: what they hold, for a report.
        noun: what a report calls a range before its bounds.
        large: columns read as bytes (long texts are cheaper to digest so).
    """

    name: str
    table: str
    order: str
    columns: tuple[str, ...]
    what: str
    noun: str
    large: tuple[str, ...] = ()

    def label(self, key: str) -> str:
        """How a report names a range: ``persons rows 1024-2047``."""
        low = int(key) * RANGE_ROWS
        return f"{self.noun} {low}-{low + RANGE_ROWS - 1}"


ROWS: tuple[Rows, ...] = (
    Rows(
        "sources",
        _columns(
            "name kind independence_group reliability is_list protected contact "
            "created_at"
        ),
    ),
    Rows(
        "imports",
        _columns(
            "source_id file_name content_sha256 file_format rows_read accepted "
            "unchanged rejected imported_at"
        ),
    ),
    Rows(
        "persons",
        ("consent",),
        key="person_id",
        scope="{r}.consent is not null",
        what="consent",
    ),
    Rows(
        "link_decisions",
        _columns("record_a record_b decision reviewer note decided_at"),
    ),
    Rows(
        "grade_decisions",
        _columns("person_id reason note reviewer decided_at restored_at restored_by"),
        parts=(Part("grade_decision_records", "decision_id", ("record_id",)),),
    ),
    Rows("users", _columns("name role password_hash disabled created_at")),
    Rows(
        "web_sessions",
        _columns("user_id csrf created_at expires_at"),
        key="token_sha256",
        may_end=True,
    ),
    Rows("user_totp", _columns("secret required enrolled_at"), key="user_id"),
    Rows("import_actors", ("actor",), key="import_id"),
    Rows(
        "evidence",
        _columns(
            "sha256 kind blob_id data_key original_name size publishable added_at"
        ),
        parts=(
            Part("evidence_links", "evidence_id", ("person_id", "record_id")),
            Part(
                "evidence_derivatives",
                "evidence_id",
                _columns("blob_id data_key sha256 size media_type created_at"),
            ),
        ),
    ),
    Rows(
        "custody_events",
        _columns("evidence_id received_from received_by happened_at note recorded_at"),
    ),
    Rows(
        "claim_imports",
        _columns("file_name content_sha256 rows_read accepted unchanged imported_at"),
    ),
    Rows(
        "claims",
        _columns(
            "claimant claim_date low high kind scope method citation import_id "
            "row_number digest added_at"
        ),
    ),
    Rows(
        "claim_texts",
        _columns("claimant_fa kind_fa"),
        key="claim_id",
    ),
    Rows(
        "person_stories",
        _columns(
            "biography_en biography_fa circumstances_en circumstances_fa "
            "written_by written_at"
        ),
        key="person_id",
    ),
    Rows(
        "detention_imports",
        _columns("file_name content_sha256 rows_read events imported_at"),
    ),
    Rows(
        "detentions",
        _columns(
            "person_id record_id arrest_date arrest_place facility whereabouts "
            "family_access lawyer_access"
        ),
    ),
    Rows(
        "detention_events",
        _columns(
            "detention_id event_date status place source_id note import_id "
            "row_number person_ref"
        ),
    ),
    # A snapshot's or release's head is the hash of its own entry, written after
    # the entry: verify checks that it is in the chain instead.
    Rows(
        "count_snapshots",
        _columns(
            "label taken_at persons minimum upper by_grade by_identification estimate"
        ),
    ),
    Rows("releases", _columns("published_at digest snapshot_id figures policy")),
    Rows(
        "source_retractions",
        _columns("source_id reason retracted_by retracted_at restored_by restored_at"),
    ),
    Rows(
        "import_changes",
        _columns("added changed retracted returned"),
        key="import_id",
    ),
    Rows(
        "runs",
        _columns("kind started_at finished_at settings model counts results"),
    ),
)
RANGES: tuple[Ranges, ...] = (
    # Linking writes the persons and their canonical values, grading the grades:
    # apart, a grading run does not read every person's canonical values twice.
    Ranges(
        "persons",
        "persons",
        "id",
        _columns("person_id canonical identification"),
        "canonical values or identification levels",
        "persons rows",
        large=("canonical",),
    ),
    Ranges(
        "grades",
        "persons",
        "id",
        _columns("person_id grade grade_reason"),
        "grades",
        "persons rows",
    ),
    Ranges(
        "person_records",
        "person_records",
        "record_id",
        ("person_id",),
        "which person holds each record",
        "person_records of records",
    ),
    # Corrections retract records in bulk (a whole source at once).
    Ranges(
        "retractions",
        "retractions",
        "record_id",
        _columns("import_id source_retraction_id retracted_at"),
        "which records are retracted",
        "retractions of records",
    ),
)
#: What ``aban audit verify`` checks, in words (README, help and bundles say so).
COVERED = (
    "every entry of the audit log, each against the one before it",
    "each import's records: their content (a record a later version of its list "
    "changed, as that import wrote it), each in its import's source, and none "
    "under an import no entry names",
    "each row of sources, imports, persons' consent, link decisions, grade "
    "decisions (with their records), users, sessions, two-factor secrets, who "
    "wrote each import, evidence items (with their "
    "links and publishable copies), custody events, claims and their imports, "
    "detentions, detention events and their imports, source retractions, "
    "what each new version of a list changed, snapshots, releases and runs, "
    "against the seal the last entry that wrote it recorded, and each "
    "entry's seal of what it found against the one before",
    "in ranges of rows, what linking and grading derive: which records make "
    "each person, persons' canonical values, identification levels and grades, "
    "and which records are retracted",
    "the heads that snapshots and releases recorded, which must be in the chain",
)
#: What ``aban audit verify`` does not check, in words.
NOT_COVERED = (
    "import issues and refused rows",
    "the scored pairs of the last link run",
    "the portrait cache",
    "when persons were created and updated",
    "aban's own bookkeeping (_meta, _migrations)",
)
