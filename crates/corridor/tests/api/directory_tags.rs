//! Lists filtered by tags read tag rows that carry copies (the tag set, the sort keys) and a
//! count table kept by triggers: they must agree with the organizations through every write.

use corridor::auth::audit::Who;
use corridor::directory::model::OrgKind;
use serde_json::Value;

use crate::helpers::*;
use crate::on_both_backends;

async fn list(app: &TestApp, query: &str) -> (Vec<String>, i64) {
    let r = app
        .client()
        .get(app.url(&format!("/api/v1/organizations?{query}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{query}");
    let page: Value = r.json().await.unwrap();
    let slugs = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["slug"].as_str().unwrap().to_string())
        .collect();
    (slugs, page["total"].as_i64().unwrap())
}

on_both_backends!(tagged_lists_follow_every_write);
/// Sorted by name or date, with one tag or two, a tagged list is the untagged list with the
/// others left out, page by page, and its total is exact, after renames and retagging.
async fn tagged_lists_follow_every_write(app: TestApp) {
    let mut inputs = Vec::new();
    for (i, (slug, areas, languages)) in [
        ("delta", vec!["maritime"], vec!["en", "zh"]),
        ("alpha", vec!["maritime", "trade"], vec!["en"]),
        ("echo", vec!["trade"], vec!["zh"]),
        ("charlie", vec!["maritime"], vec!["th", "en"]),
        ("bravo", vec!["ip"], vec!["en"]),
    ]
    .into_iter()
    .enumerate()
    {
        let mut input = org_input(
            slug,
            OrgKind::LocalLawFirm,
            if i % 2 == 0 { "CN" } else { "VN" },
        );
        input.practice_areas = areas.into_iter().map(String::from).collect();
        input.languages = languages.into_iter().map(String::from).collect();
        let id = app
            .store
            .create_organization(&Who::cli(), &input, false)
            .await
            .unwrap();
        inputs.push((id, input));
    }
    check(&app).await;
    assert_eq!(list(&app, "practice_area=maritime&language=en").await.1, 3);

    // A rename moves an organization in the name order; a later write in the date order.
    let (id, mut input) = inputs[1].clone();
    input.name_en = "zulu (Test)".into();
    input.practice_areas = vec!["ip".into()];
    input.languages = vec!["zh".into(), "en".into()];
    app.store
        .update_organization(&Who::cli(), &id, &input)
        .await
        .unwrap();
    check(&app).await;
    assert_eq!(list(&app, "practice_area=maritime&language=en").await.1, 2);
    assert_eq!(list(&app, "practice_area=ip&language=zh").await.1, 1);
    assert_eq!(
        list(&app, "language=en&sort=-updated")
            .await
            .0
            .first()
            .map(String::as_str),
        Some("alpha")
    );
    assert_eq!(
        list(&app, "language=en&sort=-name")
            .await
            .0
            .first()
            .map(String::as_str),
        Some("alpha")
    );
    assert_eq!(list(&app, "language=en").await.1, 4);
}

/// Every tagged list, by every sort, against the untagged list.
async fn check(app: &TestApp) {
    for tags in [
        "practice_area=maritime",
        "language=en",
        "practice_area=maritime&language=en",
        "language=en&practice_area=trade",
        "practice_area=ip&language=zh",
    ] {
        for sort in ["name", "-name", "updated", "-updated", "country"] {
            let (all, _) = list(app, &format!("sort={sort}&per_page=100")).await;
            let (tagged, total) = list(app, &format!("{tags}&sort={sort}&per_page=100")).await;
            let expected: Vec<String> = all
                .iter()
                .filter(|slug| tagged.contains(slug))
                .cloned()
                .collect();
            assert_eq!(tagged, expected, "{tags} by {sort}: the untagged order");
            assert_eq!(total, tagged.len() as i64, "{tags} by {sort}");
            // Page two of two-per-page is the third and fourth of the whole list.
            let (page2, total2) = list(app, &format!("{tags}&sort={sort}&per_page=2&page=2")).await;
            let rest: Vec<String> = tagged.iter().skip(2).take(2).cloned().collect();
            assert_eq!(page2, rest, "{tags} by {sort}, page 2");
            assert_eq!(total2, total, "{tags} by {sort}, page 2");
        }
    }
}
