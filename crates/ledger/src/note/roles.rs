//! What a note needs from a key: a name and key ID to match signature
//! lines, and sign/verify over the note text. Cosigners implement the same
//! traits with their own message construction, as in Go's `note` package.

/// A key that can check signatures on notes.
/// `Send + Sync` so verifier lists can be held across `.await` in servers.
pub trait NoteVerifier: Send + Sync {
    fn name(&self) -> &str;
    fn key_id(&self) -> u32;
    /// Checks `signature` (without the 4-byte key ID) over the note text.
    fn verify(&self, text: &[u8], signature: &[u8]) -> bool;
    /// The time a signature attests to, for timestamped types such as
    /// cosignature/v1; `None` for plain signatures.
    fn signature_timestamp(&self, _signature: &[u8]) -> Option<u64> {
        None
    }
}

/// A key that can sign notes.
pub trait NoteSigner {
    fn name(&self) -> &str;
    fn key_id(&self) -> u32;
    /// Signs the note text; the result excludes the 4-byte key ID.
    fn sign(&self, text: &[u8]) -> Vec<u8>;
}
