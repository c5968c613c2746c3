//! The page forms' authorization matrix. Every state-changing route the server serves outside
//! the API (read from the router, `corridor::app::served_routes`) must have a case: here, or in the
//! matter page-form test (`matters_matrix.rs`) or the organization edit test
//! (`authorization.rs`). Each case here is posted, as a browser would with its session and
//! CSRF token, by every standing of the matters matrix: allowed callers get the form's answer,
//! refused ones the right status, and a refusal changes nothing.

use corridor::auth::audit::Who as AuditWho;
use corridor::directory::model::OrgKind;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::matters_matrix::{WHO, Who, World, email, world};
use crate::on_both_backends;
use crate::page_forms_workflows::{enterprise_project, form_values, page};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PageForm {
    CreateToken,
    RevokeToken,
    /// An invitation link is a bearer credential: whoever is signed in and holds it joins.
    AcceptInvitation,
    RegisterByInvitation,
    ReadNotifications,
    OpenMatter,
    EditTask,
    RenewFeed,
    RevokeFeed,
    Preferences,
    EditGuide,
    NewCase,
    EditCase,
    AddPartnership,
    EndPartnership,
    Verify,
    /// Nobody in this matrix belongs to an enterprise: projects are refused to all (the
    /// enterprise's own success is in `advisory_projects.rs`).
    OpenProject,
    ChangeProject,
    AcceptProjectPlan,
    /// A referral between an enterprise and a firm outside the matrix's world.
    ReferProject,
    AcceptReferral,
    DeclineReferral,
    WithdrawReferral,
    /// Law firms' lawyers and admins propose library revisions; the bureau (not in this
    /// matrix: `advisory_library.rs`) publishes. The draft to publish or reject is the owner's.
    ProposeLibraryRevision,
    PublishLibraryRevision,
    RejectLibraryRevision,
    /// An enterprise outside the matrix's world: its profile exists to no one here.
    SaveEnterpriseProfile,
    /// Anyone signed in may file a case (each attempt a different dispute); a case at an
    /// institution outside the matrix's world exists to no one here.
    FileCase,
    AcceptCase,
    RejectCase,
    RecordCaseEvent,
    AddEnforcement,
    EditEnforcement,
    Nominate,
    NominationStep,
    DraftAward,
    AwardStep,
    GrantExtension,
    NominationDisclosure,
    PublishCase,
    /// The roster's forms: programme staff keep any entry; nobody else here keeps one.
    SaveRosterProfile,
    Recommend,
    WithdrawRecommendation,
    RecordAppointment,
    RecordDisclosure,
    /// The notary offices' forms (`page_forms_notary.rs`).
    Notary(crate::page_forms_notary::NotaryForm),
    /// Near the end: it replaces the session the other cases use.
    Login,
    Logout,
}

impl PageForm {
    pub(crate) const ALL: [PageForm; 47] = [
        PageForm::CreateToken,
        PageForm::RevokeToken,
        PageForm::ReadNotifications,
        PageForm::OpenMatter,
        PageForm::EditTask,
        PageForm::RenewFeed,
        PageForm::RevokeFeed,
        PageForm::Preferences,
        PageForm::EditGuide,
        PageForm::NewCase,
        PageForm::EditCase,
        PageForm::AddPartnership,
        PageForm::EndPartnership,
        PageForm::Verify,
        PageForm::OpenProject,
        PageForm::ChangeProject,
        PageForm::AcceptProjectPlan,
        PageForm::ReferProject,
        PageForm::AcceptReferral,
        PageForm::DeclineReferral,
        PageForm::WithdrawReferral,
        PageForm::ProposeLibraryRevision,
        PageForm::PublishLibraryRevision,
        PageForm::RejectLibraryRevision,
        PageForm::SaveEnterpriseProfile,
        PageForm::FileCase,
        PageForm::AcceptCase,
        PageForm::RejectCase,
        PageForm::RecordCaseEvent,
        PageForm::AddEnforcement,
        PageForm::EditEnforcement,
        PageForm::Nominate,
        PageForm::NominationStep,
        PageForm::DraftAward,
        PageForm::AwardStep,
        PageForm::GrantExtension,
        PageForm::NominationDisclosure,
        PageForm::PublishCase,
        PageForm::SaveRosterProfile,
        PageForm::Recommend,
        PageForm::WithdrawRecommendation,
        PageForm::RecordAppointment,
        PageForm::RecordDisclosure,
        // After the matter's own forms: whoever accepts joins the matter.
        PageForm::AcceptInvitation,
        PageForm::RegisterByInvitation,
        PageForm::Login,
        PageForm::Logout,
    ];

