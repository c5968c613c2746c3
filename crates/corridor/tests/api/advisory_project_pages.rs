//! An enterprise's projects through the pages: the interview's save form, the project's page,
//! changing the answers, and what someone outside the enterprise finds. On both backends.

use crate::advisory_projects::cast;
use crate::helpers::*;
use crate::on_both_backends;

/// The hidden fields of a form, as a browser would send them back.
fn hidden_fields(form: scraper::ElementRef) -> Vec<(String, String)> {
    let inputs = scraper::Selector::parse("input[type=hidden]").unwrap();
    form.select(&inputs)
        .map(|i| {
            let attr = |name| i.value().attr(name).unwrap_or("").to_owned();
            (attr("name"), attr("value"))
        })
        .collect()
}

on_both_backends!(the_interview_saves_a_project_and_changes_it_through_the_pages);
/// The plan page's save form (CSRF, session): a project opens with the interview's answers;
/// its page offers to change them; a refused save shows the interview again, answers kept.
async fn the_interview_saves_a_project_and_changes_it_through_the_pages(app: TestApp) {
    let _cast = cast(&app).await;
    let client = app.login("staff@acme.test").await;
    let query = "?country=VN&entry_mode=greenfield&sector=C&flag.acquires_land=yes";
    let html = client
        .get(app.url(&format!("/plans/new{query}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let doc = scraper::Html::parse_document(&html);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let form = doc
        .select(&sel("form#save-project"))
        .next()
        .expect("members of an enterprise may save");
    let mut fields: Vec<(String, String)> = hidden_fields(form);
    assert!(
        fields
            .iter()
            .any(|(k, v)| k == "flag.acquires_land" && v == "yes")
    );

    // Refused: a value with too many places. The interview comes back with the reason.
    let mut bad = fields.clone();
    bad.extend([
        ("title".into(), "Plant".into()),
        ("value_amount".into(), "1.234".into()),
        ("value_currency".into(), "USD".into()),
    ]);
    let r = client
        .post(app.url("/projects"))
        .form(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let doc = scraper::Html::parse_document(&r.text().await.unwrap());
    let alert: String = doc
        .select(&sel("form .alert.error"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert!(
        alert.contains("Project value") || alert.contains("项目金额"),
        "{alert}"
    );
    let kept = doc
        .select(&sel("form#save-project input#value_amount"))
        .next()
        .unwrap();
    assert_eq!(
        kept.value().attr("value"),
        Some("1.234"),
        "what was typed is kept"
    );

    fields.extend([
        ("title".into(), "Plant in Bac Ninh".into()),
        ("stage".into(), "exploring".into()),
    ]);
    let r = client
        .post(app.url("/projects"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/projects/"));
    let html = client
        .get(app.url(&location))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let doc = scraper::Html::parse_document(&html);
    assert!(doc.select(&sel("#plan li.plan-item")).next().is_some());
    assert!(doc.select(&sel("#plan-changes")).next().is_none());
    let link = doc
        .select(&sel("a#change-answers"))
        .next()
        .unwrap()
        .value()
        .attr("href")
        .unwrap()
        .to_owned();
    assert!(
        link.contains("flag.acquires_land=yes") && link.contains("project="),
        "{link}"
    );

    // The change link opens the interview on the project; saving it changes the project.
    let html = client
        .get(app.url(&link))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let doc = scraper::Html::parse_document(&html);
    let form = doc.select(&sel("form#save-project")).next().unwrap();
    let action = form.value().attr("action").unwrap().to_owned();
    assert_eq!(action, location);
    let mut fields: Vec<(String, String)> = hidden_fields(form);
    fields.retain(|(k, _)| k != "flag.acquires_land");
    fields.extend([
        ("flag.acquires_land".into(), "no".into()),
        ("title".into(), "Plant in Bac Ninh".into()),
        ("stage".into(), "signed".into()),
    ]);
    let r = client
        .post(app.url(&action))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let list = client
        .get(app.url("/projects"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let doc = scraper::Html::parse_document(&list);
    let rows: Vec<String> = doc
        .select(&sel("#project-list tbody tr"))
        .map(|r| r.text().collect())
        .collect();
    assert_eq!(rows.len(), 1);
    assert!(
        rows[0].contains("Plant in Bac Ninh") && rows[0].contains("Signed"),
        "{}",
        rows[0]
    );

    // Someone outside the enterprise finds no project, and no save form on the interview.
    let other = app.login("lawyer@firm.test").await;
    assert_eq!(
        other.get(app.url(&location)).send().await.unwrap().status(),
        404
    );
    let html = other
        .get(app.url(&format!("/plans/new{query}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("save-project"));
}
