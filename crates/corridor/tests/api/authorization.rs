//! The authorization matrix: every state-changing route × every role × a foreign
//! organization. Allowed actors succeed; everyone else gets 401 or 403, and the refusal
//! changes nothing (the audit log, which every change writes to, does not grow).

use corridor::auth::audit::Who;
use corridor::auth::{OrgRole, PlatformRole};
use corridor::directory::model::{OrgKind, PartnershipInput, PersonInput, Profession};
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_backends;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    PlatformAdmin,
    BureauOfficer,
    /// Org admin of the target organization.
    OwnAdmin,
    /// A lawyer of the target organization (member, not admin).
    OwnLawyer,
    /// Org admin of another organization.
    ForeignAdmin,
    Anonymous,
}

const ROLES: [Role; 6] = [
    Role::PlatformAdmin,
    Role::BureauOfficer,
    Role::OwnAdmin,
    Role::OwnLawyer,
    Role::ForeignAdmin,
    Role::Anonymous,
];

#[derive(Clone, Copy, Debug)]
enum Case {
    CreateOrganization,
    UpdateOrganization,
    CreatePerson,
    UpdatePerson,
    CreatePartnership,
    DeletePartnership,
    CreateAgreement,
    DeleteAgreement,
    ReadAuditLog,
    ReadMe,
    CreateToken,
    RevokeToken,
    EditGuide,
    AddTypicalCaseRecord,
    EditTypicalCaseRecord,
    AppendLedgerRecord,
    CheckNotaryEligibility,
    PreviewPlan,
    ComputeDeadlines,
}

impl Case {
    const ALL: [Case; 19] = [
        Case::CreateOrganization,
        Case::UpdateOrganization,
        Case::CreatePerson,
        Case::UpdatePerson,
        Case::CreatePartnership,
        Case::DeletePartnership,
        Case::CreateAgreement,
        Case::DeleteAgreement,
        Case::ReadAuditLog,
        Case::ReadMe,
        Case::CreateToken,
        Case::RevokeToken,
        Case::EditGuide,
        Case::AddTypicalCaseRecord,
        Case::EditTypicalCaseRecord,
        Case::AppendLedgerRecord,
        Case::CheckNotaryEligibility,
        Case::PreviewPlan,
        Case::ComputeDeadlines,
    ];

    fn allowed(self, role: Role) -> bool {
        use Role::*;
        match self {
            Case::CreateOrganization => matches!(role, PlatformAdmin | BureauOfficer),
            Case::ReadMe | Case::CreateToken => role != Anonymous,
            // The token being revoked is the lawyer's own; anyone else's attempt finds nothing.
            Case::RevokeToken => role == OwnLawyer,
            // Programme staff and the staff of a Chinese arbitration institution (both own roles
            // hold one at the target commission) keep the knowledge base.
            Case::EditGuide | Case::AddTypicalCaseRecord | Case::EditTypicalCaseRecord => {
                matches!(role, PlatformAdmin | BureauOfficer | OwnAdmin | OwnLawyer)
            }
            Case::AppendLedgerRecord => role == PlatformAdmin,
            // A pre-check anyone abroad may run before applying: no sign-in, nothing stored.
            Case::CheckNotaryEligibility => true,
            // A plan from the public library: no sign-in, nothing stored.
            Case::PreviewPlan => true,
            // Time limits from the published rules: no sign-in, nothing stored.
            Case::ComputeDeadlines => true,
            Case::ReadAuditLog => matches!(role, PlatformAdmin | BureauOfficer | OwnAdmin),
            _ => matches!(role, PlatformAdmin | BureauOfficer | OwnAdmin),
        }
    }

    fn changes_state(self) -> bool {
        !matches!(
            self,
            Case::ReadAuditLog
                | Case::ReadMe
                | Case::CheckNotaryEligibility
                | Case::PreviewPlan
                | Case::ComputeDeadlines
        )
    }

    /// The status a signed-in caller without the right gets.
    fn refused_status(self) -> u16 {
        match self {
            Case::RevokeToken => 404,
            _ => 403,
        }
    }

