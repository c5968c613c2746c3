//! Who may see and do what in a matter. Every matter handler asks here; nowhere else decides.
//!
//! A matter is a closed circle: its participants, plus the staff roles its kind names at the
//! owning organization. To anyone else it does not exist — callers answer 404, never 403, so
//! an outsider cannot even learn that an id is taken. Platform admins run the platform; they
//! are outsiders to matters they are not in.

use super::kind::MatterKind;
use crate::auth::Actor;

/// Where an actor stands in one matter. `None` from [`standing`] means outside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Standing {
    /// The actor's participant role, if they are a participant.
    pub role: Option<String>,
    /// Staff of the owning organization in a role the kind names.
    pub staff: bool,
    pub kind: MatterKind,
}

pub fn standing(
    actor: &Actor,
    kind: MatterKind,
    owner_org_id: &str,
    participant_role: Option<&str>,
) -> Option<Standing> {
    let staff = actor
        .role_in(owner_org_id)
        .is_some_and(|r| kind.rules().staff_roles.contains(&r));
    if participant_role.is_none() && !staff {
        return None;
    }
    Some(Standing {
        role: participant_role.map(str::to_string),
        staff,
        kind,
    })
}

/// Any member of an organization may open a matter it owns.
pub fn can_open(actor: &Actor, owner_org_id: &str) -> bool {
    actor.role_in(owner_org_id).is_some()
}

impl Standing {
    fn has_role_in(&self, roles: &[&str]) -> bool {
        self.role.as_deref().is_some_and(|r| roles.contains(&r))
    }

    /// Invite and remove participants, rename, close and reopen.
    pub fn can_lead(&self) -> bool {
        self.staff || self.has_role_in(self.kind.rules().lead_roles)
    }

    /// File documents, post messages, set tasks and meetings.
    pub fn can_work(&self) -> bool {
        self.staff || self.role.is_some()
    }

    /// A document or message restricted to some roles: those roles, its author, and staff.
    /// An empty list is for everyone in the matter.
    pub fn can_see(&self, visible_to: &[String], author_is_actor: bool) -> bool {
        visible_to.is_empty()
            || author_is_actor
            || self.staff
            || self
                .role
                .as_deref()
                .is_some_and(|r| visible_to.iter().any(|v| v == r))
    }

    /// Moving a task from `from` to `to`: where the kind reviews work before it is done, only
    /// those who lead the matter mark a task `done`; everyone who may edit the task may submit
    /// it for review, send it back, or cancel it.
    pub fn can_set_task_status(&self, from: &str, to: &str) -> bool {
        from == to || to != "done" || !self.kind.rules().review_before_done || self.can_lead()
    }

    /// A task may be changed by whoever leads the matter, its creator, and its assignee
    /// (by person or by role).
    pub fn can_edit_task(
        &self,
        actor_id: &str,
        created_by: &str,
        assignee_user_id: Option<&str>,
        assignee_role: Option<&str>,
    ) -> bool {
        self.can_lead()
            || actor_id == created_by
            || assignee_user_id == Some(actor_id)
            || (assignee_role.is_some() && self.role.as_deref() == assignee_role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{Membership, OrgRole, PlatformRole};

    fn actor(platform: Option<PlatformRole>, memberships: &[(&str, OrgRole)]) -> Actor {
        Actor {
            user_id: "me".into(),
            email: "me@x.example".into(),
            name: "Me".into(),
            platform_role: platform,
            memberships: memberships
                .iter()
                .map(|(org, role)| Membership {
                    organization_id: org.to_string(),
                    slug: org.to_string(),
                    name_en: String::new(),
                    name_zh: String::new(),
                    role: *role,
                    organization_kind: String::new(),
                    organization_country: String::new(),
                })
                .collect(),
            csrf_token: None,
        }
    }

    const G: MatterKind = MatterKind::General;

    #[test]
    fn outsiders_have_no_standing_and_platform_admins_are_outsiders() {
        let admin = actor(Some(PlatformRole::PlatformAdmin), &[]);
        assert_eq!(standing(&admin, G, "firm", None), None);
        let lawyer_elsewhere = actor(None, &[("other", OrgRole::OrgAdmin)]);
        assert_eq!(standing(&lawyer_elsewhere, G, "firm", None), None);
    }

    #[test]
    fn the_kinds_staff_roles_at_the_owner_see_without_joining() {
        let org_admin = actor(None, &[("firm", OrgRole::OrgAdmin)]);
        let s = standing(&org_admin, G, "firm", None).unwrap();
        assert!(s.staff && s.can_lead() && s.can_work());
        let lawyer = actor(None, &[("firm", OrgRole::Lawyer)]);
        assert_eq!(standing(&lawyer, G, "firm", None), None);
    }

    #[test]
    fn owners_lead_and_members_work() {
        let a = actor(None, &[]);
        let owner = standing(&a, G, "firm", Some("owner")).unwrap();
        let member = standing(&a, G, "firm", Some("member")).unwrap();
        assert!(owner.can_lead());
        assert!(!member.can_lead() && member.can_work());
    }

    #[test]
    fn restricted_items_are_for_their_roles_their_author_and_staff() {
        let a = actor(None, &[]);
        let member = standing(&a, G, "firm", Some("member")).unwrap();
        let owners_only = vec!["owner".to_string()];
        assert!(!member.can_see(&owners_only, false));
        assert!(member.can_see(&owners_only, true));
        assert!(member.can_see(&[], false));
        let owner = standing(&a, G, "firm", Some("owner")).unwrap();
        assert!(owner.can_see(&owners_only, false));
    }

    #[test]
    fn tasks_are_edited_by_leads_creators_and_assignees() {
        let a = actor(None, &[]);
        let member = standing(&a, G, "firm", Some("member")).unwrap();
        assert!(member.can_edit_task("me", "someone", Some("me"), None));
        assert!(member.can_edit_task("me", "me", None, None));
        assert!(member.can_edit_task("me", "someone", None, Some("member")));
        assert!(!member.can_edit_task("me", "someone", Some("you"), None));
        assert!(!member.can_edit_task("me", "someone", None, Some("owner")));
    }

    #[test]
    fn only_members_of_an_organization_open_matters_for_it() {
        let a = actor(None, &[("firm", OrgRole::Lawyer)]);
        assert!(can_open(&a, "firm"));
        assert!(!can_open(&a, "other"));
        assert!(!can_open(
            &actor(Some(PlatformRole::PlatformAdmin), &[]),
            "firm"
        ));
    }

    #[test]
    fn where_work_is_reviewed_only_those_who_lead_sign_a_task_off() {
        let as_role = |kind, role: &str| Standing {
            role: Some(role.into()),
            staff: false,
            kind,
        };
        let counsel = as_role(MatterKind::AdvisoryEngagement, "counsel");
        let lead = as_role(MatterKind::AdvisoryEngagement, "counsel_lead");
        assert!(counsel.can_set_task_status("open", "in_review"));
        assert!(!counsel.can_set_task_status("in_review", "done"));
        assert!(!counsel.can_set_task_status("open", "done"));
        assert!(counsel.can_set_task_status("done", "done"), "not a move");
        assert!(lead.can_set_task_status("in_review", "done"));
        assert!(lead.can_set_task_status("in_review", "open"));
        let member = as_role(MatterKind::General, "member");
        assert!(
            member.can_set_task_status("open", "done"),
            "a general matter has no review"
        );
    }
}
