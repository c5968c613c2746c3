//! Will an arbitral award made at `seat` be recognised and enforced in `enforcing_state`, and how.
//! Between the Mainland and Hong Kong or Macao the New York Convention does not apply: the
//! arrangements do. Elsewhere the Convention applies if the enforcing State is bound on the date,
//! subject to its reciprocity and commercial reservations (Art. I(3)).

mod nyc;
mod regional;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Result;
use super::data::{Arrangement, BilateralTreaty, Dataset};
use super::facts::{Sourced, Statement, Warning, Warnings};
use super::profile::{Language, ProfileFact};
use super::status::NycStatus;

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct AwardQuery {
    /// Seat (place) of arbitration, ISO alpha-2 (`HK`, `MO` for the SARs; `CN` for the Mainland).
    pub seat: String,
    /// Administering institution, if any (free text, e.g. `CIETAC`, `HKIAC`); `None` for ad hoc.
    #[serde(default)]
    pub institution: Option<String>,
    pub enforcing_state: String,
    /// Whether the legal relationship is commercial (matters where the commercial reservation applies).
    pub commercial: bool,
    /// The day the question is asked for, e.g. the day of filing.
    pub date: NaiveDate,
}

/// The legal basis the answer rests on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Regime {
    NewYorkConvention,
    MainlandHongKongArrangement,
    MainlandMacaoArrangement,
    HongKongMacaoArrangement,
    BilateralTreaty,
    /// Judgments only: recognition depends on reciprocity under the enforcing State's law.
    Reciprocity,
    /// Same place: not a cross-border question.
    Domestic,
    /// No instrument in the data covers the case.
    None,
    /// The data cannot tell (unknown dates, cases outside the data such as cross-strait).
    Undetermined,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    Covered,
    NotCovered,
    Uncertain,
    NotApplicable,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConditionStatus {
    Met,
    NotMet,
    /// The reservation was not made, or the regime has no such condition.
    NotApplicable,
    /// Depends on whether the seat grants reciprocal treatment; not in the data.
    ConditionalOnReciprocity,
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Condition {
    pub status: ConditionStatus,
    #[serde(flatten)]
    pub statement: Statement,
}

#[derive(Clone, Debug, Serialize)]
pub struct AwardAssessment {
    pub seat: String,
    pub enforcing_state: String,
    pub institution: Option<String>,
    pub commercial: bool,
    pub date: NaiveDate,
    pub regime: Regime,
    pub coverage: Coverage,
    /// Why this regime and coverage, each step sourced.
    pub basis: Vec<Statement>,
    /// New York Convention status of the seat and the enforcing State on `date` (when relevant).
    pub convention_status: Vec<NycStatus>,
    /// Arrangement rows in force on `date` that apply (Mainland–HK, Mainland–Macao, HK–Macao).
    pub arrangements: Vec<Arrangement>,
    /// China's bilateral treaty with the other State, when one exists.
    pub treaty: Option<BilateralTreaty>,
    pub reciprocity: Condition,
    pub commercial_reservation: Condition,
    pub documents: Vec<Statement>,
    /// Languages a translation must be in (Art. IV(2)); empty when the data has none.
    pub translation_languages: Sourced<Vec<Language>>,
    pub competent_court: Sourced<String>,
    pub time_limit: Sourced<String>,
    pub refusal_grounds: Vec<Statement>,
    pub special_procedures: Vec<Statement>,
    pub pitfalls: Vec<Statement>,
    pub notes: Vec<Statement>,
    pub warnings: Vec<Warning>,
}

pub fn award_enforceability(q: AwardQuery) -> Result<AwardAssessment> {
    let ds = Dataset::get()?;
    let seat = ds.country(&q.seat)?;
    let enforcing = ds.country(&q.enforcing_state)?;
    let mut w = Warnings::default();
    let mut a = AwardAssessment {
        seat: seat.clone(),
        enforcing_state: enforcing.clone(),
        institution: q.institution.clone().filter(|s| !s.trim().is_empty()),
        commercial: q.commercial,
        date: q.date,
        regime: Regime::Undetermined,
        coverage: Coverage::Uncertain,
        basis: Vec::new(),
        convention_status: Vec::new(),
        arrangements: Vec::new(),
        treaty: None,
        reciprocity: not_applicable("reciprocity_not_assessed"),
        commercial_reservation: not_applicable("commercial_not_assessed"),
        documents: Vec::new(),
        translation_languages: unknown_fact("translation_languages", Vec::new()),
        competent_court: unknown_fact("competent_court", "unverified".into()),
        time_limit: unknown_fact("time_limit", "unverified".into()),
        refusal_grounds: Vec::new(),
        special_procedures: Vec::new(),
        pitfalls: Vec::new(),
        notes: Vec::new(),
        warnings: Vec::new(),
    };
    if seat == enforcing {
        a.regime = Regime::Domestic;
        a.coverage = Coverage::NotApplicable;
        a.basis.push(Statement::new(
            "domestic_award",
            "Seat and enforcing place are the same: enforcement is a domestic matter, outside this engine.",
            "仲裁地与执行地相同：属于本地执行问题，不在本引擎范围内。",
            "https://uncitral.un.org/en/texts/arbitration/conventions/foreign_arbitral_awards (Art. I(1))",
            true,
        ));
    } else if regional::is_regional_pair(&seat, &enforcing) {
        regional::assess(ds, &mut a, &mut w);
    } else {
        nyc::assess(ds, &mut a, &mut w);
    }
    finish(a, w)
}

/// Collects a warning for every unverified fact the answer carries, then attaches them.
fn finish(mut a: AwardAssessment, mut w: Warnings) -> Result<AwardAssessment> {
    w.statements(&a.basis);
    for s in &a.convention_status {
        if !s.verified {
            w.push(Warning::unverified(
                &format!("new_york_convention.{}.entry_into_force", s.state),
                &s.source,
            ));
        }
    }
    for r in &a.arrangements {
        if !r.verified {
            w.push(Warning::unverified(
                &format!("arrangements.{}", r.id),
                &r.source,
            ));
        }
    }
    if let Some(t) = &a.treaty
        && !t.verified
    {
        w.push(Warning::unverified(
            &format!("bilateral_treaties.{}", t.counterpart),
            &t.source,
        ));
    }
    w.statements([
        &a.reciprocity.statement,
        &a.commercial_reservation.statement,
    ]);
    w.statements(&a.documents);
    w.sourced(&a.translation_languages);
    w.sourced(&a.competent_court);
    w.sourced(&a.time_limit);
    w.statements(&a.refusal_grounds);
    w.statements(&a.special_procedures);
    w.statements(&a.pitfalls);
    w.statements(&a.notes);
    a.warnings = w.into_vec();
    Ok(a)
}

fn not_applicable(code: &str) -> Condition {
    Condition {
        status: ConditionStatus::NotApplicable,
        statement: Statement::new(
            code,
            "Not assessed for this regime.",
            "此制度下不适用。",
            "engine",
            true,
        ),
    }
}

fn unknown_fact<T>(fact: &str, value: T) -> Sourced<T> {
    Sourced {
        fact: fact.to_owned(),
        value,
        source: "no source in the dataset".into(),
        verified: false,
    }
}

/// Court, time limit, translation languages, special procedures and pitfalls of the enforcing
/// State's profile, if the data has one. `regime` selects which special procedures apply.
fn enforcement_facts(ds: &Dataset, a: &mut AwardAssessment, regime_code: &str) {
    let e = a.enforcing_state.clone();
    let Some(p) = ds.profile(&e) else {
        a.notes.push(Statement::new(
            "no_enforcement_profile",
            &format!("The data has no enforcement profile for {e} (court, time limit, languages)."),
            &format!("数据中没有 {e} 的执行资料（法院、期限、语言）。"),
            "data/jurisdiction/asean.json | data/jurisdiction/greater_china.json | data/jurisdiction/partners.json",
            false,
        ));
        return;
    };
    let fae = &p.foreign_award_enforcement;
    a.competent_court = sourced(&format!("{e}.competent_court"), &fae.competent_court);
    a.time_limit = sourced(&format!("{e}.time_limit"), &fae.time_limit);
    a.translation_languages = sourced(&format!("{e}.official_languages"), &p.official_languages);
    a.special_procedures.extend(
        p.special_procedures
            .iter()
            .filter(|s| s.applies_to.iter().any(|r| r == regime_code))
            .map(|s| s.statement()),
    );
    a.pitfalls.extend(p.pitfalls.iter().map(|s| s.statement()));
}

fn sourced<T: Clone>(fact: &str, f: &ProfileFact<T>) -> Sourced<T> {
    Sourced {
        fact: fact.to_owned(),
        value: f.value.clone(),
        source: f.source.clone(),
        verified: f.verified,
    }
}
