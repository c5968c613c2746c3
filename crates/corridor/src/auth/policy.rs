//! Who may read what of the accounts' side: pure functions of the actor, shared by the JSON API
//! and the pages.

use super::{Actor, OrgRole};
use crate::{AppError, Result};

/// Which organizations' trail `actor` may read: programme staff read everything (`None`), an
/// org admin reads their own organizations'. `requested` narrows to one organization.
pub fn audit_scope(actor: &Actor, requested: Option<&str>) -> Result<Option<Vec<String>>> {
    if actor.is_programme_staff() {
        return Ok(requested.map(|org| vec![org.to_string()]));
    }
    let own: Vec<String> = actor
        .memberships
        .iter()
        .filter(|m| m.role == OrgRole::OrgAdmin)
        .map(|m| m.organization_id.clone())
        .collect();
    match requested {
        _ if own.is_empty() => Err(AppError::Forbidden),
        Some(org) if own.iter().any(|o| o == org) => Ok(Some(vec![org.to_string()])),
        Some(_) => Err(AppError::Forbidden),
        None => Ok(Some(own)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{Membership, PlatformRole};

    fn actor(platform_role: Option<PlatformRole>, memberships: &[(&str, OrgRole)]) -> Actor {
        Actor {
            user_id: "u".into(),
            email: "u@example.com".into(),
            name: "U".into(),
            platform_role,
            memberships: memberships
                .iter()
                .map(|(org, role)| Membership {
                    organization_id: org.to_string(),
                    slug: org.to_string(),
                    name_en: String::new(),
                    name_zh: String::new(),
                    role: *role,
                    organization_kind: "local_law_firm".into(),
                    organization_country: "CN".into(),
                })
                .collect(),
            csrf_token: None,
        }
    }

    #[test]
    fn programme_staff_read_every_trail_or_the_one_they_ask_for() {
        let staff = actor(Some(PlatformRole::BureauOfficer), &[]);
        assert_eq!(audit_scope(&staff, None).unwrap(), None);
        assert_eq!(
            audit_scope(&staff, Some("o1")).unwrap(),
            Some(vec!["o1".to_string()])
        );
    }

    #[test]
    fn an_org_admin_reads_only_their_own_organizations() {
        let admin = actor(None, &[("o1", OrgRole::OrgAdmin), ("o2", OrgRole::Lawyer)]);
        assert_eq!(
            audit_scope(&admin, None).unwrap(),
            Some(vec!["o1".to_string()])
        );
        assert!(audit_scope(&admin, Some("o1")).is_ok());
        assert!(matches!(
            audit_scope(&admin, Some("o2")),
            Err(AppError::Forbidden)
        ));
    }

    #[test]
    fn a_member_without_admin_rights_reads_no_trail() {
        let lawyer = actor(None, &[("o1", OrgRole::Lawyer)]);
        assert!(matches!(
            audit_scope(&lawyer, None),
            Err(AppError::Forbidden)
        ));
    }
}
