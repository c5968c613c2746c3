-- Extensions of a case's time limits granted by the institution or the tribunal (issue 10 §4):
-- the limit (the event that starts it and the rule's article) and the grant (`15`: days more
-- on the period; `2026-12-31`: a new due date). Counting applies them every time the case is
-- read; each grant is audited.
CREATE TABLE arbitration_case_extensions (
    id TEXT PRIMARY KEY,
    matter_id TEXT NOT NULL REFERENCES matters (id),
    event TEXT NOT NULL,
    article TEXT NOT NULL,
    grant_text TEXT NOT NULL,
    note TEXT NOT NULL,
    granted_by TEXT NOT NULL REFERENCES users (id),
    granted_at TEXT NOT NULL
);
CREATE INDEX arbitration_case_extensions_by_case ON arbitration_case_extensions (matter_id, granted_at);
