//! Issuing a certificate after the session: the register entry (numbered per office, series and
//! year), the PDF with its QR code to the public verification page, filed in the matter as a
//! document of role `certificate` (stored by hash, anchored in the ledger), and the
//! application marked certified. Each part is done once: a call after a failure half way goes
//! on from where it stopped.

use chrono::Datelike;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Rules;
use super::actions::{ApplicationView, loaded, office_side, view};
use super::application::{Status, Step};
use super::certificate::CertificateNumber;
use super::store::{ApplicationRow, Move, NewEntry, RegisterRow};
use super::workflow::take_step;
use crate::auth::Actor;
use crate::auth::audit::Who;
use crate::ids::MatterId;
use crate::jurisdiction::{DocumentQuery, document_route};
use crate::matters::actions::{DocumentMeta, file_generated};
use crate::pdf::certificate::{CertificateDocument, RouteStep, certificate, qr_rows};
use crate::state::AppState;
use crate::{AppError, Result};

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CertifyInput {
    /// The certificate's text (证词) in Chinese.
    pub text_zh: String,
    /// Its English translation.
    pub text_en: String,
    /// Where it will be used if not in the Mainland (ISO 3166-1 alpha-2, `HK`, `MO`): the
    /// document route from the jurisdiction engine is attached.
    #[serde(default)]
    pub use_abroad: Option<String>,
    pub version: i64,
}

/// The stored route abroad, as the PDF and the pages show it.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct RouteAbroad {
    /// `apostille`, `consular_legalization`, `china_appointed_attesting_officer`, …
    pub route: String,
    pub en: String,
    pub zh: String,
    pub steps: Vec<(String, String)>,
}

fn route_words(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "apostille" => ("apostille", "附加证明书（海牙认证）"),
        "consular_legalization" => ("consular legalization", "领事认证"),
        "china_appointed_attesting_officer" => (
            "China-Appointed Attesting Officer route",
            "中国委托公证人转递",
        ),
        "macao_attestation" => (
            "Macao attestation (unverified)",
            "澳门公证文书转递（未核实）",
        ),
        "domestic" => ("none needed", "无需"),
        _ => ("not determined", "未确定"),
    }
}

fn route_abroad(country: &str, on: chrono::NaiveDate) -> Result<RouteAbroad> {
    let r = document_route(DocumentQuery {
        issuing_state: "CN".into(),
        destination_state: country.into(),
        date: on,
    })
    .map_err(|_| AppError::invalid("use_abroad", "country_code"))?;
    let kind = serde_json::to_value(r.route)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let (en, zh) = route_words(&kind);
    Ok(RouteAbroad {
        route: kind,
        en: en.into(),
        zh: zh.into(),
        steps: r
            .steps
            .iter()
            .map(|s| (s.statement.en.clone(), s.statement.zh.clone()))
            .collect(),
    })
}

