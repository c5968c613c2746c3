-- Notary offices at work (issue 11): an office's own settings (the abbreviation and series of
-- its certificate numbers, whether it holds sessions on the applicant's own device), the
-- applications for overseas remote video notarization (each one a matter of kind
-- `notarization` owned by the office), their video sessions, and the notarial register.
CREATE TABLE notary_offices (
    organization_id TEXT PRIMARY KEY REFERENCES organizations (id),
    abbreviation TEXT NOT NULL,
    series TEXT NOT NULL,
    own_device_sessions BOOLEAN NOT NULL,
    updated_at TEXT NOT NULL
);

-- `answers` is the eligibility pre-check's input as the applicant gave it (JSON), `verdict` and
-- `conditions` its answer on the day of the application.
CREATE TABLE notary_applications (
    matter_id TEXT PRIMARY KEY REFERENCES matters (id),
    office_id TEXT NOT NULL REFERENCES organizations (id),
    applicant_id TEXT NOT NULL REFERENCES users (id),
    matter_type TEXT NOT NULL,
    purpose TEXT NOT NULL,
    venue TEXT NOT NULL,
    residence_country TEXT NOT NULL,
    answers TEXT NOT NULL,
    verdict TEXT NOT NULL,
    conditions TEXT NOT NULL,
    status TEXT NOT NULL,
    ground TEXT,
    note TEXT NOT NULL,
    notary_id TEXT REFERENCES users (id),
    meeting_id TEXT,
    version BIGINT NOT NULL,
    applied_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX notary_applications_by_office ON notary_applications (office_id, applied_at);
CREATE INDEX notary_applications_by_applicant ON notary_applications (applicant_id, applied_at);

-- One session per application; its parts are JSON (identity checks, questions and answers)
-- or the filed recording's document.
CREATE TABLE notary_sessions (
    matter_id TEXT PRIMARY KEY REFERENCES matters (id),
    identity TEXT NOT NULL,
    consent_at TEXT,
    recording_document_id TEXT,
    recording_sha256 TEXT,
    recording_size BIGINT,
    qa TEXT NOT NULL,
    signature TEXT,
    held_at TEXT,
    version BIGINT NOT NULL
);

-- The notarial register (公证登记簿): one row per certificate, numbered per office, series and
-- year. The text is kept in Chinese with its English translation; the PDF is the matter's
-- document of role `certificate`, anchored in the ledger.
CREATE TABLE notary_register (
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL REFERENCES organizations (id),
    year INTEGER NOT NULL,
    series TEXT NOT NULL,
    serial BIGINT NOT NULL,
    number TEXT NOT NULL,
    matter_id TEXT NOT NULL REFERENCES matters (id),
    matter_type TEXT NOT NULL,
    text_zh TEXT NOT NULL,
    text_en TEXT NOT NULL,
    use_abroad TEXT,
    route TEXT,
    document_id TEXT,
    issued_by TEXT NOT NULL REFERENCES users (id),
    issued_at TEXT NOT NULL,
    UNIQUE (office_id, year, series, serial)
);
CREATE UNIQUE INDEX notary_register_by_matter ON notary_register (matter_id);
