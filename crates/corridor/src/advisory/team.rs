//! Advisory-team matching over the directory's records: a local law firm with a partner firm
//! covering the target country, ranked by the practice areas and languages the plan needs, each
//! match explained. The conflict check is an input: firms that already act for the
//! counterparty are set aside (with the reason) before anyone is contacted.
//!
//! Pure: the caller loads the organizations and partnerships (`directory` store) and passes them.

use std::collections::BTreeSet;

use serde::Serialize;
use utoipa::ToSchema;

use super::Text;
use super::plan::Plan;
use crate::directory::model::{OrgKind, Organization, Partnership};

/// What the team must cover.
#[derive(Clone, Debug, Default)]
pub struct TeamNeeds {
    /// Target country (ISO alpha-2).
    pub country: String,
    /// Practice-area codes (`data/reference/practice_areas.csv`).
    pub practice_areas: Vec<String>,
    /// BCP 47 codes; `zh` matches `zh-CN`, and the other way round.
    pub languages: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct FirmRef {
    pub id: String,
    pub slug: String,
    pub name_en: String,
    pub name_zh: String,
    pub jurisdiction: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct FirmMatch {
    pub local_firm: FirmRef,
    /// Partner firms covering the target country, oldest partnership first.
    pub partners: Vec<FirmRef>,
    pub practice_areas_covered: Vec<String>,
    pub practice_areas_missing: Vec<String>,
    pub languages_covered: Vec<String>,
    pub languages_missing: Vec<String>,
    /// Higher is better: 10 per practice area covered, 5 per language covered.
    pub score: u32,
    pub explanation: Text,
    pub is_demo: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct SetAside {
    pub firm: FirmRef,
    pub explanation: Text,
}

#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct TeamMatch {
    pub matches: Vec<FirmMatch>,
    /// Firms with a partner in the country that the conflict check set aside.
    pub conflicts: Vec<SetAside>,
}

/// The practice areas a plan's items call for, in a stable order.
pub fn practice_areas_for(plan: &Plan) -> Vec<String> {
    let mut out = BTreeSet::new();
    for s in &plan.sections {
        for i in &s.items {
            out.insert(practice_area_of(&i.topic));
        }
    }
    out.insert("dispute_resolution");
    out.into_iter().map(str::to_owned).collect()
}

/// The directory's practice area for a library topic.
pub fn practice_area_of(topic: &str) -> &'static str {
    match topic {
        "fdi_market_access" | "ownership_caps" | "licensing" | "outbound_approval" => {
            "cross_border_investment"
        }
        "competition_merger_control" => "corporate_ma",
        "data_protection" | "cross_border_data_transfer" => "data_cybersecurity",
        "labour_immigration" => "labour",
        "tax" => "tax",
        "anti_corruption" => "compliance",
        "sanctions_export_control" => "export_control",
        _ => "dispute_resolution",
    }
}

fn firm_ref(o: &Organization) -> FirmRef {
    FirmRef {
        id: o.id.clone(),
        slug: o.slug.clone(),
        name_en: o.name_en.clone(),
        name_zh: o.name_zh.clone(),
        jurisdiction: o.jurisdiction.clone(),
    }
}

fn primary(tag: &str) -> String {
    tag.split('-').next().unwrap_or(tag).to_ascii_lowercase()
}

/// Ranks local firms with a partner covering `needs.country`. `acts_for_counterparty` holds the
/// ids of firms (local or partner) that already act for the counterparty: a local firm is set
/// aside if it, or every one of its partners in the country, is in it.
pub fn match_firms(
    orgs: &[Organization],
    partnerships: &[Partnership],
    needs: &TeamNeeds,
    acts_for_counterparty: &[String],
) -> TeamMatch {
    let conflicted = |id: &str| acts_for_counterparty.iter().any(|c| c == id);
    let mut matches = Vec::new();
    let mut conflicts = Vec::new();
    for local in orgs.iter().filter(|o| o.kind == OrgKind::LocalLawFirm) {
        let mut mine: Vec<&Partnership> = partnerships
            .iter()
            .filter(|p| p.local_firm.id == local.id && p.countries.contains(&needs.country))
            .collect();
        if mine.is_empty() {
            continue;
        }
        mine.sort_by_key(|p| p.since);
        if conflicted(&local.id) {
            conflicts.push(SetAside {
                firm: firm_ref(local),
                explanation: Text::new(
                    &format!("{} already acts for the counterparty.", local.name_en),
                    &format!("{}已代理交易对手。", local.name_zh),
                ),
            });
            continue;
        }
        let partners: Vec<&Organization> = mine
            .iter()
            .filter(|p| !conflicted(&p.foreign_firm.id))
            .filter_map(|p| orgs.iter().find(|o| o.id == p.foreign_firm.id))
            .collect();
        if partners.is_empty() {
            conflicts.push(SetAside {
                firm: firm_ref(local),
                explanation: Text::new(
                    &format!(
                        "Every partner of {} in {} already acts for the counterparty.",
                        local.name_en, needs.country
                    ),
                    &format!(
                        "{}在{}的合作律所均已代理交易对手。",
                        local.name_zh, needs.country
                    ),
                ),
            });
            continue;
        }
        let team = std::iter::once(local).chain(partners.iter().copied());
        let mut areas = BTreeSet::new();
        let mut langs = BTreeSet::new();
        for o in team {
            areas.extend(o.practice_areas.iter().cloned());
            langs.extend(o.languages.iter().map(|l| primary(l)));
        }
        let (covered, missing): (Vec<String>, Vec<String>) = needs
            .practice_areas
            .iter()
            .cloned()
            .partition(|a| areas.contains(a));
        let (lang_ok, lang_missing): (Vec<String>, Vec<String>) = needs
            .languages
            .iter()
            .cloned()
            .partition(|l| langs.contains(&primary(l)));
        let score = 10 * covered.len() as u32 + 5 * lang_ok.len() as u32;
        let partner_names: Vec<&str> = partners.iter().map(|p| p.name_en.as_str()).collect();
        let partner_names_zh: Vec<&str> = partners.iter().map(|p| p.name_zh.as_str()).collect();
        let explanation = Text::new(
            &format!(
                "{} works with {} in {} (since {}). Covers {} of {} practice areas needed{}; languages: {}{}.",
                local.name_en,
                partner_names.join(", "),
                needs.country,
                mine[0].since,
                covered.len(),
                needs.practice_areas.len(),
                if missing.is_empty() {
                    String::new()
                } else {
                    format!(" (missing: {})", missing.join(", "))
                },
                if lang_ok.is_empty() {
                    "none of those needed".to_owned()
                } else {
                    lang_ok.join(", ")
                },
                if lang_missing.is_empty() {
                    String::new()
                } else {
                    format!(" (missing: {})", lang_missing.join(", "))
                },
            ),
            &format!(
                "{}与{}在{}合作（自{}起）。覆盖所需{}个业务领域中的{}个{}；语言：{}{}。",
                local.name_zh,
                partner_names_zh.join("、"),
                needs.country,
                mine[0].since,
                needs.practice_areas.len(),
                covered.len(),
                if missing.is_empty() {
                    String::new()
                } else {
                    format!("（缺：{}）", missing.join("、"))
                },
                if lang_ok.is_empty() {
                    "无所需语言".to_owned()
                } else {
                    lang_ok.join("、")
                },
                if lang_missing.is_empty() {
                    String::new()
                } else {
                    format!("（缺：{}）", lang_missing.join("、"))
                },
            ),
        );
        matches.push((
            mine[0].since,
            FirmMatch {
                local_firm: firm_ref(local),
                partners: partners.iter().map(|p| firm_ref(p)).collect(),
                practice_areas_covered: covered,
                practice_areas_missing: missing,
                languages_covered: lang_ok,
                languages_missing: lang_missing,
                score,
                explanation,
                is_demo: local.is_demo,
            },
        ));
    }
    // Best score first; then the longest-standing partnership; then by name for a stable order.
    matches.sort_by(|(since_a, a), (since_b, b)| {
        b.score
            .cmp(&a.score)
            .then(since_a.cmp(since_b))
            .then(a.local_firm.name_en.cmp(&b.local_firm.name_en))
    });
    TeamMatch {
        matches: matches.into_iter().map(|(_, m)| m).collect(),
        conflicts,
    }
}
