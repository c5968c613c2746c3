//! Revising the obligations library (issue 12 §2): who may propose a revision and who may
//! publish it, how a proposed entry is checked, and what a revision changes. Pure: the store
//! is [`super::library_store`], the workflow [`super::library_revisions`].
//!
//! Bureau officers and the lawyers of law firms propose; bureau officers publish (the bureau
//! answers for the programme's library). An entry is checked at once against the library it
//! would join, so a proposal that the plan generator could not use is refused when written,
//! not when published. One rule is left for publication: an entry without a source may be
//! saved as a draft (someone is still finding it) but not published.

use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::library::Library;
use crate::AppError;
use crate::auth::{Actor, Membership, OrgRole, PlatformRole};

/// A revision's states: `draft` until a bureau officer publishes or rejects it; a published
/// revision is `superseded` when a later one of the same entry is published.
pub const STATES: [&str; 4] = ["draft", "published", "superseded", "rejected"];

/// Who proposes: `Some(None)` for a bureau officer, `Some(Some(firm))` for a lawyer or the
/// administrator of a law firm (the first such membership), `None` for anyone else.
pub fn proposer(actor: &Actor) -> Option<Option<&Membership>> {
    if actor.platform_role == Some(PlatformRole::BureauOfficer) {
        return Some(None);
    }
    actor
        .memberships
        .iter()
        .find(|m| {
            matches!(
                m.organization_kind.as_str(),
                "local_law_firm" | "foreign_law_firm"
            ) && matches!(m.role, OrgRole::Lawyer | OrgRole::OrgAdmin)
        })
        .map(Some)
}

/// Only the bureau publishes.
pub fn can_publish(actor: &Actor) -> bool {
    actor.platform_role == Some(PlatformRole::BureauOfficer)
}

/// A draft or rejected revision is read by the bureau, its author and its author's firm; a
/// published one (current or superseded) by anyone, as the library is.
pub fn can_read(actor: Option<&Actor>, state: &str, author: &str, org: Option<&str>) -> bool {
    if matches!(state, "published" | "superseded") {
        return true;
    }
    actor.is_some_and(|a| {
        a.platform_role == Some(PlatformRole::BureauOfficer)
            || a.user_id == author
            || org.is_some_and(|o| a.role_in(o).is_some())
    })
}

/// A draft is rejected by the bureau, or withdrawn by its author.
pub fn can_reject(actor: &Actor, author: &str) -> bool {
    can_publish(actor) || actor.user_id == author
}

/// Whether an entry names at least one source (publication needs one).
pub fn has_source(entry: &Value) -> bool {
    entry["sources"].as_array().is_some_and(|s| {
        s.iter()
            .any(|v| v.as_str().is_some_and(|t| !t.trim().is_empty()))
    })
}

/// The URN of a proposed entry, checked for shape.
pub fn urn_of(entry: &Value) -> Result<&str, AppError> {
    let urn = entry["id"]
        .as_str()
        .map(str::trim)
        .ok_or_else(|| AppError::invalid("entry.id", "required"))?;
    let ok = urn.len() <= 200
        && urn
            .strip_prefix("urn:corridor:obl:")
            .is_some_and(|rest| !rest.is_empty())
        && urn
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-:._".contains(c));
    if ok {
        Ok(urn)
    } else {
        Err(AppError::invalid("entry.id", "library_urn"))
    }
}

/// Checks a proposed entry against the library it would join (the build's file with the
/// `published` revisions and this entry): the result must be a library the plan generator
/// can use. A missing source is not checked here ([`has_source`] decides publication).
pub fn check_entry(entry: &Value, published: &[Value]) -> Result<(), AppError> {
    if !entry.is_object() {
        return Err(AppError::invalid("entry", "required"));
    }
    let urn = urn_of(entry)?;
    let mut probe = entry.clone();
    if !has_source(&probe) {
        probe["sources"] = Value::from(vec!["(to be found)"]);
    }
    let mut revisions: Vec<Value> = published
        .iter()
        .filter(|r| r["id"].as_str() != Some(urn))
        .cloned()
        .collect();
    revisions.push(probe);
    Library::revised(&revisions, "check")
        .map(|_| ())
        .map_err(|e| AppError::InvalidValues {
            field: "entry".into(),
            reason: "library_entry",
            values: vec![e.0],
        })
}

