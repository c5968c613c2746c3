//! The notary offices' page forms in the page-form matrix (`page_forms.rs`): applications and
//! their steps, office settings, evidence files. Everything here belongs to a notary office
//! outside the matrix's world: nobody in it may change it, and its files do not exist to them.
//! Each case is posted by every standing, as the rest of the matrix is.

use corridor::directory::model::OrgKind;
use serde_json::{Value, json};

use crate::helpers::*;

fn field(k: &str, v: String) -> (String, String) {
    (k.to_string(), v)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NotaryForm {
    Apply,
    Decision,
    ApplicantStep,
    Book,
    Certify,
    OfficeSettings,
    OpenEvidence,
    AddItem,
    AddCustody,
    Capture,
    Bundle,
    Retention,
    CloseEvidence,
}

impl NotaryForm {
    pub(crate) const ALL: [NotaryForm; 13] = [
        NotaryForm::Apply,
        NotaryForm::Decision,
        NotaryForm::ApplicantStep,
        NotaryForm::Book,
        NotaryForm::Certify,
        NotaryForm::OfficeSettings,
        NotaryForm::OpenEvidence,
        NotaryForm::AddItem,
        NotaryForm::AddCustody,
        NotaryForm::Capture,
        NotaryForm::Bundle,
        NotaryForm::Retention,
        NotaryForm::CloseEvidence,
    ];

    pub(crate) fn path(self) -> &'static str {
        match self {
            NotaryForm::Apply => "/notary/applications",
            NotaryForm::Decision => "/notary/applications/{id}/decision",
            NotaryForm::ApplicantStep => "/notary/applications/{id}/step",
            NotaryForm::Book => "/notary/applications/{id}/booking",
            NotaryForm::Certify => "/notary/applications/{id}/certificate",
            NotaryForm::OfficeSettings => "/notary/offices/{office}/settings",
            NotaryForm::OpenEvidence => "/notary/evidence",
            NotaryForm::AddItem => "/notary/evidence/{id}/items",
            NotaryForm::AddCustody => "/notary/evidence/{id}/items/{item}/custody",
            NotaryForm::Capture => "/notary/evidence/{id}/captures",
            NotaryForm::Bundle => "/notary/evidence/{id}/bundle",
            NotaryForm::Retention => "/notary/matters/{id}/retention",
            NotaryForm::CloseEvidence => "/notary/evidence/{id}/close",
        }
    }

    /// For every standing of the matrix (anonymous callers get 401 before this): anyone signed
    /// in applies to a pilot office; nobody here is a notary, so nobody opens an evidence
    /// file; an outsider's application or file exists to no one here, and the outside office
    /// is administered by no one here.
    pub(crate) fn expect(self) -> Result<u16, u16> {
        match self {
            NotaryForm::Apply => Ok(303),
            NotaryForm::OfficeSettings => Err(403),
            NotaryForm::OpenEvidence => Err(422),
            _ => Err(404),
        }
    }
}

/// A pilot notary office outside the matrix's world.
async fn outside_notary_office(app: &TestApp) {
    let key = corridor::ids::OrganizationKey::parse("page-notary").unwrap();
    if app.store.find_organization(&key).await.unwrap().is_none() {
        let mut input = org_input("page-notary", OrgKind::NotaryOffice, "CN");
        input.remote_notarization_pilot = true;
        app.store
            .create_organization(&corridor::auth::audit::Who::cli(), &input, false)
            .await
            .unwrap();
    }
}

