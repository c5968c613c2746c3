//! The embedded data files of `data/jurisdiction/`, parsed once. Rows keep the text of the files
//! (with their `unverified` marks); typed readings are methods on the rows.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::Error;
use super::facts::{DateFact, Flag, Statement};
use super::profile::{CountryProfile, ProfileFile};

const NYC: &str = include_str!("../../../../data/jurisdiction/new_york_convention.csv");
const APOSTILLE: &str = include_str!("../../../../data/jurisdiction/apostille.csv");
const OBJECTIONS: &str = include_str!("../../../../data/jurisdiction/apostille_objections.csv");
const TREATIES: &str = include_str!("../../../../data/jurisdiction/bilateral_treaties.csv");
const ARRANGEMENTS: &str = include_str!("../../../../data/jurisdiction/arrangements.csv");
const RULES: &str = include_str!("../../../../data/jurisdiction/rules.csv");
const ASEAN: &str = include_str!("../../../../data/jurisdiction/asean.json");
const GREATER_CHINA: &str = include_str!("../../../../data/jurisdiction/greater_china.json");
const PARTNERS: &str = include_str!("../../../../data/jurisdiction/partners.json");

/// A New York Convention participant (`new_york_convention.csv`).
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct NycParty {
    pub iso2: String,
    pub action: String,
    pub deposit_date: String,
    pub entry_into_force: String,
    /// `source`, `computed_art_xii_2` (deposit + 90 days) or `unverified`.
    pub entry_into_force_basis: String,
    pub reciprocity_reservation: String,
    /// `contracting_states_only`, `non_contracting_on_reciprocity`, or empty.
    pub reciprocity_scope: String,
    pub commercial_reservation: String,
    pub extension_of: String,
    pub extends_to: String,
    pub notes: String,
    pub source: String,
    pub verified: bool,
}

impl NycParty {
    pub fn entry_into_force(&self) -> DateFact {
        let mut d = DateFact::parse(&self.entry_into_force);
        d.verified &= self.entry_into_force_basis == "source";
        d
    }
    pub fn reciprocity(&self) -> Flag {
        Flag::parse(&self.reciprocity_reservation)
    }
    pub fn commercial(&self) -> Flag {
        Flag::parse(&self.commercial_reservation)
    }
}

/// An Apostille Convention party or recorded non-party (`apostille.csv`).
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct ApostilleParty {
    pub iso2: String,
    /// `party`, `party_via_extension`, `acceded_not_in_force` or `not_party` (snapshot 30-VI-2026).
    pub status: String,
    pub status_detail: String,
    pub action: String,
    pub signature: String,
    pub deposit_date: String,
    pub entry_into_force: String,
    pub objections: String,
    /// `yes` where the HCCH table marks an objection to this accession but the objector is not captured.
    pub unknown_objectors: String,
    pub notes: String,
    pub source: String,
    pub verified: bool,
}

impl ApostilleParty {
    pub fn entry_into_force(&self) -> DateFact {
        DateFact::parse(&self.entry_into_force)
    }
}

/// An Art. 12 objection (or non-application declaration) between two Apostille parties.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct ApostilleObjection {
    pub objecting_state: String,
    pub against_state: String,
    pub objection_date: String,
    /// `in_force`, `withdrawn` or `unknown`.
    pub status: String,
    pub withdrawal_date: String,
    pub withdrawn_no_later_than: String,
    pub notes: String,
    pub source: String,
    pub verified: bool,
}

/// A judicial-assistance treaty between China and `counterpart`, or a recorded negative finding.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct BilateralTreaty {
    pub counterpart: String,
    /// `treaty` or `none_found`.
    pub kind: String,
    pub instrument: String,
    pub instrument_zh: String,
    pub signed: String,
    pub entry_into_force: String,
    pub covers_service_of_documents: String,
    pub covers_taking_evidence: String,
    pub covers_judgments: String,
    pub covers_awards: String,
    pub coverage_detail: String,
    pub notes: String,
    pub source: String,
    pub verified: bool,
}

impl BilateralTreaty {
    pub fn entry_into_force(&self) -> DateFact {
        DateFact::parse(&self.entry_into_force)
    }
    pub fn is_treaty(&self) -> bool {
        self.kind == "treaty"
    }
}

/// A Mainland–SAR (or HK–Macao) arrangement (`arrangements.csv`). `verified` covers `effective` and
/// `scope`; an inline `(unverified)` mark flags any other column.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Arrangement {
    pub id: String,
    pub parties: String,
    /// `arbitral_awards`, `interim_measures` or `judgments`.
    pub subject: String,
    pub instrument: String,
    pub instrument_zh: String,
    pub signed: String,
    pub effective: String,
    pub scope: String,
    pub notes: String,
    pub source: String,
    pub verified: bool,
}

impl Arrangement {
    pub fn effective(&self) -> DateFact {
        DateFact::parse(&self.effective)
    }
}

/// A document requirement or refusal ground of a regime (`rules.csv`).
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Rule {
    pub regime: String,
    /// `document` or `refusal_ground`.
    pub kind: String,
    pub code: String,
    pub text_en: String,
    pub text_zh: String,
    pub source: String,
    pub verified: bool,
}

impl Rule {
    pub fn statement(&self) -> Statement {
        Statement::new(
            &self.code,
            &self.text_en,
            &self.text_zh,
            &self.source,
            self.verified,
        )
    }
}

