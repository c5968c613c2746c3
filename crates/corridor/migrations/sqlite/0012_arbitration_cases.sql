-- Arbitration cases (issue 10) on top of matters: the matter (kind arbitration_case, owned by
-- the institution) holds participants, the case file, messages, hearings and reminder tasks;
-- this row holds what was filed and where the case stands.
CREATE TABLE arbitration_cases (
    matter_id TEXT PRIMARY KEY REFERENCES matters (id),
    institution_id TEXT NOT NULL REFERENCES organizations (id),
    -- filed | accepted | rejected
    status TEXT NOT NULL,
    claimant TEXT NOT NULL,
    -- Nationality, or place of incorporation of a company (ISO 3166-1 alpha-2, HK, MO).
    claimant_nationality TEXT NOT NULL,
    respondent TEXT NOT NULL,
    respondent_nationality TEXT NOT NULL,
    claims TEXT NOT NULL,
    -- Exact decimal with the currency's places, and its ISO 4217 currency.
    amount TEXT NOT NULL,
    currency TEXT NOT NULL,
    agreement TEXT NOT NULL,
    seat TEXT NOT NULL,
    language TEXT NOT NULL,
    -- A rule set id of data/arbitration/rule_timelines.json.
    rules TEXT NOT NULL,
    arbitrators INTEGER NOT NULL,
    expedited BOOLEAN NOT NULL,
    -- SHA-256 of the filing's substance: the same dispute filed twice is refused while the
    -- first is live.
    filing_key TEXT NOT NULL,
    filed_by TEXT NOT NULL REFERENCES users (id),
    filed_at TEXT NOT NULL,
    decided_by TEXT REFERENCES users (id),
    decided_at TEXT,
    decision_note TEXT
);
CREATE UNIQUE INDEX arbitration_cases_live_filing ON arbitration_cases (filing_key)
    WHERE status IN ('filed', 'accepted');
CREATE INDEX arbitration_cases_by_institution ON arbitration_cases (institution_id, status);

-- Procedural events that start time limits (service of the notice, appointments, the award
-- received), with the date and the addressee's place whose holidays count.
CREATE TABLE arbitration_case_events (
    id TEXT PRIMARY KEY,
    matter_id TEXT NOT NULL REFERENCES matters (id),
    event TEXT NOT NULL,
    happened_on TEXT NOT NULL,
    place TEXT,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX arbitration_case_events_by_case ON arbitration_case_events (matter_id, happened_on);

-- The recognition and enforcement of a case's award abroad: one row per proceeding, in a
-- country's court. The programme's figure "awards recognised and enforced in N countries"
-- counts the countries with a decision recognising an award.
CREATE TABLE award_enforcements (
    id TEXT PRIMARY KEY,
    matter_id TEXT NOT NULL REFERENCES matters (id),
    country TEXT NOT NULL,
    court TEXT NOT NULL,
    filed_on TEXT NOT NULL,
    -- New York Convention Art. V grounds raised against it, JSON list of codes.
    grounds TEXT NOT NULL,
    -- pending | recognised | partly_recognised | refused | withdrawn
    decision TEXT NOT NULL,
    decided_on TEXT,
    -- China's prior-report (报核) status, where it applies: not_applicable | pending | reported
    prior_report TEXT NOT NULL,
    note TEXT NOT NULL,
    version INTEGER NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX award_enforcements_by_case ON award_enforcements (matter_id);
CREATE INDEX award_enforcements_by_decision ON award_enforcements (decision, country);
