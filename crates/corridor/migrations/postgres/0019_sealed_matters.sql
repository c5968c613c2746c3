-- Crypto-shredding (issue 11 §7): the key that seals a matter's content in object storage, and
-- the retention of a notarial file. Destroying `data_key` (set to NULL, with who and when)
-- makes every copy of the matter's sealed content unreadable; the ledger keeps only hashes.
CREATE TABLE matter_keys (
    matter_id TEXT PRIMARY KEY REFERENCES matters (id),
    data_key BYTEA,
    created_at TIMESTAMPTZ NOT NULL,
    shredded_at TIMESTAMPTZ,
    shredded_by TEXT NOT NULL DEFAULT ''
);

-- When a notarial file's retention started (the act's day: a certificate issued, an evidence
-- file closed) and what the office has said about it: a confirmation of the act's class (and
-- the years it carries) with the rule it relied on (the shipped years are unverified, and a
-- purge destroys only on a confirmed retention), and a hold that stops any purge.
CREATE TABLE notary_retention (
    matter_id TEXT PRIMARY KEY REFERENCES matters (id),
    office_id TEXT NOT NULL REFERENCES organizations (id),
    act TEXT NOT NULL,
    starts_on DATE NOT NULL,
    confirmed_class TEXT NOT NULL DEFAULT '',
    confirmed_basis TEXT NOT NULL DEFAULT '',
    confirmed_by TEXT NOT NULL DEFAULT '',
    confirmed_at TIMESTAMPTZ,
    hold BOOLEAN NOT NULL DEFAULT FALSE,
    hold_reason TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX notary_retention_by_office ON notary_retention (office_id, starts_on);
