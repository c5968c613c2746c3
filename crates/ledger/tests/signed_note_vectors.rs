//! Byte-for-byte interop with golang.org/x/mod/sumdb/note (note_test.go),
//! plus real sum.golang.org checkpoints and the go.sum tree-note format.

mod common;

use common::*;
use corridor_ledger::checkpoint::{Checkpoint, open_checkpoint};
use corridor_ledger::merkle::leaf_hash;
use corridor_ledger::note::{
    Ed25519NoteSigner, Ed25519NoteVerifier, KeyError, Note, NoteError, NoteVerifier, VerifierKey,
    open, sign,
};

fn peter() -> Ed25519NoteSigner {
    let v = vector("notes");
    Ed25519NoteSigner::from_skey(str_of(&v["keys"]["PeterNeumann"], "signer_key")).unwrap()
}

fn enoch() -> Ed25519NoteVerifier {
    let v = vector("notes");
    Ed25519NoteVerifier::from_vkey(str_of(&v["keys"]["EnochRoot"], "verifier_key")).unwrap()
}

#[test]
fn peter_keys_encode_exactly_as_in_go() {
    let v = vector("notes");
    let keys = &v["keys"]["PeterNeumann"];
    let signer = peter();
    assert_eq!(signer.vkey(), str_of(keys, "verifier_key"));
    assert_eq!(signer.skey(), str_of(keys, "signer_key"));
    assert_eq!(
        format!("{:08x}", signer.verifier().key_id()),
        str_of(keys, "key_id_hex")
    );
    assert_eq!(
        hex::encode(signer.verifier().public_key().as_bytes()),
        str_of(keys, "ed25519_public_hex")
    );
    let seed: [u8; 32] = hex::decode(str_of(keys, "ed25519_seed_hex"))
        .unwrap()
        .try_into()
        .unwrap();
    assert_eq!(
        Ed25519NoteSigner::from_seed("PeterNeumann", &seed)
            .unwrap()
            .vkey(),
        signer.vkey()
    );
    let e = &v["keys"]["EnochRoot"];
    assert_eq!(format!("{:08x}", enoch().key_id()), str_of(e, "key_id_hex"));
    assert_eq!(
        hex::encode(enoch().public_key().as_bytes()),
        str_of(e, "ed25519_public_hex")
    );
}

#[test]
fn signing_reproduces_peters_note_byte_for_byte() {
    let v = vector("notes");
    let signed = sign(str_of(&v, "note_text"), &[&peter()]).unwrap();
    assert_eq!(signed, str_of(&v, "signed_by_peter"));
    let note = Note::parse(signed.as_bytes()).unwrap();
    assert_eq!(
        hex::encode(&note.signatures()[0].signature),
        str_of(&v, "peter_signature_raw_hex")
    );
}

#[test]
fn opening_with_peter_only_verifies_peter_and_sets_enoch_aside() {
    let v = vector("notes");
    let msg = str_of(&v, "signed_by_peter_and_enoch");
    let opened = open(msg.as_bytes(), &[&peter().verifier()]).unwrap();
    assert_eq!(opened.text, str_of(&v, "note_text"));
    assert_eq!(opened.verified.len(), 1);
    assert_eq!(opened.verified[0].name, "PeterNeumann");
    assert_eq!(opened.unverified.len(), 1);
    assert_eq!(opened.unverified[0].name, "EnochRoot");

    let both = open(msg.as_bytes(), &[&peter().verifier(), &enoch()]).unwrap();
    assert_eq!(both.verified.len(), 2);
    assert_eq!(Note::parse(msg.as_bytes()).unwrap().encode(), msg);

    let err = open(msg.as_bytes(), &[]).unwrap_err();
    assert_eq!(err.to_string(), "note has no verifiable signatures");
}

#[test]
fn malformed_notes_from_go_are_refused() {
    let v = vector("notes");
    let cases = array(&v, "must_reject_as_malformed");
    assert_eq!(cases.len(), 7);
    for case in cases {
        let mut msg = str_of(case, "msg").as_bytes().to_vec();
        if str_of(case, "desc").contains("0xff") {
            // The file spells the invalid byte as U+00FF (c3 bf).
            assert_eq!(&msg[..2], &[0xc3, 0xbf]);
            msg.splice(..2, [0xff]);
        }
        let err = open(&msg, &[&peter().verifier()]).unwrap_err();
        assert!(
            matches!(err, NoteError::Malformed(_)),
            "{}: {err:?}",
            str_of(case, "desc")
        );
    }
}

