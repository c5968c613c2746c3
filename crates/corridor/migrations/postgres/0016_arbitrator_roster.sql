-- The roster (issue 10 §1). An arbitrator's profile beyond the directory's person: legal
-- systems, ASEAN experience, the overseas-expert designation, fee basis, availability and
-- former firms, as JSON in the API's shape (`facts`); `version` guards concurrent saves.
CREATE TABLE arbitrator_profiles (
    person_id TEXT PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    facts TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_by TEXT REFERENCES users (id),
    updated_at TIMESTAMPTZ NOT NULL
);

-- "Recommended to <institution> by <partner institution> under <agreement>": only where the
-- two have a cooperation agreement with the mutual_roster_recommendation term.
CREATE TABLE roster_recommendations (
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    institution_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    recommended_by_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    agreement_id TEXT NOT NULL REFERENCES cooperation_agreements (id) ON DELETE CASCADE,
    recommended_on TEXT NOT NULL,
    recorded_by TEXT REFERENCES users (id),
    recorded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (person_id, institution_id, recommended_by_id)
);
CREATE INDEX roster_recommendations_by_institution ON roster_recommendations (institution_id, person_id);

-- Appointments outside this deployment (other institutions, ad hoc), for the conflict screen
-- and the profile's history; appointments in cases here are read from case_nominations.
-- Confidential: only the keepers of a panel that lists the arbitrator read them.
CREATE TABLE arbitrator_appointments (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    appointed_on TEXT NOT NULL,
    seat_role TEXT NOT NULL,
    institution TEXT NOT NULL,
    case_reference TEXT NOT NULL,
    appointed_by TEXT NOT NULL,
    counsel_firm TEXT,
    recorded_by TEXT REFERENCES users (id),
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX arbitrator_appointments_by_person ON arbitrator_appointments (person_id, appointed_on);

-- Disclosures an arbitrator made (IBA General Standard 3), in a case here (matter_id) or
-- elsewhere: the profile's disclosure history.
CREATE TABLE arbitrator_disclosures (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    made_on TEXT NOT NULL,
    matter_id TEXT REFERENCES matters (id),
    nomination_id TEXT REFERENCES case_nominations (id),
    case_reference TEXT NOT NULL,
    statement TEXT NOT NULL,
    recorded_by TEXT REFERENCES users (id),
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX arbitrator_disclosures_by_person ON arbitrator_disclosures (person_id, made_on);
CREATE INDEX arbitrator_disclosures_by_nomination ON arbitrator_disclosures (nomination_id);

-- A challenge brought after the rule set's limit from the appointment names the day its grounds
-- became known (UNCITRAL 2013 Art. 13(1): 15 days after the circumstances became known).
ALTER TABLE case_nominations ADD COLUMN challenge_learned_on TEXT;
