-- The obligations library as a deployment maintains it (issue 12). The build ships a library
-- file; bureau officers and law firms propose revisions of its entries (or new entries), and
-- bureau officers publish them. The library a deployment uses is the build's file with the
-- published revision of each URN in place of the file's entry: an upgrade brings the file's
-- new entries, and the deployment's own revisions stay.

CREATE TABLE library_revisions (
    id TEXT PRIMARY KEY,
    urn TEXT NOT NULL,
    -- The whole entry, in the file's format (docs/advisory.md).
    body TEXT NOT NULL,
    -- The published revision this one was drafted over; NULL when it was the build's entry
    -- (or a new URN). Publishing refuses a revision whose base is no longer current.
    base_revision TEXT REFERENCES library_revisions (id),
    -- Why: what changed, on what authority.
    note TEXT NOT NULL,
    -- draft | published | superseded | rejected
    state TEXT NOT NULL,
    author_id TEXT NOT NULL REFERENCES users (id),
    -- The organization the author proposed it for (a law firm); NULL for a bureau officer.
    author_org_id TEXT REFERENCES organizations (id),
    created_at TIMESTAMPTZ NOT NULL,
    decided_by TEXT REFERENCES users (id),
    decided_at TIMESTAMPTZ,
    decision_note TEXT,
    -- The publication that made it current.
    publication BIGINT
);
CREATE INDEX library_revisions_by_urn ON library_revisions (urn, created_at);
CREATE INDEX library_revisions_by_state ON library_revisions (state, created_at);
-- At most one current revision per entry.
CREATE UNIQUE INDEX library_revisions_current ON library_revisions (urn) WHERE state = 'published';

-- Each publication makes a new library version, "<file version>+local.<number>". The number is
-- the primary key, so two officers publishing at once cannot both take it.
CREATE TABLE library_publications (
    number BIGINT PRIMARY KEY,
    revision_id TEXT NOT NULL REFERENCES library_revisions (id),
    -- SHA-256 of the published revisions (URN order) after this publication: with the number,
    -- the key of the library a node keeps in memory.
    digest TEXT NOT NULL,
    -- What changed in the entry, JSON: [{field, before, after}].
    changes TEXT NOT NULL,
    published_by TEXT NOT NULL REFERENCES users (id),
    published_at TIMESTAMPTZ NOT NULL,
    -- What the check against the new library found in the stored plans.
    plans_checked BIGINT,
    plans_changed BIGINT
);
