//! Failures of note parsing, signing and verification, and of key parsing.
//! Messages follow `golang.org/x/mod/sumdb/note` where it has one.

/// Why a signed note was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    /// Not a well-formed signed note: bad UTF-8, control characters, no
    /// signature block, bad signature line, or too many signatures.
    #[error("malformed note: {0}")]
    Malformed(&'static str),
    #[error("note has no verifiable signatures")]
    NoVerifiableSignatures,
    /// A known key's signature did not verify: the whole note is refused.
    #[error("invalid signature for key {name}+{key_id:08x}")]
    InvalidSignature { name: String, key_id: u32 },
    /// Two configured verifiers share a name and key ID.
    #[error("ambiguous key {name}+{key_id:08x}")]
    AmbiguousKey { name: String, key_id: u32 },
    #[error("invalid signer name {0:?}")]
    InvalidSignerName(String),
}

/// Why a verifier key (`vkey`) or signer key (`skey`) string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("malformed key string")]
    Malformed,
    #[error("key ID does not match name and key")]
    KeyIdMismatch,
    #[error("unsupported signature type 0x{0:02x}")]
    UnsupportedType(u8),
    #[error("wrong key length {0} for the signature type")]
    WrongLength(usize),
    #[error("not a valid Ed25519 public key")]
    InvalidPublicKey,
}
