//! Rebooking a remote notarization session: the same meeting moves (calendars update it), and
//! the matter never holds two sessions. On both backends.

use reqwest::Method;
use serde_json::json;

use crate::advisory_projects::call;
use crate::helpers::*;
use crate::notary_applications::{booked, json_of, office};
use crate::on_both_backends;

on_both_backends!(a_rebooked_session_moves_its_meeting_and_calendars_update_it);
async fn a_rebooked_session_moves_its_meeting_and_calendars_update_it(app: TestApp) {
    let o = office(&app).await;
    let id = booked(&app, &o).await;
    let one = format!("/api/v1/notary/applications/{id}");
    let a = json_of(call(&app, Some(&o.notary), Method::GET, &one, None).await).await;
    assert_eq!(a["meeting"]["starts_at"], "2026-12-20T03:00:00Z");

    // An hour later, in the same zone: the same meeting, moved, its SEQUENCE raised.
    let later = json!({"starts": "2026-12-20T11:00", "time_zone": "Asia/Bangkok",
        "place": "Chinese Embassy in Bangkok", "version": a["version"]});
    let moved = json_of(
        call(
            &app,
            Some(&o.notary),
            Method::POST,
            &format!("{one}/booking"),
            Some(&later),
        )
        .await,
    )
    .await;
    assert_eq!(moved["status"], "booked");
    assert_eq!(moved["meeting"]["id"], a["meeting"]["id"]);
    assert_eq!(moved["meeting"]["starts_at"], "2026-12-20T04:00:00Z");
    let detail = json_of(
        call(
            &app,
            Some(&o.applicant),
            Method::GET,
            &format!("/api/v1/matters/{id}"),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(detail["meetings"].as_array().unwrap().len(), 1, "{detail}");
    let meeting = moved["meeting"]["id"].as_str().unwrap();
    let ics = app
        .client()
        .get(app.url(&format!("/api/v1/matters/{id}/meetings/{meeting}/ics")))
        .bearer_auth(&o.applicant)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(ics.contains("SEQUENCE:1"), "{ics}");
    assert!(
        ics.contains(&format!("UID:{meeting}")) || ics.contains(meeting),
        "{ics}"
    );

    // The applicant was told, and the timeline says it moved.
    let timeline = json_of(
        call(
            &app,
            Some(&o.applicant),
            Method::GET,
            &format!("/api/v1/matters/{id}/timeline"),
            None,
        )
        .await,
    )
    .await;
    assert!(timeline.to_string().contains("meeting_moved"), "{timeline}");

    // An old version moves nothing.
    let stale = json!({"starts": "2026-12-21T09:00", "time_zone": "Asia/Bangkok",
        "place": "Chinese Embassy in Bangkok", "version": a["version"]});
    let r = call(
        &app,
        Some(&o.notary),
        Method::POST,
        &format!("{one}/booking"),
        Some(&stale),
    )
    .await;
    assert_eq!(r.status(), 409);
    let again = json_of(call(&app, Some(&o.notary), Method::GET, &one, None).await).await;
    assert_eq!(again["meeting"]["starts_at"], "2026-12-20T04:00:00Z");
}
