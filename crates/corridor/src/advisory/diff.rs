//! What changed between two plans of the same project (typically: the same answers against an
//! old and a new library version): items new, changed (naming the fields) or gone, and questions
//! new or gone.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::plan::Plan;
use super::vocab::Area;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PlanDiff {
    pub new: Vec<ItemRef>,
    pub changed: Vec<ItemChange>,
    pub gone: Vec<ItemRef>,
    /// Codes of questions the new plan asks and the old did not.
    pub questions_new: Vec<String>,
    /// Codes of questions no longer asked.
    pub questions_gone: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ItemRef {
    pub obligation: String,
    pub area: Area,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ItemChange {
    pub obligation: String,
    pub area: Area,
    /// The item's fields whose value differs (`legal_basis`, `key_numbers`, `why`, `area`, ...).
    pub fields: Vec<String>,
}

impl PlanDiff {
    pub fn is_empty(&self) -> bool {
        self.new.is_empty()
            && self.changed.is_empty()
            && self.gone.is_empty()
            && self.questions_new.is_empty()
            && self.questions_gone.is_empty()
    }
}

/// The items of a plan as its JSON gives them: area, obligation, the item's fields.
fn items(plan: &Value) -> Vec<(Area, &str, &serde_json::Map<String, Value>)> {
    let sections = plan["sections"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    sections
        .iter()
        .filter_map(|s| {
            let area = Area::parse(s["area"].as_str()?)?;
            Some(s["items"].as_array()?.iter().filter_map(move |i| {
                let fields = i.as_object()?;
                Some((area, fields.get("obligation")?.as_str()?, fields))
            }))
        })
        .flatten()
        .collect()
}

fn question_codes(plan: &Value) -> Vec<String> {
    let questions = plan["questions"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    questions
        .iter()
        .filter_map(|q| q["code"].as_str().map(str::to_owned))
        .collect()
}

pub fn diff(old: &Plan, new: &Plan) -> PlanDiff {
    match (serde_json::to_value(old), serde_json::to_value(new)) {
        (Ok(old), Ok(new)) => diff_stored(&old, &new),
        _ => PlanDiff::default(),
    }
}

/// [`diff`] between plans as stored (their JSON): a stored plan was made by an earlier library,
/// which this build may no longer have, so only its JSON can be compared.
pub fn diff_stored(old: &Value, new: &Value) -> PlanDiff {
    let before = items(old);
    let after = items(new);
    let mut d = PlanDiff::default();
    for (area, urn, item) in &after {
        match before.iter().find(|(_, o, _)| o == urn) {
            None => d.new.push(ItemRef {
                obligation: urn.to_string(),
                area: *area,
            }),
            Some((old_area, _, old_item)) => {
                let mut fields = changed_fields(old_item, item);
                if old_area != area {
                    fields.insert(0, "area".into());
                }
                if !fields.is_empty() {
                    d.changed.push(ItemChange {
                        obligation: urn.to_string(),
                        area: *area,
                        fields,
                    });
                }
            }
        }
    }
    for (area, urn, _) in &before {
        if !after.iter().any(|(_, n, _)| n == urn) {
            d.gone.push(ItemRef {
                obligation: urn.to_string(),
                area: *area,
            });
        }
    }
    let (qo, qn) = (question_codes(old), question_codes(new));
    d.questions_new = qn.iter().filter(|c| !qo.contains(c)).cloned().collect();
    d.questions_gone = qo.iter().filter(|c| !qn.contains(c)).cloned().collect();
    d
}

/// Field by field: every field of an item counts.
fn changed_fields(
    a: &serde_json::Map<String, Value>,
    b: &serde_json::Map<String, Value>,
) -> Vec<String> {
    if a == b {
        return Vec::new();
    }
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect()
}
