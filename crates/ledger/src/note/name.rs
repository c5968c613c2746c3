//! Key names and key IDs (C2SP signed-note "Signatures" and "Key ID").

use sha2::{Digest, Sha256};

/// Signature type byte of plain Ed25519 note signatures.
pub const SIG_TYPE_ED25519: u8 = 0x01;
/// Signature type byte of timestamped Ed25519 cosignatures (cosignature/v1).
pub const SIG_TYPE_COSIGNATURE_V1: u8 = 0x04;

/// A key name is non-empty, has no Unicode whitespace and no `+` (the
/// `vkey` field separator). Same rule as Go's `isValidName`.
pub fn is_valid_key_name(name: &str) -> bool {
    !name.is_empty() && !name.contains('+') && !name.chars().any(char::is_whitespace)
}

/// `SHA-256(name || 0x0A || sig_type || key)[:4]`, read big-endian.
pub fn key_id(name: &str, sig_type: u8, key: &[u8]) -> u32 {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update([b'\n', sig_type]);
    h.update(key);
    let digest = h.finalize();
    u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_space_plus_or_nothing_are_invalid() {
        assert!(is_valid_key_name("sum.golang.org"));
        assert!(is_valid_key_name("example.com/log/2027"));
        assert!(!is_valid_key_name(""));
        assert!(!is_valid_key_name("Bad Name"));
        assert!(!is_valid_key_name("a+b"));
        assert!(!is_valid_key_name("tab\there"));
        assert!(!is_valid_key_name("nbsp\u{a0}here"));
    }

    #[test]
    fn key_id_depends_on_the_signature_type() {
        let key = [7u8; 32];
        assert_ne!(
            key_id("w", SIG_TYPE_ED25519, &key),
            key_id("w", SIG_TYPE_COSIGNATURE_V1, &key)
        );
    }
}
