//! Arbitration cases (`/api/v1/arbitration/cases`): a party's counsel files, the institution's
//! secretary accepts, fees are estimated, events start deadlines and reminders, the award is
//! filed and its enforcement in two countries tracked — and who may see and do each. On both
//! backends.

use corridor::auth::{OrgRole, PlatformRole};
use corridor::directory::model::OrgKind;
use reqwest::Method;
use serde_json::{Value, json};

use crate::advisory_projects::call;
use crate::helpers::*;
use crate::on_both_backends;

/// The state-changing case routes, whose matrix by standing is in this file's test.
pub fn covered_routes() -> Vec<(&'static str, &'static str)> {
    vec![
        ("POST", "/api/v1/arbitration/cases"),
        ("POST", "/api/v1/arbitration/cases/{id}/accept"),
        ("POST", "/api/v1/arbitration/cases/{id}/reject"),
        ("POST", "/api/v1/arbitration/cases/{id}/events"),
        ("POST", "/api/v1/arbitration/cases/{id}/enforcements"),
        (
            "PUT",
            "/api/v1/arbitration/cases/{id}/enforcements/{enforcement}",
        ),
        ("POST", "/api/v1/arbitration/cases/{id}/extensions"),
    ]
}

pub(crate) struct People {
    pub secretary: String,
    pub counsel: String,
    pub other_counsel: String,
    pub outsider: String,
    pub bureau: String,
}

pub(crate) async fn people(app: &TestApp) -> People {
    let commission = app
        .org("demo-commission", OrgKind::ArbitrationInstitution, "CN")
        .await;
    let firm = app
        .org("demo-claimant-firm", OrgKind::LocalLawFirm, "CN")
        .await;
    let other = app
        .org("demo-other-firm", OrgKind::LocalLawFirm, "CN")
        .await;
    let mut tokens = Vec::new();
    for (email, platform, memberships) in [
        (
            "secretary@commission.test",
            None,
            vec![(commission.as_str(), OrgRole::CaseSecretary)],
        ),
        (
            "counsel@claimant.test",
            None,
            vec![(firm.as_str(), OrgRole::Lawyer)],
        ),
        (
            "counsel@other.test",
            None,
            vec![(other.as_str(), OrgRole::Lawyer)],
        ),
        ("nobody@outside.test", None, vec![]),
        (
            "officer@bureau.test",
            Some(PlatformRole::BureauOfficer),
            vec![],
        ),
    ] {
        let user = app.user(email, platform, &memberships).await;
        tokens.push(app.token_for(&user).await);
    }
    let mut t = tokens.into_iter();
    People {
        secretary: t.next().unwrap(),
        counsel: t.next().unwrap(),
        other_counsel: t.next().unwrap(),
        outsider: t.next().unwrap(),
        bureau: t.next().unwrap(),
    }
}

pub(crate) fn filing() -> Value {
    json!({
        "institution": "demo-commission",
        "claimant": {"name": "Chongqing Demo Motors Co., Ltd.", "nationality": "CN"},
        "respondent": {"name": "Hanoi Demo Trading JSC", "nationality": "VN"},
        "claims": "Payment of the unpaid price of delivered parts, with interest.",
        "amount": "1250000.50", "currency": "CNY",
        "agreement": "Clause 18 of the supply contract of 2025-03-01.",
        "seat": "CN", "language": "zh", "rules": "UNCITRAL-2013", "arbitrators": 3
    })
}

async fn json_of(r: reqwest::Response) -> Value {
    r.json().await.unwrap()
}

