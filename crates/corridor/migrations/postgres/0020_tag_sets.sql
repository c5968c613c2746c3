-- Counting a list's matches is most of a cheap list's cost; these make the counts read small,
-- deduplicated indexes (PostgreSQL stores equal keys once, with a list of rows).
--
-- Each tag row carries every tag of its organization (`|facet:value|facet:value|`). A count
-- over several tags reads the first tag's rows in `organization_tags_sets` and tests the
-- others in that text, where it probed the tag index once per row for each further tag
-- (0.27 ms for 1,667 of 10,000 organizations, against 0.55 ms with the set beside the id in
-- the tag index and more with a probe per row).
ALTER TABLE organization_tags ADD COLUMN tag_set TEXT NOT NULL DEFAULT '';
UPDATE organization_tags SET tag_set = s.tag_set
FROM (
    SELECT organization_id, '|' || string_agg(facet || ':' || value, '|') || '|' AS tag_set
    FROM organization_tags GROUP BY organization_id
) s
WHERE s.organization_id = organization_tags.organization_id;
-- No default: a writer that does not know the column (an older node during a rolling upgrade)
-- fails loudly instead of adding rows the counts would miss.
ALTER TABLE organization_tags ALTER COLUMN tag_set DROP DEFAULT;
CREATE INDEX organization_tags_sets ON organization_tags (facet, value, tag_set);

-- A count by country or kind alone: 0.08 ms for 834 of 10,000 organizations, against 0.27 ms
-- through the list order's index, whose entries carry the name and id.
CREATE INDEX organizations_counted_by_jurisdiction ON organizations (jurisdiction);
CREATE INDEX organizations_counted_by_kind ON organizations (kind);
