//! What a party files, checked; the case's states; an enforcement proceeding, checked. Pure:
//! no I/O, every refusal names its field.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::AppError;
use crate::directory::validate::{country, text};
use crate::money::{Money, TypedMoneyError};

/// A party as filed.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyInput {
    pub name: String,
    /// Nationality, or a company's place of incorporation: ISO 3166-1 alpha-2 (`HK`, `MO`).
    pub nationality: String,
}

/// A request for arbitration, as a party or its counsel files it.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FilingInput {
    /// The institution (id or slug of an organization of kind `arbitration_institution`).
    pub institution: String,
    /// `claimant` (a party filing for itself) or `claimant_counsel` (the default).
    #[serde(default)]
    pub filed_as: Option<String>,
    pub claimant: PartyInput,
    pub respondent: PartyInput,
    /// The relief sought, in words.
    pub claims: String,
    /// The amount in dispute: an exact decimal, no more places than the currency has.
    pub amount: String,
    pub currency: String,
    /// The arbitration agreement relied on (the clause's text, or where it is).
    pub agreement: String,
    /// The seat: ISO 3166-1 alpha-2 (`HK`, `MO` allowed).
    pub seat: String,
    /// The language of the arbitration (`zh`, `en`, …).
    pub language: String,
    /// A rule set id of `data/arbitration/rule_timelines.json` (`cietac_2024`, `uncitral_2013`, …).
    pub rules: String,
    /// 1 or 3.
    pub arbitrators: i64,
    #[serde(default)]
    pub expedited: bool,
}

/// A filing, checked: canonical codes, exact money.
#[derive(Clone, Debug, PartialEq)]
pub struct Filing {
    pub filed_as: &'static str,
    pub claimant: (String, String),
    pub respondent: (String, String),
    pub claims: String,
    pub amount: Money,
    pub agreement: String,
    pub seat: String,
    pub language: String,
    pub rules: String,
    pub arbitrators: i64,
    pub expedited: bool,
}

/// An amount of money as typed: positive, exact, within the currency's places.
pub fn money(amount: &str, currency: &str) -> Result<Money, AppError> {
    Money::parse_positive(currency, amount).map_err(|e| match e {
        TypedMoneyError::Currency => AppError::invalid("currency", "currency"),
        TypedMoneyError::Amount => AppError::invalid("amount", "amount"),
    })
}

impl FilingInput {
    /// Checks every field; `rules` must be a rule set the deadline engine knows (its canonical
    /// id is kept).
    pub fn check(&self) -> Result<Filing, AppError> {
        let filed_as = match self.filed_as.as_deref().map(str::trim) {
            None | Some("") | Some("claimant_counsel") => "claimant_counsel",
            Some("claimant") => "claimant",
            Some(_) => return Err(AppError::invalid("filed_as", "unknown_role")),
        };
        let rules = crate::arbitration::deadlines::Dataset::get()
            .ok()
            .and_then(|d| d.canonical_id(self.rules.trim()).map(str::to_owned))
            .ok_or_else(|| AppError::InvalidValues {
                field: "rules".into(),
                reason: "unknown_rules",
                values: vec![self.rules.clone()],
            })?;
        if ![1, 3].contains(&self.arbitrators) {
            return Err(AppError::invalid("arbitrators", "arbitrators"));
        }
        let language = self.language.trim();
        if crate::reference::Reference::get()
            .language(language)
            .is_none()
        {
            return Err(AppError::invalid("language", "unknown_language"));
        }
        Ok(Filing {
            filed_as,
            claimant: (
                text("claimant.name", &self.claimant.name, true, 300)?,
                country("claimant.nationality", &self.claimant.nationality)?,
            ),
            respondent: (
                text("respondent.name", &self.respondent.name, true, 300)?,
                country("respondent.nationality", &self.respondent.nationality)?,
            ),
            claims: text("claims", &self.claims, true, 10_000)?,
            amount: money(&self.amount, &self.currency)?,
            agreement: text("agreement", &self.agreement, true, 10_000)?,
            seat: country("seat", &self.seat)?,
            language: language.to_owned(),
            rules,
            arbitrators: self.arbitrators,
            expedited: self.expedited,
        })
    }
}

