//! Behaviour of signing and opening notes with throwaway keys. The Go
//! interop vectors live in `tests/signed_note_vectors.rs`.

use super::*;

const TEXT: &str = "hello\nworld\n";

fn signer(name: &str, byte: u8) -> Ed25519NoteSigner {
    Ed25519NoteSigner::from_seed(name, &[byte; 32]).unwrap()
}

#[test]
fn a_signed_note_opens_with_its_key() {
    let alice = signer("alice", 1);
    let msg = sign(TEXT, &[&alice]).unwrap();
    let opened = open(msg.as_bytes(), &[&alice.verifier()]).unwrap();
    assert_eq!(opened.text, TEXT);
    assert_eq!(opened.verified.len(), 1);
    assert!(opened.unverified.is_empty());
}

#[test]
fn unknown_signatures_are_set_aside_not_refused() {
    let (alice, bob) = (signer("alice", 1), signer("bob", 2));
    let msg = sign(TEXT, &[&alice, &bob]).unwrap();
    let opened = open(msg.as_bytes(), &[&alice.verifier()]).unwrap();
    assert_eq!(opened.verified[0].name, "alice");
    assert_eq!(opened.unverified[0].name, "bob");
}

#[test]
fn a_note_with_only_unknown_signatures_is_refused() {
    let (alice, bob) = (signer("alice", 1), signer("bob", 2));
    let msg = sign(TEXT, &[&bob]).unwrap();
    assert_eq!(
        open(msg.as_bytes(), &[&alice.verifier()]),
        Err(NoteError::NoVerifiableSignatures)
    );
}

#[test]
fn a_bad_signature_from_a_known_key_refuses_the_whole_note() {
    let (alice, bob) = (signer("alice", 1), signer("bob", 2));
    let msg = sign(TEXT, &[&alice, &bob]).unwrap();
    let tampered = msg.replacen("world", "w0rld", 1);
    let err = open(tampered.as_bytes(), &[&alice.verifier(), &bob.verifier()]).unwrap_err();
    assert!(matches!(err, NoteError::InvalidSignature { .. }));
}

#[test]
fn two_verifiers_with_the_same_name_and_id_are_ambiguous() {
    let alice = signer("alice", 1);
    let msg = sign(TEXT, &[&alice]).unwrap();
    let v = alice.verifier();
    assert!(matches!(
        open(msg.as_bytes(), &[&v, &v]),
        Err(NoteError::AmbiguousKey { .. })
    ));
}

#[test]
fn more_than_one_hundred_signatures_are_malformed() {
    let alice = signer("alice", 1);
    let msg = sign(TEXT, &[&alice]).unwrap();
    let line = &msg[TEXT.len() + 1..];
    let hundred = format!("{TEXT}\n{}", line.repeat(100));
    assert!(open(hundred.as_bytes(), &[&alice.verifier()]).is_ok());
    let too_many = format!("{TEXT}\n{}", line.repeat(101));
    assert!(matches!(
        open(too_many.as_bytes(), &[&alice.verifier()]),
        Err(NoteError::Malformed(_))
    ));
}

#[test]
fn repeated_lines_are_kept_once() {
    let (alice, bob) = (signer("alice", 1), signer("bob", 2));
    let msg = sign(TEXT, &[&alice, &bob]).unwrap();
    let sigs = &msg[TEXT.len() + 1..];
    let doubled = format!("{TEXT}\n{sigs}{sigs}");
    let opened = open(doubled.as_bytes(), &[&alice.verifier()]).unwrap();
    assert_eq!((opened.verified.len(), opened.unverified.len()), (1, 1));
}

#[test]
fn signing_refuses_text_without_final_newline_or_with_controls() {
    let alice = signer("alice", 1);
    assert!(sign("no newline", &[&alice]).is_err());
    assert!(sign("tab\there\n", &[&alice]).is_err());
    assert!(sign("", &[&alice]).is_err());
}

#[test]
fn re_signing_replaces_the_old_line_and_keeps_others_first() {
    let (alice, bob) = (signer("alice", 1), signer("bob", 2));
    let msg = sign(TEXT, &[&alice, &bob]).unwrap();
    let note = Note::parse(msg.as_bytes()).unwrap();
    let again = sign_with_existing(TEXT, note.signatures(), &[&alice]).unwrap();
    let names: Vec<String> = Note::parse(again.as_bytes())
        .unwrap()
        .signatures()
        .iter()
        .map(|s| s.name.clone())
        .collect();
    assert_eq!(names, ["bob", "alice"]);
}

#[test]
fn added_signatures_are_encoded_after_existing_ones_once() {
    let (alice, bob) = (signer("alice", 1), signer("bob", 2));
    let msg = sign(TEXT, &[&alice]).unwrap();
    let bob_sig = Note::parse(sign(TEXT, &[&bob]).unwrap().as_bytes())
        .unwrap()
        .signatures()[0]
        .clone();
    let mut note = Note::parse(msg.as_bytes()).unwrap();
    note.add_signature(bob_sig.clone());
    note.add_signature(bob_sig);
    let both = sign(TEXT, &[&alice, &bob]).unwrap();
    assert_eq!(note.encode(), both);
}

#[test]
fn signature_lines_need_the_em_dash_a_name_and_five_bytes() {
    let bad = [
        "t\n\n- alice AAAAAAA=\n",
        "t\n\n\u{2014} alice\n",
        "t\n\n\u{2014} alice AAAA\n",
        "t\n\n\u{2014}  AAAAAAA=\n",
    ];
    for msg in bad {
        assert!(
            matches!(Note::parse(msg.as_bytes()), Err(NoteError::Malformed(_))),
            "{msg:?}"
        );
    }
    assert!(Note::parse("t\n\n\u{2014} alice AAAAAAA=\n".as_bytes()).is_ok());
}
