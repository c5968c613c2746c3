//! The obligations library through the pages, in both languages: the list with sources and
//! verification, an entry, the revision form (a mistake comes back with the reason and what
//! was typed), what a revision changes, and the bureau publishing it. On both backends.

use crate::advisory_projects::cast;
use crate::helpers::*;
use crate::on_both_backends;

const URN: &str = "urn:corridor:obl:cn:odi:safe-huifa-2015-13:bank-fx-registration";

/// A page in a language (`?lang=` picks it, as the browser's Accept-Language would).
async fn get(client: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let (path, lang) = match path.split_once("?lang=") {
        Some((p, l)) => (p.to_owned(), l),
        None => (path.to_owned(), "en"),
    };
    let r = client
        .get(app.url(&path))
        .header("accept-language", lang)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// The entry form's fields as a browser sends them (inputs, text areas, selected options).
fn entry_form(html: &str) -> Vec<(String, String)> {
    let doc = scraper::Html::parse_document(html);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let mut fields = Vec::new();
    for i in doc.select(&sel("form#entry-form input[name]")) {
        let v = i.value();
        if v.attr("type") == Some("checkbox") && v.attr("checked").is_none() {
            continue;
        }
        fields.push((
            v.attr("name").unwrap().to_owned(),
            v.attr("value").unwrap_or("").to_owned(),
        ));
    }
    for t in doc.select(&sel("form#entry-form textarea[name]")) {
        fields.push((
            t.value().attr("name").unwrap().to_owned(),
            t.text().collect(),
        ));
    }
    for s in doc.select(&sel("form#entry-form select[name]")) {
        let chosen = s
            .select(&sel("option[selected]"))
            .next()
            .or_else(|| s.select(&sel("option")).next())
            .and_then(|o| o.value().attr("value"))
            .unwrap_or("");
        fields.push((
            s.value().attr("name").unwrap().to_owned(),
            chosen.to_owned(),
        ));
    }
    fields
}

fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    fields.retain(|(k, _)| k != name);
    fields.push((name.into(), value.into()));
}

on_both_backends!(the_bureau_revises_and_publishes_an_entry_through_the_pages);
async fn the_bureau_revises_and_publishes_an_entry_through_the_pages(app: TestApp) {
    let _cast = cast(&app).await;
    let anyone = app.client();
    for lang in ["en", "zh-CN"] {
        let (status, html) = get(&anyone, &app, &format!("/library?lang={lang}")).await;
        assert_eq!(status, 200);
        assert_eq!(
            select_attrs(&html, "#library-entries tr[data-urn]", "data-urn").len(),
            88
        );
        let (status, html) = get(
            &anyone,
            &app,
            &format!("/library/entries/{URN}?lang={lang}"),
        )
        .await;
        assert_eq!(status, 200);
        assert!(
            !select_texts(&html, "#entry-sources li").is_empty(),
            "sources are shown"
        );
    }
    let (_, html) = get(&anyone, &app, "/library?jurisdiction=VN").await;
    let shown = select_attrs(&html, "#library-entries tr[data-urn]", "data-urn");
    assert!(!shown.is_empty() && shown.iter().all(|u| u.starts_with("urn:corridor:obl:vn:")));
    let (status, _) = get(&anyone, &app, &format!("/library/entries/{URN}/edit")).await;
    assert_eq!(status, 303, "proposing needs a sign-in");
    let enterprise = app.login("staff@acme.test").await;
    let (status, _) = get(&enterprise, &app, &format!("/library/entries/{URN}/edit")).await;
    assert_eq!(status, 403, "an enterprise does not edit the library");

    let bureau = app.login("officer@bureau.test").await;
    let csrf = app.csrf(&bureau).await;
    let (status, html) = get(
        &bureau,
        &app,
        &format!("/library/entries/{URN}/edit?lang=en"),
    )
    .await;
    assert_eq!(status, 200);
    let mut fields = entry_form(&html);
    set(&mut fields, "csrf", &csrf);
    set(
        &mut fields,
        "title_en",
        "ODI foreign-exchange registration (revised wording)",
    );

    // A mistake: conditions that are not JSON. The form comes back with the reason, as typed.
    let mut bad = fields.clone();
    set(&mut bad, "applies_when", "{ sectors");
    set(&mut bad, "note", "Wording");
    let r = bureau
        .post(app.url("/library/revisions"))
        .header("accept-language", "en")
        .form(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        select_texts(&html, "#form-error")[0].contains("JSON"),
        "{html}"
    );
    assert_eq!(
        select_texts(&html, "textarea[name=applies_when]"),
        ["{ sectors"]
    );

    set(&mut fields, "note", "Wording of the 2026 circular");
    let r = bureau
        .post(app.url("/library/revisions"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let revision = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(revision.starts_with("/library/revisions/"), "{revision}");
    let (_, html) = get(&bureau, &app, &format!("{revision}?lang=en")).await;
    let changed = select_texts(&html, "#revision-changes th[scope=row]");
    assert!(
        changed.contains(&"Title (English)".to_owned()),
        "{changed:?}"
    );
    let (_, html) = get(&bureau, &app, &format!("{revision}?lang=zh-CN")).await;
    let changed = select_texts(&html, "#revision-changes th[scope=row]");
    assert!(changed.contains(&"标题（英文）".to_owned()), "{changed:?}");

    let r = bureau
        .post(app.url(&format!("{revision}/publish")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/library/publications/1");
    let (status, html) = get(&anyone, &app, "/library/publications/1").await;
    assert_eq!(status, 200);
    assert!(select_texts(&html, "#publication-version")[0].ends_with("+local.1"));
    let (_, html) = get(&anyone, &app, "/library").await;
    assert!(select_texts(&html, "#library-version")[0].ends_with("+local.1"));
    let (_, html) = get(&anyone, &app, &format!("/library/entries/{URN}?lang=en")).await;
    assert!(html.contains("ODI foreign-exchange registration (revised wording)"));
}
