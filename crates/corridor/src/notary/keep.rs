//! Keeping notarial files, and destroying them at the end: a file's retention starts on the
//! act's day (the certificate issued; the evidence file closed), the office confirms its class
//! with the rule it relied on or puts it on hold, and the purge destroys the content of every
//! file past a confirmed retention by shredding its matter's key (and removing the sealed
//! objects). The matter, its timeline and the ledger's hashes stay: receipts still verify.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::retention::{Decision, Retention, RetentionClass, retention_for, retention_in};
use super::store_retention::{RetentionChange, RetentionRow};
use crate::auth::Actor;
use crate::auth::audit::Who;
use crate::db::Store;
use crate::ids::MatterId;
use crate::matters::actions::{Loaded, load};
use crate::matters::files::Files;
use crate::matters::kind::MatterKind;
use crate::matters::store_keys::KeyState;
use crate::state::AppState;
use crate::{AppError, Result};

/// The act an evidence file's retention is counted for (保全证据).
pub const EVIDENCE_ACT: &str = "evidence_preservation";

/// A file's retention as its participants see it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct RetentionView {
    /// The act type the class is looked up for (a `matter_types` id, or
    /// `evidence_preservation`).
    pub act: String,
    /// The class in force: the office's confirmed class, or the shipped one.
    pub class: RetentionClass,
    pub class_zh: String,
    /// Years kept from the act's day; `null` when permanent.
    pub years: Option<u32>,
    /// A secret file (密卷): sealed until the testator dies, never purged.
    pub secret: bool,
    /// The shipped class and years are confirmed by a source (today: none are).
    pub verified: bool,
    pub source: String,
    /// The act's day; `null` until the certificate is issued or the evidence file closed.
    #[schema(format = Date)]
    pub starts_on: Option<NaiveDate>,
    /// The last day the content is kept; `null` while permanent or not started.
    #[schema(format = Date)]
    pub kept_until: Option<NaiveDate>,
    /// The class the office confirmed, with the rule it relied on.
    pub confirmed_class: Option<RetentionClass>,
    pub confirmed_basis: String,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub hold: bool,
    pub hold_reason: String,
    /// What a purge would do today; `null` until started.
    pub decision: Option<Decision>,
    /// `sealed` (encrypted with the matter's key), `none` (nothing filed yet) or `shredded`.
    pub content: String,
    pub shredded_at: Option<DateTime<Utc>>,
    /// For the next change: a change made on an older version is a 409.
    pub version: i64,
}

/// The office's confirmation and hold.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetentionInput {
    /// The class the office places the act in; `null` withdraws a confirmation.
    #[serde(default)]
    pub confirmed_class: Option<RetentionClass>,
    /// The rule relied on (e.g. the office's archive rules, an article of the 公证档案管理办法);
    /// required with a class.
    #[serde(default)]
    pub confirmed_basis: String,
    #[serde(default)]
    pub hold: bool,
    /// Why the file is held (litigation, enforcement abroad); required with a hold.
    #[serde(default)]
    pub hold_reason: String,
    pub version: i64,
}

/// A notarial file the actor may see, and the act its retention is counted for.
async fn notarial(state: &AppState, actor: &Actor, id: &MatterId) -> Result<(Loaded, String)> {
    let m = load(state, actor, id).await?;
    let act = match m.row.kind() {
        MatterKind::Notarization => {
            state
                .store
                .notary_application(&m.row.id)
                .await?
                .ok_or(AppError::NotFound)?
                .matter_type
        }
        MatterKind::Evidence => EVIDENCE_ACT.to_string(),
        _ => return Err(AppError::NotFound),
    };
    Ok((m, act))
}

/// The retention in force for a row: the office's class where it confirmed one.
pub fn in_force(act: &str, row: Option<&RetentionRow>) -> (Retention, bool) {
    let confirmed = row
        .filter(|r| !r.confirmed_class.is_empty())
        .and_then(|r| RetentionClass::parse(&r.confirmed_class));
    match confirmed {
        Some(class) => (retention_in(act, class), true),
        None => (retention_for(act), false),
    }
}

/// Today in China (the register's calendar).
pub fn today() -> NaiveDate {
    super::register::register_day(Utc::now())
}

