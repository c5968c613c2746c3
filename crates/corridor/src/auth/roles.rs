//! Who may do what: platform-wide roles and roles inside an organization.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A role that spans the whole platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlatformRole {
    /// Runs the platform: every record, users, the audit log.
    PlatformAdmin,
    /// An officer of the justice bureau (司法局): edits the directory, sees the programme.
    BureauOfficer,
}

/// A person's role inside one organization (membership).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrgRole {
    OrgAdmin,
    Lawyer,
    Arbitrator,
    /// 仲裁秘书
    CaseSecretary,
    Notary,
    EnterpriseStaff,
}

macro_rules! text_enum {
    ($ty:ty { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$(<$ty>::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $(<$ty>::$variant => $text),+ }
            }
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some(<$ty>::$variant),)+ _ => None }
            }
        }
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use text_enum;

text_enum!(PlatformRole {
    PlatformAdmin => "platform_admin",
    BureauOfficer => "bureau_officer",
});

text_enum!(OrgRole {
    OrgAdmin => "org_admin",
    Lawyer => "lawyer",
    Arbitrator => "arbitrator",
    CaseSecretary => "case_secretary",
    Notary => "notary",
    EnterpriseStaff => "enterprise_staff",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_text_and_serde_name() {
        for role in OrgRole::ALL {
            assert_eq!(OrgRole::parse(role.as_str()), Some(*role));
            let json = serde_json::to_string(role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.as_str()));
        }
        for role in PlatformRole::ALL {
            assert_eq!(PlatformRole::parse(role.as_str()), Some(*role));
        }
        assert_eq!(OrgRole::parse("superuser"), None);
    }
}
