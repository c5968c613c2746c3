//! The directory's records: organizations, people, partnerships between law firms, and
//! cooperation agreements between arbitration institutions.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::roles::text_enum;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    LocalLawFirm,
    ForeignLawFirm,
    ArbitrationInstitution,
    /// 公证处
    NotaryOffice,
    /// A notary or attesting officer abroad (e.g. a Hong Kong China-Appointed Attesting Officer).
    ForeignNotary,
    Enterprise,
    GovernmentBody,
}

text_enum!(OrgKind {
    LocalLawFirm => "local_law_firm",
    ForeignLawFirm => "foreign_law_firm",
    ArbitrationInstitution => "arbitration_institution",
    NotaryOffice => "notary_office",
    ForeignNotary => "foreign_notary",
    Enterprise => "enterprise",
    GovernmentBody => "government_body",
});

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Profession {
    Lawyer,
    Arbitrator,
    Notary,
}

text_enum!(Profession {
    Lawyer => "lawyer",
    Arbitrator => "arbitrator",
    Notary => "notary",
});

/// What two arbitration institutions agreed to do together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CooperationTerm {
    MutualRosterRecommendation,
    CaseReferral,
    SharedHearingFacilities,
    Exchange,
    JointTraining,
    InformationSharing,
}

text_enum!(CooperationTerm {
    MutualRosterRecommendation => "mutual_roster_recommendation",
    CaseReferral => "case_referral",
    SharedHearingFacilities => "shared_hearing_facilities",
    Exchange => "exchange",
    JointTraining => "joint_training",
    InformationSharing => "information_sharing",
});

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Organization {
    pub id: String,
    pub slug: String,
    pub kind: OrgKind,
    pub name_zh: String,
    pub name_en: String,
    /// ISO 3166-1 alpha-2; HK and MO are their own jurisdictions.
    pub jurisdiction: String,
    pub city_en: String,
    pub city_zh: String,
    /// BCP 47 codes.
    pub languages: Vec<String>,
    pub practice_areas: Vec<String>,
    pub email: String,
    pub phone: String,
    pub website: String,
    pub description_en: String,
    pub description_zh: String,
    /// In the overseas remote video notarization pilot (notary offices only).
    pub remote_notarization_pilot: bool,
    /// Fictional demo record.
    pub is_demo: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a client sends to create or replace an organization.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganizationInput {
    /// URL name; derived from `name_en` when omitted on create.
    #[serde(default)]
    pub slug: Option<String>,
    pub kind: OrgKind,
    pub name_zh: String,
    pub name_en: String,
    pub jurisdiction: String,
    #[serde(default)]
    pub city_en: String,
    #[serde(default)]
    pub city_zh: String,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub practice_areas: Vec<String>,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub website: String,
    #[serde(default)]
    pub description_en: String,
    #[serde(default)]
    pub description_zh: String,
    #[serde(default)]
    pub remote_notarization_pilot: bool,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Person {
    pub id: String,
    pub slug: String,
    pub profession: Profession,
    pub name_zh: String,
    pub name_en: String,
    pub organization_id: Option<String>,
    pub organization_slug: Option<String>,
    pub organization_name_en: Option<String>,
    pub organization_name_zh: Option<String>,
    /// Where the person lives and mainly works; "overseas" means not CN.
    pub based_in: String,
    pub nationalities: Vec<String>,
    pub languages: Vec<String>,
    pub expertise: Vec<String>,
    /// Jurisdictions of practice.
    pub jurisdictions: Vec<String>,
    /// Arbitration institutions whose roster lists this person (slugs).
    pub rosters: Vec<String>,
    pub bio_en: String,
    pub bio_zh: String,
    pub is_demo: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    #[serde(default)]
    pub slug: Option<String>,
    pub profession: Profession,
    pub name_zh: String,
    pub name_en: String,
    /// Organization id or slug.
    #[serde(default)]
    pub organization: Option<String>,
    pub based_in: String,
    pub nationalities: Vec<String>,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub expertise: Vec<String>,
    #[serde(default)]
    pub jurisdictions: Vec<String>,
    /// Institution ids or slugs.
    #[serde(default)]
    pub rosters: Vec<String>,
    #[serde(default)]
    pub bio_en: String,
    #[serde(default)]
    pub bio_zh: String,
}

/// A local firm's standing partnership with a firm abroad.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Partnership {
    pub id: String,
    pub local_firm: OrgRef,
    pub foreign_firm: OrgRef,
    /// Countries the partnership covers.
    pub countries: Vec<String>,
    pub since: NaiveDate,
    pub scope_en: String,
    pub scope_zh: String,
}

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnershipInput {
    /// Id or slug of the local law firm.
    pub local_firm: String,
    /// Id or slug of the foreign law firm.
    pub foreign_firm: String,
    pub countries: Vec<String>,
    pub since: NaiveDate,
    #[serde(default)]
    pub scope_en: String,
    #[serde(default)]
    pub scope_zh: String,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct CooperationAgreement {
    pub id: String,
    pub institution: OrgRef,
    pub counterpart: OrgRef,
    pub signed_on: NaiveDate,
    pub terms: Vec<CooperationTerm>,
    pub note_en: String,
    pub note_zh: String,
}

#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreementInput {
    pub institution: String,
    pub counterpart: String,
    pub signed_on: NaiveDate,
    pub terms: Vec<CooperationTerm>,
    #[serde(default)]
    pub note_en: String,
    #[serde(default)]
    pub note_zh: String,
}

/// A short reference to an organization inside another record.
#[derive(Clone, Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct OrgRef {
    pub id: String,
    pub slug: String,
    pub name_en: String,
    pub name_zh: String,
    pub jurisdiction: String,
}

