use corridor::auth::{OrgRole, PlatformRole};
use corridor::directory::model::OrgKind;

use crate::helpers::*;
use crate::on_both_backends;

on_both_backends!(sign_in_and_sign_out);
/// Signing in sets an HttpOnly, SameSite session cookie; signing out ends the session.
async fn sign_in_and_sign_out(app: TestApp) {
    let org = app.org("firm-a", OrgKind::LocalLawFirm, "CN").await;
    app.user("ana@firm.example", None, &[(&org, OrgRole::OrgAdmin)])
        .await;
    let c = app.client();
    let page = c
        .get(app.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_from(&page);
    let r = c
        .post(app.url("/login"))
        .form(&[
            ("email", "Ana@Firm.example"),
            ("password", PASSWORD),
            ("csrf", &csrf),
            ("next", "/account"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers().get("location").unwrap(), "/account");
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("corridor_session="))
        .expect("session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let me = c.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(me.status(), 200);
    let me: serde_json::Value = me.json().await.unwrap();
    assert_eq!(me["email"], "ana@firm.example");
    assert_eq!(me["memberships"][0]["role"], "org_admin");
    let csrf = app.csrf(&c).await;
    let r = c
        .post(app.url("/logout"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(
        c.get(app.url("/api/v1/me")).send().await.unwrap().status(),
        401
    );
}

on_both_backends!(a_wrong_password_is_refused);
/// A wrong password is refused with the form shown again, and recorded.
async fn a_wrong_password_is_refused(app: TestApp) {
    app.user("bo@firm.example", None, &[]).await;
    let c = app.client();
    let page = c
        .get(app.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_from(&page);
    let r = c
        .post(app.url("/login"))
        .form(&[
            ("email", "bo@firm.example"),
            ("password", "wrong password!"),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let html = r.text().await.unwrap();
    assert_eq!(
        select_texts(&html, "#login-error"),
        vec!["Wrong email or password."]
    );
    assert_eq!(
        c.get(app.url("/api/v1/me")).send().await.unwrap().status(),
        401
    );
}

on_both_backends!(sign_in_attempts_are_rate_limited);
/// After five failures in fifteen minutes for one email from one address, that address is
/// refused for the email, even with the right password.
async fn sign_in_attempts_are_rate_limited(app: TestApp) {
    app.user("cy@firm.example", None, &[]).await;
    let c = app.client();
    let page = c
        .get(app.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_from(&page);
    for _ in 0..5 {
        let r = c
            .post(app.url("/login"))
            .form(&[
                ("email", "cy@firm.example"),
                ("password", "not the password"),
                ("csrf", &csrf),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    let r = c
        .post(app.url("/login"))
        .form(&[
            ("email", "cy@firm.example"),
            ("password", PASSWORD),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
}

on_both_backends!(an_expired_session_sends_the_reader_to_sign_in);
/// An expired session is treated as signed out: pages send the reader to sign in.
async fn an_expired_session_sends_the_reader_to_sign_in(app: TestApp) {
    let org = app.org("firm-e", OrgKind::LocalLawFirm, "CN").await;
    app.user("ed@firm.example", None, &[(&org, OrgRole::OrgAdmin)])
        .await;
    let c = app.login("ed@firm.example").await;
    assert_eq!(
        c.get(app.url("/account")).send().await.unwrap().status(),
        200
    );
    match app.store.pool() {
        corridor::db::Pool::Sqlite(p) => {
            sqlx::query("UPDATE sessions SET expires_at = '2000-01-01T00:00:00+00:00'")
                .execute(p)
                .await
                .unwrap();
        }
        corridor::db::Pool::Postgres(p) => {
            sqlx::query("UPDATE sessions SET expires_at = '2000-01-01T00:00:00+00:00'")
                .execute(p)
                .await
                .unwrap();
        }
    }
    let r = c.get(app.url("/account")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert!(
        r.headers()
            .get("location")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("/login?next=")
    );
    assert_eq!(
        c.get(app.url("/api/v1/me")).send().await.unwrap().status(),
        401
    );
}

on_both_backends!(api_tokens_work_until_revoked);
/// API tokens authenticate the JSON API, are stored hashed, and stop working when revoked.
async fn api_tokens_work_until_revoked(app: TestApp) {
    let user = app
        .user("di@firm.example", Some(PlatformRole::BureauOfficer), &[])
        .await;
    let token = app.token_for(&user).await;
    assert!(token.starts_with("cor_"));
    let c = app.client();
    let me = c
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    let created: serde_json::Value = c
        .post(app.url("/api/v1/tokens"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"name": "second"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let second = created["token"].as_str().unwrap().to_string();
    let list: serde_json::Value = c
        .get(app.url("/api/v1/tokens"))
        .bearer_auth(&second)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert!(
        !list.to_string().contains(&token),
        "secrets are never listed"
    );
    let id = created["id"].as_str().unwrap();
    let r = c
        .delete(app.url(&format!("/api/v1/tokens/{id}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = c
        .get(app.url("/api/v1/me"))
        .bearer_auth(&second)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["code"], "unauthenticated");
    let r = c
        .get(app.url("/api/v1/me"))
        .bearer_auth("cor_forged")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

on_both_backends!(changes_are_audited);
/// Every change leaves an audit event that programme staff can read.
async fn changes_are_audited(app: TestApp) {
    let admin = app
        .user(
            "root@corridor.example",
            Some(PlatformRole::PlatformAdmin),
            &[],
        )
        .await;
    let token = app.token_for(&admin).await;
    let c = app.client();
    let r = c.post(app.url("/api/v1/organizations")).bearer_auth(&token)
        .json(&serde_json::json!({"kind": "enterprise", "name_zh": "审计测试", "name_en": "Audit Test Co", "jurisdiction": "CN"}))
        .send().await.unwrap();
    assert_eq!(r.status(), 201);
    let org: serde_json::Value = r.json().await.unwrap();
    let events: serde_json::Value = c
        .get(app.url("/api/v1/audit"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let create = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "organization.create")
        .expect("audited");
    assert_eq!(create["actor"], "root@corridor.example");
    assert_eq!(create["object_id"], org["id"]);
    let page = app
        .login("root@corridor.example")
        .await
        .get(app.url("/admin/audit"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        select_texts(&page, "#audit td code")
            .iter()
            .any(|a| a == "organization.create")
    );
}

on_both_backends!(failures_from_elsewhere_do_not_lock_the_owner_out);
/// Failures from other addresses do not lock the owner out (issue 13): from an address
/// they signed in from before they get in at once; from a new address after a short
/// delay, told in Retry-After.
async fn failures_from_elsewhere_do_not_lock_the_owner_out(app: TestApp) {
    app.user("dee@firm.example", None, &[]).await;
    app.login("dee@firm.example").await;
    for _ in 0..10 {
        app.store
            .record_login_attempt("dee@firm.example", "203.0.113.7", false)
            .await
            .unwrap();
    }
    let c = app.login("dee@firm.example").await;
    assert_eq!(
        c.get(app.url("/api/v1/me")).send().await.unwrap().status(),
        200
    );

    app.user("fay@firm.example", None, &[]).await;
    for _ in 0..5 {
        app.store
            .record_login_attempt("fay@firm.example", "198.51.100.9", false)
            .await
            .unwrap();
    }
    let c = app.client();
    let page = c
        .get(app.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_from(&page);
    let form = [
        ("email", "fay@firm.example"),
        ("password", PASSWORD),
        ("csrf", &csrf),
    ];
    let r = c.post(app.url("/login")).form(&form).send().await.unwrap();
    assert_eq!(
        r.status(),
        429,
        "a new address waits after failures elsewhere"
    );
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (1..=2).contains(&wait),
        "a short delay, not the window: {wait}"
    );
    tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
    let r = c.post(app.url("/login")).form(&form).send().await.unwrap();
    assert_eq!(
        r.status(),
        303,
        "the right password gets in after the delay"
    );
}
