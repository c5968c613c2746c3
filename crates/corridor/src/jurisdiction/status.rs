//! Where a State stands under a convention on a given date. Entry into force decides, not
//! signature or deposit, and not the snapshot's status word.

use chrono::NaiveDate;
use serde::Serialize;

use super::data::Dataset;
use super::facts::{Flag, Warning, Warnings};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConventionStatus {
    InForce,
    NotYetInForce,
    NotParty,
    /// A row exists but its entry-into-force date is not known.
    Unknown,
}

/// A State's position under the New York Convention on the question's date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NycStatus {
    pub state: String,
    pub status: ConventionStatus,
    pub entry_into_force: Option<NaiveDate>,
    /// `source`, `computed_art_xii_2`, `unverified`, or `absent_from_dataset`.
    pub entry_into_force_basis: String,
    pub reciprocity_reservation: Flag,
    pub reciprocity_scope: String,
    pub commercial_reservation: Flag,
    /// For Hong Kong and Macao: the State that extended the Convention to them (CN).
    pub extension_of: Option<String>,
    pub notes: String,
    pub source: String,
    /// Whether the status itself (party, entry into force) is confirmed by the source.
    pub verified: bool,
}

pub const NYC_FILE: &str = "data/jurisdiction/new_york_convention.csv";
pub const APOSTILLE_FILE: &str = "data/jurisdiction/apostille.csv";

pub fn nyc_status(ds: &Dataset, state: &str, on: NaiveDate, w: &mut Warnings) -> NycStatus {
    let Some(row) = ds.nyc_party(state) else {
        w.push(Warning::gap(
            "dataset_incomplete",
            &format!("new_york_convention.{state}"),
            &format!(
                "{state} has no row in the New York Convention data; the data lacks one State that joined between May 2022 and January 2023, so absence is not proof of non-participation."
            ),
            &format!(
                "{state} 不在《纽约公约》数据中；数据缺少2022年5月至2023年1月间加入的一个国家，缺席不能证明未加入。"
            ),
            NYC_FILE,
        ));
        return NycStatus {
            state: state.to_owned(),
            status: ConventionStatus::NotParty,
            entry_into_force: None,
            entry_into_force_basis: "absent_from_dataset".into(),
            reciprocity_reservation: Flag::Unknown,
            reciprocity_scope: String::new(),
            commercial_reservation: Flag::Unknown,
            extension_of: None,
            notes: String::new(),
            source: NYC_FILE.into(),
            verified: false,
        };
    };
    let eif = row.entry_into_force();
    let status = match eif.reached(on) {
        Some(true) => ConventionStatus::InForce,
        Some(false) => ConventionStatus::NotYetInForce,
        None => ConventionStatus::Unknown,
    };
    if !eif.verified {
        w.push(Warning::unverified(
            &format!(
                "new_york_convention.{state}.entry_into_force ({})",
                row.entry_into_force_basis
            ),
            &row.source,
        ));
    }
    NycStatus {
        state: state.to_owned(),
        status,
        entry_into_force: eif.date,
        entry_into_force_basis: row.entry_into_force_basis.clone(),
        reciprocity_reservation: row.reciprocity(),
        reciprocity_scope: row.reciprocity_scope.clone(),
        commercial_reservation: row.commercial(),
        extension_of: Some(row.extension_of.clone()).filter(|s| !s.is_empty()),
        notes: row.notes.clone(),
        source: row.source.clone(),
        verified: eif.verified,
    }
}

/// A State's position under the Apostille Convention on the question's date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApostilleStatus {
    pub state: String,
    pub status: ConventionStatus,
    pub entry_into_force: Option<NaiveDate>,
    pub entry_into_force_verified: bool,
    /// At least one State objected to this accession and the data does not say which.
    pub unknown_objectors: bool,
    pub objections: String,
    pub notes: String,
    pub source: String,
    pub verified: bool,
}

pub fn apostille_status(
    ds: &Dataset,
    state: &str,
    on: NaiveDate,
    w: &mut Warnings,
) -> ApostilleStatus {
    let Some(row) = ds.apostille_party(state) else {
        w.push(Warning::gap(
            "dataset_incomplete",
            &format!("apostille.{state}"),
            &format!("{state} has no row in the Apostille data (snapshot 30-VI-2026): treated as a non-party."),
            &format!("{state} 不在附加证明书公约数据中（2026年6月30日快照）：按非缔约方处理。"),
            APOSTILLE_FILE,
        ));
        return ApostilleStatus {
            state: state.to_owned(),
            status: ConventionStatus::NotParty,
            entry_into_force: None,
            entry_into_force_verified: false,
            unknown_objectors: false,
            objections: String::new(),
            notes: String::new(),
            source: APOSTILLE_FILE.into(),
            verified: false,
        };
    };
    let eif = row.entry_into_force();
    let status = if row.status == "not_party" {
        ConventionStatus::NotParty
    } else {
        match eif.reached(on) {
            Some(true) => ConventionStatus::InForce,
            Some(false) => ConventionStatus::NotYetInForce,
            None => ConventionStatus::Unknown,
        }
    };
    let unknown_objectors = row.unknown_objectors == "yes";
    ApostilleStatus {
        state: state.to_owned(),
        status,
        entry_into_force: eif.date,
        entry_into_force_verified: eif.verified,
        unknown_objectors,
        objections: row.objections.clone(),
        notes: row.notes.clone(),
        source: row.source.clone(),
        verified: row.verified,
    }
}
