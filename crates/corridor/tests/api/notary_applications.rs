//! Applications for overseas remote video notarization (`/api/v1/notary/applications`): the
//! pre-check on the application, the office's decisions, booking across time zones, the
//! session's steps and what blocks them, and who sees each application. On both backends.

use corridor::auth::OrgRole;
use corridor::auth::audit::Who;
use corridor::directory::model::OrgKind;
use reqwest::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::advisory_projects::call;
use crate::helpers::*;
use crate::on_both_backends;

/// The state-changing routes whose matrix by standing is in this file's tests.
pub fn covered_routes() -> Vec<(&'static str, &'static str)> {
    vec![
        ("POST", "/api/v1/notary/applications"),
        ("POST", "/api/v1/notary/applications/{id}/decision"),
        ("POST", "/api/v1/notary/applications/{id}/step"),
        ("POST", "/api/v1/notary/applications/{id}/booking"),
        ("POST", "/api/v1/notary/applications/{id}/certificate"),
        ("POST", "/api/v1/notary/applications/{id}/session/identity"),
        ("POST", "/api/v1/notary/applications/{id}/session/consent"),
        ("POST", "/api/v1/notary/applications/{id}/session/qa"),
        ("POST", "/api/v1/notary/applications/{id}/session/signature"),
        ("POST", "/api/v1/notary/applications/{id}/session/hold"),
        ("PUT", "/api/v1/notary/applications/{id}/session/recording"),
        ("PUT", "/api/v1/notary/offices/{office}/settings"),
    ]
}

pub(crate) struct Office {
    pub admin: String,
    pub notary: String,
    pub other_notary: String,
    pub applicant: String,
    pub outsider: String,
}

/// A pilot office with its administrator and a notary, another pilot office's notary, an
/// applicant (named "Chen Jing") and an outsider; the office's numbers set as 渝明证字.
pub(crate) async fn office(app: &TestApp) -> Office {
    let mut ids = Vec::new();
    for slug in ["demo-mingjian-notary", "demo-other-notary"] {
        let mut input = org_input(slug, OrgKind::NotaryOffice, "CN");
        input.remote_notarization_pilot = true;
        let id = app
            .store
            .create_organization(&Who::cli(), &input, false)
            .await
            .unwrap()
            .into_string();
        ids.push(id);
    }
    let mut tokens = Vec::new();
    for (email, memberships) in [
        (
            "admin@mingjian.test",
            vec![(ids[0].as_str(), OrgRole::OrgAdmin)],
        ),
        (
            "notary@mingjian.test",
            vec![(ids[0].as_str(), OrgRole::Notary)],
        ),
        (
            "notary@other.test",
            vec![(ids[1].as_str(), OrgRole::Notary)],
        ),
        ("chen.jing@applicant.test", vec![]),
        ("nobody@outside.test", vec![]),
    ] {
        let user = app.user(email, None, &memberships).await;
        tokens.push(app.token_for(&user).await);
    }
    let mut t = tokens.into_iter();
    let o = Office {
        admin: t.next().unwrap(),
        notary: t.next().unwrap(),
        other_notary: t.next().unwrap(),
        applicant: t.next().unwrap(),
        outsider: t.next().unwrap(),
    };
    let settings = json!({"abbreviation": "渝明", "series": "证字", "own_device_sessions": false});
    let r = call(
        app,
        Some(&o.admin),
        Method::PUT,
        "/api/v1/notary/offices/demo-mingjian-notary/settings",
        Some(&settings),
    )
    .await;
    assert_eq!(r.status(), 200);
    o
}

/// An eligible application: a declaration disposing of property (so with the paper-original
/// condition), from Bangkok.
pub(crate) fn application() -> Value {
    json!({
        "office": "demo-mingjian-notary", "venue": "mission", "purpose": "Sale of a flat in Chongqing",
        "nationality": "CN", "mainland_resident": true, "residence_country": "TH", "days_resident": 400,
        "residence_status": "work_visa", "matter": "declaration", "use_in": "CN",
        "needs_interpreter": false, "disposes_property": true
    })
}

/// Whether an error answer's message names every one of `words`.
pub(crate) fn says(body: &Value, words: &[&str]) -> bool {
    let message = body["message"].as_str().unwrap_or_default();
    words.iter().all(|w| message.contains(w))
}

pub(crate) async fn json_of(r: reqwest::Response) -> Value {
    let status = r.status();
    let body: Value = r.json().await.unwrap();
    assert!(status.is_success(), "{status}: {body}");
    body
}

