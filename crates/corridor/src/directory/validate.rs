//! Checks at the edge: every directory input is validated against the reference lists before
//! anything is written. Pure functions, tested here.

use super::model::{OrgKind, OrganizationInput, PersonInput};
use crate::reference::Reference;
use crate::slug::Slug;
use crate::{AppError, Result};

/// A slug as a client sent it; the rules are the [`Slug`] type's.
pub fn slug(text: &str) -> Result<Slug> {
    Slug::parse(text).map_err(|e| e.for_field("slug"))
}

/// `"Jialing & Partners (Demo)"` → `"jialing-partners-demo"`.
pub fn slug_from(name: &str) -> Slug {
    Slug::from_name(name, "org")
}

pub fn text(field: &str, value: &str, required: bool, max_chars: usize) -> Result<String> {
    let value = value.trim();
    if required && value.is_empty() {
        return Err(AppError::invalid(field, "required"));
    }
    if value.chars().count() > max_chars {
        return Err(AppError::invalid(field, "too_long"));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(AppError::invalid(field, "control_characters"));
    }
    if value.chars().any(crate::text::is_invisible) {
        return Err(AppError::invalid(field, "invisible_characters"));
    }
    Ok(value.to_string())
}

pub fn country(field: &str, code: &str) -> Result<String> {
    crate::country::CountryCode::parse(code)
        .map(|c| c.to_string())
        .map_err(|_| AppError::invalid(field, "unknown_country"))
}

fn list(
    field: &str,
    values: &[String],
    max: usize,
    check: impl Fn(&str) -> Result<String>,
) -> Result<Vec<String>> {
    if values.len() > max {
        return Err(AppError::invalid(field, "too_many"));
    }
    let mut out: Vec<String> = values.iter().map(|v| check(v)).collect::<Result<_>>()?;
    out.sort();
    out.dedup();
    Ok(out)
}

pub fn countries(field: &str, values: &[String]) -> Result<Vec<String>> {
    list(field, values, 60, |v| country(field, v))
}

pub fn languages(field: &str, values: &[String]) -> Result<Vec<String>> {
    list(field, values, 30, |v| {
        let v = v.trim();
        match Reference::get().language(v) {
            Some(_) => Ok(v.to_string()),
            None => Err(AppError::invalid(field, "unknown_language")),
        }
    })
}

pub fn practice_areas(field: &str, values: &[String]) -> Result<Vec<String>> {
    list(field, values, 20, |v| {
        let v = v.trim();
        if Reference::get().is_practice_area(v) {
            Ok(v.to_string())
        } else {
            Err(AppError::invalid(field, "unknown_practice_area"))
        }
    })
}

fn email(value: &str) -> Result<String> {
    let value = text("email", value, false, 254)?;
    if value.is_empty() || crate::auth::store::normalize_email(&value).is_ok() {
        Ok(value)
    } else {
        Err(AppError::invalid("email", "email"))
    }
}

fn website(value: &str) -> Result<String> {
    let value = text("website", value, false, 300)?;
    let ok = value.is_empty()
        || ((value.starts_with("https://") || value.starts_with("http://"))
            && !value.contains(char::is_whitespace)
            && !value.contains(['"', '<', '>']));
    if ok {
        Ok(value)
    } else {
        Err(AppError::invalid("website", "url"))
    }
}

/// An organization input with every field checked and normalised.
pub fn organization(input: &OrganizationInput) -> Result<OrganizationInput> {
    let name_en = text("name_en", &input.name_en, true, 200)?;
    let slug = match &input.slug {
        Some(s) if !s.trim().is_empty() => slug(s.trim())?,
        _ => slug_from(&name_en),
    }
    .into_string();
    if input.remote_notarization_pilot && input.kind != OrgKind::NotaryOffice {
        return Err(AppError::invalid(
            "remote_notarization_pilot",
            "pilot_only_for_notary_offices",
        ));
    }
    Ok(OrganizationInput {
        slug: Some(slug),
        kind: input.kind,
        name_zh: text("name_zh", &input.name_zh, true, 200)?,
        name_en,
        jurisdiction: country("jurisdiction", &input.jurisdiction)?,
        city_en: text("city_en", &input.city_en, false, 100)?,
        city_zh: text("city_zh", &input.city_zh, false, 100)?,
        languages: languages("languages", &input.languages)?,
        practice_areas: practice_areas("practice_areas", &input.practice_areas)?,
        email: email(&input.email)?,
        phone: text("phone", &input.phone, false, 40)?,
        website: website(&input.website)?,
        description_en: text("description_en", &input.description_en, false, 5000)?,
        description_zh: text("description_zh", &input.description_zh, false, 5000)?,
        remote_notarization_pilot: input.remote_notarization_pilot,
    })
}

