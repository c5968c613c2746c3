//! A certificate as anyone may check it (`/verify/certificates/{id}`, the QR code's address):
//! the register entry without the applicant's personal data (number, office, matter type,
//! date, route abroad), the PDF's SHA-256, and its ledger record and receipt, which
//! `corridor verify receipt --file certificate.pdf` checks offline.

use serde::Serialize;
use utoipa::ToSchema;

use super::Rules;
use super::certify::RouteAbroad;
use crate::ids::{DocumentId, MatterId, OrganizationKey};
use crate::state::AppState;
use crate::{AppError, Result};

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PublicCertificate {
    pub id: String,
    /// `(2026)渝明证字第123号`.
    pub number: String,
    pub office_slug: String,
    pub office_name_en: String,
    pub office_name_zh: String,
    pub matter_type: String,
    pub matter_type_en: String,
    pub matter_type_zh: String,
    /// `YYYY-MM-DD`.
    pub issued_on: String,
    /// Where it is to be used if not in the Mainland, and the route there.
    pub use_abroad: Option<String>,
    pub route: Option<RouteAbroad>,
    /// The certificate PDF's SHA-256 (hex) and size; `null` until it is rendered.
    pub sha256: Option<String>,
    pub size: Option<i64>,
    pub ledger_index: Option<i64>,
    /// The exact leaf text the receipt proves (save it as a file for `--record`).
    pub record: Option<String>,
    /// C2SP tlog-proof (for `--proof`), once a signed checkpoint covers the entry.
    pub receipt: Option<String>,
    /// The log's key that signed the receipt's checkpoint (for `--vkey`).
    pub vkey: Option<String>,
}

pub async fn public_certificate(state: &AppState, id: &str) -> Result<PublicCertificate> {
    if id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(AppError::NotFound);
    }
    let entry = state
        .store
        .register_entry(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let office = match OrganizationKey::parse(&entry.office_id) {
        Some(key) => state.store.find_organization(&key).await?,
        None => None,
    }
    .ok_or(AppError::NotFound)?;
    let kind = Rules::get().matter(&entry.matter_type);
    let doc = match &entry.document_id {
        Some(doc) => match DocumentId::parse(doc) {
            Ok(doc) => {
                state
                    .store
                    .document(&MatterId::from_stored(entry.matter_id.clone()), &doc)
                    .await?
            }
            Err(_) => None,
        },
        None => None,
    };
    let mut index = doc.as_ref().and_then(|d| d.ledger_index);
    if let (Some(ledger), None, Some(entry_id)) = (
        &state.ledger,
        index,
        doc.as_ref().and_then(|d| d.ledger_entry_id.clone()),
    ) {
        index = ledger
            .wait_appended(&entry_id, std::time::Duration::from_millis(200))
            .await
            .ok()
            .flatten()
            .map(|i| i as i64);
    }
    let (receipt, vkey) = match (&state.ledger, index) {
        // Just issued, the entry waits (bounded) for the next signed checkpoint.
        (Some(ledger), Some(i)) => match ledger
            .receipt_when_covered(i as u64, ledger.receipt_wait())
            .await
        {
            Ok(proof) => (
                Some(proof.encode()),
                Some(ledger.signing_vkey(&proof.checkpoint).await),
            ),
            Err(_) => (None, Some(ledger.vkey())),
        },
        _ => (None, None),
    };
    Ok(PublicCertificate {
        id: entry.id,
        number: entry.number,
        office_slug: office.slug,
        office_name_en: office.name_en,
        office_name_zh: office.name_zh,
        matter_type_en: kind.map(|k| k.en.clone()).unwrap_or_default(),
        matter_type_zh: kind.map(|k| k.zh.clone()).unwrap_or_default(),
        matter_type: entry.matter_type,
        issued_on: super::register::register_day(entry.issued_at).to_string(),
        use_abroad: entry.use_abroad,
        route: entry
            .route
            .as_deref()
            .and_then(|r| serde_json::from_str(r).ok()),
        sha256: doc.as_ref().map(|d| d.sha256.clone()),
        size: doc.as_ref().map(|d| d.size),
        ledger_index: index,
        record: doc.and_then(|d| d.ledger_record),
        receipt,
        vkey,
    })
}
