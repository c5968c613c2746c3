//! `data/notary/remote_notarization_cn.json`, parsed once: the pilot's eligibility rules, matter
//! types, refusal grounds and special rules, each with its source and verified flag.

use std::sync::OnceLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

const REMOTE_NOTARIZATION: &str =
    include_str!("../../../../data/notary/remote_notarization_cn.json");

/// One rule of the data file: its id (the code answers use), its words, where it comes from.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct RuleText {
    pub id: String,
    /// The rule in English, as the data file words it.
    pub rule: String,
    pub rule_zh: String,
    pub source: String,
    pub verified: bool,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct MatterType {
    pub id: String,
    pub en: String,
    pub zh: String,
}

#[derive(Debug, Deserialize)]
struct InForce {
    id: String,
    from: NaiveDate,
    rule: String,
    rule_zh: String,
    source: String,
    verified: bool,
}

#[derive(Debug, Deserialize)]
struct MatterTypes {
    id: String,
    rule: String,
    rule_zh: String,
    source: String,
    verified: bool,
    items: Vec<MatterType>,
}

/// A ground on which the office refuses an application (its id is what a refusal records).
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct RefusalGround {
    pub id: String,
    pub en: String,
    pub zh: String,
}

#[derive(Debug, Deserialize)]
struct RefusalGrounds {
    source: String,
    verified: bool,
    items: Vec<RefusalGround>,
}

#[derive(Debug, Deserialize)]
struct File {
    snapshot: String,
    in_force: InForce,
    eligibility: Vec<RuleText>,
    matter_types: MatterTypes,
    refusal_grounds: RefusalGrounds,
    special_rules: Vec<RuleText>,
}

/// The rules the eligibility check applies, by id.
#[derive(Debug)]
pub struct Rules {
    /// The data file's snapshot month, e.g. `2026-11`.
    pub snapshot: String,
    /// The first day the pilot's rules apply.
    pub in_force_from: NaiveDate,
    pub in_force: RuleText,
    pub prc_national: RuleText,
    pub long_term_resident: RuleText,
    pub use_in_china: RuleText,
    pub no_interpreter: RuleText,
    pub property_disposal_paper_original: RuleText,
    pub matter_type: RuleText,
    pub matter_types: Vec<MatterType>,
    /// Requirements the applicant cannot be asked about in advance (the mission cannot act
    /// itself, the choice is voluntary, attendance at the mission): shown with every answer.
    pub also_required: Vec<RuleText>,
    pub refusal_grounds: Vec<RefusalGround>,
    pub refusal_grounds_source: String,
    pub refusal_grounds_verified: bool,
}

impl Rules {
    pub fn get() -> &'static Rules {
        static RULES: OnceLock<Rules> = OnceLock::new();
        RULES.get_or_init(|| {
            // Compiled in and checked by the tests below: a bad file is a build defect.
            Rules::parse(REMOTE_NOTARIZATION)
                .unwrap_or_else(|e| panic!("data/notary/remote_notarization_cn.json: {e}"))
        })
    }

    fn parse(text: &str) -> Result<Rules, String> {
        let file: File = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let mut rules: Vec<RuleText> = file
            .eligibility
            .into_iter()
            .chain(file.special_rules)
            .collect();
        let mut take = |id: &str| {
            rules
                .iter()
                .position(|r| r.id == id)
                .map(|i| rules.remove(i))
                .ok_or_else(|| format!("no rule with id {id}"))
        };
        let prc_national = take("prc_national")?;
        let long_term_resident = take("long_term_resident")?;
        let use_in_china = take("use_in_china")?;
        let no_interpreter = take("no_interpreter")?;
        let property_disposal_paper_original = take("property_disposal_paper_original")?;
        let also_required = vec![
            take("mission_cannot_act")?,
            take("voluntary")?,
            take("attend_mission")?,
        ];
        if let Some(extra) = rules.first() {
            return Err(format!("rule {} is not applied by the check", extra.id));
        }
        let f = file.in_force;
        let m = file.matter_types;
        Ok(Rules {
            snapshot: file.snapshot,
            in_force_from: f.from,
            in_force: RuleText {
                id: f.id,
                rule: f.rule,
                rule_zh: f.rule_zh,
                source: f.source,
                verified: f.verified,
            },
            prc_national,
            long_term_resident,
            use_in_china,
            no_interpreter,
            property_disposal_paper_original,
            matter_type: RuleText {
                id: m.id,
                rule: m.rule,
                rule_zh: m.rule_zh,
                source: m.source,
                verified: m.verified,
            },
            matter_types: m.items,
            also_required,
            refusal_grounds: file.refusal_grounds.items,
            refusal_grounds_source: file.refusal_grounds.source,
            refusal_grounds_verified: file.refusal_grounds.verified,
        })
    }

    pub fn matter(&self, id: &str) -> Option<&MatterType> {
        self.matter_types.iter().find(|m| m.id == id)
    }

    pub fn refusal_ground(&self, id: &str) -> Option<&RefusalGround> {
        self.refusal_grounds.iter().find(|g| g.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_file_parses_with_every_rule_the_check_applies() {
        let rules = Rules::get();
        assert_eq!(rules.prc_national.id, "prc_national");
        assert_eq!(rules.matter_type.id, "matter_type");
        assert_eq!(rules.in_force.id, "pilot_in_force");
        assert_eq!(rules.matter_types.len(), 14);
        assert!(rules.matter("no_criminal_record").is_some());
        assert_eq!(rules.refusal_grounds.len(), 8);
        assert!(rules.refusal_ground("needs_assistant").is_some());
        assert!(rules.refusal_grounds.iter().all(|g| !g.zh.is_empty()));
        assert_eq!(rules.also_required.len(), 3);
    }

    #[test]
    fn every_rule_has_a_source_and_words_in_both_languages() {
        let r = Rules::get();
        let all = [
            &r.in_force,
            &r.prc_national,
            &r.long_term_resident,
            &r.use_in_china,
            &r.no_interpreter,
            &r.property_disposal_paper_original,
            &r.matter_type,
        ];
        for rule in all.into_iter().chain(&r.also_required) {
            assert!(rule.source.starts_with("http"), "{}", rule.id);
            assert!(
                !rule.rule.is_empty() && !rule.rule_zh.is_empty(),
                "{}",
                rule.id
            );
        }
        // The day the rules start to apply is our reading of the pilot history, not a sourced fact.
        assert!(!r.in_force.verified);
    }

    #[test]
    fn the_shared_snapshot_ids_and_flags_are_kept() {
        let shared: serde_json::Value = serde_json::from_str(REMOTE_NOTARIZATION).unwrap();
        let ids: Vec<&str> = shared["eligibility"]
            .as_array()
            .unwrap()
            .iter()
            .chain(shared["special_rules"].as_array().unwrap())
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids,
            [
                "prc_national",
                "long_term_resident",
                "use_in_china",
                "mission_cannot_act",
                "voluntary",
                "attend_mission",
                "property_disposal_paper_original",
                "no_interpreter"
            ]
        );
    }
}
