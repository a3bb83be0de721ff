-- The register: one SQLCipher-encrypted SQLite file per workspace.
-- Applied by migration 1 (aban/store/migrations.py), later changes are new migrations.

create table _meta (
    key text primary key,
    value text not null
);

create table sources (
    id integer primary key,
    name text not null unique,
    kind text,
    independence_group text,
    reliability text,
    is_list integer not null default 0,
    protected integer not null default 0,
    contact text,
    created_at text not null
);

create table imports (
    id integer primary key,
    source_id integer not null references sources(id),
    file_name text not null,
    content_sha256 text not null,
    file_format text not null,
    rows_read integer not null,
    accepted integer not null,
    unchanged integer not null,
    rejected integer not null,
    imported_at text not null,
    unique (source_id, content_sha256)
);

create table records (
    id integer primary key,
    source_id integer not null references sources(id),
    import_id integer not null references imports(id),
    record_id text not null,
    row_number integer not null,
    raw text not null,
    content_sha256 text not null,
    script text not null,
    full_name text, full_name_norm text,
    given_name text, given_name_norm text,
    family_name text, family_name_norm text,
    father_name text, father_name_norm text,
    sex text,
    age integer,
    birth_date text,
    date_of_death text,
    city text, city_norm text,
    province text, province_norm text,
    country text,
    status text,
    cause text,
    injury_location text,
    circumstances text,
    occupation text,
    national_id text,
    informant text,
    contact text,
    notes_private text,
    unique (source_id, record_id)
);

create table issues (
    id integer primary key,
    import_id integer references imports(id),
    source_id integer references sources(id),
    code text not null,
    severity text not null,
    file_name text,
    row_number integer,
    column_name text,
    record_id text,
    message text not null,
    created_at text not null
);

create table rejected_rows (
    id integer primary key,
    import_id integer not null references imports(id),
    source_name text,
    row_number integer not null,
    raw text not null
);

create table persons (
    id integer primary key,
    person_id text not null unique,
    canonical text not null default '{}',
    identification text not null default 'unidentified',
    grade text not null default 'single-source',
    grade_reason text,
    consent text,
    created_at text not null,
    updated_at text not null
);

create table person_records (
    person_id integer not null references persons(id),
    record_id integer not null unique references records(id),
    primary key (person_id, record_id)
);

create table link_decisions (
    id integer primary key,
    record_a integer not null references records(id),
    record_b integer not null references records(id),
    decision text not null check (decision in ('match', 'non_match')),
    reviewer text not null,
    note text,
    decided_at text not null
);

create table claims (
    id integer primary key,
    claimant text not null,
    claim_date text,
    low integer,
    high integer,
    kind text,
    scope text,
    method text,
    citation text
);

create table detentions (
    id integer primary key,
    person_id integer references persons(id),
    record_id integer references records(id),
    arrest_date text,
    arrest_place text,
    facility text,
    whereabouts text,
    family_access text,
    lawyer_access text
);

create table detention_events (
    id integer primary key,
    detention_id integer not null references detentions(id),
    event_date text,
    status text not null,
    place text,
    source_id integer references sources(id),
    note text
);

create table evidence (
    id integer primary key,
    sha256 text not null unique,
    kind text not null,
    blob_id text not null unique,
    original_name text,
    size integer not null,
    publishable integer not null default 0,
    added_at text not null
);

create table evidence_links (
    evidence_id integer not null references evidence(id),
    person_id integer references persons(id),
    record_id integer references records(id)
);

create table custody_events (
    id integer primary key,
    evidence_id integer not null references evidence(id),
    received_from text,
    received_by text,
    happened_at text not null,
    note text
);

create table audit (
    seq integer primary key,
    at text not null,
    actor text not null,
    action text not null,
    detail text not null,
    prev_hash text not null,
    hash text not null
);

create index records_import on records(import_id);
create index issues_import on issues(import_id);
