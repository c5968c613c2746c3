//! Jurisdiction questions over the API and the pages. No database is involved, so SQLite only.

use serde_json::Value;

use crate::helpers::*;

/// The members, Timor-Leste included (admitted 2025-10-26, per `data/reference/countries.csv`).
const ASEAN: [&str; 11] = [
    "BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN", "TL",
];

async fn get(app: &TestApp, path: &str) -> (u16, Value) {
    let r = app.client().get(app.url(path)).send().await.unwrap();
    let status = r.status().as_u16();
    let body: Value = r.json().await.expect("a JSON body");
    (status, body)
}

async fn page(app: &TestApp, path: &str, lang: &str) -> (u16, String) {
    let r = app
        .client()
        .get(app.url(path))
        .header("accept-language", lang)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn awards_name_the_regime_the_api_promises() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let (status, a) = get(
        &app,
        "/api/v1/jurisdiction/awards?seat=CN&enforce_in=VN&commercial=yes&date=2026-11-30",
    )
    .await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(a["regime"], "new_york_convention");
    for field in ["steps", "documents", "warnings", "sources"] {
        assert!(a[field].is_array(), "{field}: {a}");
    }
    assert!(!a["documents"].as_array().unwrap().is_empty());
    assert!(
        a["answer"]["en"]
            .as_str()
            .unwrap()
            .contains("New York Convention")
    );
    assert!(!a["answer"]["zh"].as_str().unwrap().is_empty());

    let (status, a) = get(
        &app,
        "/api/v1/jurisdiction/awards?seat=HK&enforce_in=CN&date=2026-11-30",
    )
    .await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(a["regime"], "hk_arrangement");
    assert_eq!(a["detail"]["regime"], "mainland_hong_kong_arrangement");
}

#[tokio::test]
async fn judgments_use_the_same_field() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let (status, j) = get(
        &app,
        "/api/v1/jurisdiction/judgments?court_in=CN&enforce_in=VN&date=2026-01-01",
    )
    .await;
    assert_eq!(status, 200, "{j}");
    assert_eq!(j["regime"], "bilateral_treaty");
    let (_, j) = get(
        &app,
        "/api/v1/jurisdiction/judgments?court_in=HK&enforce_in=CN&date=2026-01-01",
    )
    .await;
    assert_eq!(j["regime"], "hk_arrangement");
    let (_, j) = get(
        &app,
        "/api/v1/jurisdiction/judgments?court_in=SG&enforce_in=CN&date=2026-01-01",
    )
    .await;
    assert_eq!(j["regime"], "reciprocity");
}

#[tokio::test]
async fn china_joining_the_apostille_convention_changes_the_route_on_2023_11_07() {
    // apostille.csv: CN entry into force 2023-11-07, ID 2022-06-04.
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let (status, before) = get(
        &app,
        "/api/v1/jurisdiction/documents?from=CN&to=ID&date=2023-11-06",
    )
    .await;
    assert_eq!(status, 200, "{before}");
    assert_eq!(before["regime"], "consular_legalization");
    let kinds: Vec<&str> = before["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "notarization",
            "legalization_foreign_ministry",
            "legalization_embassy"
        ]
    );
    let (_, on) = get(
        &app,
        "/api/v1/jurisdiction/documents?from=CN&to=ID&date=2023-11-07",
    )
    .await;
    assert_eq!(on["regime"], "apostille");
    let kinds: Vec<&str> = on["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["notarization", "apostille"]);
    for field in ["documents", "warnings", "sources"] {
        assert!(on[field].is_array(), "{field}: {on}");
    }
}

#[tokio::test]
async fn bad_input_is_a_4xx_naming_what_was_wrong() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    for (path, field) in [
        ("/api/v1/jurisdiction/awards?seat=XX&enforce_in=VN", "seat"),
        (
            "/api/v1/jurisdiction/awards?seat=CN&enforce_in=V1",
            "enforce_in",
        ),
        (
            "/api/v1/jurisdiction/awards?seat=CN&enforce_in=VN&commercial=perhaps",
            "commercial",
        ),
        (
            "/api/v1/jurisdiction/awards?seat=CN&enforce_in=VN&date=1957-12-31",
            "date",
        ),
        (
            "/api/v1/jurisdiction/awards?seat=CN&enforce_in=VN&date=2101-01-01",
            "date",
        ),
        (
            "/api/v1/jurisdiction/judgments?court_in=CN&enforce_in=VN&date=not-a-date",
            "date",
        ),
        (
            "/api/v1/jurisdiction/judgments?court_in=ZZ&enforce_in=VN",
            "court_in",
        ),
        ("/api/v1/jurisdiction/documents?from=CN&to=QQ", "to"),
        ("/api/v1/jurisdiction/documents?from=CN", "to"),
        ("/api/v1/jurisdiction/countries/XX", "cc"),
    ] {
        let (status, body) = get(&app, path).await;
        assert!((400..500).contains(&status), "{path}: {status} {body}");
        assert!(body["code"].is_string(), "{path}: {body}");
        let message = body["message"].as_str().unwrap();
        assert!(message.contains(field), "{path}: {message}");
    }
    let r = app
        .client()
        .get(app.url("/api/v1/jurisdiction/awards?seat=XX&enforce_in=VN"))
        .header("accept-language", "zh-CN")
        .send()
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("seat"), "{body}");
}

