//! Matters: a closed circle that opens, invites, files, messages, sets tasks and meetings —
//! and does not exist for anyone outside it.

use corridor::auth::{OrgRole, PlatformRole};
use corridor::directory::model::OrgKind;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::*;
use crate::on_both_backends;

/// A firm with an owner, a colleague, and an outsider at another firm; tokens for each.
struct Cast {
    owner: String,
    colleague: String,
    outsider: String,
    admin: String,
    org_admin: String,
}

async fn cast(app: &TestApp) -> Cast {
    let jl = app.org("jialing-law", OrgKind::LocalLawFirm, "CN").await;
    let other = app.org("other-firm", OrgKind::LocalLawFirm, "CN").await;
    let owner = app
        .user("owner@jl.example", None, &[(jl.as_str(), OrgRole::Lawyer)])
        .await;
    let colleague = app
        .user(
            "colleague@partner.example",
            None,
            &[(other.as_str(), OrgRole::Lawyer)],
        )
        .await;
    let outsider = app
        .user(
            "outsider@other.example",
            None,
            &[(other.as_str(), OrgRole::OrgAdmin)],
        )
        .await;
    let admin = app
        .user(
            "root@platform.example",
            Some(PlatformRole::PlatformAdmin),
            &[],
        )
        .await;
    let org_admin = app
        .user("boss@jl.example", None, &[(jl.as_str(), OrgRole::OrgAdmin)])
        .await;
    Cast {
        owner: app.token_for(&owner).await,
        colleague: app.token_for(&colleague).await,
        outsider: app.token_for(&outsider).await,
        admin: app.token_for(&admin).await,
        org_admin: app.token_for(&org_admin).await,
    }
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> reqwest::Response {
    app.client()
        .post(app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn get(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    app.client()
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

async fn open_matter(app: &TestApp, token: &str, title: &str) -> Value {
    let r = post(
        app,
        token,
        "/api/v1/matters",
        json!({"kind": "general", "title": title}),
    )
    .await;
    assert_eq!(r.status(), 201);
    r.json().await.unwrap()
}

async fn upload(
    app: &TestApp,
    token: &str,
    matter: &str,
    name: &str,
    bytes: Vec<u8>,
    role: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let mut form = Form::new().text("role", role.to_string()).part(
        "file",
        Part::bytes(bytes)
            .file_name(name.to_string())
            .mime_str("application/pdf")
            .unwrap(),
    );
    for (k, v) in extra {
        form = form.text(k.to_string(), v.to_string());
    }
    app.client()
        .post(app.url(&format!("/api/v1/matters/{matter}/documents")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn audit_count(app: &TestApp) -> usize {
    app.store
        .audit_page(None, None, 10_000)
        .await
        .unwrap()
        .len()
}

on_both_backends!(a_matter_is_opened_shared_filed_and_scheduled);
/// The whole path through the API: open, invite, file, receipt, message, task, meeting.
async fn a_matter_is_opened_shared_filed_and_scheduled(app: TestApp) {
    let c = cast(&app).await;
    let matter = open_matter(&app, &c.owner, "Supply contract dispute — Hanoi").await;
    let id = matter["id"].as_str().unwrap().to_string();
    let year = chrono::Utc::now().format("%Y").to_string();
    assert_eq!(matter["reference"], format!("JL-{year}-0001"));
    assert_eq!(matter["my_role"], "owner");
    let second = open_matter(&app, &c.owner, "Second").await;
    assert_eq!(
        second["reference"],
        format!("JL-{year}-0002"),
        "numbers run per owner and year"
    );

    // A known user joins at once.
    let r = post(
        &app,
        &c.owner,
        &format!("/api/v1/matters/{id}/participants"),
        json!({"email": "colleague@partner.example", "role": "member"}),
    )
    .await;
    assert_eq!(r.status(), 201);
    let added: Value = r.json().await.unwrap();
    assert_eq!(added["participant"]["role"], "member");

    // A document is filed, stored once per hash, and anchored.
    let bytes = "合同 PDF bytes %PDF-1.7".as_bytes().to_vec();
    let sha = hex::encode(Sha256::digest(&bytes));
    let r = upload(
        &app,
        &c.colleague,
        &id,
        "../secret/合同.pdf",
        bytes.clone(),
        "contract",
        &[],
    )
    .await;
    assert_eq!(r.status(), 201);
    let doc: Value = r.json().await.unwrap();
    assert_eq!(doc["sha256"], sha);
    assert_eq!(doc["size"], bytes.len());
    assert_eq!(doc["name"], "合同.pdf", "path parts are dropped");
    let doc_id = doc["id"].as_str().unwrap();
    let content = get(
        &app,
        &c.owner,
        &format!("/api/v1/matters/{id}/documents/{doc_id}/content"),
    )
    .await;
    assert_eq!(content.status(), 200);
    assert_eq!(content.bytes().await.unwrap().to_vec(), bytes);

    let r = get(
        &app,
        &c.owner,
        &format!("/api/v1/matters/{id}/documents/{doc_id}/receipt"),
    )
    .await;
    assert_eq!(r.status(), 200);
    let receipt: Value = r.json().await.unwrap();
    let record = receipt["record"].as_str().unwrap();
    assert!(
        !record.contains(&id) && !record.contains("合同"),
        "no id or name in the leaf: {record}"
    );
    // The CLI a verifier abroad runs.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("proof.txt"),
        receipt["receipt"].as_str().unwrap(),
    )
    .unwrap();
    std::fs::write(dir.path().join("record.json"), record).unwrap();
    std::fs::write(dir.path().join("contract.pdf"), &bytes).unwrap();
    let verify = |file: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_corridor"))
            .current_dir(dir.path())
            .args([
                "verify",
                "receipt",
                "--vkey",
                receipt["vkey"].as_str().unwrap(),
                "--proof",
                "proof.txt",
                "--record",
                "record.json",
                "--file",
                file,
            ])
            .output()
            .unwrap()
    };
    let out = verify("contract.pdf");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    std::fs::write(dir.path().join("forged.pdf"), b"forged").unwrap();
    assert_eq!(verify("forged.pdf").status.code(), Some(1));

    // A correction is a new version linked to the old one.
    let r = upload(
        &app,
        &c.owner,
        &id,
        "contract-v2.pdf",
        b"v2".to_vec(),
        "contract",
        &[("replaces", doc_id)],
    )
    .await;
    assert_eq!(r.status(), 201);
    let v2: Value = r.json().await.unwrap();
    assert_eq!(v2["version"], 2);
    assert_eq!(v2["previous_id"], doc_id);
    let r = upload(
        &app,
        &c.owner,
        &id,
        "contract-v2b.pdf",
        b"v2b".to_vec(),
        "contract",
        &[("replaces", doc_id)],
    )
    .await;
    assert_eq!(
        error_of(r).await.0,
        409,
        "only the newest version can be corrected"
    );

    // Messages, with read state.
    let r = post(
        &app,
        &c.owner,
        &format!("/api/v1/matters/{id}/messages"),
        json!({"body": "请于周五前确认"}),
    )
    .await;
    assert_eq!(r.status(), 201);
    let detail: Value = get(&app, &c.colleague, &format!("/api/v1/matters/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["unread_messages"], 1);
    let msgs: Value = get(
        &app,
        &c.colleague,
        &format!("/api/v1/matters/{id}/messages"),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(msgs[0]["body"], "请于周五前确认");
    let detail: Value = get(&app, &c.colleague, &format!("/api/v1/matters/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["unread_messages"], 0, "reading marks read");

    // A task due in Jakarta, seen as the instant it is.
    let r = post(
        &app,
        &c.owner,
        &format!("/api/v1/matters/{id}/tasks"),
        json!({
        "title": "Translate the award", "assignee_email": "colleague@partner.example",
        "due": "2030-01-10T17:00", "time_zone": "Asia/Jakarta"}),
    )
    .await;
    assert_eq!(r.status(), 201);
    let task: Value = r.json().await.unwrap();
    assert_eq!(task["due_at"], "2030-01-10T10:00:00Z");
    assert_eq!(task["due_local"], "2030-01-10 17:00");

    // A hearing in Bangkok; each reader sees it in their own zone, and gets an .ics.
    let r = post(&app, &c.owner, &format!("/api/v1/matters/{id}/meetings"), json!({
        "kind": "hearing", "title": "First hearing", "starts": "2030-02-01T09:00",
        "duration_minutes": 90, "time_zone": "Asia/Bangkok", "online_url": "https://meet.example/h1"})).await;
    assert_eq!(r.status(), 201);
    let meeting: Value = r.json().await.unwrap();
    assert_eq!(meeting["starts_at"], "2030-02-01T02:00:00Z");
    assert_eq!(
        meeting["starts_local"], "2030-02-01 10:00",
        "the reader's zone is Asia/Shanghai by default"
    );
    let ics = get(
        &app,
        &c.colleague,
        &format!(
            "/api/v1/matters/{id}/meetings/{}/ics",
            meeting["id"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(ics.status(), 200);
    assert!(
        ics.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let ics = ics.text().await.unwrap();
    assert!(
        ics.contains("DTSTART:20300201T020000Z\r\n") && ics.contains("DTEND:20300201T033000Z\r\n"),
        "{ics}"
    );

    // The timeline has every event, in the reader's language.
    let events: Value = app
        .client()
        .get(app.url(&format!("/api/v1/matters/{id}/timeline")))
        .bearer_auth(&c.colleague)
        .header("accept-language", "zh-CN")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kinds: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    for kind in [
        "opened",
        "joined",
        "filed",
        "message",
        "task_set",
        "meeting_set",
    ] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    assert!(
        events[0]["text"].as_str().unwrap().contains("已创建"),
        "{}",
        events[0]
    );

    // Notifications reached the colleague, not the actor.
    let notes: Value = get(&app, &c.colleague, "/api/v1/notifications")
        .await
        .json()
        .await
        .unwrap();
    assert!(notes["unread"].as_i64().unwrap() >= 3, "{notes}");
    let r = post(&app, &c.colleague, "/api/v1/notifications/read", json!({})).await;
    assert_eq!(r.status(), 204);
    let notes: Value = get(&app, &c.colleague, "/api/v1/notifications")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(notes["unread"], 0);

    // My matters, filtered by role; the org admin sees the firm's matters as staff.
    let mine: Value = get(&app, &c.colleague, "/api/v1/matters?role=member")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["total"], 1);
    let staff: Value = get(&app, &c.org_admin, "/api/v1/matters")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(staff["total"], 2);
    assert_eq!(staff["items"][0]["staff"], true);
    let _ = (c.outsider, c.admin);
}

on_both_backends!(outsiders_and_platform_admins_find_nothing);
/// An outsider, a participant of another matter, and a platform admin get 404 everywhere,
/// and their attempts change nothing.
async fn outsiders_and_platform_admins_find_nothing(app: TestApp) {
    let c = cast(&app).await;
    let matter = open_matter(&app, &c.owner, "Confidential").await;
    let id = matter["id"].as_str().unwrap();
    let doc: Value = upload(
        &app,
        &c.owner,
        id,
        "a.pdf",
        b"secret".to_vec(),
        "evidence",
        &[],
    )
    .await
    .json()
    .await
    .unwrap();
    let doc_id = doc["id"].as_str().unwrap();
    open_matter(&app, &c.outsider, "Their own matter").await;
    let before = audit_count(&app).await;
    for token in [&c.outsider, &c.admin, &c.colleague] {
        for path in [
            format!("/api/v1/matters/{id}"),
            format!("/api/v1/matters/{id}/messages"),
            format!("/api/v1/matters/{id}/timeline"),
            format!("/api/v1/matters/{id}/documents/{doc_id}/content"),
            format!("/api/v1/matters/{id}/documents/{doc_id}/receipt"),
        ] {
            let (status, body) = error_of(get(&app, token, &path).await).await;
            assert_eq!(
                (status, body["code"].as_str().unwrap()),
                (404, "not_found"),
                "GET {path}"
            );
        }
        for (path, body) in [
            (
                format!("/api/v1/matters/{id}/participants"),
                json!({"email": "x@y.example", "role": "member"}),
            ),
            (
                format!("/api/v1/matters/{id}/messages"),
                json!({"body": "hi"}),
            ),
            (format!("/api/v1/matters/{id}/tasks"), json!({"title": "t"})),
            (
                format!("/api/v1/matters/{id}/meetings"),
                json!({"kind": "meeting", "title": "m", "starts": "2030-01-01T10:00", "time_zone": "UTC"}),
            ),
        ] {
            assert_eq!(
                post(&app, token, &path, body).await.status(),
                404,
                "POST {path}"
            );
        }
        assert_eq!(
            upload(&app, token, id, "b.pdf", b"x".to_vec(), "evidence", &[])
                .await
                .status(),
            404
        );
        let r = app
            .client()
            .patch(app.url(&format!("/api/v1/matters/{id}")))
            .bearer_auth(token)
            .json(&json!({"status": "closed"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404);
    }
    assert_eq!(audit_count(&app).await, before, "refusals write nothing");
    let list: Value = get(&app, &c.admin, "/api/v1/matters")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        list["total"], 0,
        "platform admins do not read matters they are not in"
    );
    let detail: Value = get(&app, &c.owner, &format!("/api/v1/matters/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["matter"]["status"], "open");
    assert_eq!(detail["documents"].as_array().unwrap().len(), 1);
}

on_both_backends!(members_work_and_owners_lead);
/// Members work; only those who lead invite, close, or remove others.
async fn members_work_and_owners_lead(app: TestApp) {
    let c = cast(&app).await;
    let id = open_matter(&app, &c.owner, "Roles").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    post(
        &app,
        &c.owner,
        &format!("/api/v1/matters/{id}/participants"),
        json!({"email": "colleague@partner.example", "role": "member"}),
    )
    .await;
    let r = post(
        &app,
        &c.colleague,
        &format!("/api/v1/matters/{id}/participants"),
        json!({"email": "outsider@other.example", "role": "member"}),
    )
    .await;
    assert_eq!(error_of(r).await.0, 403);
    let r = app
        .client()
        .patch(app.url(&format!("/api/v1/matters/{id}")))
        .bearer_auth(&c.colleague)
        .json(&json!({"status": "closed"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // The last owner cannot leave the matter without a lead.
    let detail: Value = get(&app, &c.owner, &format!("/api/v1/matters/{id}"))
        .await
        .json()
        .await
        .unwrap();
    let owner_id = detail["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["role"] == "owner")
        .unwrap()["user_id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .client()
        .delete(app.url(&format!("/api/v1/matters/{id}/participants/{owner_id}")))
        .bearer_auth(&c.owner)
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(r).await.0, 409);
    // Owners close; a closed matter is still readable.
    let r = app
        .client()
        .patch(app.url(&format!("/api/v1/matters/{id}")))
        .bearer_auth(&c.owner)
        .json(&json!({"status": "closed"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let closed: Value = get(&app, &c.colleague, "/api/v1/matters?status=closed")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(closed["total"], 1);
    // A removed participant loses the matter at once.
    let colleague_id = detail["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["role"] == "member")
        .unwrap()["user_id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .client()
        .delete(app.url(&format!("/api/v1/matters/{id}/participants/{colleague_id}")))
        .bearer_auth(&c.owner)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(
        get(&app, &c.colleague, &format!("/api/v1/matters/{id}"))
            .await
            .status(),
        404
    );
}

on_both_backends!(restricted_documents_exist_only_for_their_roles);
/// A document restricted to owners is invisible to members (404), visible to its author.
async fn restricted_documents_exist_only_for_their_roles(app: TestApp) {
    let c = cast(&app).await;
    let id = open_matter(&app, &c.owner, "Restricted").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    post(
        &app,
        &c.owner,
        &format!("/api/v1/matters/{id}/participants"),
        json!({"email": "colleague@partner.example", "role": "member"}),
    )
    .await;
    let doc: Value = upload(
        &app,
        &c.owner,
        &id,
        "tribunal-only.pdf",
        b"deliberation".to_vec(),
        "minutes",
        &[("visible_to", "owner")],
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(doc["visible_to"], json!(["owner"]));
    let doc_id = doc["id"].as_str().unwrap();
    let detail: Value = get(&app, &c.colleague, &format!("/api/v1/matters/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["documents"].as_array().unwrap().len(), 0);
    assert_eq!(
        get(
            &app,
            &c.colleague,
            &format!("/api/v1/matters/{id}/documents/{doc_id}/content")
        )
        .await
        .status(),
        404
    );
    assert_eq!(
        get(
            &app,
            &c.owner,
            &format!("/api/v1/matters/{id}/documents/{doc_id}/content")
        )
        .await
        .status(),
        200
    );
    let events: Value = get(
        &app,
        &c.colleague,
        &format!("/api/v1/matters/{id}/timeline"),
    )
    .await
    .json()
    .await
    .unwrap();
    assert!(
        !events.to_string().contains("tribunal-only"),
        "nor is it on their timeline"
    );
}

on_both_backends!(a_stale_task_edit_gets_409);
/// Two edits of the same task version: the second gets 409 and changes nothing.
async fn a_stale_task_edit_gets_409(app: TestApp) {
    let c = cast(&app).await;
    let id = open_matter(&app, &c.owner, "Tasks").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let task: Value = post(
        &app,
        &c.owner,
        &format!("/api/v1/matters/{id}/tasks"),
        json!({"title": "File the claim", "due": "2030-03-01T12:00", "time_zone": "Asia/Shanghai"}),
    )
    .await
    .json()
    .await
    .unwrap();
    let path = format!(
        "/api/v1/matters/{id}/tasks/{}",
        task["id"].as_str().unwrap()
    );
    let edit = |body: Value| {
        app.client()
            .patch(app.url(&path))
            .bearer_auth(&c.owner)
            .json(&body)
            .send()
    };
    let first = edit(json!({"version": 1, "status": "done"})).await.unwrap();
    assert_eq!(first.status(), 200);
    let second = edit(json!({"version": 1, "title": "Something else"}))
        .await
        .unwrap();
    let (status, body) = error_of(second).await;
    assert_eq!((status, body["code"].as_str().unwrap()), (409, "conflict"));
    let now: Value = get(&app, &c.owner, &path).await.json().await.unwrap();
    assert_eq!(now["task"]["title"], "File the claim");
    assert_eq!(now["task"]["status"], "done");
    assert_eq!(now["history"].as_array().unwrap().len(), 2);
}

on_both_backends!(due_soon_and_overdue_views_span_my_matters);
/// "Due soon" and "overdue" span the user's matters.
async fn due_soon_and_overdue_views_span_my_matters(app: TestApp) {
    let c = cast(&app).await;
    let a = open_matter(&app, &c.owner, "A").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let b = open_matter(&app, &c.owner, "B").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let soon = (chrono::Utc::now() + chrono::Duration::days(2))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let past = (chrono::Utc::now() - chrono::Duration::days(2))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    post(
        &app,
        &c.owner,
        &format!("/api/v1/matters/{a}/tasks"),
        json!({"title": "soon", "due": soon, "time_zone": "UTC"}),
    )
    .await;
    post(
        &app,
        &c.owner,
        &format!("/api/v1/matters/{b}/tasks"),
        json!({"title": "late", "due": past, "time_zone": "UTC"}),
    )
    .await;
    post(
        &app,
        &c.owner,
        &format!("/api/v1/matters/{b}/tasks"),
        json!({"title": "someday"}),
    )
    .await;
    let due: Value = get(&app, &c.owner, "/api/v1/tasks?view=due_soon")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        due.as_array()
            .unwrap()
            .iter()
            .map(|t| t["task"]["title"].as_str().unwrap())
            .collect::<Vec<_>>(),
        vec!["soon"]
    );
    let late: Value = get(&app, &c.owner, "/api/v1/tasks?view=overdue")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        late.as_array()
            .unwrap()
            .iter()
            .map(|t| t["task"]["title"].as_str().unwrap())
            .collect::<Vec<_>>(),
        vec!["late"]
    );
    assert_eq!(
        error_of(get(&app, &c.owner, "/api/v1/tasks?view=later").await)
            .await
            .0,
        422
    );
}

on_both_backends!(invitations_are_one_time);
/// An invitation link works once, for whoever holds it, until it expires.
async fn invitations_are_one_time(app: TestApp) {
    let c = cast(&app).await;
    let id = open_matter(&app, &c.owner, "Invite").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = post(
        &app,
        &c.owner,
        &format!("/api/v1/matters/{id}/participants"),
        json!({"email": "new.person@abroad.example", "role": "member"}),
    )
    .await;
    assert_eq!(r.status(), 201);
    let added: Value = r.json().await.unwrap();
    assert!(added["participant"].is_null());
    let link = added["link"].as_str().unwrap();
    let token = link.rsplit('/').next().unwrap();
    let newcomer = app.user("new.person@abroad.example", None, &[]).await;
    let newcomer = app.token_for(&newcomer).await;
    let r = post(
        &app,
        &newcomer,
        &format!("/api/v1/invitations/{token}/accept"),
        json!({}),
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        get(&app, &newcomer, &format!("/api/v1/matters/{id}"))
            .await
            .status(),
        200
    );
    let again = post(
        &app,
        &c.outsider,
        &format!("/api/v1/invitations/{token}/accept"),
        json!({}),
    )
    .await;
    let (status, body) = error_of(again).await;
    assert_eq!((status, body["code"].as_str().unwrap()), (409, "conflict"));
    assert_eq!(
        get(&app, &c.outsider, &format!("/api/v1/matters/{id}"))
            .await
            .status(),
        404
    );
    let r = post(
        &app,
        &newcomer,
        "/api/v1/invitations/not-a-token/accept",
        json!({}),
    )
    .await;
    assert_eq!(r.status(), 404);
    // Without an account, the link makes one with the invited address.
    let r: Value = post(
        &app,
        &c.owner,
        &format!("/api/v1/matters/{id}/participants"),
        json!({"email": "fresh@abroad.example", "role": "member"}),
    )
    .await
    .json()
    .await
    .unwrap();
    let fresh = r["link"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let r = app
        .client()
        .post(app.url(&format!("/api/v1/invitations/{fresh}/register")))
        .json(&json!({"name": "Fresh Partner", "password": "short"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        error_of(r).await.0,
        422,
        "a short password makes no account"
    );
    let r = app
        .client()
        .post(app.url(&format!("/api/v1/invitations/{fresh}/register")))
        .json(&json!({"name": "Fresh Partner", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let joined: Value = r.json().await.unwrap();
    assert_eq!(joined["my_role"], "member");
    let fresh_client = app.login("fresh@abroad.example").await;
    assert_eq!(
        fresh_client
            .get(app.url(&format!("/matters/{id}")))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let r = app
        .client()
        .post(app.url(&format!("/api/v1/invitations/{fresh}/register")))
        .json(&json!({"name": "Again", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(r).await.0, 409, "used");
    // An expired invitation.
    let r: Value = post(
        &app,
        &c.owner,
        &format!("/api/v1/matters/{id}/participants"),
        json!({"email": "late@abroad.example", "role": "member"}),
    )
    .await
    .json()
    .await
    .unwrap();
    let late_token = r["link"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    let past = chrono::Utc::now() - chrono::Duration::days(1);
    match app.store.pool() {
        corridor::db::Pool::Sqlite(p) => {
            sqlx::query("UPDATE matter_invitations SET expires_at = $1")
                .bind(past)
                .execute(p)
                .await
                .unwrap();
        }
        corridor::db::Pool::Postgres(p) => {
            sqlx::query("UPDATE matter_invitations SET expires_at = $1")
                .bind(past)
                .execute(p)
                .await
                .unwrap();
        }
    }
    let r = post(
        &app,
        &newcomer,
        &format!("/api/v1/invitations/{late_token}/accept"),
        json!({}),
    )
    .await;
    assert_eq!(error_of(r).await.0, 409);
}

on_both_backends!(bad_matter_input_is_named);
/// Mistakes are named and change nothing; none is a 5xx.
async fn bad_matter_input_is_named(app: TestApp) {
    let c = cast(&app).await;
    let r = post(
        &app,
        &c.owner,
        "/api/v1/matters",
        json!({"kind": "arbitration_cas", "title": "x"}),
    )
    .await;
    let (status, body) = error_of(r).await;
    assert_eq!(status, 422);
    assert!(body["message"].as_str().unwrap().contains("kind"), "{body}");
    let r = post(
        &app,
        &c.owner,
        "/api/v1/matters",
        json!({"kind": "general", "title": "  "}),
    )
    .await;
    assert_eq!(error_of(r).await.0, 422);
    let r = post(
        &app,
        &c.owner,
        "/api/v1/matters",
        json!({"kind": "general", "title": "x", "organization": "other-firm"}),
    )
    .await;
    assert_eq!(error_of(r).await.0, 422);
    let id = open_matter(&app, &c.owner, "Bad input").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = post(
        &app,
        &c.owner,
        &format!("/api/v1/matters/{id}/participants"),
        json!({"email": "colleague@partner.example", "role": "tribunal"}),
    )
    .await;
    let (status, body) = error_of(r).await;
    assert_eq!(status, 422);
    assert!(body["message"].as_str().unwrap().contains("role"), "{body}");
    let r = upload(&app, &c.owner, &id, "x.pdf", b"x".to_vec(), "poem", &[]).await;
    assert_eq!(error_of(r).await.0, 422);
    let r = upload(
        &app,
        &c.owner,
        &id,
        "x.pdf",
        b"x".to_vec(),
        "evidence",
        &[("visible_to", "judge")],
    )
    .await;
    assert_eq!(error_of(r).await.0, 422);
    let r = post(
        &app,
        &c.owner,
        &format!("/api/v1/matters/{id}/tasks"),
        json!({"title": "t", "due": "2030-01-01T10:00", "time_zone": "Mars/Olympus"}),
    )
    .await;
    assert_eq!(error_of(r).await.0, 422);
    let r = post(
        &app,
        &c.owner,
        &format!("/api/v1/matters/{id}/meetings"),
        json!({"kind": "hearing", "title": "h", "starts": "tomorrow", "time_zone": "UTC"}),
    )
    .await;
    assert_eq!(error_of(r).await.0, 422);
    let r = app
        .client()
        .post(app.url(&format!("/api/v1/matters/{id}/documents")))
        .bearer_auth(&c.owner)
        .multipart(Form::new().text("role", "evidence"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(r).await.0, 422, "no file");
    let detail: Value = get(&app, &c.owner, &format!("/api/v1/matters/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["documents"].as_array().unwrap().len(), 0);
    assert_eq!(detail["participants"].as_array().unwrap().len(), 1);
}

on_both_backends!(the_calendar_feed_can_be_revoked);
/// The private feed lists the user's meetings until it is renewed or revoked.
async fn the_calendar_feed_can_be_revoked(app: TestApp) {
    let c = cast(&app).await;
    let id = open_matter(&app, &c.owner, "Feed").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    post(&app, &c.owner, &format!("/api/v1/matters/{id}/meetings"), json!({"kind": "meeting", "title": "Kick-off 启动会", "starts": "2030-05-05T15:00", "time_zone": "Asia/Kuala_Lumpur"})).await;
    let feed: Value = post(&app, &c.owner, "/api/v1/calendar/feed", json!({}))
        .await
        .json()
        .await
        .unwrap();
    let url = feed["url"].as_str().unwrap();
    let path = &url[url.find("/calendar/").unwrap()..];
    let r = app.client().get(app.url(path)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("SUMMARY:Kick-off 启动会"));
    let renewed: Value = post(&app, &c.owner, "/api/v1/calendar/feed", json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_ne!(renewed["url"], feed["url"]);
    assert_eq!(
        app.client()
            .get(app.url(path))
            .send()
            .await
            .unwrap()
            .status(),
        404,
        "the old URL stops working"
    );
    let r = app
        .client()
        .delete(app.url("/api/v1/calendar/feed"))
        .bearer_auth(&c.owner)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let new_url = renewed["url"].as_str().unwrap();
    let new_path = &new_url[new_url.find("/calendar/").unwrap()..];
    assert_eq!(
        app.client()
            .get(app.url(new_path))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

/// An upload over the limit is refused with 413 and leaves no blob and no row.
#[tokio::test]
async fn an_oversize_upload_keeps_nothing() {
    let settings = corridor::config::Settings {
        upload_limit_mb: 1,
        ..Default::default()
    };
    let app = TestApp::spawn_with(Backend::Sqlite, settings)
        .await
        .unwrap();
    let c = cast(&app).await;
    let id = open_matter(&app, &c.owner, "Big").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let big = vec![7u8; 1024 * 1024 + 10];
    let sha = hex::encode(Sha256::digest(&big));
    let r = upload(&app, &c.owner, &id, "big.bin", big, "evidence", &[]).await;
    let (status, body) = error_of(r).await;
    assert_eq!(
        (status, body["code"].as_str().unwrap()),
        (413, "payload_too_large")
    );
    let detail: Value = get(&app, &c.owner, &format!("/api/v1/matters/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["documents"].as_array().unwrap().len(), 0);
    assert!(!app.store.blob_exists(&sha).await.unwrap());
    let files = corridor::matters::files::Files::open(&corridor::config::Settings {
        data_dir: app.data_dir().to_path_buf(),
        ..Default::default()
    })
    .unwrap();
    assert!(!files.has_blob(&sha).await);
    assert_eq!(files.staged_count().await, 0);
    // Just under the limit is fine.
    let r = upload(
        &app,
        &c.owner,
        &id,
        "ok.bin",
        vec![1u8; 1000 * 1024],
        "evidence",
        &[],
    )
    .await;
    assert_eq!(r.status(), 201);
}

/// On PostgreSQL + S3 with two nodes: a document filed through one node downloads and verifies
/// through the other, is stored once per hash in the bucket, and an upload retried with the
/// same Idempotency-Key files it once.
#[tokio::test]
#[ignore = "needs PostgreSQL and S3: set CORRIDOR_TEST_POSTGRES_URL and CORRIDOR_TEST_S3_ENDPOINT"]
async fn two_nodes_on_postgres_and_s3_share_documents() {
    let cluster = Cluster::new().await;
    let a = cluster.node().await;
    let b = cluster.node().await;
    let firm = a.org("s3-firm", OrgKind::LocalLawFirm, "CN").await;
    let owner = a
        .user("owner@s3.example", None, &[(&firm, OrgRole::Lawyer)])
        .await;
    let token = a.token_for(&owner).await;
    let id = open_matter(&a, &token, "On S3").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let bytes = b"%PDF-1.7 shared across nodes".to_vec();
    let send = |app: &TestApp, key: &'static str| {
        app.client()
            .post(app.url(&format!("/api/v1/matters/{id}/documents")))
            .bearer_auth(&token)
            .header("Idempotency-Key", key)
            .multipart(
                Form::new()
                    .text("role", "evidence")
                    .part("file", Part::bytes(bytes.clone()).file_name("shared.pdf")),
            )
            .send()
    };
    let first = send(&a, "upload-1").await.unwrap();
    assert_eq!(first.status(), 201);
    let doc: Value = first.json().await.unwrap();
    let retried = send(&b, "upload-1").await.unwrap();
    assert!(retried.status().is_success(), "{}", retried.status());
    let again: Value = retried.json().await.unwrap();
    assert_eq!(again["id"], doc["id"], "a retry files nothing new");
    let detail: Value = get(&b, &token, &format!("/api/v1/matters/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["documents"].as_array().unwrap().len(), 1);

    let doc_id = doc["id"].as_str().unwrap();
    let content = get(
        &b,
        &token,
        &format!("/api/v1/matters/{id}/documents/{doc_id}/content"),
    )
    .await;
    assert_eq!(content.status(), 200);
    assert_eq!(content.bytes().await.unwrap().to_vec(), bytes);
    let receipt: Value = get(
        &b,
        &token,
        &format!("/api/v1/matters/{id}/documents/{doc_id}/receipt"),
    )
    .await
    .json()
    .await
    .unwrap();
    corridor::anchoring::verify::check(
        receipt["vkey"].as_str().unwrap(),
        &[],
        0,
        receipt["receipt"].as_str().unwrap(),
        receipt["record"].as_str().unwrap().as_bytes(),
        &[("shared.pdf".into(), bytes.clone())],
    )
    .expect("the receipt from the other node verifies");

    // The content is in the bucket under its hash, and nothing is left in staging.
    let files = corridor::matters::files::Files::open(&cluster.settings()).unwrap();
    assert!(files.has_blob(doc["sha256"].as_str().unwrap()).await);
    assert_eq!(files.staged_count().await, 0);
}

/// Notifications also go out as email over SMTP, each in its recipient's language, and an
/// invitation to an unknown address carries its link (in both languages).
#[tokio::test]
async fn participants_get_email_in_their_own_language() {
    let sink = crate::smtp_sink::SmtpSink::start().await;
    let settings = corridor::config::Settings {
        smtp_url: sink.url(),
        public_url: "https://corridor.example".into(),
        ..Default::default()
    };
    let app = TestApp::spawn_with(Backend::Sqlite, settings)
        .await
        .unwrap();
    let c = cast(&app).await;
    // The colleague reads English; the owner keeps the default, Chinese.
    let r = app
        .client()
        .put(app.url("/api/v1/me/preferences"))
        .bearer_auth(&c.colleague)
        .json(&json!({"locale": "en", "time_zone": "Asia/Singapore"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let id = open_matter(&app, &c.owner, "Email").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    post(
        &app,
        &c.owner,
        &format!("/api/v1/matters/{id}/participants"),
        json!({"email": "colleague@partner.example", "role": "member"}),
    )
    .await;
    post(
        &app,
        &c.colleague,
        &format!("/api/v1/matters/{id}/messages"),
        json!({"body": "hello"}),
    )
    .await;
    let r: Value = post(
        &app,
        &c.owner,
        &format!("/api/v1/matters/{id}/participants"),
        json!({"email": "stranger@abroad.example", "role": "member"}),
    )
    .await
    .json()
    .await
    .unwrap();
    let link = r["link"].as_str().unwrap().to_string();
    assert!(
        link.starts_with("https://corridor.example/invitations/"),
        "{link}"
    );

    let received = sink.wait_for(3).await;
    let parsed: Vec<(String, String, String)> = received
        .iter()
        .map(|m| {
            let msg = mail_parser::MessageParser::default()
                .parse(&m.data)
                .unwrap();
            (
                m.rcpt_to.join(","),
                msg.subject().unwrap_or("").to_string(),
                msg.body_text(0).unwrap_or_default().to_string(),
            )
        })
        .collect();
    let to = |who: &str| {
        parsed
            .iter()
            .find(|(r, _, _)| r == who)
            .unwrap_or_else(|| panic!("mail to {who}: {parsed:?}"))
    };
    let (_, subject, body) = to("colleague@partner.example");
    assert!(
        subject.contains("You were added to"),
        "English for the colleague: {subject}"
    );
    assert!(
        body.contains(&format!("https://corridor.example/matters/{id}")),
        "{body}"
    );
    let (_, subject, _) = to("owner@jl.example");
    assert!(
        subject.contains("发送了消息"),
        "Chinese for the owner: {subject}"
    );
    let (_, _, body) = to("stranger@abroad.example");
    assert!(
        body.contains(&link) && body.contains("邀请") && body.contains("invited"),
        "{body}"
    );
}

on_both_backends!(
    the_summary_pdf_reads_back_in_chinese,
    ignore = "needs fonts-noto-cjk and poppler-utils (pdftotext); the postgres half PostgreSQL too"
);
/// The summary PDF holds the matter's reference, its Chinese title and a document's hash as
/// extractable text, and exists only for the circle.
async fn the_summary_pdf_reads_back_in_chinese(app: TestApp) {
    let c = cast(&app).await;
    let id = open_matter(&app, &c.owner, "越南建设工程仲裁 — Hanoi EPC").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let doc: Value = upload(
        &app,
        &c.owner,
        &id,
        "合同.pdf",
        b"contract".to_vec(),
        "contract",
        &[],
    )
    .await
    .json()
    .await
    .unwrap();
    let r = app
        .client()
        .get(app.url(&format!("/api/v1/matters/{id}/summary.pdf")))
        .bearer_auth(&c.owner)
        .header("accept-language", "zh-CN")
        .send()
        .await
        .unwrap();
    assert_ne!(
        r.status(),
        503,
        "no Chinese font installed (apt-get install fonts-noto-cjk)"
    );
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = r.bytes().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("summary.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext runs (apt-get install poppler-utils)");
    let text = String::from_utf8_lossy(&out.stdout);
    let reference = chrono::Utc::now().format("JL-%Y-0001").to_string();
    assert!(text.contains(&reference), "{text}");
    assert!(text.contains("越南建设工程仲裁"), "{text}");
    let sha = doc["sha256"].as_str().unwrap();
    assert!(
        text.replace(char::is_whitespace, "").contains(&sha[..16]),
        "the document's hash: {text}"
    );
    assert_eq!(
        get(
            &app,
            &c.outsider,
            &format!("/api/v1/matters/{id}/summary.pdf")
        )
        .await
        .status(),
        404
    );
}
