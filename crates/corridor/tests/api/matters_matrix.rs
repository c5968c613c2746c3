//! The matters authorization matrix: every matter route × owner, member, the owning
//! organization's staff, a participant of another matter, an outsider, a platform admin and
//! an anonymous caller. Allowed callers succeed; participants without the right get 403;
//! everyone outside the circle gets 404 (never 403); a refusal changes nothing.

use corridor::auth::{OrgRole, PlatformRole};
use corridor::directory::model::OrgKind;
use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_backends;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    Owner,
    Member,
    /// Org admin of the owning organization (the general kind's staff role).
    Staff,
    /// A participant of another matter, at another organization.
    OtherMatter,
    /// Signed in, in nothing.
    Outsider,
    PlatformAdmin,
    Anonymous,
}

pub const WHO: [Who; 7] = [
    Who::Owner,
    Who::Member,
    Who::Staff,
    Who::OtherMatter,
    Who::Outsider,
    Who::PlatformAdmin,
    Who::Anonymous,
];

#[derive(Clone, Copy, Debug)]
pub enum Case {
    Get,
    Change,
    AddParticipant,
    RemoveParticipant,
    Upload,
    Content,
    Receipt,
    Messages,
    PostMessage,
    Timeline,
    CreateTask,
    GetTask,
    EditTask,
    CreateMeeting,
    MeetingIcs,
}

impl Case {
    const ALL: [Case; 15] = [
        Case::Get,
        Case::Change,
        Case::AddParticipant,
        Case::RemoveParticipant,
        Case::Upload,
        Case::Content,
        Case::Receipt,
        Case::Messages,
        Case::PostMessage,
        Case::Timeline,
        Case::CreateTask,
        Case::GetTask,
        Case::EditTask,
        Case::CreateMeeting,
        Case::MeetingIcs,
    ];

    /// The route each case exercises, as the OpenAPI document names it.
    pub fn route(self) -> (&'static str, &'static str) {
        match self {
            Case::Get => ("GET", "/api/v1/matters/{id}"),
            Case::Change => ("PATCH", "/api/v1/matters/{id}"),
            Case::AddParticipant => ("POST", "/api/v1/matters/{id}/participants"),
            Case::RemoveParticipant => ("DELETE", "/api/v1/matters/{id}/participants/{user_id}"),
            Case::Upload => ("POST", "/api/v1/matters/{id}/documents"),
            Case::Content => ("GET", "/api/v1/matters/{id}/documents/{doc}/content"),
            Case::Receipt => ("GET", "/api/v1/matters/{id}/documents/{doc}/receipt"),
            Case::Messages => ("GET", "/api/v1/matters/{id}/messages"),
            Case::PostMessage => ("POST", "/api/v1/matters/{id}/messages"),
            Case::Timeline => ("GET", "/api/v1/matters/{id}/timeline"),
            Case::CreateTask => ("POST", "/api/v1/matters/{id}/tasks"),
            Case::GetTask => ("GET", "/api/v1/matters/{id}/tasks/{task}"),
            Case::EditTask => ("PATCH", "/api/v1/matters/{id}/tasks/{task}"),
            Case::CreateMeeting => ("POST", "/api/v1/matters/{id}/meetings"),
            Case::MeetingIcs => ("GET", "/api/v1/matters/{id}/meetings/{meeting}/ics"),
        }
    }

    fn changes_state(self) -> bool {
        matches!(self.route().0, "POST" | "PUT" | "PATCH" | "DELETE")
    }

    /// The expected status class: `Ok(())` to succeed, `Err(status)` to be refused with it.
    fn expect(self, who: Who) -> Result<(), u16> {
        use Who::*;
        match who {
            Anonymous => Err(401),
            OtherMatter | Outsider | PlatformAdmin => Err(404),
            Owner | Staff => Ok(()),
            Member => match self {
                // Leading the matter is for owners and staff.
                Case::Change | Case::AddParticipant | Case::RemoveParticipant => Err(403),
                // The task was set by the owner and is not the member's.
                Case::EditTask => Err(403),
                _ => Ok(()),
            },
        }
    }
}

