//! C2SP tlog-cosignature, Ed25519 `cosignature/v1` (signature type 0x04):
//! a witness's timestamped statement that a checkpoint is the largest
//! consistent tree it has seen for that origin.
//!
//! Signature bytes are `u64 big-endian timestamp || Ed25519 signature`, over
//! `"cosignature/v1\ntime <t>\n" || checkpoint body`. The name is not signed,
//! so one Ed25519 key must serve only one cosigner identity.

use std::fmt;

use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};

use crate::checkpoint::Checkpoint;
use crate::note::{
    KeyError, NoteSignature, NoteVerifier, SIG_TYPE_COSIGNATURE_V1, VerifierKey,
    ed25519_public_key, ed25519_verify, encode_key, parse_skey,
};

/// The spec caps timestamps at 2^63 - 1.
pub const MAX_TIMESTAMP: u64 = i64::MAX as u64;
const SIGNATURE_LEN: usize = 8 + 64;

/// The exact bytes a cosigner signs.
pub fn cosigned_message(timestamp: u64, checkpoint_body: &str) -> String {
    format!("cosignature/v1\ntime {timestamp}\n{checkpoint_body}")
}

/// A timestamp past 2^63 - 1 cannot be cosigned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cosignature timestamp {0} exceeds 2^63 - 1")]
pub struct TimestampOutOfRange(pub u64);

/// Checks cosignature/v1 lines from one witness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CosignatureV1Verifier {
    name: String,
    key_id: u32,
    key: VerifyingKey,
}

impl CosignatureV1Verifier {
    pub fn new(name: &str, key: VerifyingKey) -> Result<Self, KeyError> {
        let vkey = VerifierKey::new(name, SIG_TYPE_COSIGNATURE_V1, key.as_bytes())?;
        Ok(Self {
            name: vkey.name,
            key_id: vkey.key_id,
            key,
        })
    }

    /// Parses a `vkey` of signature type 0x04.
    pub fn from_vkey(vkey: &str) -> Result<Self, KeyError> {
        let parsed = VerifierKey::parse(vkey)?;
        let key = ed25519_public_key(&parsed, SIG_TYPE_COSIGNATURE_V1)?;
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
            SIG_TYPE_COSIGNATURE_V1,
            self.key.as_bytes(),
        )
    }
}

impl NoteVerifier for CosignatureV1Verifier {
    fn name(&self) -> &str {
        &self.name
    }
    fn key_id(&self) -> u32 {
        self.key_id
    }
    fn verify(&self, text: &[u8], signature: &[u8]) -> bool {
        let (Some(timestamp), Ok(text)) = (
            self.signature_timestamp(signature),
            std::str::from_utf8(text),
        ) else {
            return false;
        };
        let message = cosigned_message(timestamp, text);
        ed25519_verify(&self.key, message.as_bytes(), &signature[8..])
    }
    fn signature_timestamp(&self, signature: &[u8]) -> Option<u64> {
        if signature.len() != SIGNATURE_LEN {
            return None;
        }
        let mut be = [0u8; 8];
        be.copy_from_slice(&signature[..8]);
        Some(u64::from_be_bytes(be)).filter(|t| *t <= MAX_TIMESTAMP)
    }
}

/// A witness key producing cosignature/v1 lines. `Debug` hides the seed.
#[derive(Clone)]
pub struct CosignatureV1Signer {
    name: String,
    key_id: u32,
    key: SigningKey,
}

impl CosignatureV1Signer {
    pub fn from_seed(name: &str, seed: &[u8; 32]) -> Result<Self, KeyError> {
        let key = SigningKey::from_bytes(seed);
        let verifier = CosignatureV1Verifier::new(name, key.verifying_key())?;
        Ok(Self {
            name: verifier.name,
            key_id: verifier.key_id,
            key,
        })
    }

    pub fn generate<R>(name: &str, rng: &mut R) -> Result<Self, KeyError>
    where
        R: ed25519_dalek::rand_core::CryptoRng + ?Sized,
    {
        let mut seed = [0u8; 32];
        rng.fill_bytes(&mut seed);
        Self::from_seed(name, &seed)
    }

    /// Parses `PRIVATE+KEY+name+hex8+base64(0x04 || seed)`: a key file of its own, never a
    /// note key. A note key (type 0x01) is refused, so the key that signs a log's checkpoints
    /// cannot also cosign as a witness.
    pub fn from_skey(skey: &str) -> Result<Self, KeyError> {
        let (name, id, seed) = parse_skey(skey, SIG_TYPE_COSIGNATURE_V1)?;
        let signer = Self::from_seed(&name, &seed)?;
        if signer.key_id != id {
            return Err(KeyError::KeyIdMismatch);
        }
        Ok(signer)
    }

    /// The secret key string, in the signed-note `skey` form with type 0x04. Handle like the
    /// key itself.
    pub fn skey(&self) -> String {
        format!(
            "PRIVATE+KEY+{}",
            encode_key(
                &self.name,
                self.key_id,
                SIG_TYPE_COSIGNATURE_V1,
                &self.key.to_bytes()
            )
        )
    }

    pub fn verifier(&self) -> CosignatureV1Verifier {
        CosignatureV1Verifier {
            name: self.name.clone(),
            key_id: self.key_id,
            key: self.key.verifying_key(),
        }
    }

    pub fn vkey(&self) -> String {
        self.verifier().vkey()
    }

