//! Publishing a closed case into the knowledge base as a typical case, anonymised, in one step
//! (issue 10 §8). [`record`] is pure: what the case file knows becomes the knowledge base's case
//! format with no party's name, no amount beyond a band and no agreement text; the secretariat
//! writes the summary, outcome and lessons, which may not name a party either.

use chrono::Datelike;
use serde::Deserialize;
use utoipa::ToSchema;

use super::actions::{CaseView, loaded};
use crate::arbitration::roster::snapshot::party_key;
use crate::auth::Actor;
use crate::auth::audit::Who;
use crate::directory::validate::text;
use crate::ids::MatterId;
use crate::knowledge::case::{CaseRecord, CaseSource, Enforcement, Party};
use crate::money::Money;
use crate::reference::Reference;
use crate::state::AppState;
use crate::{AppError, Result};

/// What the secretariat writes for the typical case; the rest comes from the case file.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishInput {
    /// One of the knowledge base's sectors (`construction`, `trade`, …).
    pub sector: String,
    /// One of its contract types (`sale_of_goods`, `epc`, …).
    pub contract_type: String,
    /// `claimant_prevailed`, `respondent_prevailed`, `partial`, `settled`, `dismissed`, `other`.
    pub outcome: String,
    /// Titles; made from the sector and the parties' countries when left out.
    #[serde(default)]
    pub title_zh: Option<String>,
    #[serde(default)]
    pub title_en: Option<String>,
    pub summary_zh: String,
    pub summary_en: String,
    pub outcome_zh: String,
    pub outcome_en: String,
    pub lessons_zh: String,
    pub lessons_en: String,
}

/// The award-amount bands of the knowledge base are in US dollars; no exchange rate is sourced,
/// so an amount in another currency is `undisclosed`.
fn band(amount: &str, currency: &str) -> &'static str {
    match Money::parse_positive(currency, amount) {
        Ok(m) if m.currency().as_str() == "USD" => {
            let whole = m.minor() / 100;
            match whole {
                ..1_000_000 => "under_1m_usd",
                1_000_000..10_000_000 => "1m_10m_usd",
                10_000_000..100_000_000 => "10m_100m_usd",
                _ => "over_100m_usd",
            }
        }
        _ => "undisclosed",
    }
}

fn enforcement_result(decision: &str) -> &'static str {
    match decision {
        "recognised" => "enforced",
        "partly_recognised" => "partially_enforced",
        "refused" => "refused",
        "withdrawn" => "not_sought",
        _ => "pending",
    }
}

/// "A company from Viet Nam" / "一家越南企业": a party as the typical case describes it.
fn party(role: &str, cc: &str) -> Party {
    let (en, zh) = Reference::get()
        .country(cc)
        .map(|c| (c.name_en.clone(), c.name_zh.clone()))
        .unwrap_or_else(|| (cc.to_owned(), cc.to_owned()));
    Party {
        role: role.to_owned(),
        country: Some(cc.to_owned()),
        description_zh: format!("一方{zh}当事人"),
        description_en: format!("A party from {en}"),
    }
}