/// Applies, accepts and books: the application's id.
pub(crate) async fn booked(app: &TestApp, o: &Office) -> String {
    let a = json_of(
        call(
            app,
            Some(&o.applicant),
            Method::POST,
            "/api/v1/notary/applications",
            Some(&application()),
        )
        .await,
    )
    .await;
    let id = a["id"].as_str().unwrap().to_owned();
    let base = format!("/api/v1/notary/applications/{id}");
    let a = json_of(
        call(
            app,
            Some(&o.notary),
            Method::POST,
            &format!("{base}/decision"),
            Some(&json!({"step": "accept", "version": a["version"]})),
        )
        .await,
    )
    .await;
    let booking = json!({"starts": "2026-12-20T10:00", "time_zone": "Asia/Bangkok",
        "place": "Chinese Embassy in Bangkok, consular section", "version": a["version"]});
    let a = json_of(
        call(
            app,
            Some(&o.notary),
            Method::POST,
            &format!("{base}/booking"),
            Some(&booking),
        )
        .await,
    )
    .await;
    assert_eq!(a["status"], "booked");
    id
}

/// Uploads `bytes` as the session's recording, announcing `sha256`.
pub(crate) async fn upload_recording(
    app: &TestApp,
    token: &str,
    id: &str,
    bytes: Vec<u8>,
    sha256: &str,
) -> reqwest::Response {
    app.client()
        .put(app.url(&format!(
            "/api/v1/notary/applications/{id}/session/recording"
        )))
        .bearer_auth(token)
        .header("content-type", "video/webm")
        .header("x-content-sha256", sha256)
        .body(bytes)
        .send()
        .await
        .unwrap()
}

/// Runs a booked session to its close through the API: the session's view after it.
pub(crate) async fn hold_session(app: &TestApp, o: &Office, id: &str) -> Value {
    let s = format!("/api/v1/notary/applications/{id}/session");
    let post = |token: &str, path: &str, body: Value| {
        let token = token.to_owned();
        let path = format!("{s}/{path}");
        async move { call(app, Some(&token), Method::POST, &path, Some(&body)).await }
    };
    json_of(post(&o.applicant, "consent", json!({})).await).await;
    for step in ["document_checked", "face_matched", "residence_checked"] {
        json_of(post(&o.notary, "identity", json!({"step": step, "passed": true})).await).await;
    }
    let video = b"webm recording of the session".repeat(1000);
    let hash = hex::encode(Sha256::digest(&video));
    json_of(upload_recording(app, &o.notary, id, video, &hash).await).await;
    json_of(post(&o.notary, "qa", json!({"question": "您是否自愿签署？Do you sign of your own will?", "answer": "是 Yes"})).await).await;
    json_of(post(&o.applicant, "signature", json!({"name": "chen.jing"})).await).await;
    json_of(post(&o.notary, "hold", json!({})).await).await
}

