//! Key strings and Ed25519 note keys.
//!
//! * `vkey` = `name+hex8(keyID)+base64(type || public key)`
//! * `skey` = `PRIVATE+KEY+name+hex8(keyID)+base64(type || Ed25519 seed)`
//!
//! as in `golang.org/x/mod/sumdb/note` (`NewVerifier`, `NewSigner`).

use std::fmt;

use ed25519_dalek::{Signature as EdSignature, Signer as _, SigningKey, VerifyingKey};

use super::error::KeyError;
use super::name::{SIG_TYPE_ED25519, is_valid_key_name, key_id};
use super::roles::{NoteSigner, NoteVerifier};

/// A parsed `vkey`: any signature type, checked only for shape and key ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifierKey {
    pub name: String,
    pub key_id: u32,
    pub sig_type: u8,
    /// Public key material after the type byte.
    pub key: Vec<u8>,
}

impl VerifierKey {
    /// Builds a key for `name`, deriving its key ID.
    pub fn new(name: &str, sig_type: u8, key: &[u8]) -> Result<Self, KeyError> {
        if !is_valid_key_name(name) {
            return Err(KeyError::Malformed);
        }
        Ok(Self {
            name: name.to_owned(),
            key_id: key_id(name, sig_type, key),
            sig_type,
            key: key.to_vec(),
        })
    }

    /// Parses `name+hex8+base64(type || key)` and checks the key ID.
    pub fn parse(vkey: &str) -> Result<Self, KeyError> {
        let (name, rest) = vkey.split_once('+').ok_or(KeyError::Malformed)?;
        let (id_hex, key_b64) = rest.split_once('+').ok_or(KeyError::Malformed)?;
        let (id, sig_type, key) = parse_key_fields(name, id_hex, key_b64)?;
        if id != key_id(name, sig_type, &key) {
            return Err(KeyError::KeyIdMismatch);
        }
        Ok(Self {
            name: name.to_owned(),
            key_id: id,
            sig_type,
            key,
        })
    }

    pub fn encode(&self) -> String {
        encode_key(&self.name, self.key_id, self.sig_type, &self.key)
    }
}

/// Checks the name, the 8-hex-digit key ID and the base64 key field, and
/// splits the type byte off the key.
pub(crate) fn parse_key_fields(
    name: &str,
    id_hex: &str,
    key_b64: &str,
) -> Result<(u32, u8, Vec<u8>), KeyError> {
    let hex_ok = id_hex.len() == 8 && id_hex.bytes().all(|b| b.is_ascii_hexdigit());
    if !hex_ok || !is_valid_key_name(name) {
        return Err(KeyError::Malformed);
    }
    let id = u32::from_str_radix(id_hex, 16).map_err(|_| KeyError::Malformed)?;
    let raw = crate::b64::decode(key_b64).ok_or(KeyError::Malformed)?;
    let (&sig_type, key) = raw.split_first().ok_or(KeyError::Malformed)?;
    Ok((id, sig_type, key.to_vec()))
}

pub(crate) fn encode_key(name: &str, id: u32, sig_type: u8, key: &[u8]) -> String {
    let mut raw = Vec::with_capacity(key.len() + 1);
    raw.push(sig_type);
    raw.extend_from_slice(key);
    format!("{name}+{id:08x}+{}", crate::b64::encode(&raw))
}

/// Takes a 32-byte Ed25519 public key of a given signature type from a
/// parsed vkey.
pub(crate) fn ed25519_public_key(
    vkey: &VerifierKey,
    sig_type: u8,
) -> Result<VerifyingKey, KeyError> {
    if vkey.sig_type != sig_type {
        return Err(KeyError::UnsupportedType(vkey.sig_type));
    }
    let bytes: [u8; 32] = vkey
        .key
        .as_slice()
        .try_into()
        .map_err(|_| KeyError::WrongLength(vkey.key.len()))?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| KeyError::InvalidPublicKey)
}

/// Checks a 64-byte Ed25519 signature. Strict verification (canonical
/// encodings, no small-order points): honest signers always pass it.
pub(crate) fn ed25519_verify(key: &VerifyingKey, message: &[u8], signature: &[u8]) -> bool {
    let Ok(bytes) = <[u8; 64]>::try_from(signature) else {
        return false;
    };
    key.verify_strict(message, &EdSignature::from_bytes(&bytes))
        .is_ok()
}

/// Splits `PRIVATE+KEY+name+hex8+base64(type || seed)` into name, key ID and seed, refusing any
/// signature type but `sig_type`: a note key and a cosignature key are different keys, and
/// one file must never serve as both.
pub(crate) fn parse_skey(skey: &str, sig_type: u8) -> Result<(String, u32, [u8; 32]), KeyError> {
    let rest = skey
        .strip_prefix("PRIVATE+KEY+")
        .ok_or(KeyError::Malformed)?;
    let (name, rest) = rest.split_once('+').ok_or(KeyError::Malformed)?;
    let (id_hex, key_b64) = rest.split_once('+').ok_or(KeyError::Malformed)?;
    let (id, found, seed) = parse_key_fields(name, id_hex, key_b64)?;
    if found != sig_type {
        return Err(KeyError::UnsupportedType(found));
    }
    let seed: [u8; 32] = seed
        .as_slice()
        .try_into()
        .map_err(|_| KeyError::WrongLength(seed.len()))?;
    Ok((name.to_owned(), id, seed))
}

/// Verifies plain Ed25519 note signatures (type 0x01).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ed25519NoteVerifier {
    name: String,
    key_id: u32,
    key: VerifyingKey,
}