    /// Cosigns `checkpoint` as of `timestamp` (POSIX seconds). The caller
    /// must already have checked the checkpoint's signature and its
    /// consistency with the previous one it cosigned.
    pub fn cosign(
        &self,
        checkpoint: &Checkpoint,
        timestamp: u64,
    ) -> Result<NoteSignature, TimestampOutOfRange> {
        if timestamp > MAX_TIMESTAMP {
            return Err(TimestampOutOfRange(timestamp));
        }
        let message = cosigned_message(timestamp, &checkpoint.to_body());
        let mut signature = timestamp.to_be_bytes().to_vec();
        signature.extend_from_slice(&self.key.sign(message.as_bytes()).to_bytes());
        Ok(NoteSignature {
            name: self.name.clone(),
            key_id: self.key_id,
            signature,
        })
    }
}

impl fmt::Debug for CosignatureV1Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CosignatureV1Signer")
            .field("name", &self.name)
            .field("key_id", &format_args!("{:08x}", self.key_id))
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merkle::leaf_hash;
    use crate::note::{Ed25519NoteSigner, Note, open};

    #[test]
    fn a_cosigner_key_file_round_trips_and_is_never_a_note_key() {
        let witness = CosignatureV1Signer::from_seed("witness.example", &[9u8; 32]).unwrap();
        let again = CosignatureV1Signer::from_skey(&witness.skey()).unwrap();
        assert_eq!(again.vkey(), witness.vkey());
        let note_key = Ed25519NoteSigner::from_seed("witness.example", &[9u8; 32]).unwrap();
        assert_eq!(
            CosignatureV1Signer::from_skey(&note_key.skey()).unwrap_err(),
            KeyError::UnsupportedType(0x01),
            "a note key file does not cosign"
        );
        assert_eq!(
            Ed25519NoteSigner::from_skey(&witness.skey()).unwrap_err(),
            KeyError::UnsupportedType(0x04),
            "a cosignature key file does not sign notes"
        );
        assert!(!format!("{witness:?}").contains("PRIVATE"));
    }

    /// A cosignature/v1 made with a note key (its own seed, in the cosignature format) is
    /// refused where the witness's cosignature key is expected.
    #[test]
    fn a_cosignature_made_with_the_note_key_is_refused() {
        use crate::witness::attach_cosignatures;
        let log = Ed25519NoteSigner::from_seed("example.com/log", &[1; 32]).unwrap();
        let note_seed = [5u8; 32];
        let cosign_seed = [6u8; 32];
        let witness = CosignatureV1Signer::from_seed("w.example", &cosign_seed).unwrap();
        let forged_with_note_key = CosignatureV1Signer::from_seed("w.example", &note_seed).unwrap();
        let signed = checkpoint().sign(&[&log]).unwrap();
        let good = witness.cosign(&checkpoint(), 7).unwrap();
        let mut bad = forged_with_note_key.cosign(&checkpoint(), 7).unwrap();
        let expected = witness.verifier();
        let body = checkpoint().to_body();
        assert!(expected.verify(body.as_bytes(), &good.signature));
        assert!(!expected.verify(body.as_bytes(), &bad.signature));
        // Even under the expected key ID, the signature is the wrong key's.
        bad.key_id = good.key_id;
        let lines = bad.line();
        let known: [&dyn NoteVerifier; 1] = [&expected];
        assert!(attach_cosignatures(&signed, &lines, &known).is_err());
        let lines = good.line();
        assert!(attach_cosignatures(&signed, &lines, &known).is_ok());
    }

    fn checkpoint() -> Checkpoint {
        Checkpoint::new("example.com/log", 1, leaf_hash(b"a"))
    }

    #[test]
    fn a_cosigned_checkpoint_opens_with_the_witness_key_and_time() {
        let log = Ed25519NoteSigner::from_seed("example.com/log", &[1; 32]).unwrap();
        let witness = CosignatureV1Signer::from_seed("w.example", &[2; 32]).unwrap();
        let mut note = Note::parse(checkpoint().sign(&[&log]).unwrap().as_bytes()).unwrap();
        note.add_signature(witness.cosign(&checkpoint(), 1_700_000_000).unwrap());
        let wv = witness.verifier();
        let opened = open(note.encode().as_bytes(), &[&wv]).unwrap();
        let sig = &opened.verified[0].signature;
        assert_eq!(wv.signature_timestamp(sig), Some(1_700_000_000));
    }

    #[test]
    fn the_same_key_as_plain_ed25519_has_another_key_id() {
        let log = Ed25519NoteSigner::from_seed("same", &[1; 32]).unwrap();
        let witness = CosignatureV1Signer::from_seed("same", &[1; 32]).unwrap();
        assert_ne!(log.vkey(), witness.vkey());
        assert_eq!(
            CosignatureV1Verifier::from_vkey(&log.vkey()),
            Err(KeyError::UnsupportedType(0x01))
        );
    }

    #[test]
    fn timestamps_above_2_pow_63_are_refused_both_ways() {
        let witness = CosignatureV1Signer::from_seed("w", &[2; 32]).unwrap();
        assert!(witness.cosign(&checkpoint(), MAX_TIMESTAMP + 1).is_err());
        let mut sig = witness.cosign(&checkpoint(), 5).unwrap().signature;
        sig[0] = 0x80;
        assert!(
            !witness
                .verifier()
                .verify(checkpoint().to_body().as_bytes(), &sig)
        );
    }

    #[test]
    fn changing_the_time_breaks_the_signature() {
        let witness = CosignatureV1Signer::from_seed("w", &[2; 32]).unwrap();
        let mut sig = witness.cosign(&checkpoint(), 5).unwrap().signature;
        let body = checkpoint().to_body();
        assert!(witness.verifier().verify(body.as_bytes(), &sig));
        sig[7] = 6;
        assert!(!witness.verifier().verify(body.as_bytes(), &sig));
    }
}
