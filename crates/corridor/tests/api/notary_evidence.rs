//! Evidence files (`/api/v1/notary/evidence`): a notary records a witnessed test purchase with
//! its chain of custody and captures a web page with the server's browser; a partner notary in
//! Hong Kong joins that one file, records the item's arrival, exports the bundle, and the
//! partner office's witness cosigns the file's receipts. The bundle verifies offline and fails,
//! naming the file, when one byte changes. On both backends; needs Chromium for the capture.

use corridor::auth::OrgRole;
use corridor::auth::audit::Who;
use corridor::directory::model::OrgKind;
use reqwest::Method;
use serde_json::{Value, json};

use crate::advisory_projects::call;
use crate::helpers::*;
use crate::notary_applications::{json_of, says};

const ORIGIN: &str = "corridor.localhost/ledger/2026";

/// The state-changing routes whose matrix by standing is in this file's test.
pub fn covered_routes() -> Vec<(&'static str, &'static str)> {
    vec![
        ("POST", "/api/v1/notary/evidence"),
        ("POST", "/api/v1/notary/evidence/{id}/items"),
        ("POST", "/api/v1/notary/evidence/{id}/items/{item}/custody"),
        ("POST", "/api/v1/notary/evidence/{id}/captures"),
        ("POST", "/api/v1/notary/evidence/{id}/bundle"),
    ]
}

/// The Hong Kong partner office's witness, in process, following this deployment's log key:
/// its address and its cosigner key.
async fn partner_witness(log_vkey: &str, dir: &std::path::Path) -> (std::net::SocketAddr, String) {
    use corridor_ledger::cosignature::CosignatureV1Signer;
    let signer = CosignatureV1Signer::from_seed("witness.hk-partner.example", &[9u8; 32]).unwrap();
    let vkey = signer.vkey();
    let store = corridor_ledger::storage::LedgerStore::local(dir.join("witness")).unwrap();
    let mut witness = corridor_ledger::witness::Witness::new(store, "witness", signer);
    witness.add_log(
        ORIGIN,
        corridor_ledger::note::Ed25519NoteVerifier::from_vkey(log_vkey).unwrap(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            corridor::anchoring::witnessing::witness_router(witness),
        )
        .await
        .unwrap();
    });
    (addr, vkey)
}

async fn upload(app: &TestApp, token: &str, matter: &str, name: &str, bytes: Vec<u8>) -> Value {
    json_of(post_document(app, token, matter, "photo", name, bytes).await).await
}

