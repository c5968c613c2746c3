//! Arbitration's pure engines over HTTP and on the page: fees and deadlines give the same answers
//! as `corridor fees --json` and `corridor deadlines --json`, bad input is named, pages speak both
//! languages. Nothing is stored, so this runs once, on SQLite.

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

/// The question the deadline tests ask, as the CLI takes it.
const DEADLINE_ARGS: [&str; 10] = [
    "deadlines",
    "--rules",
    "UNCITRAL-2013",
    "--event",
    "notice_of_arbitration_received",
    "--date",
    "2026-09-30",
    "--place",
    "CN",
    "--json",
];

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

#[tokio::test]
async fn deadlines_answer_as_the_cli_does_and_name_bad_input() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let ask = serde_json::json!({"rules": "UNCITRAL-2013", "event": "notice_of_arbitration_received",
                                 "date": "2026-09-30", "place": "CN"});
    let r = app
        .client()
        .post(app.url("/api/v1/deadlines"))
        .json(&ask)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let answer: Value = r.json().await.unwrap();
    let by_cli = cli(&DEADLINE_ARGS);
    assert_eq!(answer, by_cli);
    assert!(!answer["deadlines"].as_array().unwrap().is_empty());
    for (change, field) in [
        (serde_json::json!({"rules": "NO-SUCH-RULES"}), "rules"),
        (serde_json::json!({"date": "2026-13-01"}), "date"),
        (serde_json::json!({"event": "lunch"}), "event"),
    ] {
        let mut bad = ask.clone();
        for (k, v) in change.as_object().unwrap() {
            bad[k] = v.clone();
        }
        let r = app
            .client()
            .post(app.url("/api/v1/deadlines"))
            .json(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422, "{bad}");
        let e: Value = r.json().await.unwrap();
        assert!(e["message"].as_str().unwrap().contains(field), "{e}");
    }
    let mut unknown = ask.clone();
    unknown["colour"] = "red".into();
    let r = app
        .client()
        .post(app.url("/api/v1/deadlines"))
        .json(&unknown)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
}

#[tokio::test]
async fn the_deadline_page_counts_in_both_languages() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let (status, html) = get(&app, "/deadlines", "en").await;
    assert_eq!(status, 200);
    let doc = scraper::Html::parse_document(&html);
    assert!(
        doc.select(&sel("#rules option[value=UNCITRAL-2013]"))
            .next()
            .is_some()
    );
    let query = "/deadlines?rules=UNCITRAL-2013&event=notice_of_arbitration_received&date=2026-09-30&place=CN";
    let by_cli = cli(&DEADLINE_ARGS);
    let first_due = by_cli["deadlines"][0]["due"].as_str().unwrap().to_owned();
    for (lang, heading) in [("en", "Due"), ("zh-CN", "届满日")] {
        let (status, html) = get(&app, query, lang).await;
        assert_eq!(status, 200);
        let doc = scraper::Html::parse_document(&html);
        let headers: Vec<String> = doc
            .select(&sel("#deadline-table th"))
            .map(|t| t.text().collect())
            .collect();
        assert!(headers.contains(&heading.to_owned()), "{lang}: {headers:?}");
        let due: String = doc
            .select(&sel("#deadline-table tbody tr td.due"))
            .next()
            .unwrap()
            .text()
            .collect();
        assert!(due.starts_with(&first_due), "{lang}: {due} vs {first_due}");
    }
    let (status, html) = get(
        &app,
        "/deadlines?rules=UNCITRAL-2013&event=notice_of_arbitration_received&date=2026-02-30",
        "zh-CN",
    )
    .await;
    assert_eq!(status, 422);
    let doc = scraper::Html::parse_document(&html);
    let alert: String = doc
        .select(&sel("form .alert.error"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert!(alert.contains("事件发生日"), "{alert}");
}
