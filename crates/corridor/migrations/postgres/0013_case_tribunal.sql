-- Forming a case's tribunal (issue 10 §5): a candidate from the directory's people is
-- nominated for a seat, screened at once (nationality of a sole or presiding arbitrator, and
-- conflicts from the appointment history), confirmed or rejected by the secretariat, and may be
-- challenged. Confirmed nominations are the appointment history later screens count.
CREATE TABLE case_nominations (
    id TEXT PRIMARY KEY,
    matter_id TEXT NOT NULL REFERENCES matters (id),
    person_id TEXT NOT NULL REFERENCES people (id),
    -- sole | presiding | co_arbitrator
    seat_role TEXT NOT NULL,
    -- Who nominates: claimant | respondent | institution
    side TEXT NOT NULL,
    -- The party who appointed (the nominating side's name, normalised) and its counsel's firm:
    -- what the repeat-appointment screens count.
    appointed_by TEXT NOT NULL,
    counsel_firm TEXT,
    -- The arbitrator's Corridor account, who joins the case when confirmed.
    email TEXT,
    -- proposed | confirmed | rejected | challenged | removed
    status TEXT NOT NULL,
    -- The screens' answer at nomination, JSON (neutrality, findings, draft disclosure).
    screen TEXT NOT NULL,
    challenge TEXT,
    nominated_by TEXT NOT NULL REFERENCES users (id),
    nominated_at TIMESTAMPTZ NOT NULL,
    decided_by TEXT REFERENCES users (id),
    decided_at TIMESTAMPTZ,
    version BIGINT NOT NULL
);
CREATE INDEX case_nominations_by_case ON case_nominations (matter_id, nominated_at);
CREATE INDEX case_nominations_by_person ON case_nominations (person_id, status);
