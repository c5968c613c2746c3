//! The arbitrator's disclosure in a case: the secretariat records it as received, the seated
//! arbitrator corrects it, every participant reads it, and it joins the arbitrator's history on
//! the roster. A challenge after the rule set's limit from the appointment must name when its
//! grounds became known and come within the limit from then. On both backends.

use reqwest::Method;
use serde_json::json;

use crate::advisory_projects::call;
use crate::arbitration_cases::{filing, people};
use crate::arbitration_roster::body;
use crate::arbitration_tribunal::arbitrator;
use crate::helpers::*;
use crate::on_both_backends;

/// Moves the nomination's confirmation back to `at` (an RFC 3339 instant).
async fn confirmed_at(app: &TestApp, nomination: &str, at: &str) {
    match app.store.pool() {
        corridor::db::Pool::Sqlite(p) => {
            sqlx::query("UPDATE case_nominations SET decided_at = $1 WHERE id = $2")
                .bind(at)
                .bind(nomination)
                .execute(p)
                .await
                .unwrap();
        }
        corridor::db::Pool::Postgres(p) => {
            sqlx::query(
                "UPDATE case_nominations SET decided_at = CAST($1 AS TIMESTAMPTZ) WHERE id = $2",
            )
            .bind(at)
            .bind(nomination)
            .execute(p)
            .await
            .unwrap();
        }
    }
}

on_both_backends!(a_disclosure_is_made_read_by_the_parties_and_a_late_challenge_names_its_day);
async fn a_disclosure_is_made_read_by_the_parties_and_a_late_challenge_names_its_day(app: TestApp) {
    let p = people(&app).await;
    let (sec, counsel) = (Some(p.secretary.as_str()), Some(p.counsel.as_str()));
    arbitrator(&app, "demo-arb-vietnam", "VN", None).await;
    let sitting = app.user("arbitrator@demo.test", None, &[]).await;
    let sitting = app.token_for(&sitting).await;
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
    let nominate = json!({"person": "demo-arb-vietnam", "seat_role": "presiding", "email": "arbitrator@demo.test"});
    let (_, c) = body(
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
    let n = c["tribunal"][0]["id"].as_str().unwrap().to_owned();
    let publish = json!({"sector": "trade", "contract_type": "sale_of_goods", "outcome": "other",
        "summary_zh": "摘要", "summary_en": "Summary", "outcome_zh": "结果", "outcome_en": "Outcome",
        "lessons_zh": "启示", "lessons_en": "Lessons"});
    let (s, e) = body(
        call(
            &app,
            sec,
            Method::POST,
            &format!("{case}/publish"),
            Some(&publish),
        )
        .await,
    )
    .await;
    assert_eq!(s, 409, "no award yet: {e}");
    let disclose = format!("{case}/nominations/{n}/disclosure");

    // Before the seat: the secretariat records the disclosure as received; counsel may not.
    let made = json!({"statement": "I have no relationship with the parties or their counsel."});
    let (s, _) = body(call(&app, counsel, Method::POST, &disclose, Some(&made)).await).await;
    assert_eq!(s, 403);
    let (s, _) = body(
        call(
            &app,
            Some(&p.outsider),
            Method::POST,
            &disclose,
            Some(&made),
        )
        .await,
    )
    .await;
    assert_eq!(s, 404);
    let (s, _) = body(
        call(
            &app,
            sec,
            Method::POST,
            &disclose,
            Some(&json!({"statement": " "})),
        )
        .await,
    )
    .await;
    assert_eq!(s, 422);
    let (s, c) = body(call(&app, sec, Method::POST, &disclose, Some(&made)).await).await;
    assert_eq!(s, 200, "{c}");
    let version = c["tribunal"][0]["version"].clone();
    let step = format!("{case}/nominations/{n}");
    call(
        &app,
        sec,
        Method::POST,
        &step,
        Some(&json!({"action": "confirm", "version": version})),
    )
    .await;

    // Seated, the arbitrator corrects it; the parties read both, not the screens.
    let corrected =
        json!({"statement": "Correction: I sat with claimant's counsel on a panel in 2024."});
    let (s, c) = body(
        call(
            &app,
            Some(&sitting),
            Method::POST,
            &disclose,
            Some(&corrected),
        )
        .await,
    )
    .await;
    assert_eq!(s, 200, "{c}");
    let (_, seen) = body(call(&app, counsel, Method::GET, &case, None).await).await;
    let disclosures = seen["tribunal"][0]["disclosures"].as_array().unwrap();
    assert_eq!(disclosures.len(), 2);
    assert!(seen["tribunal"][0]["screen"].is_null());
    let reference = seen["reference"].as_str().unwrap();
    let (_, entry) = body(
        call(
            &app,
            Some(&p.bureau),
            Method::GET,
            "/api/v1/arbitration/roster/demo-arb-vietnam",
            None,
        )
        .await,
    )
    .await;
    let history = entry["disclosures"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0]["case_reference"], reference);

    // Sixty days after the appointment, the UNCITRAL limit (15 days) has passed.
    let today = chrono::Utc::now().date_naive();
    let appointed = today - chrono::Days::new(60);
    confirmed_at(&app, &n, &format!("{appointed}T08:00:00+00:00")).await;
    let (_, c) = body(call(&app, counsel, Method::GET, &case, None).await).await;
    let version = c["tribunal"][0]["version"].clone();
    let challenge = |learned: Option<String>| {
        json!({"action": "challenge", "version": version, "grounds": "Undisclosed co-panel service",
               "learned_on": learned})
    };
    for (learned, late) in [
        (None, true),
        (Some(today - chrono::Days::new(30)), true),
        (Some(appointed - chrono::Days::new(1)), false),
        (Some(today + chrono::Days::new(1)), false),
    ] {
        let ask = challenge(learned.map(|d| d.to_string()));
        let (s, e) = body(call(&app, counsel, Method::POST, &step, Some(&ask)).await).await;
        assert_eq!(s, 422, "{learned:?}: {e}");
        let message = e["message"].as_str().unwrap();
        assert_eq!(
            message.contains("became known"),
            late,
            "{learned:?}: {message}"
        );
    }
    let learned = (today - chrono::Days::new(3)).to_string();
    let (s, c) = body(
        call(
            &app,
            counsel,
            Method::POST,
            &step,
            Some(&challenge(Some(learned.clone()))),
        )
        .await,
    )
    .await;
    assert_eq!(s, 200, "{c}");
    assert_eq!(c["tribunal"][0]["status"], "challenged");
    assert_eq!(c["tribunal"][0]["challenge_learned_on"], learned.as_str());
}
