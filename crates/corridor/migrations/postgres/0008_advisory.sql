-- One enterprise, one policy (issue 12): an enterprise's outbound projects and the plan each
-- last accepted. The plan is kept as the JSON the engine made, with the library version that
-- made it, so that when the library changes the new plan can be compared with it even though
-- this build no longer has the old library.

CREATE TABLE advisory_projects (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations (id),
    title TEXT NOT NULL,
    country TEXT NOT NULL,
    entry_mode TEXT NOT NULL,
    -- exploring | negotiating | signed | operating | closed
    stage TEXT NOT NULL,
    -- The ISIC section letter of the project's first sector ('' when not said): the bureau
    -- counts plans by sector.
    sector TEXT NOT NULL,
    -- The project's value as an exact decimal string, and its ISO 4217 currency.
    value_amount TEXT,
    value_currency TEXT,
    library_version TEXT NOT NULL,
    -- The day the stored plan is for.
    plan_date TEXT NOT NULL,
    -- The library version the plan was last re-evaluated against (by the check after an
    -- upgrade), and what that changed (JSON: library_version, date, the diff; NULL when
    -- nothing did). Accepting the new plan clears it.
    checked_library TEXT NOT NULL,
    changes TEXT,
    version INTEGER NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    -- The large columns last: SQLite reads a row's columns in order, so a scan that tests
    -- checked_library does not walk the plan's overflow pages.
    -- The answers, as the contract's request (docs/advisory.md).
    answers TEXT NOT NULL,
    plan TEXT NOT NULL
);
CREATE INDEX advisory_projects_by_org ON advisory_projects (org_id, updated_at);
-- The bureau's view groups by country and stage; a refresh walks the plans of older libraries.
CREATE INDEX advisory_projects_by_country ON advisory_projects (country, stage);
-- The check after an upgrade walks the unchecked plans in id order.
CREATE INDEX advisory_projects_by_checked ON advisory_projects (checked_library, id);

-- An enterprise asks a law firm to work a project's plan. The firm sees the project's outline
-- and the counterparty's name (for its conflict check) until it accepts; accepting opens an
-- advisory_engagement matter (matter_id) whose tasks are the plan's items. The bureau reads
-- response times from requested_at and responded_at.
CREATE TABLE advisory_referrals (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES advisory_projects (id),
    firm_org_id TEXT NOT NULL REFERENCES organizations (id),
    counterparty TEXT NOT NULL,
    note TEXT NOT NULL,
    -- pending | accepted | declined | withdrawn
    status TEXT NOT NULL,
    -- conflict | capacity | expertise | other, when declined
    decline_reason TEXT,
    requested_by TEXT NOT NULL REFERENCES users (id),
    requested_at TIMESTAMPTZ NOT NULL,
    responded_by TEXT REFERENCES users (id),
    responded_at TIMESTAMPTZ,
    matter_id TEXT REFERENCES matters (id)
);
CREATE INDEX advisory_referrals_by_firm ON advisory_referrals (firm_org_id, requested_at);
CREATE INDEX advisory_referrals_by_project ON advisory_referrals (project_id, requested_at);
-- One open referral per project and firm.
CREATE UNIQUE INDEX advisory_referrals_open ON advisory_referrals (project_id, firm_org_id)
    WHERE status = 'pending';
