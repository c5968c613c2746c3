//! The derived checkpoint, cosignature, tlog-proof and tlog-witness examples
//! (built with the public PeterNeumann test seed), reproduced byte for byte.

mod common;

use common::*;
use corridor_ledger::checkpoint::{Checkpoint, open_checkpoint};
use corridor_ledger::cosignature::{CosignatureV1Signer, cosigned_message};
use corridor_ledger::merkle::verify_consistency;
use corridor_ledger::note::{Ed25519NoteSigner, NoteVerifier};
use corridor_ledger::receipt::{ReceiptError, TlogProof, verify_receipt};
use corridor_ledger::witness_request::AddCheckpointRequest;

const WITNESS_TIME: u64 = 1_700_000_000;

fn peter_seed() -> [u8; 32] {
    let v = vector("notes");
    let hex_seed = str_of(&v["keys"]["PeterNeumann"], "ed25519_seed_hex");
    hex::decode(hex_seed).unwrap().try_into().unwrap()
}

fn log_signer() -> Ed25519NoteSigner {
    Ed25519NoteSigner::from_seed("example.com/notary-ledger-test", &peter_seed()).unwrap()
}

fn witness_signer() -> CosignatureV1Signer {
    CosignatureV1Signer::from_seed("witness.example/w1", &peter_seed()).unwrap()
}

fn checkpoint(size: usize) -> Checkpoint {
    Checkpoint::new(
        "example.com/notary-ledger-test",
        size as u64,
        reference_tree(size).root(),
    )
}

#[test]
fn log_key_and_checkpoints_are_reproduced() {
    let v = vector("checkpoints");
    assert_eq!(log_signer().vkey(), str_of(&v, "log_vkey"));
    assert_eq!(
        format!("{:08x}", log_signer().verifier().key_id()),
        str_of(&v, "log_key_id_hex")
    );
    assert_eq!(
        checkpoint(8).to_body(),
        str_of(&v, "checkpoint_body_size_8")
    );
    assert_eq!(
        checkpoint(8).sign(&[&log_signer()]).unwrap(),
        str_of(&v, "checkpoint_size_8")
    );
    assert_eq!(
        checkpoint(6).sign(&[&log_signer()]).unwrap(),
        str_of(&v, "checkpoint_size_6")
    );
    let opened = open_checkpoint(
        str_of(&v, "checkpoint_size_8").as_bytes(),
        str_of(&v, "origin"),
        &[&log_signer().verifier()],
    )
    .unwrap();
    assert_eq!(opened.checkpoint, checkpoint(8));
}

#[test]
fn witness_cosignature_is_reproduced() {
    let v = vector("checkpoints");
    let w = witness_signer();
    assert_eq!(w.vkey(), str_of(&v, "witness_vkey_type0x04"));
    assert_eq!(
        format!("{:08x}", w.verifier().key_id()),
        str_of(&v, "witness_key_id_hex")
    );
    assert_eq!(
        cosigned_message(WITNESS_TIME, &checkpoint(8).to_body()),
        str_of(&v, "cosigned_message")
    );
    let line = w.cosign(&checkpoint(8), WITNESS_TIME).unwrap().line();
    assert_eq!(line, str_of(&v, "witness_cosignature_line"));
}

#[test]
fn tlog_proof_for_leaf_5_is_reproduced_and_verifies() {
    let v = vector("checkpoints");
    let text = str_of(&v, "tlog_proof_leaf_5");
    let built = TlogProof {
        extra: None,
        index: 5,
        inclusion_path: reference_tree(8).inclusion_proof(5, 8).unwrap(),
        checkpoint: format!(
            "{}{}",
            str_of(&v, "checkpoint_size_8"),
            str_of(&v, "witness_cosignature_line")
        ),
    };
    assert_eq!(built.encode(), text);
    assert_eq!(TlogProof::parse(text).unwrap(), built);

    let record = hex::decode(str_of(&v, "leaf_5_input_hex")).unwrap();
    let log = log_signer().verifier();
    let witness = witness_signer().verifier();
    let verdict = verify_receipt(&record, text, &log, &[&witness as &dyn NoteVerifier], 1).unwrap();
    assert_eq!((verdict.leaf_index, verdict.tree_size), (5, 8));
    assert_eq!(verdict.root_hash, reference_tree(8).root());
    assert_eq!(verdict.witnesses[0].timestamp, Some(WITNESS_TIME));
    assert_eq!(verdict.witnesses[0].name, "witness.example/w1");

    let json = serde_json::to_value(&verdict).unwrap();
    assert_eq!(json["root_hash"], reference_tree(8).root().to_hex());

    assert!(matches!(
        verify_receipt(
            b"not the record",
            text,
            &log,
            &[&witness as &dyn NoteVerifier],
            1
        ),
        Err(ReceiptError::Inclusion(_))
    ));
    assert!(matches!(
        verify_receipt(&record, text, &log, &[], 0).map(|v| v.witnesses.len()),
        Ok(0)
    ));
}

#[test]
fn tlog_witness_request_is_reproduced_and_its_proof_verifies() {
    let v = vector("checkpoints");
    let body = str_of(&v, "tlog_witness_add_checkpoint_request_body_6_to_8");
    let built = AddCheckpointRequest {
        old_size: 6,
        consistency_proof: reference_tree(8).consistency_proof(6, 8).unwrap(),
        checkpoint: str_of(&v, "checkpoint_size_8").to_owned(),
    };
    assert_eq!(built.encode(), body);
    let parsed = AddCheckpointRequest::parse(body).unwrap();
    let (r6, r8) = (checkpoint(6).root, checkpoint(8).root);
    assert_eq!(
        verify_consistency(6, 8, &r6.0, &r8.0, &parsed.consistency_proof),
        Ok(())
    );
}
