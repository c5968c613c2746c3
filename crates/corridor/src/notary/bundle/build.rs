//! Building a bundle: hash the files (streaming), write the manifest, anchor the manifest's hash
//! in the ledger, then write the archive — re-hashing each file as it is copied, so a file that
//! changed between hashing and writing fails the build instead of making a bundle that lies.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use corridor_ledger::checkpoint::Checkpoint;
use corridor_ledger::merkle::MemoryTree;
use corridor_ledger::note::Ed25519NoteSigner;
use corridor_ledger::receipt::TlogProof;
use sha2::{Digest, Sha256};

use super::{
    FILES_DIR, FORMAT, MANIFEST, MANIFEST_ROLE, Manifest, ManifestFile, RECEIPT, RECORD,
    RECORD_KIND, VERSION, is_file_path,
};
use crate::anchoring::record::{self, FileDigest, LedgerRecord};
use crate::anchoring::service::{Anchored, Ledger};
use crate::auth::audit::Who;

/// Copy buffer: large enough to hash at memory speed, small enough to be nothing.
pub(super) const CHUNK: usize = 1 << 20;

/// One evidence file: its name inside `files/` and where to read it.
#[derive(Clone, Debug)]
pub struct BundleInput {
    pub name: String,
    pub source: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("{0:?}: not a file name for a bundle (a relative path, no . or .. segments)")]
    Name(String),
    #[error("{0:?} is given twice")]
    Duplicate(String),
    #[error("subject: use 1–100 letters, digits and _ - . : only")]
    Subject,
    #[error("{path}: {source}")]
    Read { path: String, source: io::Error },
    #[error("{0}: the file changed while the bundle was written")]
    Changed(String),
    #[error("writing the bundle: {0}")]
    Write(#[from] io::Error),
}

/// A bundle whose manifest and ledger record are ready; anchor the record, then [`Self::write`].
#[derive(Debug)]
pub struct Prepared {
    pub manifest: Manifest,
    /// The exact bytes of `manifest.json` (their SHA-256 is in the record).
    pub manifest_bytes: Vec<u8>,
    /// The ledger leaf to anchor.
    pub record: LedgerRecord,
    sources: Vec<PathBuf>,
    created_at: DateTime<Utc>,
}

fn hash_reader(mut reader: impl Read) -> io::Result<(u64, String)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    let mut size = 0u64;
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            return Ok((size, hex::encode(hasher.finalize())));
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
}

fn is_token(s: &str) -> bool {
    (1..=100).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'))
}

/// Hashes the files and makes the manifest and the record (kind `evidence_bundle`, naming the
/// manifest's hash). `subject` is the platform's opaque id of the evidence; it goes into the
/// public ledger, so it must not be a name.
pub fn prepare(
    subject: &str,
    created_at: DateTime<Utc>,
    files: &[BundleInput],
) -> Result<Prepared, BuildError> {
    if !is_token(subject) {
        return Err(BuildError::Subject);
    }
    let mut entries = Vec::with_capacity(files.len());
    let mut seen = std::collections::HashSet::new();
    for f in files {
        let path = format!("{FILES_DIR}{}", f.name);
        if !is_file_path(&path) {
            return Err(BuildError::Name(f.name.clone()));
        }
        if !seen.insert(path.clone()) {
            return Err(BuildError::Duplicate(f.name.clone()));
        }
        let read_err = |source| BuildError::Read {
            path: f.source.display().to_string(),
            source,
        };
        let file = std::fs::File::open(&f.source).map_err(read_err)?;
        let (size, sha256) = hash_reader(file).map_err(read_err)?;
        entries.push(ManifestFile { path, sha256, size });
    }
    let at = created_at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let manifest = Manifest {
        created_at: at.clone(),
        files: entries,
        format: FORMAT.into(),
        subject: subject.into(),
        version: VERSION,
    };
    // Plain strings and numbers: serializing cannot fail.
    let manifest_bytes = serde_json::to_vec(&manifest).unwrap_or_default();
    let record = LedgerRecord {
        at,
        files: vec![FileDigest {
            role: MANIFEST_ROLE.into(),
            sha256: hex::encode(Sha256::digest(&manifest_bytes)),
        }],
        kind: RECORD_KIND.into(),
        meta: BTreeMap::from([("files".into(), manifest.files.len().to_string())]),
        salt: record::new_salt(),
        subject: subject.into(),
        v: record::VERSION,
    };
    Ok(Prepared {
        manifest,
        manifest_bytes,
        record,
        sources: files.iter().map(|f| f.source.clone()).collect(),
        created_at,
    })
}