    /// Every form, the notary offices' before the last four (invitations replace the
    /// matter's circle, sign-in the session).
    pub(crate) fn all() -> Vec<PageForm> {
        let (head, tail) = Self::ALL.split_at(Self::ALL.len() - 4);
        let notary = crate::page_forms_notary::NotaryForm::ALL.map(PageForm::Notary);
        [head, &notary, tail].concat()
    }

    /// The route, as the page router's table names it.
    pub(crate) fn path(self) -> &'static str {
        match self {
            PageForm::CreateToken => "/account/tokens",
            PageForm::RevokeToken => "/account/tokens/{id}/revoke",
            PageForm::AcceptInvitation => "/invitations/{token}",
            PageForm::RegisterByInvitation => "/invitations/{token}/register",
            PageForm::ReadNotifications => "/notifications/read",
            PageForm::OpenMatter => "/matters",
            PageForm::EditTask => "/matters/{id}/tasks/{task}",
            PageForm::RenewFeed => "/calendar/feed",
            PageForm::RevokeFeed => "/calendar/feed/revoke",
            PageForm::Preferences => "/account/preferences",
            PageForm::EditGuide => "/guides/{cc}/edit",
            PageForm::NewCase => "/cases/new",
            PageForm::EditCase => "/cases/{slug}/edit",
            PageForm::AddPartnership => "/organizations/{key}/partnerships",
            PageForm::EndPartnership => "/partnerships/{id}/delete",
            PageForm::Verify => "/verify",
            PageForm::OpenProject => "/projects",
            PageForm::ChangeProject => "/projects/{id}",
            PageForm::AcceptProjectPlan => "/projects/{id}/accept",
            PageForm::ReferProject => "/projects/{id}/referrals",
            PageForm::AcceptReferral => "/referrals/{id}/accept",
            PageForm::DeclineReferral => "/referrals/{id}/decline",
            PageForm::WithdrawReferral => "/referrals/{id}/withdraw",
            PageForm::ProposeLibraryRevision => "/library/revisions",
            PageForm::PublishLibraryRevision => "/library/revisions/{id}/publish",
            PageForm::RejectLibraryRevision => "/library/revisions/{id}/reject",
            PageForm::SaveEnterpriseProfile => "/enterprises/{key}/profile",
            PageForm::FileCase => "/arbitration/cases",
            PageForm::AcceptCase => "/arbitration/cases/{id}/accept",
            PageForm::RejectCase => "/arbitration/cases/{id}/reject",
            PageForm::RecordCaseEvent => "/arbitration/cases/{id}/events",
            PageForm::AddEnforcement => "/arbitration/cases/{id}/enforcements",
            PageForm::EditEnforcement => "/arbitration/cases/{id}/enforcements/{enforcement}",
            PageForm::Nominate => "/arbitration/cases/{id}/nominations",
            PageForm::NominationStep => "/arbitration/cases/{id}/nominations/{nomination}",
            PageForm::DraftAward => "/arbitration/cases/{id}/award",
            PageForm::AwardStep => "/arbitration/cases/{id}/award/step",
            PageForm::GrantExtension => "/arbitration/cases/{id}/extensions",
            PageForm::NominationDisclosure => {
                "/arbitration/cases/{id}/nominations/{nomination}/disclosure"
            }
            PageForm::PublishCase => "/arbitration/cases/{id}/publish",
            PageForm::SaveRosterProfile => "/arbitration/roster/{person}",
            PageForm::Recommend => "/arbitration/roster/{person}/recommendations",
            PageForm::WithdrawRecommendation => {
                "/arbitration/roster/{person}/recommendations/withdraw"
            }
            PageForm::RecordAppointment => "/arbitration/roster/{person}/appointments",
            PageForm::RecordDisclosure => "/arbitration/roster/{person}/disclosures",
            PageForm::Notary(form) => form.path(),
            PageForm::Login => "/login",
            PageForm::Logout => "/logout",
        }
    }

    /// `Ok(status)` where the form goes through, `Err(status)` where it is refused.
    fn expect(self, who: Who) -> Result<u16, u16> {
        use PageForm::*;
        match (self, who) {
            // Public forms: anyone may post them.
            (Verify, _) => Ok(200),
            // These answer with a page showing the new secret once.
            (CreateToken | RenewFeed, Who::Anonymous) => Err(401),
            (CreateToken | RenewFeed, _) => Ok(200),
            (Login | Logout | RegisterByInvitation, _) => Ok(303),
            (_, Who::Anonymous) => Err(401),
            // Only an enterprise's own people open projects; its projects exist to no one else
            // here (a platform admin included: the bureau reads plans, not the platform's admins).
            (OpenProject, _) => Err(403),
            (ChangeProject | AcceptProjectPlan | ReferProject, _) => Err(404),
            // A referral exists to its enterprise, its firm and the bureau only.
            (AcceptReferral | DeclineReferral | WithdrawReferral, _) => Err(404),
            // Law firms' lawyers and administrators propose; nobody else here does.
            (ProposeLibraryRevision, Who::Member | Who::PlatformAdmin) => Err(403),
            (ProposeLibraryRevision, _) => Ok(303),
            // A draft is seen by its firm (and the bureau); only the bureau publishes, and
            // only the bureau or the author rejects.
            (PublishLibraryRevision | RejectLibraryRevision, Who::Staff) => Err(403),
            (PublishLibraryRevision, Who::Owner) => Err(403),
            (RejectLibraryRevision, Who::Owner) => Ok(303),
            (PublishLibraryRevision | RejectLibraryRevision, _) => Err(404),
            (SaveEnterpriseProfile, _) => Err(404),
            (FileCase, _) => Ok(303),
            (Notary(form), _) => form.expect(),
            (
                SaveRosterProfile
                | Recommend
                | WithdrawRecommendation
                | RecordAppointment
                | RecordDisclosure,
                who,
            ) => (who == Who::PlatformAdmin).then_some(303).ok_or(403),
            (
                AcceptCase | RejectCase | RecordCaseEvent | AddEnforcement | EditEnforcement
                | Nominate | NominationStep | DraftAward | AwardStep | GrantExtension
                | NominationDisclosure | PublishCase,
                _,
            ) => Err(404),
            // A token, like a matter, is found only by its holder.
            (RevokeToken, Who::Owner) => Ok(303),
            (RevokeToken, _) => Err(404),
            // Without an organization there is nobody to own the matter.
            (OpenMatter, Who::Member | Who::PlatformAdmin) => Err(422),
            (EditTask, Who::Owner | Who::Staff) => Ok(303),
            (EditTask, Who::Member) => Err(403),
            (EditTask, _) => Err(404),
            // The knowledge base is the programme's and the commission's publication.
            (EditGuide | NewCase | EditCase, Who::PlatformAdmin) => Ok(303),
            (EditGuide | NewCase | EditCase, _) => Err(403),
            // Partnerships are the firm's admins' (and the programme's) to keep.
            (AddPartnership | EndPartnership, Who::Staff | Who::PlatformAdmin) => Ok(303),
            (AddPartnership | EndPartnership, _) => Err(403),
            _ => Ok(303),
        }
    }

    /// Whether a success must leave an audit event (read state and sign-in bookkeeping are
    /// not audited changes; verifying changes nothing).
    fn audited(self) -> bool {
        !matches!(
            self,
            PageForm::ReadNotifications
                | PageForm::Verify
                | PageForm::Login
                | PageForm::Logout
                | PageForm::RenewFeed
                | PageForm::RevokeFeed
                | PageForm::Preferences
        )
    }
}

