-- A case's award (issue 10 §6): drafted by the presiding (or sole) arbitrator, scrutinised by
-- the institution, signed by every member of the tribunal; once signed it is rendered to PDF
-- and filed in the case as a document of role `award` (anchored in the ledger, delivered to
-- the participants with its receipt).
CREATE TABLE case_awards (
    matter_id TEXT PRIMARY KEY REFERENCES matters (id),
    -- draft | scrutiny | approved | signed
    status TEXT NOT NULL,
    reasons TEXT NOT NULL,
    operative TEXT NOT NULL,
    scrutiny_note TEXT,
    -- JSON: [{user_id, name, at}]
    signatures TEXT NOT NULL,
    document_id TEXT,
    version BIGINT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at TIMESTAMPTZ NOT NULL
);
