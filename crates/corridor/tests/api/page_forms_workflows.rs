//! The page-form matrix's cases for the workflows (the obligations library, enterprise
//! profiles, arbitration cases and their tribunals): what each attempt consumes, and the path
//! and fields it posts. The matrix itself is `page_forms.rs`.

use corridor::directory::model::OrgKind;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::matters_matrix::{Who, World, email};
use crate::page_forms::PageForm;

/// The library entry the revision forms revise.
const LIBRARY_URN: &str = "urn:corridor:obl:cn:odi:safe-huifa-2015-13:bank-fx-registration";

/// An arbitral institution outside the matrix's world (made once).
async fn outside_institution(app: &TestApp) {
    let key = corridor::ids::OrganizationKey::parse("page-commission").unwrap();
    if app.store.find_organization(&key).await.unwrap().is_none() {
        app.org("page-commission", OrgKind::ArbitrationInstitution, "CN")
            .await;
    }
}

/// A case filed at the outside institution by someone outside the matrix's world: its id.
async fn outside_case(app: &TestApp, n: usize) -> String {
    outside_institution(app).await;
    let user = app.user(&format!("filer{n}@outside.test"), None, &[]).await;
    let token = app.token_for(&user).await;
    let made: Value = app
        .client()
        .post(app.url("/api/v1/arbitration/cases"))
        .bearer_auth(&token)
        .json(&json!({
            "institution": "page-commission",
            "claimant": {"name": format!("Outside Claimant {n}"), "nationality": "CN"},
            "respondent": {"name": "Outside Respondent", "nationality": "VN"},
            "claims": "Payment", "amount": "1000", "currency": "CNY", "agreement": "Clause 1",
            "seat": "CN", "language": "zh", "rules": "UNCITRAL-2013", "arbitrators": 1
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    made["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{made}"))
        .to_owned()
}

/// A project of an enterprise outside the matrix's world, opened by its own staff: its id and
/// the staff's token.
pub(crate) async fn enterprise_project(app: &TestApp, n: usize) -> (String, String) {
    let slug = format!("page-enterprise-{n}");
    let org = app.org(&slug, OrgKind::Enterprise, "CN").await;
    let user = app
        .user(
            &format!("staff{n}@{slug}.test"),
            None,
            &[(org.as_str(), corridor::auth::OrgRole::EnterpriseStaff)],
        )
        .await;
    let token = app.token_for(&user).await;
    let made: Value = app
        .client()
        .post(app.url("/api/v1/projects"))
        .bearer_auth(&token)
        .json(&json!({"title": format!("Project {n}"),
                      "answers": {"country": "VN", "entry_mode": "greenfield"}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = made["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{made}"))
        .to_owned();
    (id, token)
}

/// The values of a page's form, as a browser would submit them unchanged.
pub(crate) fn form_values(html: &str, form: &str) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = Vec::new();
    let names = select_attrs(html, &format!("{form} input[name]"), "name");
    let values = select_attrs(html, &format!("{form} input[name]"), "value");
    fields.extend(names.into_iter().zip(values));
    let areas = select_attrs(html, &format!("{form} textarea[name]"), "name");
    let texts = select_texts(html, &format!("{form} textarea[name]"));
    fields.extend(areas.into_iter().zip(texts));
    // The poster's own token goes in, not the editor's.
    fields.retain(|(name, _)| name != "csrf");
    fields
}

pub(crate) async fn page(client: &reqwest::Client, app: &TestApp, path: &str) -> String {
    client
        .get(app.url(path))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Makes what one attempt at a workflow form consumes: the path to post to and its fields.
pub(crate) async fn prepare(
    app: &TestApp,
    w: &World,
    form: PageForm,
    n: usize,
) -> (String, Vec<(String, String)>) {
    let c = app.client();
    let field = |k: &str, v: String| (k.to_string(), v);
    match form {
        PageForm::ProposeLibraryRevision => {
            let html = page(
                &app.login(email(Who::Owner).unwrap()).await,
                app,
                &format!("/library/entries/{LIBRARY_URN}/edit"),
            )
            .await;
            let mut fields = form_values(&html, "form#entry-form");
            fields.retain(|(k, _)| k != "note");
            fields.extend([
                field("jurisdiction", "CN".into()),
                field("area", "outbound_approval".into()),
                field("status", "in_force".into()),
                field("note", format!("Revision {n}")),
            ]);
            ("/library/revisions".into(), fields)
        }
        PageForm::FileCase => {
            outside_institution(app).await;
            (
                "/arbitration/cases".into(),
                vec![
                    field("institution", "page-commission".into()),
                    field("claimant_name", format!("Demo Claimant {n}")),
                    field("claimant_nationality", "CN".into()),
                    field("respondent_name", "Demo Respondent".into()),
                    field("respondent_nationality", "VN".into()),
                    field("claims", "Payment".into()),
                    field("amount", format!("{n}000")),
                    field("currency", "CNY".into()),
                    field("agreement", "Clause 18".into()),
                    field("seat", "CN".into()),
                    field("language", "zh".into()),
                    field("rules", "UNCITRAL-2013".into()),
                    field("arbitrators", "3".into()),
                ],
            )
        }
        PageForm::AcceptCase
        | PageForm::RejectCase
        | PageForm::RecordCaseEvent
        | PageForm::AddEnforcement
        | PageForm::EditEnforcement
        | PageForm::Nominate
        | PageForm::NominationStep
        | PageForm::DraftAward
        | PageForm::AwardStep
        | PageForm::GrantExtension
        | PageForm::NominationDisclosure
        | PageForm::PublishCase => {
            let id = outside_case(app, n).await;
            let path = match form {
                PageForm::GrantExtension => format!("/arbitration/cases/{id}/extensions"),
                PageForm::DraftAward => format!("/arbitration/cases/{id}/award"),
                PageForm::AwardStep => format!("/arbitration/cases/{id}/award/step"),
                PageForm::Nominate => format!("/arbitration/cases/{id}/nominations"),
                PageForm::NominationStep => {
                    format!("/arbitration/cases/{id}/nominations/no-such-nomination")
                }
                PageForm::NominationDisclosure => {
                    format!("/arbitration/cases/{id}/nominations/no-such-nomination/disclosure")
                }
                PageForm::PublishCase => format!("/arbitration/cases/{id}/publish"),
                PageForm::AcceptCase => format!("/arbitration/cases/{id}/accept"),
                PageForm::RejectCase => format!("/arbitration/cases/{id}/reject"),
                PageForm::RecordCaseEvent => format!("/arbitration/cases/{id}/events"),
                PageForm::AddEnforcement => format!("/arbitration/cases/{id}/enforcements"),
                _ => format!("/arbitration/cases/{id}/enforcements/no-such-proceeding"),
            };
            let fields = vec![
                field("event", "notice_of_arbitration_received".into()),
                field("date", "2026-09-28".into()),
                field("country", "VN".into()),
                field("court", "Court".into()),
                field("filed_on", "2026-11-02".into()),
                field("version", "1".into()),
                field("statement", "Demo disclosure".into()),
            ];
            (path, fields)
        }
        PageForm::SaveRosterProfile
        | PageForm::Recommend
        | PageForm::WithdrawRecommendation
        | PageForm::RecordAppointment
        | PageForm::RecordDisclosure => roster_form(app, w, form, n).await,
        PageForm::SaveEnterpriseProfile => {
            let (_, _) = enterprise_project(app, n).await;
            (
                format!("/enterprises/page-enterprise-{n}/profile"),
                vec![
                    field("version", "0".into()),
                    field("ownership", "SOE".into()),
                ],
            )
        }
        PageForm::PublishLibraryRevision | PageForm::RejectLibraryRevision => {
            let entry: Value = c
                .get(app.url(&format!("/api/v1/library/entries/{LIBRARY_URN}")))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let made: Value = c
                .post(app.url("/api/v1/library/revisions"))
                .bearer_auth(&w.owner_token)
                .json(&json!({"entry": entry["entry"], "note": format!("Draft {n}")}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let id = made["id"].as_str().unwrap_or_else(|| panic!("{made}"));
            let action = if form == PageForm::PublishLibraryRevision {
                "publish"
            } else {
                "reject"
            };
            (format!("/library/revisions/{id}/{action}"), vec![])
        }
        other => panic!("{other:?} is not a workflow form"),
    }
}

/// A fresh arbitrator on the outside institution's panel for one attempt at a roster form (a
/// recommendation by a partner under an agreement that allows it, made by programme staff for
/// the withdrawal): the path and fields.
async fn roster_form(
    app: &TestApp,
    w: &World,
    form: PageForm,
    n: usize,
) -> (String, Vec<(String, String)>) {
    use corridor::auth::audit::Who as AuditWho;
    use corridor::directory::model::{AgreementInput, CooperationTerm, PersonInput, Profession};
    outside_institution(app).await;
    let partner = corridor::ids::OrganizationKey::parse("page-partner-institution").unwrap();
    if app
        .store
        .find_organization(&partner)
        .await
        .unwrap()
        .is_none()
    {
        app.org(
            "page-partner-institution",
            OrgKind::ArbitrationInstitution,
            "SG",
        )
        .await;
        let terms = vec![CooperationTerm::MutualRosterRecommendation];
        let input = AgreementInput {
            institution: "page-commission".into(),
            counterpart: "page-partner-institution".into(),
            signed_on: "2020-01-01".parse().unwrap(),
            terms,
            note_en: String::new(),
            note_zh: String::new(),
        };
        app.store
            .create_agreement(&AuditWho::cli(), &input)
            .await
            .unwrap();
    }
    let slug = format!("page-arbitrator-{n}");
    let person = PersonInput {
        slug: Some(slug.clone()),
        profession: Profession::Arbitrator,
        name_zh: format!("页面仲裁员{n}（演示）"),
        name_en: format!("Page Arbitrator {n} (demo)"),
        organization: None,
        based_in: "SG".into(),
        nationalities: vec!["SG".into()],
        languages: vec!["en".into()],
        expertise: vec![],
        jurisdictions: vec![],
        rosters: vec!["page-commission".into()],
        bio_en: String::new(),
        bio_zh: String::new(),
    };
    app.store
        .create_person(&AuditWho::cli(), &person, true)
        .await
        .unwrap();
    let field = |k: &str, v: &str| (k.to_string(), v.to_string());
    let pair = [
        field("institution", "page-commission"),
        field("recommended_by", "page-partner-institution"),
    ];
    let base = format!("/arbitration/roster/{slug}");
    match form {
        PageForm::SaveRosterProfile => (
            base,
            vec![
                field("version", "0"),
                field("fee_basis", "ad_valorem"),
                field("status", "available"),
                field("legal_system", "common_law"),
            ],
        ),
        PageForm::Recommend => {
            let mut fields = pair.to_vec();
            fields.push(field("recommended_on", "2024-05-01"));
            (format!("{base}/recommendations"), fields)
        }
        PageForm::WithdrawRecommendation => {
            let admin = w
                .tokens
                .iter()
                .find(|(who, _)| *who == Who::PlatformAdmin)
                .and_then(|(_, t)| t.clone())
                .unwrap();
            let made = app
                .client()
                .post(app.url(&format!(
                    "/api/v1/arbitration/roster/{slug}/recommendations"
                )))
                .bearer_auth(&admin)
                .json(&json!({"institution": "page-commission",
                    "recommended_by": "page-partner-institution", "recommended_on": "2024-05-01"}))
                .send()
                .await
                .unwrap();
            assert_eq!(made.status(), 201);
            (format!("{base}/recommendations/withdraw"), pair.to_vec())
        }
        PageForm::RecordAppointment => (
            format!("{base}/appointments"),
            vec![
                field("appointed_on", "2025-03-01"),
                field("seat_role", "sole"),
                field("institution", "Demo Abroad"),
                field("case_reference", &format!("PAGE-{n}")),
                field("appointed_by", "Demo Party"),
            ],
        ),
        _ => (
            format!("{base}/disclosures"),
            vec![
                field("made_on", "2025-03-02"),
                field("case_reference", &format!("PAGE-{n}")),
                field("statement", "Demo disclosure."),
            ],
        ),
    }
}
