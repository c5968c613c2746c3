//! The authorization matrix of the directory's pages: edit pages and forms, the account and
//! audit pages by role, and the public directory readable without signing in.

use corridor::directory::model::OrgKind;

use crate::authorization::{Role, cast};
use crate::helpers::*;
use crate::on_both_backends;

on_both_backends!(page_routes_by_role_and_organization);
/// Page routes: edit pages and forms, the account page, the audit page.
async fn page_routes_by_role_and_organization(app: TestApp) {
    let cast = cast(&app).await;
    let _ = &cast.institution;
    let emails = [
        (Role::PlatformAdmin, "admin@x.example"),
        (Role::BureauOfficer, "bureau@x.example"),
        (Role::OwnAdmin, "own@x.example"),
        (Role::OwnLawyer, "lawyer@x.example"),
        (Role::ForeignAdmin, "other@x.example"),
    ];
    let mut failures = Vec::new();
    for (role, email) in emails {
        let client = app.login(email).await;
        let edit = client
            .get(app.url("/organizations/target-firm/edit"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        let may_edit = matches!(
            role,
            Role::PlatformAdmin | Role::BureauOfficer | Role::OwnAdmin
        );
        if edit != if may_edit { 200 } else { 403 } {
            failures.push(format!("GET edit as {role:?} -> {edit}"));
        }
        let csrf = app.csrf(&client).await;
        let before = audit_count(&app).await;
        let r = client
            .post(app.url("/organizations/target-firm/edit"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("name_zh", "目标律所"),
                ("name_en", "Edited By Page"),
                ("jurisdiction", "CN"),
                ("kind", "local_law_firm"),
            ])
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        if r != if may_edit { 303 } else { 403 } {
            failures.push(format!("POST edit as {role:?} -> {r}"));
        }
        if !may_edit && audit_count(&app).await != before {
            failures.push(format!("refused page edit as {role:?} changed something"));
        }
        let audit = client
            .get(app.url("/admin/audit"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        let may_audit = matches!(
            role,
            Role::PlatformAdmin | Role::BureauOfficer | Role::OwnAdmin | Role::ForeignAdmin
        );
        if audit != if may_audit { 200 } else { 403 } {
            failures.push(format!("GET audit page as {role:?} -> {audit}"));
        }
    }
    let anon = app.client();
    let r = anon
        .get(app.url("/organizations/target-firm/edit"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "anonymous readers are sent to sign in");
    let csrf = app.csrf(&anon).await;
    let r = anon
        .post(app.url("/organizations/target-firm/edit"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name_zh", "x"),
            ("name_en", "x"),
            ("jurisdiction", "CN"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(
        failures.is_empty(),
        "page authorization failures:\n{}",
        failures.join("\n")
    );
}

on_both_backends!(the_directory_is_public);
/// Public profiles and lists are readable by anyone, without signing in.
async fn the_directory_is_public(app: TestApp) {
    app.org("public-firm", OrgKind::LocalLawFirm, "CN").await;
    let c = app.client();
    for path in [
        "/",
        "/directory",
        "/people",
        "/organizations/public-firm",
        "/api/v1/organizations",
        "/api/v1/organizations/public-firm",
        "/api/v1/people",
        "/api/v1/partnerships",
        "/api/v1/cooperation-agreements",
        "/api/v1/stats",
        "/api/v1/reference/countries",
        "/api/docs",
    ] {
        assert_eq!(
            c.get(app.url(path)).send().await.unwrap().status(),
            200,
            "{path}"
        );
    }
}
