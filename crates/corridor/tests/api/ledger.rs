//! The ledger inside the server: anchoring a record returns a receipt that verifies offline;
//! the public tiles are served; tampering is caught; the page gives the verdict in words.

use corridor::auth::PlatformRole;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::*;

async fn anchor(app: &TestApp, token: &str, body: Value) -> reqwest::Response {
    app.client()
        .post(app.url("/api/v1/ledger/records"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_anchored_record_gets_a_receipt_that_verifies_offline() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let admin = app
        .user("admin@x.example", Some(PlatformRole::PlatformAdmin), &[])
        .await;
    let token = app.token_for(&admin).await;
    let certificate = b"%PDF-1.7 a notarial certificate";
    let digest = hex::encode(Sha256::digest(certificate));
    let r = anchor(
        &app,
        &token,
        json!({"kind": "notarial_certificate", "subject": "act-0001",
        "files": [{"role": "certificate", "sha256": digest}], "meta": {"office": "demo-office"}}),
    )
    .await;
    assert_eq!(r.status(), 201);
    let anchored: Value = r.json().await.unwrap();
    let record = anchored["record"].as_str().unwrap().to_string();
    let receipt = anchored["receipt"]
        .as_str()
        .expect("a receipt once the checkpoint covers it")
        .to_string();
    let vkey = anchored["vkey"].as_str().unwrap().to_string();
    assert!(
        !record.contains("admin@x.example"),
        "no personal data in the leaf"
    );

    let ok = corridor::anchoring::verify::check(
        &vkey,
        &[],
        0,
        &receipt,
        record.as_bytes(),
        &[("cert.pdf".into(), certificate.to_vec())],
    )
    .expect("valid");
    assert_eq!(ok.receipt.leaf_index, anchored["index"].as_u64().unwrap());
    assert_eq!(
        ok.files,
        vec![("cert.pdf".to_string(), "certificate".to_string())]
    );

    // Any change is caught: the record, the file, the key.
    let tampered = record.replace("act-0001", "act-0002");
    assert_eq!(
        corridor::anchoring::verify::check(&vkey, &[], 0, &receipt, tampered.as_bytes(), &[])
            .unwrap_err()
            .code,
        "not_included"
    );
    let err = corridor::anchoring::verify::check(
        &vkey,
        &[],
        0,
        &receipt,
        record.as_bytes(),
        &[("cert.pdf".into(), b"forged".to_vec())],
    )
    .unwrap_err();
    assert_eq!(err.code, "file_not_in_record");
    let (_, other_vkey) =
        corridor_ledger::keys::generate_keypair("corridor.localhost/ledger/2026").unwrap();
    let wrong_key =
        corridor::anchoring::verify::check(&other_vkey, &[], 0, &receipt, record.as_bytes(), &[])
            .unwrap_err()
            .code;
    assert!(
        ["bad_checkpoint", "not_signed_by_log"].contains(&wrong_key),
        "a receipt checked with another key of the same name fails: {wrong_key}"
    );

    // The public files a verifier or witness reads.
    let c = app.client();
    let checkpoint = c
        .get(app.url("/ledger/checkpoint"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        checkpoint.starts_with("corridor.localhost/ledger/2026\n"),
        "{checkpoint}"
    );
    let r = c
        .get(app.url("/ledger/tile/entries/000.p/1"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        c.get(app.url("/ledger/state/sequencer"))
            .send()
            .await
            .unwrap()
            .status(),
        404,
        "private state is not served"
    );
    let again = c
        .get(app.url(&format!("/api/v1/ledger/receipts/{}", anchored["index"])))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        corridor::anchoring::verify::check(&vkey, &[], 0, &again, record.as_bytes(), &[]).is_ok()
    );
    let events = app.store.audit_page(None, None, 50).await.unwrap();
    assert!(events.iter().any(|e| e.action == "ledger.append"));
}

#[tokio::test]
async fn only_platform_admins_anchor_and_bad_records_are_refused() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let officer = app
        .user("bureau@x.example", Some(PlatformRole::BureauOfficer), &[])
        .await;
    let admin = app
        .user("admin@x.example", Some(PlatformRole::PlatformAdmin), &[])
        .await;
    let good = json!({"kind": "evidence_item", "subject": "e-1", "files": []});
    assert_eq!(
        anchor(&app, &app.token_for(&officer).await, good.clone())
            .await
            .status(),
        403
    );
    let token = app.token_for(&admin).await;
    let r = anchor(
        &app,
        &token,
        json!({"kind": "evidence_item", "subject": "Zhang San, ID 110101", "files": []}),
    )
    .await;
    assert_eq!(
        r.status(),
        422,
        "free text (names) cannot go into the public log"
    );
    let r = anchor(&app, &token, json!({"kind": "evidence_item", "subject": "e-1", "files": [{"role": "x", "sha256": "ABC"}]})).await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        app.client()
            .get(app.url("/api/v1/ledger"))
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()["size"],
        0
    );
}

#[tokio::test]
async fn the_verification_page_answers_in_words() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let admin = app
        .user("admin@x.example", Some(PlatformRole::PlatformAdmin), &[])
        .await;
    let token = app.token_for(&admin).await;
    let anchored: Value = anchor(
        &app,
        &token,
        json!({"kind": "arbitral_award", "subject": "award-7", "files": []}),
    )
    .await
    .json()
    .await
    .unwrap();
    let receipt = anchored["receipt"].as_str().unwrap().to_string();
    let record = anchored["record"].as_str().unwrap().to_string();
    let submit = |record: String, lang: &'static str| {
        let form = reqwest::multipart::Form::new()
            .text("receipt", receipt.clone())
            .text("record", record);
        app.client()
            .post(app.url("/verify"))
            .header("accept-language", lang)
            .multipart(form)
            .send()
    };
    let html = submit(record.clone(), "en")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        select_texts(&html, "#verdict[data-valid='true'] h2"),
        vec!["Valid"]
    );
    let html = submit(record.replace("award-7", "award-8"), "zh-CN")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        select_texts(&html, "#verdict[data-valid='false'] h2"),
        vec!["无效"]
    );
    assert_eq!(
        select_texts(&html, "#verdict[data-code='not_included']").len(),
        1
    );
}