#[tokio::test]
async fn every_asean_member_paired_with_china_gets_a_sane_answer_both_ways() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let award_regimes = [
        "new_york_convention",
        "bilateral_treaty",
        "none",
        "undetermined",
    ];
    let routes = ["apostille", "consular_legalization", "undetermined"];
    for m in ASEAN {
        for (a, b) in [("CN", m), (m, "CN")] {
            for date in ["1990-01-01", "2023-11-06", "2023-11-07", "2026-11-30"] {
                let (status, award) = get(
                    &app,
                    &format!("/api/v1/jurisdiction/awards?seat={a}&enforce_in={b}&date={date}"),
                )
                .await;
                assert_eq!(status, 200, "award {a}->{b} {date}: {award}");
                let regime = award["regime"].as_str().unwrap();
                assert!(
                    award_regimes.contains(&regime),
                    "award {a}->{b} {date}: {regime}"
                );
                let (status, route) = get(
                    &app,
                    &format!("/api/v1/jurisdiction/documents?from={a}&to={b}&date={date}"),
                )
                .await;
                assert_eq!(status, 200, "route {a}->{b} {date}: {route}");
                let regime = route["regime"].as_str().unwrap();
                assert!(routes.contains(&regime), "route {a}->{b} {date}: {regime}");
                assert!(
                    !route["steps"].as_array().unwrap().is_empty(),
                    "route {a}->{b} {date}"
                );
            }
        }
        let (status, facts) = get(&app, &format!("/api/v1/jurisdiction/countries/{m}")).await;
        assert_eq!(status, 200, "{m}: {facts}");
        assert_eq!(facts["asean_member"], true, "{m}");
        assert!(facts["profile"].is_object(), "{m}");
    }
}

#[tokio::test]
async fn country_facts_and_index_over_the_api() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let (status, cn) = get(&app, "/api/v1/jurisdiction/countries/cn").await;
    assert_eq!(status, 200, "{cn}");
    assert_eq!(cn["iso2"], "CN");
    assert_eq!(cn["asean_member"], false);
    assert!(
        cn["apostille"]["entry_into_force"]
            .as_str()
            .unwrap()
            .starts_with("2023-11-07")
    );
    let (status, list) = get(&app, "/api/v1/jurisdiction/countries").await;
    assert_eq!(status, 200);
    let list = list.as_array().unwrap();
    assert_eq!(
        list.iter().filter(|c| c["asean_member"] == true).count(),
        ASEAN.len()
    );
}

