//! The matter summary (事项摘要): one A4 report of a matter's participants, documents, tasks,
//! meetings and timeline, for a client's file or a hand-over. The caller fills the struct —
//! labels already translated, times already formatted in the reader's zone — and the
//! template only lays it out; its own headings come in zh-CN and en.

use serde::Serialize;

use super::{Error, Renderer, Template};

const TEMPLATE: Template = Template {
    name: "matter_summary.typ",
    source: include_str!("../../templates/pdf/matter_summary.typ"),
};

#[derive(Clone, Debug, Default, Serialize)]
pub struct MatterSummary {
    /// `"zh-CN"` or `"en"`: the language of the template's headings. Anything else is English.
    pub locale: String,
    /// When the summary was made, formatted for the reader, e.g. `2026-12-04 18:30 (UTC+8)`.
    pub generated_at: String,
    /// The matter's reference, e.g. `CQAC-2026-0007`.
    pub reference: String,
    pub title: String,
    /// The matter's kind and status, already translated.
    pub kind: String,
    pub status: String,
    /// The organization responsible for the matter.
    pub owner: String,
    pub participants: Vec<Participant>,
    pub documents: Vec<Document>,
    pub tasks: Vec<Task>,
    pub meetings: Vec<Meeting>,
    pub timeline: Vec<TimelineEntry>,
    /// The tamper-evident log the matter's records are anchored in, if any.
    pub ledger: Option<LedgerInfo>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Participant {
    pub name: String,
    pub organization: String,
    /// The participant's role in the matter, already translated.
    pub role: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Document {
    pub name: String,
    pub version: u32,
    /// Lowercase hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// Bytes.
    pub size: u64,
    pub filed_at: String,
    pub filed_by: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Task {
    pub title: String,
    pub assignee: String,
    /// Empty when the task has no due date.
    pub due: String,
    pub status: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Meeting {
    pub title: String,
    /// The start, formatted in the meeting's zone.
    pub starts: String,
    /// An IANA zone name, e.g. `Asia/Bangkok`.
    pub time_zone: String,
    /// A room, an address or "video".
    pub location: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct TimelineEntry {
    pub at: String,
    pub text: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct LedgerInfo {
    /// The log's origin line, e.g. `corridor.localhost/ledger/2026`.
    pub origin: String,
    /// The log's verification key, for `corridor verify receipt --vkey`.
    pub vkey: String,
}

/// The summary as a PDF.
pub fn matter_summary(renderer: &Renderer, summary: &MatterSummary) -> Result<Vec<u8>, Error> {
    renderer.render(TEMPLATE, summary)
}
