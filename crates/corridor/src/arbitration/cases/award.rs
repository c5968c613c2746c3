//! A case's award: the presiding (or sole) arbitrator drafts it; the institution scrutinises it
//! (approves, or returns it with a note); every member of the tribunal signs; the last
//! signature renders it to PDF and files it in the case as a document of role `award`, which
//! anchors it in the ledger and notifies the participants — its receipt verifies it anywhere.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::actions::{self, CaseView, loaded};
use super::store::CaseRow;
use crate::auth::Actor;
use crate::auth::audit::{AuditEvent, Who, audit};
use crate::db::{Store, dispatch, transaction};
use crate::directory::validate::text;
use crate::ids::{MatterId, now};
use crate::matters::actions::Loaded;
use crate::state::AppState;
use crate::{AppError, Result};

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct AwardRow {
    pub status: String,
    pub reasons: String,
    pub operative: String,
    pub scrutiny_note: Option<String>,
    pub signatures: String,
    pub document_id: Option<String>,
    pub version: i64,
}

/// A signature on the award.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Signature {
    /// Who signed in Corridor (for a counterpart signed on paper: who recorded it).
    pub user_id: String,
    /// The arbitrator whose signature it is.
    pub name: String,
    pub at: DateTime<Utc>,
    /// The seat (nomination) signed for.
    #[serde(default)]
    pub nomination: Option<String>,
    /// For an arbitrator without an account: the secretary who recorded the signed counterpart.
    #[serde(default)]
    pub recorded_by: Option<String>,
}

/// A seat of the tribunal that must sign: a confirmed (or challenged, not removed) nomination,
/// with the account that holds it, if the arbitrator has one.
#[derive(Clone, Debug)]
pub struct Seat {
    pub nomination: String,
    pub user_id: Option<String>,
    pub name: String,
    pub seat_role: String,
}

/// Whether every seat has its signature — the arbitrator's own, or a counterpart recorded for
/// an arbitrator without an account — and every arbitrator sitting in the case has signed.
pub fn all_signed(seats: &[Seat], sitting: &[&str], signatures: &[Signature]) -> bool {
    let seat_signed = |seat: &Seat| {
        signatures.iter().any(|s| {
            s.nomination.as_deref() == Some(seat.nomination.as_str())
                || (s.recorded_by.is_none() && seat.user_id.as_deref() == Some(s.user_id.as_str()))
        })
    };
    let sitter_signed = |user: &&str| {
        signatures
            .iter()
            .any(|s| s.recorded_by.is_none() && s.user_id == *user)
    };
    seats.iter().all(seat_signed) && sitting.iter().all(sitter_signed)
}

/// The award as the case shows it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Award {
    /// `draft`, `scrutiny`, `approved`, `signing` (every signature is in; being filed) or
    /// `signed`.
    pub status: String,
    pub reasons: String,
    pub operative: String,
    pub scrutiny_note: Option<String>,
    pub signatures: Vec<Signature>,
    /// The filed award (a document of the case, anchored in the ledger) once signed.
    pub document_id: Option<String>,
    pub version: i64,
}

/// The draft's text, with the version read (0 for a new draft).
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AwardDraft {
    pub reasons: String,
    pub operative: String,
    pub version: i64,
}

/// A step: `submit` (the drafter), `approve` or `return` with a note (the institution), `sign`
/// (each member of the tribunal), `sign_for` (the institution records the signed counterpart of
/// an arbitrator without an account: `nomination`), with the version read.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AwardStep {
    pub action: String,
    pub version: i64,
    #[serde(default)]
    pub note: Option<String>,
    /// For `sign_for`: the seat (nomination id).
    #[serde(default)]
    pub nomination: Option<String>,
}