impl Filing {
    /// The filing's substance, hashed: the same parties, claims and amount at the same
    /// institution are one dispute (names compared without case or spacing).
    pub fn key(&self, institution_id: &str) -> String {
        let norm = |s: &str| {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        let mut h = Sha256::new();
        for part in [
            institution_id.to_owned(),
            norm(&self.claimant.0),
            norm(&self.respondent.0),
            norm(&self.claims),
            self.amount.amount_text(),
            self.amount.currency().to_string(),
        ] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        hex::encode(h.finalize())
    }
}

/// A case's states: the secretariat accepts or rejects a filing.
pub const CASE_STATUSES: [&str; 3] = ["filed", "accepted", "rejected"];

/// Events the deadline engine counts from, as a case records them.
pub const EVENTS: [&str; 4] = [
    "notice_of_arbitration_received",
    "appointment_notified",
    "tribunal_constituted",
    "award_received",
];

/// New York Convention Art. V grounds a respondent may raise against recognition.
pub const NYC_GROUNDS: [&str; 7] = [
    "v1a_incapacity_or_invalid_agreement",
    "v1b_no_proper_notice_or_unable_to_present",
    "v1c_beyond_scope",
    "v1d_composition_or_procedure",
    "v1e_not_binding_set_aside_or_suspended",
    "v2a_not_arbitrable",
    "v2b_public_policy",
];

/// What became of a proceeding.
pub const DECISIONS: [&str; 5] = [
    "pending",
    "recognised",
    "partly_recognised",
    "refused",
    "withdrawn",
];

/// China's prior-report (报核) review of a refusal, where it applies.
pub const PRIOR_REPORT: [&str; 3] = ["not_applicable", "pending", "reported"];

/// An enforcement proceeding as recorded.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnforcementInput {
    /// Where: ISO 3166-1 alpha-2.
    pub country: String,
    pub court: String,
    /// `YYYY-MM-DD`.
    pub filed_on: String,
    /// Codes of [`NYC_GROUNDS`] raised against it.
    #[serde(default)]
    pub grounds: Vec<String>,
    #[serde(default)]
    pub decision: Option<String>,
    #[serde(default)]
    pub decided_on: Option<String>,
    #[serde(default)]
    pub prior_report: Option<String>,
    #[serde(default)]
    pub note: String,
    /// When changing a proceeding: the version it was read at (a change made meanwhile is a
    /// 409). Not used when recording one.
    #[serde(default)]
    pub version: Option<i64>,
}

/// An enforcement proceeding, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Enforcement {
    pub country: String,
    pub court: String,
    pub filed_on: NaiveDate,
    pub grounds: Vec<String>,
    pub decision: String,
    pub decided_on: Option<NaiveDate>,
    pub prior_report: String,
    pub note: String,
}

fn date(field: &str, text: &str) -> Result<NaiveDate, AppError> {
    let d = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid(field, "date"))?;
    if d.year_ce().1 < 1958 || d.year_ce().1 > 2100 {
        return Err(AppError::invalid(field, "date"));
    }
    Ok(d)
}

use chrono::Datelike;

fn one_of(
    field: &str,
    value: Option<&str>,
    allowed: &[&str],
    default: &str,
) -> Result<String, AppError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(default.to_owned()),
        Some(v) if allowed.contains(&v) => Ok(v.to_owned()),
        Some(v) => Err(AppError::InvalidValues {
            field: field.into(),
            reason: "unknown_value",
            values: vec![v.to_owned()],
        }),
    }
}

impl EnforcementInput {
    pub fn check(&self) -> Result<Enforcement, AppError> {
        let bad: Vec<String> = self
            .grounds
            .iter()
            .filter(|g| !NYC_GROUNDS.contains(&g.as_str()))
            .cloned()
            .collect();
        if !bad.is_empty() {
            return Err(AppError::InvalidValues {
                field: "grounds".into(),
                reason: "unknown_value",
                values: bad,
            });
        }
        let mut grounds = self.grounds.clone();
        grounds.sort();
        grounds.dedup();
        let filed_on = date("filed_on", &self.filed_on)?;
        let decision = one_of("decision", self.decision.as_deref(), &DECISIONS, "pending")?;
        let decided_on = match self.decided_on.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(d) => Some(date("decided_on", d)?),
        };
        match (decision.as_str(), decided_on) {
            ("pending", Some(_)) => return Err(AppError::invalid("decided_on", "not_decided")),
            ("recognised" | "partly_recognised" | "refused", None) => {
                return Err(AppError::invalid("decided_on", "required"));
            }
            (_, Some(d)) if d < filed_on => {
                return Err(AppError::invalid("decided_on", "before_filing"));
            }
            _ => {}
        }
        let note = text("note", &self.note, false, 2000)?;
        Ok(Enforcement {
            country: country("country", &self.country)?,
            court: text("court", &self.court, true, 300)?,
            filed_on,
            grounds,
            decision,
            decided_on,
            prior_report: one_of(
                "prior_report",
                self.prior_report.as_deref(),
                &PRIOR_REPORT,
                "not_applicable",
            )?,
            note,
        })
    }
}

