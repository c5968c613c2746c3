//! Conflicts in the spirit of the IBA Guidelines on Conflicts of Interest in International
//! Arbitration (2024), from structured history. The Guidelines' lists are not mechanical; these
//! codes flag what the data can show, for the arbitrator to disclose and the parties to weigh:
//!
//! | code | list | when |
//! |---|---|---|
//! | `arbitrator_is_party` | non-waivable red | the candidate's id is a party's or an affiliate's (identity, NWR 1.1) |
//! | `same_firm_as_counsel` | waivable red | the candidate's firm acts as counsel in the case |
//! | `former_firm_of_counsel` | orange | the candidate left a counsel's firm within the last 3 years |
//! | `repeat_party_appointments` | orange | ≥ 2 appointments by the same party or its affiliates within 3 years |
//! | `repeat_counsel_appointments` | orange | > 3 appointments with the same counsel's firm within 3 years |

use chrono::NaiveDate;
use serde::Serialize;

use super::index::{AppointmentIndex, normalize_firm};
use super::{Candidate, Case, Side, Verdict, nationality};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum List {
    NonWaivableRed,
    WaivableRed,
    Orange,
}

#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub list: List,
    /// Where the Guidelines speak of this (list and item numbers as commonly cited; confirm in the text).
    pub basis: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub party: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counsel_firm: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub side: Option<Side>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dates: Vec<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    pub en: String,
    pub zh: String,
}

/// Threshold of `repeat_party_appointments`: this many or more.
pub const PARTY_APPOINTMENTS: usize = 2;
/// Threshold of `repeat_counsel_appointments`: more than this many.
pub const COUNSEL_APPOINTMENTS: usize = 3;

/// The case's names looked up in the index once, for screening many candidates.
pub struct Keys {
    parties: Vec<Vec<u32>>,
    counsel: Vec<(String, Option<u32>)>,
}

impl Keys {
    pub fn new(case: &Case, index: &AppointmentIndex) -> Keys {
        Keys {
            parties: case
                .parties
                .iter()
                .map(|p| p.members.iter().filter_map(|m| index.name(m)).collect())
                .collect(),
            counsel: case
                .counsel
                .iter()
                .map(|c| (normalize_firm(&c.firm), index.firm(&c.firm)))
                .collect(),
        }
    }
}

/// The findings for one candidate, and how many past appointments of theirs were looked at.
pub fn findings(
    case: &Case,
    candidate: &Candidate,
    index: &AppointmentIndex,
) -> (Vec<Finding>, usize) {
    findings_with(case, &Keys::new(case, index), candidate, index)
}

