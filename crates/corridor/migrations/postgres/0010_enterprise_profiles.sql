-- The enterprise's profile (issue 12 §1): what is true of it whatever the project, kept once.
-- `facts` is JSON in the API's shape (sectors_isic, size, ownership, flags, flags_false,
-- metrics); `version` guards against two people saving over each other.
CREATE TABLE enterprise_profiles (
    org_id TEXT PRIMARY KEY REFERENCES organizations (id),
    facts TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at TIMESTAMPTZ NOT NULL
);
