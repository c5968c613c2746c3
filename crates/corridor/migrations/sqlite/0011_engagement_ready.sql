-- Accepting a referral opens its engagement in steps (the matter, the client, a task per plan
-- item), each its own transaction in the matters store. `engagement_ready` is set after the last
-- one; an accepted referral without it is finished by the next accept or at the next start.
ALTER TABLE advisory_referrals ADD COLUMN engagement_ready BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE advisory_referrals SET engagement_ready = TRUE WHERE matter_id IS NOT NULL;
