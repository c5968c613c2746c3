//! Key rotation: new checkpoints under the new key, everything signed before still verifiable
//! through the published key history, and the retired key unable to sign again.

mod ledger_support;

use corridor_ledger::audit::{audit, audit_with_history};
use corridor_ledger::checkpoint::Checkpoint;
use corridor_ledger::keyring::KeyHistory;
use corridor_ledger::note::{Ed25519NoteSigner, Note, NoteVerifier};
use corridor_ledger::receipt::{
    ReceiptError, TlogProof, verify_receipt, verify_receipt_with_history,
};
use corridor_ledger::sequencer::{Sequencer, SequencerError};
use corridor_ledger::storage::{LedgerStore, paths};
use ledger_support::{ORIGIN, append_all, config, entry, open, signer};

fn next_signer() -> Ed25519NoteSigner {
    Ed25519NoteSigner::from_seed(ORIGIN, &[43; 32]).unwrap()
}

fn size_of(note: &str) -> u64 {
    Checkpoint::parse_body(Note::parse(note.as_bytes()).unwrap().text())
        .unwrap()
        .size
}

async fn stored_history(store: &LedgerStore) -> KeyHistory {
    let bytes = store.get_public(paths::KEYS).await.unwrap().unwrap();
    KeyHistory::parse(std::str::from_utf8(&bytes).unwrap()).unwrap()
}

#[tokio::test]
async fn a_rotated_log_signs_with_the_new_key_and_old_receipts_still_verify() {
    let store = LedgerStore::memory();
    let seq = open(&store).await;
    assert_eq!(
        stored_history(&store).await.entries().len(),
        1,
        "a new log publishes its first key from size 0"
    );
    append_all(&seq, 0..3).await;
    seq.checkpoint().await.unwrap();
    let old_receipt = seq.receipt(1).await.unwrap().encode();

    let history = seq.rotate_key(next_signer()).await.unwrap();
    assert_eq!(history.entries().len(), 2);
    assert_eq!(
        history.entries()[1].from_size,
        4,
        "from the first unsigned size"
    );
    assert_eq!(history.current(), &next_signer().verifier());
    assert_eq!(
        stored_history(&store).await,
        history,
        "published before use"
    );
    assert_eq!(seq.key_history(), history);
    // Rotating to the current key again is a no-op.
    assert_eq!(seq.rotate_key(next_signer()).await.unwrap(), history);

    append_all(&seq, 3..5).await;
    let note = seq.checkpoint().await.unwrap();
    assert_eq!(size_of(&note), 5);
    let signed = Note::parse(note.as_bytes()).unwrap();
    assert_eq!(signed.signatures().len(), 1);
    assert_eq!(
        signed.signatures()[0].key_id,
        next_signer().verifier().key_id(),
        "new checkpoints carry only the new key"
    );

    // Old receipt: under the old vkey, and through the history.
    let old = signer().verifier();
    verify_receipt(&entry(1), &old_receipt, &old, &[], 0).unwrap();
    verify_receipt_with_history(&entry(1), &old_receipt, &history, &[], 0).unwrap();
    // New receipt: through the history, not under the old key.
    let new_receipt = seq.receipt(4).await.unwrap().encode();
    verify_receipt_with_history(&entry(4), &new_receipt, &history, &[], 0).unwrap();
    assert!(verify_receipt(&entry(4), &new_receipt, &old, &[], 0).is_err());

    // A checkpoint of a later size signed by the retired key is refused by the history.
    let mut forged = TlogProof::parse(&new_receipt).unwrap();
    let cp =
        Checkpoint::parse_body(Note::parse(forged.checkpoint.as_bytes()).unwrap().text()).unwrap();
    forged.checkpoint = cp.sign(&[&signer()]).unwrap();
    let refused = verify_receipt_with_history(&entry(4), &forged.encode(), &history, &[], 0);
    assert!(
        matches!(refused, Err(ReceiptError::Checkpoint(_))),
        "{refused:?}"
    );
    verify_receipt(&entry(4), &forged.encode(), &old, &[], 0)
        .expect("the forgery is otherwise valid: only the history refuses it");
    seq.shutdown().await;
}

#[tokio::test]
async fn the_retired_key_cannot_reopen_the_log_and_the_new_one_continues_it() {
    let store = LedgerStore::memory();
    let seq = open(&store).await;
    append_all(&seq, 0..2).await;
    seq.checkpoint().await.unwrap();
    seq.rotate_key(next_signer()).await.unwrap();
    append_all(&seq, 2..3).await;
    seq.checkpoint().await.unwrap();
    seq.shutdown().await;

    let err = Sequencer::open(store.clone(), signer(), ORIGIN, config())
        .await
        .unwrap_err();
    assert!(
        matches!(err, SequencerError::KeyRetired { until: 2, .. }),
        "{err}"
    );
    let stranger = Ed25519NoteSigner::from_seed(ORIGIN, &[44; 32]).unwrap();
    let err = Sequencer::open(store.clone(), stranger, ORIGIN, config())
        .await
        .unwrap_err();
    assert!(matches!(err, SequencerError::UnknownKey { .. }), "{err}");

    // The new key reopens the log over checkpoints signed by both keys.
    let seq = Sequencer::open(store.clone(), next_signer(), ORIGIN, config())
        .await
        .unwrap();
    assert_eq!(seq.published().size, 3);
    assert_eq!(seq.append(entry(3)).await.unwrap(), 3);
    let note = seq.checkpoint().await.unwrap();
    let history = seq.key_history();
    let receipt = seq.receipt(0).await.unwrap().encode();
    verify_receipt_with_history(&entry(0), &receipt, &history, &[], 0).unwrap();
    assert_eq!(size_of(&note), 4);
    // The old key may not be rotated back in.
    assert!(seq.rotate_key(signer()).await.is_err());
    seq.shutdown().await;

    // An audit checks every checkpoint under the key for its size.
    let report = audit_with_history(&store, &history).await.unwrap();
    assert_eq!(report.tree_size, 4);
    assert!(report.history_checked >= 3);
    assert!(
        audit(&store, &signer().verifier()).await.is_err(),
        "the old key alone does not vouch for checkpoints after the rotation"
    );
}

#[tokio::test]
async fn rotations_without_checkpoints_in_between_keep_sizes_increasing() {
    let store = LedgerStore::memory();
    let seq = open(&store).await;
    let third = Ed25519NoteSigner::from_seed(ORIGIN, &[45; 32]).unwrap();
    seq.rotate_key(next_signer()).await.unwrap();
    let history = seq.rotate_key(third.clone()).await.unwrap();
    let sizes: Vec<u64> = history.entries().iter().map(|e| e.from_size).collect();
    assert_eq!(sizes, [0, 1, 2]);
    append_all(&seq, 0..2).await;
    let note = seq.checkpoint().await.unwrap();
    assert_eq!(history.verifier_for(size_of(&note)), &third.verifier());
    let other_log = Ed25519NoteSigner::from_seed("other.example/log", &[46; 32]).unwrap();
    assert!(matches!(
        seq.rotate_key(other_log).await.unwrap_err().as_ref(),
        SequencerError::KeyNameIsNotOrigin { .. }
    ));
    seq.shutdown().await;
}