pub fn findings_with(
    case: &Case,
    keys: &Keys,
    candidate: &Candidate,
    index: &AppointmentIndex,
) -> (Vec<Finding>, usize) {
    let mut out = Vec::new();
    let blank = |code, list, basis, en: String, zh: String| Finding {
        code,
        list,
        basis,
        party: None,
        counsel_firm: None,
        side: None,
        count: None,
        dates: Vec::new(),
        until: None,
        en,
        zh,
    };
    for p in &case.parties {
        if p.members.contains(&candidate.id) {
            let mut f = blank(
                "arbitrator_is_party",
                List::NonWaivableRed,
                "IBA Guidelines 2024, Non-Waivable Red List 1.1 (identity with a party)",
                format!("The candidate is party {} or one of its affiliates.", p.id),
                format!("候选人即为当事人 {} 或其关联方。", p.id),
            );
            f.party = Some(p.id.clone());
            f.side = Some(p.side);
            out.push(f);
        }
    }
    let own_firm = candidate.firm.as_deref().map(normalize_firm);
    for (c, (norm, _)) in case.counsel.iter().zip(&keys.counsel) {
        if own_firm.as_deref() == Some(norm.as_str()) {
            let mut f = blank(
                "same_firm_as_counsel",
                List::WaivableRed,
                "IBA Guidelines 2024, Waivable Red List 2.3 (relationship with counsel: same law firm)",
                format!(
                    "The candidate is with {}, counsel for the {}.",
                    c.firm,
                    side_en(c.side)
                ),
                format!("候选人任职于{}，该所为{}代理人。", c.firm, side_zh(c.side)),
            );
            f.counsel_firm = Some(c.firm.clone());
            f.side = Some(c.side);
            out.push(f);
        }
        for (former, until) in &candidate.former_firms {
            if normalize_firm(former) == *norm && *until >= case.window_from {
                let mut f = blank(
                    "former_firm_of_counsel",
                    List::Orange,
                    "IBA Guidelines 2024, Orange List 3.1/3.3 (relationships within the past three years)",
                    format!(
                        "The candidate left {}, counsel for the {}, on {until} (within three years).",
                        c.firm,
                        side_en(c.side)
                    ),
                    format!(
                        "候选人于 {until} 离开{}（三年以内），该所为{}代理人。",
                        c.firm,
                        side_zh(c.side)
                    ),
                );
                f.counsel_firm = Some(c.firm.clone());
                f.side = Some(c.side);
                f.until = Some(*until);
                out.push(f);
            }
        }
    }
    let window = index
        .name(&candidate.id)
        .map(|a| index.window(a, case.window_from, case.date))
        .unwrap_or(&[]);
    if !window.is_empty() {
        for (p, members) in case.parties.iter().zip(&keys.parties) {
            let dates: Vec<NaiveDate> = window
                .iter()
                .filter(|a| members.contains(&a.appointed_by))
                .map(|a| a.date)
                .collect();
            if dates.len() >= PARTY_APPOINTMENTS {
                let mut f = blank(
                    "repeat_party_appointments",
                    List::Orange,
                    "IBA Guidelines 2024, Orange List 3.1.3 (two or more appointments by a party or its affiliate within three years)",
                    format!(
                        "Appointed {} times within three years by party {} or its affiliates.",
                        dates.len(),
                        p.id
                    ),
                    format!(
                        "三年内被当事人 {} 或其关联方指定 {} 次。",
                        p.id,
                        dates.len()
                    ),
                );
                f.party = Some(p.id.clone());
                f.side = Some(p.side);
                f.count = Some(dates.len());
                f.dates = dates;
                out.push(f);
            }
        }
        for (c, (_, firm)) in case.counsel.iter().zip(&keys.counsel) {
            let Some(firm) = firm else { continue };
            let dates: Vec<NaiveDate> = window
                .iter()
                .filter(|a| a.counsel_firm == Some(*firm))
                .map(|a| a.date)
                .collect();
            if dates.len() > COUNSEL_APPOINTMENTS {
                let mut f = blank(
                    "repeat_counsel_appointments",
                    List::Orange,
                    "IBA Guidelines 2024, Orange List 3.3 (more than three appointments by the same counsel or law firm within three years)",
                    format!(
                        "Appointed {} times within three years in cases where {} was counsel.",
                        dates.len(),
                        c.firm
                    ),
                    format!(
                        "三年内在{}担任代理人的案件中被指定 {} 次。",
                        c.firm,
                        dates.len()
                    ),
                );
                f.counsel_firm = Some(c.firm.clone());
                f.side = Some(c.side);
                f.count = Some(dates.len());
                f.dates = dates;
                out.push(f);
            }
        }
    }
    out.sort_by_key(|f| f.list);
    (out, window.len())
}

pub fn side_en(s: Side) -> &'static str {
    match s {
        Side::Claimant => "claimant",
        Side::Respondent => "respondent",
    }
}

pub fn side_zh(s: Side) -> &'static str {
    match s {
        Side::Claimant => "申请人",
        Side::Respondent => "被申请人",
    }
}

/// A roster entry's place in the ranking for a case.
#[derive(Clone, Debug, Serialize)]
pub struct Ranked {
    /// Position of the candidate in the roster given.
    pub candidate: usize,
    /// A non-waivable red finding: cannot serve.
    pub excluded: bool,
    /// Lower is better: 100 per waivable red, 50 for needing the parties' agreement on
    /// nationality, 10 per orange, 5 for an advisory nationality point.
    pub score: u32,
    pub verdict: Verdict,
}

/// Ranks a whole roster for a case: fewest and lightest findings first, excluded last.
pub fn rank(case: &Case, roster: &[Candidate], index: &AppointmentIndex) -> Vec<Ranked> {
    let keys = Keys::new(case, index);
    let mut ranked: Vec<Ranked> = roster
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let (found, _) = findings_with(case, &keys, c, index);
            let verdict =
                nationality::verdict(&case.rules, case.role, &c.nationalities, &case.parties);
            let mut score = match verdict {
                Verdict::Ok => 0,
                Verdict::NeedsAgreement => 50,
                Verdict::Advisory => 5,
            };
            for f in &found {
                score += match f.list {
                    List::NonWaivableRed => 0,
                    List::WaivableRed => 100,
                    List::Orange => 10,
                };
            }
            Ranked {
                candidate: i,
                excluded: found.iter().any(|f| f.list == List::NonWaivableRed),
                score,
                verdict,
            }
        })
        .collect();
    ranked.sort_by_key(|r| (r.excluded, r.score, r.candidate));
    ranked
}
