//! Roster search: which arbitrators match a query. Pure: the filter is checked once from the
//! query as typed ([`RosterFilter::parse`]), then tested against each [`Entry`].

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::profile::{FeeBasis, LegalSystem, RosterProfile};
use crate::directory::model::Person;
use crate::{AppError, Result};

/// Where a recommendation came from: "recommended to <institution> by <partner> under the
/// agreement signed on <date>".
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Recommendation {
    pub institution: String,
    pub institution_name_en: String,
    pub institution_name_zh: String,
    pub recommended_by: String,
    pub recommended_by_name_en: String,
    pub recommended_by_name_zh: String,
    pub agreement_id: String,
    pub agreement_signed_on: String,
    pub recommended_on: String,
}

/// Seats held, counted from the appointment history (here and recorded from elsewhere).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Seats {
    pub sole: u32,
    pub presiding: u32,
    pub co_arbitrator: u32,
    /// Cases here in which the arbitrator sits and which are still open.
    pub pending_here: u32,
}

impl Seats {
    /// Adds `seats` held in `seat_role`, `pending` of them in open cases here.
    pub fn add(&mut self, seat_role: &str, seats: i64, pending: i64) {
        let seats = u32::try_from(seats).unwrap_or(u32::MAX);
        match seat_role {
            "sole" => self.sole += seats,
            "presiding" => self.presiding += seats,
            _ => self.co_arbitrator += seats,
        }
        self.pending_here += u32::try_from(pending).unwrap_or(u32::MAX);
    }

    pub fn total(&self) -> u32 {
        self.sole + self.presiding + self.co_arbitrator
    }
}

/// One arbitrator as the roster knows them: the directory's person and the roster's profile.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Entry {
    pub person: Person,
    pub profile: RosterProfile,
    /// 0 while no profile has been saved.
    pub version: i64,
    pub recommendations: Vec<Recommendation>,
    pub seats: Seats,
}

impl Entry {
    /// On `institution`'s panel, or recommended to it under a cooperation agreement.
    pub fn listed_by(&self, institution: &str) -> bool {
        self.person.rosters.iter().any(|r| r == institution)
            || self
                .recommendations
                .iter()
                .any(|r| r.institution == institution)
    }

    /// Based outside mainland China.
    pub fn overseas(&self) -> bool {
        self.person.based_in != "CN"
    }

    /// Cases the arbitrator has on hand: pending here and declared elsewhere.
    pub fn caseload(&self) -> u32 {
        self.seats.pending_here + self.profile.availability.pending_cases
    }
}

/// The roster search as sent (`GET /api/v1/arbitration/roster`, `/arbitration/roster`).
#[derive(Clone, Debug, Default, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RosterQuery {
    /// Words in the name (either language), firm or biography.
    pub q: Option<String>,
    /// Institution (slug): on its panel, or recommended to it under a cooperation agreement.
    pub panel: Option<String>,
    pub nationality: Option<String>,
    /// Comma-separated countries none of whose nationals are wanted (the parties', for a neutral
    /// presiding arbitrator).
    pub not_nationality: Option<String>,
    /// Country of residence.
    pub residence: Option<String>,
    /// A language (BCP 47 primary tag such as `en`, `th`).
    pub language: Option<String>,
    /// `common_law`, `civil_law`, `prc_law`, `islamic_law`.
    pub legal_system: Option<String>,
    pub expertise: Option<String>,
    /// An ASEAN member state where the arbitrator has experience.
    pub asean: Option<String>,
    /// Based outside mainland China.
    pub overseas: Option<bool>,
    /// Designated an overseas expert on a panel.
    pub overseas_expert: Option<bool>,
    /// Open on this day (`YYYY-MM-DD`): not unavailable and not blocked.
    pub available_on: Option<String>,
    /// `ad_valorem`, `hourly`, `daily`.
    pub fee_basis: Option<String>,
    /// Recommended by this institution (slug) to any panel.
    pub recommended_by: Option<String>,
    /// 1-based.
    #[param(minimum = 1, maximum = 100000)]
    pub page: Option<u32>,
    /// 1..=100, default 20.
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}

/// A checked [`RosterQuery`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RosterFilter {
    pub words: Vec<String>,
    pub panel: Option<String>,
    pub nationality: Option<String>,
    pub not_nationality: Vec<String>,
    pub residence: Option<String>,
    pub language: Option<String>,
    pub legal_system: Option<LegalSystem>,
    pub expertise: Option<String>,
    pub asean: Option<String>,
    pub overseas: Option<bool>,
    pub overseas_expert: Option<bool>,
    pub available_on: Option<NaiveDate>,
    pub fee_basis: Option<FeeBasis>,
    pub recommended_by: Option<String>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

fn country(field: &str, v: &Option<String>) -> Result<Option<String>> {
    given(v)
        .map(|c| crate::directory::validate::country(field, c))
        .transpose()
}

