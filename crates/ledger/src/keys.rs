//! Log key generation and key files.
//!
//! The secret key is the `skey` string of Go's `sumdb/note`
//! (`PRIVATE+KEY+<name>+<id>+<base64>`), so keys interoperate with Go
//! tooling. The file is created with mode 0600 before any secret byte is
//! written, and never overwritten: replacing a log key by accident is a
//! split view waiting to happen.
//!
//! A witness's cosignature key (C2SP tlog-cosignature, type 0x04) is kept the
//! same way, as `PRIVATE+KEY+<name>+<id>+<base64(0x04 || seed)>`, and is a key
//! of its own: neither reader accepts the other's file, so one Ed25519 key
//! never both signs checkpoints and cosigns them.

use std::io::Write;
use std::path::Path;

use crate::cosignature::CosignatureV1Signer;
use crate::note::{Ed25519NoteSigner, KeyError};

#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("no randomness from the operating system: {0}")]
    Random(String),
    #[error("key file {path} holds a cosignature key (type 0x04), not a note-signing key")]
    CosignatureKeyNotNoteKey { path: String },
    #[error(
        "key file {path} holds a note-signing key (type 0x01), not a cosignature key; \
         a witness needs a key of its own"
    )]
    NoteKeyNotCosignatureKey { path: String },
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("key file {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// 32 bytes from the operating system's CSPRNG.
pub fn random_seed() -> Result<[u8; 32], KeyFileError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| KeyFileError::Random(e.to_string()))?;
    Ok(seed)
}

/// A fresh Ed25519 note key named `name` (use the log origin): returns
/// `(skey, vkey)`.
pub fn generate_keypair(name: &str) -> Result<(String, String), KeyFileError> {
    let signer = Ed25519NoteSigner::from_seed(name, &random_seed()?)?;
    Ok((signer.skey(), signer.vkey()))
}

/// Writes `skey` to a new file readable only by its owner (0600 on unix).
/// Fails if the file exists. The file and its directory are fsynced.
pub fn write_secret_key_file(path: impl AsRef<Path>, skey: &str) -> Result<(), KeyFileError> {
    let path = path.as_ref();
    let io = |source| KeyFileError::Io {
        path: path.display().to_string(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(io)?;
    file.write_all(skey.as_bytes()).map_err(io)?;
    file.write_all(b"\n").map_err(io)?;
    file.sync_all().map_err(io)?;
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io)?;
    }
    Ok(())
}

/// A fresh cosignature/v1 key named `name` (the witness's name, never a log's origin):
/// returns `(skey, vkey)`, both of type 0x04.
pub fn generate_cosigner_keypair(name: &str) -> Result<(String, String), KeyFileError> {
    let signer = CosignatureV1Signer::from_seed(name, &random_seed()?)?;
    Ok((signer.skey(), signer.vkey()))
}

fn read_key_text(path: &Path) -> Result<String, KeyFileError> {
    let text = std::fs::read_to_string(path).map_err(|source| KeyFileError::Io {
        path: path.display().to_string(),
        source,
    })?;
    Ok(text.trim_end().to_owned())
}

/// Reads a note-signing key file written by [`write_secret_key_file`].
pub fn read_secret_key_file(path: impl AsRef<Path>) -> Result<Ed25519NoteSigner, KeyFileError> {
    let path = path.as_ref();
    match Ed25519NoteSigner::from_skey(&read_key_text(path)?) {
        Err(KeyError::UnsupportedType(0x04)) => Err(KeyFileError::CosignatureKeyNotNoteKey {
            path: path.display().to_string(),
        }),
        other => Ok(other?),
    }
}

/// Reads a cosignature key file (see [`generate_cosigner_keypair`]).
pub fn read_cosigner_key_file(path: impl AsRef<Path>) -> Result<CosignatureV1Signer, KeyFileError> {
    let path = path.as_ref();
    match CosignatureV1Signer::from_skey(&read_key_text(path)?) {
        Err(KeyError::UnsupportedType(0x01)) => Err(KeyFileError::NoteKeyNotCosignatureKey {
            path: path.display().to_string(),
        }),
        other => Ok(other?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::note::Ed25519NoteVerifier;

    #[test]
    fn generated_keys_round_trip_through_a_private_file() {
        let (skey, vkey) = generate_keypair("corridor.example/ledger/2026").unwrap();
        let (other, _) = generate_keypair("corridor.example/ledger/2026").unwrap();
        assert_ne!(skey, other, "two keys from the OS RNG must differ");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.key");
        write_secret_key_file(&path, &skey).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let signer = read_secret_key_file(&path).unwrap();
        assert_eq!(signer.vkey(), vkey);
        assert!(Ed25519NoteVerifier::from_vkey(&vkey).is_ok());
        assert!(
            write_secret_key_file(&path, &skey).is_err(),
            "never overwrite a key"
        );
    }

    #[test]
    fn note_and_cosignature_key_files_are_not_interchangeable() {
        let dir = tempfile::tempdir().unwrap();
        let (note_skey, _) = generate_keypair("corridor.example/ledger/2026").unwrap();
        let (cosign_skey, cosign_vkey) = generate_cosigner_keypair("witness.example").unwrap();
        let note = dir.path().join("log.key");
        let cosign = dir.path().join("witness.key");
        write_secret_key_file(&note, &note_skey).unwrap();
        write_secret_key_file(&cosign, &cosign_skey).unwrap();
        assert_eq!(read_cosigner_key_file(&cosign).unwrap().vkey(), cosign_vkey);
        assert!(crate::cosignature::CosignatureV1Verifier::from_vkey(&cosign_vkey).is_ok());
        assert!(matches!(
            read_cosigner_key_file(&note),
            Err(KeyFileError::NoteKeyNotCosignatureKey { .. })
        ));
        assert!(matches!(
            read_secret_key_file(&cosign),
            Err(KeyFileError::CosignatureKeyNotNoteKey { .. })
        ));
    }
}