pub fn view(row: AwardRow) -> Result<Award> {
    Ok(Award {
        signatures: serde_json::from_str(&row.signatures).map_err(anyhow::Error::from)?,
        status: row.status,
        reasons: row.reasons,
        operative: row.operative,
        scrutiny_note: row.scrutiny_note,
        document_id: row.document_id,
        version: row.version,
    })
}

impl Store {
    pub async fn case_award(&self, matter_id: &str) -> Result<Option<AwardRow>> {
        let sql = "SELECT status, reasons, operative, scrutiny_note, signatures, document_id, version \
                   FROM case_awards WHERE matter_id = $1";
        Ok(dispatch!(self, |pool| sqlx::query_as::<_, AwardRow>(sql)
            .bind(matter_id)
            .fetch_optional(pool)
            .await?))
    }

    /// Writes the award if its version is still `version` (0: there is none yet).
    pub async fn put_award(
        &self,
        who: &Who,
        case: &CaseRow,
        version: i64,
        row: &AwardRow,
    ) -> Result<bool> {
        let by = who.user_id.clone().unwrap_or_default();
        let at = now();
        let done = transaction!(self, |tx| {
            let done = if version == 0 {
                sqlx::query(
                    "INSERT INTO case_awards (matter_id, status, reasons, operative, scrutiny_note, \
                     signatures, document_id, version, updated_by, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9) ON CONFLICT (matter_id) DO NOTHING",
                )
                .bind(&case.matter_id)
                .bind(&row.status)
                .bind(&row.reasons)
                .bind(&row.operative)
                .bind(&row.scrutiny_note)
                .bind(&row.signatures)
                .bind(&row.document_id)
                .bind(&by)
                .bind(at)
                .execute(&mut *tx)
                .await?
                .rows_affected()
            } else {
                sqlx::query(
                    "UPDATE case_awards SET status = $1, reasons = $2, operative = $3, \
                     scrutiny_note = $4, signatures = $5, document_id = $6, version = version + 1, \
                     updated_by = $7, updated_at = $8 WHERE matter_id = $9 AND version = $10",
                )
                .bind(&row.status)
                .bind(&row.reasons)
                .bind(&row.operative)
                .bind(&row.scrutiny_note)
                .bind(&row.signatures)
                .bind(&row.document_id)
                .bind(&by)
                .bind(at)
                .bind(&case.matter_id)
                .bind(version)
                .execute(&mut *tx)
                .await?
                .rows_affected()
            } == 1;
            if done {
                audit!(
                    tx,
                    AuditEvent::by(who, "case.award", "matter", &case.matter_id)
                        .in_org(Some(&case.institution_id))
                        .detail(row.status.clone())
                );
            }
            done
        });
        Ok(done)
    }
}

/// Who drafts the award: the presiding arbitrator, or the sole one.
pub fn is_drafter(role: Option<&str>, arbitrators: i64) -> bool {
    role == Some("presiding_arbitrator") || (arbitrators == 1 && role == Some("arbitrator"))
}

fn presiding(m: &Loaded, case: &CaseRow) -> bool {
    is_drafter(m.standing.role.as_deref(), case.arbitrators)
}

/// Drafts (or redrafts, after a return) the award: the presiding or sole arbitrator.
pub async fn draft(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    input: &AwardDraft,
) -> Result<CaseView> {
    let (m, case) = loaded(state, actor, id).await?;
    if !presiding(&m, &case) {
        return Err(AppError::Forbidden);
    }
    if let Some(existing) = state.store.case_award(&case.matter_id).await?
        && existing.status != "draft"
    {
        return Err(AppError::Conflict("award_not_draft"));
    }
    let row = AwardRow {
        status: "draft".into(),
        reasons: text("reasons", &input.reasons, true, 100_000)?,
        operative: text("operative", &input.operative, true, 100_000)?,
        scrutiny_note: None,
        signatures: "[]".into(),
        document_id: None,
        version: input.version,
    };
    if !state
        .store
        .put_award(&Who::from(actor), &case, input.version, &row)
        .await?
    {
        return Err(AppError::Conflict("award_changed"));
    }
    actions::view(state, actor, id).await
}

