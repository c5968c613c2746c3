//! The ledger's key commands as an operator runs them: `corridor ledger rotate-key`,
//! `corridor witness keygen` (a cosignature key of its own, which `serve` insists on), and
//! `corridor verify receipt --keys` against the key history of a rotated log.

use std::process::Command;

use corridor_ledger::cosignature::CosignatureV1Verifier;
use corridor_ledger::note::{Ed25519NoteSigner, Ed25519NoteVerifier};
use corridor_ledger::sequencer::{Sequencer, SequencerConfig};
use corridor_ledger::storage::LedgerStore;

const BIN: &str = env!("CARGO_BIN_EXE_corridor");
const ORIGIN: &str = "corridor.example/ledger/2026";

fn run(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .env_remove("CORRIDOR_DATABASE_URL")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run corridor");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn rotate_key_writes_the_next_key_once() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("log.key");
    let key_arg = key.display().to_string();
    let (code, old_vkey, err) = run(
        dir.path(),
        &["ledger", "keygen", "--name", ORIGIN, "--out", &key_arg],
    );
    assert_eq!(code, 0, "{err}");
    std::fs::write(
        dir.path().join("corridor.toml"),
        format!("ledger_key_file = {key_arg:?}\n"),
    )
    .unwrap();
    let (code, new_vkey, err) = run(dir.path(), &["ledger", "rotate-key"]);
    assert_eq!(code, 0, "{err}");
    let new = Ed25519NoteVerifier::from_vkey(new_vkey.trim()).expect("a note vkey");
    assert_ne!(new_vkey, old_vkey);
    assert!(
        new_vkey.starts_with(ORIGIN),
        "the new key is named after the log"
    );
    let next = dir.path().join("log.key.next");
    let waiting = corridor_ledger::keys::read_secret_key_file(&next).unwrap();
    assert_eq!(waiting.verifier(), new);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&next).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let (code, _, err) = run(dir.path(), &["ledger", "rotate-key"]);
    assert_ne!(code, 0);
    assert!(err.contains("rotation is under way"), "{err}");
}

#[test]
fn a_witness_cosigns_only_with_a_cosignature_key() {
    let dir = tempfile::tempdir().unwrap();
    let (code, vkey, err) = run(
        dir.path(),
        &[
            "witness",
            "keygen",
            "--name",
            "witness.partner.example",
            "--out",
            "w.key",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        CosignatureV1Verifier::from_vkey(vkey.trim()).is_ok(),
        "{vkey}"
    );
    assert!(
        Ed25519NoteVerifier::from_vkey(vkey.trim()).is_err(),
        "not a note key"
    );

    // A log's note key is refused as the witness key, before anything listens.
    let (code, log_vkey, err) = run(
        dir.path(),
        &["ledger", "keygen", "--name", ORIGIN, "--out", "log.key"],
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(
        dir.path(),
        &[
            "witness",
            "serve",
            "--key",
            "log.key",
            "--log",
            log_vkey.trim(),
            "--listen",
            "127.0.0.1:0",
        ],
    );
    assert_ne!(code, 0);
    assert!(err.contains("not a cosignature key"), "{err}");
    // And the witness key cannot sign a log.
    std::fs::write(
        dir.path().join("corridor.toml"),
        "ledger_key_file = \"w.key\"\n",
    )
    .unwrap();
    let (code, _, err) = run(dir.path(), &["ledger", "audit"]);
    assert_ne!(code, 0);
    assert!(err.contains("not a note-signing key"), "{err}");
}

/// Two receipts of one log, before and after a rotation, and the key history.
async fn rotated_log() -> (Vec<(String, Vec<u8>)>, String, String) {
    let old = Ed25519NoteSigner::from_seed(ORIGIN, &[1; 32]).unwrap();
    let new = Ed25519NoteSigner::from_seed(ORIGIN, &[2; 32]).unwrap();
    let config = SequencerConfig {
        checkpoint_interval: None,
        ..SequencerConfig::default()
    };
    let seq = Sequencer::open(LedgerStore::memory(), old.clone(), ORIGIN, config)
        .await
        .unwrap();
    seq.append(b"record 0".to_vec()).await.unwrap();
    seq.checkpoint().await.unwrap();
    let before = seq.receipt(0).await.unwrap().encode();
    let history = seq.rotate_key(new).await.unwrap();
    seq.append(b"record 1".to_vec()).await.unwrap();
    seq.checkpoint().await.unwrap();
    let after = seq.receipt(1).await.unwrap().encode();
    seq.shutdown().await;
    (
        vec![
            (before, b"record 0".to_vec()),
            (after, b"record 1".to_vec()),
        ],
        history.encode(),
        old.vkey(),
    )
}

#[test]
fn verify_receipt_with_the_key_history_accepts_receipts_from_both_keys() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (receipts, history, old_vkey) = runtime.block_on(rotated_log());
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keys.txt"), &history).unwrap();
    for (i, (receipt, record)) in receipts.iter().enumerate() {
        std::fs::write(dir.path().join(format!("{i}.tlog-proof")), receipt).unwrap();
        std::fs::write(dir.path().join(format!("{i}.record")), record).unwrap();
        let proof = format!("{i}.tlog-proof");
        let record = format!("{i}.record");
        let (code, out, err) = run(
            dir.path(),
            &[
                "verify", "receipt", "--keys", "keys.txt", "--proof", &proof, "--record", &record,
            ],
        );
        assert_eq!((code, out.trim()), (0, "valid"), "receipt {i}: {err}");
        let (code, _, _) = run(
            dir.path(),
            &[
                "verify", "receipt", "--vkey", &old_vkey, "--proof", &proof, "--record", &record,
            ],
        );
        assert_eq!(
            code,
            if i == 0 { 0 } else { 1 },
            "receipt {i} under the old key alone"
        );
    }
    let (code, _, err) = run(
        dir.path(),
        &[
            "verify",
            "receipt",
            "--proof",
            "0.tlog-proof",
            "--record",
            "0.record",
        ],
    );
    assert_eq!(code, 2, "a key is required: {err}");
}
