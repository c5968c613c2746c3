//! Arbitration fees over HTTP and on the page: the same answers as `corridor fees --json`, bad
//! input named, both languages. Nothing is stored, so this runs once, on SQLite.

use serde_json::Value;

use crate::helpers::*;

async fn get(app: &TestApp, path: &str, lang: &str) -> (u16, String) {
    let r = app
        .client()
        .get(app.url(path))
        .header("accept-language", lang)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn cli(args: &[&str]) -> Value {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test]
async fn fees_answer_as_the_cli_does_and_name_bad_input() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let (status, body) = get(
        &app,
        "/api/v1/fees?schedule=siac_2016_administration_fees&amount=10000000",
        "en",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let answer: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(answer["fee"], "38800.00");
    assert_eq!(answer["currency"], "SGD");
    assert_eq!(
        answer,
        cli(&[
            "fees",
            "--schedule",
            "siac_2016_administration_fees",
            "--amount",
            "10000000",
            "--json"
        ])
    );
    let (status, body) = get(
        &app,
        "/api/v1/fees/compare?amount=10000000&currency=SGD",
        "en",
    )
    .await;
    assert_eq!(status, 200);
    let compare: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        compare,
        cli(&[
            "fees",
            "compare",
            "--amount",
            "10000000",
            "--currency",
            "SGD",
            "--json"
        ])
    );
    assert!(
        compare["rows"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["estimate"] == true)
    );

    for (path, names) in [
        (
            "/api/v1/fees?schedule=no_such_schedule&amount=1",
            "schedule",
        ),
        (
            "/api/v1/fees?schedule=siac_2025_schedule&amount=12.345",
            "amount",
        ),
        ("/api/v1/fees/compare?amount=100&currency=XYZ", "currency"),
        (
            "/api/v1/fees/compare?amount=100&currency=SGD&date=2026-02-30",
            "date",
        ),
    ] {
        let (status, body) = get(&app, path, "en").await;
        assert_eq!(status, 422, "{path}: {body}");
        let e: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(e["code"], "invalid_input");
        assert!(e["message"].as_str().unwrap().contains(names), "{body}");
    }
    let (status, _) = get(&app, "/api/v1/fees?amount=1", "en").await;
    assert!(matches!(status, 400 | 422));
}

#[tokio::test]
async fn the_fee_page_compares_institutions_in_both_languages() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let (status, html) = get(&app, "/fees", "en").await;
    assert_eq!(status, 200);
    let doc = scraper::Html::parse_document(&html);
    let currencies: Vec<String> = doc
        .select(&sel("#currency option"))
        .map(|o| o.text().collect())
        .collect();
    assert!(
        currencies.contains(&"SGD".to_owned()) && currencies.contains(&"CNY".to_owned()),
        "{currencies:?}"
    );
    assert!(doc.select(&sel("#fee-table")).next().is_none());

    for (lang, heading, badge) in [("en", "Fee", "estimate"), ("zh-CN", "仲裁费", "估算")] {
        let (status, html) = get(&app, "/fees?amount=10000000&currency=SGD", lang).await;
        assert_eq!(status, 200);
        let doc = scraper::Html::parse_document(&html);
        let headers: Vec<String> = doc
            .select(&sel("#fee-table th"))
            .map(|t| t.text().collect())
            .collect();
        assert!(headers.contains(&heading.to_owned()), "{lang}: {headers:?}");
        let row = doc
            .select(&sel(
                "#fee-table tr[data-schedule=siac_2016_administration_fees] td.fee",
            ))
            .next()
            .unwrap();
        assert!(row.text().collect::<String>().starts_with("38800.00"));
        let estimate = doc
            .select(&sel("#fee-table tr.estimate .badge.unverified"))
            .next()
            .unwrap();
        assert_eq!(estimate.text().collect::<String>(), badge, "{lang}");
        assert!(
            doc.select(&sel("#fee-table .sources a[href^=http]"))
                .next()
                .is_some()
        );
    }
    let (status, html) = get(&app, "/fees?amount=abc&currency=SGD", "zh-CN").await;
    assert_eq!(status, 422);
    let doc = scraper::Html::parse_document(&html);
    let alert: String = doc
        .select(&sel("form .alert.error"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert!(alert.contains("争议金额"), "{alert}");
}