#[tokio::test]
async fn country_pages_show_every_fact_with_its_source_in_both_languages() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let (status, html) = page(&app, "/jurisdictions", "en").await;
    assert_eq!(status, 200);
    assert_eq!(select_texts(&html, "h1"), vec!["Jurisdictions"]);
    assert_eq!(
        select_texts(&html, "#countries li.asean .badge.asean").len(),
        ASEAN.len()
    );
    assert_eq!(
        select_texts(&html, "#countries a[href='/jurisdictions/VN']").len(),
        1
    );
    assert_eq!(
        select_texts(&html, "nav a[href='/jurisdictions']"),
        vec!["Jurisdictions"]
    );
    let (_, html) = page(&app, "/jurisdictions", "zh-CN").await;
    assert_eq!(select_texts(&html, "h1"), vec!["法域"]);
    assert_eq!(
        select_texts(&html, "nav a[href='/jurisdictions']"),
        vec!["法域"]
    );

    for lang in ["en", "zh-CN"] {
        let (status, html) = page(&app, "/jurisdictions/VN", lang).await;
        assert_eq!(status, 200, "{lang}");
        let facts = select_texts(&html, "#country-facts .fact");
        assert!(facts.len() > 10, "{lang}: {}", facts.len());
        assert_eq!(
            select_texts(&html, "#country-facts .fact .sources").len(),
            facts.len(),
            "{lang}: every fact shows its source"
        );
        assert!(!select_texts(&html, "#country-facts .fact .sources a[href^='http']").is_empty());
        assert!(
            !select_texts(&html, "#country-facts .fact .badge.unverified").is_empty(),
            "{lang}"
        );
        assert_eq!(select_texts(&html, "h1 .badge.asean").len(), 1, "{lang}");
    }
    let (_, html) = page(&app, "/jurisdictions/VN", "zh-CN").await;
    assert!(
        select_texts(&html, ".badge.unverified")
            .iter()
            .all(|t| t == "未核实")
    );
    assert_eq!(
        select_texts(&html, "h1")
            .first()
            .map(|h| h.contains("越南")),
        Some(true)
    );
    let (_, html) = page(&app, "/jurisdictions/VN", "en").await;
    assert!(
        select_texts(&html, ".badge.unverified")
            .iter()
            .all(|t| t == "unverified")
    );
    let (status, _) = page(&app, "/jurisdictions/XX", "en").await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn the_forms_answer_in_words_in_both_languages() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let (status, html) = page(&app, "/jurisdictions/awards", "en").await;
    assert_eq!(status, 200);
    assert_eq!(select_texts(&html, "form#ask-award").len(), 1);
    assert!(select_texts(&html, "#answer").is_empty());

    let (status, html) = page(
        &app,
        "/jurisdictions/awards?seat=CN&enforce_in=VN&commercial=yes&date=2026-11-30",
        "en",
    )
    .await;
    assert_eq!(status, 200);
    let answer = select_texts(&html, "#answer .summary");
    assert!(
        answer[0].starts_with("Yes.") && answer[0].contains("New York Convention"),
        "{answer:?}"
    );
    assert!(!select_texts(&html, "#answer .sources li").is_empty());
    let (_, html) = page(
        &app,
        "/jurisdictions/awards?seat=CN&enforce_in=VN&commercial=yes&date=2026-11-30",
        "zh-CN",
    )
    .await;
    assert!(select_texts(&html, "#answer .summary")[0].contains("纽约公约"));

    let (_, html) = page(
        &app,
        "/jurisdictions/judgments?court_in=CN&enforce_in=VN&date=2026-01-01",
        "en",
    )
    .await;
    assert_eq!(
        select_texts(&html, "#answer .regime"),
        vec!["bilateral_treaty"]
    );

    let (_, html) = page(
        &app,
        "/jurisdictions/documents?from=CN&to=ID&date=2023-11-07",
        "zh-CN",
    )
    .await;
    assert!(select_texts(&html, "#answer .summary")[0].starts_with("附加证明书"));
    assert_eq!(select_texts(&html, "#answer ol.steps > li").len(), 2);
    let (_, html) = page(
        &app,
        "/jurisdictions/documents?from=CN&to=ID&date=2023-11-06",
        "en",
    )
    .await;
    assert!(select_texts(&html, "#answer .summary")[0].starts_with("Consular legalization"));

    let (status, html) = page(&app, "/jurisdictions/awards?seat=XX&enforce_in=VN", "en").await;
    assert_eq!(status, 422);
    let errors = select_texts(&html, "form#ask-award .error");
    assert!(
        errors
            .iter()
            .any(|e| e.contains("seat") || e.contains("Seat")),
        "{errors:?}"
    );
    let (status, html) = page(
        &app,
        "/jurisdictions/documents?from=CN&to=ID&date=1900-01-01",
        "zh-CN",
    )
    .await;
    assert_eq!(status, 422);
    assert!(!select_texts(&html, "form#ask-document .error").is_empty());
}

#[tokio::test]
async fn trade_partner_pages_and_api_show_the_competent_court_with_its_source() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let (status, de) = get(&app, "/api/v1/jurisdiction/countries/de").await;
    assert_eq!(status, 200, "{de}");
    let court = &de["profile"]["foreign_award_enforcement"]["competent_court"];
    assert!(
        court["value"]
            .as_str()
            .unwrap()
            .contains("Oberlandesgericht"),
        "{court}"
    );
    assert!(
        court["source"].as_str().unwrap().contains("1062"),
        "{court}"
    );
    assert_eq!(court["verified"], true);

    for (lang, label) in [("en", "Competent court"), ("zh-CN", "管辖法院")] {
        let (status, html) = page(&app, "/jurisdictions/DE", lang).await;
        assert_eq!(status, 200, "{lang}");
        let doc = scraper::Html::parse_document(&html);
        let fact_sel = scraper::Selector::parse("#enforcement .fact").unwrap();
        let label_sel = scraper::Selector::parse(".label").unwrap();
        let link_sel = scraper::Selector::parse(".sources a[href^='http']").unwrap();
        let badge_sel = scraper::Selector::parse(".badge.unverified").unwrap();
        let fact = doc
            .select(&fact_sel)
            .find(|f| {
                f.select(&label_sel)
                    .any(|l| l.text().collect::<String>() == label)
            })
            .unwrap_or_else(|| panic!("{lang}: no competent-court fact"));
        let text = fact.text().collect::<String>();
        assert!(text.contains("Oberlandesgericht"), "{lang}: {text}");
        assert!(text.contains("1062"), "{lang}: the source is shown: {text}");
        assert!(fact.select(&link_sel).count() >= 1, "{lang}: {text}");
        assert_eq!(fact.select(&badge_sel).count(), 0, "{lang}: {text}");
    }

    let (status, html) = page(&app, "/jurisdictions", "en").await;
    assert_eq!(status, 200);
    for cc in ["US", "GB", "DE", "FR", "JP", "KR", "IN", "AU", "AE"] {
        assert_eq!(
            select_texts(&html, &format!("#countries a[href='/jurisdictions/{cc}']")).len(),
            1,
            "{cc}"
        );
    }

    let (status, a) = get(
        &app,
        "/api/v1/jurisdiction/awards?seat=CN&enforce_in=US&commercial=yes&date=2026-11-30",
    )
    .await;
    assert_eq!(status, 200, "{a}");
    let sources = a["sources"].to_string();
    assert!(sources.contains("lexbuild.dev"), "{sources}");
}
