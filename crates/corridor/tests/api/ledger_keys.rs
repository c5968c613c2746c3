//! The ledger's keys: rotating the log key (new checkpoints under the new key, receipts issued
//! before still verifiable through the published key history, the old secret gone), and
//! witnesses reached over https with real TLS, trusted through `ledger_witness_ca_file` and
//! refused without it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use corridor::anchoring::rotation;
use corridor::anchoring::verify::check;
use corridor::auth::PlatformRole;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_backends;

async fn admin_token(app: &TestApp) -> String {
    let admin = app
        .user("admin@x.example", Some(PlatformRole::PlatformAdmin), &[])
        .await;
    app.token_for(&admin).await
}

/// Anchors a record; returns the answer (record, receipt, vkey, index).
async fn anchored(app: &TestApp, token: &str, subject: &str) -> Value {
    let r = app
        .client()
        .post(app.url("/api/v1/ledger/records"))
        .bearer_auth(token)
        .json(&json!({"kind": "evidence_item", "subject": subject,
            "files": [{"role": "evidence", "sha256": "cd".repeat(32)}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let a: Value = r.json().await.unwrap();
    assert!(a["receipt"].is_string(), "a receipt for {subject}: {a}");
    a
}

fn verifies(keys: &str, a: &Value) -> bool {
    check(
        keys,
        &[],
        0,
        a["receipt"].as_str().unwrap(),
        a["record"].as_str().unwrap().as_bytes(),
        &[],
    )
    .is_ok()
}

async fn wait_for_key(app: &TestApp, vkey: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while app.ledger().vkey() != vkey {
        assert!(Instant::now() < deadline, "the rotation was not taken up");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn public_keys(app: &TestApp) -> String {
    let r = app
        .client()
        .get(app.url("/ledger/keys"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.text().await.unwrap()
}

on_both_backends!(a_rotated_key_signs_new_receipts_and_old_ones_still_verify);
async fn a_rotated_key_signs_new_receipts_and_old_ones_still_verify(app: TestApp) {
    let token = admin_token(&app).await;
    let key_file = app.ledger().key_file().to_path_buf();
    let old_vkey = app.ledger().vkey();
    let before = anchored(&app, &token, "before-rotation").await;
    assert_eq!(before["vkey"], old_vkey);
    assert!(verifies(&old_vkey, &before));

    let new_vkey = rotation::request(&key_file).unwrap();
    assert_ne!(new_vkey, old_vkey);
    assert!(
        rotation::request(&key_file).is_err(),
        "one rotation at a time"
    );
    wait_for_key(&app, &new_vkey).await;
    assert!(
        !rotation::next_key_file(&key_file).exists(),
        "the new key replaced the key file"
    );
    let on_disk = corridor_ledger::keys::read_secret_key_file(&key_file).unwrap();
    assert_eq!(
        on_disk.verifier().vkey(),
        new_vkey,
        "the old secret is gone from this node"
    );

    let after = anchored(&app, &token, "after-rotation").await;
    assert_eq!(after["vkey"], new_vkey, "new receipts name the new key");
    assert!(verifies(&new_vkey, &after));
    assert!(
        !verifies(&old_vkey, &after),
        "the old key does not vouch for new checkpoints"
    );
    // The receipt issued before the rotation is unchanged and still verifies.
    assert!(verifies(&old_vkey, &before));

    // The key history is published twice: as text and in the ledger info.
    let history = public_keys(&app).await;
    assert_eq!(history.lines().count(), 2, "{history}");
    assert!(history.starts_with(&format!("{old_vkey} 0\n")));
    assert!(history.lines().nth(1).unwrap().starts_with(&new_vkey));
    assert!(verifies(&history, &before) && verifies(&history, &after));
    let info: Value = app
        .client()
        .get(app.url("/api/v1/ledger"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["vkey"], new_vkey);
    let keys = info["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0]["vkey"], old_vkey);
    assert_eq!(keys[0]["from_size"], 0);
    assert_eq!(keys[1]["vkey"], new_vkey);
    let from = keys[1]["from_size"].as_u64().unwrap();
    assert!(from > before["index"].as_u64().unwrap());
    assert!(from <= after["index"].as_u64().unwrap() + 1);

    // A receipt fetched now for the old record is on a new checkpoint: the history verifies it.
    let index = before["index"].as_u64().unwrap();
    let again = app
        .client()
        .get(app.url(&format!("/api/v1/ledger/receipts/{index}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let refetched = json!({"receipt": again, "record": before["record"]});
    assert!(verifies(&history, &refetched));

    // The deployment now registers the new key.
    let row = corridor::anchoring::deployment::registered(&app.store)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.vkey, new_vkey);
}

/// A C2SP witness served over TLS with the test certificate of `fixtures/witness-tls`; counts
/// the TLS handshakes that failed (a client that did not trust the certificate).
async fn tls_witness(
    log_vkey: &str,
    dir: &std::path::Path,
) -> (std::net::SocketAddr, String, Arc<AtomicUsize>) {
    use hyper_util::rt::TokioIo;
    use hyper_util::service::TowerToHyperService;
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};

    let fixtures =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/api/fixtures/witness-tls");
    let certs = vec![CertificateDer::from_pem_file(fixtures.join("cert.pem")).unwrap()];
    let key = PrivateKeyDer::from_pem_file(fixtures.join("key.pem")).unwrap();
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));

    let (skey, vkey) =
        corridor_ledger::keys::generate_cosigner_keypair("witness.partner.example").unwrap();
    let signer = corridor_ledger::cosignature::CosignatureV1Signer::from_skey(&skey).unwrap();
    let store = corridor_ledger::storage::LedgerStore::local(dir.join("witness")).unwrap();
    let mut witness = corridor_ledger::witness::Witness::new(store, "witness", signer);
    witness.add_log(
        "corridor.localhost/ledger/2026",
        corridor_ledger::note::Ed25519NoteVerifier::from_vkey(log_vkey).unwrap(),
    );
    let router = corridor::anchoring::witnessing::witness_router(witness);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let refused = Arc::new(AtomicUsize::new(0));
    let counter = refused.clone();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let (acceptor, router, counter) = (acceptor.clone(), router.clone(), counter.clone());
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else {
                    counter.fetch_add(1, Ordering::SeqCst);
                    return;
                };
                let service = TowerToHyperService::new(router);
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(tls), service)
                    .await;
            });
        }
    });
    (addr, vkey, refused)
}

/// A log key made up front, so the witness can follow it before the node starts.
fn log_key(dir: &std::path::Path) -> (std::path::PathBuf, String) {
    let path = dir.join("log.key");
    let vkey =
        corridor::anchoring::service::ensure_key(&path, "corridor.localhost/ledger/2026").unwrap();
    (path, vkey)
}

#[tokio::test]
async fn an_https_witness_trusted_through_the_ca_file_cosigns() {
    let keys = tempfile::tempdir().unwrap();
    let (key_file, vkey) = log_key(keys.path());
    let (addr, witness_vkey, refused) = tls_witness(&vkey, keys.path()).await;
    let ca = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/api/fixtures/witness-tls/ca.pem");
    let settings = corridor::config::Settings {
        ledger_key_file: key_file.display().to_string(),
        ledger_checkpoint_secs: 1,
        ledger_witnesses: vec![format!("https://{addr} {witness_vkey}")],
        ledger_witness_ca_file: ca.display().to_string(),
        ..Default::default()
    };
    let app = TestApp::spawn_with(Backend::Sqlite, settings)
        .await
        .unwrap();
    let token = admin_token(&app).await;
    let a = anchored(&app, &token, "over-tls").await;
    let index = a["index"].as_u64().unwrap();
    let record = a["record"].as_str().unwrap().to_string();
    let deadline = Instant::now() + Duration::from_secs(15);
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
        match check(
            &vkey,
            std::slice::from_ref(&witness_vkey),
            1,
            &receipt,
            record.as_bytes(),
            &[],
        ) {
            Ok(v) => {
                assert_eq!(v.receipt.witnesses[0].name, "witness.partner.example");
                break;
            }
            Err(f) => {
                assert_eq!(f.code, "witness_quorum", "{}", f.detail);
                assert!(
                    Instant::now() < deadline,
                    "no cosignature over https within 15 s"
                );
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
    assert_eq!(
        refused.load(Ordering::SeqCst),
        0,
        "every handshake succeeded"
    );
    // The witness publishes its cosignature key, which is not a note key.
    let published = reqwest::Client::builder()
        .tls_certs_only(vec![
            reqwest::Certificate::from_pem(&std::fs::read(&ca).unwrap()).unwrap(),
        ])
        .build()
        .unwrap()
        .get(format!("https://{addr}/key"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(published.trim(), witness_vkey);
    assert!(corridor_ledger::note::Ed25519NoteVerifier::from_vkey(published.trim()).is_err());
}

#[tokio::test]
async fn an_https_witness_with_an_untrusted_certificate_is_refused_and_nothing_breaks() {
    let keys = tempfile::tempdir().unwrap();
    let (key_file, vkey) = log_key(keys.path());
    let (addr, witness_vkey, refused) = tls_witness(&vkey, keys.path()).await;
    // No ledger_witness_ca_file: the test CA is not among the platform's roots.
    let settings = corridor::config::Settings {
        ledger_key_file: key_file.display().to_string(),
        ledger_checkpoint_secs: 1,
        ledger_witnesses: vec![format!("https://{addr} {witness_vkey}")],
        ..Default::default()
    };
    let app = TestApp::spawn_with(Backend::Sqlite, settings)
        .await
        .unwrap();
    let token = admin_token(&app).await;
    let a = anchored(&app, &token, "untrusted-tls").await;
    assert!(verifies(&vkey, &a), "the log works without its witness");
    let deadline = Instant::now() + Duration::from_secs(15);
    while refused.load(Ordering::SeqCst) == 0 {
        assert!(
            Instant::now() < deadline,
            "the node never tried the witness"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Several checkpoint rounds later, still no cosignature, and the log goes on.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let b = anchored(&app, &token, "still-anchoring").await;
    assert!(verifies(&vkey, &b));
    let index = b["index"].as_u64().unwrap();
    let receipt = app
        .client()
        .get(app.url(&format!("/api/v1/ledger/receipts/{index}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let quorum = check(
        &vkey,
        &[witness_vkey],
        1,
        &receipt,
        b["record"].as_str().unwrap().as_bytes(),
        &[],
    );
    assert_eq!(quorum.unwrap_err().code, "witness_quorum", "never cosigned");
}