/// One field of an entry that a revision changes.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize, ToSchema)]
pub struct FieldChange {
    pub field: String,
    /// `null` when the field is new (or the entry is).
    #[schema(value_type = Object)]
    pub before: Value,
    /// `null` when the revision drops the field.
    #[schema(value_type = Object)]
    pub after: Value,
}

/// The fields that differ between an entry and its revision (changed or added, in field-name
/// order), then the fields it drops. A new entry (`before` is `None`) changes every field.
pub fn changes(before: Option<&Value>, after: &Value) -> Vec<FieldChange> {
    let empty = serde_json::Map::new();
    let old = before.and_then(Value::as_object).unwrap_or(&empty);
    let new = after.as_object().unwrap_or(&empty);
    let mut out: Vec<FieldChange> = new
        .iter()
        .filter(|(k, v)| old.get(*k) != Some(*v))
        .map(|(k, v)| FieldChange {
            field: k.clone(),
            before: old.get(k).cloned().unwrap_or(Value::Null),
            after: v.clone(),
        })
        .collect();
    out.extend(
        old.iter()
            .filter(|(k, _)| !new.contains_key(*k))
            .map(|(k, v)| FieldChange {
                field: k.clone(),
                before: v.clone(),
                after: Value::Null,
            }),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(urn: &str) -> Value {
        Library::get()
            .unwrap()
            .obligation(urn)
            .unwrap()
            .entry
            .clone()
    }

    const URN: &str = "urn:corridor:obl:cn:odi:safe-huifa-2015-13:bank-fx-registration";

    #[test]
    fn an_entry_of_the_file_passes_and_an_unusable_one_is_refused_with_the_reason() {
        assert!(check_entry(&entry(URN), &[]).is_ok());
        let mut bad = entry(URN);
        bad["applies_when"]["flags_all"] = json!(["no_such_flag"]);
        match check_entry(&bad, &[]) {
            Err(AppError::InvalidValues { reason, values, .. }) => {
                assert_eq!(reason, "library_entry");
                assert!(values[0].contains("no_such_flag"), "{values:?}");
            }
            other => panic!("{other:?}"),
        }
        let mut bad_date = entry(URN);
        bad_date["effective_from"] = json!("1 June 2015");
        assert!(check_entry(&bad_date, &[]).is_err());
    }

    #[test]
    fn a_draft_may_lack_a_source_but_is_not_publishable() {
        let mut e = entry(URN);
        e["sources"] = json!([" "]);
        assert!(check_entry(&e, &[]).is_ok());
        assert!(!has_source(&e));
        assert!(has_source(&entry(URN)));
        // The library refuses it outright: publishing would fail.
        assert!(Library::revised(&[e], "x").is_err());
    }

    #[test]
    fn a_new_entry_is_added_and_its_urn_is_checked() {
        let mut e = entry(URN);
        e["id"] = json!("urn:corridor:obl:cn:odi:demo-new-entry");
        let lib = Library::revised(std::slice::from_ref(&e), "t").unwrap();
        assert_eq!(lib.obligations.len(), 89);
        assert_eq!(lib.version, "t");
        e["id"] = json!("not a urn");
        assert!(matches!(
            urn_of(&e),
            Err(AppError::Invalid {
                reason: "library_urn",
                ..
            })
        ));
    }

    #[test]
    fn changes_name_each_changed_added_and_dropped_field() {
        let old = json!({"id": "u", "status": "in_force", "title_en": "A", "supersedes": "x"});
        let new =
            json!({"id": "u", "status": "repealed", "title_en": "A", "effective_to": "2026-12-31"});
        let c = changes(Some(&old), &new);
        let fields: Vec<&str> = c.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["effective_to", "status", "supersedes"]);
        assert_eq!(c[0].before, Value::Null);
        assert_eq!(c[1].before, json!("in_force"));
        assert_eq!(c[2].after, Value::Null);
        assert_eq!(changes(None, &new).len(), 4);
        assert!(changes(Some(&new), &new).is_empty());
    }
}
