//! The whole roster ranked for a seat in a case. Pure: the screens' ranking
//! ([`screens::rank`]: conflicts and nationality) decides first, then what the secretariat asks
//! next — is the arbitrator free, do they work in the case's language, how busy are they.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::search::Entry;
use crate::arbitration::screens::{self, AppointmentIndex, Candidate, Case, List, Verdict};

/// A finding, as the ranking shows it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct FindingBrief {
    pub code: String,
    /// `non_waivable_red`, `waivable_red` or `orange`.
    pub list: String,
    pub en: String,
    pub zh: String,
}

/// One arbitrator's place in the ranking.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Candidacy {
    pub person: String,
    pub slug: String,
    pub name_en: String,
    pub name_zh: String,
    pub nationalities: Vec<String>,
    pub based_in: String,
    /// A non-waivable red finding: cannot serve.
    pub excluded: bool,
    /// The nationality rule's verdict for this seat: `ok`, `needs_agreement`, `advisory`.
    pub neutrality: String,
    /// Lower is better (the screens' score: 100 per waivable red, 50 when the parties must
    /// agree on nationality, 10 per orange, 5 for an advisory point).
    pub score: u32,
    pub findings: Vec<FindingBrief>,
    /// Open on the day asked: not unavailable, not blocked.
    pub available: bool,
    /// Works in the case's language.
    pub speaks_language: bool,
    /// Cases on hand (pending here and declared elsewhere).
    pub caseload: u32,
    pub overseas_expert: bool,
}

fn verdict_text(v: Verdict) -> &'static str {
    match v {
        Verdict::Ok => "ok",
        Verdict::NeedsAgreement => "needs_agreement",
        Verdict::Advisory => "advisory",
    }
}

fn list_text(l: List) -> &'static str {
    match l {
        List::NonWaivableRed => "non_waivable_red",
        List::WaivableRed => "waivable_red",
        List::Orange => "orange",
    }
}

/// The entry as the screens see a candidate: the firm is the directory's organization (slug),
/// as counsel's firms are.
pub fn candidate(e: &Entry) -> Candidate {
    Candidate {
        id: e.person.id.clone(),
        name: Some(e.person.name_en.clone()),
        nationalities: e.person.nationalities.clone(),
        firm: e.person.organization_slug.clone(),
        former_firms: e
            .profile
            .former_firms
            .iter()
            .map(|f| (f.firm.clone(), f.until))
            .collect(),
    }
}

/// Ranks `entries` for the seat `case` describes: not excluded first, then free on `day`, then
/// speaking `language`, then the screens' score, then the lighter caseload, then by name. Only
/// the first `keep` are returned, with their findings spelled out.
pub fn for_case(
    case: &Case,
    entries: &[&Entry],
    index: &AppointmentIndex,
    language: &str,
    day: NaiveDate,
    keep: usize,
) -> Vec<Candidacy> {
    let candidates: Vec<Candidate> = entries.iter().map(|e| candidate(e)).collect();
    let ranked = screens::rank(case, &candidates, index);
    let language = language.trim().to_lowercase();
    let mut rows: Vec<_> = ranked
        .into_iter()
        .map(|r| {
            let e = entries[r.candidate];
            let available = e.profile.availability.open_on(day);
            let speaks = e.person.languages.contains(&language);
            (r, e, available, speaks)
        })
        .collect();
    rows.sort_by(|(a, ea, fa, sa), (b, eb, fb, sb)| {
        (
            a.excluded,
            !fa,
            !sa,
            a.score,
            ea.caseload(),
            &ea.person.name_en,
        )
            .cmp(&(
                b.excluded,
                !fb,
                !sb,
                b.score,
                eb.caseload(),
                &eb.person.name_en,
            ))
    });
    rows.into_iter()
        .take(keep)
        .map(|(r, e, available, speaks)| {
            let (found, _) = screens::findings(case, &candidates[r.candidate], index);
            Candidacy {
                person: e.person.id.clone(),
                slug: e.person.slug.clone(),
                name_en: e.person.name_en.clone(),
                name_zh: e.person.name_zh.clone(),
                nationalities: e.person.nationalities.clone(),
                based_in: e.person.based_in.clone(),
                excluded: r.excluded,
                neutrality: verdict_text(r.verdict).to_owned(),
                score: r.score,
                findings: found
                    .into_iter()
                    .map(|f| FindingBrief {
                        code: f.code.to_owned(),
                        list: list_text(f.list).to_owned(),
                        en: f.en,
                        zh: f.zh,
                    })
                    .collect(),
                available,
                speaks_language: speaks,
                caseload: e.caseload(),
                overseas_expert: e.profile.overseas_expert,
            }
        })
        .collect()
}
