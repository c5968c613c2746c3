//! What changed between two plans of the same project (typically: the same answers against an
//! old and a new library version): items new, changed (naming the fields) or gone, and questions
//! new or gone.

use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::plan::{Item, Plan, Question};
use super::vocab::Area;

#[derive(Clone, Debug, Default, PartialEq, Serialize, ToSchema)]
pub struct PlanDiff {
    pub new: Vec<ItemRef>,
    pub changed: Vec<ItemChange>,
    pub gone: Vec<ItemRef>,
    /// Codes of questions the new plan asks and the old did not.
    pub questions_new: Vec<String>,
    /// Codes of questions no longer asked.
    pub questions_gone: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct ItemRef {
    pub obligation: String,
    pub area: Area,
}

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
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

fn items(p: &Plan) -> Vec<(Area, &Item)> {
    p.sections
        .iter()
        .flat_map(|s| s.items.iter().map(move |i| (s.area, i)))
        .collect()
}

pub fn diff(old: &Plan, new: &Plan) -> PlanDiff {
    let before = items(old);
    let after = items(new);
    let mut d = PlanDiff::default();
    for (area, item) in &after {
        match before.iter().find(|(_, o)| o.obligation == item.obligation) {
            None => d.new.push(ItemRef {
                obligation: item.obligation.clone(),
                area: *area,
            }),
            Some((old_area, old_item)) => {
                let mut fields = changed_fields(old_item, item);
                if old_area != area {
                    fields.insert(0, "area".into());
                }
                if !fields.is_empty() {
                    d.changed.push(ItemChange {
                        obligation: item.obligation.clone(),
                        area: *area,
                        fields,
                    });
                }
            }
        }
    }
    for (area, item) in &before {
        if !after.iter().any(|(_, n)| n.obligation == item.obligation) {
            d.gone.push(ItemRef {
                obligation: item.obligation.clone(),
                area: *area,
            });
        }
    }
    let codes = |qs: &[Question]| -> Vec<String> { qs.iter().map(|q| q.code.clone()).collect() };
    let (qo, qn) = (codes(&old.questions), codes(&new.questions));
    d.questions_new = qn.iter().filter(|c| !qo.contains(c)).cloned().collect();
    d.questions_gone = qo.iter().filter(|c| !qn.contains(c)).cloned().collect();
    d
}

/// Field by field, through the items' JSON: every field of an item counts.
fn changed_fields(a: &Item, b: &Item) -> Vec<String> {
    if a == b {
        return Vec::new();
    }
    let (Ok(Value::Object(a)), Ok(Value::Object(b))) =
        (serde_json::to_value(a), serde_json::to_value(b))
    else {
        return vec!["item".into()];
    };
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect()
}
