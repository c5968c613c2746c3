//! The witness against a real sequencer: cosigns consistent growth,
//! refuses rollback and forks, and keeps every checkpoint it was shown.

mod ledger_support;

use corridor_ledger::cosignature::CosignatureV1Signer;
use corridor_ledger::note::{Ed25519NoteSigner, NoteVerifier};
use corridor_ledger::receipt::verify_receipt;
use corridor_ledger::sequencer::Sequencer;
use corridor_ledger::storage::LedgerStore;
use corridor_ledger::witness::{
    Witness, WitnessError, add_checkpoint_request, attach_cosignatures,
};
use ledger_support::{ORIGIN, append_all, config, entry, open, signer};

const NOW: u64 = 1_790_000_000;

fn witness() -> Witness {
    let cosigner = CosignatureV1Signer::from_seed("witness.notaries.example", &[7; 32]).unwrap();
    let mut w = Witness::new(LedgerStore::memory(), "witness", cosigner);
    w.add_log(ORIGIN, signer().verifier());
    w
}

async fn grow(seq: &Sequencer, from: u64, to: u64) -> String {
    append_all(seq, from..to).await;
    seq.checkpoint().await.unwrap()
}

async fn submit(
    w: &Witness,
    store: &LedgerStore,
    old: u64,
    note: &str,
) -> Result<String, WitnessError> {
    let req = add_checkpoint_request(store, old, note).await.unwrap();
    w.add_checkpoint(&req.encode(), NOW).await
}

#[tokio::test]
async fn cosigns_consistent_growth_and_the_cosigned_receipt_meets_a_quorum() {
    let store = LedgerStore::memory();
    let seq = open(&store).await;
    let w = witness();
    let cp5 = grow(&seq, 0, 5).await;
    submit(&w, &store, 0, &cp5).await.unwrap();
    let cp300 = grow(&seq, 5, 300).await;
    let lines = submit(&w, &store, 5, &cp300).await.unwrap();
    // Same checkpoint again from the same size is fine (idempotent retry).
    submit(&w, &store, 300, &cp300).await.unwrap();
    assert_eq!(
        w.latest(ORIGIN).await.unwrap().as_deref(),
        Some(cp300.as_str())
    );

    let wv = w.signer().verifier();
    let cosigned = attach_cosignatures(&cp300, &lines, &[&wv]).unwrap();
    seq.publish_cosigned(cosigned.clone()).await.unwrap();
    let public = store.get("checkpoint").await.unwrap().unwrap();
    assert_eq!(public, cosigned.as_bytes());
    assert!(
        seq.publish_cosigned(cp5.clone()).await.is_err(),
        "older checkpoint"
    );
    // Once published, receipts carry the cosignatures.
    let receipt = seq.receipt(42).await.unwrap();
    assert_eq!(receipt.checkpoint, cosigned);
    let verdict = verify_receipt(
        &entry(42),
        &receipt.encode(),
        &signer().verifier(),
        &[&wv],
        1,
    )
    .unwrap();
    assert_eq!(verdict.witnesses[0].timestamp, Some(NOW));
    // Without the cosignature the quorum is not met.
    let mut bare = receipt.clone();
    bare.checkpoint = cp300;
    assert!(verify_receipt(&entry(42), &bare.encode(), &signer().verifier(), &[&wv], 1).is_err());
}

#[tokio::test]
async fn refuses_rollback() {
    let store = LedgerStore::memory();
    let seq = open(&store).await;
    let w = witness();
    let cp5 = grow(&seq, 0, 5).await;
    submit(&w, &store, 0, &cp5).await.unwrap();
    let cp10 = grow(&seq, 5, 10).await;
    submit(&w, &store, 5, &cp10).await.unwrap();

    let err = submit(&w, &store, 10, &cp5).await.unwrap_err();
    assert!(
        matches!(err, WitnessError::OldSizeTooLarge { old: 10, new: 5 }),
        "{err}"
    );
    assert_eq!(err.http_status(), 400);
    let err = submit(&w, &store, 5, &cp5).await.unwrap_err();
    assert!(
        matches!(err, WitnessError::Conflict { witness_size: 10 }),
        "{err}"
    );
    assert_eq!(err.http_status(), 409);
    assert_eq!(
        w.latest(ORIGIN).await.unwrap().as_deref(),
        Some(cp10.as_str())
    );
}