/// Submits, scrutinises or signs the award.
pub async fn step(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    input: &AwardStep,
) -> Result<CaseView> {
    let (m, case) = loaded(state, actor, id).await?;
    let mut row = state
        .store
        .case_award(&case.matter_id)
        .await?
        .ok_or(AppError::Conflict("no_award_draft"))?;
    let tribunal_member = matches!(
        m.standing.role.as_deref(),
        Some("arbitrator" | "presiding_arbitrator")
    );
    if input.action == "sign" {
        if !tribunal_member {
            return Err(AppError::Forbidden);
        }
        return sign(state, actor, id, &case, row, input).await;
    }
    if input.action == "sign_for" {
        if !m.standing.staff {
            return Err(AppError::Forbidden);
        }
        return sign(state, actor, id, &case, row, input).await;
    }
    let (from, to) = match input.action.as_str() {
        "submit" if presiding(&m, &case) => ("draft", "scrutiny"),
        "approve" if m.standing.staff => ("scrutiny", "approved"),
        "return" if m.standing.staff => ("scrutiny", "draft"),
        "submit" | "approve" | "return" => return Err(AppError::Forbidden),
        other => {
            return Err(AppError::InvalidValues {
                field: "action".into(),
                reason: "unknown_value",
                values: vec![other.to_owned()],
            });
        }
    };
    if row.status != from {
        return Err(AppError::Conflict("award_changed"));
    }
    row.status = to.to_owned();
    if input.action == "return" {
        row.scrutiny_note = input.note.as_deref().map(str::trim).map(str::to_owned);
    }
    if !state
        .store
        .put_award(&Who::from(actor), &case, input.version, &row)
        .await?
    {
        return Err(AppError::Conflict("award_changed"));
    }
    actions::view(state, actor, id).await
}

/// The seats that must sign: the case's confirmed (or challenged) nominations.
async fn seats(state: &AppState, case: &CaseRow) -> Result<Vec<Seat>> {
    let mut out = Vec::new();
    for n in state.store.nominations(&case.matter_id).await? {
        if !matches!(n.status.as_str(), "confirmed" | "challenged") {
            continue;
        }
        let user_id = super::tribunal::account_of(state, n.email.as_deref()).await?;
        out.push(Seat {
            nomination: n.id,
            user_id,
            name: n.person_name_en,
            seat_role: n.seat_role,
        });
    }
    Ok(out)
}