/// The pre-check's answers of an eligible application to the outside office, as form fields.
fn application_fields(n: usize) -> Vec<(String, String)> {
    [
        ("office", "page-notary"),
        ("venue", "mission"),
        ("nationality", "CN"),
        ("mainland_resident", "yes"),
        ("residence_country", "TH"),
        ("days_resident", "400"),
        ("residence_status", "work_visa"),
        ("matter", "entrustment"),
        ("use_in", "CN"),
        ("needs_interpreter", "no"),
        ("disposes_property", "no"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .chain([("purpose".to_string(), format!("Power of attorney {n}"))])
    .collect()
}

/// An application made to the outside office by someone outside the matrix's world: its id.
async fn outside_application(app: &TestApp, n: usize) -> String {
    outside_notary_office(app).await;
    let user = app
        .user(&format!("applicant{n}@outside.test"), None, &[])
        .await;
    let token = app.token_for(&user).await;
    let body: serde_json::Map<String, Value> = application_fields(n)
        .into_iter()
        .map(|(k, v)| {
            let value = match v.as_str() {
                "yes" => json!(true),
                "no" => json!(false),
                "400" => json!(400),
                _ => json!(v),
            };
            (k, value)
        })
        .collect();
    let made: Value = app
        .client()
        .post(app.url("/api/v1/notary/applications"))
        .bearer_auth(&token)
        .json(&body)
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

/// An evidence file at the outside office, opened by its own notary, with one item: the
/// file's id, the item's id.
async fn outside_evidence(app: &TestApp, n: usize) -> (String, String) {
    outside_notary_office(app).await;
    let office = corridor::ids::OrganizationKey::parse("page-notary").unwrap();
    let office = app
        .store
        .find_organization(&office)
        .await
        .unwrap()
        .unwrap()
        .id;
    let user = app
        .user(
            &format!("evnotary{n}@outside.test"),
            None,
            &[(office.as_str(), corridor::auth::OrgRole::Notary)],
        )
        .await;
    let token = app.token_for(&user).await;
    let post = |path: String, body: Value| {
        let token = token.clone();
        async move {
            let v: Value = app
                .client()
                .post(app.url(&path))
                .bearer_auth(&token)
                .json(&body)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            v
        }
    };
    let file = post(
        "/api/v1/notary/evidence".into(),
        json!({"title": format!("File {n}")}),
    )
    .await;
    let id = file["matter"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{file}"))
        .to_owned();
    let item = json!({"label": "Purchase", "kind": "test_purchase", "holder": "Notary",
        "happened_at": "2026-12-04T10:30:00+08:00"});
    let v = post(format!("/api/v1/notary/evidence/{id}/items"), item).await;
    let item = v["items"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{v}"))
        .to_owned();
    (id, item)
}

pub(crate) async fn prepare(
    app: &TestApp,
    form: NotaryForm,
    n: usize,
) -> (String, Vec<(String, String)>) {
    match form {
        NotaryForm::Apply => {
            outside_notary_office(app).await;
            ("/notary/applications".into(), application_fields(n))
        }
        NotaryForm::OfficeSettings => {
            outside_notary_office(app).await;
            (
                "/notary/offices/page-notary/settings".into(),
                vec![
                    field("abbreviation", "渝页".into()),
                    field("series", "证字".into()),
                ],
            )
        }
        NotaryForm::Decision
        | NotaryForm::ApplicantStep
        | NotaryForm::Book
        | NotaryForm::Certify => {
            let id = outside_application(app, n).await;
            let action = match form {
                NotaryForm::Decision => "decision",
                NotaryForm::ApplicantStep => "step",
                NotaryForm::Book => "booking",
                _ => "certificate",
            };
            let fields = vec![
                field("step", "accept".into()),
                field("version", "1".into()),
                field("starts", "2026-12-20T10:00".into()),
                field("time_zone", "Asia/Bangkok".into()),
                field("text_zh", "兹证明".into()),
                field("text_en", "This is to certify".into()),
            ];
            (format!("/notary/applications/{id}/{action}"), fields)
        }
        NotaryForm::Retention => {
            let id = outside_application(app, n).await;
            let fields = vec![
                field("confirmed_class", "long".into()),
                field("confirmed_basis", "office rule".into()),
                field("version", "1".into()),
            ];
            (format!("/notary/matters/{id}/retention"), fields)
        }
        NotaryForm::OpenEvidence => (
            "/notary/evidence".into(),
            vec![field("title", format!("Evidence {n}"))],
        ),
        _ => {
            let (id, item) = outside_evidence(app, n).await;
            let path = match form {
                NotaryForm::AddItem => format!("/notary/evidence/{id}/items"),
                NotaryForm::AddCustody => format!("/notary/evidence/{id}/items/{item}/custody"),
                NotaryForm::Capture => format!("/notary/evidence/{id}/captures"),
                NotaryForm::CloseEvidence => format!("/notary/evidence/{id}/close"),
                _ => format!("/notary/evidence/{id}/bundle"),
            };
            let fields = vec![
                field("label", "Seized goods".into()),
                field("kind", "on_site".into()),
                field("event", "sealed".into()),
                field("holder", "Someone".into()),
                field("seal_number", "S-1".into()),
                field("happened_at", "2026-12-05T10:30:00+08:00".into()),
                field("url", "https://example.com/".into()),
            ];
            (path, fields)
        }
    }
}
