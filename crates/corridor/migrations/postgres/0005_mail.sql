-- Email: every message the platform sends is a row, written in the same transaction as the
-- change that caused it. The sender claims due rows with a conditional UPDATE, so nodes sharing
-- one database never send a row twice; without SMTP the rows go to the admins' outbox.

CREATE TABLE mail (
    id TEXT PRIMARY KEY,
    to_address TEXT NOT NULL,
    to_name TEXT NOT NULL,
    -- The recipient's language (zh-CN or en), in which subject and body are written.
    locale TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    -- queued | sending | sent | failed | outbox
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    sent_at TIMESTAMPTZ,
    -- When a queued row is due; while sending, when the claim lapses (a crashed sender).
    next_attempt_at TIMESTAMPTZ NOT NULL,
    related_type TEXT,
    related_id TEXT
);
CREATE INDEX mail_due ON mail (status, next_attempt_at);
CREATE INDEX mail_by_related ON mail (related_type, related_id);
