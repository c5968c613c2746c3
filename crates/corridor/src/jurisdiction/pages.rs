//! Jurisdiction pages: the index (`/jurisdictions`), a country profile with every fact, its
//! source and verified flag (`/jurisdictions/{cc}`), and one form per question that answers in
//! words (`/jurisdictions/awards`, `/judgments`, `/documents`). GET forms: nothing changes.

use askama::Template;
use axum::response::Html;
use axum::routing::get;

use super::answer::{self, CountryFacts, CountrySummary, SourcePart, source_parts};
use super::facts::Statement;
use super::profile::ProfileFact;
use crate::Result;
use crate::web::extract::Path;
use crate::web::{PageCtx, render};

use super::pages_ask::{ask_award, ask_document, ask_judgment};

/// This module's pages and forms.
pub fn router() -> axum::Router<crate::state::AppState> {
    axum::Router::new()
        .route("/jurisdictions", get(index))
        .route("/jurisdictions/awards", get(ask_award))
        .route("/jurisdictions/judgments", get(ask_judgment))
        .route("/jurisdictions/documents", get(ask_document))
        .route("/jurisdictions/{cc}", get(country))
}

/// One fact as shown: what, its value, where it comes from, whether that is confirmed.
pub struct Fact {
    pub label: String,
    pub value: String,
    pub sources: Vec<SourcePart>,
    pub verified: bool,
}

impl Fact {
    pub(super) fn new(
        label: String,
        value: impl Into<String>,
        source: &str,
        verified: bool,
    ) -> Self {
        Fact {
            label,
            value: value.into(),
            sources: source_parts(source),
            verified,
        }
    }

    pub(super) fn statement(ctx: &PageCtx, label: String, s: &Statement) -> Self {
        Fact::new(label, ctx.pick(&s.zh, &s.en), &s.source, s.verified)
    }

    pub(super) fn profile<T>(label: String, f: &ProfileFact<T>, value: String) -> Self {
        Fact::new(label, value, &f.source, f.verified)
    }
}

pub struct Section {
    pub id: &'static str,
    pub title: String,
    pub facts: Vec<Fact>,
}

#[derive(Template)]
#[template(path = "jurisdiction/index.html")]
struct IndexPage {
    ctx: PageCtx,
    countries: Vec<CountrySummary>,
}

impl IndexPage {
    fn name(&self, c: &CountrySummary) -> String {
        self.ctx.pick(&c.name_zh, &c.name_en).to_owned()
    }
}

async fn index(ctx: PageCtx) -> Result<Html<String>> {
    render(IndexPage {
        ctx,
        countries: answer::countries()?,
    })
}

#[derive(Template)]
#[template(path = "jurisdiction/country.html")]
struct CountryPage {
    ctx: PageCtx,
    name: String,
    other_name: String,
    iso2: String,
    asean_member: bool,
    sections: Vec<Section>,
}

async fn country(ctx: PageCtx, Path(cc): Path<String>) -> Result<Html<String>> {
    let facts = answer::country_facts(&cc)?;
    let sections = sections(&ctx, &facts);
    render(CountryPage {
        name: ctx.pick(&facts.name_zh, &facts.name_en).to_owned(),
        other_name: ctx.pick(&facts.name_en, &facts.name_zh).to_owned(),
        iso2: facts.iso2.clone(),
        asean_member: facts.asean_member,
        sections,
        ctx,
    })
}

