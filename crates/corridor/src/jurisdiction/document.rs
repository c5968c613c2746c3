//! How a public document issued in one place is made acceptable in another: apostille (both
//! parties bound on the date and no objection between them), consular legalization, or the
//! special Mainland–SAR routes (never an apostille between the Mainland and Hong Kong or Macao).

mod steps;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Result;
use super::data::{ApostilleObjection, Dataset};
use super::facts::{DateFact, Statement, Warning, Warnings};
use super::status::{ApostilleStatus, ConventionStatus, apostille_status};

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct DocumentQuery {
    pub issuing_state: String,
    pub destination_state: String,
    /// The day the document is to be used.
    pub date: NaiveDate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RouteKind {
    Domestic,
    Apostille,
    ConsularLegalization,
    /// Hong Kong document for use in the Mainland: China-Appointed Attesting Officer + CLS(HK) seal.
    ChinaAppointedAttestingOfficer,
    /// Macao document for use in the Mainland (sources conflict; unverified).
    MacaoAttestation,
    Undetermined,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Certainty {
    /// Every fact the route rests on is confirmed.
    Confirmed,
    /// The route rests on at least one unconfirmed fact or a gap; see `warnings`.
    Uncertain,
}

/// One step of the chain, done in `authority_state`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    pub order: u8,
    pub authority_state: String,
    #[serde(flatten)]
    pub statement: Statement,
}

#[derive(Clone, Debug, Serialize)]
pub struct DocumentRoute {
    pub issuing_state: String,
    pub destination_state: String,
    pub date: NaiveDate,
    pub route: RouteKind,
    pub certainty: Certainty,
    pub basis: Vec<Statement>,
    pub steps: Vec<Step>,
    pub apostille_status: Vec<ApostilleStatus>,
    pub objections: Vec<ApostilleObjection>,
    pub notes: Vec<Statement>,
    pub warnings: Vec<Warning>,
}

/// How an Art. 12 objection between the two States bears on the date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Blocking {
    Clear,
    Blocked,
    Unknown,
}

pub fn document_route(q: DocumentQuery) -> Result<DocumentRoute> {
    let ds = Dataset::get()?;
    let from = ds.country(&q.issuing_state)?;
    let to = ds.country(&q.destination_state)?;
    let mut w = Warnings::default();
    let mut r = DocumentRoute {
        issuing_state: from.clone(),
        destination_state: to.clone(),
        date: q.date,
        route: RouteKind::Undetermined,
        certainty: Certainty::Confirmed,
        basis: Vec::new(),
        steps: Vec::new(),
        apostille_status: Vec::new(),
        objections: Vec::new(),
        notes: Vec::new(),
        warnings: Vec::new(),
    };
    if from == to {
        r.route = RouteKind::Domestic;
        r.basis.push(Statement::new(
            "domestic_document",
            "Issued and used in the same place: no cross-border formality.",
            "出具地与使用地相同：无需跨境手续。",
            "engine",
            true,
        ));
    } else if let Some(special) = steps::within_china(&from, &to) {
        r.route = special.route;
        r.basis = special.basis;
        r.steps = special.steps;
    } else {
        apostille_or_legalization(ds, &mut r, &mut w);
    }
    steps::add_chinese_notes(&mut r);
    finish(r, w)
}

