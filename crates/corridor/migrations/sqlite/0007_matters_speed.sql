-- "My matters" for a user in thousands of matters (issue 9: p99 ≤ 20 ms among 1,000,000).
-- Filtering a user's participations by the matter's kind or status had to look up every one
-- of their matters, one random page each, and the total counts them all on every page view.
-- The participation row now carries a copy of its matter's kind and status, kept by triggers
-- (so every writer, present or future, keeps it right), and one index answers every filter of
-- the participant branch — role, kind, status — from the index alone.

ALTER TABLE matter_participants ADD COLUMN matter_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE matter_participants ADD COLUMN matter_status TEXT NOT NULL DEFAULT '';

UPDATE matter_participants
   SET matter_kind = (SELECT kind FROM matters WHERE matters.id = matter_participants.matter_id),
       matter_status = (SELECT status FROM matters WHERE matters.id = matter_participants.matter_id);

CREATE TRIGGER matter_participants_copy AFTER INSERT ON matter_participants
BEGIN
    UPDATE matter_participants
       SET matter_kind = (SELECT kind FROM matters WHERE id = NEW.matter_id),
           matter_status = (SELECT status FROM matters WHERE id = NEW.matter_id)
     WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER matters_copy_to_participants AFTER UPDATE OF kind, status ON matters
WHEN OLD.kind IS NOT NEW.kind OR OLD.status IS NOT NEW.status
BEGIN
    UPDATE matter_participants SET matter_kind = NEW.kind, matter_status = NEW.status
     WHERE matter_id = NEW.id;
END;

CREATE INDEX matter_participants_mine
    ON matter_participants (user_id, matter_status, matter_kind, role, matter_id);
