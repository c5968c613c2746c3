-- Several nodes, one log. See docs/operations.md.

-- The deployment's one log: its name, its verifier key and where its tiles live. Written by
-- the first node that starts; every later node must match it or refuse to start, so a
-- misconfigured node can never sign a second log under the same origin.
CREATE TABLE ledger_log (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    origin TEXT NOT NULL,
    vkey TEXT NOT NULL,
    -- e.g. s3://bucket/prefix/ledger or file:///var/lib/corridor/ledger/log
    storage TEXT NOT NULL,
    -- Also written into the storage (state/deployment); a store without it is another log.
    log_id TEXT NOT NULL,
    -- Entries before this index were appended before the outbox existed.
    outbox_from BIGINT NOT NULL,
    created_at TEXT NOT NULL
);

-- Records waiting to be appended, and what became of them. The node that takes a request
-- writes the row (with its pending audit event, in one transaction); whichever node holds the
-- writer lock appends it and fills in leaf_index. A crash between the append and that update
-- is repaired by matching entry_sha256 against the log when the next sequencer starts.
CREATE TABLE ledger_outbox (
    -- UUIDv7: ordering by id is ordering by arrival (to the millisecond).
    id TEXT PRIMARY KEY,
    -- "<user id>:<Idempotency-Key>" when the request carried one: a retry finds this row.
    request_key TEXT UNIQUE,
    entry TEXT NOT NULL,
    entry_sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL,
    leaf_index BIGINT UNIQUE,
    appended_at TEXT
);
CREATE INDEX ledger_outbox_pending ON ledger_outbox (id) WHERE leaf_index IS NULL;
CREATE INDEX ledger_outbox_by_digest ON ledger_outbox (entry_sha256);

-- Idempotency-Key: the first answer to (user, key) is kept and given again to a retry with
-- the same request; the same key with another request is refused.
CREATE TABLE idempotency_keys (
    user_id TEXT NOT NULL,
    key TEXT NOT NULL,
    scope TEXT NOT NULL,
    request_digest TEXT NOT NULL,
    -- NULL while the first request is still running (or died: see web::idempotency).
    response_status INTEGER,
    response_body TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
);
