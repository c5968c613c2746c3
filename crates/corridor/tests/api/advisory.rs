//! One enterprise, one policy: the plan over JSON (`POST /api/v1/plans/preview`) and as the
//! interview page (`/plans/new`). Neither stores anything, so each runs once, on SQLite.

use reqwest::Response;
use scraper::{Html, Selector};
use serde_json::{Value, json};

use crate::helpers::*;

async fn app() -> TestApp {
    TestApp::spawn(Backend::Sqlite).await.expect("sqlite")
}

async fn preview(app: &TestApp, body: &Value) -> Response {
    app.client()
        .post(app.url("/api/v1/plans/preview"))
        .json(body)
        .send()
        .await
        .unwrap()
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

async fn page(app: &TestApp, query: &str, lang: &str) -> (u16, Html) {
    let r = app
        .client()
        .get(app.url(&format!("/plans/new{query}")))
        .header("accept-language", lang)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, Html::parse_document(&r.text().await.unwrap()))
}

fn text_of(html: &Html, selector: &str) -> String {
    html.select(&sel(selector))
        .map(|e| e.text().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The JSON preview is `corridor plan --json`'s plan: four areas, every item with why, basis and
/// sources, the China side always there; no sign-in needed.
#[tokio::test]
async fn the_preview_gives_the_plan_of_the_contract_without_signing_in() {
    let app = app().await;
    let project = json!({
        "date": "2026-12-01", "country": "VN", "entry_mode": "joint_venture",
        "sectors_isic": ["C2930"], "ownership": "private",
        "flags": ["employs_foreign_nationals", "direct_investment_by_domestic_entity"],
        "flags_false": ["sensitive_destination", "sensitive_industry"],
        "metrics": {"cn_investment_usd": 50000000, "foreign_shareholding_pct": 49},
        "counterparty_assets": ["SG"]
    });
    let r = preview(&app, &project).await;
    assert_eq!(r.status(), 200);
    let plan: Value = r.json().await.unwrap();
    let areas: Vec<&str> = plan["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["area"].as_str().unwrap())
        .collect();
    assert_eq!(areas, ["negotiation", "signing", "risk", "disputes"]);
    let items: Vec<&Value> = plan["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["items"].as_array().unwrap())
        .collect();
    assert!(items.len() >= 3, "{}", items.len());
    for item in &items {
        assert!(item["obligation"].as_str().unwrap().starts_with("urn:"));
        assert!(!item["why"].as_array().unwrap().is_empty(), "{item}");
        assert!(!item["sources"].as_array().unwrap().is_empty(), "{item}");
        assert!(item["verified"].is_boolean());
    }
    assert!(
        items.iter().any(
            |i| i["jurisdiction"] == "VN" && i["obligation"].as_str().unwrap().contains(":vn:")
        )
    );
    assert_eq!(plan["china_side"].as_array().unwrap().len(), 5);
    let clause = &plan["sections"][3]["dispute_clause"];
    assert!(
        clause["candidates"].as_array().unwrap().len() >= 3,
        "{clause}"
    );

    // The same request through the CLI gives the same plan.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(["plan", "--json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(project.to_string().as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(cli, plan);
}

/// Unknown codes are a 422 naming the field and every unknown value; a request that is not the
/// contract's shape is refused too; nothing is a 500.
#[tokio::test]
async fn the_preview_names_every_unknown_code() {
    let app = app().await;
    let base = json!({"country": "VN", "entry_mode": "greenfield"});
    let cases = [
        (
            json!({"flags": ["made_up_flag", "another_one"]}),
            "flags",
            vec!["made_up_flag", "another_one"],
        ),
        (json!({"country": "FR"}), "country", vec!["FR"]),
        (
            json!({"entry_mode": "merger"}),
            "entry_mode",
            vec!["merger"],
        ),
        (
            json!({"sectors_isic": ["C64", "Z9"]}),
            "sectors_isic",
            vec!["C64", "Z9"],
        ),
        (
            json!({"metrics": {"made_up_metric": 1}}),
            "metrics",
            vec!["made_up_metric"],
        ),
        (
            json!({"metrics": {"cn_investment_usd": -5}}),
            "metrics",
            vec!["cn_investment_usd"],
        ),
        (json!({"date": "2026-02-30"}), "date", vec!["2026-02-30"]),
        (
            json!({"counterparty_assets": ["XX"]}),
            "counterparty_assets",
            vec!["XX"],
        ),
    ];
    for (change, field, values) in cases {
        let mut body = base.clone();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let r = preview(&app, &body).await;
        assert_eq!(r.status(), 422, "{body}");
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["code"], "invalid_input", "{e}");
        let message = e["message"].as_str().unwrap();
        assert!(message.contains(field), "{message}");
        for v in values {
            assert!(message.contains(v), "{message} should name {v}");
        }
    }
    let r = preview(
        &app,
        &json!({"country": "VN", "entry_mode": "greenfield", "colour": "red"}),
    )
    .await;
    assert_eq!(r.status(), 422);
    let r = app
        .client()
        .post(app.url("/api/v1/plans/preview"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert!(matches!(r.status().as_u16(), 400 | 422), "{}", r.status());
}

/// The interview: a first answer gives a plan and questions in words; answering one closes it
/// and keeps the answer on the form; both languages; a wrong answer is a 422 in words.
#[tokio::test]
async fn the_plan_page_asks_in_plain_words_and_answers_in_both_languages() {
    let app = app().await;
    let (status, html) = page(&app, "", "en").await;
    assert_eq!(status, 200);
    assert_eq!(
        html.select(&sel("form#plan-interview select#country option"))
            .count(),
        11
    );
    assert!(html.select(&sel("#plan")).next().is_none());
    let modes = text_of(&html, "select#entry_mode");
    assert!(modes.contains("a joint venture"), "{modes}");
    assert!(
        !modes.contains("joint_venture"),
        "entry modes in words: {modes}"
    );

    let query = "?country=VN&entry_mode=greenfield&sector=C&date=2026-12-01";
    let (status, html) = page(&app, query, "en").await;
    assert_eq!(status, 200);
    let areas: Vec<&str> = html
        .select(&sel("#plan section.plan-area"))
        .map(|s| s.value().attr("id").unwrap())
        .collect();
    assert_eq!(
        areas,
        [
            "area-negotiation",
            "area-signing",
            "area-risk",
            "area-disputes"
        ]
    );
    let items: Vec<_> = html.select(&sel("#plan li.plan-item")).collect();
    assert!(!items.is_empty());
    for item in &items {
        let inner = Html::parse_fragment(&item.html());
        assert!(
            inner.select(&sel("ul.why li")).next().is_some(),
            "every item says why"
        );
        assert!(
            inner
                .select(&sel("ul.sources a[href^=http]"))
                .next()
                .is_some(),
            "and its source"
        );
    }
    assert_eq!(html.select(&sel("#china-side li[data-topic]")).count(), 5);
    // Open questions are asked as questions, with a "not sure" answer; never as codes.
    let open: Vec<_> = html.select(&sel("#facts .fact.open")).collect();
    assert!(!open.is_empty());
    let first = open
        .iter()
        .find(|f| f.select(&sel("select")).next().is_some())
        .expect("a yes/no question");
    let code = first.value().attr("data-code").unwrap().to_owned();
    let label: String = first.select(&sel("label")).next().unwrap().text().collect();
    assert!(label.ends_with('?'), "{label}");
    assert!(!label.contains(&code));

    let (status, html) = page(&app, &format!("{query}&flag.{code}=no"), "en").await;
    assert_eq!(status, 200);
    let fact = html
        .select(&sel(&format!("#facts .fact[data-code=\"{code}\"]")))
        .next()
        .expect("the answered fact stays on the form");
    assert!(!fact.value().classes().any(|c| c == "open"));
    let chosen = fact
        .select(&sel("option[selected]"))
        .next()
        .unwrap()
        .value()
        .attr("value");
    assert_eq!(chosen, Some("no"));

    let (status, html) = page(&app, query, "zh-CN").await;
    assert_eq!(status, 200);
    let heading = text_of(&html, "#plan h2");
    assert!(
        heading.contains("您的方案") && heading.contains("越南"),
        "{heading}"
    );
    assert!(text_of(&html, "#area-risk h3").contains("风险防控"));
    assert!(
        text_of(&html, "#facts label")
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    );

    let (status, html) = page(
        &app,
        "?country=VN&entry_mode=greenfield&flag.acquires_land=maybe",
        "en",
    )
    .await;
    assert_eq!(status, 422);
    let alert = text_of(&html, "form .alert.error");
    assert!(
        alert.contains("acquires_land") && alert.contains("yes or no"),
        "{alert}"
    );
    let (status, html) = page(&app, "?country=FR&entry_mode=greenfield", "zh-CN").await;
    assert_eq!(status, 422);
    assert!(text_of(&html, "form .alert.error").contains("FR"));
}
