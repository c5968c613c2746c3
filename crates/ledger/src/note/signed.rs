//! The C2SP signed-note format: text, an empty line, then signature lines
//! `— <name> base64(keyID || signature)`. Parsing and opening follow
//! `golang.org/x/mod/sumdb/note.Open` rule for rule, so a note one side
//! accepts the other accepts too.

use std::collections::HashSet;

use super::error::NoteError;
use super::name::is_valid_key_name;
use super::roles::{NoteSigner, NoteVerifier};

/// Go's `note.Open` refuses more than 100 signatures as malformed; C2SP asks
/// verifiers to accept at least 16. We match Go.
pub const MAX_SIGNATURES: usize = 100;

/// U+2014 EM DASH and a space: the start of every signature line.
const SIGNATURE_PREFIX: &str = "\u{2014} ";

/// One signature line of a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSignature {
    pub name: String,
    pub key_id: u32,
    /// Signature bytes after the 4-byte key ID.
    pub signature: Vec<u8>,
}

impl NoteSignature {
    /// The signature line, newline included.
    pub fn line(&self) -> String {
        let mut raw = self.key_id.to_be_bytes().to_vec();
        raw.extend_from_slice(&self.signature);
        format!(
            "{SIGNATURE_PREFIX}{} {}\n",
            self.name,
            crate::b64::encode(&raw)
        )
    }

    fn parse_line(line: &str) -> Result<Self, NoteError> {
        let rest = line
            .strip_prefix(SIGNATURE_PREFIX)
            .ok_or(NoteError::Malformed("signature line without em dash"))?;
        let (name, b64) = rest.split_once(' ').unwrap_or((rest, ""));
        if !is_valid_key_name(name) {
            return Err(NoteError::Malformed("invalid key name"));
        }
        let raw = crate::b64::decode(b64).ok_or(NoteError::Malformed("signature base64"))?;
        if raw.len() < 5 {
            return Err(NoteError::Malformed("signature too short"));
        }
        Ok(Self {
            name: name.to_owned(),
            key_id: u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]),
            signature: raw[4..].to_vec(),
        })
    }
}

/// A structurally valid note whose signatures have not been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    text: String,
    signatures: Vec<NoteSignature>,
}

/// A note with at least one signature verified by a known key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedNote {
    pub text: String,
    /// Signatures from known keys, all verified, one per key.
    pub verified: Vec<NoteSignature>,
    /// Signatures from unknown keys, kept so they can be passed on.
    pub unverified: Vec<NoteSignature>,
}

/// Text must be UTF-8 (guaranteed by `str`) without control characters other
/// than newline; DEL and C1 controls pass, as in Go.
fn has_forbidden_control(text: &str) -> bool {
    text.chars().any(|c| c < ' ' && c != '\n')
}

