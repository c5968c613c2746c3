//! The knowledge base: the practice guides (read, edit, history) and the typical-case library,
//! over the API and the pages.

use std::collections::BTreeSet;

use corridor::auth::{OrgRole, PlatformRole};
use corridor::directory::model::OrgKind;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_backends;

const ASEAN: [&str; 10] = ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN"];
const SECTION_IDS: [&str; 7] = [
    "legal-framework",
    "institutions",
    "arbitrability",
    "seat-and-courts",
    "interim-measures",
    "enforcement",
    "advice",
];

pub(crate) async fn get_json(app: &TestApp, path: &str) -> Value {
    let r = app.client().get(app.url(path)).send().await.unwrap();
    assert_eq!(r.status(), 200, "{path}");
    r.json().await.unwrap()
}

/// An edit that changes nothing yet: the guide as `GET` returns it, based on its revision.
pub(crate) fn edit_of(guide: &Value) -> Value {
    json!({
        "title": guide["title"],
        "summary": guide["summary"],
        "reviewed": guide["reviewed"],
        "sources": guide["sources"],
        "body": guide["body"],
        "base_revision": guide["revision"],
    })
}

/// The body with a sentence added at the start of the enforcement section.
pub(crate) fn with_enforcement_sentence(body: &str, sentence: &str) -> String {
    let heading = "{#enforcement}\n";
    assert!(
        body.contains(heading),
        "the guide has an enforcement section"
    );
    body.replacen(heading, &format!("{heading}\n{sentence}\n"), 1)
}

/// The body without its interim-measures section (heading and text).
fn without_interim_measures(body: &str) -> String {
    let start = body.find("## Interim measures").expect("interim measures");
    let end = body
        .find("## Enforcement of foreign awards")
        .expect("enforcement");
    format!("{}{}", &body[..start], &body[end..])
}

async fn bureau_token(app: &TestApp) -> String {
    let officer = app
        .user("bureau@x.example", Some(PlatformRole::BureauOfficer), &[])
        .await;
    app.token_for(&officer).await
}

