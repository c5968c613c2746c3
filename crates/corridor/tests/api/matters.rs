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
pub struct Cast {
    pub owner: String,
    pub colleague: String,
    pub outsider: String,
    pub admin: String,
    pub org_admin: String,
}

pub async fn cast(app: &TestApp) -> Cast {
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

pub async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> reqwest::Response {
    app.client()
        .post(app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

pub async fn get(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    app.client()
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

pub async fn open_matter(app: &TestApp, token: &str, title: &str) -> Value {
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

pub async fn upload(
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
    post_document_form(app, token, matter, form).await
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
