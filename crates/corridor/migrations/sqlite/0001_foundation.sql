-- Foundation: accounts, sessions, tokens, audit, and the directory.
-- Ids are UUIDv7 text; times are RFC 3339 text in UTC; dates are YYYY-MM-DD text.

CREATE TABLE organizations (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    jurisdiction TEXT NOT NULL,
    city_en TEXT NOT NULL DEFAULT '',
    city_zh TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    description_en TEXT NOT NULL DEFAULT '',
    description_zh TEXT NOT NULL DEFAULT '',
    remote_notarization_pilot BOOLEAN NOT NULL DEFAULT FALSE,
    -- JSON arrays copying the organization_tags rows, so a list page reads one table;
    -- filters use the tag rows and their index.
    languages TEXT NOT NULL DEFAULT '[]',
    practice_areas TEXT NOT NULL DEFAULT '[]',
    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- Each list order ends with id as a tiebreaker; the indexes carry it so a page is read in
-- index order instead of sorting every match.
CREATE INDEX organizations_by_jurisdiction ON organizations (jurisdiction, name_en, id);
CREATE INDEX organizations_by_kind ON organizations (kind, name_en, id);
CREATE INDEX organizations_by_name ON organizations (name_en, id);
CREATE INDEX organizations_by_updated ON organizations (updated_at, id);

-- Multi-valued attributes (languages, practice areas) as rows, so filters use an index.
CREATE TABLE organization_tags (
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    facet TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (organization_id, facet, value)
);
CREATE INDEX organization_tags_by_value ON organization_tags (facet, value, organization_id);

CREATE TABLE people (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    profession TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    organization_id TEXT REFERENCES organizations (id) ON DELETE SET NULL,
    based_in TEXT NOT NULL,
    bio_en TEXT NOT NULL DEFAULT '',
    bio_zh TEXT NOT NULL DEFAULT '',
    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX people_by_organization ON people (organization_id);
CREATE INDEX people_by_based_in ON people (based_in, name_en, id);
CREATE INDEX people_by_profession ON people (profession, name_en, id);
CREATE INDEX people_by_name ON people (name_en, id);

CREATE TABLE person_tags (
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    facet TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (person_id, facet, value)
);
CREATE INDEX person_tags_by_value ON person_tags (facet, value, person_id);

-- An arbitration institution's panel of arbitrators (仲裁员名册).
CREATE TABLE roster_entries (
    institution_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    PRIMARY KEY (institution_id, person_id)
);
CREATE INDEX roster_entries_by_person ON roster_entries (person_id);

CREATE TABLE partnerships (
    id TEXT PRIMARY KEY,
    local_firm_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    foreign_firm_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    since TEXT NOT NULL,
    scope_en TEXT NOT NULL DEFAULT '',
    scope_zh TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (local_firm_id, foreign_firm_id)
);
CREATE INDEX partnerships_by_foreign_firm ON partnerships (foreign_firm_id);

CREATE TABLE partnership_countries (
    partnership_id TEXT NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    country TEXT NOT NULL,
    PRIMARY KEY (partnership_id, country)
);
CREATE INDEX partnership_countries_by_country ON partnership_countries (country, partnership_id);

CREATE TABLE cooperation_agreements (
    id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    counterpart_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    signed_on TEXT NOT NULL,
    note_en TEXT NOT NULL DEFAULT '',
    note_zh TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (institution_id, counterpart_id)
);

CREATE TABLE agreement_terms (
    agreement_id TEXT NOT NULL REFERENCES cooperation_agreements (id) ON DELETE CASCADE,
    term TEXT NOT NULL,
    PRIMARY KEY (agreement_id, term)
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    platform_role TEXT,
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TEXT NOT NULL
);

CREATE TABLE memberships (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, organization_id)
);
CREATE INDEX memberships_by_organization ON memberships (organization_id);

-- Only the SHA-256 of a session id is stored.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

CREATE TABLE login_attempts (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    ip TEXT NOT NULL,
    succeeded BOOLEAN NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_attempts_by_email ON login_attempts (email, at);
CREATE INDEX login_attempts_by_ip ON login_attempts (ip, at);

CREATE TABLE audit_events (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    actor_user_id TEXT,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    organization_id TEXT,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_by_object ON audit_events (object_type, object_id);
CREATE INDEX audit_events_by_organization ON audit_events (organization_id, id);