    /// The route each case exercises, as the OpenAPI document names it.
    fn route(self) -> (&'static str, &'static str) {
        match self {
            Case::CreateOrganization => ("POST", "/api/v1/organizations"),
            Case::UpdateOrganization => ("PUT", "/api/v1/organizations/{key}"),
            Case::CreatePerson => ("POST", "/api/v1/people"),
            Case::UpdatePerson => ("PUT", "/api/v1/people/{key}"),
            Case::CreatePartnership => ("POST", "/api/v1/partnerships"),
            Case::DeletePartnership => ("DELETE", "/api/v1/partnerships/{id}"),
            Case::CreateAgreement => ("POST", "/api/v1/cooperation-agreements"),
            Case::DeleteAgreement => ("DELETE", "/api/v1/cooperation-agreements/{id}"),
            Case::ReadAuditLog => ("GET", "/api/v1/audit"),
            Case::ReadMe => ("GET", "/api/v1/me"),
            Case::CreateToken => ("POST", "/api/v1/tokens"),
            Case::RevokeToken => ("DELETE", "/api/v1/tokens/{id}"),
            Case::EditGuide => ("PUT", "/api/v1/guides/{cc}/{lang}"),
            Case::AddTypicalCaseRecord => ("POST", "/api/v1/cases"),
            Case::EditTypicalCaseRecord => ("PUT", "/api/v1/cases/{slug}"),
            Case::AppendLedgerRecord => ("POST", "/api/v1/ledger/records"),
            Case::CheckNotaryEligibility => ("POST", "/api/v1/notary/eligibility"),
            Case::PreviewPlan => ("POST", "/api/v1/plans/preview"),
            Case::ComputeDeadlines => ("POST", "/api/v1/deadlines"),
        }
    }
}