#[test]
fn more_than_one_hundred_signature_lines_are_malformed() {
    let v = vector("notes");
    let text = str_of(&v, "note_text");
    let line = &str_of(&v, "signed_by_peter")[text.len() + 1..];
    let many = format!("{text}\n{}", line.repeat(101));
    assert_eq!(
        open(many.as_bytes(), &[&peter().verifier()])
            .unwrap_err()
            .to_string(),
        "malformed note: too many signatures"
    );
}

#[test]
fn a_failing_known_key_and_an_ambiguous_key_refuse_the_note() {
    let v = vector("notes");
    let msg = str_of(&v, "signed_by_peter_and_enoch").replace("is the answer", "is THE answer");
    let err = open(msg.as_bytes(), &[&peter().verifier()]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid signature for key PeterNeumann+c74f20a3"
    );

    let msg = str_of(&v, "signed_by_peter_and_enoch");
    let (e1, e2) = (enoch(), enoch());
    let err = open(msg.as_bytes(), &[&e1, &e2]).unwrap_err();
    assert_eq!(err.to_string(), "ambiguous key EnochRoot+af0cfe78");
}

#[test]
fn every_substring_and_single_byte_increment_of_peters_vkey_is_refused() {
    let vkey = peter().vkey();
    let b = vkey.as_bytes();
    for i in 0..=b.len() {
        for j in i + 1..=b.len() {
            if (i, j) != (0, b.len()) {
                let sub = std::str::from_utf8(&b[i..j]).unwrap();
                assert!(Ed25519NoteVerifier::from_vkey(sub).is_err(), "{sub}");
            }
        }
        if i < b.len() {
            let mut bumped = b.to_vec();
            bumped[i] += 1;
            let bumped = String::from_utf8(bumped).unwrap();
            assert!(Ed25519NoteVerifier::from_vkey(&bumped).is_err(), "{bumped}");
        }
    }
}

#[test]
fn go_bad_length_and_unknown_algorithm_vkeys_are_refused_for_that_reason() {
    // Go decodes "...BADKEY==" leniently to 37 bytes and then refuses the
    // length. Its last character carries non-zero padding bits, so our
    // canonical base64 already refuses the string itself.
    let bad_len = "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==";
    assert_eq!(
        Ed25519NoteVerifier::from_vkey(bad_len),
        Err(KeyError::Malformed)
    );
    let mut long_key = peter().verifier().public_key().as_bytes().to_vec();
    long_key.extend_from_slice(b"BADK");
    let canonical_bad_len = VerifierKey::new("PeterNeumann", 0x01, &long_key)
        .unwrap()
        .encode();
    assert_eq!(
        Ed25519NoteVerifier::from_vkey(&canonical_bad_len),
        Err(KeyError::WrongLength(36))
    );
    let bad_alg = "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    assert_eq!(
        Ed25519NoteVerifier::from_vkey(bad_alg),
        Err(KeyError::UnsupportedType(0x65))
    );
    assert_eq!(VerifierKey::parse(bad_alg).unwrap().encode(), bad_alg);
}

#[test]
fn real_sum_golang_org_checkpoints_verify() {
    let v = vector("notes");
    for case in array(&v, "real_world_checkpoints") {
        let key = Ed25519NoteVerifier::from_vkey(str_of(case, "verifies_with")).unwrap();
        let msg = str_of(case, "signed_note");
        let signed = open_checkpoint(msg.as_bytes(), "go.sum database tree", &[&key]).unwrap();
        assert!(signed.checkpoint.size > 31_000_000);
        assert_eq!(signed.note.verified[0].name, "sum.golang.org");
        let tampered = msg.replacen("database tree\n", "database tree\n1", 1);
        assert!(open_checkpoint(tampered.as_bytes(), "go.sum database tree", &[&key]).is_err());
    }
}

#[test]
fn go_tree_note_format_matches() {
    let v = &vector("notes")["tlog_tree_note"];
    let record_hash = leaf_hash(str_of(v, "record").as_bytes());
    assert_eq!(record_hash.to_base64(), str_of(v, "record_hash_b64"));
    let cp = Checkpoint::new("go.sum database tree", 123_456_789_012, record_hash);
    assert_eq!(cp.to_body(), str_of(v, "formatted"));
    assert_eq!(Checkpoint::parse_body(str_of(v, "formatted")).unwrap(), cp);
}
