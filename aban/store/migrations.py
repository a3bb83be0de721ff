"""Numbered schema migrations, recorded in the register's ``_migrations`` table.

Each migration is a function registered with :func:`migration`; :func:`migrate` applies
the ones not yet recorded, in order, each inside its own transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from importlib import resources

from aban.store import audit, state
from aban.store.db import Connection, transaction
from aban.store.records import RECORD_FIELDS

Migration = Callable[[Connection], None]
MIGRATIONS: dict[int, tuple[str, Migration]] = {}
#: Record columns that are not text.
_RECORD_TYPES = {"row_number": "integer", "age": "integer"}


def migration(number: int, name: str) -> Callable[[Migration], Migration]:
    """Register ``fn`` as migration ``number``."""

    def register(fn: Migration) -> Migration:
        if number in MIGRATIONS:
            raise ValueError(f"migration {number} is registered twice")
        MIGRATIONS[number] = (name, fn)
        return fn

    return register


@migration(1, "initial schema")
def _initial(conn: Connection) -> None:
    ddl = resources.files("aban.store").joinpath("schema.sql").read_text("utf-8")
    lines = [line for line in ddl.splitlines() if not line.lstrip().startswith("--")]
    for statement in "\n".join(lines).split(";"):
        if statement.strip():
            conn.execute(statement)


@migration(2, "linkage runs and scored pairs")
def _linkage_runs(conn: Connection) -> None:
    # runs: each link run's settings, versions, input digest and Splink model, so a
    # run is reproducible without a plaintext run.json beside the register.
    conn.execute(
        "create table runs (id integer primary key, kind text not null, "
        "started_at text not null, finished_at text not null, "
        "settings text not null, model text, counts text not null)"
    )
    # scored_pairs: the last link run's pairs (record ids, record_a < record_b), so
    # 'aban review' can queue the uncertain ones without linking again.
    conn.execute(
        "create table scored_pairs (run_id integer not null references runs(id), "
        "record_a integer not null references records(id), "
        "record_b integer not null references records(id), "
        "match_probability real not null, match_weight real, "
        "comparisons text not null default '[]', "
        "primary key (run_id, record_a, record_b))"
    )
    conn.execute(
        "create index scored_pairs_probability "
        "on scored_pairs (run_id, match_probability)"
    )
    conn.execute(
        "create index link_decisions_pair on link_decisions (record_a, record_b)"
    )


@migration(3, "estimate results")
def _estimate_results(conn: Connection) -> None:
    # results: an estimate run's output (strata, total, sensitivity table), so the
    # numbers a report quotes stay in the register with the settings and seed.
    conn.execute("alter table runs add column results text")


def applied(conn: Connection) -> list[int]:
    """Numbers of the migrations already applied to this register."""
    conn.execute(
        "create table if not exists _migrations "
        "(id integer primary key, name text not null, applied_at text not null)"
    )
    return [row[0] for row in conn.execute("select id from _migrations order by id")]


def migrate(conn: Connection) -> list[int]:
    """Apply every pending migration; return the numbers applied now."""
    done = set(applied(conn))
    now_applied = []
    for number in sorted(MIGRATIONS):
        if number in done:
            continue
        name, fn = MIGRATIONS[number]
        with transaction(conn):
            fn(conn)
            conn.execute(
                "insert into _migrations (id, name, applied_at) values (?, ?, ?)",
                (number, name, dt.datetime.now(dt.UTC).isoformat(timespec="seconds")),
            )
        now_applied.append(number)
    return now_applied


@migration(5, "claims ledger: claim imports and count snapshots")
def _claims_ledger(conn: Connection) -> None:
    # claim_imports: each claims file imported (its digest makes a second import of
    # the same content a no-op); claims gain their provenance and a digest of their
    # fields, so a claim already in the register is not stored twice.
    conn.execute(
        "create table claim_imports (id integer primary key, "
        "file_name text not null, content_sha256 text not null unique, "
        "rows_read integer not null, accepted integer not null, "
        "unchanged integer not null, imported_at text not null)"
    )
    for column in (
        "import_id integer references claim_imports(id)",
        "row_number integer",
        "digest text",
        "added_at text",
    ):
        conn.execute(f"alter table claims add column {column}")
    conn.execute("create unique index claims_digest on claims (digest)")
    # count_snapshots: the register's own figures frozen at a moment (each
    # publication freezes its figures), with the audit head of the entry that
    # recorded them.
    conn.execute(
        "create table count_snapshots (id integer primary key, "
        "label text not null unique, taken_at text not null, "
        "persons integer not null, minimum integer not null, "
        "upper integer not null, by_grade text not null, "
        "by_identification text not null, estimate text, "
        "head text not null default '')"
    )


@migration(4, "grade decisions: reviewers' discounts anchored on records")
def _grade_decisions(conn: Connection) -> None:
    # grade_decisions: a reviewer's discount of a person (duplicate, found alive,
    # unrelated). It is anchored on the records the person had when decided
    # (grade_decision_records), not on the person row, so it survives 'aban link'
    # re-runs that rebuild persons. A restore keeps the row and stamps it.
    conn.execute(
        "create table grade_decisions (id integer primary key, "
        "person_id text not null, "
        "reason text not null "
        "check (reason in ('duplicate', 'found-alive', 'unrelated')), "
        "note text, reviewer text not null, decided_at text not null, "
        "restored_at text, restored_by text)"
    )
    conn.execute(
        "create table grade_decision_records ("
        "decision_id integer not null references grade_decisions(id), "
        "record_id integer not null references records(id), "
        "primary key (decision_id, record_id))"
    )
    conn.execute(
        "create index grade_decision_records_record "
        "on grade_decision_records (record_id)"
    )


@migration(6, "detention imports, event provenance, case anchors")
def _detention_events(conn: Connection) -> None:
    # detention_imports: each detention events file imported; its digest makes a
    # second import of the same content a no-op.
    conn.execute(
        "create table detention_imports (id integer primary key, "
        "file_name text not null, content_sha256 text not null unique, "
        "rows_read integer not null, events integer not null, "
        "imported_at text not null)"
    )
    # Events keep where they came from (import, row) and the person id the row
    # named, if any; whereabouts and access events are rows of this table too.
    for column in (
        "import_id integer references detention_imports(id)",
        "row_number integer",
        "person_ref text",
    ):
        conn.execute(f"alter table detention_events add column {column}")
    # A detention is anchored on one record (detentions.record_id), never on a
    # person row: cases regroup by the anchors' persons after each 'aban link'.
    conn.execute("create unique index detentions_record on detentions (record_id)")
    conn.execute(
        "create index detention_events_detention on detention_events (detention_id)"
    )


@migration(8, "evidence vault: data keys, publishable derivatives, custody times")
def _evidence_vault(conn: Connection) -> None:
    # Each blob under evidence/ is sealed with its own random AES-256 key, kept only
    # here, in the encrypted register: never on disk beside the blob.
    conn.execute("alter table evidence add column data_key blob")
    # evidence_derivatives: the publishable copy of a photo or portrait (re-encoded,
    # metadata stripped), sealed in its own blob with its own key.
    conn.execute(
        "create table evidence_derivatives ("
        "evidence_id integer primary key references evidence(id), "
        "blob_id text not null unique, data_key blob not null, "
        "sha256 text not null, size integer not null, "
        "media_type text not null, created_at text not null)"
    )
    # happened_at is when the file changed hands (given by the user); recorded_at is
    # when the event entered the register.
    conn.execute("alter table custody_events add column recorded_at text")
    conn.execute("create index evidence_links_evidence on evidence_links (evidence_id)")
    conn.execute("create index custody_events_evidence on custody_events (evidence_id)")


@migration(10, "web app accounts and sessions")
def _web_accounts(conn: Connection) -> None:
    # users: accounts of 'aban serve', each with a role and an argon2 password hash
    # (never the password). Names compare without case, so 'Ana' and 'ana' are one.
    conn.execute(
        "create table users (id integer primary key, "
        "name text not null unique collate nocase, "
        "role text not null "
        "check (role in ('admin', 'analyst', 'reviewer', 'viewer')), "
        "password_hash text not null, disabled integer not null default 0, "
        "created_at text not null)"
    )
    # web_sessions: signed-in sessions keyed by the SHA-256 of their token (the token
    # itself lives only in the browser's cookie), with the session's CSRF token.
    conn.execute(
        "create table web_sessions (token_sha256 text primary key, "
        "user_id integer not null references users(id), csrf text not null, "
        "created_at text not null, expires_at text not null)"
    )
    conn.execute("create index web_sessions_user on web_sessions (user_id)")


@migration(9, "publication releases")
def _releases(conn: Connection) -> None:
    # releases: each numbered publication ('aban publish'): when it was built, a
    # digest of what it published (a rebuild of unchanged content keeps the
    # number), the snapshot of the figures it froze, its figures and policy (no
    # personal data), and the audit head of the entry that recorded it.
    conn.execute(
        "create table releases (id integer primary key, "
        "published_at text not null, digest text not null, "
        "snapshot_id integer references count_snapshots(id), "
        "figures text not null, policy text not null, "
        "head text not null default '')"
    )


@migration(11, "records: alleged perpetrator force")
def _alleged_force(conn: Connection) -> None:
    # alleged_force: the cell as written (cleaned); alleged_force_norm: the forces it
    # names as keys of aban.text.forces joined by ";" (irgc;basij), then any part
    # naming no known force as written; null when it names none or says unknown.
    conn.execute("alter table records add column alleged_force text")
    conn.execute("alter table records add column alleged_force_norm text")


@migration(12, "portraits as published: a cache")
def _portrait_copies(conn: Connection) -> None:
    # portrait_copies: the portrait as the site publishes it (the publishable copy
    # re-encoded at max_side pixels, no metadata), cached so that each portrait is
    # re-encoded once, not at every publication; keyed by the SHA-256 of the copy it
    # was made from, so a new copy makes a new entry. Inside the encrypted register.
    conn.execute(
        "create table portrait_copies (evidence_id integer not null "
        "references evidence(id), copy_sha256 text not null, "
        "max_side integer not null, jpeg blob not null, "
        "primary key (evidence_id, copy_sha256, max_side))"
    )


@migration(13, "the audit log vouches for the register's state")
def _state_baseline(conn: Connection) -> None:
    # state: the seals of the covered rows an entry's write changed
    # (aban/store/state.py); entries without it keep their hash layout. A register
    # made before gets one entry sealing its covered state as found now, so that
    # it verifies from this entry on; its earlier entries and heads stay valid. A
    # new register has nothing to seal.
    conn.execute("alter table audit add column state text")
    if conn.execute("select 1 from audit limit 1").fetchone() is None:
        return
    audit.append(
        conn, "aban", "state-baseline", {"migration": 13}, state.baseline(conn)
    )


@migration(14, "persons: an index of the columns the audit log seals")
def _persons_sealed(conn: Connection) -> None:
    # Persons' grades and consents are sealed into audit entries and checked by
    # 'aban audit verify' (aban/store/state.py): from this covering index, without
    # reading past each person's canonical values, long texts stored on overflow
    # pages (1,000,000 records: checking grades 2.9 s to 0.6 s, consents 2.7 s to
    # 0.01 s).
    conn.execute(
        "create index persons_sealed on persons "
        "(id, person_id, grade, grade_reason, consent)"
    )


@migration(15, "corrections: record versions, retractions, source retractions")
def _corrections(conn: Connection) -> None:
    # record_versions: the values a record had before a new version of its list
    # ('aban import --replace') changed it, each under the import that wrote them,
    # so that import's digest still verifies (aban/store/records.py). The record
    # keeps its row id, on which link and grade decisions, consents and discounts
    # are anchored.
    columns = ", ".join(f"{c} {_RECORD_TYPES.get(c, 'text')}" for c in RECORD_FIELDS)
    conn.execute(
        "create table record_versions (record_row integer not null "
        "references records(id), import_id integer not null "
        "references imports(id), source_id integer not null references sources(id), "
        f"{columns}, superseded_by integer not null references imports(id), "
        "primary key (record_row, import_id))"
    )
    conn.execute("create index record_versions_import on record_versions (import_id)")
    # source_retractions: a whole source withdrawn ('aban source retract'), by
    # whom and why, and brought back ('aban source restore'). The reason is
    # protected free text, like a reviewer's note.
    conn.execute(
        "create table source_retractions (id integer primary key, "
        "source_id integer not null references sources(id), reason text not null, "
        "retracted_by text not null, retracted_at text not null, "
        "restored_by text, restored_at text)"
    )
    # retractions: each record withdrawn, by the import of a new version of its
    # list that left it out, or by its source's retraction. A retracted record
    # stays in the register and counts nowhere (live_records leaves it out).
    conn.execute(
        "create table retractions (record_id integer primary key "
        "references records(id), import_id integer references imports(id), "
        "source_retraction_id integer references source_retractions(id), "
        "retracted_at text not null)"
    )
    # import_changes: what an import of a new version of a list changed.
    conn.execute(
        "create table import_changes (import_id integer primary key "
        "references imports(id), added integer not null, changed integer not null, "
        "retracted integer not null, returned integer not null)"
    )
    conn.execute(
        "create view live_records as select * from records r where not exists "
        "(select 1 from retractions x where x.record_id = r.id)"
    )


@migration(16, "person stories; claimants and claim kinds in Persian")
def _stories(conn: Connection) -> None:
    # person_stories: the short biography and the circumstances of a death that
    # the team wrote for the memorial, in English and Persian ('aban person
    # story'); published only for persons whose consent is public. Keyed by the
    # person's row: when linking retires a person, its story moves to the person
    # that takes its records (aban/linkage/persons.py).
    conn.execute(
        "create table person_stories (person_id integer primary key "
        "references persons(id), biography_en text, biography_fa text, "
        "circumstances_en text, circumstances_fa text, written_by text not null, "
        "written_at text not null)"
    )
    # claim_texts: a claim's claimant and kind in Persian, from the optional
    # claimant_fa and kind_fa columns of a claims CSV (the claim's own row and
    # digest are as before, so a file without them imports as it did).
    conn.execute(
        "create table claim_texts (claim_id integer primary key "
        "references claims(id), claimant_fa text, kind_fa text)"
    )


@migration(17, "web app: field documenters, two-factor sign-in, idle sessions")
def _team_server(conn: Connection) -> None:
    # users: the role check gains 'documenter' (enters records, sees only its
    # own). SQLite cannot change a check, so the table is rebuilt with the same
    # rows and ids (their seals do not change). Every session ends first: the
    # sessions refer to the table, and gain a column.
    conn.execute("delete from web_sessions")
    conn.execute(
        "create table users_new (id integer primary key, "
        "name text not null unique collate nocase, "
        "role text not null check "
        "(role in ('admin', 'analyst', 'reviewer', 'viewer', 'documenter')), "
        "password_hash text not null, disabled integer not null default 0, "
        "created_at text not null)"
    )
    conn.execute(
        "insert into users_new (id, name, role, password_hash, disabled, "
        "created_at) select id, name, role, password_hash, disabled, created_at "
        "from users"
    )
    conn.execute("drop table users")
    conn.execute("alter table users_new rename to users")
    # last_seen_at: when the session was last used, to the minute (it ends after
    # the idle limit, as at expires_at); not sealed: it changes freely.
    conn.execute("alter table web_sessions add column last_seen_at text")
    # user_totp: an account's two-factor sign-in (RFC 6238): its secret (base32,
    # inside the encrypted register only; null until enrolled), whether an admin
    # requires it, and the last time step whose code signed in, so that a code
    # serves once.
    conn.execute(
        "create table user_totp (user_id integer primary key references users(id), "
        "secret text, required integer not null default 0, enrolled_at text, "
        "last_step integer)"
    )
    # import_actors: who wrote each import (the audit actor: the signed-in user
    # in the web app, the setting 'actor' on the command line). A record belongs
    # to whoever wrote its current version: a field documenter sees only its own.
    conn.execute(
        "create table import_actors (import_id integer primary key "
        "references imports(id), actor text not null collate nocase)"
    )
    conn.execute("create index import_actors_actor on import_actors (actor)")
