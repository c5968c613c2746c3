//! Nationality of a sole or presiding arbitrator, per rule set (`nationality_rules.json`).
//!
//! Dual nationals: the candidate shares a party's nationality if *any* of the candidate's
//! nationalities is one of the party's. Companies: a company's nationalities are its places of
//! incorporation, and — when the input gives `controlled_from` — the states it is controlled
//! from. Both are conservative readings (the rules do not define them), and the answer says which
//! basis matched.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::{Party, Role, Side};
use crate::arbitration::Error;

const RULES: &str = include_str!("../../../../../data/arbitration/nationality_rules.json");

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct NationalityRule {
    pub rule_set: String,
    pub article: Option<String>,
    /// `bar_unless_no_objection`, `bar_if_parties_differ_unless_all_agree`,
    /// `bar_unless_other_parties_agree`, `advisory` or `not_found`.
    pub kind: String,
    pub binding: bool,
    pub verified: bool,
    pub rule: String,
    pub source: String,
}

#[derive(Deserialize)]
struct RawFile {
    rules: Vec<NationalityRule>,
}

pub fn rules() -> Result<&'static [NationalityRule], Error> {
    static DATA: OnceLock<Result<Vec<NationalityRule>, Error>> = OnceLock::new();
    DATA.get_or_init(|| {
        serde_json::from_str::<RawFile>(RULES)
            .map(|f| f.rules)
            .map_err(|e| Error::Data(format!("nationality_rules.json: {e}")))
    })
    .as_ref()
    .map(Vec::as_slice)
    .map_err(Clone::clone)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Ok,
    /// Allowed only if the parties agree (or do not object, as the rule says).
    NeedsAgreement,
    /// The rules only advise against it.
    Advisory,
}

/// A nationality the candidate shares with a party, and on what basis the party holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Shared {
    pub party: String,
    pub side: Side,
    pub nationality: String,
    /// `nationality` (an individual), `incorporation` or `control` (a company).
    pub basis: &'static str,
}

#[derive(Clone, Debug, Serialize)]
pub struct Neutrality {
    pub verdict: Verdict,
    pub rule_set: String,
    pub article: Option<String>,
    pub kind: String,
    pub rule: String,
    pub binding: bool,
    pub verified: bool,
    pub source: String,
    /// Whether the rule concerns this role at all (sole or presiding arbitrator).
    pub applies: bool,
    pub shared: Vec<Shared>,
    /// The parties whose agreement (or absence of objection) the appointment needs.
    pub agreement_from: Vec<String>,
    pub en: String,
    pub zh: String,
}

/// The nationalities a party holds, each with its basis.
pub fn party_nationalities(p: &Party) -> impl Iterator<Item = (&str, &'static str)> {
    let own = if p.company {
        "incorporation"
    } else {
        "nationality"
    };
    p.nationalities
        .iter()
        .map(move |n| (n.as_str(), own))
        .chain(p.controlled_from.iter().map(|n| (n.as_str(), "control")))
}

/// Whether some nationality is held by every party (then HKIAC's bar, which concerns parties of
/// different nationalities, does not bite).
fn parties_share_one(parties: &[Party]) -> bool {
    parties.first().is_some_and(|first| {
        party_nationalities(first).any(|(n, _)| {
            parties
                .iter()
                .all(|p| party_nationalities(p).any(|(m, _)| m == n))
        })
    })
}

/// The verdict alone, without building the explanation: what a whole roster's ranking needs.
/// Agrees with [`neutrality`] (tested).
pub fn verdict(
    rule: &NationalityRule,
    role: Role,
    candidate: &[String],
    parties: &[Party],
) -> Verdict {
    if role == Role::CoArbitrator {
        return Verdict::Ok;
    }
    let shares = parties
        .iter()
        .any(|p| party_nationalities(p).any(|(n, _)| candidate.iter().any(|c| c == n)));
    if !shares {
        return Verdict::Ok;
    }
    match rule.kind.as_str() {
        "bar_unless_no_objection" | "bar_unless_other_parties_agree" => Verdict::NeedsAgreement,
        "bar_if_parties_differ_unless_all_agree" if parties_share_one(parties) => Verdict::Ok,
        "bar_if_parties_differ_unless_all_agree" => Verdict::NeedsAgreement,
        _ => Verdict::Advisory,
    }
}