/// Every state-changing route the router serves must have a case in a matrix. Taken from the
/// OpenAPI document, which is generated from the same router the server runs, so a new route
/// without a case fails here.
#[test]
fn every_state_changing_api_route_has_a_matrix_case() {
    let (_, doc) = corridor::app::api_router().split_for_parts();
    let covered: Vec<(&str, &str)> = Case::ALL
        .iter()
        .map(|c| c.route())
        .chain(crate::matters_matrix::covered_routes())
        .chain(crate::advisory_projects::covered_routes())
        .chain(crate::advisory_referrals::covered_routes())
        .chain(crate::advisory_library::covered_routes())
        .chain(crate::advisory_profile::covered_routes())
        .chain(crate::arbitration_cases::covered_routes())
        .chain(crate::arbitration_tribunal::covered_routes())
        .chain(crate::arbitration_award::covered_routes())
        .chain(crate::arbitration_roster::covered_routes())
        .chain(crate::notary_applications::covered_routes())
        .chain(crate::notary_evidence::covered_routes())
        .chain(crate::notary_retention::covered_routes())
        .collect();
    let mut missing = Vec::new();
    for (path, item) in &doc.paths.paths {
        let methods = [
            ("POST", item.post.is_some()),
            ("PUT", item.put.is_some()),
            ("PATCH", item.patch.is_some()),
            ("DELETE", item.delete.is_some()),
        ];
        for (method, present) in methods {
            if present && !covered.contains(&(method, path.as_str())) {
                missing.push(format!("{method} {path}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "state-changing routes without a case in an authorization matrix:\n{}",
        missing.join("\n")
    );
}

pub(crate) struct Cast {
    pub(crate) tokens: Vec<(Role, Option<String>)>,
    /// The local firm whose admin is `OwnAdmin` (and the institution, for agreement cases).
    pub(crate) firm: String,
    pub(crate) institution: String,
}

pub(crate) async fn cast(app: &TestApp) -> Cast {
    let firm = app.org("target-firm", OrgKind::LocalLawFirm, "CN").await;
    let institution = app
        .org("target-commission", OrgKind::ArbitrationInstitution, "CN")
        .await;
    let other = app.org("other-firm", OrgKind::LocalLawFirm, "CN").await;
    let mut tokens = Vec::new();
    for role in ROLES {
        let user = match role {
            Role::PlatformAdmin => Some(
                app.user("admin@x.example", Some(PlatformRole::PlatformAdmin), &[])
                    .await,
            ),
            Role::BureauOfficer => Some(
                app.user("bureau@x.example", Some(PlatformRole::BureauOfficer), &[])
                    .await,
            ),
            Role::OwnAdmin => Some(
                app.user(
                    "own@x.example",
                    None,
                    &[
                        (&firm, OrgRole::OrgAdmin),
                        (&institution, OrgRole::OrgAdmin),
                    ],
                )
                .await,
            ),
            Role::OwnLawyer => Some(
                app.user(
                    "lawyer@x.example",
                    None,
                    &[
                        (&firm, OrgRole::Lawyer),
                        (&institution, OrgRole::CaseSecretary),
                    ],
                )
                .await,
            ),
            Role::ForeignAdmin => Some(
                app.user("other@x.example", None, &[(&other, OrgRole::OrgAdmin)])
                    .await,
            ),
            Role::Anonymous => None,
        };
        let token = match user {
            Some(u) => Some(app.token_for(&u).await),
            None => None,
        };
        tokens.push((role, token));
    }
    Cast {
        tokens,
        firm,
        institution,
    }
}

/// Creates what one attempt needs and returns the request to make.
async fn prepare(
    app: &TestApp,
    cast: &Cast,
    case: Case,
    n: usize,
) -> (Method, String, Option<Value>) {
    let day = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    match case {
        Case::CreateOrganization => (
            Method::POST,
            "/api/v1/organizations".into(),
            Some(
                json!({"kind": "enterprise", "name_zh": "新企业", "name_en": format!("New Co {n}"), "jurisdiction": "CN"}),
            ),
        ),
        Case::UpdateOrganization => (
            Method::PUT,
            "/api/v1/organizations/target-firm".into(),
            Some(
                json!({"kind": "local_law_firm", "name_zh": "目标律所", "name_en": format!("Target Firm {n}"), "jurisdiction": "CN"}),
            ),
        ),
        Case::CreatePerson => (
            Method::POST,
            "/api/v1/people".into(),
            Some(
                json!({"profession": "lawyer", "name_zh": "新律师", "name_en": format!("New Lawyer {n}"),
                        "organization": "target-firm", "based_in": "CN", "nationalities": ["CN"]}),
            ),
        ),
        Case::UpdatePerson => {
            let slug = format!("person-{n}");
            let input = PersonInput {
                slug: Some(slug.clone()),
                profession: Profession::Lawyer,
                name_zh: "律师".into(),
                name_en: "A Lawyer".into(),
                organization: Some(cast.firm.clone()),
                based_in: "CN".into(),
                nationalities: vec!["CN".into()],
                languages: vec![],
                expertise: vec![],
                jurisdictions: vec![],
                rosters: vec![],
                bio_en: String::new(),
                bio_zh: String::new(),
            };
            app.store
                .create_person(&Who::cli(), &input, false)
                .await
                .unwrap();
            (
                Method::PUT,
                format!("/api/v1/people/{slug}"),
                Some(
                    json!({"profession": "lawyer", "name_zh": "律师", "name_en": "Renamed Lawyer",
                            "organization": "target-firm", "based_in": "CN", "nationalities": ["CN"]}),
                ),
            )
        }
        Case::CreatePartnership => {
            let foreign = app
                .org(&format!("partner-{n}"), OrgKind::ForeignLawFirm, "VN")
                .await;
            (
                Method::POST,
                "/api/v1/partnerships".into(),
                Some(
                    json!({"local_firm": "target-firm", "foreign_firm": foreign, "countries": ["VN"], "since": "2020-01-01"}),
                ),
            )
        }
        Case::DeletePartnership => {
            let foreign = app
                .org(&format!("ended-{n}"), OrgKind::ForeignLawFirm, "TH")
                .await;
            let id = app
                .store
                .create_partnership(
                    &Who::cli(),
                    &PartnershipInput {
                        local_firm: cast.firm.clone(),
                        foreign_firm: foreign,
                        countries: vec!["TH".into()],
                        since: day,
                        scope_en: String::new(),
                        scope_zh: String::new(),
                    },
                )
                .await
                .unwrap();
            (Method::DELETE, format!("/api/v1/partnerships/{id}"), None)
        }
        Case::CreateAgreement => {
            let counterpart = app
                .org(
                    &format!("centre-{n}"),
                    OrgKind::ArbitrationInstitution,
                    "SG",
                )
                .await;
            (
                Method::POST,
                "/api/v1/cooperation-agreements".into(),
                Some(
                    json!({"institution": cast.institution, "counterpart": counterpart, "signed_on": "2020-01-01", "terms": ["exchange"]}),
                ),
            )
        }
        Case::DeleteAgreement => {
            let counterpart = app
                .org(
                    &format!("former-{n}"),
                    OrgKind::ArbitrationInstitution,
                    "ID",
                )
                .await;
            let id = app
                .store
                .create_agreement(
                    &Who::cli(),
                    &corridor::directory::model::AgreementInput {
                        institution: cast.institution.clone(),
                        counterpart,
                        signed_on: day,
                        terms: vec![corridor::directory::model::CooperationTerm::Exchange],
                        note_en: String::new(),
                        note_zh: String::new(),
                    },
                )
                .await
                .unwrap();
            (
                Method::DELETE,
                format!("/api/v1/cooperation-agreements/{id}"),
                None,
            )
        }
        Case::ReadAuditLog => (
            Method::GET,
            format!("/api/v1/audit?organization={}", cast.firm),
            None,
        ),
        Case::ReadMe => (Method::GET, "/api/v1/me".into(), None),
        Case::CreateToken => (
            Method::POST,
            "/api/v1/tokens".into(),
            Some(json!({"name": format!("t{n}")})),
        ),
        Case::RevokeToken => {
            let lawyer = app
                .store
                .user_id_by_email("lawyer@x.example")
                .await
                .unwrap()
                .unwrap();
            let (id, _) = app
                .store
                .create_token(&Who::cli(), &lawyer, &format!("spare {n}"))
                .await
                .unwrap();
            (Method::DELETE, format!("/api/v1/tokens/{id}"), None)
        }
        Case::EditGuide => {
            let guide = crate::knowledge::get_json(app, "/api/v1/guides/vn/en").await;
            let mut edit = crate::knowledge::edit_of(&guide);
            edit["body"] = json!(crate::knowledge::with_enforcement_sentence(
                guide["body"].as_str().unwrap(),
                &format!("Matrix edit {n} [S1]."),
            ));
            (Method::PUT, "/api/v1/guides/vn/en".into(), Some(edit))
        }
        Case::AddTypicalCaseRecord | Case::EditTypicalCaseRecord => {
            let mut case_json =
                crate::knowledge::get_json(app, "/api/v1/cases/huatai-yimei-v-daotong-2018").await;
            for k in ["edited", "updated_at"] {
                case_json.as_object_mut().unwrap().remove(k);
            }
            if let Case::EditTypicalCaseRecord = case {
                case_json["title_en"] = json!(format!("Huatai Yimei v. Daotong (matrix {n})"));
                (
                    Method::PUT,
                    "/api/v1/cases/huatai-yimei-v-daotong-2018".into(),
                    Some(case_json),
                )
            } else {
                let slug = format!("demo-matrix-case-{n}");
                case_json["slug"] = json!(slug);
                case_json["demo"] = json!(true);
                case_json["title_en"] = json!(format!("Matrix case {n} (Demo)"));
                case_json["title_zh"] = json!(format!("矩阵案例 {n}（演示）"));
                (Method::POST, "/api/v1/cases".into(), Some(case_json))
            }
        }
        Case::AppendLedgerRecord => (
            Method::POST,
            "/api/v1/ledger/records".into(),
            Some(
                json!({"kind": "notarial_certificate", "subject": format!("act-{n}"),
                        "files": [{"role": "certificate", "sha256": "a".repeat(64)}]}),
            ),
        ),
        Case::CheckNotaryEligibility => (
            Method::POST,
            "/api/v1/notary/eligibility".into(),
            Some(
                json!({"date": "2026-12-04", "nationality": "CN", "mainland_resident": true,
                        "residence_country": "SG", "days_resident": n, "residence_status": "none",
                        "matter": "birth", "use_in": "CN", "needs_interpreter": false,
                        "disposes_property": false}),
            ),
        ),
        Case::ComputeDeadlines => (
            Method::POST,
            "/api/v1/deadlines".into(),
            Some(
                json!({"rules": "UNCITRAL-2013", "event": "notice_of_arbitration_received",
                        "date": format!("2026-10-{:02}", n % 28 + 1)}),
            ),
        ),
        Case::PreviewPlan => (
            Method::POST,
            "/api/v1/plans/preview".into(),
            Some(
                json!({"country": "VN", "entry_mode": "greenfield", "metrics": {"cn_investment_usd": n}}),
            ),
        ),
    }
}

on_both_backends!(api_routes_by_role_and_organization);
/// Every API route that acts on an organization's records, for every role.
async fn api_routes_by_role_and_organization(app: TestApp) {
    let cast = cast(&app).await;
    let client = app.client();
    let mut n = 0;
    let mut failures = Vec::new();
    for case in Case::ALL {
        for (role, token) in &cast.tokens {
            n += 1;
            let (method, path, body) = prepare(&app, &cast, case, n).await;
            let before = audit_count(&app).await;
            let mut request = client.request(method.clone(), app.url(&path));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            if let Some(body) = &body {
                request = request.json(body);
            }
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let expected_ok = case.allowed(*role);
            let ok = if expected_ok {
                (200..300).contains(&status)
            } else if *role == Role::Anonymous {
                status == 401
            } else {
                status == case.refused_status()
            };
            if !ok {
                failures.push(format!("{case:?} as {role:?}: {method} {path} -> {status}"));
                continue;
            }
            if !expected_ok {
                let body: Value = response.json().await.unwrap();
                assert!(
                    body["code"].is_string() && body["message"].is_string(),
                    "{body}"
                );
                let after = audit_count(&app).await;
                if after != before {
                    failures.push(format!(
                        "{case:?} as {role:?} was refused but changed something"
                    ));
                }
            } else if case.changes_state() && audit_count(&app).await <= before {
                failures.push(format!(
                    "{case:?} as {role:?} succeeded without an audit event"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorization matrix failures:\n{}",
        failures.join("\n")
    );
}
