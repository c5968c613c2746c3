-- A list filtered by tags and sorted by name or date walks the first tag's rows in that order
-- and stops at the page's end: tag rows carry their organization's sort keys, copied when the
-- organization is written (it rewrites its tag rows every time), in indexes that also hold
-- the tag set the other tags are tested in.
ALTER TABLE organization_tags ADD COLUMN name_en TEXT NOT NULL DEFAULT '';
ALTER TABLE organization_tags ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
UPDATE organization_tags SET
    name_en = (SELECT o.name_en FROM organizations o WHERE o.id = organization_tags.organization_id),
    updated_at = (SELECT o.updated_at FROM organizations o WHERE o.id = organization_tags.organization_id);
CREATE INDEX organization_tags_by_name ON organization_tags (facet, value, name_en, organization_id, tag_set);
CREATE INDEX organization_tags_by_updated ON organization_tags (facet, value, updated_at, organization_id, tag_set);

-- How many organizations carry each tag (`other` = '') and each pair of tags (`tag` < `other`,
-- as `facet:value`): a total over one or two tags is then one row, however many organizations
-- match. Kept by triggers from the tag rows (each carries its organization's whole set), so
-- every writer, and a cascade from a deleted organization, keeps it exact. A count that falls
-- to zero keeps its row.
CREATE TABLE organization_tag_pairs (
    tag TEXT NOT NULL,
    other TEXT NOT NULL,
    organizations INTEGER NOT NULL,
    PRIMARY KEY (tag, other)
);
-- The tags of a tag set, and '' for the tag alone: `|a|b|` read as the JSON array ["","a","b",""]
-- (codes hold no quotes), then those after `tag`.
CREATE TRIGGER organization_tag_pairs_add AFTER INSERT ON organization_tags BEGIN
    INSERT INTO organization_tag_pairs (tag, other, organizations)
    SELECT DISTINCT NEW.facet || ':' || NEW.value, j.value, 1
    FROM json_each('["' || replace(NEW.tag_set, '|', '","') || '"]') j
    WHERE j.value = '' OR j.value > NEW.facet || ':' || NEW.value
    ON CONFLICT (tag, other) DO UPDATE SET organizations = organizations + 1;
END;
CREATE TRIGGER organization_tag_pairs_remove AFTER DELETE ON organization_tags BEGIN
    UPDATE organization_tag_pairs SET organizations = organizations - 1
    WHERE tag = OLD.facet || ':' || OLD.value AND other IN (
        SELECT j.value FROM json_each('["' || replace(OLD.tag_set, '|', '","') || '"]') j
        WHERE j.value = '' OR j.value > OLD.facet || ':' || OLD.value
    );
END;
-- Tag rows are never updated in place (an organization's are deleted and written again);
-- one that were would leave the counts behind, so it is refused.
CREATE TRIGGER organization_tags_fixed BEFORE UPDATE OF facet, value, tag_set ON organization_tags BEGIN
    SELECT RAISE(ABORT, 'organization tag rows are replaced, not updated');
END;
INSERT INTO organization_tag_pairs (tag, other, organizations)
SELECT tag, other, COUNT(*) FROM (
    SELECT DISTINCT t.organization_id, t.facet || ':' || t.value AS tag, j.value AS other
    FROM organization_tags t, json_each('["' || replace(t.tag_set, '|', '","') || '"]') j
    WHERE j.value = '' OR j.value > t.facet || ':' || t.value
) AS pairs
GROUP BY tag, other;
