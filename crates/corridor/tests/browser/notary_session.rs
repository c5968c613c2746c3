//! A remote video notarization session in two browsers: the applicant's and the notary's
//! headless Chromium, each with a fake camera and microphone, connect over WebRTC (signalling
//! through the server), and the session runs to its close: consent, identity checks, the
//! notary's recording uploaded with its hash, the record of questions and answers, the
//! applicant's signature. The recording is then in the matter, a WebM file.

use std::time::{Duration, Instant};

use corridor::auth::OrgRole;
use corridor::auth::audit::Who;
use corridor::directory::model::OrgKind;
use fantoccini::{Client, Locator};
use serde_json::{Value, json};

use super::helpers::*;
use super::{Driver, sign_in, start_browser_with};

const MEDIA: &[&str] = &[
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--autoplay-policy=no-user-gesture-required",
];

async fn api(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Value,
) -> Value {
    let r = app
        .client()
        .request(method, app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let v: Value = r.json().await.unwrap();
    assert!(status.is_success(), "{path}: {status} {v}");
    v
}

/// A booked application at a pilot office: its id.
async fn booked(app: &TestApp) -> String {
    let mut input = org_input("browser-notary", OrgKind::NotaryOffice, "CN");
    input.remote_notarization_pilot = true;
    let office = app
        .store
        .create_organization(&Who::cli(), &input, false)
        .await
        .unwrap()
        .into_string();
    let notary = app
        .user(
            "notary@browser.test",
            None,
            &[(office.as_str(), OrgRole::Notary)],
        )
        .await;
    let applicant = app.user("chen.jing@browser.test", None, &[]).await;
    let (notary, applicant) = (
        app.token_for(&notary).await,
        app.token_for(&applicant).await,
    );
    use reqwest::Method;
    let a = api(app, &applicant, Method::POST, "/api/v1/notary/applications", json!({
        "office": "browser-notary", "purpose": "Power of attorney for a sale",
        "nationality": "CN", "mainland_resident": true, "residence_country": "TH", "days_resident": 400,
        "residence_status": "work_visa", "matter": "entrustment", "use_in": "CN",
        "needs_interpreter": false, "disposes_property": false
    }))
    .await;
    let id = a["id"].as_str().unwrap().to_owned();
    let base = format!("/api/v1/notary/applications/{id}");
    let a = api(
        app,
        &notary,
        Method::POST,
        &format!("{base}/decision"),
        json!({"step": "accept", "version": a["version"]}),
    )
    .await;
    api(
        app,
        &notary,
        Method::POST,
        &format!("{base}/booking"),
        json!({
            "starts": "2026-12-20T10:00", "time_zone": "Asia/Bangkok",
            "place": "Chinese Embassy in Bangkok", "version": a["version"]
        }),
    )
    .await;
    id
}

/// Waits (at most 60 s) until `css` is on the page.
async fn until(client: &Client, css: &str) -> Result<(), fantoccini::error::CmdError> {
    client
        .wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Css(css))
        .await
        .map(|_| ())
}

async fn click(client: &Client, css: &str) -> Result<(), fantoccini::error::CmdError> {
    client.find(Locator::Css(css)).await?.click().await
}

