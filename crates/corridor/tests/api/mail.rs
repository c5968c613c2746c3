//! Email: queued in the transaction of the change that causes it, sent over SMTP to a real
//! SMTP server on loopback (`smtp_sink`), or kept in the platform admins' outbox.

use std::time::{Duration, Instant};

use corridor::auth::{OrgRole, PlatformRole};
use corridor::config::Settings;
use corridor::db::Store;
use corridor::directory::model::OrgKind;
use corridor::mail::{Mail, MailRecord, Mailer};

use crate::helpers::*;
use crate::on_both_backends;
use crate::smtp_sink::SmtpSink;

const SUBJECT: &str = "案件进展：仲裁申请已受理";
const BODY: &str = "李明律师，您好：\n\n您代理的仲裁申请（编号 2026-001）已受理。\n请登录平台查看详情。\n.以点开头的一行\n";

fn chinese_mail() -> Mail {
    Mail::new("li.ming@firm.example", "李明", "zh-CN", SUBJECT, BODY).about("matter", "m-1")
}

/// The tests that need SMTP start a second server, on the same kind of database as `app`.
fn backend_of(app: &TestApp) -> Backend {
    match app.store.backend() {
        corridor::db::Backend::Sqlite => Backend::Sqlite,
        corridor::db::Backend::Postgres => Backend::Postgres,
    }
}

fn smtp_settings(sink: &SmtpSink) -> Settings {
    Settings {
        smtp_url: sink.url(),
        mail_from: "Corridor 平台 <noreply@corridor.example>".into(),
        ..Settings::default()
    }
}