/// Routes about the caller rather than one matter: anyone signed in may use them (opening a
/// matter needs an organization), nobody anonymous.
#[derive(Clone, Copy, Debug)]
pub enum Own {
    OpenMatter,
    AcceptInvitation,
    RenewFeed,
    RevokeFeed,
    ReadNotifications,
    SetPreferences,
    /// Anyone holding the link, signed in or not, may make an account for the invited address.
    RegisterByInvitation,
}

impl Own {
    const ALL: [Own; 7] = [
        Own::OpenMatter,
        Own::AcceptInvitation,
        Own::RenewFeed,
        Own::RevokeFeed,
        Own::ReadNotifications,
        Own::SetPreferences,
        Own::RegisterByInvitation,
    ];

    pub fn route(self) -> (&'static str, &'static str) {
        match self {
            Own::OpenMatter => ("POST", "/api/v1/matters"),
            Own::AcceptInvitation => ("POST", "/api/v1/invitations/{token}/accept"),
            Own::RenewFeed => ("POST", "/api/v1/calendar/feed"),
            Own::RevokeFeed => ("DELETE", "/api/v1/calendar/feed"),
            Own::ReadNotifications => ("POST", "/api/v1/notifications/read"),
            Own::SetPreferences => ("PUT", "/api/v1/me/preferences"),
            Own::RegisterByInvitation => ("POST", "/api/v1/invitations/{token}/register"),
        }
    }

    fn expect(self, who: Who) -> Result<(), u16> {
        match (self, who) {
            (Own::RegisterByInvitation, _) => Ok(()),
            (_, Who::Anonymous) => Err(401),
            // Without an organization there is nobody to own the matter.
            (Own::OpenMatter, Who::Member | Who::PlatformAdmin) => Err(422),
            _ => Ok(()),
        }
    }

    /// Read state is the reader's own bookkeeping, not an audited change.
    fn audited(self) -> bool {
        !matches!(self, Own::ReadNotifications)
    }
}

/// The routes this matrix covers (the router-wide check in `authorization.rs` reads it).
pub fn covered_routes() -> Vec<(&'static str, &'static str)> {
    Case::ALL
        .iter()
        .map(|c| c.route())
        .chain(Own::ALL.iter().map(|o| o.route()))
        .collect()
}

pub struct World {
    pub tokens: Vec<(Who, Option<String>)>,
    pub matter: String,
    pub doc: String,
    pub task: String,
    pub meeting: String,
    pub owner: String,
    pub owner_token: String,
}

/// The sign-in address of each standing (`None` for the anonymous caller).
pub fn email(who: Who) -> Option<&'static str> {
    match who {
        Who::Owner => Some("owner@circle.example"),
        Who::Member => Some("member@else.example"),
        Who::Staff => Some("admin@circle.example"),
        Who::OtherMatter => Some("party@far.example"),
        Who::Outsider => Some("nobody@far.example"),
        Who::PlatformAdmin => Some("root@platform.example"),
        Who::Anonymous => None,
    }
}