#[tokio::test]
async fn refuses_a_fork_and_keeps_it_as_evidence() {
    let store = LedgerStore::memory();
    let seq = open(&store).await;
    let w = witness();
    let cp10 = grow(&seq, 0, 10).await;
    submit(&w, &store, 0, &cp10).await.unwrap();

    // The same key signs a different history (e.g. a restored backup run
    // without the sequencer's rollback protection).
    let fork_store = LedgerStore::memory();
    let fork = open(&fork_store).await;
    let futs: Vec<_> = (0..12)
        .map(|i| fork.append(format!("forged {i}").into_bytes()))
        .collect();
    futures_util::future::join_all(futs).await;
    let forked = fork.checkpoint().await.unwrap();
    let err = submit(&w, &fork_store, 10, &forked).await.unwrap_err();
    assert!(matches!(err, WitnessError::BadProof(_)), "{err}");
    assert_eq!(err.http_status(), 422);

    // Same size, different root.
    let fork10_store = LedgerStore::memory();
    let fork10 = open(&fork10_store).await;
    let forked10 = grow(&fork10, 1, 11).await;
    let err = submit(&w, &fork10_store, 10, &forked10).await.unwrap_err();
    assert!(matches!(err, WitnessError::BadProof(_)), "{err}");

    let seen = w.seen(ORIGIN).await.unwrap();
    assert_eq!(seen.len(), 3);
    assert!(seen.contains(&forked) && seen.contains(&forked10) && seen.contains(&cp10));
    assert_eq!(
        w.latest(ORIGIN).await.unwrap().as_deref(),
        Some(cp10.as_str())
    );
}

#[tokio::test]
async fn refuses_unknown_logs_and_foreign_keys() {
    let store = LedgerStore::memory();
    let seq = open(&store).await;
    let w = witness();
    let cp = grow(&seq, 0, 3).await;

    let other = Ed25519NoteSigner::from_seed("other.example/log", &[9; 32]).unwrap();
    let other_seq = Sequencer::open(LedgerStore::memory(), other, "other.example/log", config())
        .await
        .unwrap();
    other_seq.append(b"x".to_vec()).await.unwrap();
    let other_cp = other_seq.checkpoint().await.unwrap();
    let err = submit(&w, other_seq.store(), 0, &other_cp)
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), 404);

    let impostor = Ed25519NoteSigner::from_seed(ORIGIN, &[10; 32]).unwrap();
    let imp_seq = Sequencer::open(LedgerStore::memory(), impostor, ORIGIN, config())
        .await
        .unwrap();
    imp_seq.append(b"x".to_vec()).await.unwrap();
    let imp_cp = imp_seq.checkpoint().await.unwrap();
    let err = submit(&w, imp_seq.store(), 0, &imp_cp).await.unwrap_err();
    assert_eq!(err.http_status(), 403);
    assert!(
        w.seen(ORIGIN).await.unwrap().is_empty(),
        "unsigned notes are not evidence"
    );

    assert_eq!(
        w.add_checkpoint("old 0\n", NOW)
            .await
            .unwrap_err()
            .http_status(),
        400
    );
    submit(&w, &store, 0, &cp).await.unwrap();
}

#[test]
fn attach_refuses_cosignatures_that_do_not_verify() {
    let log = signer();
    let cp = corridor_ledger::checkpoint::Checkpoint::new(
        ORIGIN,
        1,
        corridor_ledger::merkle::leaf_hash(b"a"),
    );
    let note = cp.sign(&[&log]).unwrap();
    let w1 = CosignatureV1Signer::from_seed("w1", &[1; 32]).unwrap();
    let w2 = CosignatureV1Signer::from_seed("w2", &[2; 32]).unwrap();
    let line = w1.cosign(&cp, NOW).unwrap().line();
    let v1 = w1.verifier();
    let v2 = w2.verifier();
    let known: [&dyn NoteVerifier; 1] = [&v2];
    assert!(
        attach_cosignatures(&note, &line, &known).is_err(),
        "unknown witness"
    );
    let other = corridor_ledger::checkpoint::Checkpoint::new(ORIGIN, 2, cp.root);
    let wrong = w1.cosign(&other, NOW).unwrap().line();
    assert!(
        attach_cosignatures(&note, &wrong, &[&v1]).is_err(),
        "cosigned another body"
    );
    let ok = attach_cosignatures(&note, &line, &[&v1]).unwrap();
    assert!(ok.ends_with(&line) && ok.starts_with(&note));
}
