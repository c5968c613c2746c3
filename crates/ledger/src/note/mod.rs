//! C2SP signed notes (<https://c2sp.org/signed-note>), interoperable byte
//! for byte with `golang.org/x/mod/sumdb/note`.

mod error;
mod keys;
mod name;
mod roles;
mod signed;
#[cfg(test)]
mod tests;

pub use error::{KeyError, NoteError};
pub use keys::{Ed25519NoteSigner, Ed25519NoteVerifier, VerifierKey};
pub(crate) use keys::{ed25519_public_key, ed25519_verify, encode_key, parse_skey};
pub use name::{SIG_TYPE_COSIGNATURE_V1, SIG_TYPE_ED25519, is_valid_key_name, key_id};
pub use roles::{NoteSigner, NoteVerifier};
pub use signed::{MAX_SIGNATURES, Note, NoteSignature, OpenedNote, open, sign, sign_with_existing};
