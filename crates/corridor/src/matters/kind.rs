//! Kinds of matter and the roles each declares. `general` is built here; the arbitration,
//! notary and advisory modules add their kinds (with their own roles) to this list.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::OrgRole;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatterKind {
    /// A workspace any member of an organization may open: roles `owner` and `member`.
    General,
    /// A law firm working an enterprise's legal-service plan (issue 12): opened when the firm
    /// accepts the enterprise's referral, never directly.
    AdvisoryEngagement,
    /// An arbitration case at an institution (issue 10): opened when a party or its counsel
    /// files, run by the institution's case secretaries; parties, counsel and the tribunal are
    /// its participants.
    ArbitrationCase,
    /// An application for notarization at a notary office (issue 11): opened when the
    /// applicant applies, run by the office's notaries; the applicant and the notary in charge
    /// are its participants.
    Notarization,
    /// An evidence file at a notary office (issue 11): test purchases, on-site enforcement and
    /// web captures with their chain of custody, opened by a notary; a Hong Kong partner notary
    /// or attesting officer may join one file with a scoped role.
    Evidence,
}

/// What a kind says about its matters.
#[derive(Debug)]
pub struct KindRules {
    /// Participant roles, in the order pages offer them.
    pub roles: &'static [&'static str],
    /// Roles that run the matter: invite and remove participants, close and reopen it.
    pub lead_roles: &'static [&'static str],
    /// Roles at the owning organization that see and run every matter of this kind there,
    /// without being participants (e.g. case secretaries for arbitration cases).
    pub staff_roles: &'static [OrgRole],
    /// What a filed document may be (its role in the matter, anchored in the ledger).
    pub document_roles: &'static [&'static str],
    /// Kinds of meeting.
    pub meeting_kinds: &'static [&'static str],
    /// The role of whoever opens the matter.
    pub opener_role: &'static str,
    /// Opened by its own workflow (a referral accepted, a case filed), not by `POST /matters`.
    pub opened_by_workflow: bool,
    /// A task's work is reviewed before it is done: whoever does it submits it (`in_review`),
    /// and only those who lead the matter mark it `done` (an engagement's lead counsel signs
    /// off the plan item).
    pub review_before_done: bool,
    /// Content is sealed with a key of the matter's own ([`super::seal`]), so that destroying
    /// the key at the end of retention destroys it (notarial files: recordings, identity
    /// documents, evidence).
    pub sealed: bool,
    /// Roles only a member of the owning organization may be given, with the organization
    /// roles that qualify (empty: any membership): a notarization's notary is one of the
    /// office's notaries. An outsider named to one would see the matter while its workflow
    /// lets them act for no one.
    pub office_roles: &'static [(&'static str, &'static [OrgRole])],
    /// Roles only the workflow gives (the applicant of an application), never by adding a
    /// participant.
    pub workflow_roles: &'static [&'static str],
    /// Open and closed are the workflow's to set (an evidence file is closed by its office,
    /// which starts its retention), not a participant's edit; a closed matter takes no uploads.
    pub status_by_workflow: bool,
}

/// A task's states. `in_review` is work submitted for sign-off; it still counts as open in
/// the due-soon and overdue views.
pub const TASK_STATUSES: &[&str] = &["open", "in_review", "done", "cancelled"];

/// The states in which a task is still to be finished.
pub const TASK_UNFINISHED: &[&str] = &["open", "in_review"];

const GENERAL: KindRules = KindRules {
    roles: &["owner", "member"],
    lead_roles: &["owner"],
    staff_roles: &[OrgRole::OrgAdmin],
    document_roles: &[
        "document",
        "evidence",
        "contract",
        "correspondence",
        "minutes",
        "other",
    ],
    meeting_kinds: &["meeting", "hearing", "notarization_session"],
    opener_role: "owner",
    opened_by_workflow: false,
    review_before_done: false,
    sealed: false,
    office_roles: &[],
    workflow_roles: &[],
    status_by_workflow: false,
};

/// The firm's lawyers (`counsel_lead` runs it) and the enterprise's people (`client`); the
/// firm's admins see every engagement of the firm.
const ADVISORY_ENGAGEMENT: KindRules = KindRules {
    roles: &["counsel_lead", "counsel", "client"],
    lead_roles: &["counsel_lead"],
    staff_roles: &[OrgRole::OrgAdmin],
    document_roles: &[
        "document",
        "evidence",
        "contract",
        "correspondence",
        "minutes",
        "legal_opinion",
        "other",
    ],
    meeting_kinds: &["meeting"],
    opener_role: "counsel_lead",
    opened_by_workflow: true,
    review_before_done: true,
    sealed: false,
    office_roles: &[],
    workflow_roles: &[],
    status_by_workflow: false,
};

/// The parties and their counsel, the tribunal; the institution's case secretaries (and its
/// administrators) run every case there without joining it. No participant leads: parties
/// cannot add or remove anyone; the secretariat does.
const ARBITRATION_CASE: KindRules = KindRules {
    roles: &[
        "claimant",
        "claimant_counsel",
        "respondent",
        "respondent_counsel",
        "arbitrator",
        "presiding_arbitrator",
    ],
    lead_roles: &[],
    staff_roles: &[OrgRole::CaseSecretary, OrgRole::OrgAdmin],
    document_roles: &[
        "request_for_arbitration",
        "answer",
        "statement_of_claim",
        "statement_of_defence",
        "evidence",
        "procedural_order",
        "award",
        "correspondence",
        "other",
    ],
    meeting_kinds: &["hearing", "case_management_conference"],
    opener_role: "claimant_counsel",
    opened_by_workflow: true,
    review_before_done: false,
    sealed: false,
    office_roles: &[],
    workflow_roles: &[],
    status_by_workflow: false,
};