on_both_backends!(an_application_is_checked_decided_booked_and_seen_only_by_its_people);
async fn an_application_is_checked_decided_booked_and_seen_only_by_its_people(app: TestApp) {
    let o = office(&app).await;
    let list = "/api/v1/notary/applications";

    // Only the office's administrator sets its numbers.
    let settings = json!({"abbreviation": "渝明", "series": "证字"});
    let path = "/api/v1/notary/offices/demo-mingjian-notary/settings";
    let r = call(&app, Some(&o.notary), Method::PUT, path, Some(&settings)).await;
    assert_eq!(r.status(), 403);
    let bad = json!({"abbreviation": "YM", "series": "证字"});
    let (status, body) =
        error_of(call(&app, Some(&o.admin), Method::PUT, path, Some(&bad)).await).await;
    assert!(status == 422 && says(&body, &["abbreviation"]), "{body}");

    // The pre-check runs on the application: an ineligible one is refused with its reasons.
    let mut abroad = application();
    abroad["use_in"] = json!("US");
    abroad["needs_interpreter"] = json!(true);
    let (status, body) =
        error_of(call(&app, Some(&o.applicant), Method::POST, list, Some(&abroad)).await).await;
    assert!(
        status == 422 && says(&body, &["eligibility", "use_in_china, no_interpreter"]),
        "{body}"
    );
    let mut device = application();
    device["venue"] = json!("own_device");
    let (status, body) =
        error_of(call(&app, Some(&o.applicant), Method::POST, list, Some(&device)).await).await;
    assert!(
        status == 422 && says(&body, &["venue", "own device"]),
        "{body}"
    );
    let mut elsewhere = application();
    elsewhere["office"] = json!("no-such-office");
    let (status, body) = error_of(
        call(
            &app,
            Some(&o.applicant),
            Method::POST,
            list,
            Some(&elsewhere),
        )
        .await,
    )
    .await;
    assert!(status == 422 && says(&body, &["office", "pilot"]), "{body}");
    let r = call(&app, None, Method::POST, list, Some(&application())).await;
    assert_eq!(r.status(), 401);

    let a = json_of(
        call(
            &app,
            Some(&o.applicant),
            Method::POST,
            list,
            Some(&application()),
        )
        .await,
    )
    .await;
    assert_eq!(a["status"], "applied");
    assert_eq!(a["verdict"], "eligible_with_conditions");
    assert_eq!(
        a["conditions"][0]["code"],
        "property_disposal_paper_original"
    );
    assert!(a["reference"].as_str().unwrap().contains('-'));
    let id = a["id"].as_str().unwrap().to_owned();
    let one = format!("{list}/{id}");

    // The applicant and every notary of the office see it; another office, an outsider: 404.
    for (token, seen) in [
        (&o.applicant, true),
        (&o.notary, true),
        (&o.admin, true),
        (&o.other_notary, false),
        (&o.outsider, false),
    ] {
        let r = call(&app, Some(token), Method::GET, &one, None).await;
        assert_eq!(r.status(), if seen { 200 } else { 404 });
        let mine = json_of(call(&app, Some(token), Method::GET, list, None).await).await;
        let listed = mine
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["id"] == id.as_str());
        assert_eq!(listed, seen);
    }

    // The office decides, never the applicant; asking for more needs a note.
    let decision = format!("{one}/decision");
    let accept = json!({"step": "accept", "version": a["version"]});
    let r = call(
        &app,
        Some(&o.applicant),
        Method::POST,
        &decision,
        Some(&accept),
    )
    .await;
    assert_eq!(r.status(), 403);
    let r = call(
        &app,
        Some(&o.other_notary),
        Method::POST,
        &decision,
        Some(&accept),
    )
    .await;
    assert_eq!(r.status(), 404);
    let more = json!({"step": "request_more", "version": a["version"]});
    let (status, body) =
        error_of(call(&app, Some(&o.notary), Method::POST, &decision, Some(&more)).await).await;
    assert!(status == 422 && says(&body, &["note"]), "{body}");
    let more = json!({"step": "request_more", "note": "Upload your residence card, both sides.", "version": a["version"]});
    let a2 = json_of(call(&app, Some(&o.notary), Method::POST, &decision, Some(&more)).await).await;
    assert_eq!(a2["status"], "more_requested");
    assert_eq!(a2["note"], "Upload your residence card, both sides.");
    // A decision on the version read before is refused, and changes nothing.
    let (status, body) = error_of(
        call(
            &app,
            Some(&o.notary),
            Method::POST,
            &decision,
            Some(&accept),
        )
        .await,
    )
    .await;
    assert!(
        status == 409 && says(&body, &["changed this application"]),
        "{body}"
    );
    let a3 = json_of(call(&app, Some(&o.applicant), Method::GET, &one, None).await).await;
    assert_eq!(a3["status"], "more_requested");

    let resubmit = json!({"step": "resubmit", "version": a2["version"]});
    let r = call(
        &app,
        Some(&o.notary),
        Method::POST,
        &format!("{one}/step"),
        Some(&resubmit),
    )
    .await;
    assert_eq!(r.status(), 403);
    let a4 = json_of(
        call(
            &app,
            Some(&o.applicant),
            Method::POST,
            &format!("{one}/step"),
            Some(&resubmit),
        )
        .await,
    )
    .await;
    assert_eq!(a4["status"], "applied");
    let bad_ground = json!({"step": "refuse", "ground": "looks_odd", "version": a4["version"]});
    let (status, body) = error_of(
        call(
            &app,
            Some(&o.notary),
            Method::POST,
            &decision,
            Some(&bad_ground),
        )
        .await,
    )
    .await;
    assert!(status == 422 && says(&body, &["ground"]), "{body}");
    let accept = json!({"step": "accept", "version": a4["version"]});
    let a5 = json_of(
        call(
            &app,
            Some(&o.notary),
            Method::POST,
            &decision,
            Some(&accept),
        )
        .await,
    )
    .await;
    assert_eq!(a5["status"], "accepted");
    assert_eq!(
        a5["my_role"], "notary",
        "the deciding notary takes charge and joins"
    );

    // Nobody outside the office is named its notary, and nobody is added as an applicant: the
    // workflow gives those roles.
    let participants = format!("/api/v1/matters/{id}/participants");
    for (email, role, reason) in [
        ("nobody@outside.test", "notary", "office_members_only"),
        ("admin@mingjian.test", "notary", "office_members_only"),
        ("someone@new.test", "notary", "office_members_only"),
        ("nobody@outside.test", "applicant", "assigned_by_workflow"),
    ] {
        let add = json!({"email": email, "role": role});
        let (status, body) = error_of(
            call(
                &app,
                Some(&o.notary),
                Method::POST,
                &participants,
                Some(&add),
            )
            .await,
        )
        .await;
        assert_eq!(status, 422, "{role} {body}");
        let message = body["message"].as_str().unwrap_or_default();
        assert!(message.contains("role"), "{reason}: {body}");
    }
    assert_eq!(
        call(&app, Some(&o.outsider), Method::GET, &one, None)
            .await
            .status(),
        404
    );
    let early = json!({"starts": "2026-12-20T10:00", "time_zone": "Asia/Bangkok",
        "place": "Chinese Embassy in Bangkok", "version": a5["version"]});
    let r = call(
        &app,
        Some(&o.outsider),
        Method::POST,
        &format!("{one}/booking"),
        Some(&early),
    )
    .await;
    assert_eq!(r.status(), 404, "an outsider books nothing");

    // The session is booked in Bangkok's time; the applicant set their zone to Bangkok too,
    // the notary reads it in their own (UTC by default).
    let booking = json!({"starts": "2026-12-20T10:00", "time_zone": "Asia/Bangkok",
        "place": "Chinese Embassy in Bangkok", "version": a5["version"]});
    let r = call(
        &app,
        Some(&o.applicant),
        Method::POST,
        &format!("{one}/booking"),
        Some(&booking),
    )
    .await;
    assert_eq!(r.status(), 403);
    let a6 = json_of(
        call(
            &app,
            Some(&o.notary),
            Method::POST,
            &format!("{one}/booking"),
            Some(&booking),
        )
        .await,
    )
    .await;
    assert_eq!(a6["status"], "booked");
    assert_eq!(a6["meeting"]["starts_at"], "2026-12-20T03:00:00Z");
    assert_eq!(a6["meeting"]["kind"], "notarization_session");
    assert!(
        a6["meeting"]["online_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/notary/applications/{id}/session"))
    );
    // The applicant was told (in-app).
    let notes = json_of(
        call(
            &app,
            Some(&o.applicant),
            Method::GET,
            "/api/v1/notifications",
            None,
        )
        .await,
    )
    .await;
    let kinds: Vec<&str> = notes["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["kind"].as_str())
        .collect();
    assert!(kinds.contains(&"session_booked"), "{notes}");
}

