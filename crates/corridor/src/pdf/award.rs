//! An arbitral award on paper (裁决书): the case, the parties, the tribunal, the reasons and the
//! decision, the signatures, in the language of the arbitration (headings in zh-CN or en). The
//! caller fills the struct; the template is `templates/pdf/award.typ`.

use serde::Serialize;

use super::{Error, Renderer, Template};

const TEMPLATE: Template = Template {
    name: "award.typ",
    source: include_str!("../../templates/pdf/award.typ"),
};

#[derive(Clone, Debug, Default, Serialize)]
pub struct AwardDocument {
    /// `"zh-CN"` or `"en"`: the language of the headings. Anything else is English.
    pub locale: String,
    pub institution: String,
    pub reference: String,
    pub claimant: String,
    pub respondent: String,
    pub seat: String,
    pub rules: String,
    /// Each member: `Name (role)`.
    pub tribunal: Vec<String>,
    pub reasons: String,
    pub operative: String,
    /// Each signature: `Name, YYYY-MM-DD HH:MM UTC`.
    pub signatures: Vec<String>,
    pub issued: String,
}

/// The award as a PDF.
pub fn award(renderer: &Renderer, document: &AwardDocument) -> Result<Vec<u8>, Error> {
    renderer.render(TEMPLATE, document)
}