impl Note {
    /// Splits a signed note into text and signature lines.
    pub fn parse(msg: &[u8]) -> Result<Self, NoteError> {
        let msg = std::str::from_utf8(msg).map_err(|_| NoteError::Malformed("not UTF-8"))?;
        if has_forbidden_control(msg) {
            return Err(NoteError::Malformed("control character"));
        }
        // The text ends at the *last* empty line; signature lines never
        // contain one.
        let split = msg
            .rfind("\n\n")
            .ok_or(NoteError::Malformed("no signature block"))?;
        let (text, sigs) = (&msg[..split + 1], &msg[split + 2..]);
        let body = sigs
            .strip_suffix('\n')
            .ok_or(NoteError::Malformed("signature block must end in newline"))?;
        let mut signatures = Vec::new();
        for line in body.split('\n') {
            if signatures.len() == MAX_SIGNATURES {
                return Err(NoteError::Malformed("too many signatures"));
            }
            signatures.push(NoteSignature::parse_line(line)?);
        }
        Ok(Self {
            text: text.to_owned(),
            signatures,
        })
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn signatures(&self) -> &[NoteSignature] {
        &self.signatures
    }

    /// Adds a signature line (e.g. a witness cosignature) unless one with
    /// the same name and key ID is already present.
    pub fn add_signature(&mut self, signature: NoteSignature) {
        let seen = self
            .signatures
            .iter()
            .any(|s| s.name == signature.name && s.key_id == signature.key_id);
        if !seen {
            self.signatures.push(signature);
        }
    }

    /// The note as text, signature lines in their current order.
    pub fn encode(&self) -> String {
        let mut out = format!("{}\n", self.text);
        for s in &self.signatures {
            out.push_str(&s.line());
        }
        out
    }

    /// Verifies the signatures of known keys. Unknown keys are set aside; a
    /// known key whose signature fails refuses the whole note; a note with
    /// no verified signature is refused.
    pub fn open(self, known: &[&dyn NoteVerifier]) -> Result<OpenedNote, NoteError> {
        let mut verified = Vec::new();
        let mut unverified: Vec<NoteSignature> = Vec::new();
        let mut seen = HashSet::new();
        for sig in self.signatures {
            let mut matches = known
                .iter()
                .filter(|v| v.name() == sig.name && v.key_id() == sig.key_id);
            let Some(verifier) = matches.next() else {
                if !unverified.contains(&sig) {
                    unverified.push(sig);
                }
                continue;
            };
            if matches.next().is_some() {
                return Err(NoteError::AmbiguousKey {
                    name: sig.name,
                    key_id: sig.key_id,
                });
            }
            // Go checks only the first signature per key; later ones from
            // the same key are dropped unchecked.
            if !seen.insert((sig.name.clone(), sig.key_id)) {
                continue;
            }
            if !verifier.verify(self.text.as_bytes(), &sig.signature) {
                return Err(NoteError::InvalidSignature {
                    name: sig.name,
                    key_id: sig.key_id,
                });
            }
            verified.push(sig);
        }
        if verified.is_empty() {
            return Err(NoteError::NoVerifiableSignatures);
        }
        Ok(OpenedNote {
            text: self.text,
            verified,
            unverified,
        })
    }
}

/// Parses and opens a signed note in one step.
pub fn open(msg: &[u8], known: &[&dyn NoteVerifier]) -> Result<OpenedNote, NoteError> {
    Note::parse(msg)?.open(known)
}

/// Signs `text` (which must end in a newline) with every signer, in order.
pub fn sign(text: &str, signers: &[&dyn NoteSigner]) -> Result<String, NoteError> {
    sign_with_existing(text, &[], signers)
}

/// Like [`sign`], keeping `existing` signatures first, except those from a
/// key that signs again now (Go's `note.Sign` order).
pub fn sign_with_existing(
    text: &str,
    existing: &[NoteSignature],
    signers: &[&dyn NoteSigner],
) -> Result<String, NoteError> {
    if !text.ends_with('\n') {
        return Err(NoteError::Malformed("text must end in newline"));
    }
    if has_forbidden_control(text) {
        return Err(NoteError::Malformed("control character"));
    }
    let mut fresh = Vec::with_capacity(signers.len());
    for s in signers {
        if !is_valid_key_name(s.name()) {
            return Err(NoteError::InvalidSignerName(s.name().to_owned()));
        }
        fresh.push(NoteSignature {
            name: s.name().to_owned(),
            key_id: s.key_id(),
            signature: s.sign(text.as_bytes()),
        });
    }
    let mut out = format!("{text}\n");
    for old in existing {
        if !is_valid_key_name(&old.name) {
            return Err(NoteError::Malformed("invalid key name"));
        }
        let replaced = fresh
            .iter()
            .any(|f| f.name == old.name && f.key_id == old.key_id);
        if !replaced {
            out.push_str(&old.line());
        }
    }
    for f in &fresh {
        out.push_str(&f.line());
    }
    Ok(out)
}