on_both_backends!(refused_and_withdrawn_applications_take_no_further_step);
async fn refused_and_withdrawn_applications_take_no_further_step(app: TestApp) {
    let o = office(&app).await;
    let list = "/api/v1/notary/applications";
    let a = json_of(
        call(
            &app,
            Some(&o.applicant),
            Method::POST,
            list,
            Some(&application()),
        )
        .await,
    )
    .await;
    let one = format!("{list}/{}", a["id"].as_str().unwrap());
    let refuse = json!({"step": "refuse", "ground": "dispute", "note": "The co-owner objects.", "version": a["version"]});
    let r = json_of(
        call(
            &app,
            Some(&o.notary),
            Method::POST,
            &format!("{one}/decision"),
            Some(&refuse),
        )
        .await,
    )
    .await;
    assert_eq!(r["status"], "refused");
    assert_eq!(r["ground"]["id"], "dispute");
    assert!(r["ground"]["zh"].as_str().unwrap().contains("争议"));
    let accept = json!({"step": "accept", "version": r["version"]});
    let (status, body) = error_of(
        call(
            &app,
            Some(&o.notary),
            Method::POST,
            &format!("{one}/decision"),
            Some(&accept),
        )
        .await,
    )
    .await;
    assert_eq!(status, 409, "{body}");

    let b = json_of(
        call(
            &app,
            Some(&o.applicant),
            Method::POST,
            list,
            Some(&application()),
        )
        .await,
    )
    .await;
    let one = format!("{list}/{}", b["id"].as_str().unwrap());
    let withdraw = json!({"step": "withdraw", "version": b["version"]});
    let w = json_of(
        call(
            &app,
            Some(&o.applicant),
            Method::POST,
            &format!("{one}/step"),
            Some(&withdraw),
        )
        .await,
    )
    .await;
    assert_eq!(w["status"], "withdrawn");
    let certify =
        json!({"text_zh": "兹证明", "text_en": "This is to certify", "version": w["version"]});
    let r = call(
        &app,
        Some(&o.notary),
        Method::POST,
        &format!("{one}/certificate"),
        Some(&certify),
    )
    .await;
    assert_eq!(r.status(), 409);
}
