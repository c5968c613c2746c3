//! Bad input gets a clear 4xx with `{code, message}` (or an error page) and changes nothing.

use corridor::auth::PlatformRole;
use corridor::directory::model::OrgKind;
use serde_json::json;

use crate::helpers::*;
use crate::on_both_backends;

async fn admin_token(app: &TestApp) -> String {
    let admin = app
        .user("admin@x.example", Some(PlatformRole::PlatformAdmin), &[])
        .await;
    app.token_for(&admin).await
}

on_both_backends!(malformed_requests_get_clear_errors_and_change_nothing);
/// Malformed JSON, unknown enum values, unknown fields, invalid codes, oversize bodies.
async fn malformed_requests_get_clear_errors_and_change_nothing(app: TestApp) {
    let token = admin_token(&app).await;
    let c = app.client();
    let post = |body: String| {
        c.post(app.url("/api/v1/organizations"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };

    let (status, body) = error_of(post("{\"kind\": ".into()).await.unwrap()).await;
    assert_eq!(
        (status, body["code"].as_str().unwrap()),
        (400, "bad_request")
    );

    let (status, body) = error_of(
        post(
            json!({"kind": "space_agency", "name_zh": "x", "name_en": "x", "jurisdiction": "CN"})
                .to_string(),
        )
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        body["message"].as_str().unwrap().contains("space_agency"),
        "{body}"
    );

    let (status, _) = error_of(post(json!({"kind": "enterprise", "name_zh": "x", "name_en": "x", "jurisdiction": "CN", "admin": true}).to_string()).await.unwrap()).await;
    assert_eq!(status, 422, "unknown fields are refused, not ignored");

    let (status, body) = error_of(
        post(
            json!({"kind": "enterprise", "name_zh": "x", "name_en": "x", "jurisdiction": "ZZ"})
                .to_string(),
        )
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str().unwrap()),
        (422, "invalid_input")
    );
    assert!(
        body["message"].as_str().unwrap().contains("jurisdiction"),
        "{body}"
    );

    let r = c
        .post(app.url("/api/v1/organizations"))
        .bearer_auth(&token)
        .header("content-type", "text/plain")
        .body("hello")
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(r).await.0, 415);

    let huge = format!(
        "{{\"kind\":\"enterprise\",\"name_zh\":\"x\",\"name_en\":\"x\",\"jurisdiction\":\"CN\",\"description_en\":\"{}\"}}",
        "x".repeat(3 * 1024 * 1024)
    );
    let (status, body) = error_of(post(huge).await.unwrap()).await;
    assert_eq!(
        (status, body["code"].as_str().unwrap()),
        (413, "payload_too_large")
    );

    assert_eq!(
        app.store.count_organizations().await.unwrap(),
        0,
        "nothing was written"
    );
}

