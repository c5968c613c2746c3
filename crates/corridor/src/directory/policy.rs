//! Who may change the directory. Every directory handler asks here; nowhere else decides.
//!
//! Reading is public: the directory is the programme's shop window. Programme staff (platform
//! admins, bureau officers) edit everything; an organization's admins edit their own
//! organization, its people, and the links it is a party to.

use super::model::{Organization, OrganizationInput};
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

/// Whether an edit changes an organization's classification: its kind, its country (which
/// decides what the programme reports, and whether a Chinese arbitration institution's staff
/// may edit the knowledge base) or its pilot status.
pub fn reclassifies(current: &Organization, input: &OrganizationInput) -> bool {
    input.kind != current.kind
        || input.jurisdiction != current.jurisdiction
        || input.remote_notarization_pilot != current.remote_notarization_pilot
}

/// Rosters (who may be appointed where) are the programme's to keep.
pub fn can_set_rosters(actor: &Actor) -> bool {
    actor.is_programme_staff()
}

/// Adding a person: rights over their organization, and over rosters if any are given.
pub fn can_add_person(actor: &Actor, organization_id: Option<&str>, rosters: &[String]) -> bool {
    can_edit_person(actor, organization_id) && (rosters.is_empty() || can_set_rosters(actor))
}

/// Changing a person from `(organization, rosters)` to another: rights over the organization
/// they leave and the one they join (moving a person is an edit of both), and over rosters if
/// those change (order does not matter).
pub fn can_change_person(
    actor: &Actor,
    (from_org, from_rosters): (Option<&str>, &[String]),
    (to_org, to_rosters): (Option<&str>, &[String]),
) -> bool {
    let mut before = from_rosters.to_vec();
    before.sort();
    let mut after = to_rosters.to_vec();
    after.sort();
    can_edit_person(actor, from_org)
        && can_edit_person(actor, to_org)
        && (before == after || can_set_rosters(actor))
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
                    organization_kind: String::new(),
                    organization_country: String::new(),
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
    fn moving_a_person_needs_rights_over_both_organizations() {
        let a = actor(None, &[("mine", OrgRole::OrgAdmin)]);
        let none: &[String] = &[];
        assert!(can_change_person(
            &a,
            (Some("mine"), none),
            (Some("mine"), none)
        ));
        assert!(!can_change_person(
            &a,
            (Some("mine"), none),
            (Some("theirs"), none)
        ));
        assert!(!can_change_person(
            &a,
            (Some("theirs"), none),
            (Some("mine"), none)
        ));
        assert!(!can_change_person(&a, (Some("mine"), none), (None, none)));
        let staff = actor(Some(PlatformRole::PlatformAdmin), &[]);
        assert!(can_change_person(
            &staff,
            (Some("a"), none),
            (Some("b"), none)
        ));
    }

    #[test]
    fn rosters_are_for_programme_staff_in_any_order() {
        let a = actor(None, &[("mine", OrgRole::OrgAdmin)]);
        let cqac = vec!["cqac".to_string(), "hkiac".to_string()];
        let reordered = vec!["hkiac".to_string(), "cqac".to_string()];
        assert!(can_change_person(
            &a,
            (Some("mine"), &cqac),
            (Some("mine"), &reordered)
        ));
        assert!(!can_change_person(
            &a,
            (Some("mine"), &cqac),
            (Some("mine"), &[])
        ));
        assert!(can_add_person(&a, Some("mine"), &[]));
        assert!(!can_add_person(&a, Some("mine"), &cqac));
        let staff = actor(Some(PlatformRole::BureauOfficer), &[]);
        assert!(can_add_person(&staff, None, &cqac));
        assert!(can_change_person(&staff, (None, &[]), (None, &cqac)));
    }

    #[test]
    fn either_firm_manages_a_partnership() {
        let a = actor(None, &[("foreign", OrgRole::OrgAdmin)]);
        assert!(can_manage_partnership(&a, "local", "foreign"));
        assert!(!can_manage_partnership(&a, "local", "other"));
    }
}