/// Issues the certificate of an application whose session was held: 409 `application_state`
/// before, 409 `office_not_configured` while the office has no abbreviation for its numbers.
pub async fn certify(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    input: &CertifyInput,
) -> Result<ApplicationView> {
    let (m, row) = loaded(state, actor, id).await?;
    office_side(actor, &m)?;
    let mut entry = state.store.register_entry_for(&row.matter_id).await?;
    if entry.is_none() {
        if row.status() != Status::SessionHeld {
            return Err(AppError::Conflict("application_state"));
        }
        if input.version != row.version {
            return Err(AppError::Conflict("application_changed"));
        }
        entry = Some(enter(state, actor, &row, input).await?);
    }
    let Some(mut entry) = entry else {
        return Err(AppError::NotFound);
    };
    if entry.document_id.is_none() {
        let doc = render_and_file(state, actor, id, &row, &entry).await?;
        state
            .store
            .set_certificate_document(&entry.id, &doc)
            .await?;
        entry.document_id = Some(doc);
    }
    // Filing the PDF moved the matter, not the application: its version is the one read.
    let row = state
        .store
        .notary_application(&row.matter_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.status() == Status::SessionHeld {
        let version = row.version;
        take_step(
            state,
            actor,
            &m,
            &row,
            Step::Certify,
            version,
            Move {
                to: Status::Certified,
                event: "certificate_issued",
                ground: None,
                note: &row.note,
                notary_id: None,
                meeting_id: None,
            },
        )
        .await?;
    }
    // The act's day starts the file's retention (once: a retry keeps the first day).
    super::keep::start(
        &state.store,
        &Who::from(actor),
        &m,
        &row.matter_type,
        super::register::register_day(entry.issued_at),
    )
    .await?;
    view(state, actor, id).await
}

async fn enter(
    state: &AppState,
    actor: &Actor,
    row: &ApplicationRow,
    input: &CertifyInput,
) -> Result<RegisterRow> {
    let office = state
        .store
        .notary_office(&row.office_id)
        .await?
        .filter(|o| !o.abbreviation.is_empty())
        .ok_or(AppError::Conflict("office_not_configured"))?;
    let text_zh = crate::directory::validate::text("text_zh", &input.text_zh, true, 5_000)?;
    let text_en = crate::directory::validate::text("text_en", &input.text_en, true, 5_000)?;
    super::register::check_text(&text_zh, &text_en).map_err(|(f, r)| AppError::invalid(f, r))?;
    let today = super::register::register_day(chrono::Utc::now());
    let abroad = match input
        .use_abroad
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        Some(c) => {
            let c = crate::directory::validate::country("use_abroad", c)?;
            (c != "CN").then_some(c)
        }
        None => None,
    };
    let route = match &abroad {
        Some(c) => Some(
            serde_json::to_string(&route_abroad(c, today)?)
                .map_err(|e| AppError::Internal(e.into()))?,
        ),
        None => None,
    };
    let year = today.year();
    let who = Who::from(actor);
    // Two offices' notaries certifying at once on PostgreSQL may take the same serial; the
    // register's unique number refuses the second, which takes the next one.
    for _ in 0..5 {
        let entered = state
            .store
            .enter_certificate(
                &who,
                &NewEntry {
                    office_id: &row.office_id,
                    year,
                    series: &office.series,
                    matter_id: &row.matter_id,
                    matter_type: &row.matter_type,
                    text_zh: &text_zh,
                    text_en: &text_en,
                    use_abroad: abroad.as_deref(),
                    route: route.as_deref(),
                },
                |serial| {
                    CertificateNumber::new(
                        year as u16,
                        &office.abbreviation,
                        &office.series,
                        serial as u32,
                    )
                    .map(|n| n.to_string())
                    .unwrap_or_default()
                },
            )
            .await;
        match entered {
            Ok(Some(e)) => return Ok(e),
            Ok(None) => {
                // Entered meanwhile by another request for the same matter.
                return state
                    .store
                    .register_entry_for(&row.matter_id)
                    .await?
                    .ok_or(AppError::Conflict("already_exists"));
            }
            Err(AppError::Conflict("already_exists")) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(AppError::Conflict("already_exists"))
}

async fn render_and_file(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    row: &ApplicationRow,
    entry: &RegisterRow,
) -> Result<String> {
    let renderer = state.pdf.as_ref().ok_or(AppError::Unavailable("pdf"))?;
    // Checked before any work: without a store nothing could be filed.
    state
        .files
        .as_ref()
        .ok_or(AppError::Unavailable("documents"))?;
    let kind = Rules::get().matter(&row.matter_type);
    let route: Option<RouteAbroad> = entry
        .route
        .as_deref()
        .and_then(|r| serde_json::from_str(r).ok());
    let verify_url = format!(
        "{}/verify/certificates/{}",
        state.settings.public_url(),
        entry.id
    );
    let document = CertificateDocument {
        number: entry.number.clone(),
        office_zh: row.office_name_zh.clone(),
        office_en: row.office_name_en.clone(),
        matter_zh: kind.map(|k| k.zh.clone()).unwrap_or_default(),
        matter_en: kind.map(|k| k.en.clone()).unwrap_or_default(),
        text_zh: entry.text_zh.clone(),
        text_en: entry.text_en.clone(),
        notary: actor.name.clone(),
        issued: super::register::register_day(entry.issued_at).to_string(),
        qr: qr_rows(&verify_url),
        verify_url,
        use_abroad: entry.use_abroad.clone().unwrap_or_default(),
        route_en: route.as_ref().map(|r| r.en.clone()).unwrap_or_default(),
        route_zh: route.as_ref().map(|r| r.zh.clone()).unwrap_or_default(),
        route_steps: route
            .map(|r| {
                r.steps
                    .into_iter()
                    .map(|(en, zh)| RouteStep { en, zh })
                    .collect()
            })
            .unwrap_or_default(),
    };
    let renderer = renderer.clone();
    let pdf = tokio::task::spawn_blocking(move || certificate(&renderer, &document))
        .await
        .map_err(|e| AppError::Internal(e.into()))??;
    let meta = DocumentMeta {
        role: "certificate".into(),
        name: format!("{} certificate.pdf", row.reference),
        content_type: "application/pdf".into(),
        visible_to: String::new(),
        replaces: None,
    };
    let doc = file_generated(state, actor, id, &meta, pdf).await?;
    Ok(doc.id)
}