fn apostille_or_legalization(ds: &Dataset, r: &mut DocumentRoute, w: &mut Warnings) {
    let (from, to, d) = (r.issuing_state.clone(), r.destination_state.clone(), r.date);
    let a = apostille_status(ds, &from, d, w);
    let b = apostille_status(ds, &to, d, w);
    let both_in_force =
        a.status == ConventionStatus::InForce && b.status == ConventionStatus::InForce;
    let unknown_dates = [a.status, b.status].contains(&ConventionStatus::Unknown);
    r.objections = ds.objections_between(&from, &to).cloned().collect();
    let blocking = objection_effect(&r.objections, d);
    let parties_source = format!("{} | {}", a.source, b.source);
    if both_in_force && blocking == Blocking::Clear {
        r.route = RouteKind::Apostille;
        r.basis.push(Statement::new(
            "apostille_both_in_force",
            &format!("The Apostille Convention is in force for {from} and for {to} on {d}, and no objection between them is recorded."),
            &format!("{d} 时附加证明书公约对 {from} 和 {to} 均已生效，且两国之间无反对记录。"),
            &parties_source,
            a.entry_into_force_verified && b.entry_into_force_verified,
        ));
        for s in [&a, &b] {
            if !s.verified && !s.unknown_objectors {
                r.notes.push(Statement::new(
                    &format!("apostille_caveat_{}", s.state),
                    &format!("Caveat recorded for {}: {}", s.state, s.notes),
                    &format!("{} 的记录附注（英文）：{}", s.state, s.notes),
                    &s.source,
                    false,
                ));
            }
            if s.unknown_objectors {
                r.notes.push(Statement::new(
                    &format!("apostille_unknown_objectors_{}", s.state),
                    &format!("At least one State objected to {}'s accession and the data does not say which: confirm the Convention applies between {from} and {to}.", s.state),
                    &format!("至少一个国家对 {} 的加入提出反对，数据未载明是哪国：请确认公约在 {from} 与 {to} 之间适用。", s.state),
                    &s.source,
                    false,
                ));
            }
        }
        r.steps = steps::apostille(&from);
    } else {
        r.route = RouteKind::ConsularLegalization;
        let (code, en, zh, verified) = if both_in_force && blocking == Blocking::Blocked {
            (
                "apostille_objection_in_force",
                format!(
                    "Both are Apostille parties on {d}, but an objection between {from} and {to} is in force, so the Convention does not apply between them."
                ),
                format!("{d} 时两国均为公约缔约方，但两国之间存在有效反对，公约在两国之间不适用。"),
                r.objections.iter().all(|o| o.verified),
            )
        } else if both_in_force {
            (
                "apostille_objection_status_unknown",
                format!(
                    "Both are Apostille parties on {d}, but whether an objection between {from} and {to} still applies is not known; legalization is the safe route."
                ),
                format!(
                    "{d} 时两国均为公约缔约方，但两国之间的反对是否仍有效不详；稳妥起见办理领事认证。"
                ),
                false,
            )
        } else if unknown_dates {
            (
                "apostille_status_unknown",
                format!(
                    "The Apostille status of {from} or {to} on {d} is not known; legalization is the safe route."
                ),
                format!("{d} 时 {from} 或 {to} 的附加证明书公约状态不详；稳妥起见办理领事认证。"),
                false,
            )
        } else {
            (
                "apostille_not_in_force_between",
                format!(
                    "The Apostille Convention is not in force for both {from} and {to} on {d}."
                ),
                format!("{d} 时附加证明书公约并未对 {from} 和 {to} 同时生效。"),
                status_verified(&a) && status_verified(&b),
            )
        };
        let objection_sources: Vec<&str> = r.objections.iter().map(|o| o.source.as_str()).collect();
        let source = if objection_sources.is_empty() {
            parties_source
        } else {
            objection_sources.join(" | ")
        };
        r.basis
            .push(Statement::new(code, &en, &zh, &source, verified));
        r.steps = steps::legalization(&from, &to);
    }
    r.apostille_status = vec![a, b];
}

/// A non-party or not-yet-bound status is as good as the dates (or the HCCH list) it rests on.
fn status_verified(s: &ApostilleStatus) -> bool {
    match s.status {
        ConventionStatus::NotParty => s.verified,
        _ => s.entry_into_force_verified,
    }
}

fn objection_effect(objections: &[ApostilleObjection], d: NaiveDate) -> Blocking {
    let mut effect = Blocking::Clear;
    for o in objections {
        let this = match o.status.as_str() {
            "in_force" => Blocking::Blocked,
            // Withdrawn at the latest by a day before the question's: no longer in the way.
            "withdrawn" => match DateFact::parse(&o.withdrawn_no_later_than).date {
                Some(by) if by < d => Blocking::Clear,
                _ => Blocking::Unknown,
            },
            _ => Blocking::Unknown,
        };
        effect = match (effect, this) {
            (Blocking::Blocked, _) | (_, Blocking::Blocked) => Blocking::Blocked,
            (Blocking::Unknown, _) | (_, Blocking::Unknown) => Blocking::Unknown,
            _ => Blocking::Clear,
        };
    }
    effect
}

fn finish(mut r: DocumentRoute, mut w: Warnings) -> Result<DocumentRoute> {
    w.statements(&r.basis);
    w.statements(r.steps.iter().map(|s| &s.statement));
    for o in &r.objections {
        if !o.verified {
            w.push(Warning::unverified(
                &format!(
                    "apostille_objections.{}->{}",
                    o.objecting_state, o.against_state
                ),
                &o.source,
            ));
        }
    }
    w.statements(&r.notes);
    r.warnings = w.into_vec();
    let route_facts_verified = r.basis.iter().all(|s| s.verified)
        && r.steps.iter().all(|s| s.statement.verified)
        && !r
            .notes
            .iter()
            .any(|n| n.code.starts_with("apostille_unknown_objectors"));
    if !route_facts_verified || r.route == RouteKind::Undetermined {
        r.certainty = Certainty::Uncertain;
    }
    Ok(r)
}
