//! The statements of the organization list: the page with its total in one statement, and the
//! total alone. Pure: the request's validated filters in, SQL text and parameters out.
//!
//! Tags are what makes a list expensive, so they get the index work (migrations 0020, 0021):
//! - each tag row carries its organization's whole tag set (`|facet:value|…|`) and its list
//!   sort keys (`name_en`, `updated_at`), kept in two indexes that start with the tag;
//! - `organization_tag_pairs` counts the organizations with each tag and each pair of tags,
//!   kept by triggers.
//!
//! So a list filtered by tags and sorted by name or date walks the first tag's rows in the
//! sort order, tests the other tags in the row's set, and stops at the page's end (PostgreSQL:
//! 0.15 ms for 20 of 1,667, where walking the organizations in that order and probing the tag
//! index twice per row took 0.66 ms); its total over one or two tags is one row, not a count
//! of the organizations one by one.

use super::model::{OrgKind, SortKey};
use crate::db::sql::{Param, Sql, contains_exactly};

/// The organizations' columns a list row reads, in [`super::store_orgs`]'s row order.
pub(super) const ORG_COLUMNS: &str = "o.id, o.slug, o.kind, o.name_zh, o.name_en, \
     o.jurisdiction, o.city_en, o.city_zh, o.email, o.phone, o.website, o.description_en, \
     o.description_zh, o.remote_notarization_pilot, o.languages, o.practice_areas, o.is_demo, \
     o.created_at, o.updated_at";

const ORGS_WHERE: &str = " FROM organizations o WHERE 1 = 1";
const TAGS_WHERE: &str =
    " FROM organization_tags t0 JOIN organizations o ON o.id = t0.organization_id WHERE 1 = 1";

/// An organization's tags as its tag rows carry them, `|facet:value|…|` (migration 0020).
/// Facets and values are codes from closed lists, so neither holds `|` or `:`.
pub fn tag_set<'a>(tags: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut set = String::from("|");
    for (facet, value) in tags {
        set.push_str(facet);
        set.push(':');
        set.push_str(value);
        set.push('|');
    }
    set
}

/// One statement inserting an organization's tag rows, each with the whole set and the
/// organization's sort keys as just written; `None` when it has no tags.
pub fn tag_rows(
    id: &str,
    tags: &[(&str, &str)],
    name_en: &str,
    updated_at: chrono::DateTime<chrono::Utc>,
) -> Option<Sql> {
    if tags.is_empty() {
        return None;
    }
    let set = tag_set(tags.iter().copied());
    let mut sql = Sql::new(
        "INSERT INTO organization_tags (organization_id, facet, value, tag_set, name_en, updated_at) \
         VALUES ",
    );
    for (i, (facet, value)) in tags.iter().enumerate() {
        sql.push(if i == 0 { "(" } else { ", (" })
            .bind_text(id)
            .push(", ")
            .bind_text(*facet)
            .push(", ")
            .bind_text(*value)
            .push(", ")
            .bind_text(set.clone())
            .push(", ")
            .bind_text(name_en)
            .push(", ")
            .bind(Param::Time(updated_at))
            .push(")");
    }
    Some(sql)
}