impl Ed25519NoteVerifier {
    pub fn new(name: &str, key: VerifyingKey) -> Result<Self, KeyError> {
        let vkey = VerifierKey::new(name, SIG_TYPE_ED25519, key.as_bytes())?;
        Ok(Self {
            name: vkey.name,
            key_id: vkey.key_id,
            key,
        })
    }

    pub fn from_vkey(vkey: &str) -> Result<Self, KeyError> {
        let parsed = VerifierKey::parse(vkey)?;
        let key = ed25519_public_key(&parsed, SIG_TYPE_ED25519)?;
        Ok(Self {
            name: parsed.name,
            key_id: parsed.key_id,
            key,
        })
    }

    pub fn vkey(&self) -> String {
        encode_key(
            &self.name,
            self.key_id,
            SIG_TYPE_ED25519,
            self.key.as_bytes(),
        )
    }

    pub fn public_key(&self) -> &VerifyingKey {
        &self.key
    }
}

impl NoteVerifier for Ed25519NoteVerifier {
    fn name(&self) -> &str {
        &self.name
    }
    fn key_id(&self) -> u32 {
        self.key_id
    }
    fn verify(&self, text: &[u8], signature: &[u8]) -> bool {
        ed25519_verify(&self.key, text, signature)
    }
}

/// Signs notes with Ed25519 (type 0x01). `Debug` never shows the seed.
#[derive(Clone)]
pub struct Ed25519NoteSigner {
    name: String,
    key_id: u32,
    key: SigningKey,
}

impl Ed25519NoteSigner {
    pub fn from_seed(name: &str, seed: &[u8; 32]) -> Result<Self, KeyError> {
        let key = SigningKey::from_bytes(seed);
        let verifier = Ed25519NoteVerifier::new(name, key.verifying_key())?;
        Ok(Self {
            name: verifier.name,
            key_id: verifier.key_id,
            key,
        })
    }

    /// A fresh key from a cryptographic RNG (e.g. `getrandom`'s `SysRng`).
    pub fn generate<R>(name: &str, rng: &mut R) -> Result<Self, KeyError>
    where
        R: ed25519_dalek::rand_core::CryptoRng + ?Sized,
    {
        let mut seed = [0u8; 32];
        rng.fill_bytes(&mut seed);
        Self::from_seed(name, &seed)
    }

    /// Parses `PRIVATE+KEY+name+hex8+base64(0x01 || seed)`.
    pub fn from_skey(skey: &str) -> Result<Self, KeyError> {
        let (name, id, seed) = parse_skey(skey, SIG_TYPE_ED25519)?;
        let signer = Self::from_seed(&name, &seed)?;
        if signer.key_id != id {
            return Err(KeyError::KeyIdMismatch);
        }
        Ok(signer)
    }

    /// The secret key string. Handle like the key itself.
    pub fn skey(&self) -> String {
        format!(
            "PRIVATE+KEY+{}",
            encode_key(
                &self.name,
                self.key_id,
                SIG_TYPE_ED25519,
                &self.key.to_bytes()
            )
        )
    }

    pub fn verifier(&self) -> Ed25519NoteVerifier {
        Ed25519NoteVerifier {
            name: self.name.clone(),
            key_id: self.key_id,
            key: self.key.verifying_key(),
        }
    }

    pub fn vkey(&self) -> String {
        self.verifier().vkey()
    }
}

impl fmt::Debug for Ed25519NoteSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ed25519NoteSigner")
            .field("name", &self.name)
            .field("key_id", &format_args!("{:08x}", self.key_id))
            .finish_non_exhaustive()
    }
}

impl NoteSigner for Ed25519NoteSigner {
    fn name(&self) -> &str {
        &self.name
    }
    fn key_id(&self) -> u32 {
        self.key_id
    }
    fn sign(&self, text: &[u8]) -> Vec<u8> {
        self.key.sign(text).to_bytes().to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: [u8; 32] = [9; 32];

    #[test]
    fn skey_and_vkey_round_trip() {
        let s = Ed25519NoteSigner::from_seed("example.com/log", &SEED).unwrap();
        let again = Ed25519NoteSigner::from_skey(&s.skey()).unwrap();
        assert_eq!(again.vkey(), s.vkey());
        assert_eq!(
            Ed25519NoteVerifier::from_vkey(&s.vkey()).unwrap(),
            s.verifier()
        );
    }

    #[test]
    fn debug_output_hides_the_seed() {
        let s = Ed25519NoteSigner::from_seed("n", &SEED).unwrap();
        let shown = format!("{s:?}");
        assert!(!shown.contains(&crate::b64::encode(&SEED)));
        assert!(!shown.contains("PRIVATE"));
    }

    #[test]
    fn signatures_verify_only_over_the_signed_text() {
        let s = Ed25519NoteSigner::from_seed("n", &SEED).unwrap();
        let sig = s.sign(b"text\n");
        assert!(s.verifier().verify(b"text\n", &sig));
        assert!(!s.verifier().verify(b"text2\n", &sig));
        assert!(!s.verifier().verify(b"text\n", &sig[..63]));
    }

    #[test]
    fn vkey_of_another_type_is_not_an_ed25519_note_key() {
        let s = Ed25519NoteSigner::from_seed("n", &SEED).unwrap();
        let cosigner = VerifierKey::new("n", 0x04, s.verifier().public_key().as_bytes()).unwrap();
        assert_eq!(
            Ed25519NoteVerifier::from_vkey(&cosigner.encode()),
            Err(KeyError::UnsupportedType(0x04))
        );
    }
}