/// A foreign firm for one attempt: two firms have at most one partnership.
async fn partner_firm(app: &TestApp, n: usize) -> String {
    let slug = format!("page-partner-{n}");
    app.org(&slug, OrgKind::ForeignLawFirm, "VN").await;
    slug
}

/// Makes what one attempt consumes, and returns the path to post to and its fields.
async fn prepare(
    app: &TestApp,
    w: &World,
    form: PageForm,
    n: usize,
) -> (String, Vec<(String, String)>) {
    let c = app.client();
    let field = |k: &str, v: String| (k.to_string(), v);
    match form {
        PageForm::CreateToken => (
            "/account/tokens".into(),
            vec![field("name", format!("t{n}"))],
        ),
        PageForm::RevokeToken => {
            let (id, _) = app
                .store
                .create_token(&AuditWho::cli(), &w.owner, &format!("revoke-me-{n}"))
                .await
                .unwrap();
            (format!("/account/tokens/{id}/revoke"), vec![])
        }
        PageForm::AcceptInvitation | PageForm::RegisterByInvitation => {
            let added: Value = c
                .post(app.url(&format!("/api/v1/matters/{}/participants", w.matter)))
                .bearer_auth(&w.owner_token)
                .json(&json!({"email": format!("page-guest{n}@abroad.example"), "role": "member"}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let link = added["link"].as_str().unwrap();
            let token = link.rsplit('/').next().unwrap();
            if form == PageForm::AcceptInvitation {
                (format!("/invitations/{token}"), vec![])
            } else {
                (
                    format!("/invitations/{token}/register"),
                    vec![
                        field("name", format!("Page Guest {n}")),
                        field("password", PASSWORD.into()),
                    ],
                )
            }
        }
        PageForm::ReadNotifications => ("/notifications/read".into(), vec![]),
        PageForm::OpenMatter => (
            "/matters".into(),
            vec![field("title", format!("Opened on the page {n}"))],
        ),
        PageForm::EditTask => {
            let t: Value = c
                .get(app.url(&format!("/api/v1/matters/{}/tasks/{}", w.matter, w.task)))
                .bearer_auth(&w.owner_token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let status = if t["task"]["status"] == "done" {
                "open"
            } else {
                "done"
            };
            (
                format!("/matters/{}/tasks/{}", w.matter, w.task),
                vec![
                    field("version", t["task"]["version"].to_string()),
                    field("status", status.into()),
                ],
            )
        }
        PageForm::RenewFeed => ("/calendar/feed".into(), vec![]),
        PageForm::RevokeFeed => ("/calendar/feed/revoke".into(), vec![]),
        PageForm::Preferences => (
            "/account/preferences".into(),
            vec![
                field("time_zone", "Asia/Ho_Chi_Minh".into()),
                field("locale", "en".into()),
            ],
        ),
        PageForm::EditGuide => {
            // The editor's own form, as the programme's staff would send it back unchanged.
            let editor = app.login(email(Who::PlatformAdmin).unwrap()).await;
            let html = page(&editor, app, "/guides/vn/edit?lang=en").await;
            let fields = form_values(&html, "form#guide-form");
            ("/guides/vn/edit?lang=en".into(), fields)
        }
        PageForm::NewCase | PageForm::EditCase => {
            let editor = app.login(email(Who::PlatformAdmin).unwrap()).await;
            let slug = "huatai-yimei-v-daotong-2018";
            let html = page(&editor, app, &format!("/cases/{slug}/edit")).await;
            let record = select_texts(&html, "textarea#record").pop().unwrap();
            if form == PageForm::EditCase {
                (format!("/cases/{slug}/edit"), vec![field("record", record)])
            } else {
                let record = record.replace(
                    &format!("slug = \"{slug}\""),
                    &format!("slug = \"page-case-{n}\""),
                );
                ("/cases/new".into(), vec![field("record", record)])
            }
        }
        PageForm::AddPartnership => (
            "/organizations/circle-firm/partnerships".into(),
            vec![
                field("foreign_firm", partner_firm(app, n).await),
                field("countries", "VN".into()),
                field("since", format!("2020-01-{:02}", n % 28 + 1)),
                field("scope_en", format!("Scope {n}")),
                field("scope_zh", format!("范围 {n}")),
            ],
        ),
        PageForm::EndPartnership => {
            let admin_token = w
                .tokens
                .iter()
                .find(|(who, _)| *who == Who::PlatformAdmin)
                .and_then(|(_, t)| t.clone())
                .unwrap();
            let foreign = partner_firm(app, n).await;
            let made: Value = c
                .post(app.url("/api/v1/partnerships"))
                .bearer_auth(&admin_token)
                .json(
                    &json!({"local_firm": "circle-firm", "foreign_firm": foreign,
                    "countries": ["VN"], "since": "2019-03-01", "scope_en": format!("End {n}")}),
                )
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let id = made["id"].as_str().unwrap_or_else(|| panic!("{made}"));
            (format!("/partnerships/{id}/delete"), vec![])
        }
        PageForm::Verify => (
            "/verify".into(),
            vec![
                field("receipt", "not a receipt".into()),
                field("record", "{}".into()),
            ],
        ),
        PageForm::Login => (
            "/login".into(),
            vec![
                field("email", email(Who::Member).unwrap().into()),
                field("password", PASSWORD.into()),
                field("next", "/".into()),
            ],
        ),
        PageForm::Logout => ("/logout".into(), vec![]),
        PageForm::OpenProject => (
            "/projects".into(),
            vec![
                field("title", format!("Project {n}")),
                field("country", "VN".into()),
                field("entry_mode", "greenfield".into()),
            ],
        ),
        PageForm::ReferProject => {
            let (id, _) = enterprise_project(app, n).await;
            (
                format!("/projects/{id}/referrals"),
                vec![
                    field("firm", "circle-firm".into()),
                    field("counterparty", "Demo Party".into()),
                ],
            )
        }
        PageForm::AcceptReferral | PageForm::DeclineReferral | PageForm::WithdrawReferral => {
            let (id, token) = enterprise_project(app, n).await;
            let firm = format!("page-firm-{n}");
            app.org(&firm, OrgKind::LocalLawFirm, "CN").await;
            let made: Value = c
                .post(app.url(&format!("/api/v1/projects/{id}/referrals")))
                .bearer_auth(&token)
                .json(&json!({"firm": firm, "counterparty": "Demo Party"}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let rid = made["id"].as_str().unwrap_or_else(|| panic!("{made}"));
            let (action, fields) = match form {
                PageForm::AcceptReferral => ("accept", vec![field("no_conflict", "yes".into())]),
                PageForm::DeclineReferral => ("decline", vec![field("reason", "capacity".into())]),
                _ => ("withdraw", vec![]),
            };
            (format!("/referrals/{rid}/{action}"), fields)
        }
        PageForm::ProposeLibraryRevision
        | PageForm::PublishLibraryRevision
        | PageForm::RejectLibraryRevision
        | PageForm::SaveEnterpriseProfile
        | PageForm::FileCase
        | PageForm::AcceptCase
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
        | PageForm::PublishCase
        | PageForm::SaveRosterProfile
        | PageForm::Recommend
        | PageForm::WithdrawRecommendation
        | PageForm::RecordAppointment
        | PageForm::RecordDisclosure => crate::page_forms_workflows::prepare(app, w, form, n).await,
        PageForm::Notary(form) => crate::page_forms_notary::prepare(app, form, n).await,
        PageForm::ChangeProject | PageForm::AcceptProjectPlan => {
            let (id, _) = enterprise_project(app, n).await;
            let path = if form == PageForm::ChangeProject {
                format!("/projects/{id}")
            } else {
                format!("/projects/{id}/accept")
            };
            let fields = vec![
                field("title", format!("Changed {n}")),
                field("country", "VN".into()),
                field("entry_mode", "acquisition".into()),
            ];
            (path, fields)
        }
    }
}

on_both_backends!(page_forms_by_standing);
/// Every page form in this matrix, posted by every standing.
async fn page_forms_by_standing(app: TestApp) {
    let w = world(&app).await;
    let mut sessions = Vec::new();
    for who in WHO {
        let client = match email(who) {
            Some(address) => app.login(address).await,
            None => app.client(),
        };
        let csrf = app.csrf(&client).await;
        sessions.push((who, client, csrf));
    }
    let mut failures = Vec::new();
    let mut n = 0;
    for form in PageForm::all() {
        for (who, client, csrf) in &mut sessions {
            n += 1;
            let (path, mut fields) = prepare(&app, &w, form, n).await;
            if form == PageForm::Logout {
                // Signing in (the form before) started a new session with a new token.
                *csrf = app.csrf(client).await;
            }
            fields.push(("csrf".into(), csrf.clone()));
            let before = audit_count(&app).await;
            let request = if form == PageForm::Verify {
                let mut multipart = reqwest::multipart::Form::new();
                for (k, v) in fields {
                    multipart = multipart.text(k, v);
                }
                client.post(app.url(&path)).multipart(multipart)
            } else {
                client.post(app.url(&path)).form(&fields)
            };
            let status = request.send().await.unwrap().status().as_u16();
            let expected = form.expect(*who);
            let want = match expected {
                Ok(s) | Err(s) => s,
            };
            if status != want {
                failures.push(format!(
                    "{form:?} as {who:?}: POST {path} -> {status}, want {want}"
                ));
                continue;
            }
            let after = audit_count(&app).await;
            match expected {
                Err(_) if after != before => failures.push(format!(
                    "{form:?} as {who:?} was refused but changed something"
                )),
                Ok(_) if form.audited() && after <= before => failures.push(format!(
                    "{form:?} as {who:?} succeeded without an audit event"
                )),
                _ => {}
            }
        }
    }
    assert!(
        failures.is_empty(),
        "page form failures:\n{}",
        failures.join("\n")
    );
}