fn sections(ctx: &PageCtx, f: &CountryFacts) -> Vec<Section> {
    let t = |k: &str| ctx.t(&format!("jurisdiction.{k}"));
    let none = |label: String, file: &str| {
        Fact::new(
            label,
            t("no_data"),
            &format!("data/jurisdiction/{file}"),
            true,
        )
    };
    let mut out = Vec::new();
    if let Some(p) = &f.profile {
        let mut overview = vec![Fact::profile(
            t("fact.asean_member"),
            &p.asean_member,
            format!(
                "{}{}",
                if p.asean_member.value {
                    t("say_yes")
                } else {
                    t("say_no")
                },
                if p.asean_member_note.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", p.asean_member_note)
                }
            ),
        )];
        overview.push(Fact::profile(
            t("fact.official_languages"),
            &p.official_languages,
            p.official_languages
                .value
                .iter()
                .map(|l| format!("{} ({})", l.name, l.bcp47))
                .collect::<Vec<_>>()
                .join(", "),
        ));
        out.push(Section {
            id: "overview",
            title: t("section.overview"),
            facts: overview,
        });
        out.push(Section {
            id: "statutes",
            title: t("section.statutes"),
            facts: p
                .arbitration_statutes
                .iter()
                .map(|s| {
                    let year = s.year.map(|y| format!(" ({y})")).unwrap_or_default();
                    Fact::new(
                        format!("{}{year}", s.name),
                        format!(
                            "{}; {}: {}{}",
                            s.scope,
                            t("fact.model_law"),
                            s.model_law,
                            if s.note.is_empty() {
                                String::new()
                            } else {
                                format!(". {}", s.note)
                            }
                        ),
                        &s.source,
                        s.verified,
                    )
                })
                .collect(),
        });
        out.push(Section {
            id: "institutions",
            title: t("section.institutions"),
            facts: p
                .institutions
                .iter()
                .map(|i| {
                    Fact::new(
                        if i.abbreviation.is_empty() {
                            i.name.clone()
                        } else {
                            format!("{} ({})", i.name, i.abbreviation)
                        },
                        i.note.clone(),
                        &i.source,
                        i.verified,
                    )
                })
                .collect(),
        });
        let e = &p.foreign_award_enforcement;
        let mut enforcement = vec![
            Fact::profile(
                t("fact.competent_court"),
                &e.competent_court,
                e.competent_court.value.clone(),
            ),
            Fact::profile(
                t("fact.time_limit"),
                &e.time_limit,
                e.time_limit.value.clone(),
            ),
            Fact::profile(
                t("fact.legal_basis"),
                &e.legal_basis,
                e.legal_basis.value.clone(),
            ),
        ];
        enforcement.extend(
            p.special_procedures
                .iter()
                .map(|s| Fact::statement(ctx, t("fact.special_procedure"), &s.statement())),
        );
        enforcement.extend(
            p.pitfalls
                .iter()
                .map(|s| Fact::statement(ctx, t("fact.pitfall"), &s.statement())),
        );
        out.push(Section {
            id: "enforcement",
            title: t("section.enforcement"),
            facts: enforcement,
        });
    }
    let nyc = match &f.new_york_convention {
        Some(r) => Fact::new(
            t("fact.nyc"),
            format!(
                "{}: {}; {}: {}; {}: {}; {}: {} ({}); {}: {}{}{}",
                t("fact.action"),
                r.action,
                t("fact.deposit"),
                r.deposit_date,
                t("fact.entry_into_force"),
                r.entry_into_force,
                t("fact.reciprocity_reservation"),
                r.reciprocity_reservation,
                r.reciprocity_scope,
                t("fact.commercial_reservation"),
                r.commercial_reservation,
                if r.extension_of.is_empty() {
                    String::new()
                } else {
                    format!("; {}: {}", t("fact.extension_of"), r.extension_of)
                },
                if r.notes.is_empty() {
                    String::new()
                } else {
                    format!(". {}", r.notes)
                },
            ),
            &r.source,
            r.verified,
        ),
        None => none(t("fact.nyc"), "new_york_convention.csv"),
    };
    let apostille = match &f.apostille {
        Some(r) => Fact::new(
            t("fact.apostille"),
            format!(
                "{}; {}: {}; {}: {}{}{}",
                r.status_detail,
                t("fact.deposit"),
                r.deposit_date,
                t("fact.entry_into_force"),
                r.entry_into_force,
                if r.objections.is_empty() {
                    String::new()
                } else {
                    format!("; {}", r.objections)
                },
                if r.notes.is_empty() {
                    String::new()
                } else {
                    format!(". {}", r.notes)
                },
            ),
            &r.source,
            r.verified,
        ),
        None => none(t("fact.apostille"), "apostille.csv"),
    };
    let mut conventions = vec![nyc, apostille];
    conventions.extend(f.apostille_objections.iter().map(|o| {
        Fact::new(
            t("fact.objection"),
            format!(
                "{} → {} ({}): {}. {}",
                o.objecting_state, o.against_state, o.objection_date, o.status, o.notes
            ),
            &o.source,
            o.verified,
        )
    }));
    out.push(Section {
        id: "conventions",
        title: t("section.conventions"),
        facts: conventions,
    });
    let mut china = Vec::new();
    if let Some(tr) = &f.treaty_with_china {
        china.push(Fact::new(
            ctx.pick(&tr.instrument_zh, &tr.instrument).to_owned(),
            format!(
                "{}: {}; {}: {}; {}",
                t("fact.signed"),
                tr.signed,
                t("fact.entry_into_force"),
                tr.entry_into_force,
                tr.coverage_detail
            ),
            &tr.source,
            tr.verified,
        ));
    }
    china.extend(f.arrangements.iter().map(|a| {
        Fact::new(
            ctx.pick(&a.instrument_zh, &a.instrument).to_owned(),
            format!(
                "{}: {}; {}: {}. {}",
                t("fact.signed"),
                a.signed,
                t("fact.effective"),
                a.effective,
                a.scope
            ),
            &a.source,
            a.verified,
        )
    }));
    if f.iso2 != "CN" && china.is_empty() {
        china.push(none(t("fact.treaty"), "bilateral_treaties.csv"));
    }
    if !china.is_empty() {
        out.push(Section {
            id: "china",
            title: t("section.china"),
            facts: china,
        });
    }
    out.retain(|s| !s.facts.is_empty());
    out
}