/// A list request after validation: every value is a checked code or bounded text.
#[derive(Debug, Default)]
pub(super) struct OrgFilter {
    pub q: Option<String>,
    pub kind: Option<OrgKind>,
    pub country: Option<String>,
    /// `(facet, value)` pairs every listed organization carries.
    pub tags: Vec<(&'static str, String)>,
    pub partner_country: Option<String>,
    pub pilot: Option<bool>,
    pub sort: SortKey,
}

/// The page (each row led by the total) and the total alone, for a page past the end.
pub(super) fn statements(f: &OrgFilter, limit: i64, offset: i64) -> (Sql, Sql) {
    let mut filter = Sql::new(ORGS_WHERE);
    if let Some(q) = &f.q {
        filter.any_contains(
            &[
                "LOWER(o.name_en)",
                "o.name_zh",
                "LOWER(o.city_en)",
                "o.city_zh",
            ],
            q,
        );
    }
    if let Some(kind) = f.kind {
        filter.push(" AND o.kind = ").bind_text(kind.as_str());
    }
    if let Some(country) = &f.country {
        filter
            .push(" AND o.jurisdiction = ")
            .bind_text(country.clone());
    }
    if let Some(country) = &f.partner_country {
        filter.push(
            " AND EXISTS (SELECT 1 FROM partnerships p JOIN partnership_countries pc \
             ON pc.partnership_id = p.id WHERE (p.local_firm_id = o.id OR p.foreign_firm_id = o.id) \
             AND pc.country = ",
        );
        filter.bind_text(country.clone()).push(")");
    }
    if let Some(pilot) = f.pilot {
        filter
            .push(" AND o.remote_notarization_pilot = ")
            .bind(Param::Bool(pilot));
    }
    let count = count(f, &filter);
    // One statement answers the page and its total: the count is an uncorrelated scalar
    // subquery, which both databases evaluate once. Its parameters come first, so the page's
    // filter, appended after, reuses their numbers. (Two statements cost two trips to a
    // pooled connection, most of a cheap list's time.)
    let mut select = Sql::new("SELECT (");
    select
        .push(&count.text)
        .push(") AS total, ")
        .push(ORG_COLUMNS);
    select.params = count.params.clone();
    match tag_order(f.sort) {
        Some((column, dir)) if !f.tags.is_empty() => {
            select.push(&filter.text.replacen(ORGS_WHERE, TAGS_WHERE, 1));
            push_tags_of_first_row(&mut select, &f.tags);
            select.push(&format!(
                " ORDER BY t0.{column} {dir}, t0.organization_id {dir}"
            ));
        }
        _ => {
            // By country, or no tags: walk the organizations in the sort order's index and
            // probe the tag index per row (EXISTS, not IN, so the walk stops at the page's
            // end instead of sorting every tagged organization).
            select.push(&filter.text);
            for (facet, value) in &f.tags {
                select
                    .push(" AND EXISTS (SELECT 1 FROM organization_tags t WHERE t.organization_id = o.id")
                    .push(" AND t.facet = ")
                    .bind_text(*facet)
                    .push(" AND t.value = ")
                    .bind_text(value.clone())
                    .push(")");
            }
            select.push(" ORDER BY ").push(&f.sort.order_by("o"));
        }
    }
    select.limit(limit).offset(offset);
    (select, count)
}

/// The column of a tag row that orders the list as `sort` does (ties by organization id, as
/// [`SortKey::order_by`] breaks them); `None` for orders tag rows do not carry.
fn tag_order(sort: SortKey) -> Option<(&'static str, &'static str)> {
    match sort {
        SortKey::Name => Some(("name_en", "ASC")),
        SortKey::NameDesc => Some(("name_en", "DESC")),
        SortKey::Updated => Some(("updated_at", "ASC")),
        SortKey::UpdatedDesc => Some(("updated_at", "DESC")),
        SortKey::Country | SortKey::CountryDesc => None,
    }
}

/// ` AND t0.facet = … AND t0.value = …` for the first tag, and the others tested in the
/// row's tag set (read from the same index entry).
fn push_tags_of_first_row(sql: &mut Sql, tags: &[(&'static str, String)]) {
    let Some(((facet, value), rest)) = tags.split_first() else {
        return;
    };
    sql.push(" AND t0.facet = ")
        .bind_text(*facet)
        .push(" AND t0.value = ")
        .bind_text(value.clone());
    for (facet, value) in rest {
        sql.push(" AND t0.tag_set LIKE ")
            .bind_text(contains_exactly(&tag_set([(*facet, value.as_str())])))
            .push(" ESCAPE '\\'");
    }
}

/// The total: over one or two tags alone, their row in `organization_tag_pairs`; with other
/// filters, the first tag's rows joined to their organizations; without tags, the
/// organizations.
fn count(f: &OrgFilter, filter: &Sql) -> Sql {
    let mut count = Sql::new("SELECT COUNT(*)");
    count.params = filter.params.clone();
    let mut pair: Vec<String> = f.tags.iter().map(|(f, v)| format!("{f}:{v}")).collect();
    pair.sort();
    match pair.as_slice() {
        [] => {
            count.push(&filter.text);
        }
        [tag] | [tag, _] if filter.params.is_empty() => {
            let other = pair.get(1).cloned().unwrap_or_default();
            count = Sql::new(
                "SELECT COALESCE((SELECT p.organizations FROM organization_tag_pairs p WHERE p.tag = ",
            );
            count
                .bind_text(tag.clone())
                .push(" AND p.other = ")
                .bind_text(other)
                .push("), 0)");
        }
        _ => {
            count.push(&filter.text.replacen(ORGS_WHERE, TAGS_WHERE, 1));
            push_tags_of_first_row(&mut count, &f.tags);
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags() -> Vec<(&'static str, String)> {
        vec![
            ("practice_area", "maritime".to_string()),
            ("language", "en".to_string()),
        ]
    }

    #[test]
    fn a_tag_list_by_date_walks_the_first_tags_rows_and_reads_one_pair_count() {
        let f = OrgFilter {
            tags: tags(),
            sort: SortKey::UpdatedDesc,
            ..Default::default()
        };
        let (select, count) = statements(&f, 20, 40);
        assert!(
            count.text.contains("FROM organization_tag_pairs p"),
            "{}",
            count.text
        );
        // The pair is named in its stored order, whatever the request's.
        assert!(matches!(&count.params[0], Param::Text(t) if t == "language:en"));
        assert!(matches!(&count.params[1], Param::Text(t) if t == "practice_area:maritime"));
        assert!(
            select
                .text
                .contains("FROM organization_tags t0 JOIN organizations o")
        );
        assert!(
            select.text.ends_with(
                "ORDER BY t0.updated_at DESC, t0.organization_id DESC LIMIT 20 OFFSET 40"
            )
        );
        assert!(!select.text.contains("EXISTS"), "{}", select.text);
        // The count's parameters lead; the page binds its own after them.
        assert_eq!(count.params.len(), 2);
        assert_eq!(select.params.len(), 5);
        assert!(matches!(&select.params[4], Param::Text(p) if p == "%|language:en|%"));
    }

    #[test]
    fn other_filters_count_through_the_organizations_and_country_order_probes_tags() {
        let f = OrgFilter {
            tags: tags(),
            country: Some("VN".into()),
            sort: SortKey::Country,
            ..Default::default()
        };
        let (select, count) = statements(&f, 20, 0);
        assert!(
            count
                .text
                .contains("FROM organization_tags t0 JOIN organizations o")
        );
        assert!(count.text.contains("o.jurisdiction = $1"), "{}", count.text);
        assert_eq!(select.text.matches("EXISTS").count(), 2, "{}", select.text);
        assert!(
            select
                .text
                .contains("ORDER BY o.jurisdiction ASC, o.id ASC")
        );
    }

    #[test]
    fn without_tags_nothing_reads_tag_rows() {
        let f = OrgFilter {
            kind: Some(OrgKind::NotaryOffice),
            ..Default::default()
        };
        let (select, count) = statements(&f, 20, 0);
        assert_eq!(
            count.text,
            "SELECT COUNT(*) FROM organizations o WHERE 1 = 1 AND o.kind = $1"
        );
        assert!(
            !select.text.contains("organization_tags"),
            "{}",
            select.text
        );
        assert!(select.text.contains("ORDER BY o.name_en ASC, o.id ASC"));
        let words = OrgFilter {
            q: Some("50%".into()),
            ..Default::default()
        };
        let (_, count) = statements(&words, 20, 0);
        assert_eq!(
            count.text,
            "SELECT COUNT(*) FROM organizations o WHERE 1 = 1 AND (LOWER(o.name_en) LIKE $1 \
             ESCAPE '\\' OR o.name_zh LIKE $2 ESCAPE '\\' OR LOWER(o.city_en) LIKE $3 \
             ESCAPE '\\' OR o.city_zh LIKE $4 ESCAPE '\\')"
        );
        assert!(matches!(&count.params[3], Param::Text(p) if p == "%50\\%%"));
    }

    #[test]
    fn tag_rows_carry_the_set_and_the_sort_keys() {
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-05T10:00:00Z")
            .unwrap()
            .to_utc();
        let sql = tag_rows(
            "o1",
            &[("language", "en"), ("practice_area", "ip")],
            "A",
            at,
        )
        .unwrap();
        assert_eq!(sql.params.len(), 12);
        assert!(matches!(&sql.params[3], Param::Text(s) if s == "|language:en|practice_area:ip|"));
        assert!(tag_rows("o1", &[], "A", at).is_none());
    }
}
