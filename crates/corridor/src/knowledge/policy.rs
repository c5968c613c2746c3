//! Who may edit the knowledge base. Guides and cases are the commission's publication, kept
//! with the bureau: programme staff, and the admins and case secretaries of a Chinese
//! arbitration institution, may edit them. Pure: the organization's kind and country come with
//! the actor's memberships (loaded at sign-in).

use crate::auth::{Actor, OrgRole};
use crate::directory::model::OrgKind;

pub fn can_edit_knowledge(actor: &Actor) -> bool {
    actor.is_programme_staff()
        || actor.memberships.iter().any(|m| {
            matches!(m.role, OrgRole::OrgAdmin | OrgRole::CaseSecretary)
                && m.organization_kind == OrgKind::ArbitrationInstitution.as_str()
                && m.organization_country == "CN"
        })
}

/// [`can_edit_knowledge`], as a 403 for the handlers that change guides or cases.
pub fn require_editor(actor: &Actor) -> crate::Result<()> {
    if can_edit_knowledge(actor) {
        Ok(())
    } else {
        Err(crate::AppError::Forbidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{Membership, PlatformRole};

    fn actor(platform: Option<PlatformRole>, memberships: &[(OrgRole, &str, &str)]) -> Actor {
        Actor {
            user_id: "u".into(),
            email: "u@x.example".into(),
            name: "U".into(),
            platform_role: platform,
            memberships: memberships
                .iter()
                .map(|(role, kind, country)| Membership {
                    organization_id: "org".into(),
                    slug: "org".into(),
                    name_en: String::new(),
                    name_zh: String::new(),
                    role: *role,
                    organization_kind: kind.to_string(),
                    organization_country: country.to_string(),
                })
                .collect(),
            csrf_token: None,
        }
    }

    #[test]
    fn a_chinese_institutions_admins_and_case_secretaries_edit() {
        for role in [OrgRole::OrgAdmin, OrgRole::CaseSecretary] {
            assert!(can_edit_knowledge(&actor(
                None,
                &[(role, "arbitration_institution", "CN")]
            )));
        }
    }

    #[test]
    fn other_roles_kinds_and_countries_do_not() {
        for (role, kind, country) in [
            (OrgRole::Arbitrator, "arbitration_institution", "CN"),
            (OrgRole::OrgAdmin, "arbitration_institution", "SG"),
            (OrgRole::OrgAdmin, "law_firm", "CN"),
        ] {
            let a = actor(None, &[(role, kind, country)]);
            assert!(!can_edit_knowledge(&a), "{role:?} {kind} {country}");
            assert!(require_editor(&a).is_err());
        }
        assert!(!can_edit_knowledge(&actor(None, &[])));
    }

    #[test]
    fn programme_staff_edit() {
        for role in PlatformRole::ALL {
            assert!(can_edit_knowledge(&actor(Some(*role), &[])));
        }
    }
}
