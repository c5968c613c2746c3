//! What the data holds about one country or region, and the index of them all.

use serde::Serialize;
use utoipa::ToSchema;

use crate::jurisdiction::profile::CountryProfile;
use crate::jurisdiction::{
    ApostilleObjection, ApostilleParty, Arrangement, BilateralTreaty, Dataset, NycParty,
};

use super::*;

/// Everything the data holds about one country or region, each row with its source.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CountryFacts {
    pub iso2: String,
    pub name_en: String,
    pub name_zh: String,
    pub asean_member: bool,
    /// Enforcement profile (ASEAN members, CN, HK, MO): statutes, institutions, court, time
    /// limit, languages, special procedures, pitfalls; each fact `{value, source, verified}`.
    #[schema(value_type = Option<Object>)]
    pub profile: Option<CountryProfile>,
    #[schema(value_type = Option<Object>)]
    pub new_york_convention: Option<NycParty>,
    #[schema(value_type = Option<Object>)]
    pub apostille: Option<ApostilleParty>,
    #[schema(value_type = Vec<Object>)]
    pub apostille_objections: Vec<ApostilleObjection>,
    /// China's bilateral judicial assistance treaty with this State, if any.
    #[schema(value_type = Option<Object>)]
    pub treaty_with_china: Option<BilateralTreaty>,
    /// Arrangements this place is a party to (Mainland, Hong Kong, Macao).
    #[schema(value_type = Vec<Object>)]
    pub arrangements: Vec<Arrangement>,
}

/// A country or region in the index.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CountrySummary {
    pub iso2: String,
    pub name_en: String,
    pub name_zh: String,
    pub asean_member: bool,
    /// The data has an enforcement profile for it.
    pub has_profile: bool,
}

/// The facts the data holds about `cc` (the field is named `cc` in errors).
pub fn country_facts(cc: &str) -> Result<CountryFacts, AskError> {
    let iso2 = country("cc", cc)?;
    let ds = Dataset::get().map_err(AskError::Data)?;
    let reference = crate::reference::Reference::get().country(&iso2);
    let profile = ds.profile(&iso2).cloned();
    let asean_member = asean(profile.as_ref(), reference);
    let (name_en, name_zh) = name(&iso2);
    Ok(CountryFacts {
        name_en,
        name_zh,
        asean_member,
        profile,
        new_york_convention: ds.nyc_party(&iso2).cloned(),
        apostille: ds.apostille_party(&iso2).cloned(),
        apostille_objections: ds
            .apostille_objections
            .iter()
            .filter(|o| o.objecting_state == iso2 || o.against_state == iso2)
            .cloned()
            .collect(),
        treaty_with_china: ds.treaty_with_china(&iso2).cloned(),
        arrangements: ds
            .arrangements
            .iter()
            .filter(|a| a.parties.split(';').any(|p| p.trim() == iso2))
            .cloned()
            .collect(),
        iso2,
    })
}

/// ASEAN membership: the profile's fact when it is confirmed, else the reference list's (which
/// is confirmed, e.g. Timor-Leste's admission on 2025-10-26 that the profile still marks
/// unverified).
fn asean(profile: Option<&CountryProfile>, reference: Option<&crate::reference::Country>) -> bool {
    match (profile, reference) {
        (Some(p), _) if p.asean_member.verified => p.asean_member.value,
        (_, Some(c)) => c.asean_member,
        (Some(p), None) => p.asean_member.value,
        (None, None) => false,
    }
}

/// Every country and region the questions accept: the places with a profile first (ASEAN,
/// then the Mainland, Hong Kong and Macao), then the rest in reference order.
pub fn countries() -> Result<Vec<CountrySummary>, AskError> {
    let ds = Dataset::get().map_err(AskError::Data)?;
    let mut out: Vec<CountrySummary> = crate::reference::Reference::get()
        .countries
        .iter()
        .filter(|c| ds.country(&c.iso2).is_ok())
        .map(|c| CountrySummary {
            iso2: c.iso2.clone(),
            name_en: c.name_en.clone(),
            name_zh: c.name_zh.clone(),
            asean_member: asean(ds.profile(&c.iso2), Some(c)),
            has_profile: ds.profile(&c.iso2).is_some(),
        })
        .collect();
    out.sort_by_key(|c| (!c.has_profile, !c.asean_member));
    Ok(out)
}
