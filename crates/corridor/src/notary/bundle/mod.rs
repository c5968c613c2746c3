//! The portable evidence bundle: evidence files, their manifest, the ledger record that anchors
//! the manifest, and the receipt for that record, in one uncompressed tar archive that anyone can
//! check offline with the log's public key (`corridor verify bundle FILE --vkey VKEY`).
//!
//! ```text
//! manifest.json        {"format":"corridor-evidence-bundle","version":1,"subject":..,
//!                       "created_at":..,"files":[{"path":"files/..","size":..,"sha256":..}]}
//! record.json          the ledger leaf (canonical JSON, kind `evidence_bundle`), naming the
//!                      manifest's SHA-256 under the role `manifest`
//! receipt.tlog-proof   the C2SP tlog-proof that the record is in the log
//! files/...            the evidence files, in the manifest's order
//! ```
//!
//! The chain of trust: the log's key signs the checkpoint; the receipt proves the record is a
//! leaf under it; the record names the manifest's hash; the manifest names each file's size and
//! hash. The manifest (file names can carry personal data) stays in the bundle; only its hash is
//! in the public log. The three metadata entries come first so that a verifier can check the
//! files as they stream past, in one pass with a small buffer.

mod build;
mod verify;

#[cfg(test)]
mod tests;

pub use build::{BuildError, BundleInput, Prepared, ThrowawayLog, anchor_in_ledger, prepare};
pub use verify::{Altered, Outcome, Problem, verify_bundle, verify_path};

use serde::{Deserialize, Serialize};

pub const FORMAT: &str = "corridor-evidence-bundle";
pub const VERSION: u32 = 1;
pub const MANIFEST: &str = "manifest.json";
pub const RECORD: &str = "record.json";
pub const RECEIPT: &str = "receipt.tlog-proof";
/// Evidence files live under this folder, so they never collide with the metadata entries.
pub const FILES_DIR: &str = "files/";
/// The ledger record's kind, and the role under which it names the manifest.
pub const RECORD_KIND: &str = "evidence_bundle";
pub const MANIFEST_ROLE: &str = "manifest";
/// The metadata entries are read into memory; anything larger is not a bundle of ours.
pub const METADATA_LIMIT: u64 = 16 << 20;

/// `manifest.json`. Fields in alphabetical order, like the ledger record, so the bytes the
/// builder writes are canonical (the verifier hashes the bytes as they are, whatever their form).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// RFC 3339 UTC, to the second.
    pub created_at: String,
    pub files: Vec<ManifestFile>,
    pub format: String,
    /// The platform's opaque id of what the bundle is evidence for (an evidence item, a matter).
    pub subject: String,
    pub version: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestFile {
    /// The entry's path in the archive: `files/` + a relative path.
    pub path: String,
    pub sha256: String,
    pub size: u64,
}

/// Whether `path` may name an evidence file: under `files/`, relative, no `.`/`..` or empty
/// segments, no backslash or control characters, at most 1,000 bytes. Extracting a bundle can
/// therefore never write outside the folder it is extracted into.
pub fn is_file_path(path: &str) -> bool {
    let Some(rest) = path.strip_prefix(FILES_DIR) else {
        return false;
    };
    path.len() <= 1000
        && !rest.is_empty()
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
        && rest
            .split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != "..")
}

impl Manifest {
    /// Checks what the verifier relies on: the format, paths and hashes are well formed and no
    /// path appears twice.
    pub fn check(&self) -> Result<(), String> {
        if self.format != FORMAT || self.version != VERSION {
            return Err(format!(
                "not a {FORMAT} v{VERSION} manifest ({} v{})",
                self.format, self.version
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for f in &self.files {
            if !is_file_path(&f.path) {
                return Err(format!("{:?}: not a path under {FILES_DIR}", f.path));
            }
            if !seen.insert(f.path.as_str()) {
                return Err(format!("{}: listed twice", f.path));
            }
            let hex_ok = f.sha256.len() == 64
                && f.sha256
                    .bytes()
                    .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
            if !hex_ok {
                return Err(format!("{}: sha256 is not lowercase hex", f.path));
            }
        }
        Ok(())
    }
}