on_both_backends!(unknown_things_are_404_or_400);
/// Unknown ids and unknown routes are 404; unknown filters and values are 4xx, never 500.
async fn unknown_things_are_404_or_400(app: TestApp) {
    let c = app.client();
    let (status, body) = error_of(
        c.get(app.url("/api/v1/organizations/no-such-org"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status, body["code"].as_str().unwrap()), (404, "not_found"));
    assert_eq!(
        error_of(c.get(app.url("/api/v1/nothing-here")).send().await.unwrap())
            .await
            .0,
        404
    );
    assert_eq!(
        error_of(
            c.get(app.url("/api/v1/organizations?kind=castle"))
                .send()
                .await
                .unwrap()
        )
        .await
        .0,
        400
    );
    assert_eq!(
        error_of(
            c.get(app.url("/api/v1/organizations?page=0"))
                .send()
                .await
                .unwrap()
        )
        .await
        .0,
        422
    );
    assert_eq!(
        error_of(
            c.get(app.url("/api/v1/organizations?per_page=1000"))
                .send()
                .await
                .unwrap()
        )
        .await
        .0,
        422
    );
    assert_eq!(
        error_of(
            c.get(app.url("/api/v1/organizations?language=klingon"))
                .send()
                .await
                .unwrap()
        )
        .await
        .0,
        422
    );
    assert_eq!(
        error_of(
            c.get(app.url(&format!("/api/v1/organizations?q={}", "x".repeat(300))))
                .send()
                .await
                .unwrap()
        )
        .await
        .0,
        422
    );
    assert_eq!(
        error_of(
            c.delete(app.url("/api/v1/organizations"))
                .send()
                .await
                .unwrap()
        )
        .await
        .0,
        405
    );
    let page = c
        .get(app.url("/organizations/nobody"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
    let html = page.text().await.unwrap();
    assert_eq!(select_texts(&html, "#error-message"), vec!["Not found."]);
}

on_both_backends!(forms_without_a_csrf_token_are_refused);
/// A form without its CSRF token, or with another's, is refused and changes nothing.
async fn forms_without_a_csrf_token_are_refused(app: TestApp) {
    let org = app.org("csrf-firm", OrgKind::LocalLawFirm, "CN").await;
    app.user(
        "own@x.example",
        None,
        &[(&org, corridor::auth::OrgRole::OrgAdmin)],
    )
    .await;
    let c = app.login("own@x.example").await;
    let fields = [
        ("name_zh", "改名"),
        ("name_en", "Renamed"),
        ("jurisdiction", "CN"),
    ];
    let r = c
        .post(app.url("/organizations/csrf-firm/edit"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let html = r.text().await.unwrap();
    assert!(
        select_texts(&html, "section.error").len() == 1,
        "an error page: {html}"
    );
    let mut forged = fields.to_vec();
    forged.push(("csrf", "forged-token-forged-token-forged-token-abc"));
    let r = c
        .post(app.url("/organizations/csrf-firm/edit"))
        .form(&forged)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // The JSON API called with the session cookie needs the header too.
    let r = c.put(app.url("/api/v1/organizations/csrf-firm"))
        .json(&json!({"kind": "local_law_firm", "name_zh": "改名", "name_en": "Renamed", "jurisdiction": "CN"}))
        .send().await.unwrap();
    assert_eq!(error_of(r).await.1["code"], "csrf_failed");
    let org = app
        .store
        .find_organization(&corridor::ids::OrganizationKey::parse("csrf-firm").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(org.name_en, "csrf-firm (Test)", "nothing changed");
}

on_both_backends!(errors_speak_the_readers_language);
/// Errors are in the reader's language.
async fn errors_speak_the_readers_language(app: TestApp) {
    let c = app.client();
    let r = c
        .get(app.url("/api/v1/organizations/nobody"))
        .header("accept-language", "zh-CN,zh;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(r).await.1["message"], "未找到。");
    let r = c
        .get(app.url("/api/v1/organizations/nobody"))
        .header("cookie", "corridor_lang=en")
        .header("accept-language", "zh-CN")
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(r).await.1["message"], "Not found.");
}

on_both_backends!(nul_characters_are_refused_at_the_edge);
/// NUL (U+0000) in a path, a query or a JSON string is refused with 422 before it reaches
/// the database — PostgreSQL cannot store it and used to answer 500.
async fn nul_characters_are_refused_at_the_edge(app: TestApp) {
    let token = admin_token(&app).await;
    let c = app.client();
    let gets = [
        "/api/v1/partnerships?organization=%00",
        "/api/v1/organizations/%00",
        "/api/v1/organizations?q=%00",
        "/api/v1/people?q=a%00b",
        "/api/v1/people/%00",
        "/api/v1/cases/%00",
        "/api/v1/search?q=%00",
        "/api/v1/audit?before=%00",
        "/directory?q=%00",
    ];
    for path in gets {
        let r = c
            .get(app.url(path))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{path}");
    }
    let (status, body) = error_of(
        c.delete(app.url("/api/v1/tokens/%00"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str().unwrap()),
        (422, "invalid_input")
    );
    assert!(
        !body["message"].as_str().unwrap().contains("errors."),
        "{body}"
    );

    let r = c
        .post(app.url("/api/v1/partnerships"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(r#"{"local_firm": "\u0000", "foreign_firm": "x\u0000", "countries": ["VN"], "since": "2024-01-01"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(r).await.0, 422);
    let r = c
        .post(app.url("/api/v1/organizations"))
        .bearer_auth(&token)
        .json(&json!({"kind": "enterprise", "name_zh": "甲\u{0}", "name_en": "A", "jurisdiction": "CN"}))
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(r).await.0, 422);
    assert_eq!(
        app.store.count_organizations().await.unwrap(),
        0,
        "nothing was written"
    );
}

on_both_backends!(next_with_control_characters_redirects_home);
/// A `next=` with a control character is not followed (it cannot go into a Location
/// header): the language switch and the sign-in redirect home instead of failing, and the
/// sign-in keeps its session.
async fn next_with_control_characters_redirects_home(app: TestApp) {
    let c = app.client();
    for next in [
        "/%0a",
        "/%01",
        "/%7f",
        "/a%0d%0aSet-Cookie:%20x=1",
        "/%C2%85",
    ] {
        let r = c
            .get(app.url(&format!("/lang/en?next={next}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "{next}");
        assert_eq!(r.headers()["location"], "/", "{next}");
    }
    // NUL is refused at the edge, like in any other query.
    let r = c.get(app.url("/lang/en?next=/%00")).send().await.unwrap();
    assert_eq!(r.status(), 422);
    app.user("nx@firm.example", None, &[]).await;
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
            ("email", "nx@firm.example"),
            ("password", PASSWORD),
            ("csrf", &csrf),
            ("next", "/\n"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/");
    assert_eq!(
        c.get(app.url("/api/v1/me")).send().await.unwrap().status(),
        200
    );
}

on_both_backends!(names_with_invisible_characters_are_refused);
/// Invisible and text-direction characters (U+202E, zero-width, BOM, U+FFFE/FFFF) are
/// refused in names, so no lookalike name is stored or echoed back; slugs take none either.
async fn names_with_invisible_characters_are_refused(app: TestApp) {
    let token = admin_token(&app).await;
    let c = app.client();
    let org = |name_en: &str, name_zh: &str, slug: Option<&str>| json!({"kind": "enterprise", "name_zh": name_zh, "name_en": name_en, "jurisdiction": "CN", "slug": slug});
    let cases = [
        (org("Acme\u{202E}moc.live", "甲", None), "name_en"),
        (org("Ac\u{200B}me", "甲", None), "name_en"),
        (org("Acme", "\u{FEFF}甲公司", None), "name_zh"),
        (org("Acme\u{FFFE}", "甲", None), "name_en"),
        (org("Acme\u{FFFF}", "甲", None), "name_en"),
        (org("Acme", "甲\u{2067}", None), "name_zh"),
        (org("Acme", "甲", Some("acme\u{200D}co")), "slug"),
    ];
    for (body, field) in cases {
        let r = c
            .post(app.url("/api/v1/organizations"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let (status, answer) = error_of(r).await;
        assert_eq!(
            (status, answer["code"].as_str().unwrap()),
            (422, "invalid_input"),
            "{body}"
        );
        assert!(
            answer["message"].as_str().unwrap().contains(field),
            "{answer}"
        );
    }
    assert_eq!(
        app.store.count_organizations().await.unwrap(),
        0,
        "nothing was written"
    );
    let r = c
        .post(app.url("/api/v1/organizations"))
        .bearer_auth(&token)
        .json(&org("Nguyễn & Partners — ภ", "阮氏律师事务所", None))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "ordinary letters of every script pass");
}

on_both_backends!(a_slug_that_is_an_id_is_refused);
/// A slug that is another organization's id (or any id) is refused: records are found by
/// id or slug, and such a slug would make one of the two unreachable.
async fn a_slug_that_is_an_id_is_refused(app: TestApp) {
    let token = admin_token(&app).await;
    let c = app.client();
    let first = app.org("firm-first", OrgKind::LocalLawFirm, "CN").await;
    let body = json!({"kind": "enterprise", "name_zh": "乙", "name_en": "B", "jurisdiction": "CN", "slug": first});
    let r = c
        .post(app.url("/api/v1/organizations"))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let (status, answer) = error_of(r).await;
    assert_eq!(
        (status, answer["code"].as_str().unwrap()),
        (422, "invalid_input")
    );
    assert!(
        answer["message"].as_str().unwrap().contains("slug"),
        "{answer}"
    );

    let edit = json!({"kind": "local_law_firm", "name_zh": "甲", "name_en": "First", "jurisdiction": "CN", "slug": corridor::ids::new_id()});
    let r = c
        .put(app.url(&format!("/api/v1/organizations/{first}")))
        .bearer_auth(&token)
        .json(&edit)
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(r).await.0, 422, "nor can an edit give one");

    // A name that is an id gets a slug of another shape.
    let body =
        json!({"kind": "enterprise", "name_zh": "丙", "name_en": first, "jurisdiction": "CN"});
    let r = c
        .post(app.url("/api/v1/organizations"))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let created: serde_json::Value = r.json().await.unwrap();
    assert_ne!(created["slug"], json!(first));
    let found: serde_json::Value = c
        .get(app.url(&format!("/api/v1/organizations/{first}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        found["organization"]["slug"], "firm-first",
        "the id still finds the first organization"
    );
}

on_both_backends!(refusals_never_show_a_message_key);
/// Every refusal is said in words in both languages, never as a message key.
async fn refusals_never_show_a_message_key(app: TestApp) {
    let c = app.client();
    for path in [
        "/api/v1/jurisdiction/countries/0",
        "/api/v1/jurisdiction/awards?seat=1&enforce_in=VN",
        "/api/v1/jurisdiction/awards?seat=CN&enforce_in=VN&date=1900-01-01",
        "/api/v1/jurisdiction/awards?seat=CN&enforce_in=VN&commercial=perhaps",
    ] {
        for lang in ["en", "zh-CN"] {
            let r = c
                .get(app.url(path))
                .header("accept-language", lang)
                .send()
                .await
                .unwrap();
            let (status, body) = error_of(r).await;
            assert_eq!(status, 422, "{path}");
            let message = body["message"].as_str().unwrap();
            assert!(
                !message.contains("errors.") && !message.contains("invalid."),
                "{path} {lang}: {message}"
            );
        }
    }
}