/// Reads the row until `done` holds; fails after 10 s (delivery is asynchronous).
async fn row_until(store: &Store, id: &str, done: impl Fn(&MailRecord) -> bool) -> MailRecord {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let row = store.mail_by_id(id).await.unwrap().expect("the row exists");
        if done(&row) {
            return row;
        }
        assert!(
            Instant::now() < deadline,
            "row did not reach the state within 10 s: {row:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn admin_token(app: &TestApp) -> String {
    let root = app
        .user(
            "root@corridor.example",
            Some(PlatformRole::PlatformAdmin),
            &[],
        )
        .await;
    app.token_for(&root).await
}

on_both_backends!(a_queued_email_arrives_over_smtp_in_the_recipients_language);
/// An email queued with SMTP configured reaches the SMTP server with its recipient, and its
/// Chinese subject and body come back intact from the MIME encoding.
async fn a_queued_email_arrives_over_smtp_in_the_recipients_language(app: TestApp) {
    let sink = SmtpSink::start().await;
    let app = TestApp::spawn_with(backend_of(&app), smtp_settings(&sink))
        .await
        .unwrap();

    let id = app.store.enqueue_mail(chinese_mail()).await.unwrap();

    let received = sink.wait_for(1).await;
    assert_eq!(received.len(), 1);
    let wire = &received[0];
    assert_eq!(wire.rcpt_to, vec!["li.ming@firm.example".to_string()]);
    assert_eq!(wire.mail_from, "noreply@corridor.example");
    let raw_subject = String::from_utf8_lossy(&wire.data)
        .lines()
        .find(|l| l.starts_with("Subject:"))
        .expect("a Subject header")
        .to_string();
    assert!(
        raw_subject.is_ascii(),
        "the subject is MIME-encoded on the wire: {raw_subject}"
    );
    let message = mail_parser::MessageParser::default()
        .parse(&wire.data)
        .expect("parses");
    assert_eq!(message.subject(), Some(SUBJECT));
    assert_eq!(
        message
            .body_text(0)
            .as_deref()
            .map(|b| b.replace("\r\n", "\n")),
        Some(BODY.to_string())
    );
    let to = message.to().and_then(|a| a.first()).expect("a To header");
    assert_eq!(to.name.as_deref(), Some("李明"));
    assert_eq!(to.address.as_deref(), Some("li.ming@firm.example"));
    assert!(
        message.message_id().is_some_and(|m| m.starts_with(&id)),
        "{:?}",
        message.message_id()
    );

    let row = row_until(&app.store, &id, |r| r.status == "sent").await;
    assert_eq!(row.attempts, 1);
    assert!(row.sent_at.is_some() && row.last_error.is_none(), "{row:?}");
    assert_eq!(
        (row.related_type.as_deref(), row.related_id.as_deref()),
        (Some("matter"), Some("m-1"))
    );
}

on_both_backends!(an_email_exists_only_if_its_transaction_commits);
/// `enqueue_mail!` writes in the caller's transaction: the email exists exactly when the
/// change commits.
async fn an_email_exists_only_if_its_transaction_commits(app: TestApp) {
    assert!(
        corridor::mail::store::enqueue_mail_then_fail(&app.store, chinese_mail())
            .await
            .is_err()
    );
    assert!(
        app.store
            .outbox_page(None, None, 10)
            .await
            .unwrap()
            .is_empty(),
        "rolled back with the change"
    );
    let id = app.store.enqueue_mail(chinese_mail()).await.unwrap();
    let page = app.store.outbox_page(None, None, 10).await.unwrap();
    assert_eq!(
        page.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
        vec![id.as_str()]
    );
}

on_both_backends!(without_smtp_email_waits_in_the_admins_outbox);
/// Without SMTP the email waits in the outbox, which platform admins read on the page and
/// in the API; a bureau officer, an org admin and an anonymous caller cannot.
async fn without_smtp_email_waits_in_the_admins_outbox(app: TestApp) {
    let token = admin_token(&app).await;
    let org = app.org("firm-a", OrgKind::LocalLawFirm, "CN").await;
    app.user(
        "officer@bureau.example",
        Some(PlatformRole::BureauOfficer),
        &[],
    )
    .await;
    let ana = app
        .user("ana@firm.example", None, &[(&org, OrgRole::OrgAdmin)])
        .await;

    let id = app.store.enqueue_mail(chinese_mail()).await.unwrap();
    let row = row_until(&app.store, &id, |r| r.status == "outbox").await;
    assert_eq!(row.attempts, 0);

    let c = app.client();
    let r = c
        .get(app.url("/api/v1/admin/outbox"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let list: serde_json::Value = r.json().await.unwrap();
    let mail = &list.as_array().unwrap()[0];
    assert_eq!(mail["id"], id.as_str());
    assert_eq!(mail["status"], "outbox");
    assert_eq!(mail["subject"], SUBJECT);
    assert_eq!(mail["body_text"], BODY);
    assert_eq!(mail["locale"], "zh-CN");
    let sent: serde_json::Value = c
        .get(app.url("/api/v1/admin/outbox?status=sent"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(sent.as_array().unwrap().len(), 0);
    let (status, body) = error_of(
        c.get(app.url("/api/v1/admin/outbox?status=lost"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("invalid_input"))
    );

    let page = app
        .login("root@corridor.example")
        .await
        .get(app.url("/admin/outbox"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        select_texts(&page, "#outbox .subject"),
        vec![SUBJECT.to_string()]
    );
    assert_eq!(
        select_texts(&page, "#outbox .status code"),
        vec!["outbox".to_string()]
    );

    for email in ["officer@bureau.example", "ana@firm.example"] {
        let client = app.login(email).await;
        assert_eq!(
            client
                .get(app.url("/admin/outbox"))
                .send()
                .await
                .unwrap()
                .status(),
            403,
            "{email}"
        );
    }
    let ana_token = app.token_for(&ana).await;
    let (status, _) = error_of(
        c.get(app.url("/api/v1/admin/outbox"))
            .bearer_auth(&ana_token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = error_of(c.get(app.url("/api/v1/admin/outbox")).send().await.unwrap()).await;
    assert_eq!(status, 401);
}

on_both_backends!(senders_sharing_a_database_deliver_each_email_once);
/// Three senders on one database (the server's and two more nodes) deliver every email
/// exactly once: each row is claimed by a conditional UPDATE that only one of them wins.
async fn senders_sharing_a_database_deliver_each_email_once(app: TestApp) {
    let sink = SmtpSink::start().await;
    let settings = smtp_settings(&sink);
    let app = TestApp::spawn_with(backend_of(&app), settings.clone())
        .await
        .unwrap();
    let node_b =
        Mailer::from_settings(Store::open(&app.database_url).await.unwrap(), &settings).unwrap();
    let node_c =
        Mailer::from_settings(Store::open(&app.database_url).await.unwrap(), &settings).unwrap();
    const N: usize = 30;

    let mails = (0..N)
        .map(|i| {
            Mail::new(
                format!("p{i}@firm.example"),
                "",
                "en",
                format!("Update {i}"),
                "Hello",
            )
        })
        .collect();
    // In one transaction, so they become due for every sender at the same moment.
    let ids = app.store.enqueue_mails(mails).await.unwrap();
    let (b, c) = tokio::join!(node_b.deliver_due(), node_c.deliver_due());
    b.unwrap();
    c.unwrap();

    for id in &ids {
        let row = row_until(&app.store, id, |r| r.status == "sent").await;
        assert_eq!(row.attempts, 1, "{row:?}");
    }
    let received = sink.received();
    let mut subjects: Vec<String> = received
        .iter()
        .map(|m| {
            mail_parser::MessageParser::default()
                .parse(&m.data)
                .unwrap()
                .subject()
                .unwrap()
                .to_string()
        })
        .collect();
    subjects.sort();
    subjects.dedup();
    assert_eq!((received.len(), subjects.len()), (N, N), "each email once");
}

on_both_backends!(a_refused_email_is_kept_with_its_error_and_retried);
/// A server that refuses (5xx) leaves the email queued with the server's answer and a
/// later retry; when the retry is due and the server accepts, it is sent.
async fn a_refused_email_is_kept_with_its_error_and_retried(app: TestApp) {
    let sink = SmtpSink::start().await;
    sink.refuse(true);
    let settings = smtp_settings(&sink);
    let app = TestApp::spawn_with(backend_of(&app), settings.clone())
        .await
        .unwrap();

    let id = app.store.enqueue_mail(chinese_mail()).await.unwrap();
    let row = row_until(&app.store, &id, |r| r.attempts == 1 && r.status == "queued").await;
    let error = row.last_error.clone().unwrap_or_default();
    assert!(
        error.contains("550") || error.contains("mailbox unavailable"),
        "{error}"
    );
    assert!(
        row.next_attempt_at >= row.created_at + chrono::Duration::seconds(30),
        "{row:?}"
    );
    assert!(sink.received().is_empty());

    sink.refuse(false);
    corridor::db::testing::make_mail_due(&app.store, &id, 1)
        .await
        .unwrap();
    Mailer::from_settings(app.store.clone(), &settings)
        .unwrap()
        .deliver_due()
        .await
        .unwrap();
    let row = row_until(&app.store, &id, |r| r.status == "sent").await;
    assert_eq!(row.attempts, 2);
    assert!(row.last_error.is_none(), "{row:?}");
    assert_eq!(sink.wait_for(1).await.len(), 1);
}

on_both_backends!(an_email_that_fails_every_attempt_is_kept_as_failed);
/// After its last attempt a refused email is `failed`, with the error, and stays listed
/// for the admins; an address that cannot be parsed fails at once.
async fn an_email_that_fails_every_attempt_is_kept_as_failed(app: TestApp) {
    let sink = SmtpSink::start().await;
    sink.refuse(true);
    let settings = smtp_settings(&sink);
    let app = TestApp::spawn_with(backend_of(&app), settings.clone())
        .await
        .unwrap();
    let token = admin_token(&app).await;

    let id = app.store.enqueue_mail(chinese_mail()).await.unwrap();
    row_until(&app.store, &id, |r| r.attempts == 1 && r.status == "queued").await;
    corridor::db::testing::make_mail_due(&app.store, &id, 7)
        .await
        .unwrap();
    Mailer::from_settings(app.store.clone(), &settings)
        .unwrap()
        .deliver_due()
        .await
        .unwrap();
    let row = row_until(&app.store, &id, |r| r.status == "failed").await;
    assert_eq!(row.attempts, 8);
    assert!(
        row.last_error.as_deref().is_some_and(|e| e.contains("550")),
        "{row:?}"
    );

    let bad = app
        .store
        .enqueue_mail(Mail::new("not an address", "", "en", "Hi", "Hello"))
        .await
        .unwrap();
    let row = row_until(&app.store, &bad, |r| r.status == "failed").await;
    assert_eq!(row.attempts, 1);
    assert!(sink.received().is_empty());

    let failed: serde_json::Value = app
        .client()
        .get(app.url("/api/v1/admin/outbox?status=failed"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(failed.as_array().unwrap().len(), 2);
}
