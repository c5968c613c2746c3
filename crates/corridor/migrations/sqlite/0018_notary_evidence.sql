-- Evidence files at notary offices (issue 11): items (a test purchase, what an on-site action
-- found, a web capture) with their documents in the matter, and each item's chain of custody,
-- append-only. `documents` is the item's document ids, space-separated; `seal_broken` marks an
-- event that found a seal other than the one last applied.
CREATE TABLE evidence_items (
    id TEXT PRIMARY KEY,
    matter_id TEXT NOT NULL REFERENCES matters (id),
    label TEXT NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    documents TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX evidence_items_by_matter ON evidence_items (matter_id, created_at);

CREATE TABLE custody_events (
    id TEXT PRIMARY KEY,
    item_id TEXT NOT NULL REFERENCES evidence_items (id),
    seq BIGINT NOT NULL,
    event TEXT NOT NULL,
    holder TEXT NOT NULL,
    happened_at TEXT NOT NULL,
    place TEXT NOT NULL,
    seal_number TEXT NOT NULL,
    courier_id TEXT NOT NULL,
    note TEXT NOT NULL,
    seal_broken BOOLEAN NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_at TEXT NOT NULL,
    UNIQUE (item_id, seq)
);
