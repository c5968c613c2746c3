//! A case's award: drafted by the sole arbitrator, returned and approved on scrutiny, signed,
//! rendered to PDF and filed in the case — anchored, with a receipt that verifies the very
//! bytes the parties download. On both backends; the PDF needs a CJK font.

use reqwest::Method;
use serde_json::{Value, json};

use crate::advisory_projects::call;
use crate::arbitration_cases::{filing, people};
use crate::helpers::*;
use crate::on_both_backends;

/// The state-changing award routes, whose matrix by standing is in this file's test.
pub fn covered_routes() -> Vec<(&'static str, &'static str)> {
    vec![
        ("PUT", "/api/v1/arbitration/cases/{id}/award"),
        ("POST", "/api/v1/arbitration/cases/{id}/award"),
        ("POST", "/api/v1/arbitration/cases/{id}/publish"),
    ]
}

async fn json_of(r: reqwest::Response) -> Value {
    r.json().await.unwrap()
}

on_both_backends!(
    an_award_is_drafted_scrutinised_signed_filed_and_verified,
    ignore = "needs fonts-noto-cjk and poppler-utils (pdftotext); the postgres half PostgreSQL too"
);
async fn an_award_is_drafted_scrutinised_signed_filed_and_verified(app: TestApp) {
    let p = people(&app).await;
    let (sec, counsel) = (Some(p.secretary.as_str()), Some(p.counsel.as_str()));
    crate::arbitration_tribunal::arbitrator(&app, "demo-sole-arbitrator", "SG", None).await;
    let arb = app.user("sole@demo.test", None, &[]).await;
    let arb = app.token_for(&arb).await;
    let arb = Some(arb.as_str());
    let mut one = filing();
    one["arbitrators"] = json!(1);
    let c = json_of(
        call(
            &app,
            counsel,
            Method::POST,
            "/api/v1/arbitration/cases",
            Some(&one),
        )
        .await,
    )
    .await;
    let id = c["id"].as_str().unwrap().to_owned();
    let case = format!("/api/v1/arbitration/cases/{id}");
    call(
        &app,
        sec,
        Method::POST,
        &format!("{case}/accept"),
        Some(&json!({})),
    )
    .await;
    let nominate =
        json!({"person": "demo-sole-arbitrator", "seat_role": "sole", "email": "sole@demo.test"});
    let c = json_of(
        call(
            &app,
            sec,
            Method::POST,
            &format!("{case}/nominations"),
            Some(&nominate),
        )
        .await,
    )
    .await;
    let n = &c["tribunal"][0];
    let step = format!("{case}/nominations/{}", n["id"].as_str().unwrap());
    call(
        &app,
        sec,
        Method::POST,
        &step,
        Some(&json!({"action": "confirm", "version": n["version"]})),
    )
    .await;

    let award = format!("{case}/award");
    let draft = json!({"reasons": "The goods were delivered.\nThe price was not paid.", "operative": "The respondent shall pay CNY 1,250,000.50.", "version": 0});
    assert_eq!(
        call(&app, counsel, Method::PUT, &award, Some(&draft))
            .await
            .status(),
        403
    );
    let c = json_of(call(&app, arb, Method::PUT, &award, Some(&draft)).await).await;
    assert_eq!(c["award"]["status"], "draft");
    let seen = json_of(call(&app, counsel, Method::GET, &case, None).await).await;
    assert!(
        seen["award"].is_null(),
        "the parties see the award once signed"
    );

    let go = |action: &str, version: &Value| json!({"action": action, "version": version});
    let c = json_of(
        call(
            &app,
            arb,
            Method::POST,
            &award,
            Some(&go("submit", &c["award"]["version"])),
        )
        .await,
    )
    .await;
    assert_eq!(c["award"]["status"], "scrutiny");
    let again = json!({"reasons": "x", "operative": "y", "version": c["award"]["version"]});
    assert_eq!(
        call(&app, arb, Method::PUT, &award, Some(&again))
            .await
            .status(),
        409
    );
    assert_eq!(
        call(
            &app,
            arb,
            Method::POST,
            &award,
            Some(&go("approve", &c["award"]["version"]))
        )
        .await
        .status(),
        403
    );
    let mut back = go("return", &c["award"]["version"]);
    back["note"] = json!("State the interest rate.");
    let c = json_of(call(&app, sec, Method::POST, &award, Some(&back)).await).await;
    assert_eq!(c["award"]["status"], "draft");
    assert_eq!(c["award"]["scrutiny_note"], "State the interest rate.");
    let redraft = json!({"reasons": "The goods were delivered.\nThe price was not paid.", "operative": "The respondent shall pay CNY 1,250,000.50 with interest at 3% a year.", "version": c["award"]["version"]});
    let c = json_of(call(&app, arb, Method::PUT, &award, Some(&redraft)).await).await;
    let c = json_of(
        call(
            &app,
            arb,
            Method::POST,
            &award,
            Some(&go("submit", &c["award"]["version"])),
        )
        .await,
    )
    .await;
    let c = json_of(
        call(
            &app,
            sec,
            Method::POST,
            &award,
            Some(&go("approve", &c["award"]["version"])),
        )
        .await,
    )
    .await;
    assert_eq!(c["award"]["status"], "approved");
    assert_eq!(
        call(
            &app,
            counsel,
            Method::POST,
            &award,
            Some(&go("sign", &c["award"]["version"]))
        )
        .await
        .status(),
        403
    );
    let r = call(
        &app,
        arb,
        Method::POST,
        &award,
        Some(&go("sign", &c["award"]["version"])),
    )
    .await;
    assert_eq!(r.status(), 200);
    let c = json_of(r).await;
    assert_eq!(c["award"]["status"], "signed");
    assert_eq!(c["award_filed"], true);
    let doc = c["award"]["document_id"].as_str().unwrap().to_owned();

    // The parties see it; its bytes are a PDF; its receipt verifies those bytes.
    let seen = json_of(call(&app, counsel, Method::GET, &case, None).await).await;
    assert_eq!(seen["award"]["status"], "signed");
    let bytes = call(
        &app,
        counsel,
        Method::GET,
        &format!("/api/v1/matters/{id}/documents/{doc}/content"),
        None,
    )
    .await
    .bytes()
    .await
    .unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    let receipt = json_of(
        call(
            &app,
            counsel,
            Method::GET,
            &format!("/api/v1/matters/{id}/documents/{doc}/receipt"),
            None,
        )
        .await,
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("proof.txt"),
        receipt["receipt"].as_str().unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("record.json"),
        receipt["record"].as_str().unwrap(),
    )
    .unwrap();
    std::fs::write(dir.path().join("award.pdf"), &bytes).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_corridor"))
        .current_dir(dir.path())
        .args([
            "verify",
            "receipt",
            "--vkey",
            receipt["vkey"].as_str().unwrap(),
            "--proof",
            "proof.txt",
            "--record",
            "record.json",
            "--file",
            "award.pdf",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = std::process::Command::new("pdftotext")
        .arg(dir.path().join("award.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext runs (apt-get install poppler-utils)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("裁决书") && text.contains("3%"), "{text}");

    // Closed, the case is published as a typical case, anonymised, once.
    let publish = format!("/api/v1/arbitration/cases/{id}/publish");
    let mut typical = json!({
        "sector": "manufacturing", "contract_type": "sale_of_goods", "outcome": "claimant_prevailed",
        "summary_zh": "买方未付已交付零部件的价款。", "summary_en": "Hanoi Demo Trading JSC did not pay for delivered parts.",
        "outcome_zh": "支持申请人的价款请求及利息。", "outcome_en": "The price was awarded with interest.",
        "lessons_zh": "明确付款期限与利率。", "lessons_en": "Agree the payment term and the interest rate."
    });
    assert_eq!(
        call(&app, counsel, Method::POST, &publish, Some(&typical))
            .await
            .status(),
        403
    );
    let refused = json_of(call(&app, sec, Method::POST, &publish, Some(&typical)).await).await;
    assert_eq!(
        refused["code"], "invalid_input",
        "a party is named: {refused}"
    );
    typical["summary_en"] = json!("The buyer did not pay for delivered parts.");
    let r = call(&app, sec, Method::POST, &publish, Some(&typical)).await;
    assert_eq!(r.status(), 201);
    let record = json_of(r).await;
    let slug = record["slug"].as_str().unwrap().to_owned();
    let stored = json_of(
        call(
            &app,
            None,
            Method::GET,
            &format!("/api/v1/cases/{slug}"),
            None,
        )
        .await,
    )
    .await;
    let text = stored.to_string();
    assert!(
        !text.contains("Hanoi Demo Trading") && !text.contains("Chongqing Demo Motors"),
        "{text}"
    );
    assert!(!text.contains("Clause 18"), "no agreement text");
    assert_eq!(
        stored["amount_band"], "undisclosed",
        "CNY: no sourced rate to band it in USD"
    );
    assert_eq!(stored["parties"][1]["country"], "VN");
    assert_eq!(
        call(&app, sec, Method::POST, &publish, Some(&typical))
            .await
            .status(),
        409
    );
}
