//! A project's legal-service plan (法律服务方案) on paper: every item with why it applies, its
//! legal basis, who does it and when, what closes it and its sources, in the reader's
//! language. The caller fills the struct with text already chosen for the language; the
//! template (`templates/pdf/plan.typ`) lays it out with its own headings in zh-CN and en.

use serde::Serialize;

use super::{Error, Renderer, Template};

const TEMPLATE: Template = Template {
    name: "plan.typ",
    source: include_str!("../../templates/pdf/plan.typ"),
};

#[derive(Clone, Debug, Default, Serialize)]
pub struct PlanDocument {
    /// `"zh-CN"` or `"en"`: the language of the headings. Anything else is English.
    pub locale: String,
    pub generated_at: String,
    pub title: String,
    pub enterprise: String,
    pub country: String,
    pub entry_mode: String,
    pub stage: String,
    /// `USD 50000000.00`, or empty.
    pub value: String,
    pub plan_date: String,
    pub library_version: String,
    pub sections: Vec<PlanSection>,
    pub dispute_clause: Option<Clause>,
    pub china_side: Vec<Labelled>,
    pub questions: Vec<String>,
    pub disclaimer: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct PlanSection {
    pub title: String,
    pub items: Vec<PlanItem>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct PlanItem {
    pub title: String,
    /// The library's English summary (shown as such in the Chinese document).
    pub summary_en: String,
    pub risk: String,
    pub why: Vec<String>,
    pub legal_basis: Vec<String>,
    pub owner: String,
    pub due: String,
    pub evidence: String,
    pub sources: Vec<String>,
    pub verified: bool,
    pub verification_note: String,
    pub obligation: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Clause {
    pub proposed: String,
    pub explanation: String,
    pub fee_note: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Labelled {
    pub label: String,
    pub value: String,
}

/// The plan as a PDF.
pub fn plan(renderer: &Renderer, document: &PlanDocument) -> Result<Vec<u8>, Error> {
    renderer.render(TEMPLATE, document)
}
