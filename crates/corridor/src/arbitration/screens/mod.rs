//! The two checks run when an arbitrator is proposed: the nationality of a sole or presiding
//! arbitrator per rule set ([`nationality`]), and conflicts in the spirit of the IBA Guidelines on
//! Conflicts of Interest (2024) from structured history ([`conflicts`]), with a draft disclosure
//! in Chinese and English ([`disclosure`]).
//!
//! [`screen`] takes the JSON of `corridor conflicts screen` ([`ScreenInput`]). The same core
//! ([`screen_candidate`], [`conflicts::rank`]) runs against an [`AppointmentIndex`] of a whole
//! roster's history, which is what the benchmark measures.

pub mod conflicts;
pub mod disclosure;
mod index;
pub mod nationality;
#[cfg(test)]
mod tests;

pub use conflicts::{Finding, List, Ranked, findings, rank};
pub use disclosure::Disclosure;
pub use index::{Appointment, AppointmentIndex, normalize_firm};
pub use nationality::{NationalityRule, Neutrality, Shared, Verdict};

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Error, parse_date};

/// The input of `corridor conflicts screen` (see docs/arbitration.md).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreenInput {
    pub date: String,
    pub rules: String,
    pub role: String,
    pub arbitrator: ArbitratorIn,
    pub parties: Vec<PartyIn>,
    #[serde(default)]
    pub counsel: Vec<CounselIn>,
    #[serde(default)]
    pub appointments: Vec<AppointmentIn>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArbitratorIn {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    pub nationalities: Vec<String>,
    #[serde(default)]
    pub firm: Option<String>,
    #[serde(default)]
    pub former_firms: Vec<FormerFirmIn>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormerFirmIn {
    pub firm: String,
    pub until: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartyIn {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    pub side: String,
    /// `company` (default) or `individual`.
    #[serde(default)]
    pub kind: Option<String>,
    /// An individual's nationalities; a company's places of incorporation.
    pub nationalities: Vec<String>,
    /// A company's controlling states, if it should count as their national too.
    #[serde(default)]
    pub controlled_from: Vec<String>,
    #[serde(default)]
    pub affiliates: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CounselIn {
    pub firm: String,
    pub side: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppointmentIn {
    pub arbitrator: String,
    pub date: String,
    pub appointed_by: String,
    #[serde(default)]
    pub counsel_firm: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Sole,
    Presiding,
    CoArbitrator,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Claimant,
    Respondent,
}

/// A party, checked.
#[derive(Clone, Debug)]
pub struct Party {
    pub id: String,
    pub side: Side,
    pub company: bool,
    pub nationalities: Vec<String>,
    pub controlled_from: Vec<String>,
    /// The party's own id and its affiliates' ids.
    pub members: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Counsel {
    pub firm: String,
    pub side: Side,
}

/// A proposed arbitrator, checked.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub id: String,
    pub name: Option<String>,
    pub nationalities: Vec<String>,
    pub firm: Option<String>,
    pub former_firms: Vec<(String, NaiveDate)>,
}

/// A case as the screens see it, checked once and reused for every candidate.
#[derive(Clone, Debug)]
pub struct Case {
    pub date: NaiveDate,
    /// The start of the three-year look-back (IBA Orange List periods).
    pub window_from: NaiveDate,
    pub rules: NationalityRule,
    pub role: Role,
    pub parties: Vec<Party>,
    pub counsel: Vec<Counsel>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub non_waivable_red: usize,
    pub waivable_red: usize,
    pub orange: usize,
    pub appointments_checked: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct ScreenAnswer {
    pub date: NaiveDate,
    pub rules: String,
    pub role: Role,
    pub arbitrator: String,
    pub neutrality: Neutrality,
    pub findings: Vec<Finding>,
    pub summary: Summary,
    pub disclosure: Disclosure,
}

fn country(field: String, text: &str) -> Result<String, Error> {
    let t = text.trim().to_ascii_uppercase();
    if t.len() == 2 && t.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(t)
    } else {
        Err(Error::invalid(
            field,
            text,
            "not a two-letter country code such as CN or TH",
        ))
    }
}

fn side(field: String, text: &str) -> Result<Side, Error> {
    match text.trim() {
        "claimant" => Ok(Side::Claimant),
        "respondent" => Ok(Side::Respondent),
        _ => Err(Error::invalid(
            field,
            text,
            "expected claimant or respondent",
        )),
    }
}

fn non_empty(field: &str, text: &str) -> Result<String, Error> {
    let t = text.trim();
    if t.is_empty() {
        Err(Error::invalid(field, text, "must not be empty"))
    } else {
        Ok(t.to_owned())
    }
}

impl Case {
    pub fn parse(input: &ScreenInput) -> Result<Case, Error> {
        let date = parse_date("date", &input.date)?;
        let rules = nationality::rules()?
            .iter()
            .find(|r| r.rule_set.eq_ignore_ascii_case(input.rules.trim()))
            .ok_or_else(|| {
                let known: Vec<&str> = nationality::rules()
                    .map(|r| r.iter().map(|r| r.rule_set.as_str()).collect())
                    .unwrap_or_default();
                Error::invalid(
                    "rules",
                    &input.rules,
                    format!("unknown rule set (known: {})", known.join(", ")),
                )
            })?
            .clone();
        let role = match input.role.trim() {
            "sole" => Role::Sole,
            "presiding" => Role::Presiding,
            "co_arbitrator" => Role::CoArbitrator,
            _ => {
                return Err(Error::invalid(
                    "role",
                    &input.role,
                    "expected sole, presiding or co_arbitrator",
                ));
            }
        };
        if input.parties.is_empty() {
            return Err(Error::invalid(
                "parties",
                "[]",
                "at least one party is needed",
            ));
        }
        let mut parties = Vec::new();
        for (i, p) in input.parties.iter().enumerate() {
            let id = non_empty(&format!("parties[{i}].id"), &p.id)?;
            let company = match p.kind.as_deref().map(str::trim) {
                None | Some("company") => true,
                Some("individual") => false,
                Some(other) => {
                    return Err(Error::invalid(
                        format!("parties[{i}].kind"),
                        other,
                        "expected company or individual",
                    ));
                }
            };
            if p.nationalities.is_empty() {
                return Err(Error::invalid(
                    format!("parties[{i}].nationalities"),
                    "[]",
                    "give the party's nationality (for a company, its place of incorporation)",
                ));
            }
            let nationalities = p
                .nationalities
                .iter()
                .enumerate()
                .map(|(j, n)| country(format!("parties[{i}].nationalities[{j}]"), n))
                .collect::<Result<Vec<_>, _>>()?;
            let controlled_from = p
                .controlled_from
                .iter()
                .enumerate()
                .map(|(j, n)| country(format!("parties[{i}].controlled_from[{j}]"), n))
                .collect::<Result<Vec<_>, _>>()?;
            let mut members = vec![id.clone()];
            members.extend(
                p.affiliates
                    .iter()
                    .map(|a| a.trim().to_owned())
                    .filter(|a| !a.is_empty()),
            );
            parties.push(Party {
                id,
                side: side(format!("parties[{i}].side"), &p.side)?,
                company,
                nationalities,
                controlled_from,
                members,
            });
        }
        let counsel = input
            .counsel
            .iter()
            .enumerate()
            .map(|(i, c)| {
                Ok(Counsel {
                    firm: non_empty(&format!("counsel[{i}].firm"), &c.firm)?,
                    side: side(format!("counsel[{i}].side"), &c.side)?,
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(Case {
            date,
            window_from: date.checked_sub_months(Months::new(36)).unwrap_or(date),
            rules,
            role,
            parties,
            counsel,
        })
    }
}

impl Candidate {
    pub fn parse(a: &ArbitratorIn) -> Result<Candidate, Error> {
        if a.nationalities.is_empty() {
            return Err(Error::invalid(
                "arbitrator.nationalities",
                "[]",
                "give every nationality the arbitrator holds",
            ));
        }
        Ok(Candidate {
            id: non_empty("arbitrator.id", &a.id)?,
            name: a.name.clone(),
            nationalities: a
                .nationalities
                .iter()
                .enumerate()
                .map(|(j, n)| country(format!("arbitrator.nationalities[{j}]"), n))
                .collect::<Result<_, _>>()?,
            firm: a
                .firm
                .as_deref()
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(str::to_owned),
            former_firms: a
                .former_firms
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    Ok((
                        non_empty(&format!("arbitrator.former_firms[{i}].firm"), &f.firm)?,
                        parse_date(&format!("arbitrator.former_firms[{i}].until"), &f.until)?,
                    ))
                })
                .collect::<Result<_, Error>>()?,
        })
    }
}

/// Builds the index from the input's appointments.
pub fn index_of(appointments: &[AppointmentIn]) -> Result<AppointmentIndex, Error> {
    let mut ix = AppointmentIndex::new();
    for (i, a) in appointments.iter().enumerate() {
        let date = parse_date(&format!("appointments[{i}].date"), &a.date)?;
        ix.add(
            &non_empty(&format!("appointments[{i}].arbitrator"), &a.arbitrator)?,
            date,
            &non_empty(&format!("appointments[{i}].appointed_by"), &a.appointed_by)?,
            a.counsel_firm.as_deref(),
        );
    }
    ix.finish();
    Ok(ix)
}

/// Both screens and the draft disclosure for one candidate against an index of past appointments.
pub fn screen_candidate(
    case: &Case,
    candidate: &Candidate,
    index: &AppointmentIndex,
) -> ScreenAnswer {
    let neutrality = nationality::neutrality(
        &case.rules,
        case.role,
        &candidate.nationalities,
        &case.parties,
    );
    let (findings, appointments_checked) = conflicts::findings(case, candidate, index);
    let count = |l: List| findings.iter().filter(|f| f.list == l).count();
    let summary = Summary {
        non_waivable_red: count(List::NonWaivableRed),
        waivable_red: count(List::WaivableRed),
        orange: count(List::Orange),
        appointments_checked,
    };
    let disclosure = disclosure::draft(
        case,
        candidate,
        &neutrality,
        &findings,
        appointments_checked,
    );
    ScreenAnswer {
        date: case.date,
        rules: case.rules.rule_set.clone(),
        role: case.role,
        arbitrator: candidate.id.clone(),
        neutrality,
        findings,
        summary,
        disclosure,
    }
}

/// The screen of `corridor conflicts screen`: checks the input, indexes its appointments, screens.
pub fn screen(input: &ScreenInput) -> Result<ScreenAnswer, Error> {
    let case = Case::parse(input)?;
    let candidate = Candidate::parse(&input.arbitrator)?;
    let index = index_of(&input.appointments)?;
    Ok(screen_candidate(&case, &candidate, &index))
}