/// A member of the tribunal signs (`sign`), or the institution records the signed counterpart
/// of an arbitrator without an account (`sign_for`). The last signature first moves the award
/// to `signing` (version-checked, so two last signatures cannot both file it), then renders and
/// files it, then marks it `signed`. If filing fails (no font, the store down), the award waits
/// in `signing` with every signature, and signing again files it.
async fn sign(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    case: &CaseRow,
    mut row: AwardRow,
    input: &AwardStep,
) -> Result<CaseView> {
    let version = input.version;
    let who = Who::from(actor);
    let mut signatures: Vec<Signature> =
        serde_json::from_str(&row.signatures).map_err(anyhow::Error::from)?;
    let seats = seats(state, case).await?;
    let members = state.store.members(id).await?;
    let tribunal: Vec<_> = members
        .iter()
        .filter(|p| matches!(p.role.as_str(), "arbitrator" | "presiding_arbitrator"))
        .collect();
    let sitting: Vec<&str> = tribunal.iter().map(|p| p.user_id.as_str()).collect();
    match row.status.as_str() {
        "approved" if input.action == "sign_for" => {
            let seat = input
                .nomination
                .as_deref()
                .and_then(|n| seats.iter().find(|s| s.nomination == n))
                // Without an account, or with one that does not sit in the case (made after
                // the seat, or already there in another role): it cannot sign itself.
                .filter(|s| s.user_id.as_deref().is_none_or(|u| !sitting.contains(&u)))
                .ok_or_else(|| AppError::invalid("nomination", "unknown_value"))?;
            if signatures
                .iter()
                .any(|s| s.nomination.as_deref() == Some(seat.nomination.as_str()))
            {
                return Err(AppError::Conflict("award_signed_already"));
            }
            signatures.push(Signature {
                user_id: actor.user_id.clone(),
                name: seat.name.clone(),
                at: now(),
                nomination: Some(seat.nomination.clone()),
                recorded_by: Some(actor.name.clone()),
            });
        }
        "approved" => {
            if signatures
                .iter()
                .any(|s| s.recorded_by.is_none() && s.user_id == actor.user_id)
            {
                return Err(AppError::Conflict("award_signed_already"));
            }
            signatures.push(Signature {
                user_id: actor.user_id.clone(),
                name: actor.name.clone(),
                at: now(),
                nomination: seats
                    .iter()
                    .find(|s| s.user_id.as_deref() == Some(actor.user_id.as_str()))
                    .map(|s| s.nomination.clone()),
                recorded_by: None,
            });
        }
        "signing" => {}
        _ => return Err(AppError::Conflict("award_changed")),
    }
    let all_signed = all_signed(&seats, &sitting, &signatures);
    row.signatures = serde_json::to_string(&signatures).map_err(anyhow::Error::from)?;
    if all_signed {
        row.status = "signing".into();
    }
    if !state.store.put_award(&who, case, version, &row).await? {
        return Err(AppError::Conflict("award_changed"));
    }
    if all_signed {
        // The award names the seats; an arbitrator added to the case by hand is named too.
        let mut names: Vec<String> = seats
            .iter()
            .map(|s| format!("{} ({})", s.name, s.seat_role))
            .collect();
        for p in &tribunal {
            if !seats
                .iter()
                .any(|s| s.user_id.as_deref() == Some(p.user_id.as_str()))
            {
                names.push(format!("{} ({})", p.name, p.role));
            }
        }
        let doc = super::award_file::file(state, actor, id, case, &row, &signatures, names).await?;
        row.status = "signed".into();
        row.document_id = Some(doc);
        if !state.store.put_award(&who, case, version + 1, &row).await? {
            return Err(AppError::Conflict("award_changed"));
        }
    }
    actions::view(state, actor, id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seat(n: &str, user: Option<&str>) -> Seat {
        Seat {
            nomination: n.into(),
            user_id: user.map(str::to_owned),
            name: n.into(),
            seat_role: "co_arbitrator".into(),
        }
    }

    fn signed(user: &str, nomination: Option<&str>, recorded: bool) -> Signature {
        Signature {
            user_id: user.into(),
            name: String::new(),
            at: Utc::now(),
            nomination: nomination.map(str::to_owned),
            recorded_by: recorded.then(|| "secretary".to_owned()),
        }
    }

    #[test]
    fn every_seat_signs_an_arbitrator_without_an_account_by_counterpart() {
        let seats = [seat("n1", Some("u1")), seat("n2", None)];
        let one = [signed("u1", Some("n1"), false)];
        assert!(
            !all_signed(&seats, &["u1"], &one),
            "the second seat is missing"
        );
        let both = [
            signed("u1", Some("n1"), false),
            signed("sec", Some("n2"), true),
        ];
        assert!(all_signed(&seats, &["u1"], &both));
        // A secretary's recording never stands for a sitting arbitrator's own signature.
        let recorded_only = [signed("u1", Some("n2"), true)];
        assert!(!all_signed(&[seat("n2", None)], &["u1"], &recorded_only));
        // Signatures from before seats were recorded count by account.
        let legacy = [signed("u1", None, false)];
        assert!(all_signed(&[seat("n1", Some("u1"))], &["u1"], &legacy));
    }
}