impl RosterFilter {
    pub fn parse(q: &RosterQuery) -> Result<RosterFilter> {
        let words = given(&q.q)
            .map(|t| {
                crate::directory::validate::text("q", t, false, 200).map(|t| {
                    t.split_whitespace()
                        .map(str::to_lowercase)
                        .collect::<Vec<_>>()
                })
            })
            .transpose()?
            .unwrap_or_default();
        let not_nationality = given(&q.not_nationality)
            .map(|list| {
                list.split(',')
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(|c| crate::directory::validate::country("not_nationality", c))
                    .collect::<Result<Vec<_>>>()
            })
            .transpose()?
            .unwrap_or_default();
        let legal_system = given(&q.legal_system)
            .map(|t| {
                LegalSystem::parse(t)
                    .ok_or_else(|| AppError::invalid("legal_system", "unknown_value"))
            })
            .transpose()?;
        let fee_basis = given(&q.fee_basis)
            .map(|t| {
                FeeBasis::parse(t).ok_or_else(|| AppError::invalid("fee_basis", "unknown_value"))
            })
            .transpose()?;
        let available_on = given(&q.available_on)
            .map(|t| {
                NaiveDate::parse_from_str(t, "%Y-%m-%d")
                    .map_err(|_| AppError::invalid("available_on", "date"))
            })
            .transpose()?;
        let slug = |v: &Option<String>| given(v).map(str::to_lowercase);
        let asean = country("asean", &q.asean)?;
        Ok(RosterFilter {
            words,
            panel: slug(&q.panel),
            nationality: country("nationality", &q.nationality)?,
            not_nationality,
            residence: country("residence", &q.residence)?,
            language: given(&q.language).map(str::to_lowercase),
            legal_system,
            expertise: given(&q.expertise).map(str::to_lowercase),
            asean,
            overseas: q.overseas,
            overseas_expert: q.overseas_expert,
            available_on,
            fee_basis,
            recommended_by: slug(&q.recommended_by),
        })
    }

    pub fn matches(&self, e: &Entry) -> bool {
        self.matches_for(e, true)
    }

    /// As [`RosterFilter::matches`], for a reader who sees the entry's blocked days or not:
    /// without them, `available_on` tests the status only.
    pub fn matches_for(&self, e: &Entry, sees_blocked: bool) -> bool {
        let p = &e.person;
        let has = |list: &[String], v: &Option<String>| v.as_ref().is_none_or(|v| list.contains(v));
        let words_hit = || {
            let hay = format!(
                "{} {} {} {} {}",
                p.name_en,
                p.name_zh,
                p.organization_name_en.as_deref().unwrap_or(""),
                p.bio_en,
                p.bio_zh
            )
            .to_lowercase();
            self.words.iter().all(|w| hay.contains(w.as_str()))
        };
        self.panel.as_ref().is_none_or(|i| e.listed_by(i))
            && has(&p.nationalities, &self.nationality)
            && !p
                .nationalities
                .iter()
                .any(|n| self.not_nationality.contains(n))
            && self.residence.as_ref().is_none_or(|r| &p.based_in == r)
            && has(&p.languages, &self.language)
            && has(&p.expertise, &self.expertise)
            && self
                .legal_system
                .is_none_or(|s| e.profile.legal_systems.contains(&s))
            && has(&e.profile.asean_experience, &self.asean)
            && self.overseas.is_none_or(|o| e.overseas() == o)
            && self
                .overseas_expert
                .is_none_or(|o| e.profile.overseas_expert == o)
            && self.available_on.is_none_or(|d| {
                if sees_blocked {
                    e.profile.availability.open_on(d)
                } else {
                    e.profile.availability.status != super::profile::AvailabilityStatus::Unavailable
                }
            })
            && self.fee_basis.is_none_or(|b| e.profile.fee.basis == b)
            && self
                .recommended_by
                .as_ref()
                .is_none_or(|by| e.recommendations.iter().any(|r| &r.recommended_by == by))
            && (self.words.is_empty() || words_hit())
    }
}

/// The entries that match, in the order given (by name), as one page; `sees_blocked` says for
/// which entries the reader sees the blocked days.
pub fn search<'a>(
    entries: &'a [Entry],
    filter: &RosterFilter,
    sees_blocked: impl Fn(&Entry) -> bool,
    page: u32,
    per_page: u32,
) -> (Vec<&'a Entry>, usize) {
    let hits: Vec<&Entry> = entries
        .iter()
        .filter(|e| filter.matches_for(e, sees_blocked(e)))
        .collect();
    let total = hits.len();
    let from = (page.saturating_sub(1) as usize).saturating_mul(per_page as usize);
    (
        hits.into_iter()
            .skip(from)
            .take(per_page as usize)
            .collect(),
        total,
    )
}