pub async fn view(state: &AppState, actor: &Actor, id: &MatterId) -> Result<RetentionView> {
    let (m, act) = notarial(state, actor, id).await?;
    view_of(state, actor, &m, &act).await
}

/// The view of a file already loaded (and its act looked up).
async fn view_of(state: &AppState, actor: &Actor, m: &Loaded, act: &str) -> Result<RetentionView> {
    let row = state.store.retention(&m.row.id).await?;
    let key = state.store.matter_key(&m.row.id).await?;
    let mut v = render(act, row.as_ref(), &key, today());
    // Why a file is held (litigation, an authority's request) and the office's archive rule
    // are the office's: applicants, clients and partners see that it is held, not why.
    if super::actions::office_side(actor, m).is_err() {
        v.confirmed_basis.clear();
        v.hold_reason.clear();
    }
    Ok(v)
}

fn render(
    act: &str,
    row: Option<&RetentionRow>,
    key: &KeyState,
    today: NaiveDate,
) -> RetentionView {
    let (r, confirmed) = in_force(act, row);
    let (content, shredded_at) = match key {
        KeyState::Absent => ("none", None),
        KeyState::Active(_) => ("sealed", None),
        KeyState::Shredded(at) => ("shredded", Some(*at)),
    };
    RetentionView {
        act: act.to_string(),
        class: r.class,
        class_zh: r.class_zh.to_string(),
        years: r.years,
        secret: r.secret,
        verified: r.verified,
        source: r.source.to_string(),
        starts_on: row.map(|x| x.starts_on),
        kept_until: row
            .filter(|_| !r.secret)
            .and_then(|x| r.kept_until(x.starts_on)),
        confirmed_class: confirmed.then_some(r.class),
        confirmed_basis: row.map(|x| x.confirmed_basis.clone()).unwrap_or_default(),
        confirmed_at: row.and_then(|x| x.confirmed_at),
        hold: row.is_some_and(|x| x.hold),
        hold_reason: row.map(|x| x.hold_reason.clone()).unwrap_or_default(),
        decision: row.map(|x| super::retention::decide(&r, x.starts_on, confirmed, x.hold, today)),
        content: content.to_string(),
        shredded_at,
        version: row.map_or(0, |x| x.version),
    }
}

