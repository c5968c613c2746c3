//! End-to-end receipts with throwaway keys: a log of ten acts, a signed
//! checkpoint, witness cosignatures, and every way a receipt should fail.
//! The published example is checked in `tests/checkpoint_vectors.rs`.

use super::*;
use crate::checkpoint::{Checkpoint, CheckpointError};
use crate::cosignature::CosignatureV1Signer;
use crate::merkle::{MemoryTree, VerifyError};
use crate::note::{Ed25519NoteSigner, Note, NoteError, NoteVerifier};

const ORIGIN: &str = "notary.example.org/ledger/2027";

struct Fixture {
    log: Ed25519NoteSigner,
    witnesses: Vec<CosignatureV1Signer>,
    tree: MemoryTree,
}

fn fixture() -> Fixture {
    let mut tree = MemoryTree::new();
    for i in 0..10 {
        tree.append(format!("act {i}").as_bytes()).unwrap();
    }
    Fixture {
        log: Ed25519NoteSigner::from_seed(ORIGIN, &[1; 32]).unwrap(),
        witnesses: (0..3)
            .map(|i| {
                CosignatureV1Signer::from_seed(&format!("w{i}.example"), &[10 + i; 32]).unwrap()
            })
            .collect(),
        tree,
    }
}

impl Fixture {
    /// A receipt for `index` cosigned by the first `cosigners` witnesses.
    fn receipt(&self, index: u64, cosigners: usize) -> String {
        let cp = Checkpoint::new(ORIGIN, self.tree.size(), self.tree.root());
        let mut note = Note::parse(cp.sign(&[&self.log]).unwrap().as_bytes()).unwrap();
        for w in &self.witnesses[..cosigners] {
            note.add_signature(w.cosign(&cp, 1_800_000_000).unwrap());
        }
        TlogProof {
            extra: None,
            index,
            inclusion_path: self.tree.inclusion_proof(index, self.tree.size()).unwrap(),
            checkpoint: note.encode(),
        }
        .encode()
    }

    fn check(
        &self,
        record: &str,
        receipt: &str,
        quorum: usize,
    ) -> Result<ReceiptVerdict, ReceiptError> {
        let log = self.log.verifier();
        let ws: Vec<_> = self.witnesses.iter().map(|w| w.verifier()).collect();
        let refs: Vec<&dyn NoteVerifier> = ws.iter().map(|w| w as &dyn NoteVerifier).collect();
        verify_receipt(record.as_bytes(), receipt, &log, &refs, quorum)
    }
}

#[test]
fn a_receipt_with_quorum_yields_a_full_verdict() {
    let f = fixture();
    let verdict = f.check("act 4", &f.receipt(4, 2), 2).unwrap();
    assert_eq!((verdict.leaf_index, verdict.tree_size), (4, 10));
    assert_eq!(verdict.origin, ORIGIN);
    assert_eq!(verdict.root_hash, f.tree.root());
    assert_eq!(verdict.witnesses.len(), 2);
    assert_eq!(verdict.witnesses[0].timestamp, Some(1_800_000_000));
}

#[test]
fn another_record_or_index_is_refused() {
    let f = fixture();
    let receipt = f.receipt(4, 2);
    assert!(matches!(
        f.check("act 5", &receipt, 2),
        Err(ReceiptError::Inclusion(VerifyError::RootMismatch { .. }))
    ));
    let moved = receipt.replace("index 4", "index 5");
    assert!(matches!(
        f.check("act 4", &moved, 2),
        Err(ReceiptError::Inclusion(_))
    ));
}

#[test]
fn too_few_witnesses_is_refused() {
    let f = fixture();
    assert_eq!(
        f.check("act 4", &f.receipt(4, 1), 2),
        Err(ReceiptError::QuorumNotMet { have: 1, need: 2 })
    );
    assert_eq!(
        f.check("act 4", &f.receipt(4, 3), 4),
        Err(ReceiptError::QuorumUnreachable {
            quorum: 4,
            witnesses: 3
        })
    );
}

#[test]
fn witness_signatures_alone_do_not_stand_in_for_the_log() {
    let f = fixture();
    let receipt = f.receipt(4, 3);
    let log_line_start = receipt.find("\u{2014} notary").unwrap();
    let log_line_end = log_line_start + receipt[log_line_start..].find('\n').unwrap() + 1;
    let without_log = format!("{}{}", &receipt[..log_line_start], &receipt[log_line_end..]);
    assert_eq!(
        f.check("act 4", &without_log, 2),
        Err(ReceiptError::LogSignatureMissing)
    );
}

#[test]
fn a_different_size_or_root_breaks_the_log_signature() {
    let f = fixture();
    let receipt = f.receipt(4, 2);
    let resized = receipt.replace(&format!("{ORIGIN}\n10\n"), &format!("{ORIGIN}\n11\n"));
    assert!(matches!(
        f.check("act 4", &resized, 0),
        Err(ReceiptError::Checkpoint(CheckpointError::Note(
            NoteError::InvalidSignature { .. }
        )))
    ));
}

#[test]
fn a_log_key_for_another_origin_is_refused() {
    let f = fixture();
    let other = Ed25519NoteSigner::from_seed("other.example", &[1; 32]).unwrap();
    let receipt = f.receipt(4, 0);
    let err = verify_receipt(b"act 4", &receipt, &other.verifier(), &[], 0).unwrap_err();
    assert!(matches!(err, ReceiptError::Checkpoint(_)));
}
