//! Every seat of a three-member tribunal signs the award: the presiding arbitrator and one
//! co-arbitrator in Corridor, the other co-arbitrator — who has no account — by the signed
//! counterpart the secretariat records; the award is filed only when all three are in. On both
//! backends; the filed PDF needs a CJK font.

use reqwest::Method;
use serde_json::{Value, json};

use crate::advisory_projects::call;
use crate::arbitration_cases::{filing, people};
use crate::arbitration_roster::body;
use crate::arbitration_tribunal::arbitrator;
use crate::helpers::*;
use crate::on_both_backends;

on_both_backends!(
    an_arbitrator_without_an_account_signs_by_counterpart,
    ignore = "needs fonts-noto-cjk for the filed award; the postgres half PostgreSQL too"
);
async fn an_arbitrator_without_an_account_signs_by_counterpart(app: TestApp) {
    let p = people(&app).await;
    let (sec, counsel) = (Some(p.secretary.as_str()), Some(p.counsel.as_str()));
    arbitrator(&app, "demo-presiding", "SG", None).await;
    arbitrator(&app, "demo-co-with-account", "TH", None).await;
    arbitrator(&app, "demo-co-on-paper", "MY", None).await;
    let presiding = app.user("presiding@demo.test", None, &[]).await;
    let presiding = app.token_for(&presiding).await;
    let co = app.user("co@demo.test", None, &[]).await;
    let co = app.token_for(&co).await;
    let (_, c) = body(
        call(
            &app,
            counsel,
            Method::POST,
            "/api/v1/arbitration/cases",
            Some(&filing()),
        )
        .await,
    )
    .await;
    let case = format!("/api/v1/arbitration/cases/{}", c["id"].as_str().unwrap());
    call(
        &app,
        sec,
        Method::POST,
        &format!("{case}/accept"),
        Some(&json!({})),
    )
    .await;
    for (person, seat, email) in [
        ("demo-presiding", "presiding", Some("presiding@demo.test")),
        (
            "demo-co-with-account",
            "co_arbitrator",
            Some("co@demo.test"),
        ),
        ("demo-co-on-paper", "co_arbitrator", None),
    ] {
        let nominate = json!({"person": person, "seat_role": seat, "email": email});
        let (s, _) = body(
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
        assert_eq!(s, 200);
    }
    let bad =
        json!({"person": "demo-presiding", "seat_role": "presiding", "email": "not an email"});
    let (s, _) = body(
        call(
            &app,
            sec,
            Method::POST,
            &format!("{case}/nominations"),
            Some(&bad),
        )
        .await,
    )
    .await;
    assert_eq!(
        s, 422,
        "an email that cannot be an account is refused at nomination"
    );
    let (_, c) = body(call(&app, sec, Method::GET, &case, None).await).await;
    for n in c["tribunal"].as_array().unwrap() {
        let step = format!("{case}/nominations/{}", n["id"].as_str().unwrap());
        let (s, _) = body(
            call(
                &app,
                sec,
                Method::POST,
                &step,
                Some(&json!({"action": "confirm", "version": n["version"]})),
            )
            .await,
        )
        .await;
        assert_eq!(s, 200);
    }
    let (_, c) = body(call(&app, sec, Method::GET, &case, None).await).await;
    let paper = c["tribunal"][2]["id"].as_str().unwrap().to_owned();
    let with_account = c["tribunal"][1]["id"].as_str().unwrap().to_owned();
    assert_eq!(c["tribunal"][2]["has_account"], false);
    assert_eq!(c["tribunal"][1]["has_account"], true);

    let award = format!("{case}/award");
    let draft = json!({"reasons": "The goods were delivered.", "operative": "The respondent shall pay.", "version": 0});
    let (_, c) = body(call(&app, Some(&presiding), Method::PUT, &award, Some(&draft)).await).await;
    let go = |action: &str, c: &Value| json!({"action": action, "version": c["award"]["version"]});
    let (_, c) = body(
        call(
            &app,
            Some(&presiding),
            Method::POST,
            &award,
            Some(&go("submit", &c)),
        )
        .await,
    )
    .await;
    let (_, c) = body(call(&app, sec, Method::POST, &award, Some(&go("approve", &c))).await).await;
    assert_eq!(c["award"]["status"], "approved");
    let (_, c) = body(
        call(
            &app,
            Some(&presiding),
            Method::POST,
            &award,
            Some(&go("sign", &c)),
        )
        .await,
    )
    .await;
    let (s, c) =
        body(call(&app, Some(&co), Method::POST, &award, Some(&go("sign", &c))).await).await;
    assert_eq!(s, 200, "{c}");
    assert_eq!(
        c["award"]["status"], "approved",
        "the third seat has not signed"
    );

    let mut for_seat = go("sign_for", &c);
    for_seat["nomination"] = json!(with_account);
    let (s, _) = body(call(&app, sec, Method::POST, &award, Some(&for_seat)).await).await;
    assert_eq!(s, 422, "an arbitrator with an account signs themselves");
    for_seat["nomination"] = json!(paper);
    let (s, _) = body(call(&app, counsel, Method::POST, &award, Some(&for_seat)).await).await;
    assert_eq!(s, 403);
    let (s, c) = body(call(&app, sec, Method::POST, &award, Some(&for_seat)).await).await;
    assert_eq!(s, 200, "{c}");
    assert_eq!(c["award"]["status"], "signed");
    let signatures = c["award"]["signatures"].as_array().unwrap();
    assert_eq!(signatures.len(), 3);
    assert_eq!(signatures[2]["nomination"], paper.as_str());
    assert!(signatures[2]["recorded_by"].is_string());
    assert!(c["award"]["document_id"].is_string());
}