/// The retention section of an application's or an evidence file's page.
#[derive(Clone, Debug)]
pub struct RetentionPanel {
    pub matter_id: String,
    pub v: RetentionView,
    /// The reader may confirm the class and hold the file (the office's notaries).
    pub keeper: bool,
    /// The reader may close this evidence file (it is open, and they keep it).
    pub may_close: bool,
    /// `short`, `long` or `permanent`: the class in force, for the form's choice.
    pub class_code: &'static str,
    /// The form's choice of class: each code, and whether it is the confirmed one.
    pub class_options: Vec<(&'static str, bool)>,
    /// The purge's decision code and the day it names (`-` when none).
    pub decision: &'static str,
    pub until: String,
}

pub async fn panel(state: &AppState, actor: &Actor, id: &MatterId) -> Result<RetentionPanel> {
    let (m, act) = notarial(state, actor, id).await?;
    let keeper = super::actions::office_side(actor, &m).is_ok();
    let v = view_of(state, actor, &m, &act).await?;
    let until = v
        .decision
        .and_then(|d| d.until())
        .map_or_else(|| "-".to_string(), |d| d.to_string());
    Ok(RetentionPanel {
        matter_id: m.row.id.clone(),
        keeper,
        may_close: keeper && m.row.kind() == MatterKind::Evidence && m.row.status != "closed",
        class_code: v.class.as_str(),
        class_options: RetentionClass::ALL
            .into_iter()
            .map(|c| (c.as_str(), v.confirmed_class == Some(c)))
            .collect(),
        decision: v.decision.map_or("not_started", |d| d.code()),
        until,
        v,
    })
}

/// The office confirms the class of a file (with the rule relied on) or holds it. Only the
/// office's notaries and administrators; 409 until the retention has started.
pub async fn change(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
    input: &RetentionInput,
) -> Result<RetentionView> {
    let (m, act) = notarial(state, actor, id).await?;
    super::actions::office_side(actor, &m)?;
    let row = state
        .store
        .retention(&m.row.id)
        .await?
        .ok_or(AppError::Conflict("retention_not_started"))?;
    if input.version != row.version {
        return Err(AppError::Conflict("retention_changed"));
    }
    use crate::directory::validate::text;
    let basis = text("confirmed_basis", &input.confirmed_basis, false, 500)?;
    let reason = text("hold_reason", &input.hold_reason, false, 500)?;
    if input.confirmed_class.is_some() && basis.is_empty() {
        return Err(AppError::invalid("confirmed_basis", "required"));
    }
    if input.hold && reason.is_empty() {
        return Err(AppError::invalid("hold_reason", "required"));
    }
    let change = RetentionChange {
        confirmed_class: input.confirmed_class.map_or("", RetentionClass::as_str),
        confirmed_basis: if input.confirmed_class.is_some() {
            &basis
        } else {
            ""
        },
        hold: input.hold,
        hold_reason: if input.hold { &reason } else { "" },
    };
    if !state
        .store
        .change_retention(&Who::from(actor), &row, &change)
        .await?
    {
        return Err(AppError::Conflict("retention_changed"));
    }
    view_of(state, actor, &m, &act).await
}

/// The office closes an evidence file: the matter is closed and the file's retention starts
/// today. Closing again changes nothing.
pub async fn close_evidence(
    state: &AppState,
    actor: &Actor,
    id: &MatterId,
) -> Result<RetentionView> {
    let m = super::evidence::loaded(state, actor, id).await?;
    super::actions::office_side(actor, &m)?;
    let who = Who::from(actor);
    if m.row.status != "closed" {
        state
            .store
            .change_matter(&who, &actor.user_id, &m.row, &m.row.title, "closed")
            .await?;
    }
    start(&state.store, &who, &m, EVIDENCE_ACT, today()).await?;
    view(state, actor, id).await
}

/// Starts a file's retention on the act's day (once; a retry keeps the first day).
pub async fn start(store: &Store, who: &Who, m: &Loaded, act: &str, on: NaiveDate) -> Result<()> {
    store
        .start_retention(who, &m.row.id, &m.row.owner_org_id, act, on)
        .await
}

/// One file in a purge's report.
#[derive(Clone, Debug, Serialize)]
pub struct PurgeLine {
    pub matter_id: String,
    pub reference: String,
    pub office_id: String,
    pub act: String,
    pub class: RetentionClass,
    pub starts_on: NaiveDate,
    #[serde(flatten)]
    pub decision: Decision,
    /// The key was shredded by this run (never in a dry run).
    pub shredded: bool,
    /// Sealed objects removed by this run.
    pub objects_removed: u64,
    /// Shredded by an earlier run.
    pub already_shredded: bool,
    /// Due when the run read it, but held, withdrawn or changed before its key was destroyed:
    /// left as it is.
    pub changed_meanwhile: bool,
    /// What went wrong with this file (the run goes on with the others).
    pub error: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PurgeReport {
    pub today: NaiveDate,
    pub dry_run: bool,
    pub files: Vec<PurgeLine>,
}

impl PurgeReport {
    pub fn count(&self, code: &str) -> usize {
        self.files
            .iter()
            .filter(|f| f.decision.code() == code)
            .count()
    }
}

/// The purge job: for every file whose retention has started, decide (see
/// [`super::retention::decide`]); unless `dry_run`, destroy the content of each file that is
/// due: its sealed objects are removed, then its key is shredded, with the timeline and
/// audit events. Running it again changes nothing more.
pub async fn purge(
    store: &Store,
    files: &Files,
    today: NaiveDate,
    dry_run: bool,
) -> Result<PurgeReport> {
    let mut report = PurgeReport {
        today,
        dry_run,
        files: Vec::new(),
    };
    let who = Who {
        user_id: None,
        label: "purge".into(),
    };
    for row in store.retention_files().await? {
        let r = &row.retention;
        let (retention, confirmed) = in_force(&r.act, Some(r));
        let decision = super::retention::decide(&retention, r.starts_on, confirmed, r.hold, today);
        let mut line = PurgeLine {
            matter_id: r.matter_id.clone(),
            reference: row.reference.clone(),
            office_id: r.office_id.clone(),
            act: r.act.clone(),
            class: retention.class,
            starts_on: r.starts_on,
            decision,
            shredded: false,
            objects_removed: 0,
            already_shredded: row.shredded_at.is_some(),
            changed_meanwhile: false,
            error: None,
        };
        if matches!(decision, Decision::Due { .. })
            && !dry_run
            && let Err(e) = destroy(store, files, &who, r, &mut line).await
        {
            tracing::warn!(matter = %r.matter_id, error = %e, "purge: a file was not destroyed");
            line.error = Some(e.to_string());
        }
        report.files.push(line);
    }
    Ok(report)
}

/// The purge's check inside the shredding transaction: the retention row is as it was read
/// (any confirmation, withdrawal or hold raises its version) and not held.
pub const STILL_DUE: &str =
    "SELECT version FROM notary_retention WHERE matter_id = $1 AND version = $2 AND hold = FALSE";

/// The key first, under the retention row as read (same version, no hold, still confirmed):
/// from then on the content is unreadable and every download a 410; then the sealed objects.
async fn destroy(
    store: &Store,
    files: &Files,
    who: &Who,
    r: &RetentionRow,
    line: &mut PurgeLine,
) -> Result<()> {
    if !line.already_shredded {
        let objects = files
            .sealed_count(&r.matter_id)
            .await
            .map_err(|e| AppError::Internal(e.into()))?;
        let guard = crate::matters::store_keys::ShredGuard {
            sql: STILL_DUE,
            version: r.version,
        };
        line.shredded = store
            .shred_matter_key(who, &r.matter_id, &r.office_id, &guard, objects)
            .await?;
        if !line.shredded {
            line.changed_meanwhile =
                !matches!(store.matter_key(&r.matter_id).await?, KeyState::Shredded(_));
            if line.changed_meanwhile {
                return Ok(());
            }
        }
    }
    line.objects_removed = files
        .shred(&r.matter_id)
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(act: &str, class: &str, hold: bool) -> RetentionRow {
        RetentionRow {
            matter_id: "m".into(),
            office_id: "o".into(),
            act: act.into(),
            starts_on: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
            confirmed_class: class.into(),
            confirmed_basis: if class.is_empty() {
                ""
            } else {
                "office rule 12"
            }
            .into(),
            confirmed_by: String::new(),
            confirmed_at: None,
            hold,
            hold_reason: String::new(),
            version: 1,
        }
    }

    #[test]
    fn the_view_says_what_the_purge_would_do_and_why() {
        let later = NaiveDate::from_ymd_opt(2050, 1, 1).unwrap();
        let unconfirmed = render(
            "birth",
            Some(&row("birth", "", false)),
            &KeyState::Absent,
            later,
        );
        assert_eq!(unconfirmed.decision.unwrap().code(), "unconfirmed");
        assert_eq!(unconfirmed.kept_until, NaiveDate::from_ymd_opt(2046, 5, 1));
        assert_eq!(unconfirmed.confirmed_class, None);
        let confirmed = render(
            "birth",
            Some(&row("birth", "short", false)),
            &KeyState::Absent,
            later,
        );
        assert_eq!(confirmed.decision.unwrap().code(), "due");
        assert_eq!(confirmed.confirmed_class, Some(RetentionClass::Short));
        let held = render(
            "birth",
            Some(&row("birth", "short", true)),
            &KeyState::Absent,
            later,
        );
        assert_eq!(held.decision.unwrap().code(), "held");
        let not_started = render("birth", None, &KeyState::Absent, later);
        assert_eq!((not_started.decision, not_started.starts_on), (None, None));
    }

    #[test]
    fn a_will_shows_no_end_even_when_an_office_placed_it_in_a_short_class() {
        let later = NaiveDate::from_ymd_opt(2100, 1, 1).unwrap();
        let v = render(
            "will",
            Some(&row("will", "short", false)),
            &KeyState::Absent,
            later,
        );
        assert!(v.secret);
        assert_eq!(v.kept_until, None);
        assert_eq!(v.decision.unwrap().code(), "permanent");
    }
}
