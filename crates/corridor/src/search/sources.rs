//! Everything Corridor holds, as search documents: guide sections, cases, organizations and
//! people as their modules hand them out, and country profiles from the jurisdiction data.
//! Search reads no other module's tables.

use chrono::{DateTime, Utc};

use super::doc::{DocKind, SearchDoc};
use crate::Result;
use crate::db::Store;
use crate::directory::search_rows::{OrganizationForSearch, PersonForSearch};
use crate::knowledge::guide;
use crate::knowledge::store::{Guide, StoredCase};

fn tr(key: &str, locale: &str) -> String {
    rust_i18n::t!(key, locale = locale).into_owned()
}

/// "Viet Nam 越南" for the hidden keywords of a document.
fn country_words(codes: &[String]) -> String {
    let reference = crate::reference::Reference::get();
    codes
        .iter()
        .filter_map(|cc| reference.country(cc))
        // "Viet Nam" is also typed "Vietnam": the name without spaces finds it too.
        .map(|c| {
            format!(
                "{} {} {} {}",
                c.name_en,
                c.name_en.replace(' ', ""),
                c.name_zh,
                c.iso2
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A document with the time its row last changed, so the follower knows what it has seen.
pub struct Changed {
    pub doc: SearchDoc,
    pub updated_at: DateTime<Utc>,
}

pub fn guide_docs(g: &Guide) -> Vec<SearchDoc> {
    let sections = match guide::sections(&g.body) {
        Ok(sections) => sections,
        Err(error) => {
            tracing::error!(
                country = %g.country,
                lang = %g.lang,
                ?error,
                "a stored guide cannot be parsed; it is left out of search"
            );
            return Vec::new();
        }
    };
    let lang: &'static str = if g.lang == "en" { "en" } else { "zh" };
    let countries = vec![g.country.clone()];
    let year = g.reviewed.get(..4).and_then(|y| y.parse().ok());
    sections
        .into_iter()
        .map(|s| SearchDoc {
            id: format!("guide:{}:{}:{}", g.country, g.lang, s.id),
            kind: Some(DocKind::Guide),
            url: format!(
                "/guides/{}?lang={}#{}",
                g.country.to_lowercase(),
                g.lang,
                s.id
            ),
            title_en: g.title.clone(),
            title_zh: g.title.clone(),
            heading: s.heading,
            body: guide::plain_text(&s.markdown),
            extra: format!(
                "{} {} {}",
                country_words(&countries),
                tr("search.kind.guide", "en"),
                tr("search.kind.guide", "zh-CN")
            ),
            countries: countries.clone(),
            sectors: Vec::new(),
            langs: vec![lang],
            year,
            demo: false,
        })
        .collect()
}

pub fn case_doc(c: &StoredCase) -> SearchDoc {
    let c = &c.case;
    let mut body = vec![
        c.summary_en.clone(),
        c.summary_zh.clone(),
        c.clause_en.clone(),
        c.clause_zh.clone(),
        c.outcome_en.clone(),
        c.outcome_zh.clone(),
        c.lessons_en.clone(),
        c.lessons_zh.clone(),
    ];
    for p in &c.parties {
        body.push(p.description_en.clone());
        body.push(p.description_zh.clone());
    }
    for e in &c.enforcement {
        body.extend([
            e.court_en.clone(),
            e.court_zh.clone(),
            e.note_en.clone(),
            e.note_zh.clone(),
        ]);
    }
    let countries = c.all_countries();
    let mut extra = vec![
        c.institution.clone(),
        country_words(&countries),
        tr(&format!("sector.{}", c.sector), "en"),
        tr(&format!("sector.{}", c.sector), "zh-CN"),
        tr("search.kind.case", "en"),
        tr("search.kind.case", "zh-CN"),
    ];
    for e in &c.enforcement {
        extra.push(tr(&format!("case.result.{}", e.result), "en"));
        extra.push(tr(&format!("case.result.{}", e.result), "zh-CN"));
    }
    SearchDoc {
        id: format!("case:{}", c.slug),
        kind: Some(DocKind::Case),
        url: format!("/cases/{}", c.slug),
        title_en: c.title_en.clone(),
        title_zh: c.title_zh.clone(),
        heading: String::new(),
        body: body
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join("\n"),
        extra: extra.join(" "),
        countries,
        sectors: vec![c.sector.clone()],
        langs: vec!["zh", "en"],
        year: Some(u64::from(c.year)),
        demo: c.demo,
    }
}

fn org_doc(r: OrganizationForSearch) -> Changed {
    let countries = vec![r.jurisdiction.clone()];
    let reference = crate::reference::Reference::get();
    let area_words: Vec<String> = r
        .practice_areas
        .iter()
        .filter_map(|a| reference.practice_areas.iter().find(|p| &p.code == a))
        .map(|a| format!("{} {}", a.name_en, a.name_zh))
        .collect();
    Changed {
        doc: SearchDoc {
            // By row id, not slug: a slug can change, and the old document must be replaced.
            id: format!("organization:{}", r.id),
            kind: Some(DocKind::Organization),
            url: format!("/organizations/{}", r.slug),
            title_en: r.name_en,
            title_zh: r.name_zh,
            heading: String::new(),
            body: format!("{}\n{}", r.description_en, r.description_zh),
            extra: format!(
                "{} {} {} {} {} {}",
                country_words(&countries),
                r.city_en,
                r.city_zh,
                tr(&format!("kind.{}", r.kind), "en"),
                tr(&format!("kind.{}", r.kind), "zh-CN"),
                area_words.join(" ")
            ),
            countries,
            sectors: Vec::new(),
            langs: vec!["zh", "en"],
            year: None,
            demo: r.is_demo,
        },
        updated_at: r.updated_at,
    }
}

fn person_doc(r: PersonForSearch) -> Changed {
    let countries = vec![r.based_in.clone()];
    Changed {
        doc: SearchDoc {
            id: format!("person:{}", r.id),
            kind: Some(DocKind::Person),
            url: format!("/people/{}", r.slug),
            title_en: r.name_en,
            title_zh: r.name_zh,
            heading: String::new(),
            body: format!("{}\n{}", r.bio_en, r.bio_zh),
            extra: format!(
                "{} {} {} {} {}",
                country_words(&countries),
                tr(&format!("profession.{}", r.profession), "en"),
                tr(&format!("profession.{}", r.profession), "zh-CN"),
                r.org_en.unwrap_or_default(),
                r.org_zh.unwrap_or_default()
            ),
            countries,
            sectors: Vec::new(),
            langs: vec!["zh", "en"],
            year: None,
            demo: r.is_demo,
        },
        updated_at: r.updated_at,
    }
}

/// Database rows changed after `since` (all when `None`), as documents.
pub async fn changed_since(store: &Store, since: Option<DateTime<Utc>>) -> Result<Vec<Changed>> {
    let mut out = Vec::new();
    for g in store.guides_changed_since(since).await? {
        let at = g.updated_at;
        out.extend(guide_docs(&g).into_iter().map(|doc| Changed {
            doc,
            updated_at: at,
        }));
    }
    for c in store.cases_changed_since(since).await? {
        out.push(Changed {
            doc: case_doc(&c),
            updated_at: c.updated_at,
        });
    }
    let (orgs, people) = store.directory_changed_since(since).await?;
    out.extend(orgs.into_iter().map(org_doc));
    out.extend(people.into_iter().map(person_doc));
    Ok(out)
}

/// Country and region profiles from the jurisdiction data (fixed per build).
pub fn country_docs() -> Vec<SearchDoc> {
    let Ok(countries) = crate::jurisdiction::answer::countries() else {
        return Vec::new();
    };
    countries
        .into_iter()
        .filter_map(|c| crate::jurisdiction::answer::country_facts(&c.iso2).ok())
        .map(|f| {
            let mut body: Vec<String> = Vec::new();
            if let Some(p) = &f.profile {
                for s in &p.arbitration_statutes {
                    body.push(format!("{} {}", s.name, s.note));
                }
                for i in &p.institutions {
                    body.push(format!("{} ({}) {}", i.name, i.abbreviation, i.note));
                }
                let e = &p.foreign_award_enforcement;
                body.push(format!(
                    "Foreign awards 外国仲裁裁决: {}; {}; {}",
                    e.competent_court.value, e.time_limit.value, e.legal_basis.value
                ));
                for s in p.special_procedures.iter().chain(&p.pitfalls) {
                    body.push(format!("{} {}", s.en, s.zh));
                }
            }
            if let Some(n) = &f.new_york_convention {
                body.push(format!(
                    "New York Convention 纽约公约: in force {}; {}",
                    n.entry_into_force, n.notes
                ));
            }
            if let Some(a) = &f.apostille {
                body.push(format!(
                    "Apostille Convention 海牙认证公约 (附加证明书): {} {}",
                    a.status, a.status_detail
                ));
            }
            if let Some(t) = &f.treaty_with_china {
                body.push(format!(
                    "{} {} {}",
                    t.instrument, t.instrument_zh, t.coverage_detail
                ));
            }
            let countries = vec![f.iso2.clone()];
            SearchDoc {
                id: format!("country:{}", f.iso2),
                kind: Some(DocKind::Country),
                url: format!("/jurisdictions/{}", f.iso2),
                title_en: f.name_en.clone(),
                title_zh: f.name_zh.clone(),
                heading: String::new(),
                body: body.join("\n"),
                extra: format!(
                    "{} {} {}",
                    country_words(&countries),
                    tr("search.kind.country", "en"),
                    tr("search.kind.country", "zh-CN")
                ),
                countries,
                sectors: Vec::new(),
                langs: vec!["zh", "en"],
                year: None,
                demo: false,
            }
        })
        .collect()
}