/// The applicant and the notary in charge; every notary of the office (and its administrators)
/// sees and runs the office's applications without joining them.
const NOTARIZATION: KindRules = KindRules {
    roles: &["applicant", "notary"],
    lead_roles: &["notary"],
    staff_roles: &[OrgRole::Notary, OrgRole::OrgAdmin],
    document_roles: &[
        "identity_document",
        "residence_proof",
        "material",
        "signed_document",
        "recording",
        "qa_record",
        "certificate",
        "correspondence",
        "other",
    ],
    meeting_kinds: &["notarization_session"],
    opener_role: "applicant",
    opened_by_workflow: true,
    review_before_done: false,
    sealed: true,
    office_roles: &[("notary", &[OrgRole::Notary])],
    workflow_roles: &["applicant"],
    status_by_workflow: false,
};

/// The office's notaries and assistants, the client whose rights are enforced, and a partner
/// in Hong Kong; the office's notaries (and administrators) see every file there.
const EVIDENCE: KindRules = KindRules {
    roles: &["notary", "assistant", "client", "hk_partner"],
    lead_roles: &["notary"],
    staff_roles: &[OrgRole::Notary, OrgRole::OrgAdmin],
    document_roles: &[
        "photo",
        "purchase_receipt",
        "screenshot",
        "dom",
        "har",
        "capture_manifest",
        "evidence",
        "custody_record",
        "bundle",
        "correspondence",
        "other",
    ],
    meeting_kinds: &["meeting"],
    opener_role: "notary",
    opened_by_workflow: true,
    review_before_done: false,
    sealed: true,
    office_roles: &[("notary", &[OrgRole::Notary]), ("assistant", &[])],
    workflow_roles: &[],
    status_by_workflow: true,
};

pub const STATUSES: &[&str] = &["open", "closed"];

impl MatterKind {
    pub const ALL: &'static [MatterKind] = &[
        MatterKind::General,
        MatterKind::AdvisoryEngagement,
        MatterKind::ArbitrationCase,
        MatterKind::Notarization,
        MatterKind::Evidence,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MatterKind::General => "general",
            MatterKind::AdvisoryEngagement => "advisory_engagement",
            MatterKind::ArbitrationCase => "arbitration_case",
            MatterKind::Notarization => "notarization",
            MatterKind::Evidence => "evidence",
        }
    }

    /// `None` names the kinds this build does not have, so callers can say which one.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.as_str() == text)
    }

    pub fn rules(self) -> &'static KindRules {
        match self {
            MatterKind::General => &GENERAL,
            MatterKind::AdvisoryEngagement => &ADVISORY_ENGAGEMENT,
            MatterKind::ArbitrationCase => &ARBITRATION_CASE,
            MatterKind::Notarization => &NOTARIZATION,
            MatterKind::Evidence => &EVIDENCE,
        }
    }

    pub fn has_role(self, role: &str) -> bool {
        self.rules().roles.contains(&role)
    }
}

impl std::fmt::Display for MatterKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of participant roles kept as one space-separated column (`visible_to`, `to_roles`);
/// empty means everyone in the matter.
pub fn parse_roles(kind: MatterKind, field: &str, text: &str) -> crate::Result<Vec<String>> {
    let mut roles: Vec<String> = Vec::new();
    for role in text.split([' ', ',']).filter(|r| !r.is_empty()) {
        if !kind.has_role(role) {
            return Err(crate::AppError::invalid(field, "unknown_role"));
        }
        if !roles.iter().any(|r| r == role) {
            roles.push(role.to_string());
        }
    }
    Ok(roles)
}

pub fn join_roles(roles: &[String]) -> String {
    roles.join(" ")
}

pub fn split_roles(text: &str) -> Vec<String> {
    text.split(' ')
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_unknown_kinds_are_none() {
        for kind in MatterKind::ALL {
            assert_eq!(MatterKind::parse(kind.as_str()), Some(*kind));
        }
        assert_eq!(MatterKind::parse("arbitration_cas"), None);
        assert_eq!(
            MatterKind::parse("arbitration_case"),
            Some(MatterKind::ArbitrationCase)
        );
    }

    #[test]
    fn every_kind_opens_with_a_lead_role_it_declares() {
        for kind in MatterKind::ALL {
            let rules = kind.rules();
            assert!(rules.roles.contains(&rules.opener_role));
            // Someone runs every matter: its opener, or (a workflow's kind) the owner's staff.
            assert!(
                rules.lead_roles.contains(&rules.opener_role)
                    || (rules.opened_by_workflow && !rules.staff_roles.is_empty())
            );
            assert!(rules.lead_roles.iter().all(|r| rules.roles.contains(r)));
        }
    }

    #[test]
    fn role_sets_refuse_roles_the_kind_does_not_have() {
        let roles = parse_roles(MatterKind::General, "visible_to", "owner, owner member").unwrap();
        assert_eq!(roles, vec!["owner".to_string(), "member".to_string()]);
        assert!(parse_roles(MatterKind::General, "visible_to", "tribunal").is_err());
        assert!(
            parse_roles(MatterKind::General, "visible_to", "")
                .unwrap()
                .is_empty()
        );
    }
}