/// The amount in dispute as the fee engine reads it.
pub fn amount_decimal(m: &Money) -> Decimal {
    m.to_decimal()
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn filing() -> FilingInput {
        FilingInput {
            institution: "demo-commission".into(),
            filed_as: None,
            claimant: PartyInput {
                name: "Chongqing Demo Motors Co., Ltd.".into(),
                nationality: "cn".into(),
            },
            respondent: PartyInput {
                name: "Hanoi Demo Trading JSC".into(),
                nationality: "VN".into(),
            },
            claims: "Payment of the unpaid price of delivered parts.".into(),
            amount: "1250000.50".into(),
            currency: "cny".into(),
            agreement: "Clause 18: arbitration at the Chongqing Arbitration Commission.".into(),
            seat: "CN".into(),
            language: "zh".into(),
            rules: "uncitral-2013".into(),
            arbitrators: 3,
            expedited: false,
        }
    }

    #[test]
    fn a_filing_is_checked_and_every_refusal_names_its_field() {
        let f = filing().check().unwrap();
        assert_eq!(f.claimant.1, "CN");
        assert_eq!(f.amount.amount_text(), "1250000.50");
        assert_eq!(f.filed_as, "claimant_counsel");
        for (change, field) in [
            (|f: &mut FilingInput| f.amount = "1.234".into()) as fn(&mut FilingInput),
            |f| f.amount = "-5".into(),
            |f| f.currency = "US".into(),
            |f| f.rules = "no_such_rules".into(),
            |f| f.arbitrators = 2,
            |f| f.seat = "ZZ".into(),
            |f| f.respondent.name = " ".into(),
            |f| f.language = "klingon".into(),
            |f| f.filed_as = Some("arbitrator".into()),
        ]
        .into_iter()
        .zip([
            "amount",
            "amount",
            "currency",
            "rules",
            "arbitrators",
            "seat",
            "respondent.name",
            "language",
            "filed_as",
        ]) {
            let mut input = filing();
            change(&mut input);
            match input.check() {
                Err(AppError::Invalid { field: f, .. })
                | Err(AppError::InvalidValues { field: f, .. }) => {
                    assert_eq!(f, field)
                }
                other => panic!("{field}: {other:?}"),
            }
        }
    }

    #[test]
    fn the_same_dispute_has_the_same_key_whatever_the_spacing() {
        let a = filing().check().unwrap();
        let mut again = filing();
        again.claimant.name = "  chongqing demo   MOTORS Co., Ltd. ".into();
        let b = again.check().unwrap();
        assert_eq!(a.key("inst"), b.key("inst"));
        assert_ne!(a.key("inst"), a.key("other"));
        let mut more = filing();
        more.amount = "1250001".into();
        assert_ne!(a.key("inst"), more.check().unwrap().key("inst"));
    }

    #[test]
    fn an_enforcement_is_checked() {
        let ok = EnforcementInput {
            country: "vn".into(),
            court: "People's Court of Hanoi".into(),
            filed_on: "2026-03-02".into(),
            grounds: vec!["v2b_public_policy".into()],
            decision: Some("recognised".into()),
            decided_on: Some("2026-09-30".into()),
            ..Default::default()
        };
        let e = ok.check().unwrap();
        assert_eq!(
            (e.country.as_str(), e.decision.as_str()),
            ("VN", "recognised")
        );
        let mut bad = ok.clone();
        bad.decided_on = None;
        assert!(bad.check().is_err(), "a decision has a date");
        let mut bad = ok.clone();
        bad.decided_on = Some("2026-01-01".into());
        assert!(bad.check().is_err(), "not before the filing");
        let mut bad = ok.clone();
        bad.grounds = vec!["v9_whim".into()];
        assert!(bad.check().is_err());
        let pending = EnforcementInput {
            decision: None,
            decided_on: None,
            ..ok
        };
        assert_eq!(pending.check().unwrap().decision, "pending");
    }
}
