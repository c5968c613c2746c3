//! A remote notarization session through the API: what blocks each step (identity, consent,
//! the recording's hash, the record, the signature), and the certificate issued after it,
//! verified online and offline. On both backends.

use reqwest::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::advisory_projects::call;
use crate::helpers::*;
use crate::notary_applications::{booked, hold_session, json_of, office, says, upload_recording};
use crate::on_both_backends;

on_both_backends!(a_session_is_blocked_until_identity_consent_recording_record_and_signature);
async fn a_session_is_blocked_until_identity_consent_recording_record_and_signature(app: TestApp) {
    let o = office(&app).await;
    let id = booked(&app, &o).await;
    let s = format!("/api/v1/notary/applications/{id}/session");
    let post = |token: &str, path: &str, body: Value| {
        let token = token.to_owned();
        let path = format!("{s}/{path}");
        let app = &app;
        async move { call(app, Some(&token), Method::POST, &path, Some(&body)).await }
    };
    let conflict = |r: reqwest::Response| async move {
        let (status, body) = error_of(r).await;
        assert_eq!(status, 409, "{body}");
        body["message"].as_str().unwrap_or_default().to_owned()
    };

    // Only the two sides take part; others of the matter's world do not exist here.
    let r = call(&app, Some(&o.other_notary), Method::GET, &s, None).await;
    assert_eq!(r.status(), 404);
    let view = json_of(call(&app, Some(&o.applicant), Method::GET, &s, None).await).await;
    assert_eq!(view["side"], "applicant");
    assert_eq!(view["missing"].as_array().unwrap().len(), 7);

    // Nothing may be signed before identity is verified; the recording needs consent first.
    let r = post(&o.applicant, "signature", json!({"name": "chen.jing"})).await;
    assert!(conflict(r).await.contains("identity"));
    let video = b"session".repeat(4096);
    let hash = hex::encode(Sha256::digest(&video));
    let r = upload_recording(&app, &o.notary, &id, video.clone(), &hash).await;
    assert_eq!(r.status(), 409);
    let r = post(&o.notary, "consent", json!({})).await;
    assert_eq!(r.status(), 403, "the applicant consents, not the notary");
    json_of(post(&o.applicant, "consent", json!({})).await).await;

    // A recording that does not match its announced hash is refused and nothing is kept.
    let r = upload_recording(&app, &o.notary, &id, video.clone(), &"0".repeat(64)).await;
    let (status, body) = error_of(r).await;
    assert!(
        status == 422 && says(&body, &["sha256", "does not match"]),
        "{body}"
    );
    let r = upload_recording(&app, &o.notary, &id, video.clone(), "not-a-hash").await;
    assert_eq!(r.status(), 422);
    let r = upload_recording(&app, &o.applicant, &id, video.clone(), &hash).await;
    assert_eq!(r.status(), 403);
    let docs = json_of(
        call(
            &app,
            Some(&o.notary),
            Method::GET,
            &format!("/api/v1/matters/{id}"),
            None,
        )
        .await,
    )
    .await;
    let roles: Vec<&str> = docs["documents"]
        .as_array()
        .map(|d| d.iter().filter_map(|x| x["role"].as_str()).collect())
        .unwrap_or_default();
    assert!(!roles.contains(&"recording"), "{roles:?}");
    let view = json_of(upload_recording(&app, &o.notary, &id, video, &hash).await).await;
    assert_eq!(view["session"]["recording"]["sha256"], hash.as_str());

    // A failed identity check blocks the signature until it is checked again.
    for step in ["document_checked", "residence_checked"] {
        json_of(post(&o.notary, "identity", json!({"step": step, "passed": true})).await).await;
    }
    json_of(
        post(
            &o.notary,
            "identity",
            json!({"step": "face_matched", "passed": false, "note": "poor light"}),
        )
        .await,
    )
    .await;
    let r = post(&o.applicant, "signature", json!({"name": "chen.jing"})).await;
    assert!(conflict(r).await.contains("identity"));
    let r = post(
        &o.notary,
        "identity",
        json!({"step": "fingerprint", "passed": true}),
    )
    .await;
    assert_eq!(r.status(), 422);
    json_of(
        post(
            &o.notary,
            "identity",
            json!({"step": "face_matched", "passed": true}),
        )
        .await,
    )
    .await;

    // Closing needs the record of questions and answers and the signature.
    let r = post(&o.notary, "hold", json!({})).await;
    conflict(r).await;
    json_of(
        post(
            &o.notary,
            "qa",
            json!({"question": "您是否自愿签署？", "answer": "是"}),
        )
        .await,
    )
    .await;
    let (status, body) =
        error_of(post(&o.applicant, "signature", json!({"name": "Someone Else"})).await).await;
    assert!(status == 422 && says(&body, &["name", "differs"]), "{body}");
    let signed =
        json_of(post(&o.applicant, "signature", json!({"name": " Chen.Jing "})).await).await;
    assert_eq!(
        signed["session"]["signature"]["sha256"]
            .as_str()
            .unwrap()
            .len(),
        64
    );
    let r = post(&o.applicant, "hold", json!({})).await;
    assert_eq!(r.status(), 403);
    let held = json_of(post(&o.notary, "hold", json!({})).await).await;
    assert_eq!(held["application_status"], "session_held");
    assert!(held["missing"].as_array().unwrap().is_empty());
    // Held, the session takes nothing more.
    let r = post(&o.notary, "qa", json!({"question": "q", "answer": "a"})).await;
    assert_eq!(r.status(), 409);

    // The record of questions and answers and the recording are in the file, anchored; the
    // recording is the notaries' only.
    let m = json_of(
        call(
            &app,
            Some(&o.notary),
            Method::GET,
            &format!("/api/v1/matters/{id}"),
            None,
        )
        .await,
    )
    .await;
    let roles: Vec<&str> = m["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|x| x["role"].as_str())
        .collect();
    assert!(
        roles.contains(&"recording") && roles.contains(&"qa_record"),
        "{roles:?}"
    );
    let m = json_of(
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
    let roles: Vec<&str> = m["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|x| x["role"].as_str())
        .collect();
    assert!(
        roles.contains(&"qa_record") && !roles.contains(&"recording"),
        "{roles:?}"
    );
}

on_both_backends!(
    a_held_session_gets_a_certificate_that_verifies_online_and_offline,
    ignore = "needs fonts-noto-cjk and poppler-utils (pdftotext); the postgres half PostgreSQL too"
);
async fn a_held_session_gets_a_certificate_that_verifies_online_and_offline(app: TestApp) {
    let o = office(&app).await;
    let id = booked(&app, &o).await;
    let one = format!("/api/v1/notary/applications/{id}");
    let early = json!({"text_zh": "兹证明", "text_en": "This is to certify", "version": 0});
    let r = call(
        &app,
        Some(&o.notary),
        Method::POST,
        &format!("{one}/certificate"),
        Some(&early),
    )
    .await;
    assert_eq!(r.status(), 409, "no certificate before the session is held");
    hold_session(&app, &o, &id).await;
    let a = json_of(call(&app, Some(&o.applicant), Method::GET, &one, None).await).await;
    assert_eq!(a["status"], "session_held");

    // A draft still holding the notary's placeholder is refused; the applicant cannot certify.
    let draft = json!({"text_zh": "兹证明陈静【待公证员填写】。", "text_en": "This is to certify", "version": a["version"]});
    let (status, body) = error_of(
        call(
            &app,
            Some(&o.notary),
            Method::POST,
            &format!("{one}/certificate"),
            Some(&draft),
        )
        .await,
    )
    .await;
    assert!(status == 422 && says(&body, &["text_zh"]), "{body}");
    let text = json!({
        "text_zh": "兹证明陈静于2026年12月20日通过海外远程视频方式在本公证员面前，在前面的《声明书》上签名。",
        "text_en": "This is to certify that Chen Jing, appearing before me by overseas remote video on 20 December 2026, signed the foregoing Declaration in my presence.",
        "use_abroad": "VN",
        "version": a["version"]
    });
    let r = call(
        &app,
        Some(&o.applicant),
        Method::POST,
        &format!("{one}/certificate"),
        Some(&text),
    )
    .await;
    assert_eq!(r.status(), 403);
    let c = json_of(
        call(
            &app,
            Some(&o.notary),
            Method::POST,
            &format!("{one}/certificate"),
            Some(&text),
        )
        .await,
    )
    .await;
    assert_eq!(c["status"], "certified");
    let year = corridor::notary::register::register_day(chrono::Utc::now())
        .format("%Y")
        .to_string();
    assert_eq!(c["certificate_number"], format!("({year})渝明证字第1号"));
    // Once: a second call answers with the same certificate.
    let again = json_of(
        call(
            &app,
            Some(&o.notary),
            Method::POST,
            &format!("{one}/certificate"),
            Some(&text),
        )
        .await,
    )
    .await;
    assert_eq!(again["certificate_id"], c["certificate_id"]);

    // Anyone can read the register's entry (nothing personal) with its receipt.
    let cert = c["certificate_id"].as_str().unwrap();
    let public = json_of(
        call(
            &app,
            None,
            Method::GET,
            &format!("/api/v1/notary/certificates/{cert}"),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(public["number"], c["certificate_number"]);
    assert_eq!(
        public["route"]["route"], "apostille",
        "China and Viet Nam: {public}"
    );
    assert!(!public.to_string().contains("Chen") && !public.to_string().contains("陈静"));
    let page = app
        .client()
        .get(app.url(&format!("/verify/certificates/{cert}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains(c["certificate_number"].as_str().unwrap())
    );
    let r = call(
        &app,
        None,
        Method::GET,
        "/api/v1/notary/certificates/0192f000-0000-7000-8000-000000000000",
        None,
    )
    .await;
    assert_eq!(r.status(), 404);

    // The PDF, from the matter, checks offline against the receipt and says what it certifies.
    let doc = document_of_role(&app, &o.applicant, &id, "certificate").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let pdf = app
        .client()
        .get(app.url(&format!("/api/v1/matters/{id}/documents/{doc}/content")))
        .bearer_auth(&o.applicant)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(
        hex::encode(Sha256::digest(&pdf)),
        public["sha256"].as_str().unwrap()
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("receipt.txt"),
        public["receipt"].as_str().expect("a receipt"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("record.json"),
        public["record"].as_str().unwrap(),
    )
    .unwrap();
    std::fs::write(dir.path().join("certificate.pdf"), &pdf).unwrap();
    let verify = |file: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_corridor"))
            .current_dir(dir.path())
            .args([
                "verify",
                "receipt",
                "--vkey",
                public["vkey"].as_str().unwrap(),
                "--proof",
                "receipt.txt",
                "--record",
                "record.json",
                "--file",
                file,
            ])
            .output()
            .unwrap()
    };
    let out = verify("certificate.pdf");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let mut altered = pdf.to_vec();
    let last = altered.len() - 10;
    altered[last] ^= 1;
    std::fs::write(dir.path().join("altered.pdf"), &altered).unwrap();
    assert_eq!(verify("altered.pdf").status.code(), Some(1));
    let out = std::process::Command::new("pdftotext")
        .arg(dir.path().join("certificate.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext runs (apt-get install poppler-utils)");
    // pdftotext spaces Chinese from Latin and digits; compare without spaces.
    let words: String = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect();
    for expected in [
        "公证书",
        "渝明证字第1号",
        "《声明书》",
        "Declaration",
        "/verify/certificates/",
    ] {
        assert!(words.contains(expected), "{expected} in {words}");
    }
}

/// Asks for the session's signalling socket with `client`'s cookie, from `origin`.
async fn open_socket(app: &TestApp, client: &reqwest::Client, id: &str, origin: &str) -> u16 {
    client
        .get(app.url(&format!("/notary/applications/{id}/session/signal")))
        .header("connection", "upgrade")
        .header("upgrade", "websocket")
        .header("sec-websocket-version", "13")
        .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
        .header("origin", origin)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

on_both_backends!(the_signalling_socket_opens_only_for_the_two_sides_from_this_site);
async fn the_signalling_socket_opens_only_for_the_two_sides_from_this_site(app: TestApp) {
    let o = office(&app).await;
    let id = booked(&app, &o).await;
    let here = app.url("").trim_end_matches('/').to_owned();
    let applicant = app.login("chen.jing@applicant.test").await;
    assert_eq!(open_socket(&app, &applicant, &id, &here).await, 101);
    let notary = app.login("notary@mingjian.test").await;
    assert_eq!(open_socket(&app, &notary, &id, &here).await, 101);
    // Another site cannot open it with the applicant's cookie.
    let elsewhere = "https://attacker.example";
    assert_eq!(open_socket(&app, &applicant, &id, elsewhere).await, 403);
    // Outside the application it does not exist; without a session one must sign in.
    let other = app.login("notary@other.test").await;
    assert_eq!(open_socket(&app, &other, &id, &here).await, 404);
    let status = open_socket(&app, &app.client(), &id, &here).await;
    assert!(status == 401 || status == 303, "{status}");

    // Once held, the session takes no more connections.
    hold_session(&app, &o, &id).await;
    assert_eq!(open_socket(&app, &applicant, &id, &here).await, 409);
}