/// The typical case for a closed `case`: `demo` when the institution is a demo record (its
/// titles then say so), the case file at `source_url` as its source.
pub fn record(
    case: &CaseView,
    input: &PublishInput,
    demo: bool,
    signed_on: Option<chrono::NaiveDate>,
    source_url: &str,
) -> Result<CaseRecord> {
    let mut texts = Vec::new();
    for (field, value) in [
        ("summary_zh", &input.summary_zh),
        ("summary_en", &input.summary_en),
        ("outcome_zh", &input.outcome_zh),
        ("outcome_en", &input.outcome_en),
        ("lessons_zh", &input.lessons_zh),
        ("lessons_en", &input.lessons_en),
    ] {
        texts.push((field, text(field, value, true, 5000)?));
    }
    let names: Vec<String> = [&case.claimant.name, &case.respondent.name]
        .iter()
        .map(|n| party_key(n))
        .filter(|n| !n.is_empty())
        .collect();
    let mut countries = vec![
        case.claimant.nationality.clone(),
        case.respondent.nationality.clone(),
    ];
    countries.dedup();
    let place = |cc: &str| {
        Reference::get()
            .country(cc)
            .map(|c| (c.name_en.clone(), c.name_zh.clone()))
            .unwrap_or_else(|| (cc.to_owned(), cc.to_owned()))
    };
    let (c_en, c_zh) = place(&case.claimant.nationality);
    let (r_en, r_zh) = place(&case.respondent.nationality);
    let demo_en = if demo { " (Demo)" } else { "" };
    let demo_zh = if demo { "（演示）" } else { "" };
    let title_en = match input.title_en.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => format!("{t}{demo_en}"),
        _ => format!(
            "A {} dispute between parties from {c_en} and {r_en}{demo_en}",
            input.contract_type.replace('_', " ")
        ),
    };
    let title_zh = match input.title_zh.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => format!("{t}{demo_zh}"),
        _ => format!("{c_zh}与{r_zh}当事人之间的争议{demo_zh}"),
    };
    let title_en = text("title_en", &title_en, true, 300)?;
    let title_zh = text("title_zh", &title_zh, true, 300)?;
    let courts: Vec<&String> = case.enforcements.iter().map(|e| &e.court).collect();
    for (field, value) in [("title_en", &title_en), ("title_zh", &title_zh)]
        .into_iter()
        .chain(texts.iter().map(|(f, t)| (*f, t)))
        .chain(courts.into_iter().map(|c| ("enforcement.court", c)))
    {
        let lower = party_key(value);
        if names.iter().any(|n| lower.contains(n.as_str())) {
            return Err(AppError::invalid(field, "names_a_party"));
        }
    }
    let year = signed_on.map_or_else(|| crate::jurisdiction::today().year(), |d| d.year());
    let months_to_award = signed_on.map(|d| {
        let filed = case.filed_at.date_naive();
        ((d.year() - filed.year()) * 12 + d.month() as i32 - filed.month() as i32).max(0) as u16
    });
    let (seat_en, seat_zh) = place(&case.seat);
    let arbitrators_en = if case.arbitrators == 1 {
        "a sole arbitrator"
    } else {
        "three arbitrators"
    };
    let arbitrators_zh = if case.arbitrators == 1 {
        "独任仲裁员"
    } else {
        "三人仲裁庭"
    };
    let mut texts = texts.into_iter().map(|(_, t)| t);
    let mut next = || texts.next().unwrap_or_default();
    let (summary_zh, summary_en, outcome_zh, outcome_en, lessons_zh, lessons_en) =
        (next(), next(), next(), next(), next(), next());
    let record = CaseRecord {
        slug: case.reference.to_lowercase(),
        demo,
        year: year as u16,
        title_zh,
        title_en,
        summary_zh,
        summary_en,
        sector: input.sector.trim().to_owned(),
        countries,
        contract_type: input.contract_type.trim().to_owned(),
        forum: "arbitration".into(),
        institution: case.institution.name_en.clone(),
        seat: case.seat.clone(),
        clause_zh: format!(
            "依据{}仲裁规则（{}），仲裁地为{seat_zh}，{arbitrators_zh}。",
            case.institution.name_zh, case.rules
        ),
        clause_en: format!(
            "Arbitration at {} under {}, seated in {seat_en}, before {arbitrators_en}.",
            case.institution.name_en, case.rules
        ),
        amount_band: band(&case.amount, &case.currency).into(),
        months_to_award,
        outcome: input.outcome.trim().to_owned(),
        outcome_zh,
        outcome_en,
        lessons_zh,
        lessons_en,
        parties: vec![
            party("claimant", &case.claimant.nationality),
            party("respondent", &case.respondent.nationality),
        ],
        enforcement: case
            .enforcements
            .iter()
            .map(|e| Enforcement {
                country: e.country.clone(),
                result: enforcement_result(&e.decision).into(),
                court_zh: e.court.clone(),
                court_en: e.court.clone(),
                year: e
                    .decided_on
                    .as_deref()
                    .and_then(|d| d.get(..4))
                    .and_then(|y| y.parse().ok()),
                note_zh: String::new(),
                note_en: String::new(),
            })
            .collect(),
        sources: vec![CaseSource {
            title: format!(
                "{} case file {} (published by the institution)",
                case.institution.name_en, case.reference
            ),
            url: source_url.to_owned(),
        }],
    };
    record.validate()?;
    Ok(record)
}

/// Publishes the case (its secretariat, if they may edit the knowledge base) once its award is
/// in the case file: 409 `case_not_closed` before, `slug_taken` when published already.
pub async fn publish(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    input: &PublishInput,
) -> Result<CaseRecord> {
    let (m, _) = loaded(state, actor, id).await?;
    if !m.standing.staff {
        return Err(AppError::Forbidden);
    }
    crate::knowledge::policy::require_editor(actor)?;
    let case = super::actions::view(state, actor, id).await?;
    if !case.award_filed && m.row.status != "closed" {
        return Err(AppError::Conflict("case_not_closed"));
    }
    let signed_on = case
        .award
        .as_ref()
        .and_then(|a| a.signatures.iter().map(|s| s.at.date_naive()).max());
    let key = crate::ids::OrganizationKey::parse(&case.institution.id).ok_or(AppError::NotFound)?;
    let demo = state
        .store
        .find_organization(&key)
        .await?
        .is_some_and(|o| o.is_demo);
    let url = format!(
        "{}/arbitration/cases/{}",
        state.settings.public_url().trim_end_matches('/'),
        case.id
    );
    let record = record(&case, input, demo, signed_on, &url)?;
    state.store.create_case(&Who::from(actor), &record).await?;
    Ok(record)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_us_dollars_are_banded() {
        assert_eq!(band("999999.99", "USD"), "under_1m_usd");
        assert_eq!(band("1000000", "USD"), "1m_10m_usd");
        assert_eq!(band("99999999", "usd"), "10m_100m_usd");
        assert_eq!(band("100000000", "USD"), "over_100m_usd");
        assert_eq!(band("1000000", "CNY"), "undisclosed");
        assert_eq!(band("-5", "USD"), "undisclosed");
    }

    #[test]
    fn decisions_become_the_knowledge_bases_results() {
        assert_eq!(enforcement_result("recognised"), "enforced");
        assert_eq!(
            enforcement_result("partly_recognised"),
            "partially_enforced"
        );
        assert_eq!(enforcement_result("refused"), "refused");
        assert_eq!(enforcement_result("withdrawn"), "not_sought");
        assert_eq!(enforcement_result("pending"), "pending");
    }

    #[test]
    fn a_party_is_described_by_its_country_only() {
        let p = party("respondent", "VN");
        assert_eq!(p.country.as_deref(), Some("VN"));
        assert!(p.description_en.starts_with("A party from "));
        assert!(p.description_zh.contains("当事人"));
    }
}
