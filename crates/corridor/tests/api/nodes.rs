//! Several nodes, one log: the writer lock moves between nodes, any node anchors and serves
//! receipts, a node that would start a second log refuses, retries with an Idempotency-Key
//! never anchor twice, and an entry appended by a sequencer that died before recording it is
//! found again instead of appended twice.

use corridor::anchoring::outbox;
use corridor::anchoring::writer_lock::PgAdvisoryWriterLock;
use corridor::auth::PlatformRole;
use corridor::config::Settings;
use corridor::db::Store;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::on_both_backends;

fn record(subject: &str) -> Value {
    json!({"kind": "evidence_item", "subject": subject,
        "files": [{"role": "evidence", "sha256": "ab".repeat(32)}]})
}

async fn anchor(app: &TestApp, token: &str, body: &Value, key: Option<&str>) -> reqwest::Response {
    let mut request = app
        .client()
        .post(app.url("/api/v1/ledger/records"))
        .bearer_auth(token)
        .json(body);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    request.send().await.unwrap()
}

/// Anchors through `app`; asserts 201 and that the receipt verifies under `vkey`.
async fn anchored(app: &TestApp, token: &str, subject: &str, vkey: &str) -> Value {
    let r = anchor(app, token, &record(subject), None).await;
    assert_eq!(r.status(), 201);
    let a: Value = r.json().await.unwrap();
    assert_eq!(a["vkey"], vkey, "one key for the deployment");
    let receipt = a["receipt"]
        .as_str()
        .unwrap_or_else(|| panic!("a receipt for {subject}: {a}"));
    let ok = corridor::anchoring::verify::check(
        vkey,
        &[],
        0,
        receipt,
        a["record"].as_str().unwrap().as_bytes(),
        &[],
    )
    .expect("the receipt verifies");
    assert_eq!(ok.receipt.leaf_index, a["index"].as_u64().unwrap());
    a
}

async fn admin_token(app: &TestApp) -> String {
    let admin = app
        .user("admin@x.example", Some(PlatformRole::PlatformAdmin), &[])
        .await;
    app.token_for(&admin).await
}