pub async fn world(app: &TestApp) -> World {
    let firm = app.org("circle-firm", OrgKind::LocalLawFirm, "CN").await;
    let other = app.org("far-firm", OrgKind::LocalLawFirm, "SG").await;
    let owner = app
        .user("owner@circle.example", None, &[(&firm, OrgRole::Lawyer)])
        .await;
    let member = app.user("member@else.example", None, &[]).await;
    let staff = app
        .user("admin@circle.example", None, &[(&firm, OrgRole::OrgAdmin)])
        .await;
    let elsewhere = app
        .user("party@far.example", None, &[(&other, OrgRole::Lawyer)])
        .await;
    let outsider = app
        .user("nobody@far.example", None, &[(&other, OrgRole::OrgAdmin)])
        .await;
    let admin = app
        .user(
            "root@platform.example",
            Some(PlatformRole::PlatformAdmin),
            &[],
        )
        .await;
    let owner_token = app.token_for(&owner).await;
    let c = app.client();
    let matter: Value = c
        .post(app.url("/api/v1/matters"))
        .bearer_auth(&owner_token)
        .json(&json!({"kind": "general", "title": "Circle"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = matter["id"].as_str().unwrap().to_string();
    c.post(app.url(&format!("/api/v1/matters/{id}/participants")))
        .bearer_auth(&owner_token)
        .json(&json!({"email": "member@else.example", "role": "member"}))
        .send()
        .await
        .unwrap();
    let elsewhere_token = app.token_for(&elsewhere).await;
    c.post(app.url("/api/v1/matters"))
        .bearer_auth(&elsewhere_token)
        .json(&json!({"kind": "general", "title": "Another circle"}))
        .send()
        .await
        .unwrap();
    let doc: Value = c
        .post(app.url(&format!("/api/v1/matters/{id}/documents")))
        .bearer_auth(&owner_token)
        .multipart(
            Form::new()
                .text("role", "evidence")
                .part("file", Part::bytes(b"evidence".to_vec()).file_name("e.pdf")),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let task: Value = c
        .post(app.url(&format!("/api/v1/matters/{id}/tasks")))
        .bearer_auth(&owner_token)
        .json(&json!({"title": "Owner's task"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let meeting: Value = c.post(app.url(&format!("/api/v1/matters/{id}/meetings"))).bearer_auth(&owner_token)
        .json(&json!({"kind": "meeting", "title": "m", "starts": "2030-01-01T10:00", "time_zone": "UTC"})).send().await.unwrap().json().await.unwrap();
    let mut tokens = Vec::new();
    for who in WHO {
        let user = match who {
            Who::Owner => Some(owner.clone()),
            Who::Member => Some(member.clone()),
            Who::Staff => Some(staff.clone()),
            Who::OtherMatter => Some(elsewhere.clone()),
            Who::Outsider => Some(outsider.clone()),
            Who::PlatformAdmin => Some(admin.clone()),
            Who::Anonymous => None,
        };
        let token = match user {
            Some(u) => Some(app.token_for(&u).await),
            None => None,
        };
        tokens.push((who, token));
    }
    World {
        tokens,
        doc: doc["id"].as_str().unwrap().to_string(),
        task: task["id"].as_str().unwrap().to_string(),
        meeting: meeting["id"].as_str().unwrap().to_string(),
        matter: id,
        owner,
        owner_token,
    }
}

/// Builds one attempt; cases that consume something (a participant to remove) make it first.
async fn attempt(
    app: &TestApp,
    w: &World,
    case: Case,
    n: usize,
    token: Option<&String>,
) -> (reqwest::Response, usize) {
    let c = app.client();
    let id = &w.matter;
    let (method, path) = case.route();
    let mut path = path
        .replace("{id}", id)
        .replace("{doc}", &w.doc)
        .replace("{task}", &w.task)
        .replace("{meeting}", &w.meeting);
    if let Case::RemoveParticipant = case {
        let email = format!("extra{n}@else.example");
        let user = app.user(&email, None, &[]).await;
        c.post(app.url(&format!("/api/v1/matters/{id}/participants")))
            .bearer_auth(&w.owner_token)
            .json(&json!({"email": email, "role": "member"}))
            .send()
            .await
            .unwrap();
        path = path.replace("{user_id}", &user);
    }
    let mut request = c.request(
        Method::from_bytes(method.as_bytes()).unwrap(),
        app.url(&path),
    );
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let task_version = if let Case::EditTask = case {
        let t: Value = c
            .get(app.url(&format!("/api/v1/matters/{id}/tasks/{}", w.task)))
            .bearer_auth(&w.owner_token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        t["task"]["version"].as_i64().unwrap()
    } else {
        0
    };
    request = match case {
        Case::Change => request.json(&json!({"title": format!("Circle {n}")})),
        Case::AddParticipant => request.json(&json!({"email": format!("invitee{n}@abroad.example"), "role": "member"})),
        Case::Upload => request.multipart(Form::new().text("role", "evidence").part("file", Part::bytes(format!("doc {n}").into_bytes()).file_name("d.pdf"))),
        Case::PostMessage => request.json(&json!({"body": format!("message {n}")})),
        Case::CreateTask => request.json(&json!({"title": format!("task {n}")})),
        Case::EditTask => request.json(&json!({"version": task_version, "title": format!("Owner's task {n}")})),
        Case::CreateMeeting => request.json(&json!({"kind": "meeting", "title": format!("m{n}"), "starts": "2030-01-02T10:00", "time_zone": "UTC"})),
        _ => request,
    };
    // Counted after the set-up, so only the attempt itself is measured.
    let before = audit_count(app).await;
    (request.send().await.unwrap(), before)
}

on_both_backends!(matter_routes_by_standing);
/// Every matter route for every standing in and around the matter.
async fn matter_routes_by_standing(app: TestApp) {
    let w = world(&app).await;
    let mut failures = Vec::new();
    let mut n = 0;
    for case in Case::ALL {
        for (who, token) in &w.tokens {
            n += 1;
            let (response, before) = attempt(&app, &w, case, n, token.as_ref()).await;
            let status = response.status().as_u16();
            let expected = case.expect(*who);
            let ok = match expected {
                Ok(()) => (200..300).contains(&status),
                Err(want) => status == want,
            };
            if !ok {
                failures.push(format!(
                    "{case:?} as {who:?}: {:?} -> {status}",
                    case.route()
                ));
                continue;
            }
            match expected {
                Err(_) => {
                    let body: Value = response.json().await.unwrap();
                    assert!(
                        body["code"].is_string() && body["message"].is_string(),
                        "{body}"
                    );
                    if audit_count(&app).await != before {
                        failures.push(format!(
                            "{case:?} as {who:?} was refused but changed something"
                        ));
                    }
                }
                Ok(()) if case.changes_state() => {
                    if audit_count(&app).await <= before {
                        failures.push(format!(
                            "{case:?} as {who:?} succeeded without an audit event"
                        ));
                    }
                }
                Ok(()) => {}
            }
        }
    }
    assert!(
        failures.is_empty(),
        "matters matrix failures:\n{}",
        failures.join("\n")
    );
}

on_both_backends!(own_routes_by_standing);
/// Routes about the caller: open a matter, accept an invitation, the calendar feed, read
/// notifications.
async fn own_routes_by_standing(app: TestApp) {
    let w = world(&app).await;
    let c = app.client();
    let mut failures = Vec::new();
    let mut n = 0;
    for own in Own::ALL {
        for (who, token) in &w.tokens {
            n += 1;
            let (method, path) = own.route();
            let mut path = path.to_string();
            if let Own::AcceptInvitation | Own::RegisterByInvitation = own {
                let added: Value = c
                    .post(app.url(&format!("/api/v1/matters/{}/participants", w.matter)))
                    .bearer_auth(&w.owner_token)
                    .json(&json!({"email": format!("guest{n}@abroad.example"), "role": "member"}))
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                let token = added["link"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string();
                path = path.replace("{token}", &token);
            }
            let mut request = c.request(
                Method::from_bytes(method.as_bytes()).unwrap(),
                app.url(&path),
            );
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            if let Own::OpenMatter = own {
                request = request.json(&json!({"kind": "general", "title": format!("Opened {n}")}));
            } else if let Own::RegisterByInvitation = own {
                request =
                    request.json(&json!({"name": format!("Guest {n}"), "password": PASSWORD}));
            } else if let Own::SetPreferences = own {
                request = request.json(&json!({"locale": "en", "time_zone": "Asia/Ho_Chi_Minh"}));
            } else if method == "POST" {
                request = request.json(&json!({}));
            }
            let before = audit_count(&app).await;
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let expected = own.expect(*who);
            let ok = match expected {
                Ok(()) => (200..300).contains(&status),
                Err(want) => status == want,
            };
            if !ok {
                failures.push(format!("{own:?} as {who:?}: {path} -> {status}"));
                continue;
            }
            let after = audit_count(&app).await;
            match expected {
                Err(_) if after != before => failures.push(format!(
                    "{own:?} as {who:?} was refused but changed something"
                )),
                Ok(()) if own.audited() && after <= before => failures.push(format!(
                    "{own:?} as {who:?} succeeded without an audit event"
                )),
                _ => {}
            }
        }
    }
    assert!(
        failures.is_empty(),
        "own-route failures:\n{}",
        failures.join("\n")
    );
}
