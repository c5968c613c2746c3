//! An obligation entry as a web form, and back. Pure. The form edits what people maintain
//! (texts, legal basis, dates, status, sources, verification, conditions, key numbers); every
//! other field of the entry (`supersedes`, `superseded_by`, ...) is kept from the entry it
//! revises, and `last_reviewed` becomes the day of the proposal.

use chrono::NaiveDate;
use serde_json::{Map, Value, json};

use crate::AppError;
use crate::web::form::one;

/// The form's fields, as text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EntryForm {
    pub urn: String,
    pub jurisdiction: String,
    pub area: String,
    pub title_en: String,
    pub title_zh: String,
    pub summary_en: String,
    /// One instrument a line: `instrument | number | article` (number and article optional).
    pub legal_basis: String,
    pub effective_from: String,
    pub effective_to: String,
    pub effective_from_verified: bool,
    pub status: String,
    /// One source (a URL or a citation) a line.
    pub sources: String,
    pub verified: bool,
    pub verification_note: String,
    /// `applies_when`, as JSON.
    pub applies_when: String,
    /// `key_numbers`, as JSON.
    pub key_numbers: String,
    /// Why (the revision's note, not part of the entry).
    pub note: String,
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

impl EntryForm {
    /// The form for revising `entry`.
    pub fn of(entry: &Value) -> EntryForm {
        let basis = entry["legal_basis"]
            .as_array()
            .map(|b| {
                b.iter()
                    .map(|l| {
                        let mut parts = vec![text(&l["instrument"])];
                        let (number, article) = (text(&l["number"]), text(&l["article"]));
                        if !number.is_empty() || !article.is_empty() {
                            parts.push(number);
                        }
                        if !article.is_empty() {
                            parts.push(article);
                        }
                        parts.join(" | ")
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default();
        let sources = entry["sources"]
            .as_array()
            .map(|s| s.iter().map(text).collect::<Vec<_>>().join("\n"))
            .unwrap_or_default();
        EntryForm {
            urn: text(&entry["id"]),
            jurisdiction: text(&entry["jurisdiction"]),
            area: text(&entry["area"]),
            title_en: text(&entry["title_en"]),
            title_zh: text(&entry["title_zh"]),
            summary_en: text(&entry["summary_en"]),
            legal_basis: basis,
            effective_from: text(&entry["effective_from"]),
            effective_to: text(&entry["effective_to"]),
            effective_from_verified: entry["effective_from_verified"].as_bool() == Some(true),
            status: text(&entry["status"]),
            sources,
            verified: entry["verified"].as_bool() == Some(true),
            verification_note: text(&entry["verification_note"]),
            applies_when: pretty(&entry["applies_when"]),
            key_numbers: pretty(&entry["key_numbers"]),
            note: String::new(),
        }
    }

    /// A blank form for a new entry: conditions that apply to every project, no key numbers.
    pub fn blank() -> EntryForm {
        EntryForm {
            urn: "urn:corridor:obl:".into(),
            status: "in_force".into(),
            applies_when: pretty(&json!({
                "sectors_isic": ["*"],
                "entry_modes": ["greenfield", "acquisition", "joint_venture", "epc_contract",
                    "trade_distribution", "franchise", "representative_office"],
                "ownership_types": ["SOE", "private"],
            })),
            key_numbers: "[]".into(),
            ..EntryForm::default()
        }
    }

    /// The form as posted.
    pub fn from_pairs(pairs: &[(String, String)]) -> EntryForm {
        let f = |k: &str| one(pairs, k);
        EntryForm {
            urn: f("urn").trim().to_owned(),
            jurisdiction: f("jurisdiction").trim().to_owned(),
            area: f("area").trim().to_owned(),
            title_en: f("title_en"),
            title_zh: f("title_zh"),
            summary_en: f("summary_en"),
            legal_basis: f("legal_basis"),
            effective_from: f("effective_from").trim().to_owned(),
            effective_to: f("effective_to").trim().to_owned(),
            effective_from_verified: f("effective_from_verified") == "yes",
            status: f("status").trim().to_owned(),
            sources: f("sources"),
            verified: f("verified") == "yes",
            verification_note: f("verification_note"),
            applies_when: f("applies_when"),
            key_numbers: f("key_numbers"),
            note: f("note"),
        }
    }

    /// The entry the form describes, over `base` (the entry it revises, if any), reviewed on
    /// `today`. Fields are checked for shape here; the library checks the rest.
    pub fn entry(&self, base: Option<&Value>, today: NaiveDate) -> Result<Value, AppError> {
        let mut e: Map<String, Value> =
            base.and_then(Value::as_object).cloned().unwrap_or_default();
        let required = |field: &str, v: &str| {
            if v.trim().is_empty() {
                Err(AppError::invalid(field, "required"))
            } else {
                Ok(Value::from(v.trim()))
            }
        };
        e.insert("id".into(), required("urn", &self.urn)?);
        e.insert(
            "jurisdiction".into(),
            required("jurisdiction", &self.jurisdiction)?,
        );
        e.insert("area".into(), required("area", &self.area)?);
        e.insert("title_en".into(), required("title_en", &self.title_en)?);
        e.insert("title_zh".into(), required("title_zh", &self.title_zh)?);
        e.insert("summary_en".into(), Value::from(self.summary_en.trim()));
        let basis: Vec<Value> = lines(&self.legal_basis)
            .map(|l| {
                let parts: Vec<&str> = l.split('|').map(str::trim).collect();
                let mut b = json!({ "instrument": parts[0] });
                if let Some(n) = parts.get(1).filter(|n| !n.is_empty()) {
                    b["number"] = Value::from(*n);
                }
                if let Some(a) = parts.get(2).filter(|a| !a.is_empty()) {
                    b["article"] = Value::from(*a);
                }
                b
            })
            .collect();
        if basis.is_empty() {
            return Err(AppError::invalid("legal_basis", "required"));
        }
        e.insert("legal_basis".into(), Value::from(basis));
        e.insert(
            "effective_from".into(),
            required("effective_from", &self.effective_from)?,
        );
        e.insert(
            "effective_to".into(),
            match self.effective_to.trim() {
                "" => Value::Null,
                to => Value::from(to),
            },
        );
        e.insert(
            "effective_from_verified".into(),
            Value::from(self.effective_from_verified),
        );
        e.insert("status".into(), required("status", &self.status)?);
        e.insert(
            "sources".into(),
            Value::from(lines(&self.sources).collect::<Vec<_>>()),
        );
        e.insert("verified".into(), Value::from(self.verified));
        e.insert(
            "verification_note".into(),
            Value::from(self.verification_note.trim()),
        );
        e.insert(
            "applies_when".into(),
            json_field("applies_when", &self.applies_when, Value::is_object)?,
        );
        e.insert(
            "key_numbers".into(),
            json_field("key_numbers", &self.key_numbers, Value::is_array)?,
        );
        e.insert("last_reviewed".into(), Value::from(today.to_string()));
        Ok(Value::Object(e))
    }
}

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty())
}

fn json_field(field: &str, text: &str, shape: fn(&Value) -> bool) -> Result<Value, AppError> {
    match serde_json::from_str::<Value>(text) {
        Ok(v) if shape(&v) => Ok(v),
        _ => Err(AppError::invalid(field, "json")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisory::Library;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
    }

    #[test]
    fn every_entry_of_the_file_round_trips_through_the_form() {
        for o in &Library::get().unwrap().obligations {
            let back = EntryForm::of(&o.entry)
                .entry(Some(&o.entry), day())
                .unwrap();
            let mut expected = o.entry.clone();
            expected["last_reviewed"] = Value::from("2026-12-04");
            assert_eq!(back, expected, "{}", o.urn);
        }
    }

    #[test]
    fn a_changed_form_changes_only_its_fields_and_keeps_the_rest() {
        let o = &Library::get().unwrap().obligations[0];
        let mut form = EntryForm::of(&o.entry);
        form.status = "repealed".into();
        form.effective_to = "2026-12-31".into();
        form.sources.push_str("\nhttps://example.org/gazette");
        let e = form.entry(Some(&o.entry), day()).unwrap();
        assert_eq!(e["status"], "repealed");
        assert_eq!(e["effective_to"], "2026-12-31");
        assert_eq!(e["sources"].as_array().unwrap().len(), o.sources.len() + 1);
        assert_eq!(e["applies_when"], o.entry["applies_when"]);
    }

    #[test]
    fn a_malformed_field_is_named() {
        let mut form = EntryForm::blank();
        form.urn = "urn:corridor:obl:cn:x:y".into();
        form.jurisdiction = "CN".into();
        form.area = "sanctions".into();
        form.title_en = "T".into();
        form.title_zh = "标题".into();
        form.legal_basis = "Law | No. 1 | Art. 2".into();
        form.effective_from = "2026-01-01".into();
        let e = form.entry(None, day()).unwrap();
        assert_eq!(
            e["legal_basis"],
            json!([{"instrument": "Law", "number": "No. 1", "article": "Art. 2"}])
        );
        form.applies_when = "{not json".into();
        assert!(matches!(
            form.entry(None, day()),
            Err(AppError::Invalid { ref field, reason: "json" }) if field == "applies_when"
        ));
        form.applies_when = "{}".into();
        form.legal_basis = " \n ".into();
        assert!(matches!(
            form.entry(None, day()),
            Err(AppError::Invalid { ref field, reason: "required" }) if field == "legal_basis"
        ));
    }
}
