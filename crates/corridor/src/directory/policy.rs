//! Who may change the directory. Every directory handler asks here; nowhere else decides.
//!
//! Reading is public: the directory is the programme's shop window. Programme staff (platform
//! admins, bureau officers) edit everything; an organization's admins edit their own
//! organization, its people, and the links it is a party to.

use crate::auth::{Actor, OrgRole};

pub fn can_create_organization(actor: &Actor) -> bool {
    actor.is_programme_staff()
}

pub fn can_edit_organization(actor: &Actor, organization_id: &str) -> bool {
    actor.is_programme_staff() || actor.role_in(organization_id) == Some(OrgRole::OrgAdmin)
}

/// Changing an organization's kind, country or pilot status changes what the programme reports
/// (and who may edit the knowledge base), so only programme staff may.
pub fn can_change_classification(actor: &Actor) -> bool {
    actor.is_programme_staff()
}

/// People belong to their organization; people without one are edited by programme staff.
pub fn can_edit_person(actor: &Actor, organization_id: Option<&str>) -> bool {
    actor.is_programme_staff()
        || organization_id.is_some_and(|org| can_edit_organization(actor, org))
}

/// A partnership may be recorded or ended by either firm.
pub fn can_manage_partnership(actor: &Actor, local_firm_id: &str, foreign_firm_id: &str) -> bool {
    can_edit_organization(actor, local_firm_id) || can_edit_organization(actor, foreign_firm_id)
}

/// An agreement is the institution's record; the counterpart abroad may also keep it current.
pub fn can_manage_agreement(actor: &Actor, institution_id: &str, counterpart_id: &str) -> bool {
    can_edit_organization(actor, institution_id) || can_edit_organization(actor, counterpart_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{Membership, PlatformRole};

    fn actor(platform: Option<PlatformRole>, memberships: &[(&str, OrgRole)]) -> Actor {
        Actor {
            user_id: "u".into(),
            email: "u@x.example".into(),
            name: "U".into(),
            platform_role: platform,
            memberships: memberships
                .iter()
                .map(|(org, role)| Membership {
                    organization_id: org.to_string(),
                    slug: org.to_string(),
                    name_en: String::new(),
                    name_zh: String::new(),
                    role: *role,
                })
                .collect(),
            csrf_token: None,
        }
    }

    #[test]
    fn org_admins_edit_their_own_organization_only() {
        let a = actor(None, &[("mine", OrgRole::OrgAdmin)]);
        assert!(can_edit_organization(&a, "mine"));
        assert!(!can_edit_organization(&a, "theirs"));
        assert!(!can_create_organization(&a));
        assert!(!can_change_classification(&a));
    }

    #[test]
    fn lawyers_do_not_edit_their_firm() {
        let a = actor(None, &[("mine", OrgRole::Lawyer)]);
        assert!(!can_edit_organization(&a, "mine"));
        assert!(!can_edit_person(&a, Some("mine")));
    }

    #[test]
    fn programme_staff_edit_everything() {
        for role in PlatformRole::ALL {
            let a = actor(Some(*role), &[]);
            assert!(can_edit_organization(&a, "any"));
            assert!(can_create_organization(&a));
            assert!(can_edit_person(&a, None));
        }
    }

    #[test]
    fn either_firm_manages_a_partnership() {
        let a = actor(None, &[("foreign", OrgRole::OrgAdmin)]);
        assert!(can_manage_partnership(&a, "local", "foreign"));
        assert!(!can_manage_partnership(&a, "local", "other"));
    }
}