/// The width of the other side's video as this browser receives it.
async fn remote_width(client: &Client) -> u64 {
    client
        .execute(
            "return document.getElementById('remote').videoWidth",
            vec![],
        )
        .await
        .ok()
        .and_then(|v| v.as_u64())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium and chromedriver (apt-get install chromium chromium-driver)"]
async fn an_applicant_and_a_notary_hold_a_recorded_video_session_in_two_browsers() {
    let (_d1, notary): (Driver, Client) = start_browser_with(MEDIA).await;
    let (_d2, applicant): (Driver, Client) = start_browser_with(MEDIA).await;
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let id = booked(&app).await;
    let page = format!("/notary/applications/{id}/session");

    let result = async {
        sign_in(
            &notary,
            &app,
            &format!("/login?next={page}"),
            "notary@browser.test",
        )
        .await?;
        sign_in(
            &applicant,
            &app,
            &format!("/login?next={page}"),
            "chen.jing@browser.test",
        )
        .await?;
        until(&notary, "#session[data-side='notary']").await?;
        until(&applicant, "#session[data-side='applicant']").await?;

        // Both browsers connect to each other and each receives the other's camera.
        until(&notary, "#rtc-state[data-state='connected']").await?;
        until(&applicant, "#rtc-state[data-state='connected']").await?;
        let deadline = Instant::now() + Duration::from_secs(30);
        while remote_width(&notary).await == 0 || remote_width(&applicant).await == 0 {
            assert!(Instant::now() < deadline, "no remote video after 30 s");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }

        // The applicant consents; the notary checks identity, records, keeps the record.
        click(&applicant, "#consent").await?;
        until(&applicant, "#session[data-consented='yes']").await?;
        for step in ["document_checked", "face_matched", "residence_checked"] {
            click(&notary, &format!("#identity-{step}-pass")).await?;
            until(&notary, &format!("#session:not([data-missing~='{step}'])")).await?;
        }
        click(&notary, "#record-start").await?;
        until(&notary, "#recording-state[data-state='recording']").await?;
        tokio::time::sleep(Duration::from_secs(3)).await;
        click(&notary, "#record-stop").await?;
        until(&notary, "#session[data-recorded='yes']").await?;
        notary
            .find(Locator::Css("#qa-question"))
            .await?
            .send_keys("您是否自愿签署委托书？Do you sign the power of attorney of your own will?")
            .await?;
        notary
            .find(Locator::Css("#qa-answer"))
            .await?
            .send_keys("是。Yes.")
            .await?;
        click(&notary, "#qa-submit").await?;
        until(&notary, "#qa-list li").await?;

        // The applicant signs in session; the notary closes it.
        applicant
            .find(Locator::Css("#sign-name"))
            .await?
            .send_keys("chen.jing")
            .await?;
        click(&applicant, "#sign-submit").await?;
        until(&applicant, "#session[data-signed='yes']").await?;
        click(&notary, "#hold").await?;
        until(&notary, "#session[data-held='yes']").await?;
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    for (who, client) in [("notary", &notary), ("applicant", &applicant)] {
        if result.is_err() {
            let state = client
                .execute(
                    "var s = document.getElementById('session'); return JSON.stringify({rtc: \
                     document.getElementById('rtc-state').dataset.state, error: \
                     document.getElementById('session-error').textContent, session: s && s.dataset});",
                    vec![],
                )
                .await;
            eprintln!("{who}: {state:?}");
        }
        if result.is_err()
            && let Ok(png) = client.screenshot().await
        {
            let path = std::env::temp_dir().join(format!("corridor-session-{who}.png"));
            std::fs::write(&path, png).ok();
        }
    }
    notary.close().await.ok();
    applicant.close().await.ok();
    result.expect("session steps in two browsers");

    // The session is held and its recording is in the matter: a WebM file the notary's browser
    // made from the applicant's camera, stored under the hash it announced.
    let held = app
        .store
        .notary_application(&id)
        .await
        .unwrap()
        .expect("the application");
    assert_eq!(held.status, "session_held");
    let (session, _) = app.store.notary_session(&id).await.unwrap().unwrap();
    let recording = session.recording.expect("a recording");
    assert!(recording.size > 1000, "{recording:?}");
    let notary_user = app
        .store
        .user_id_by_email("notary@browser.test")
        .await
        .unwrap()
        .unwrap();
    let token = app.token_for(&notary_user).await;
    let bytes = app
        .client()
        .get(app.url(&format!(
            "/api/v1/matters/{id}/documents/{}/content",
            recording.document_id
        )))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(&bytes[..4], &[0x1a, 0x45, 0xdf, 0xa3], "a WebM (EBML) file");
    use sha2::Digest;
    assert_eq!(hex::encode(sha2::Sha256::digest(&bytes)), recording.sha256);
}