#[tokio::test]
async fn a_witness_cosigns_checkpoints_and_receipts_meet_a_quorum() {
    use corridor_ledger::cosignature::CosignatureV1Signer;
    use corridor_ledger::note::Ed25519NoteSigner;

    // A partner office's witness, in-process, following this log's key.
    let dir = tempfile::tempdir().unwrap();
    let log_key = dir.path().join("log.key");
    let vkey = corridor::anchoring::service::ensure_key(&log_key, "corridor.localhost/ledger/2026")
        .unwrap();
    let seed = [7u8; 32];
    let witness_signer = CosignatureV1Signer::from_seed("witness.partner.example", &seed).unwrap();
    let witness_vkey = witness_signer.vkey();
    let _ = Ed25519NoteSigner::from_seed("witness.partner.example", &seed).unwrap();
    let store = corridor_ledger::storage::LedgerStore::local(dir.path().join("witness")).unwrap();
    let mut witness = corridor_ledger::witness::Witness::new(store, "witness", witness_signer);
    witness.add_log(
        "corridor.localhost/ledger/2026",
        corridor_ledger::note::Ed25519NoteVerifier::from_vkey(&vkey).unwrap(),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let witness_addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            corridor::anchoring::witnessing::witness_router(witness),
        )
        .await
        .unwrap();
    });

    let settings = corridor::config::Settings {
        ledger_key_file: log_key.display().to_string(),
        ledger_checkpoint_secs: 1,
        ledger_witnesses: vec![format!("http://{witness_addr} {witness_vkey}")],
        ..Default::default()
    };
    let app = TestApp::spawn_with(Backend::Sqlite, settings)
        .await
        .unwrap();
    let admin = app
        .user("admin@x.example", Some(PlatformRole::PlatformAdmin), &[])
        .await;
    let token = app.token_for(&admin).await;
    let anchored: Value = anchor(
        &app,
        &token,
        json!({"kind": "evidence_item", "subject": "ev-1", "files": []}),
    )
    .await
    .json()
    .await
    .unwrap();
    let record = anchored["record"].as_str().unwrap().to_string();
    let index = anchored["index"].as_u64().unwrap();
    let witnesses = vec![witness_vkey.clone()];
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let receipt = app
            .client()
            .get(app.url(&format!("/api/v1/ledger/receipts/{index}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        match corridor::anchoring::verify::check(
            &vkey,
            &witnesses,
            1,
            &receipt,
            record.as_bytes(),
            &[],
        ) {
            Ok(v) => {
                assert_eq!(v.receipt.witnesses.len(), 1);
                assert_eq!(v.receipt.witnesses[0].name, "witness.partner.example");
                break;
            }
            Err(f) => {
                assert_eq!(f.code, "witness_quorum", "{}", f.detail);
                assert!(
                    std::time::Instant::now() < deadline,
                    "no cosigned checkpoint within 15 s"
                );
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
        }
    }
}