/// All jurisdiction data, parsed from the embedded files.
#[derive(Debug)]
pub struct Dataset {
    pub new_york_convention: Vec<NycParty>,
    pub apostille: Vec<ApostilleParty>,
    pub apostille_objections: Vec<ApostilleObjection>,
    pub bilateral_treaties: Vec<BilateralTreaty>,
    pub arrangements: Vec<Arrangement>,
    pub rules: Vec<Rule>,
    pub profiles: Vec<CountryProfile>,
    nyc_index: HashMap<String, usize>,
    apostille_index: HashMap<String, usize>,
}

fn csv_rows<T: DeserializeOwned>(name: &str, text: &str) -> Result<Vec<T>, Error> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        .map_err(|e| Error::Data(format!("{name}: {e}")))
}

fn index<T>(rows: &[T], key: impl Fn(&T) -> &str) -> HashMap<String, usize> {
    rows.iter()
        .enumerate()
        .map(|(i, r)| (key(r).to_owned(), i))
        .collect()
}

impl Dataset {
    /// The parsed data, shared. Fails only if an embedded file is malformed (a build defect that
    /// `tests::every_embedded_file_parses` catches), never on user input.
    pub fn get() -> Result<&'static Dataset, Error> {
        static DATASET: OnceLock<Result<Dataset, Error>> = OnceLock::new();
        DATASET
            .get_or_init(Dataset::load)
            .as_ref()
            .map_err(Clone::clone)
    }

    pub fn load() -> Result<Dataset, Error> {
        let new_york_convention: Vec<NycParty> = csv_rows("new_york_convention.csv", NYC)?;
        let apostille: Vec<ApostilleParty> = csv_rows("apostille.csv", APOSTILLE)?;
        let mut profiles = Vec::new();
        for (name, text) in [
            ("asean.json", ASEAN),
            ("greater_china.json", GREATER_CHINA),
            ("partners.json", PARTNERS),
        ] {
            let file: ProfileFile =
                serde_json::from_str(text).map_err(|e| Error::Data(format!("{name}: {e}")))?;
            profiles.extend(file.countries);
        }
        Ok(Dataset {
            nyc_index: index(&new_york_convention, |r| &r.iso2),
            apostille_index: index(&apostille, |r| &r.iso2),
            new_york_convention,
            apostille,
            apostille_objections: csv_rows("apostille_objections.csv", OBJECTIONS)?,
            bilateral_treaties: csv_rows("bilateral_treaties.csv", TREATIES)?,
            arrangements: csv_rows("arrangements.csv", ARRANGEMENTS)?,
            rules: csv_rows("rules.csv", RULES)?,
            profiles,
        })
    }

    /// Normalises a user-supplied code (`vn` → `VN`) and checks it against the reference list
    /// (one [`crate::country::CountryCode`] for every module).
    pub fn country(&self, code: &str) -> Result<String, Error> {
        use crate::country::{CountryCode, CountryError};
        match CountryCode::parse(code) {
            Ok(code) => Ok(code.to_string()),
            Err(CountryError::Format) => Err(Error::InvalidCode(code.trim().to_ascii_uppercase())),
            Err(CountryError::Unknown) => {
                Err(Error::UnknownCountry(code.trim().to_ascii_uppercase()))
            }
        }
    }

    pub fn nyc_party(&self, iso2: &str) -> Option<&NycParty> {
        self.nyc_index
            .get(iso2)
            .and_then(|&i| self.new_york_convention.get(i))
    }

    pub fn apostille_party(&self, iso2: &str) -> Option<&ApostilleParty> {
        self.apostille_index
            .get(iso2)
            .and_then(|&i| self.apostille.get(i))
    }

    /// China's treaty (or negative finding) with `counterpart`.
    pub fn treaty_with_china(&self, counterpart: &str) -> Option<&BilateralTreaty> {
        self.bilateral_treaties
            .iter()
            .find(|t| t.counterpart == counterpart)
    }

    pub fn arrangement(&self, id: &str) -> Option<&Arrangement> {
        self.arrangements.iter().find(|a| a.id == id)
    }

    pub fn rules_of<'a>(
        &'a self,
        regime: &'a str,
        kind: &'a str,
    ) -> impl Iterator<Item = &'a Rule> {
        self.rules
            .iter()
            .filter(move |r| r.regime == regime && r.kind == kind)
    }

    pub fn profile(&self, iso2: &str) -> Option<&CountryProfile> {
        self.profiles.iter().find(|p| p.iso2 == iso2)
    }

    /// Objections recorded between `a` and `b`, in either direction.
    pub fn objections_between<'a>(
        &'a self,
        a: &'a str,
        b: &'a str,
    ) -> impl Iterator<Item = &'a ApostilleObjection> {
        self.apostille_objections.iter().filter(move |o| {
            (o.objecting_state == a && o.against_state == b)
                || (o.objecting_state == b && o.against_state == a)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sources are shown to users: each must be a public address or a citation, never a path of
    /// the team's own notes (the notes are where a fact was found, not what it rests on).
    #[test]
    fn no_source_shown_to_users_is_a_path_of_our_own_notes() {
        for (file, text) in [
            ("new_york_convention.csv", NYC),
            ("apostille.csv", APOSTILLE),
            ("apostille_objections.csv", OBJECTIONS),
            ("bilateral_treaties.csv", TREATIES),
            ("arrangements.csv", ARRANGEMENTS),
            ("rules.csv", RULES),
            ("asean.json", ASEAN),
            ("greater_china.json", GREATER_CHINA),
            ("partners.json", PARTNERS),
        ] {
            for (n, line) in text.lines().enumerate() {
                // The files' own provenance line (`generated`) is not shown to anyone.
                if line.trim_start().starts_with("\"generated\"") {
                    continue;
                }
                assert!(
                    !line.contains("shared/reference") && !line.contains("shared/data"),
                    "{file}:{}: a source names our own notes: {line}",
                    n + 1
                );
            }
        }
    }
}
