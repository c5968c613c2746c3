//! The knowledge base's practice guides (read, edit, history), over the API and the pages. The
//! typical-case library is in `knowledge_cases.rs`.

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

pub(crate) async fn bureau_token(app: &TestApp) -> String {
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
