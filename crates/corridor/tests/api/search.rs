//! One search over guides, cases, the directory and country profiles, in Chinese and English:
//! relevance, facets, filters, snippets, bad input, following the database, the page.

use corridor::auth::PlatformRole;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_backends;

async fn search(app: &TestApp, query: &[(&str, &str)]) -> Value {
    let r = app
        .client()
        .get(app.url("/api/v1/search"))
        .query(query)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{query:?}");
    r.json().await.unwrap()
}

fn top3(answer: &Value) -> Vec<String> {
    hit_ids(answer).into_iter().take(3).collect()
}

on_both_backends!(chinese_and_english_questions_find_the_vietnam_enforcement_section);
/// The Vietnam enforcement section ranks in the top three for a Chinese and an English
/// way of asking.
async fn chinese_and_english_questions_find_the_vietnam_enforcement_section(app: TestApp) {
    let zh = search(&app, &[("q", "越南 仲裁裁决 承认与执行")]).await;
    assert!(
        top3(&zh).contains(&"guide:VN:zh-CN:enforcement".to_string()),
        "{:?}",
        top3(&zh)
    );
    let en = search(&app, &[("q", "enforce award Vietnam time limit")]).await;
    assert!(
        top3(&en).contains(&"guide:VN:en:enforcement".to_string()),
        "{:?}",
        top3(&en)
    );
    let hit = &en["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == "guide:VN:en:enforcement")
        .unwrap();
    assert_eq!(hit["type"], "guide");
    assert_eq!(hit["url"], "/guides/vn?lang=en#enforcement");
    assert_eq!(hit["countries"], json!(["VN"]));
    let case = search(&app, &[("q", "区块链 证据")]).await;
    assert_eq!(hit_ids(&case)[0], "case:huatai-yimei-v-daotong-2018");
}

on_both_backends!(facets_add_up_filters_narrow_and_snippets_are_safe);
/// Facets count every match; filters narrow to what they name; snippets mark the matched
/// words and escape everything else.
async fn facets_add_up_filters_narrow_and_snippets_are_safe(app: TestApp) {
    let all = search(&app, &[("q", "arbitration"), ("per_page", "50")]).await;
    let total = all["total"].as_u64().unwrap();
    assert!(total > 50, "{total}");
    let by_type: u64 = all["facets"]["type"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["count"].as_u64().unwrap())
        .sum();
    assert_eq!(by_type, total, "every match has exactly one type");
    for group in ["type", "country", "sector", "year", "lang"] {
        for f in all["facets"][group].as_array().unwrap() {
            let n = f["count"].as_u64().unwrap();
            assert!(n > 0 && n <= total, "{group}: {f}");
        }
    }
    let guides = all["facets"]["type"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["value"] == "guide")
        .unwrap()["count"]
        .as_u64()
        .unwrap();
    let only_guides = search(&app, &[("q", "arbitration"), ("type", "guide")]).await;
    assert_eq!(
        only_guides["total"].as_u64(),
        Some(guides),
        "a facet's count is what its filter returns"
    );
    assert!(
        all["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["snippet"].as_str().unwrap().contains("<b>"))
    );
    assert!(
        all["results"][0]["snippet"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("<b>arbitration</b>"),
        "{}",
        all["results"][0]
    );

    let cases = search(
        &app,
        &[
            ("q", "arbitration award"),
            ("type", "case"),
            ("country", "ID"),
            ("per_page", "50"),
        ],
    )
    .await;
    let results = cases["results"].as_array().unwrap();
    assert!(results.len() >= 3, "{cases}");
    assert_eq!(cases["total"].as_u64(), Some(results.len() as u64));
    for h in results {
        assert_eq!(h["type"], "case", "{}", h["id"]);
        assert!(
            h["countries"].as_array().unwrap().contains(&json!("ID")),
            "{} does not touch ID",
            h["id"]
        );
    }
    assert_eq!(
        cases["facets"]["type"],
        json!([{"value": "case", "count": results.len()}])
    );
    // The same filter written in the query.
    let inline = search(
        &app,
        &[
            ("q", "arbitration award type:case country:id"),
            ("per_page", "50"),
        ],
    )
    .await;
    assert_eq!(inline["total"], cases["total"]);
    let zh_only = search(&app, &[("q", "仲裁"), ("lang", "zh"), ("per_page", "50")]).await;
    for h in zh_only["results"].as_array().unwrap() {
        assert!(
            h["langs"].as_array().unwrap().contains(&json!("zh")),
            "{}",
            h["id"]
        );
    }

    for h in all["results"].as_array().unwrap() {
        let s = h["snippet"].as_str().unwrap();
        assert!(!s.to_lowercase().contains("<script"), "{s}");
        assert_eq!(
            s.replace("<b>", "")
                .replace("</b>", "")
                .matches('<')
                .count(),
            0,
            "only <b> tags: {s}"
        );
    }
}

on_both_backends!(bad_search_input_gets_an_empty_answer_or_a_422_never_a_500);
/// Bad input gets an empty answer or a 422 naming the field — never a 500.
async fn bad_search_input_gets_an_empty_answer_or_a_422_never_a_500(app: TestApp) {
    for q in ["", "   ", "的 了 , the !!!", "，。！？", "\"\"", "「」"] {
        let a = search(&app, &[("q", q)]).await;
        assert_eq!(a["total"], 0, "{q:?}: {a}");
        assert_eq!(a["results"], json!([]), "{q:?}");
    }
    let a = search(&app, &[]).await;
    assert_eq!(a["total"], 0, "no q at all");
    let unbalanced = search(&app, &[("q", "award \"time limit")]).await;
    assert!(
        unbalanced["total"].as_u64().unwrap() > 0,
        "an unclosed quote is a phrase to the end: {unbalanced}"
    );
    for q in [
        "\"enforce award",
        "“仲裁",
        "title:\"unclosed",
        "((",
        "AND OR NOT",
        "*",
        ":",
        "title:",
        "country:",
        "🙂 仲裁",
        "%",
        "\\",
        "a-b_c.d",
        "<script>alert(1)</script>",
        "'; DROP TABLE guides; --",
    ] {
        let r = app
            .client()
            .get(app.url("/api/v1/search"))
            .query(&[("q", q)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{q:?}");
    }

    let long = "arbitration ".repeat(834);
    assert!(long.chars().count() >= 10_000);
    let (status, body) = error_of(
        app.client()
            .get(app.url("/api/v1/search"))
            .query(&[("q", long.as_str())])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str().unwrap()),
        (422, "invalid_input")
    );
    assert!(body["message"].as_str().unwrap().contains(": q:"), "{body}");
    // 10,000 Chinese characters do not fit in a URL (90 kB encoded, over the 64 kB the
    // HTTP stack takes); 5,000 do, and are refused by length.
    let long_zh = "仲".repeat(5_000);
    let (status, body) = error_of(
        app.client()
            .get(app.url("/api/v1/search"))
            .query(&[("q", long_zh.as_str())])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body["message"].as_str().unwrap().contains(": q:"), "{body}");

    for (key, value) in [
        ("type", "novel"),
        ("country", "XX"),
        ("sector", "poetry"),
        ("lang", "klingon"),
        ("year", "abc"),
        ("year", "99999"),
        ("per_page", "0"),
        ("per_page", "500"),
        ("page", "0"),
    ] {
        let (status, body) = error_of(
            app.client()
                .get(app.url("/api/v1/search"))
                .query(&[("q", "award"), (key, value)])
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 422, "{key}={value}: {body}");
        assert!(
            body["message"].as_str().unwrap().contains(key),
            "{key}={value}: {body}"
        );
    }
    for q in [
        "type:novel",
        "country:XX award",
        "sector:poetry",
        "lang:fr",
        "year:1066",
    ] {
        let field = q.split(':').next().unwrap();
        let (status, body) = error_of(
            app.client()
                .get(app.url("/api/v1/search"))
                .query(&[("q", q)])
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 422, "{q}");
        assert!(
            body["message"].as_str().unwrap().contains(field),
            "{q}: {body}"
        );
    }
    let (status, _) = error_of(
        app.client()
            .get(app.url("/api/v1/search?q=x&colour=red"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(
        (400..500).contains(&status),
        "unknown parameters are refused: {status}"
    );

    let page = app
        .client()
        .get(app.url("/search"))
        .query(&[("q", long.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 422);
    let html = page.text().await.unwrap();
    assert_eq!(select_texts(&html, "#search-error").len(), 1);
    assert_eq!(
        select_attrs(&html, "input#q", "value"),
        vec![long.clone()],
        "the box keeps the text"
    );
}

on_both_backends!(search_follows_directory_changes);
/// An organization created or renamed through the API is found by its new name, and no
/// longer by its old one, once the index has followed the commit.
async fn search_follows_directory_changes(app: TestApp) {
    let admin = app
        .user("admin@x.example", Some(PlatformRole::PlatformAdmin), &[])
        .await;
    let token = app.token_for(&admin).await;
    let r = app.client().post(app.url("/api/v1/organizations")).bearer_auth(&token).json(&json!({
        "kind": "foreign_law_firm", "name_zh": "夸尔菲瑟律师事务所", "name_en": "Quillfeather Partners",
        "jurisdiction": "VN", "practice_areas": ["construction"],
        "description_en": "Construction disputes <script>alert('x')</script> in Hanoi.",
    })).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let org: Value = r.json().await.unwrap();
    let slug = org["slug"].as_str().unwrap().to_string();
    let id = format!("organization:{}", org["id"].as_str().unwrap());

    let found = search_until(&app, "Quillfeather", |a| hit_ids(a).contains(&id)).await;
    let hit = &found["results"][0];
    assert_eq!(hit["id"].as_str(), Some(id.as_str()));
    assert_eq!(hit["type"], "organization");
    assert_eq!(
        hit["url"].as_str().unwrap(),
        format!("/organizations/{slug}")
    );
    assert_eq!(hit["countries"], json!(["VN"]));
    let found = search_until(&app, "Hanoi construction disputes", |a| {
        hit_ids(a).contains(&id)
    })
    .await;
    let snippet = found["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"].as_str() == Some(id.as_str()))
        .unwrap()["snippet"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(!snippet.contains("<script"), "{snippet}");
    assert!(
        snippet.contains("&lt;script"),
        "the text is shown, escaped: {snippet}"
    );
    let zh = search_until(&app, "夸尔菲瑟", |a| hit_ids(a).contains(&id)).await;
    assert_eq!(hit_ids(&zh)[0], id);
    let r = app
        .client()
        .post(app.url("/api/v1/people"))
        .bearer_auth(&token)
        .json(&json!({
            "profession": "lawyer", "name_zh": "阮文安", "name_en": "Nguyen Van An",
            "organization": slug, "based_in": "VN", "nationalities": ["VN"],
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let person: Value = r.json().await.unwrap();
    let person_id = format!("person:{}", person["id"].as_str().unwrap());
    search_until(&app, "Quillfeather", |a| hit_ids(a).contains(&person_id)).await;

    let r = app.client().put(app.url(&format!("/api/v1/organizations/{slug}"))).bearer_auth(&token).json(&json!({
        "kind": "foreign_law_firm", "name_zh": "夸尔菲瑟律师事务所", "name_en": "Marrowbright Legal",
        "jurisdiction": "VN",
    })).send().await.unwrap();
    assert_eq!(r.status(), 200);
    // The organization, and its people (found by where they work), under the new name only.
    search_until(&app, "Marrowbright", |a| {
        hit_ids(a).contains(&id) && hit_ids(a).contains(&person_id)
    })
    .await;
    let old = search_until(&app, "Quillfeather", |a| a["total"] == 0).await;
    assert_eq!(
        old["results"],
        json!([]),
        "the old name is gone from the index"
    );

    // A new slug moves the profile: one document, at the new address.
    let r = app.client().put(app.url(&format!("/api/v1/organizations/{slug}"))).bearer_auth(&token).json(&json!({
        "kind": "foreign_law_firm", "name_zh": "夸尔菲瑟律师事务所", "name_en": "Marrowbright Legal",
        "jurisdiction": "VN", "slug": "marrowbright-legal",
    })).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let moved = search_until(&app, "Marrowbright type:organization", |a| {
        a["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["url"] == "/organizations/marrowbright-legal")
    })
    .await;
    assert_eq!(
        moved["total"], 1,
        "the document under the old slug is replaced: {moved}"
    );
}

on_both_backends!(the_search_page_renders_and_htmx_gets_only_the_results);
/// `/search` is a page with the box, facets and hits; htmx gets only the results part.
async fn the_search_page_renders_and_htmx_gets_only_the_results(app: TestApp) {
    let c = app.client();
    let r = c
        .get(app.url("/search"))
        .query(&[("q", "越南 仲裁")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("<html"));
    assert_eq!(select_texts(&html, "form#search-form").len(), 1);
    assert_eq!(select_attrs(&html, "input#q", "value"), vec!["越南 仲裁"]);
    let ids = select_attrs(&html, "#hits li.hit", "data-id");
    assert_eq!(ids.len(), 10, "a full first page");
    assert!(ids[0].starts_with("guide:VN:"), "{ids:?}");
    let links = select_attrs(&html, "#hits li.hit h3 a", "href");
    assert_eq!(links.len(), ids.len());
    assert!(links.iter().all(|l| l.starts_with('/')), "{links:?}");
    let facet_links = select_attrs(&html, "#facets p[data-field=type] a", "href");
    assert!(!facet_links.is_empty());
    assert!(!select_texts(&html, "#result-count").is_empty());

    let r = c
        .get(app.url("/search"))
        .query(&[("q", "越南 仲裁")])
        .header("HX-Request", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let fragment = r.text().await.unwrap();
    assert!(!fragment.contains("<html"), "a fragment, not a page");
    assert_eq!(select_texts(&fragment, "form#search-form").len(), 0);
    assert_eq!(
        select_attrs(&fragment, "section#search-results", "id").len(),
        1
    );
    assert_eq!(
        select_attrs(&fragment, "#hits li.hit", "data-id"),
        ids,
        "the same hits"
    );

    let narrowed = c
        .get(app.url("/search?q=%E8%B6%8A%E5%8D%97%20%E4%BB%B2%E8%A3%81&type=case"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let types = select_attrs(&narrowed, "#hits li.hit", "data-type");
    assert!(!types.is_empty());
    assert!(types.iter().all(|t| t == "case"), "{types:?}");
    assert_eq!(
        select_attrs(&narrowed, "#facets a.selected", "aria-current"),
        vec!["true"]
    );

    let empty = c.get(app.url("/search")).send().await.unwrap();
    assert_eq!(empty.status(), 200);
    let html = empty.text().await.unwrap();
    assert_eq!(select_texts(&html, "#hits li").len(), 0);
    assert_eq!(select_texts(&html, "#no-results").len(), 1);
    let bad = c
        .get(app.url("/search?q=award&type=novel"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    assert_eq!(
        select_texts(&bad.text().await.unwrap(), "#search-error").len(),
        1
    );
}
