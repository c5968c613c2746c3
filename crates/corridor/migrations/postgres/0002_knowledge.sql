-- Knowledge base: practice guides (one per country and language, with revisions) and the
-- typical-case library. Imported from data/knowledge/ and then kept here.

CREATE TABLE guides (
    id TEXT PRIMARY KEY,
    country TEXT NOT NULL,
    lang TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    -- JSON list of {key, title, url}
    sources TEXT NOT NULL,
    reviewed TEXT NOT NULL,
    revision BIGINT NOT NULL,
    -- SHA-256 of the shipped file last imported; NULL when created in the UI.
    import_digest TEXT,
    -- Who made the current revision; NULL for an import.
    edited_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (country, lang)
);
CREATE INDEX guides_by_updated ON guides (updated_at);

CREATE TABLE guide_revisions (
    guide_id TEXT NOT NULL REFERENCES guides (id) ON DELETE CASCADE,
    revision BIGINT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    sources TEXT NOT NULL,
    reviewed TEXT NOT NULL,
    edited_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    edited_by_name TEXT NOT NULL,
    note TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (guide_id, revision)
);

CREATE TABLE knowledge_cases (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    is_demo BOOLEAN NOT NULL,
    year INTEGER NOT NULL,
    sector TEXT NOT NULL,
    forum TEXT NOT NULL,
    seat TEXT NOT NULL,
    outcome TEXT NOT NULL,
    amount_band TEXT NOT NULL,
    -- The whole record as JSON (texts in both languages, parties, enforcement, sources);
    -- the columns above and the two tables below are what lists filter on.
    record TEXT NOT NULL,
    -- As for guides: the digest of the shipped file last imported, and who last edited the
    -- case on the platform (an edited case keeps its edit when the file changes).
    import_digest TEXT,
    edited_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX knowledge_cases_by_sector ON knowledge_cases (sector, year);
CREATE INDEX knowledge_cases_by_updated ON knowledge_cases (updated_at);

CREATE TABLE knowledge_case_countries (
    case_id TEXT NOT NULL REFERENCES knowledge_cases (id) ON DELETE CASCADE,
    country TEXT NOT NULL,
    PRIMARY KEY (case_id, country)
);
CREATE INDEX knowledge_case_countries_by_country ON knowledge_case_countries (country, case_id);

CREATE TABLE knowledge_case_enforcement (
    case_id TEXT NOT NULL REFERENCES knowledge_cases (id) ON DELETE CASCADE,
    country TEXT NOT NULL,
    result TEXT NOT NULL,
    PRIMARY KEY (case_id, country, result)
);
CREATE INDEX knowledge_case_enforcement_by_country ON knowledge_case_enforcement (country, result, case_id);

-- The search index follows people by the time they changed (crate::search::sources).
CREATE INDEX people_by_updated ON people (updated_at);
