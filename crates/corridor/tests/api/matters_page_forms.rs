//! The matter page forms by standing: the owner's posts go through, outsiders find nothing,
//! a member may not lead; and the matter page shows what the forms did.

use reqwest::multipart::{Form, Part};

use crate::helpers::*;
use crate::matters_matrix::*;
use crate::on_both_backends;

on_both_backends!(matter_page_forms_by_standing);
/// The page forms of a matter: the owner's posts go through (303), an outsider's and a
/// platform admin's find nothing (404) and change nothing, a member may not lead (403).
async fn matter_page_forms_by_standing(app: TestApp) {
    let w = world(&app).await;
    let id = &w.matter;
    let forms: Vec<(String, Vec<(&str, String)>)> = vec![
        (
            format!("/matters/{id}/status"),
            vec![("status", "open".into())],
        ),
        (
            format!("/matters/{id}/participants"),
            vec![
                ("email", "member@else.example".into()),
                ("role", "member".into()),
            ],
        ),
        (
            format!("/matters/{id}/messages"),
            vec![("body", "from the page".into())],
        ),
        (
            format!("/matters/{id}/tasks"),
            vec![
                ("title", "page task".into()),
                ("due", "2030-06-01T09:00".into()),
                ("time_zone", "Asia/Manila".into()),
            ],
        ),
        (
            format!("/matters/{id}/meetings"),
            vec![
                ("kind", "hearing".into()),
                ("title", "page hearing".into()),
                ("starts", "2030-06-02T09:00".into()),
                ("time_zone", "Asia/Manila".into()),
            ],
        ),
    ];
    let mut failures = Vec::new();
    for (who, email) in [
        (Who::Owner, "owner@circle.example"),
        (Who::Member, "member@else.example"),
        (Who::Outsider, "nobody@far.example"),
        (Who::PlatformAdmin, "root@platform.example"),
    ] {
        let client = app.login(email).await;
        let csrf = app.csrf(&client).await;
        for (path, fields) in &forms {
            let mut form: Vec<(&str, String)> = vec![("csrf", csrf.clone())];
            form.extend(fields.iter().cloned());
            let before = audit_count(&app).await;
            let status = client
                .post(app.url(path))
                .form(&form)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16();
            let leads = path.ends_with("/status") || path.ends_with("/participants");
            let want = match who {
                Who::Owner => 303,
                Who::Member if leads => 403,
                Who::Member => 303,
                _ => 404,
            };
            if status != want {
                failures.push(format!("POST {path} as {who:?} -> {status}, want {want}"));
            }
            if want != 303 && audit_count(&app).await != before {
                failures.push(format!("refused POST {path} as {who:?} changed something"));
            }
        }
        // The upload form carries its token in the action URL.
        let upload = client
            .post(app.url(&format!("/matters/{id}/documents?csrf={csrf}")))
            .multipart(Form::new().text("role", "evidence").part(
                "file",
                Part::bytes(b"page upload".to_vec()).file_name("p.pdf"),
            ))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        let want = if matches!(who, Who::Owner | Who::Member) {
            303
        } else {
            404
        };
        if upload != want {
            failures.push(format!("upload form as {who:?} -> {upload}, want {want}"));
        }
        let page = client
            .get(app.url(&format!("/matters/{id}")))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        let want = if matches!(who, Who::Owner | Who::Member) {
            200
        } else {
            404
        };
        if page != want {
            failures.push(format!(
                "GET /matters/{{id}} as {who:?} -> {page}, want {want}"
            ));
        }
    }
    // Without the token in the action URL, an upload is refused.
    let client = app.login("owner@circle.example").await;
    let r = client
        .post(app.url(&format!("/matters/{id}/documents")))
        .multipart(
            Form::new()
                .text("role", "evidence")
                .part("file", Part::bytes(b"x".to_vec()).file_name("x.pdf")),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "multipart without the CSRF token");
    let anon = app.client();
    let csrf = app.csrf(&anon).await;
    let r = anon
        .post(app.url(&format!("/matters/{id}/messages")))
        .form(&[("csrf", csrf.as_str()), ("body", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(
        failures.is_empty(),
        "page form failures:\n{}",
        failures.join("\n")
    );
}

on_both_backends!(the_matter_page_shows_its_sections);
/// The matter page shows what was done through the forms, in the reader's language, and
/// the header counts unread notifications.
async fn the_matter_page_shows_its_sections(app: TestApp) {
    let w = world(&app).await;
    let id = &w.matter;
    let member = app.login("member@else.example").await;
    let html = member
        .get(app.url(&format!("/matters/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(select_texts(&html, "#participant-list li").len(), 2);
    assert_eq!(select_texts(&html, "#document-list tr").len(), 1);
    assert_eq!(select_texts(&html, "#task-list li").len(), 1);
    assert_eq!(select_texts(&html, "#meeting-list li").len(), 1);
    assert!(select_texts(&html, "#timeline-list li").len() >= 5);
    assert!(
        !select_texts(&html, "#unread-count").is_empty(),
        "the header shows unread notifications"
    );
    let zh = member
        .get(app.url(&format!("/matters/{id}")))
        .header("accept-language", "zh-CN")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        select_texts(&zh, "#timeline-list li")
            .iter()
            .any(|t| t.contains("已创建")),
        "{:?}",
        select_texts(&zh, "#timeline-list li")
    );
    let list = member
        .get(app.url("/matters"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        select_attrs(&list, "#matter-list tbody tr", "data-id"),
        vec![id.clone()]
    );
    let notes = member
        .get(app.url("/notifications"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!select_texts(&notes, "#notification-list li").is_empty());
}
