//! The ledger commands: keys, inclusion proofs and evidence bundles verified by the binary.

use super::*;

#[test]
fn ledger_keygen_writes_a_private_key_and_prints_the_vkey() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("log.key");
    let out_s = out.to_str().unwrap();
    let (code, stdout, err) = run(
        dir.path(),
        &[
            "ledger",
            "keygen",
            "--name",
            "corridor.example/ledger/2026",
            "--out",
            out_s,
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let vkey = stdout.lines().last().unwrap();
    assert!(
        vkey.starts_with("corridor.example/ledger/2026+"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let (code, _, err) = run(dir.path(), &["ledger", "keygen", "--out", out_s], None);
    assert_eq!(code, 1, "a key is never overwritten");
    assert!(err.contains("never overwritten"), "{err}");
}

#[test]
fn verify_inclusion_exits_0_1_or_2() {
    use corridor_ledger::merkle::{MemoryTree, leaf_hash};
    let dir = tempfile::tempdir().unwrap();
    let mut tree = MemoryTree::default();
    for i in 0..5u8 {
        tree.append(&[i]).unwrap();
    }
    let proof: Vec<String> = tree
        .inclusion_proof(2, 5)
        .unwrap()
        .iter()
        .map(|h| h.to_hex())
        .collect();
    let good = serde_json::json!({"leaf_hash": leaf_hash(&[2]).to_hex(), "index": 2, "tree_size": 5,
                                  "root": tree.root().to_hex(), "proof": proof});
    let (code, out, _) = run(
        dir.path(),
        &["verify", "inclusion", "--json"],
        Some(&good.to_string()),
    );
    assert_eq!(code, 0);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&out).unwrap()["valid"],
        true
    );
    let mut bad = good.clone();
    bad["leaf_hash"] = serde_json::json!(leaf_hash(&[3]).to_hex());
    let (code, _, err) = run(dir.path(), &["verify", "inclusion"], Some(&bad.to_string()));
    assert_eq!(code, 1);
    assert!(err.starts_with("invalid:"), "{err}");
    let (code, _, _) = run(dir.path(), &["verify", "inclusion"], Some("not json"));
    assert_eq!(code, 2);
}
/// A bundle made with the deployment's ledger verifies with the binary; one byte changed fails.
#[test]
fn bundle_create_anchors_in_the_ledger_and_verify_bundle_checks_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("page.html"), "<html>listing</html>").unwrap();
    std::fs::write(dir.path().join("receipt.jpg"), b"courier receipt 0042").unwrap();
    let (code, out, err) = run(
        dir.path(),
        &[
            "bundle",
            "create",
            "--subject",
            "ev-1",
            "--out",
            "b.tar",
            "page.html",
            "receipt.jpg",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let made: serde_json::Value = serde_json::from_str(&out).unwrap();
    let vkey = made["vkey"].as_str().unwrap();
    let (code, out, err) = run(
        dir.path(),
        &["verify", "bundle", "b.tar", "--vkey", vkey],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("valid: 2 files"), "{out}");

    let mut bytes = std::fs::read(dir.path().join("b.tar")).unwrap();
    let at = bytes.windows(4).position(|w| w == b"0042").unwrap();
    bytes[at] = b'1';
    std::fs::write(dir.path().join("c.tar"), bytes).unwrap();
    let (code, _, err) = run(
        dir.path(),
        &["verify", "bundle", "c.tar", "--vkey", vkey],
        None,
    );
    assert_eq!(code, 1);
    assert!(err.contains("files/receipt.jpg"), "{err}");

    let (code, _, err) = run(
        dir.path(),
        &[
            "bundle",
            "create",
            "--subject",
            "ev-2",
            "--out",
            "b.tar",
            "page.html",
        ],
        None,
    );
    assert_eq!(code, 1, "never overwritten");
    assert!(err.contains("never overwritten"), "{err}");
}
