//! An arbitrator's roster profile: what a panel needs to know beyond the directory's person
//! (names, nationalities, residence, languages, expertise, jurisdictions and panels live there).
//! The fields follow the union of the market's roster databases and ICC's SAAII availability
//! form (`../shared/reference/arbitration.md` §2.1): legal systems, ASEAN experience, the
//! "overseas expert" designation, fee basis, availability, and the firms the arbitrator has
//! left (which the conflict screen's `former_firm_of_counsel` needs).
//!
//! [`RosterProfile::checked`] is the one place its rules live; it is pure and tested here.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::directory::validate::text;
use crate::money::{Currency, Money};
use crate::reference::Reference;
use crate::{AppError, Result};

/// A family of law the arbitrator is trained in.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LegalSystem {
    CommonLaw,
    CivilLaw,
    /// The law of the People's Republic of China.
    PrcLaw,
    IslamicLaw,
}

impl LegalSystem {
    pub const ALL: [LegalSystem; 4] = [
        LegalSystem::CommonLaw,
        LegalSystem::CivilLaw,
        LegalSystem::PrcLaw,
        LegalSystem::IslamicLaw,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LegalSystem::CommonLaw => "common_law",
            LegalSystem::CivilLaw => "civil_law",
            LegalSystem::PrcLaw => "prc_law",
            LegalSystem::IslamicLaw => "islamic_law",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text.trim())
    }
}

/// How the arbitrator charges.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FeeBasis {
    /// By the institution's schedule on the amount in dispute.
    #[default]
    AdValorem,
    Hourly,
    Daily,
}

impl FeeBasis {
    pub const ALL: [FeeBasis; 3] = [FeeBasis::AdValorem, FeeBasis::Hourly, FeeBasis::Daily];

    pub fn as_str(self) -> &'static str {
        match self {
            FeeBasis::AdValorem => "ad_valorem",
            FeeBasis::Hourly => "hourly",
            FeeBasis::Daily => "daily",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text.trim())
    }
}

/// The fee basis: an hourly or daily rate needs its amount and currency; a schedule's has none.
/// `cap` (in the same currency) is the most the arbitrator will charge for a case.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Fee {
    #[serde(default)]
    pub basis: FeeBasis,
    /// Decimal text with no more places than the currency has (`"650.00"`).
    #[serde(default)]
    pub rate: Option<String>,
    /// ISO 4217.
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub cap: Option<String>,
}

/// Whether the arbitrator takes new appointments.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AvailabilityStatus {
    #[default]
    Available,
    /// Takes appointments, with a heavy docket (say which in `note`).
    Limited,
    Unavailable,
}

impl AvailabilityStatus {
    pub const ALL: [AvailabilityStatus; 3] = [
        AvailabilityStatus::Available,
        AvailabilityStatus::Limited,
        AvailabilityStatus::Unavailable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AvailabilityStatus::Available => "available",
            AvailabilityStatus::Limited => "limited",
            AvailabilityStatus::Unavailable => "unavailable",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text.trim())
    }
}

/// Days the arbitrator cannot sit, both ends included (SAAII's "dates of existing commitments").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Blocked {
    pub from: NaiveDate,
    pub until: NaiveDate,
}

/// Availability as the arbitrator declares it (ICC's SAAII form: pending cases, blocked dates).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Availability {
    #[serde(default)]
    pub status: AvailabilityStatus,
    /// Cases pending elsewhere (this deployment's own are counted from its cases).
    #[serde(default)]
    pub pending_cases: u32,
    #[serde(default)]
    pub blocked: Vec<Blocked>,
    #[serde(default)]
    pub note: String,
}

impl Availability {
    /// Whether the arbitrator can be asked to sit on `day`: not unavailable, not blocked.
    pub fn open_on(&self, day: NaiveDate) -> bool {
        self.status != AvailabilityStatus::Unavailable
            && !self.blocked.iter().any(|b| b.from <= day && day <= b.until)
    }
}

/// A law firm the arbitrator has left, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FormerFirm {
    /// The directory's organization (slug), or the firm's name as written when it is not there.
    pub firm: String,
    pub until: NaiveDate,
}

/// The roster profile, in the API's shape (and stored as this JSON).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RosterProfile {
    #[serde(default)]
    pub legal_systems: Vec<LegalSystem>,
    /// ASEAN member states (ISO 3166-1 alpha-2) where the arbitrator has sat or acted in disputes.
    #[serde(default)]
    pub asean_experience: Vec<String>,
    /// The commission's designation of an overseas expert on its panel (境外专家仲裁员).
    #[serde(default)]
    pub overseas_expert: bool,
    #[serde(default)]
    pub fee: Fee,
    #[serde(default)]
    pub availability: Availability,
    #[serde(default)]
    pub former_firms: Vec<FormerFirm>,
}

const MAX_BLOCKED: usize = 50;
const MAX_FORMER_FIRMS: usize = 20;
const MAX_PENDING: u32 = 1000;

fn amount(field: &str, currency: Currency, text: &str) -> Result<String> {
    Money::parse_amount(currency, text.trim())
        .ok()
        .filter(|m| m.minor() > 0)
        .map(|m| m.amount_text())
        .ok_or_else(|| AppError::invalid(field, "amount"))
}