on_both_backends!(every_asean_member_has_a_guide_in_both_languages_with_sections_and_sources);
/// Every ASEAN member has a guide in English and in Chinese; one reads as seven sourced
/// sections, on the API and on its page.
async fn every_asean_member_has_a_guide_in_both_languages_with_sections_and_sources(app: TestApp) {
    let list = get_json(&app, "/api/v1/guides").await;
    let keys: BTreeSet<(String, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["country"].as_str().unwrap().to_string(),
                g["lang"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected: BTreeSet<(String, String)> = ASEAN
        .iter()
        .flat_map(|cc| ["en", "zh-CN"].map(|l| (cc.to_string(), l.to_string())))
        .collect();
    assert_eq!(list.as_array().unwrap().len(), 20);
    assert_eq!(keys, expected);

    let vn = get_json(&app, "/api/v1/guides/vn/en").await;
    assert_eq!(
        (vn["country"].as_str(), vn["lang"].as_str()),
        (Some("VN"), Some("en"))
    );
    let ids: Vec<&str> = vn["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, SECTION_IDS);
    for s in vn["sections"].as_array().unwrap() {
        assert!(
            !s["markdown"].as_str().unwrap().trim().is_empty(),
            "section {} has text",
            s["id"]
        );
    }
    let sources = vn["sources"].as_array().unwrap();
    assert!(sources.len() >= 3, "{sources:?}");
    for s in sources {
        assert!(s["url"].as_str().unwrap().starts_with("http"), "{s}");
    }

    let html = app
        .client()
        .get(app.url("/guides/vn?lang=en"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut page_sections = select_attrs(&html, "article#guide > section", "id");
    assert_eq!(page_sections.pop().as_deref(), Some("sources"));
    assert_eq!(page_sections, SECTION_IDS);
    assert_eq!(
        select_texts(&html, "#guide > section > h2")[5],
        "Enforcement of foreign awards"
    );
    let listed = select_attrs(&html, "#sources ol.sources li", "id");
    let expected: Vec<String> = sources
        .iter()
        .map(|s| format!("source-{}", s["key"].as_str().unwrap()))
        .collect();
    assert_eq!(
        listed, expected,
        "every source is listed, citations can link to it"
    );
    assert!(
        !select_attrs(&html, "#enforcement a[href^='#source-S']", "href").is_empty(),
        "citations link to sources"
    );
    let note = select_texts(&html, "#guide p.note.unverified");
    assert_eq!(
        note.len(),
        1,
        "unverified statements are flagged on the page"
    );
    assert!(
        note[0].contains("(10)"),
        "the Viet Nam guide marks 10 statements unverified: {note:?}"
    );

    assert_eq!(
        app.client()
            .get(app.url("/api/v1/guides/xx/en"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        app.client()
            .get(app.url("/api/v1/guides/vn/fr"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

on_both_backends!(cases_filter_by_sector_and_country_of_enforcement);
/// "Construction disputes enforced in Indonesia" is a filter; values it cannot know are 422.
async fn cases_filter_by_sector_and_country_of_enforcement(app: TestApp) {
    let cases = get_json(&app, "/api/v1/cases?sector=construction&enforced_in=ID").await;
    let cases = cases.as_array().unwrap();
    assert!(cases.len() >= 3, "{} cases", cases.len());
    for c in cases {
        assert_eq!(c["sector"], "construction", "{}", c["slug"]);
        assert!(
            c["enforcement"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["country"] == "ID" && e["result"] != "not_sought"),
            "{} was not taken to Indonesia for enforcement",
            c["slug"]
        );
    }
    let all = get_json(&app, "/api/v1/cases").await;
    assert!(
        all.as_array().unwrap().len() > cases.len(),
        "the filter narrows the library"
    );
    let refused = get_json(
        &app,
        "/api/v1/cases?sector=construction&enforced_in=ID&result=refused",
    )
    .await;
    for c in refused.as_array().unwrap() {
        assert!(
            c["enforcement"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["country"] == "ID" && e["result"] == "refused")
        );
    }
    assert!(refused.as_array().unwrap().len() < cases.len());
    let huatai = get_json(&app, "/api/v1/cases/huatai-yimei-v-daotong-2018").await;
    assert_eq!(huatai["demo"], false);
    assert!(
        !huatai["sources"].as_array().unwrap().is_empty(),
        "a real case names its source"
    );

    let c = app.client();
    for (query, field) in [
        ("sector=poetry", "sector"),
        ("enforced_in=XX", "enforced_in"),
        ("country=ZZ", "country"),
        ("result=won", "result"),
    ] {
        let (status, body) = error_of(
            c.get(app.url(&format!("/api/v1/cases?{query}")))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(
            (status, body["code"].as_str().unwrap()),
            (422, "invalid_input"),
            "{query}"
        );
        assert!(
            body["message"].as_str().unwrap().contains(field),
            "{query}: {body}"
        );
    }
    assert_eq!(
        c.get(app.url("/api/v1/cases/no-such-case"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

on_both_backends!(a_bureau_officer_edits_a_guide_and_history_and_search_follow);
/// A bureau officer's edit is a new revision with its note, and search finds the new text.
async fn a_bureau_officer_edits_a_guide_and_history_and_search_follow(app: TestApp) {
    let token = bureau_token(&app).await;
    let before = get_json(&app, "/api/v1/guides/vn/en").await;
    let base = before["revision"].as_i64().unwrap();
    let mut edit = edit_of(&before);
    edit["body"] = json!(with_enforcement_sentence(
        before["body"].as_str().unwrap(),
        "Keep a quorvelline checklist of the documents the court asks for [S1]."
    ));
    edit["note"] = json!("Added the quorvelline checklist");
    let r = app
        .client()
        .put(app.url("/api/v1/guides/vn/en"))
        .bearer_auth(&token)
        .json(&edit)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let saved: Value = r.json().await.unwrap();
    assert_eq!(saved["revision"].as_i64(), Some(base + 1));
    assert_eq!(saved["edited"], true);
    assert_eq!(saved["sections"].as_array().unwrap().len(), 7);

    let after = get_json(&app, "/api/v1/guides/vn/en").await;
    assert_eq!(after["revision"].as_i64(), Some(base + 1));
    assert!(
        after["body"]
            .as_str()
            .unwrap()
            .contains("quorvelline checklist")
    );
    let revisions = get_json(&app, "/api/v1/guides/vn/en/revisions").await;
    let numbers: Vec<i64> = revisions
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["revision"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, vec![base + 1, base], "newest first");
    assert_eq!(revisions[0]["note"], "Added the quorvelline checklist");
    assert_eq!(
        revisions[0]["edited_by"], "bureau",
        "the public history names the editor, never their email"
    );
    assert!(!revisions.to_string().contains("bureau@x.example"));
    assert_eq!(revisions[1]["edited_by"], "import");
    assert!(
        !revisions[1]["body"]
            .as_str()
            .unwrap()
            .contains("quorvelline"),
        "the old text is kept"
    );
    let other = get_json(&app, "/api/v1/guides/vn/zh-CN").await;
    assert_eq!(
        other["revision"].as_i64(),
        Some(1),
        "the other language is a guide of its own"
    );

    let html = app
        .client()
        .get(app.url("/guides/vn/history?lang=en"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        select_attrs(&html, "#revisions tbody tr", "data-revision"),
        vec![(base + 1).to_string(), base.to_string()]
    );

    let answer = search_until(&app, "quorvelline", |a| {
        hit_ids(a).iter().any(|id| id == "guide:VN:en:enforcement")
    })
    .await;
    assert_eq!(hit_ids(&answer)[0], "guide:VN:en:enforcement");
    assert!(
        answer["results"][0]["snippet"]
            .as_str()
            .unwrap()
            .contains("<b>quorvelline</b>"),
        "{answer}"
    );
}

on_both_backends!(refused_guide_edits_change_nothing);
/// A stale base, a missing section, an unknown citation, no sign-in, the wrong role: each is
/// refused with its own status, and the stored guide does not change.
async fn refused_guide_edits_change_nothing(app: TestApp) {
    let token = bureau_token(&app).await;
    let firm = app.org("some-law-firm", OrgKind::LocalLawFirm, "CN").await;
    let lawyer = app
        .user("lawyer@x.example", None, &[(&firm, OrgRole::Lawyer)])
        .await;
    let lawyer_token = app.token_for(&lawyer).await;
    let c = app.client();
    let put = |token: Option<&str>, edit: &Value| {
        let req = c.put(app.url("/api/v1/guides/vn/en")).json(edit);
        match token {
            Some(t) => req.bearer_auth(t),
            None => req,
        }
        .send()
    };
    let original = get_json(&app, "/api/v1/guides/vn/en").await;
    let base = original["revision"].as_i64().unwrap();
    let body = original["body"].as_str().unwrap();

    // One good edit first, so a later edit from the original revision is stale.
    let mut good = edit_of(&original);
    good["body"] = json!(with_enforcement_sentence(body, "First edit [S1]."));
    assert_eq!(put(Some(&token), &good).await.unwrap().status(), 200);
    let current = get_json(&app, "/api/v1/guides/vn/en").await;
    assert_eq!(current["revision"].as_i64(), Some(base + 1));

    let mut stale = edit_of(&original);
    stale["body"] = json!(with_enforcement_sentence(body, "Stale edit [S1]."));
    let (status, err) = error_of(put(Some(&token), &stale).await.unwrap()).await;
    assert_eq!((status, err["code"].as_str().unwrap()), (409, "conflict"));

    let mut missing = edit_of(&current);
    missing["body"] = json!(without_interim_measures(current["body"].as_str().unwrap()));
    let (status, err) = error_of(put(Some(&token), &missing).await.unwrap()).await;
    assert_eq!(
        (status, err["code"].as_str().unwrap()),
        (422, "invalid_input")
    );
    assert!(err["message"].as_str().unwrap().contains("body"), "{err}");

    let mut unknown = edit_of(&current);
    unknown["body"] = json!(with_enforcement_sentence(
        current["body"].as_str().unwrap(),
        "A claim [S99]."
    ));
    let (status, err) = error_of(put(Some(&token), &unknown).await.unwrap()).await;
    assert_eq!(status, 422);
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("body.enforcement"),
        "{err}"
    );

    let mut fine = edit_of(&current);
    fine["body"] = json!(with_enforcement_sentence(
        current["body"].as_str().unwrap(),
        "Anonymous edit [S1]."
    ));
    let (status, err) = error_of(put(None, &fine).await.unwrap()).await;
    assert_eq!(
        (status, err["code"].as_str().unwrap()),
        (401, "unauthenticated")
    );
    let (status, err) = error_of(put(Some(&lawyer_token), &fine).await.unwrap()).await;
    assert_eq!((status, err["code"].as_str().unwrap()), (403, "forbidden"));

    let now = get_json(&app, "/api/v1/guides/vn/en").await;
    assert_eq!(now["revision"], current["revision"]);
    assert_eq!(now["body"], current["body"]);
    assert_eq!(
        get_json(&app, "/api/v1/guides/vn/en/revisions")
            .await
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

on_both_backends!(the_guide_edit_form_saves_and_a_refused_edit_keeps_the_text);
/// The edit form saves through the page (with its CSRF token); a refused edit comes back
/// in the form with the reason and everything the editor typed.
async fn the_guide_edit_form_saves_and_a_refused_edit_keeps_the_text(app: TestApp) {
    app.user("bureau@x.example", Some(PlatformRole::BureauOfficer), &[])
        .await;
    let c = app.login("bureau@x.example").await;
    let guide = app.store.guide("VN", "en").await.unwrap().unwrap();

    let page = c
        .get(app.url("/guides/vn?lang=en"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        select_attrs(&page, "#edit-guide", "href"),
        vec!["/guides/vn/edit?lang=en"]
    );
    let r = c
        .get(app.url("/guides/vn/edit?lang=en"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let form = r.text().await.unwrap();
    let body = select_texts(&form, "textarea#body").pop().unwrap();
    assert_eq!(
        body.trim_end(),
        guide.body.trim_end(),
        "the form holds the stored text"
    );
    let field = |sel: &str| select_attrs(&form, sel, "value").pop().unwrap();
    let csrf = field("#guide-form input[name=csrf]");
    let base = field("#guide-form input[name=base_revision]");
    assert_eq!(base, guide.revision.to_string());
    let title = field("input#title");
    let reviewed = field("input#reviewed");
    let summary = select_texts(&form, "textarea#summary").pop().unwrap();
    let sources = select_texts(&form, "textarea#sources").pop().unwrap();
    // A browser sends CRLF from a textarea; the stored text keeps LF.
    let edited = with_enforcement_sentence(&body, "Edited in the form [S1].").replace('\n', "\r\n");
    let r = c
        .post(app.url("/guides/vn/edit?lang=en"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("base_revision", base.as_str()),
            ("title", title.as_str()),
            ("summary", summary.as_str()),
            ("reviewed", reviewed.as_str()),
            ("sources", sources.as_str()),
            ("body", edited.as_str()),
            ("note", "form edit"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/guides/vn?lang=en");
    let saved = app.store.guide("VN", "en").await.unwrap().unwrap();
    assert_eq!(saved.revision, guide.revision + 1);
    assert!(saved.body.contains("Edited in the form [S1]."));
    assert!(!saved.body.contains('\r'));
    assert_eq!(
        saved.sources, guide.sources,
        "the sources round-trip through the form"
    );
    assert_eq!(saved.title, guide.title);

    let new_base = saved.revision.to_string();
    let broken = without_interim_measures(&saved.body);
    let r = c
        .post(app.url("/guides/vn/edit?lang=en"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("base_revision", new_base.as_str()),
            ("title", "My new title"),
            ("summary", summary.as_str()),
            ("reviewed", reviewed.as_str()),
            ("sources", sources.as_str()),
            ("body", broken.as_str()),
            ("note", "my note"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert_eq!(select_texts(&html, "#edit-error").len(), 1);
    assert_eq!(
        select_texts(&html, "textarea#body").pop().unwrap(),
        broken,
        "the typed text is kept"
    );
    assert_eq!(
        select_attrs(&html, "input#title", "value"),
        vec!["My new title"]
    );
    assert_eq!(select_attrs(&html, "input#note", "value"), vec!["my note"]);
    assert_eq!(
        select_attrs(&html, "input[name=base_revision]", "value"),
        vec![new_base]
    );
    let unchanged = app.store.guide("VN", "en").await.unwrap().unwrap();
    assert_eq!(
        (unchanged.revision, &unchanged.body),
        (saved.revision, &saved.body)
    );

    let r = c
        .post(app.url("/guides/vn/edit?lang=en"))
        .form(&[("base_revision", "1"), ("title", "x"), ("body", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "no CSRF token, no save");
    let anonymous = app
        .client()
        .get(app.url("/guides/vn/edit?lang=en"))
        .send()
        .await
        .unwrap();
    assert!(
        matches!(anonymous.status().as_u16(), 303 | 401),
        "{}",
        anonymous.status()
    );
}

on_both_backends!(re_importing_a_changed_case_replaces_it_and_its_filters);
/// A changed case file replaces the record and its country rows; the same file again is
/// left alone.
async fn re_importing_a_changed_case_replaces_it_and_its_filters(app: TestApp) {
    use corridor::knowledge::store::Imported;
    let (_, digest, original) = corridor::knowledge::shipped_cases()
        .unwrap()
        .into_iter()
        .find(|(n, _, _)| *n == "huatai-yimei-v-daotong-2018.toml")
        .unwrap();
    assert_eq!(
        app.store.import_case(&original, &digest).await.unwrap(),
        Imported::Unchanged
    );
    let mut changed = original.clone();
    changed.title_en = "Huatai Yimei v. Daotong (re-imported)".into();
    changed.countries = vec!["CN".into(), "VN".into()];
    assert_eq!(
        app.store
            .import_case(&changed, "another-digest")
            .await
            .unwrap(),
        Imported::Updated
    );
    let got = get_json(&app, "/api/v1/cases/huatai-yimei-v-daotong-2018").await;
    assert_eq!(got["title_en"], "Huatai Yimei v. Daotong (re-imported)");
    let in_vn = get_json(&app, "/api/v1/cases?country=VN").await;
    assert!(
        in_vn
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["slug"] == "huatai-yimei-v-daotong-2018")
    );
    let all = get_json(&app, "/api/v1/cases").await;
    let n = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["slug"] == "huatai-yimei-v-daotong-2018")
        .count();
    assert_eq!(n, 1, "the upsert kept one row");
}

on_both_backends!(staff_add_and_edit_cases_and_an_edit_survives_a_changed_file);
/// Commission and bureau staff add and correct cases: over the API (JSON) and in the TOML
/// editor page. Bad records are refused with the reason and change nothing; an edited case
/// keeps its edit when the shipped file changes; others may not edit.
async fn staff_add_and_edit_cases_and_an_edit_survives_a_changed_file(app: TestApp) {
    let token = bureau_token(&app).await;
    let c = app.client();
    let mut case = get_json(&app, "/api/v1/cases/huatai-yimei-v-daotong-2018").await;
    for k in ["edited", "updated_at"] {
        case.as_object_mut().unwrap().remove(k);
    }
    let mut new_case = case.clone();
    new_case["slug"] = json!("demo-api-added-case");
    new_case["demo"] = json!(true);
    new_case["title_en"] = json!("Added over the API (Demo)");
    new_case["title_zh"] = json!("经接口新增（演示）");
    new_case["sector"] = json!("energy");
    let r = c
        .post(app.url("/api/v1/cases"))
        .bearer_auth(&token)
        .json(&new_case)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let energy = get_json(&app, "/api/v1/cases?sector=energy").await;
    assert!(
        energy
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["slug"] == "demo-api-added-case" && c["edited"] == true)
    );
    // The same slug again is a conflict; an unknown sector is 422; neither changes anything.
    let r = c
        .post(app.url("/api/v1/cases"))
        .bearer_auth(&token)
        .json(&new_case)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let mut bad = new_case.clone();
    bad["sector"] = json!("poetry");
    let (status, body) = error_of(
        c.put(app.url("/api/v1/cases/demo-api-added-case"))
            .bearer_auth(&token)
            .json(&bad)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        body["message"].as_str().unwrap().contains("sector"),
        "{body}"
    );
    let mut renamed = new_case.clone();
    renamed["slug"] = json!("demo-other-slug");
    assert_eq!(
        c.put(app.url("/api/v1/cases/demo-api-added-case"))
            .bearer_auth(&token)
            .json(&renamed)
            .send()
            .await
            .unwrap()
            .status(),
        422
    );
    assert_eq!(
        get_json(&app, "/api/v1/cases/demo-api-added-case").await["sector"],
        "energy"
    );
    // Strangers may not write.
    assert_eq!(
        c.post(app.url("/api/v1/cases"))
            .json(&new_case)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let firm = app.org("demo-firm-k", OrgKind::LocalLawFirm, "CN").await;
    let lawyer = app
        .user("lawyer@x.example", None, &[(&firm, OrgRole::Lawyer)])
        .await;
    let lawyer_token = app.token_for(&lawyer).await;
    assert_eq!(
        c.post(app.url("/api/v1/cases"))
            .bearer_auth(&lawyer_token)
            .json(&new_case)
            .send()
            .await
            .unwrap()
            .status(),
        403
    );

    // The editor page: correct a real case, then a broken record keeps the typed text.
    let s = app.login("bureau@x.example").await;
    let form = s
        .get(app.url("/cases/huatai-yimei-v-daotong-2018/edit"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let text = select_texts(&form, "textarea#record").pop().unwrap();
    assert!(
        text.contains("slug = \"huatai-yimei-v-daotong-2018\""),
        "{text}"
    );
    let csrf = select_attrs(&form, "#case-form input[name=csrf]", "value")
        .pop()
        .unwrap();
    let corrected = text.replace(
        "lessons_en = \"",
        "lessons_en = \"Corrected on the platform. ",
    );
    let r = s
        .post(app.url("/cases/huatai-yimei-v-daotong-2018/edit"))
        .form(&[("csrf", csrf.as_str()), ("record", corrected.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let saved = get_json(&app, "/api/v1/cases/huatai-yimei-v-daotong-2018").await;
    assert!(
        saved["lessons_en"]
            .as_str()
            .unwrap()
            .starts_with("Corrected on the platform.")
    );
    assert_eq!(saved["edited"], true);
    let broken = corrected.replace("sector = ", "sector = poetry # ");
    let r = s
        .post(app.url("/cases/huatai-yimei-v-daotong-2018/edit"))
        .form(&[("csrf", csrf.as_str()), ("record", broken.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert_eq!(select_texts(&html, "#edit-error").len(), 1);
    assert_eq!(
        select_texts(&html, "textarea#record").pop().unwrap(),
        broken,
        "the typed text is kept"
    );

    // A changed shipped file does not overwrite the edit.
    use corridor::knowledge::store::Imported;
    let (_, _, shipped) = corridor::knowledge::shipped_cases()
        .unwrap()
        .into_iter()
        .find(|(n, _, _)| *n == "huatai-yimei-v-daotong-2018.toml")
        .unwrap();
    assert_eq!(
        app.store
            .import_case(&shipped, "a-newer-file")
            .await
            .unwrap(),
        Imported::KeptEdits
    );
    let kept = get_json(&app, "/api/v1/cases/huatai-yimei-v-daotong-2018").await;
    assert!(
        kept["lessons_en"]
            .as_str()
            .unwrap()
            .starts_with("Corrected on the platform.")
    );
}

on_both_backends!(a_foreign_institution_cannot_make_itself_chinese_to_edit_guides);
/// Guide editing follows from being a Chinese arbitration institution, which only programme
/// staff can make an organization: a foreign institution's admin cannot move it to CN.
async fn a_foreign_institution_cannot_make_itself_chinese_to_edit_guides(app: TestApp) {
    let inst = app
        .org("demo-sg-centre", OrgKind::ArbitrationInstitution, "SG")
        .await;
    let admin = app
        .user("sg-admin@x.example", None, &[(&inst, OrgRole::OrgAdmin)])
        .await;
    let token = app.token_for(&admin).await;
    let c = app.client();
    let r = c.put(app.url("/api/v1/organizations/demo-sg-centre")).bearer_auth(&token).json(&json!({
        "kind": "arbitration_institution", "name_zh": "新加坡中心", "name_en": "SG Centre", "jurisdiction": "CN",
    })).send().await.unwrap();
    assert_eq!(r.status(), 403, "the country is classification");
    let org = get_json(&app, "/api/v1/organizations/demo-sg-centre").await;
    assert_eq!(org["organization"]["jurisdiction"], "SG");
    let guide = get_json(&app, "/api/v1/guides/vn/en").await;
    let edit = json!({
        "title": guide["title"], "summary": guide["summary"], "reviewed": guide["reviewed"],
        "sources": guide["sources"], "body": guide["body"], "base_revision": guide["revision"],
    });
    assert_eq!(
        c.put(app.url("/api/v1/guides/vn/en"))
            .bearer_auth(&token)
            .json(&edit)
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
}
