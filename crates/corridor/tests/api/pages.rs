//! Pages: server-rendered, bilingual, with htmx partial results.

use corridor::auth::OrgRole;
use corridor::directory::model::OrgKind;

use crate::helpers::*;
use crate::on_both_backends;

on_both_backends!(the_language_switch_changes_every_page);
/// The language switch sets a cookie that beats Accept-Language on every page.
async fn the_language_switch_changes_every_page(app: TestApp) {
    let c = app.client();
    let html = c
        .get(app.url("/"))
        .header("accept-language", "zh-CN")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(select_texts(&html, "html").len(), 1);
    assert!(html.contains("lang=\"zh-CN\""));
    assert_eq!(
        select_texts(&html, "nav a[href='/directory']"),
        vec!["机构名录"]
    );
    let r = c
        .get(app.url("/lang/en?next=/directory"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers().get("location").unwrap(), "/directory");
    let html = c
        .get(app.url("/directory"))
        .header("accept-language", "zh-CN")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(select_texts(&html, "h1"), vec!["Directory"]);
    let r = c.get(app.url("/lang/xx")).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let r = c
        .get(app.url("/lang/en?next=https://evil.example/"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers().get("location").unwrap(),
        "/",
        "never an open redirect"
    );
}

on_both_backends!(the_directory_page_filters_and_serves_htmx_fragments);
/// The directory page filters, and htmx asks for the results fragment only.
async fn the_directory_page_filters_and_serves_htmx_fragments(app: TestApp) {
    app.org("cq-firm", OrgKind::LocalLawFirm, "CN").await;
    app.org("hn-firm", OrgKind::ForeignLawFirm, "VN").await;
    let c = app.client();
    let html = c
        .get(app.url("/directory?country=VN&kind="))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        select_texts(&html, "#org-results .card h3"),
        vec!["hn-firm (Test)"]
    );
    assert_eq!(select_texts(&html, "form#org-search").len(), 1);
    let fragment = c
        .get(app.url("/directory?q=cq"))
        .header("hx-request", "true")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!fragment.contains("<html"), "a fragment, not a page");
    assert_eq!(
        select_texts(&fragment, "#org-results .card h3"),
        vec!["cq-firm (Test)"]
    );
    let html = c
        .get(app.url("/organizations/hn-firm"))
        .header("accept-language", "zh-CN")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        select_texts(&html, "#org-profile h1"),
        vec!["hn-firm（测试）"]
    );
}

on_both_backends!(an_org_admin_edits_through_the_form);
/// The edit form saves a firm's own profile and shows validation errors in place.
async fn an_org_admin_edits_through_the_form(app: TestApp) {
    let org = app.org("form-firm", OrgKind::LocalLawFirm, "CN").await;
    app.user("own@x.example", None, &[(&org, OrgRole::OrgAdmin)])
        .await;
    let c = app.login("own@x.example").await;
    let html = c
        .get(app.url("/organizations/form-firm/edit"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        select_texts(&html, "select#kind").len(),
        0,
        "kind is for programme staff"
    );
    let csrf = csrf_from(&html);
    let r = c
        .post(app.url("/organizations/form-firm/edit"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name_zh", "表单律所"),
            ("name_en", "Form Firm"),
            ("jurisdiction", "CN"),
            ("languages", "zh"),
            ("languages", "th"),
            ("practice_areas", "tax"),
            ("website", "https://form.example"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let org = app
        .store
        .find_organization(&corridor::ids::OrganizationKey::parse("form-firm").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(org.name_en, "Form Firm");
    assert_eq!(org.languages, vec!["th", "zh"]);
    assert_eq!(org.practice_areas, vec!["tax"]);
    let r = c
        .post(app.url("/organizations/form-firm/edit"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name_zh", "表单律所"),
            ("name_en", "Form Firm"),
            ("jurisdiction", "CN"),
            ("website", "javascript:alert(1)"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert_eq!(select_texts(&html, "#edit-error").len(), 1);
    assert_eq!(
        app.store
            .find_organization(&corridor::ids::OrganizationKey::parse("form-firm").unwrap())
            .await
            .unwrap()
            .unwrap()
            .website,
        "https://form.example"
    );
}