pub fn person(input: &PersonInput) -> Result<PersonInput> {
    let name_en = text("name_en", &input.name_en, true, 200)?;
    let slug = match &input.slug {
        Some(s) if !s.trim().is_empty() => slug(s.trim())?,
        _ => slug_from(&name_en),
    }
    .into_string();
    let nationalities = countries("nationalities", &input.nationalities)?;
    if nationalities.is_empty() {
        return Err(AppError::invalid("nationalities", "required"));
    }
    Ok(PersonInput {
        slug: Some(slug),
        profession: input.profession,
        name_zh: text("name_zh", &input.name_zh, true, 200)?,
        name_en,
        organization: input
            .organization
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        based_in: country("based_in", &input.based_in)?,
        nationalities,
        languages: languages("languages", &input.languages)?,
        expertise: practice_areas("expertise", &input.expertise)?,
        jurisdictions: countries("jurisdictions", &input.jurisdictions)?,
        rosters: input.rosters.iter().map(|r| r.trim().to_string()).collect(),
        bio_en: text("bio_en", &input.bio_en, false, 5000)?,
        bio_zh: text("bio_zh", &input.bio_zh, false, 5000)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org() -> OrganizationInput {
        OrganizationInput {
            slug: None,
            kind: OrgKind::LocalLawFirm,
            name_zh: "嘉陵律师事务所".into(),
            name_en: "Jialing Law Firm".into(),
            jurisdiction: "cn".into(),
            city_en: "Chongqing".into(),
            city_zh: "重庆".into(),
            languages: vec!["zh".into(), "en".into(), "zh".into()],
            practice_areas: vec!["trade".into()],
            email: "info@jialing.example".into(),
            phone: String::new(),
            website: "https://jialing.example".into(),
            description_en: String::new(),
            description_zh: String::new(),
            remote_notarization_pilot: false,
        }
    }

    #[test]
    fn a_valid_organization_is_normalised() {
        let v = organization(&org()).unwrap();
        assert_eq!(v.slug.as_deref(), Some("jialing-law-firm"));
        assert_eq!(v.jurisdiction, "CN");
        assert_eq!(v.languages, vec!["en", "zh"]);
    }

    #[test]
    fn unknown_codes_are_refused_by_field() {
        let mut o = org();
        o.jurisdiction = "XX".into();
        assert!(
            matches!(organization(&o), Err(AppError::Invalid { field, .. }) if field == "jurisdiction")
        );
        let mut o = org();
        o.practice_areas = vec!["astrology".into()];
        assert!(
            matches!(organization(&o), Err(AppError::Invalid { field, .. }) if field == "practice_areas")
        );
        let mut o = org();
        o.website = "javascript:alert(1)".into();
        assert!(
            matches!(organization(&o), Err(AppError::Invalid { field, .. }) if field == "website")
        );
    }

    #[test]
    fn only_notary_offices_join_the_pilot() {
        let mut o = org();
        o.remote_notarization_pilot = true;
        assert!(organization(&o).is_err());
        o.kind = OrgKind::NotaryOffice;
        assert!(organization(&o).is_ok());
    }

    #[test]
    fn slugs_are_checked_and_derived() {
        assert!(slug("ok-slug-1").is_ok());
        assert!(
            matches!(slug("Bad Slug"), Err(AppError::Invalid { field, .. }) if field == "slug")
        );
        let id = crate::ids::new_id();
        assert!(slug(&id).is_err(), "an id is not a slug");
        assert_eq!(
            slug_from("Jialing & Partners (Demo)").as_str(),
            "jialing-partners-demo"
        );
        assert!(slug_from("律所").as_str().starts_with("org-"));
    }

    #[test]
    fn blank_required_text_and_control_characters_are_refused() {
        assert!(text("name_en", "  ", true, 10).is_err());
        assert!(text("name_en", "a\u{0}b", true, 10).is_err());
        assert!(text("name_en", &"x".repeat(11), true, 10).is_err());
    }
}