on_both_backends!(a_case_is_filed_accepted_counted_and_its_award_enforced_abroad);
async fn a_case_is_filed_accepted_counted_and_its_award_enforced_abroad(app: TestApp) {
    let p = people(&app).await;
    let (sec, counsel) = (Some(p.secretary.as_str()), Some(p.counsel.as_str()));
    let cases = "/api/v1/arbitration/cases";

    // Bad filings are refused, naming the field.
    for (field, value) in [
        ("amount", json!("1.234")),
        ("amount", json!("-10")),
        ("rules", json!("NO-SUCH-RULES")),
        ("institution", json!("demo-claimant-firm")),
        ("arbitrators", json!(2)),
    ] {
        let mut bad = filing();
        bad[field] = value;
        let r = call(&app, counsel, Method::POST, cases, Some(&bad)).await;
        assert_eq!(r.status(), 422, "{field}");
        assert!(
            json_of(r).await["message"]
                .as_str()
                .unwrap()
                .contains(field),
            "{field}"
        );
    }
    assert_eq!(
        call(&app, None, Method::POST, cases, Some(&filing()))
            .await
            .status(),
        401
    );

    let r = call(&app, counsel, Method::POST, cases, Some(&filing())).await;
    assert_eq!(r.status(), 201);
    let c = json_of(r).await;
    let id = c["id"].as_str().unwrap().to_owned();
    assert_eq!(c["status"], "filed");
    assert_eq!(c["my_role"], "claimant_counsel");
    assert!(
        c["reference"].as_str().unwrap().contains("-2026-")
            || c["reference"].as_str().unwrap().contains('-')
    );
    let rows = c["fees"]["rows"].as_array().unwrap();
    assert!(
        rows.iter()
            .any(|r| r["schedule"] == "cqac_acceptance_fee_config"),
        "fees estimated"
    );
    let r = call(&app, counsel, Method::POST, cases, Some(&filing())).await;
    assert_eq!(r.status(), 409, "the same dispute twice");

    // Who sees it: the filer and the secretariat; no one else (404).
    let path = format!("{cases}/{id}");
    for (token, status) in [
        (counsel, 200),
        (sec, 200),
        (Some(p.other_counsel.as_str()), 404),
        (Some(p.outsider.as_str()), 404),
        (Some(p.bureau.as_str()), 404),
        (None, 401),
    ] {
        assert_eq!(
            call(&app, token, Method::GET, &path, None).await.status(),
            status
        );
    }
    let listed = json_of(call(&app, sec, Method::GET, cases, None).await).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let listed = json_of(call(&app, Some(&p.other_counsel), Method::GET, cases, None).await).await;
    assert!(listed.as_array().unwrap().is_empty());

    // Only the secretariat accepts; an event waits for acceptance.
    let accept = format!("{path}/accept");
    let events = format!("{path}/events");
    let notice =
        json!({"event": "notice_of_arbitration_received", "date": "2026-09-28", "place": "CN"});
    assert_eq!(
        call(&app, sec, Method::POST, &events, Some(&notice))
            .await
            .status(),
        409
    );
    assert_eq!(
        call(&app, counsel, Method::POST, &accept, Some(&json!({})))
            .await
            .status(),
        403
    );
    assert_eq!(
        call(
            &app,
            Some(&p.outsider),
            Method::POST,
            &accept,
            Some(&json!({}))
        )
        .await
        .status(),
        404
    );
    let r = call(
        &app,
        sec,
        Method::POST,
        &accept,
        Some(&json!({"note": "Fees paid"})),
    )
    .await;
    assert_eq!(json_of(r).await["status"], "accepted");
    assert_eq!(
        call(&app, sec, Method::POST, &accept, Some(&json!({})))
            .await
            .status(),
        409
    );

    // The notice's service starts the clock: deadlines, and a reminder task for each.
    assert_eq!(
        call(&app, counsel, Method::POST, &events, Some(&notice))
            .await
            .status(),
        403
    );
    let bad = json!({"event": "lunch", "date": "2026-09-28"});
    assert_eq!(
        call(&app, sec, Method::POST, &events, Some(&bad))
            .await
            .status(),
        422
    );
    let c = json_of(call(&app, sec, Method::POST, &events, Some(&notice)).await).await;
    let deadlines = c["deadlines"].as_array().unwrap();
    assert!(!deadlines.is_empty());
    // 2026-09-28 + 30 days under UNCITRAL Art. 4: the answer falls in China's National Day
    // week and moves past it.
    assert!(
        deadlines
            .iter()
            .all(|d| d["due"].as_str().unwrap() > "2026-09-28")
    );
    let m = json_of(
        call(
            &app,
            sec,
            Method::GET,
            &format!("/api/v1/matters/{id}"),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(m["tasks"].as_array().unwrap().len(), deadlines.len());

    // An extension of the first limit: granted by the secretariat only, checked, counted.
    let first = deadlines[0].clone();
    let ext = format!("{path}/extensions");
    let grant = json!({"event": "notice_of_arbitration_received", "article": first["article"],
                       "extension": "15", "note": "Respondent's request of 2026-10-20"});
    assert_eq!(
        call(&app, counsel, Method::POST, &ext, Some(&grant))
            .await
            .status(),
        403
    );
    let mut bad = grant.clone();
    bad["article"] = json!("99(9)");
    assert_eq!(
        call(&app, sec, Method::POST, &ext, Some(&bad))
            .await
            .status(),
        422
    );
    let c = json_of(call(&app, sec, Method::POST, &ext, Some(&grant)).await).await;
    let extended = c["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["article"] == first["article"] && d["original_due"].is_string())
        .expect("the limit shows its extension");
    assert_eq!(extended["original_due"], first["due"]);
    assert!(extended["due"].as_str().unwrap() > first["due"].as_str().unwrap());
    assert_eq!(c["extensions"].as_array().unwrap().len(), 1);

    // Enforcement is of an award: none yet.
    let enf = format!("{path}/enforcements");
    let vn = json!({"country": "VN", "court": "People's Court of Hanoi", "filed_on": "2026-11-02",
                    "decision": "recognised", "decided_on": "2026-11-30"});
    assert_eq!(
        call(&app, sec, Method::POST, &enf, Some(&vn))
            .await
            .status(),
        409
    );
    let r = crate::matters::upload(
        &app,
        &p.secretary,
        &id,
        "award.pdf",
        b"%PDF-1.4 demo award".to_vec(),
        "award",
        &[],
    )
    .await;
    assert!(r.status().is_success(), "{}", r.status());
    let c = json_of(call(&app, sec, Method::POST, &enf, Some(&vn)).await).await;
    assert_eq!(c["award_filed"], true);
    let th = json!({"country": "TH", "court": "Central Intellectual Property and International Trade Court",
                    "filed_on": "2026-11-10", "grounds": ["v2b_public_policy"]});
    assert_eq!(
        call(&app, Some(&p.other_counsel), Method::POST, &enf, Some(&th))
            .await
            .status(),
        404
    );
    let c = json_of(call(&app, counsel, Method::POST, &enf, Some(&th)).await).await;
    let proceedings = c["enforcements"].as_array().unwrap();
    assert_eq!(proceedings.len(), 2);
    assert_eq!(
        proceedings[0]["coverage"], "covered",
        "a Mainland award in Viet Nam: New York Convention"
    );
    let figure = |v: &Value| v["award_enforcement_countries"].as_i64().unwrap();
    let prog = json_of(
        call(
            &app,
            Some(&p.bureau),
            Method::GET,
            "/api/v1/programme",
            None,
        )
        .await,
    )
    .await;
    assert_eq!(figure(&prog), 1);

    // Thailand decides; a stale version is refused.
    let th_row = proceedings.iter().find(|e| e["country"] == "TH").unwrap();
    let th_path = format!("{enf}/{}", th_row["id"].as_str().unwrap());
    let mut decided = th.clone();
    decided["decision"] = json!("recognised");
    decided["decided_on"] = json!("2026-12-01");
    decided["version"] = th_row["version"].clone();
    assert_eq!(
        call(&app, counsel, Method::PUT, &th_path, Some(&decided))
            .await
            .status(),
        200
    );
    assert_eq!(
        call(&app, counsel, Method::PUT, &th_path, Some(&decided))
            .await
            .status(),
        409
    );
    let prog = json_of(
        call(
            &app,
            Some(&p.bureau),
            Method::GET,
            "/api/v1/programme",
            None,
        )
        .await,
    )
    .await;
    assert_eq!(figure(&prog), 2);
    assert_eq!(prog["award_countries"], json!(["TH", "VN"]));
}

on_both_backends!(a_rejected_filing_closes_and_may_be_filed_again);
async fn a_rejected_filing_closes_and_may_be_filed_again(app: TestApp) {
    let p = people(&app).await;
    let (sec, counsel) = (Some(p.secretary.as_str()), Some(p.counsel.as_str()));
    let cases = "/api/v1/arbitration/cases";
    let c = json_of(call(&app, counsel, Method::POST, cases, Some(&filing())).await).await;
    let id = c["id"].as_str().unwrap();
    let r = call(
        &app,
        sec,
        Method::POST,
        &format!("{cases}/{id}/reject"),
        Some(&json!({"note": "No agreement to arbitrate at this commission"})),
    )
    .await;
    assert_eq!(json_of(r).await["status"], "rejected");
    let m = json_of(
        call(
            &app,
            sec,
            Method::GET,
            &format!("/api/v1/matters/{id}"),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(
        m["matter"]["status"].as_str().or(m["status"].as_str()),
        Some("closed")
    );
    assert_eq!(
        call(&app, counsel, Method::POST, cases, Some(&filing()))
            .await
            .status(),
        201
    );
}
