-- Matters: the shared workspace of an arbitration case, a notarization application or an
-- advisory engagement. Only participants (and the staff roles a kind names at the owning
-- organization) see a matter; the schema keeps everything a matter holds keyed by matter_id
-- so every read can be checked against that one circle.

-- Each person reads times in their own zone and mail in their own language.
ALTER TABLE users ADD COLUMN locale TEXT NOT NULL DEFAULT 'zh-CN';
ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Asia/Shanghai';

CREATE TABLE matters (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    owner_org_id TEXT NOT NULL REFERENCES organizations (id),
    reference TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (owner_org_id, reference)
);
CREATE INDEX matters_by_owner ON matters (owner_org_id, created_at);

-- Reference numbers run per owner and year (CQAC-2026-0007); the row is locked by its update.
CREATE TABLE matter_counters (
    owner_org_id TEXT NOT NULL REFERENCES organizations (id),
    year INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    PRIMARY KEY (owner_org_id, year)
);

CREATE TABLE matter_participants (
    matter_id TEXT NOT NULL REFERENCES matters (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    added_by TEXT,
    added_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (matter_id, user_id)
);
-- "My matters" starts from the user's participations.
CREATE INDEX matter_participants_by_user ON matter_participants (user_id, matter_id);

-- Only the SHA-256 of an invitation token is stored.
CREATE TABLE matter_invitations (
    id TEXT PRIMARY KEY,
    matter_id TEXT NOT NULL REFERENCES matters (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    accepted_at TIMESTAMPTZ,
    accepted_by TEXT REFERENCES users (id)
);
CREATE INDEX matter_invitations_by_matter ON matter_invitations (matter_id);

-- Content is stored once per SHA-256, under blobs/<sha256>.
CREATE TABLE file_blobs (
    sha256 TEXT PRIMARY KEY,
    size BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- A filed document never changes; a correction is a new row whose previous_id is the old one.
CREATE TABLE matter_documents (
    id TEXT PRIMARY KEY,
    matter_id TEXT NOT NULL REFERENCES matters (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    sha256 TEXT NOT NULL REFERENCES file_blobs (sha256),
    size BIGINT NOT NULL,
    version INTEGER NOT NULL,
    previous_id TEXT REFERENCES matter_documents (id),
    superseded_by TEXT,
    visible_to TEXT NOT NULL DEFAULT '',
    filed_by TEXT NOT NULL REFERENCES users (id),
    filed_at TIMESTAMPTZ NOT NULL,
    ledger_index BIGINT,
    ledger_record TEXT,
    -- The ledger outbox row that anchors it (its index is written back once appended).
    ledger_entry_id TEXT,
    -- "<user>:<Idempotency-Key>" of the upload that filed it, so a retry finds it.
    request_key TEXT UNIQUE
);
CREATE INDEX matter_documents_by_matter ON matter_documents (matter_id, filed_at);

CREATE TABLE matter_messages (
    id TEXT PRIMARY KEY,
    matter_id TEXT NOT NULL REFERENCES matters (id) ON DELETE CASCADE,
    author_id TEXT NOT NULL REFERENCES users (id),
    body TEXT NOT NULL,
    to_roles TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX matter_messages_by_matter ON matter_messages (matter_id, created_at);

CREATE TABLE matter_message_reads (
    message_id TEXT NOT NULL REFERENCES matter_messages (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id),
    read_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (message_id, user_id)
);

-- The timeline: every event of a matter, shown to the roles in visible_to (empty = all).
CREATE TABLE matter_events (
    id TEXT PRIMARY KEY,
    matter_id TEXT NOT NULL REFERENCES matters (id) ON DELETE CASCADE,
    at TIMESTAMPTZ NOT NULL,
    actor_id TEXT,
    kind TEXT NOT NULL,
    object_id TEXT,
    summary TEXT NOT NULL,
    visible_to TEXT NOT NULL DEFAULT ''
);
CREATE INDEX matter_events_by_matter ON matter_events (matter_id, at);

-- A task is due at an instant (stored UTC) that was set in a named zone; version guards edits.
CREATE TABLE matter_tasks (
    id TEXT PRIMARY KEY,
    matter_id TEXT NOT NULL REFERENCES matters (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    assignee_user_id TEXT REFERENCES users (id),
    assignee_role TEXT,
    due_at TIMESTAMPTZ,
    time_zone TEXT NOT NULL,
    status TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    completed_at TIMESTAMPTZ
);
CREATE INDEX matter_tasks_by_matter ON matter_tasks (matter_id, due_at);
CREATE INDEX matter_tasks_by_due ON matter_tasks (status, due_at);

CREATE TABLE matter_task_history (
    id TEXT PRIMARY KEY,
    task_id TEXT NOT NULL REFERENCES matter_tasks (id) ON DELETE CASCADE,
    at TIMESTAMPTZ NOT NULL,
    actor_id TEXT NOT NULL REFERENCES users (id),
    version INTEGER NOT NULL,
    change TEXT NOT NULL
);
CREATE INDEX matter_task_history_by_task ON matter_task_history (task_id, at);

CREATE TABLE matter_meetings (
    id TEXT PRIMARY KEY,
    matter_id TEXT NOT NULL REFERENCES matters (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    time_zone TEXT NOT NULL,
    location TEXT NOT NULL DEFAULT '',
    online_url TEXT NOT NULL DEFAULT '',
    sequence INTEGER NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX matter_meetings_by_matter ON matter_meetings (matter_id, starts_at);

-- A private calendar feed per user; only the token's SHA-256 is kept, deleting it revokes.
CREATE TABLE calendar_feeds (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    matter_id TEXT REFERENCES matters (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    summary TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    read_at TIMESTAMPTZ
);
CREATE INDEX notifications_by_user ON notifications (user_id, read_at, created_at);
