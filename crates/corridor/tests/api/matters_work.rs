//! Matters: invitations, tasks and deadlines across a user's matters, the calendar feed, and
//! bad input named back.

use reqwest::multipart::Form;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::matters::{cast, get, open_matter, post, upload};
use crate::on_both_backends;

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
