//! Who may do what with the roster. The roster's public face (profile, panels, fee basis,
//! availability status, seats held, recommendations) is readable by anyone, like the directory.
//! An arbitrator's appointment history, disclosures and blocked days are the working papers of
//! the panels that list them: their keepers are programme staff and the secretariat (case
//! secretaries and administrators) of an institution whose panel lists the arbitrator or to
//! which they were recommended.

use crate::auth::{Actor, OrgRole};

/// The secretariat of `institution_id`: its administrators and case secretaries.
pub fn is_secretariat(actor: &Actor, institution_id: &str) -> bool {
    matches!(
        actor.role_in(institution_id),
        Some(OrgRole::OrgAdmin | OrgRole::CaseSecretary)
    )
}

/// Keeps the panel entry of an arbitrator listed by (or recommended to) `institutions` (slugs).
pub fn keeps(actor: &Actor, institutions: &[&str]) -> bool {
    actor.is_programme_staff()
        || actor.memberships.iter().any(|m| {
            matches!(m.role, OrgRole::OrgAdmin | OrgRole::CaseSecretary)
                && institutions.contains(&m.slug.as_str())
        })
}

/// The profile is kept by the panel's keepers, and by whoever may edit the person in the
/// directory (their own organization's administrators).
pub fn can_edit_profile(
    actor: &Actor,
    institutions: &[&str],
    organization_id: Option<&str>,
) -> bool {
    keeps(actor, institutions) || crate::directory::policy::can_edit_person(actor, organization_id)
}

/// A recommendation under an agreement is recorded (or withdrawn) by either institution's
/// secretariat, or by programme staff.
pub fn can_recommend(actor: &Actor, institution_id: &str, recommended_by_id: &str) -> bool {
    actor.is_programme_staff()
        || is_secretariat(actor, institution_id)
        || is_secretariat(actor, recommended_by_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{Membership, PlatformRole};

    fn actor(memberships: &[(&str, OrgRole)], platform: Option<PlatformRole>) -> Actor {
        Actor {
            user_id: "u".into(),
            email: "u@example.test".into(),
            name: "U".into(),
            platform_role: platform,
            memberships: memberships
                .iter()
                .map(|(slug, role)| Membership {
                    organization_id: format!("id-{slug}"),
                    slug: (*slug).to_owned(),
                    name_en: String::new(),
                    name_zh: String::new(),
                    role: *role,
                    organization_kind: "arbitration_institution".into(),
                    organization_country: "CN".into(),
                })
                .collect(),
            csrf_token: None,
        }
    }

    #[test]
    fn the_panels_secretariat_and_programme_staff_keep_an_entry() {
        let panels = ["cqac"];
        assert!(keeps(
            &actor(&[("cqac", OrgRole::CaseSecretary)], None),
            &panels
        ));
        assert!(keeps(&actor(&[("cqac", OrgRole::OrgAdmin)], None), &panels));
        assert!(keeps(
            &actor(&[], Some(PlatformRole::BureauOfficer)),
            &panels
        ));
        // An arbitrator on the same panel, or another institution's secretary, does not.
        assert!(!keeps(
            &actor(&[("cqac", OrgRole::Arbitrator)], None),
            &panels
        ));
        assert!(!keeps(
            &actor(&[("siac", OrgRole::CaseSecretary)], None),
            &panels
        ));
        assert!(!keeps(
            &actor(&[("cqac", OrgRole::CaseSecretary)], None),
            &[]
        ));
    }

    #[test]
    fn the_arbitrators_own_firm_may_edit_the_profile_too() {
        let firm = actor(&[("firm", OrgRole::OrgAdmin)], None);
        assert!(can_edit_profile(&firm, &[], Some("id-firm")));
        assert!(!can_edit_profile(&firm, &[], Some("id-other")));
        assert!(!can_edit_profile(&firm, &[], None));
    }

    #[test]
    fn either_institutions_secretariat_records_a_recommendation() {
        let by = actor(&[("lion", OrgRole::CaseSecretary)], None);
        assert!(can_recommend(&by, "id-cqac", "id-lion"));
        assert!(can_recommend(&by, "id-lion", "id-cqac"));
        assert!(!can_recommend(&by, "id-cqac", "id-other"));
        let lawyer = actor(&[("lion", OrgRole::Lawyer)], None);
        assert!(!can_recommend(&lawyer, "id-cqac", "id-lion"));
    }
}