async fn receipt_on(app: &TestApp, index: u64) -> String {
    let r = app
        .client()
        .get(app.url(&format!("/api/v1/ledger/receipts/{index}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "receipt {index}");
    r.text().await.unwrap()
}

#[tokio::test]
#[ignore = "needs PostgreSQL and S3: set CORRIDOR_TEST_POSTGRES_URL and CORRIDOR_TEST_S3_ENDPOINT"]
async fn two_nodes_share_one_log_and_a_standby_takes_over_when_the_sequencer_stops() {
    let cluster = Cluster::new().await;
    let mut a = cluster.node().await;
    assert!(a.ledger().is_sequencing(), "the first node takes the lock");
    let b = cluster.node().await;
    assert!(!b.ledger().is_sequencing(), "the second node stands by");
    let vkey = a.ledger().vkey();
    assert_eq!(b.ledger().vkey(), vkey);
    let token = admin_token(&a).await;

    // Either node anchors; the sequencer orders both into one log.
    let first = anchored(&b, &token, "on-b", &vkey).await;
    let second = anchored(&a, &token, "on-a", &vkey).await;
    let mut indices = [
        first["index"].as_u64().unwrap(),
        second["index"].as_u64().unwrap(),
    ];
    indices.sort();
    assert_eq!(indices, [0, 1]);
    // Both serve receipts from the shared store.
    let on_b = receipt_on(&b, first["index"].as_u64().unwrap()).await;
    assert!(
        corridor::anchoring::verify::check(
            &vkey,
            &[],
            0,
            &on_b,
            first["record"].as_str().unwrap().as_bytes(),
            &[]
        )
        .is_ok()
    );

    // The sequencer goes away; the standby takes the lock and the log goes on.
    a.stop().await;
    b.ledger().sequencing().await;
    let third = anchored(&b, &token, "after-takeover", &vkey).await;
    assert_eq!(third["index"], 2, "the log continues, it does not restart");
    for old in [&first, &second] {
        let again = receipt_on(&b, old["index"].as_u64().unwrap()).await;
        let ok = corridor::anchoring::verify::check(
            &vkey,
            &[],
            0,
            &again,
            old["record"].as_str().unwrap().as_bytes(),
            &[],
        )
        .expect("an old record still verifies after the takeover");
        assert_eq!(ok.receipt.leaf_index, old["index"].as_u64().unwrap());
    }
    let info: Value = b
        .client()
        .get(b.url("/api/v1/ledger"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["size"], 3);
    let events = b.store.audit_page(None, None, 50).await.unwrap();
    assert_eq!(
        events
            .iter()
            .filter(|e| e.action == "ledger.append")
            .count(),
        3
    );
}

#[tokio::test]
#[ignore = "needs PostgreSQL and S3: set CORRIDOR_TEST_POSTGRES_URL and CORRIDOR_TEST_S3_ENDPOINT"]
async fn a_node_that_loses_its_database_session_stops_sequencing_and_another_takes_over() {
    let cluster = Cluster::new().await;
    let a = cluster.node().await;
    let b = cluster.node().await;
    let token = admin_token(&a).await;
    let vkey = a.ledger().vkey();
    anchored(&a, &token, "before", &vkey).await;

    // End the session that holds the advisory lock, as a network cut or a dead node would
    // (only this test's database: other tests run beside it).
    let key = corridor::anchoring::writer_lock::LEDGER_LOCK_KEY;
    let ended: bool = match a.store.pool() {
        corridor::db::Pool::Postgres(pool) => sqlx::query_scalar(
            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted \
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
             AND classid::text::bigint = $1 AND objid::text::bigint = $2 AND objsubid = 1",
        )
        .bind(key >> 32)
        .bind(key & 0xffff_ffff)
        .fetch_one(pool)
        .await
        .unwrap(),
        _ => unreachable!(),
    };
    assert!(ended);
    // Whichever node wins the lock next, the log goes on from where it was.
    let after = anchored(&b, &token, "after", &vkey).await;
    assert_eq!(after["index"], 1);
    let again = anchored(&a, &token, "after-on-a", &vkey).await;
    assert_eq!(again["index"], 2);
}

#[tokio::test]
#[ignore = "needs PostgreSQL: set CORRIDOR_TEST_POSTGRES_URL"]
async fn the_advisory_lock_has_one_holder_and_is_freed_when_its_session_ends() {
    let server = required_env(POSTGRES_ENV, "a PostgreSQL server").unwrap();
    let (url, name) = corridor::db::testing::create_postgres_database(&server, "corridor_test")
        .await
        .unwrap();
    let first = PgAdvisoryWriterLock::try_acquire(&url)
        .await
        .unwrap()
        .expect("free");
    assert!(
        PgAdvisoryWriterLock::try_acquire(&url)
            .await
            .unwrap()
            .is_none(),
        "one holder"
    );
    use corridor_ledger::sequencer::WriterLock;
    assert!(first.check().is_ok());

    let store = Store::open(&url).await.unwrap();
    if let corridor::db::Pool::Postgres(pool) = store.pool() {
        sqlx::query("SELECT pg_terminate_backend($1)")
            .bind(first.backend_pid())
            .execute(pool)
            .await
            .unwrap();
    }
    first.lost().await;
    assert!(first.check().is_err(), "a lost lock stops the writer");
    let second = PgAdvisoryWriterLock::try_acquire(&url).await.unwrap();
    assert!(second.is_some(), "the lock is free again");
    second.unwrap().release().await;
    store.close().await;
    corridor::db::testing::drop_postgres_database(&server, &name)
        .await
        .unwrap();
}

#[tokio::test]
#[ignore = "needs PostgreSQL and S3: set CORRIDOR_TEST_POSTGRES_URL and CORRIDOR_TEST_S3_ENDPOINT"]
async fn a_node_with_another_key_refuses_to_start_a_second_log() {
    let cluster = Cluster::new().await;
    let _a = cluster.node().await;
    let keys = tempfile::tempdir().unwrap();
    let other = Settings {
        ledger_key_file: keys.path().join("other.key").display().to_string(),
        ..cluster.settings()
    };
    corridor::anchoring::service::ensure_key(
        keys.path().join("other.key").as_path(),
        &other.ledger_origin,
    )
    .unwrap();
    let err = cluster
        .try_node(other)
        .await
        .err()
        .expect("refused")
        .to_string();
    assert!(
        err.contains("refusing to start") && err.contains("copy the key file"),
        "{err}"
    );

    // A node without the key file does not make a new one.
    let missing = Settings {
        ledger_key_file: keys.path().join("missing.key").display().to_string(),
        ..cluster.settings()
    };
    let err = cluster
        .try_node(missing)
        .await
        .err()
        .expect("refused")
        .to_string();
    assert!(err.contains("does not exist"), "{err}");
    assert!(!keys.path().join("missing.key").exists());
}

#[tokio::test]
#[ignore = "needs PostgreSQL and S3: set CORRIDOR_TEST_POSTGRES_URL and CORRIDOR_TEST_S3_ENDPOINT"]
async fn a_node_with_its_own_ledger_storage_refuses_to_join() {
    let cluster = Cluster::new().await;
    let a = cluster.node().await;
    let token = admin_token(&a).await;
    anchored(&a, &token, "one", &a.ledger().vkey()).await;
    // Local files on a node of a PostgreSQL deployment whose log is on S3.
    let local = Settings {
        files_url: String::new(),
        ..cluster.settings()
    };
    let err = cluster
        .try_node(local)
        .await
        .err()
        .expect("refused")
        .to_string();
    assert!(
        err.contains("refusing to start") && err.contains("s3://"),
        "{err}"
    );
    // Another bucket prefix: an empty store, not this deployment's log.
    let elsewhere = Settings {
        files_url: format!("{}-elsewhere", cluster.files_url),
        ..cluster.settings()
    };
    let err = cluster
        .try_node(elsewhere)
        .await
        .err()
        .expect("refused")
        .to_string();
    assert!(err.contains("refusing to start"), "{err}");
}

on_both_backends!(an_idempotent_retry_never_anchors_twice);
/// A retry with the same Idempotency-Key gets the first answer; the log grows once.
async fn an_idempotent_retry_never_anchors_twice(app: TestApp) {
    let token = admin_token(&app).await;
    let body = record("retried");
    let first = anchor(&app, &token, &body, Some("retry-1")).await;
    assert_eq!(first.status(), 201);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first: Value = first.json().await.unwrap();
    let again = anchor(&app, &token, &body, Some("retry-1")).await;
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers().get("idempotent-replayed").unwrap(), "true");
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["index"], first["index"]);
    assert_eq!(
        again["record"], first["record"],
        "the same record, salt and all"
    );

    // The same key with another body is refused, and anchors nothing.
    let (status, err) =
        error_of(anchor(&app, &token, &record("other"), Some("retry-1")).await).await;
    assert_eq!(
        (status, err["code"].as_str().unwrap()),
        (422, "idempotency_key_reused")
    );
    let (status, err) = error_of(anchor(&app, &token, &body, Some("bad key")).await).await;
    assert_eq!(
        (status, err["code"].as_str().unwrap()),
        (422, "invalid_input")
    );
    // Without a key, the same body is a new record.
    let fresh: Value = anchor(&app, &token, &body, None)
        .await
        .json()
        .await
        .unwrap();
    assert_ne!(fresh["index"], first["index"]);

    let info: Value = app
        .client()
        .get(app.url("/api/v1/ledger"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["size"], 2);
    // Each entry has its audit event, written with its outbox row.
    let events = app.store.audit_page(None, None, 50).await.unwrap();
    let appends: Vec<_> = events
        .iter()
        .filter(|e| e.action == "ledger.append")
        .collect();
    assert_eq!(appends.len(), 2);
    for event in appends {
        let index = outbox::index_of(&app.store, &event.object_id)
            .await
            .unwrap();
        assert!(
            index.is_some(),
            "the audit event names an appended outbox row"
        );
    }
}

/// The sequencer appended a queued record and died before writing the index back: the next
/// sequencer finds the entry by its digest instead of appending it a second time.
mod an_entry_appended_but_not_recorded_is_recovered_not_appended_again {
    use super::*;

    #[tokio::test]
    async fn sqlite() {
        run(Backend::Sqlite).await
    }

    #[tokio::test]
    #[ignore = "needs PostgreSQL: set CORRIDOR_TEST_POSTGRES_URL"]
    async fn postgres() {
        run(Backend::Postgres).await
    }

    async fn run(backend: Backend) {
        use corridor_ledger::sequencer::{Sequencer, SequencerConfig};
        // No ledger in the server: this test plays the sequencer itself.
        let settings = Settings {
            ledger_enabled: false,
            ..Settings::default()
        };
        let app = TestApp::spawn_with(backend, settings).await.unwrap();
        let db = &app.store;
        let crashed = outbox::Queued::new(r#"{"crashed":"appended"}"#.into(), None);
        let waiting = outbox::Queued::new(r#"{"crashed":"not yet"}"#.into(), None);
        assert!(outbox::enqueue(db, &crashed).await.unwrap());
        assert!(outbox::enqueue(db, &waiting).await.unwrap());
        let (skey, _) = corridor_ledger::keys::generate_keypair("test.example/log").unwrap();
        let signer = corridor_ledger::note::Ed25519NoteSigner::from_skey(&skey).unwrap();
        let config = SequencerConfig {
            checkpoint_interval: None,
            ..Default::default()
        };
        let sequencer = Sequencer::open(
            corridor_ledger::storage::LedgerStore::memory(),
            signer,
            "test.example/log",
            config,
        )
        .await
        .unwrap();
        // The old sequencer's last act: the entry is in the log, the row does not know it.
        let index = sequencer
            .append(crashed.entry.clone().into_bytes())
            .await
            .unwrap();

        assert_eq!(outbox::recover(db, &sequencer).await.unwrap(), 1);
        assert_eq!(
            outbox::index_of(db, &crashed.id).await.unwrap(),
            Some(index)
        );
        let pending: Vec<String> = outbox::pending(db, 10)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(
            pending,
            vec![waiting.id.clone()],
            "only the row never appended is still to do"
        );
        assert_eq!(
            outbox::recover(db, &sequencer).await.unwrap(),
            0,
            "recovery is idempotent"
        );
    }
}

on_both_backends!(a_retry_after_a_crash_mid_request_finds_the_first_record);
/// A request that died after queuing its record (its idempotency claim given back or taken
/// over) is retried: the retry builds a new record, but gets the first one, anchored once.
async fn a_retry_after_a_crash_mid_request_finds_the_first_record(app: TestApp) {
    use corridor::anchoring::api::{RecordInput, build_record};
    let ledger = app.ledger();
    let input: RecordInput = serde_json::from_value(record("crashed-request")).unwrap();
    let who = corridor::auth::audit::Who::cli();
    let token = Some("user-1:key-1".to_string());
    let first = ledger
        .anchor(&who, &build_record(&input).unwrap(), token.clone())
        .await
        .unwrap();
    let retry_record = build_record(&input).unwrap();
    assert_ne!(
        retry_record.salt,
        serde_json::from_str::<Value>(&first.record).unwrap()["salt"],
        "a new salt"
    );
    let retried = ledger.anchor(&who, &retry_record, token).await.unwrap();
    assert_eq!(retried.index, first.index);
    assert_eq!(retried.record, first.record);
    assert_eq!(ledger.size().await.unwrap(), 1, "anchored once");
    let events = app.store.audit_page(None, None, 50).await.unwrap();
    assert_eq!(
        events
            .iter()
            .filter(|e| e.action == "ledger.append")
            .count(),
        1
    );
}

/// A key rotation on the sequencing node is picked up by the standby: both name the new key,
/// the standby sequences with it after a takeover, receipts from before still verify, and a
/// node that still holds only the retired key refuses to start instead of forking the log.
#[tokio::test]
#[ignore = "needs PostgreSQL and S3: set CORRIDOR_TEST_POSTGRES_URL and CORRIDOR_TEST_S3_ENDPOINT"]
async fn a_key_rotation_on_one_node_is_picked_up_by_the_other_and_never_forks() {
    let cluster = Cluster::new().await;
    let mut a = cluster.node().await;
    let b = cluster.node().await;
    let token = admin_token(&a).await;
    let old_vkey = a.ledger().vkey();
    let before = anchored(&b, &token, "before", &old_vkey).await;
    let retired_copy = cluster.key_file.with_extension("retired");
    std::fs::copy(&cluster.key_file, &retired_copy).unwrap();

    // Every node of this test deployment reads the same key file path, as if the operator had
    // copied `<key>.next` to each.
    let new_vkey = corridor::anchoring::rotation::request(&cluster.key_file).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while a.ledger().vkey() != new_vkey || b.ledger().vkey() != new_vkey {
        assert!(
            std::time::Instant::now() < deadline,
            "both nodes follow the rotation"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let after = anchored(&b, &token, "after", &new_vkey).await;
    assert_eq!(after["index"], 1, "one log, not a new one");

    // The standby takes over with the new key.
    a.stop().await;
    b.ledger().sequencing().await;
    let later = anchored(&b, &token, "after-takeover", &new_vkey).await;
    assert_eq!(later["index"], 2);
    let history = b.ledger().key_history().await.unwrap();
    assert_eq!(history.entries().len(), 2);
    let again = receipt_on(&b, before["index"].as_u64().unwrap()).await;
    for (receipt, record) in [
        (before["receipt"].as_str().unwrap(), &before["record"]),
        (again.as_str(), &before["record"]),
    ] {
        assert!(
            corridor::anchoring::verify::check(
                &history.encode(),
                &[],
                0,
                receipt,
                record.as_str().unwrap().as_bytes(),
                &[]
            )
            .is_ok()
        );
    }

    // A node with only the retired key does not join.
    let err = cluster
        .try_node(Settings {
            ledger_key_file: retired_copy.display().to_string(),
            ..cluster.settings()
        })
        .await
        .err()
        .expect("a node with the retired key refuses to start")
        .to_string();
    assert!(err.contains("retired"), "{err}");
}
