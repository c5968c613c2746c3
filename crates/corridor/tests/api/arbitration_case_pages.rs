//! Arbitration cases through the pages: counsel files on the form (a mistake comes back with
//! the reason), the secretary accepts and records the notice's service, and the case page shows
//! its fees and time limits in both languages. On both backends.

use crate::arbitration_cases::people;
use crate::helpers::*;
use crate::on_both_backends;

/// A page as a browser in `lang` gets it: status and HTML.
pub(crate) async fn page(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    lang: &str,
) -> (u16, String) {
    let r = client
        .get(app.url(path))
        .header("accept-language", lang)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

on_both_backends!(a_case_is_filed_accepted_and_counted_through_the_pages);
async fn a_case_is_filed_accepted_and_counted_through_the_pages(app: TestApp) {
    let _people = people(&app).await;
    let counsel = app.login("counsel@claimant.test").await;
    let csrf = app.csrf(&counsel).await;
    let (status, html) = page(&counsel, &app, "/arbitration/cases/new", "en").await;
    assert_eq!(status, 200);
    assert_eq!(
        select_attrs(&html, "select[name=institution] option", "value"),
        ["demo-commission"]
    );
    let mut form = vec![
        ("csrf", csrf.clone()),
        ("institution", "demo-commission".into()),
        ("filed_as", "claimant_counsel".into()),
        ("claimant_name", "Chongqing Demo Motors Co., Ltd.".into()),
        ("claimant_nationality", "CN".into()),
        ("respondent_name", "Hanoi Demo Trading JSC".into()),
        ("respondent_nationality", "VN".into()),
        ("claims", "Payment of the price".into()),
        ("amount", "12.345".into()),
        ("currency", "CNY".into()),
        ("agreement", "Clause 18".into()),
        ("seat", "CN".into()),
        ("language", "zh".into()),
        ("rules", "UNCITRAL-2013".into()),
        ("arbitrators", "3".into()),
    ];
    let r = counsel
        .post(app.url("/arbitration/cases"))
        .header("accept-language", "en")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(!select_texts(&html, "#form-error").is_empty());
    assert_eq!(
        select_attrs(&html, "input[name=claimant_name]", "value"),
        ["Chongqing Demo Motors Co., Ltd."],
        "what was typed stays"
    );
    form[8].1 = "1250000".into();
    let r = counsel
        .post(app.url("/arbitration/cases"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let case = r.headers()["location"].to_str().unwrap().to_owned();

    let secretary = app.login("secretary@commission.test").await;
    let csrf = app.csrf(&secretary).await;
    let (_, html) = page(&secretary, &app, "/arbitration/cases", "en").await;
    assert_eq!(
        select_attrs(&html, "#case-list tr[data-id]", "data-status"),
        ["filed"]
    );
    let r = secretary
        .post(app.url(&format!("{case}/accept")))
        .form(&[("csrf", csrf.as_str()), ("note", "Fees paid")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let r = secretary
        .post(app.url(&format!("{case}/events")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("event", "notice_of_arbitration_received"),
            ("date", "2026-09-28"),
            ("place", "CN"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    for lang in ["en", "zh-CN"] {
        let (status, html) = page(&counsel, &app, &case, lang).await;
        assert_eq!(status, 200);
        assert_eq!(
            select_attrs(&html, "#case-status", "data-status"),
            ["accepted"]
        );
        assert!(
            !select_texts(&html, "#deadline-list tbody tr").is_empty(),
            "{lang}"
        );
        assert!(!select_attrs(&html, "#case-fees tr[data-schedule]", "data-schedule").is_empty());
    }
    let (status, _) = page(&app.login("counsel@other.test").await, &app, &case, "en").await;
    assert_eq!(status, 404);
}
