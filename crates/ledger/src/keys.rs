//! Log key generation and key files.
//!
//! The secret key is the `skey` string of Go's `sumdb/note`
//! (`PRIVATE+KEY+<name>+<id>+<base64>`), so keys interoperate with Go
//! tooling. The file is created with mode 0600 before any secret byte is
//! written, and never overwritten: replacing a log key by accident is a
//! split view waiting to happen.

use std::io::Write;
use std::path::Path;

use crate::note::{Ed25519NoteSigner, KeyError};

#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("no randomness from the operating system: {0}")]
    Random(String),
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

/// Reads a key file written by [`write_secret_key_file`].
pub fn read_secret_key_file(path: impl AsRef<Path>) -> Result<Ed25519NoteSigner, KeyFileError> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|source| KeyFileError::Io {
        path: path.display().to_string(),
        source,
    })?;
    Ok(Ed25519NoteSigner::from_skey(text.trim_end())?)
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
}