fn blank(o: &Option<String>) -> Option<&str> {
    o.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

impl Fee {
    fn checked(&self) -> Result<Fee> {
        let (rate, currency, cap) = (blank(&self.rate), blank(&self.currency), blank(&self.cap));
        let currency = currency
            .map(|c| Currency::parse(c).map_err(|_| AppError::invalid("fee.currency", "currency")))
            .transpose()?;
        let rate = match (self.basis, rate) {
            (FeeBasis::AdValorem, None) => None,
            (FeeBasis::AdValorem, Some(_)) | (FeeBasis::Hourly | FeeBasis::Daily, None) => {
                return Err(AppError::invalid("fee.rate", "fee_rate"));
            }
            (_, Some(r)) => {
                let c = currency.ok_or_else(|| AppError::invalid("fee.currency", "required"))?;
                Some(amount("fee.rate", c, r)?)
            }
        };
        let cap = cap
            .map(|c| {
                let cur = currency.ok_or_else(|| AppError::invalid("fee.currency", "required"))?;
                amount("fee.cap", cur, c)
            })
            .transpose()?;
        Ok(Fee {
            basis: self.basis,
            rate,
            currency: currency.map(|c| c.to_string()),
            cap,
        })
    }

    /// `650.00 USD / hour`, or empty for a schedule's fee.
    pub fn rate_text(&self) -> String {
        match (&self.rate, &self.currency) {
            (Some(r), Some(c)) => format!("{r} {c}"),
            _ => String::new(),
        }
    }
}

impl RosterProfile {
    /// The profile as it will be kept: every value checked, lists sorted and without repeats.
    /// `today` bounds the former firms (a firm is left in the past).
    pub fn checked(&self, today: NaiveDate) -> Result<RosterProfile> {
        let mut legal_systems = self.legal_systems.clone();
        legal_systems.sort();
        legal_systems.dedup();
        let reference = Reference::get();
        let mut asean = Vec::new();
        for code in &self.asean_experience {
            let code = crate::directory::validate::country("asean_experience", code)?;
            if !reference.is_asean(&code) {
                return Err(AppError::invalid("asean_experience", "not_asean"));
            }
            asean.push(code);
        }
        asean.sort();
        asean.dedup();
        let a = &self.availability;
        if a.pending_cases > MAX_PENDING {
            return Err(AppError::invalid(
                "availability.pending_cases",
                "out_of_range",
            ));
        }
        if a.blocked.len() > MAX_BLOCKED {
            return Err(AppError::invalid("availability.blocked", "too_many"));
        }
        if a.blocked.iter().any(|b| b.until < b.from) {
            return Err(AppError::invalid("availability.blocked", "date_order"));
        }
        let mut blocked = a.blocked.clone();
        blocked.sort_by_key(|b| (b.from, b.until));
        blocked.dedup();
        if self.former_firms.len() > MAX_FORMER_FIRMS {
            return Err(AppError::invalid("former_firms", "too_many"));
        }
        let mut former_firms = Vec::new();
        for f in &self.former_firms {
            if f.until > today {
                return Err(AppError::invalid("former_firms.until", "date_out_of_range"));
            }
            former_firms.push(FormerFirm {
                firm: text("former_firms.firm", &f.firm, true, 200)?,
                until: f.until,
            });
        }
        former_firms.sort_by(|a, b| b.until.cmp(&a.until).then(a.firm.cmp(&b.firm)));
        former_firms.dedup();
        Ok(RosterProfile {
            legal_systems,
            asean_experience: asean,
            overseas_expert: self.overseas_expert,
            fee: self.fee.checked()?,
            availability: Availability {
                status: a.status,
                pending_cases: a.pending_cases,
                blocked,
                note: text("availability.note", &a.note, false, 500)?,
            },
            former_firms,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn reason(e: AppError) -> (String, &'static str) {
        match e {
            AppError::Invalid { field, reason } => (field, reason),
            other => panic!("not an invalid-field error: {other:?}"),
        }
    }

    fn profile(json: serde_json::Value) -> RosterProfile {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn a_full_profile_is_kept_sorted_and_without_repeats() {
        let p = profile(serde_json::json!({
            "legal_systems": ["prc_law", "common_law", "prc_law"],
            "asean_experience": ["th", "SG", "TH"],
            "overseas_expert": true,
            "fee": {"basis": "hourly", "rate": "650", "currency": "usd", "cap": "50000.5"},
            "availability": {"status": "limited", "pending_cases": 4,
                "blocked": [{"from": "2027-02-01", "until": "2027-02-10"},
                            {"from": "2027-01-01", "until": "2027-01-03"}],
                "note": " two hearings in March "},
            "former_firms": [{"firm": "old-firm", "until": "2024-06-30"},
                             {"firm": "older firm", "until": "2019-01-31"}]
        }))
        .checked(d("2026-12-05"))
        .unwrap();
        assert_eq!(
            p.legal_systems,
            vec![LegalSystem::CommonLaw, LegalSystem::PrcLaw]
        );
        assert_eq!(p.asean_experience, vec!["SG", "TH"]);
        assert_eq!(p.fee.rate.as_deref(), Some("650.00"));
        assert_eq!(p.fee.cap.as_deref(), Some("50000.50"));
        assert_eq!(p.fee.currency.as_deref(), Some("USD"));
        assert_eq!(p.fee.rate_text(), "650.00 USD");
        assert_eq!(p.availability.blocked[0].from, d("2027-01-01"));
        assert_eq!(p.availability.note, "two hearings in March");
        assert_eq!(p.former_firms[0].firm, "old-firm");
    }

    #[test]
    fn the_default_profile_is_valid_and_charges_by_the_schedule() {
        let p = RosterProfile::default().checked(d("2026-12-05")).unwrap();
        assert_eq!(p.fee.basis, FeeBasis::AdValorem);
        assert!(p.availability.open_on(d("2026-12-05")));
    }

    #[test]
    fn asean_experience_is_only_asean_members() {
        let p = profile(serde_json::json!({"asean_experience": ["JP"]}));
        assert_eq!(
            reason(p.checked(d("2026-12-05")).unwrap_err()),
            ("asean_experience".into(), "not_asean")
        );
        let p = profile(serde_json::json!({"asean_experience": ["ZZ"]}));
        assert_eq!(
            reason(p.checked(d("2026-12-05")).unwrap_err()).1,
            "unknown_country"
        );
    }

    #[test]
    fn a_rate_goes_with_an_hourly_or_daily_basis_and_a_currency() {
        for (fee, field, why) in [
            (
                serde_json::json!({"basis": "hourly"}),
                "fee.rate",
                "fee_rate",
            ),
            (
                serde_json::json!({"basis": "ad_valorem", "rate": "10", "currency": "USD"}),
                "fee.rate",
                "fee_rate",
            ),
            (
                serde_json::json!({"basis": "daily", "rate": "10"}),
                "fee.currency",
                "required",
            ),
            (
                serde_json::json!({"basis": "daily", "rate": "10.001", "currency": "USD"}),
                "fee.rate",
                "amount",
            ),
            (
                serde_json::json!({"basis": "daily", "rate": "-1", "currency": "USD"}),
                "fee.rate",
                "amount",
            ),
            (
                serde_json::json!({"basis": "hourly", "rate": "1", "currency": "US"}),
                "fee.currency",
                "currency",
            ),
            (
                serde_json::json!({"cap": "100"}),
                "fee.currency",
                "required",
            ),
        ] {
            let p = profile(serde_json::json!({ "fee": fee }));
            assert_eq!(
                reason(p.checked(d("2026-12-05")).unwrap_err()),
                (field.to_owned(), why),
                "{fee}"
            );
        }
        // A cap on a schedule's fee is fine with its currency.
        let p = profile(serde_json::json!({"fee": {"cap": "100", "currency": "CNY"}}));
        assert_eq!(
            p.checked(d("2026-12-05")).unwrap().fee.cap.as_deref(),
            Some("100.00")
        );
    }

    #[test]
    fn blocked_days_and_status_decide_whether_the_arbitrator_is_open() {
        let p = profile(serde_json::json!({"availability": {
            "blocked": [{"from": "2027-01-01", "until": "2027-01-03"}]}}))
        .checked(d("2026-12-05"))
        .unwrap();
        assert!(!p.availability.open_on(d("2027-01-01")));
        assert!(!p.availability.open_on(d("2027-01-03")));
        assert!(p.availability.open_on(d("2027-01-04")));
        let mut a = p.availability.clone();
        a.status = AvailabilityStatus::Unavailable;
        assert!(!a.open_on(d("2027-06-01")));
        let bad = profile(serde_json::json!({"availability": {
            "blocked": [{"from": "2027-01-03", "until": "2027-01-01"}]}}));
        assert_eq!(
            reason(bad.checked(d("2026-12-05")).unwrap_err()).1,
            "date_order"
        );
        let busy = profile(serde_json::json!({"availability": {"pending_cases": 5000}}));
        assert_eq!(
            reason(busy.checked(d("2026-12-05")).unwrap_err()).1,
            "out_of_range"
        );
    }

    #[test]
    fn a_former_firm_was_left_in_the_past_and_has_a_name() {
        let future =
            profile(serde_json::json!({"former_firms": [{"firm": "x", "until": "2027-01-01"}]}));
        assert_eq!(
            reason(future.checked(d("2026-12-05")).unwrap_err()).1,
            "date_out_of_range"
        );
        let blank =
            profile(serde_json::json!({"former_firms": [{"firm": " ", "until": "2020-01-01"}]}));
        assert_eq!(
            reason(blank.checked(d("2026-12-05")).unwrap_err()),
            ("former_firms.firm".into(), "required")
        );
    }

    #[test]
    fn unknown_fields_and_values_are_refused_when_read() {
        assert!(
            serde_json::from_value::<RosterProfile>(serde_json::json!({"gender": "x"})).is_err()
        );
        assert!(
            serde_json::from_value::<RosterProfile>(
                serde_json::json!({"legal_systems": ["roman"]})
            )
            .is_err()
        );
    }
}
