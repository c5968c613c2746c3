//! Strict standard base64 (RFC 4648 §4, padded), the encoding every C2SP
//! format in this crate uses.
//!
//! Strict means canonical: padding is required and unused trailing bits must
//! be zero. Go's `encoding/base64.StdEncoding` tolerates non-zero trailing
//! bits and embedded CR/LF; we do not, so a non-canonical encoding that Go
//! would accept is rejected here. Every encoder we interoperate with emits
//! canonical base64, and a single accepted spelling per value keeps signed
//! texts unambiguous.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

pub(crate) fn encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Decodes `text`, or `None` if it is not canonical padded base64.
pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    STANDARD.decode(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_bytes() {
        let bytes = [0u8, 1, 2, 254, 255];
        assert_eq!(decode(&encode(&bytes)), Some(bytes.to_vec()));
    }

    #[test]
    fn rejects_missing_padding_and_non_zero_trailing_bits() {
        assert_eq!(decode("AA=="), Some(vec![0]));
        assert_eq!(decode("AA"), None);
        assert_eq!(decode("AB=="), None);
        assert_eq!(decode("AA==\n"), None);
    }
}