async fn bytes_of(app: &TestApp, token: &str, matter: &str, doc: &str) -> Vec<u8> {
    app.client()
        .get(app.url(&format!("/api/v1/matters/{matter}/documents/{doc}/content")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec()
}

fn verify_bundle(path: &std::path::Path, vkey: &str) -> (Option<i32>, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_corridor"))
        .args(["verify", "bundle"])
        .arg(path)
        .args(["--vkey", vkey, "--json"])
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[tokio::test]
#[ignore = "needs Chromium (apt-get install chromium) for the web capture"]
async fn sqlite() {
    evidence_file_with_a_hong_kong_partner(Backend::Sqlite).await
}

#[tokio::test]
#[ignore = "needs Chromium and PostgreSQL: set CORRIDOR_TEST_POSTGRES_URL"]
async fn postgres() {
    evidence_file_with_a_hong_kong_partner(Backend::Postgres).await
}

async fn evidence_file_with_a_hong_kong_partner(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let log_key = dir.path().join("log.key");
    let vkey = corridor::anchoring::service::ensure_key(&log_key, ORIGIN).unwrap();
    let (witness, witness_vkey) = partner_witness(&vkey, dir.path()).await;
    let settings = corridor::config::Settings {
        ledger_key_file: log_key.display().to_string(),
        ledger_checkpoint_secs: 1,
        ledger_witnesses: vec![format!("http://{witness} {witness_vkey}")],
        // The page captured is this test server's own, on loopback.
        capture_private_addresses: true,
        ..Default::default()
    };
    let app = TestApp::spawn_with(backend, settings).await.unwrap();
    let office = app
        .org("demo-jiefang-notary", OrgKind::NotaryOffice, "CN")
        .await;
    let mut hk_input = org_input("demo-hk-attesting", OrgKind::NotaryOffice, "HK");
    hk_input.remote_notarization_pilot = false;
    let hk_office = app
        .store
        .create_organization(&Who::cli(), &hk_input, false)
        .await
        .unwrap()
        .into_string();
    let mut tokens = Vec::new();
    for (email, memberships) in [
        ("xu@jiefang.test", vec![(office.as_str(), OrgRole::Notary)]),
        (
            "partner@hk.test",
            vec![(hk_office.as_str(), OrgRole::Notary)],
        ),
        ("nobody@outside.test", vec![]),
    ] {
        let user = app.user(email, None, &memberships).await;
        tokens.push(app.token_for(&user).await);
    }
    let (notary, partner, outsider) = (&tokens[0], &tokens[1], &tokens[2]);
    let list = "/api/v1/notary/evidence";

    // Only a notary opens a file at their office.
    let file = json!({"title": "Counterfeit brand earphones, Jiefangbei"});
    let (status, body) =
        error_of(call(&app, Some(outsider), Method::POST, list, Some(&file)).await).await;
    assert!(status == 422 && says(&body, &["office"]), "{body}");
    let f = json_of(call(&app, Some(notary), Method::POST, list, Some(&file)).await).await;
    let id = f["matter"]["id"].as_str().unwrap().to_owned();
    let other = json_of(
        call(
            &app,
            Some(notary),
            Method::POST,
            list,
            Some(&json!({"title": "Another file"})),
        )
        .await,
    )
    .await;
    let other_id = other["matter"]["id"].as_str().unwrap().to_owned();
    let one = format!("{list}/{id}");

    // A witnessed test purchase: the photo, then the item sealed and sent to Hong Kong.
    let photo_bytes = b"JPEG photo of the purchased earphones and receipt".repeat(50);
    let photo = upload(&app, notary, &id, "purchase.jpg", photo_bytes.clone()).await;
    let item = json!({"label": "Test purchase 1", "kind": "test_purchase", "documents": [photo["id"]],
        "description": "Earphones bought at shop 12 with the notary present",
        "holder": "Notary Xu", "place": "Shop 12, Jiefangbei, Chongqing", "happened_at": "2026-12-04T10:30:00+08:00"});
    let v = json_of(
        call(
            &app,
            Some(notary),
            Method::POST,
            &format!("{one}/items"),
            Some(&item),
        )
        .await,
    )
    .await;
    let item_id = v["items"][0]["id"].as_str().unwrap().to_owned();
    let custody = format!("{one}/items/{item_id}/custody");
    for event in [
        json!({"event": "sealed", "holder": "Notary Xu", "seal_number": "CQ-0042", "happened_at": "2026-12-04T10:40:00+08:00"}),
        json!({"event": "couriered", "holder": "SF Express", "courier_id": "SF1234567890", "happened_at": "2026-12-04T12:00:00+08:00"}),
    ] {
        json_of(call(&app, Some(notary), Method::POST, &custody, Some(&event)).await).await;
    }
    let back =
        json!({"event": "handed_over", "holder": "X", "happened_at": "2026-12-01T00:00:00+08:00"});
    let (status, body) =
        error_of(call(&app, Some(notary), Method::POST, &custody, Some(&back)).await).await;
    assert!(status == 422 && says(&body, &["happened_at"]), "{body}");

    // A web capture by the server's browser: four files, each anchored.
    let page = app.url("/notary/eligibility");
    let v = json_of(
        call(
            &app,
            Some(notary),
            Method::POST,
            &format!("{one}/captures"),
            Some(&json!({"url": page})),
        )
        .await,
    )
    .await;
    let captured = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "web_capture")
        .unwrap();
    let roles: Vec<&str> = captured["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["role"].as_str())
        .collect();
    assert_eq!(roles, ["screenshot", "dom", "har", "capture_manifest"]);
    let manifest_doc = captured["documents"][3]["id"].as_str().unwrap();
    let manifest: Value =
        serde_json::from_slice(&bytes_of(&app, notary, &id, manifest_doc).await).unwrap();
    assert!(
        manifest["browser"]["product"]
            .as_str()
            .unwrap()
            .contains("Chrome"),
        "{manifest}"
    );
    assert_eq!(manifest["dns"]["addresses"][0], "127.0.0.1");
    let dom = bytes_of(
        &app,
        notary,
        &id,
        captured["documents"][1]["id"].as_str().unwrap(),
    )
    .await;
    assert!(
        String::from_utf8_lossy(&dom).contains("notary-eligibility"),
        "the page as rendered"
    );
    let shot = bytes_of(
        &app,
        notary,
        &id,
        captured["documents"][0]["id"].as_str().unwrap(),
    )
    .await;
    assert_eq!(&shot[..8], b"\x89PNG\r\n\x1a\n");
    use sha2::Digest;
    assert_eq!(
        manifest["files"]["screenshot.png"],
        hex::encode(sha2::Sha256::digest(&shot))
    );
    let refused = json!({"url": "file:///etc/passwd"});
    let r = call(
        &app,
        Some(notary),
        Method::POST,
        &format!("{one}/captures"),
        Some(&refused),
    )
    .await;
    assert_eq!(r.status(), 422);

    // The Hong Kong partner joins this file only, with a scoped role.
    let add = json!({"email": "partner@hk.test", "role": "hk_partner"});
    let r = call(
        &app,
        Some(notary),
        Method::POST,
        &format!("/api/v1/matters/{id}/participants"),
        Some(&add),
    )
    .await;
    assert!(r.status().is_success(), "{}", r.status());
    assert_eq!(
        call(&app, Some(partner), Method::GET, &one, None)
            .await
            .status(),
        200
    );
    assert_eq!(
        call(
            &app,
            Some(partner),
            Method::GET,
            &format!("{list}/{other_id}"),
            None
        )
        .await
        .status(),
        404
    );
    assert_eq!(
        call(&app, Some(outsider), Method::GET, &one, None)
            .await
            .status(),
        404
    );
    let r = call(
        &app,
        Some(partner),
        Method::POST,
        &format!("{one}/captures"),
        Some(&json!({"url": page})),
    )
    .await;
    assert_eq!(
        r.status(),
        403,
        "the partner does not capture for the office"
    );
    let r = call(
        &app,
        Some(partner),
        Method::POST,
        &format!("{one}/items"),
        Some(&item),
    )
    .await;
    assert_eq!(r.status(), 403);
    // The partner records the item's arrival in Hong Kong, seal intact; then a second arrival
    // with another seal is kept as found, and marked as a break.
    let arrived = json!({"event": "received", "holder": "Partner notary, Hong Kong", "seal_number": "CQ-0042",
        "place": "Central, Hong Kong", "happened_at": "2026-12-05T15:00:00+08:00"});
    let v = json_of(call(&app, Some(partner), Method::POST, &custody, Some(&arrived)).await).await;
    let chain = v["items"][0]["custody"].as_array().unwrap();
    assert_eq!(chain.len(), 4);
    assert_eq!(chain[3]["seal_broken"], false);
    let message = json!({"body": "Received intact; forwarding to the court."});
    let r = call(
        &app,
        Some(partner),
        Method::POST,
        &format!("/api/v1/matters/{id}/messages"),
        Some(&message),
    )
    .await;
    assert!(
        r.status().is_success(),
        "the partner works the file: {}",
        r.status()
    );

    // The file's page: the office sees every form; the partner records custody and exports
    // but captures nothing.
    for (email, capture_form) in [("xu@jiefang.test", true), ("partner@hk.test", false)] {
        let client = app.login(email).await;
        let html = client
            .get(app.url(&format!("/notary/evidence/{id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("Test purchase 1") && html.contains("CQ-0042"),
            "{email}"
        );
        assert!(html.contains("custody-form"), "{email}");
        assert_eq!(
            html.contains("id=\"capture-form\""),
            capture_form,
            "{email}"
        );
    }

    // The partner exports the bundle; it verifies offline and fails, naming the file, when one
    // byte of the photo changes.
    let doc = json_of(
        call(
            &app,
            Some(partner),
            Method::POST,
            &format!("{one}/bundle"),
            None,
        )
        .await,
    )
    .await;
    let tar = bytes_of(&app, partner, &id, doc["id"].as_str().unwrap()).await;
    let path = dir.path().join("bundle.tar");
    std::fs::write(&path, &tar).unwrap();
    let (code, out) = verify_bundle(&path, &vkey);
    assert_eq!(code, Some(0), "{out}");
    let at = tar
        .windows(photo_bytes.len())
        .position(|w| w == photo_bytes.as_slice())
        .unwrap();
    let mut altered = tar.clone();
    altered[at + 7] ^= 0x01;
    std::fs::write(&path, &altered).unwrap();
    let (code, out) = verify_bundle(&path, &vkey);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("purchase.jpg"),
        "names the changed file: {out}"
    );

    // The partner office's witness cosigns the file's receipts.
    let receipt_path = format!(
        "/api/v1/matters/{id}/documents/{}/receipt",
        doc["id"].as_str().unwrap()
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let r = json_of(call(&app, Some(partner), Method::GET, &receipt_path, None).await).await;
        let checked = corridor::anchoring::verify::check(
            &vkey,
            std::slice::from_ref(&witness_vkey),
            1,
            r["receipt"].as_str().unwrap(),
            r["record"].as_str().unwrap().as_bytes(),
            &[],
        );
        match checked {
            Ok(v) => {
                assert_eq!(v.receipt.witnesses[0].name, "witness.hk-partner.example");
                break;
            }
            Err(f) => {
                assert_eq!(f.code, "witness_quorum", "{}", f.detail);
                assert!(
                    std::time::Instant::now() < deadline,
                    "no cosigned receipt in 20 s"
                );
                tokio::time::sleep(std::time::Duration::from_millis(250)).await;
            }
        }
    }
}