pub fn neutrality(
    rule: &NationalityRule,
    role: Role,
    candidate: &[String],
    parties: &[Party],
) -> Neutrality {
    let shared: Vec<Shared> = parties
        .iter()
        .flat_map(|p| {
            party_nationalities(p)
                .filter(|(n, _)| candidate.iter().any(|c| c == n))
                .map(|(n, basis)| Shared {
                    party: p.id.clone(),
                    side: p.side,
                    nationality: n.to_owned(),
                    basis,
                })
        })
        .collect();
    let article = rule.article.clone().unwrap_or_else(|| "—".to_owned());
    let all_parties: Vec<String> = parties.iter().map(|p| p.id.clone()).collect();
    let sharing: Vec<&str> = shared.iter().map(|s| s.party.as_str()).collect();
    let applies = role != Role::CoArbitrator;
    let share_one = parties_share_one(parties);
    let list = |v: &[Shared]| {
        v.iter()
            .map(|s| format!("{} ({})", s.nationality, s.party))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (verdict, agreement_from, en, zh) = if !applies {
        (
            Verdict::Ok,
            vec![],
            "The nationality rule concerns sole and presiding arbitrators only.".to_owned(),
            "国籍规则仅适用于独任仲裁员和首席仲裁员。".to_owned(),
        )
    } else if shared.is_empty() {
        (
            Verdict::Ok,
            vec![],
            "The candidate shares no nationality with any party.".to_owned(),
            "候选人与任何一方当事人均不同国籍。".to_owned(),
        )
    } else {
        let s = list(&shared);
        match rule.kind.as_str() {
            "bar_unless_no_objection" => (
                Verdict::NeedsAgreement,
                all_parties,
                format!(
                    "Shares {s}: under {} Art. {article} a party's national may serve only in suitable circumstances and if no party objects.",
                    rule.rule_set
                ),
                format!(
                    "与当事人同国籍：{s}。依 {} 第 {article} 条，仅在适当情形且无当事人反对时方可担任。",
                    rule.rule_set
                ),
            ),
            "bar_if_parties_differ_unless_all_agree" if share_one => (
                Verdict::Ok,
                vec![],
                format!(
                    "Shares {s}, but the parties share a nationality themselves, so {} Art. {article} (parties of different nationalities) does not bar it.",
                    rule.rule_set
                ),
                format!(
                    "与当事人同国籍：{s}；但各方当事人本身国籍相同，{} 第 {article} 条（当事人国籍不同时）不构成限制。",
                    rule.rule_set
                ),
            ),
            "bar_if_parties_differ_unless_all_agree" => (
                Verdict::NeedsAgreement,
                all_parties,
                format!(
                    "Shares {s}: under {} Art. {article} the parties must all agree in writing.",
                    rule.rule_set
                ),
                format!(
                    "与当事人同国籍：{s}。依 {} 第 {article} 条，须经全体当事人书面同意。",
                    rule.rule_set
                ),
            ),
            "bar_unless_other_parties_agree" => {
                let others: Vec<String> = parties
                    .iter()
                    .filter(|p| !sharing.contains(&p.id.as_str()))
                    .map(|p| p.id.clone())
                    .collect();
                (
                    Verdict::NeedsAgreement,
                    others,
                    format!(
                        "Shares {s}: under {} Art. {article} the parties not of that nationality must agree in writing.",
                        rule.rule_set
                    ),
                    format!(
                        "与当事人同国籍：{s}。依 {} 第 {article} 条，须经不具该国籍的当事人书面同意。",
                        rule.rule_set
                    ),
                )
            }
            "not_found" => (
                Verdict::Advisory,
                vec![],
                format!(
                    "Shares {s}. No nationality rule of {} was found; treat it as a point for the parties and the institution.",
                    rule.rule_set
                ),
                format!(
                    "与当事人同国籍：{s}。未查到 {} 的国籍规则，请提请当事人和仲裁机构注意。",
                    rule.rule_set
                ),
            ),
            _ => (
                Verdict::Advisory,
                vec![],
                format!(
                    "Shares {s}. {} only advises a different nationality ({}).",
                    rule.rule_set, rule.rule
                ),
                format!(
                    "与当事人同国籍：{s}。{} 仅建议选任不同国籍的仲裁员。",
                    rule.rule_set
                ),
            ),
        }
    };
    Neutrality {
        verdict,
        rule_set: rule.rule_set.clone(),
        article: rule.article.clone(),
        kind: rule.kind.clone(),
        rule: rule.rule.clone(),
        binding: rule.binding,
        verified: rule.verified,
        source: rule.source.clone(),
        applies,
        shared,
        agreement_from,
        en,
        zh,
    }
}