/// Counts and hashes what passes through.
struct Hashing<R> {
    inner: R,
    hasher: Sha256,
    read: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.read += n as u64;
        Ok(n)
    }
}

impl Prepared {
    fn header(&self, size: u64) -> tar::Header {
        let mut h = tar::Header::new_gnu();
        h.set_size(size);
        h.set_mode(0o644);
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(self.created_at.timestamp().max(0) as u64);
        h.set_entry_type(tar::EntryType::Regular);
        h
    }

    /// Writes the archive: the manifest, `record` (the anchored leaf text, exactly as the
    /// ledger returned it), `receipt` (its tlog-proof), then the files. Returns the writer.
    pub fn write<W: Write>(&self, record: &str, receipt: &str, out: W) -> Result<W, BuildError> {
        let mut tar = tar::Builder::new(out);
        for (name, bytes) in [
            (MANIFEST, self.manifest_bytes.as_slice()),
            (RECORD, record.as_bytes()),
            (RECEIPT, receipt.as_bytes()),
        ] {
            tar.append_data(&mut self.header(bytes.len() as u64), name, bytes)?;
        }
        for (entry, source) in self.manifest.files.iter().zip(&self.sources) {
            let file = std::fs::File::open(source).map_err(|e| BuildError::Read {
                path: source.display().to_string(),
                source: e,
            })?;
            let mut reader = Hashing {
                inner: io::BufReader::with_capacity(CHUNK, file).take(entry.size),
                hasher: Sha256::new(),
                read: 0,
            };
            tar.append_data(&mut self.header(entry.size), &entry.path, &mut reader)?;
            if reader.read != entry.size || hex::encode(reader.hasher.finalize()) != entry.sha256 {
                return Err(BuildError::Changed(source.display().to_string()));
            }
        }
        Ok(tar.into_inner()?)
    }
}

/// Anchors the bundle's record through the platform's ledger (the same path as every anchored
/// act: outbox, sequencer, signed checkpoint) and waits for its receipt.
pub async fn anchor_in_ledger(
    ledger: &Ledger,
    who: &Who,
    prepared: &Prepared,
) -> crate::Result<Anchored> {
    let anchored = ledger.anchor(who, &prepared.record, None).await?;
    if anchored.receipt.is_none() {
        return Err(crate::AppError::LedgerPending);
    }
    Ok(anchored)
}

/// A log held in memory with a key from a seed: for tests and benchmarks, which need receipts
/// without a database. Never for real evidence: its key is not the deployment's.
pub struct ThrowawayLog {
    origin: String,
    signer: Ed25519NoteSigner,
    tree: MemoryTree,
}

impl ThrowawayLog {
    pub fn new(origin: &str, seed: [u8; 32]) -> anyhow::Result<Self> {
        Ok(Self {
            origin: origin.into(),
            signer: Ed25519NoteSigner::from_seed(origin, &seed)?,
            tree: MemoryTree::new(),
        })
    }

    pub fn vkey(&self) -> String {
        self.signer.vkey()
    }

    /// Appends the record and returns its leaf text and a receipt against a fresh checkpoint.
    pub fn anchor(&mut self, record: &LedgerRecord) -> anyhow::Result<(String, String)> {
        let leaf = String::from_utf8(record.canonical_bytes())?;
        let index = self.tree.append(leaf.as_bytes())?;
        let size = self.tree.size();
        let checkpoint =
            Checkpoint::new(&self.origin, size, self.tree.root()).sign(&[&self.signer])?;
        let proof = TlogProof {
            extra: None,
            index,
            inclusion_path: self.tree.inclusion_proof(index, size)?,
            checkpoint,
        };
        Ok((leaf, proof.encode()))
    }
}