/// Sort orders for lists; `-` in front reverses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, ToSchema)]
pub enum SortKey {
    #[default]
    #[serde(rename = "name")]
    Name,
    #[serde(rename = "-name")]
    NameDesc,
    #[serde(rename = "country")]
    Country,
    #[serde(rename = "-country")]
    CountryDesc,
    #[serde(rename = "updated")]
    Updated,
    #[serde(rename = "-updated")]
    UpdatedDesc,
}

impl SortKey {
    /// A fixed ORDER BY clause; never built from user text.
    pub fn order_by(self, table: &str) -> String {
        let (col, dir) = match self {
            SortKey::Name => ("name_en", "ASC"),
            SortKey::NameDesc => ("name_en", "DESC"),
            SortKey::Country => ("jurisdiction", "ASC"),
            SortKey::CountryDesc => ("jurisdiction", "DESC"),
            SortKey::Updated => ("updated_at", "ASC"),
            SortKey::UpdatedDesc => ("updated_at", "DESC"),
        };
        let col = if table == "p" && col == "jurisdiction" {
            "based_in"
        } else {
            col
        };
        format!("{table}.{col} {dir}, {table}.id {dir}")
    }
}

#[derive(Clone, Debug, Default, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OrgQuery {
    /// Words in the name or city (either language).
    pub q: Option<String>,
    pub kind: Option<OrgKind>,
    /// Jurisdiction of the organization (ISO 3166-1 alpha-2).
    pub country: Option<String>,
    pub practice_area: Option<String>,
    pub language: Option<String>,
    /// Has a partnership covering this country.
    pub partner_country: Option<String>,
    /// Only notary offices in the remote video notarization pilot.
    pub pilot: Option<bool>,
    pub sort: Option<SortKey>,
    /// 1-based.
    #[param(minimum = 1, maximum = 100000)]
    pub page: Option<u32>,
    /// 1..=100, default 20.
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}

#[derive(Clone, Debug, Default, Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PersonQuery {
    pub q: Option<String>,
    pub profession: Option<Profession>,
    /// Where the person is based.
    pub country: Option<String>,
    pub nationality: Option<String>,
    pub language: Option<String>,
    pub expertise: Option<String>,
    /// Organization id or slug.
    pub organization: Option<String>,
    /// Institution id or slug whose roster lists the person.
    pub roster: Option<String>,
    /// Based outside mainland China.
    pub overseas: Option<bool>,
    pub sort: Option<SortKey>,
    /// 1-based.
    #[param(minimum = 1, maximum = 100000)]
    pub page: Option<u32>,
    /// 1..=100, default 20.
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    pub total: i64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> u32 {
        (self.total.max(0) as u64).div_ceil(self.per_page.max(1) as u64) as u32
    }
}

/// The programme at a glance, computed from the directory.
#[derive(Clone, Debug, Default, Serialize, ToSchema)]
pub struct ProgrammeStats {
    /// Local law firms with at least one partnership covering an ASEAN country.
    pub local_firms_with_asean_partners: i64,
    pub local_firms: i64,
    /// Countries covered by local firms' partnerships (ISO codes, sorted).
    pub partner_countries: Vec<String>,
    pub asean_countries_covered: i64,
    pub cooperation_agreements: i64,
    /// Arbitrators based outside mainland China on a roster of an institution in CN.
    pub overseas_arbitrators: i64,
    pub arbitrators: i64,
    pub pilot_notary_offices: i64,
    pub organizations: i64,
    pub people: i64,
}
