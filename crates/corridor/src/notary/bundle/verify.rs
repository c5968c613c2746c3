//! Checking a bundle offline, in one streaming pass: the three metadata entries are read into
//! memory (at most [`METADATA_LIMIT`] each), the receipt is checked with the log's key, then every
//! evidence file is hashed as it streams past with a [`CHUNK`]-sized buffer. Memory stays small
//! whatever the bundle's size, and the speed is that of the disk or of SHA-256, whichever is
//! slower.
//!
//! Outcomes: valid; not valid — a file changed, was added or removed, the manifest or record
//! changed, or the receipt is not signed by the given key (exit 1 on the CLI, naming the files);
//! unreadable — not a tar archive, truncated, not a Corridor bundle, or a key that cannot be read
//! (exit 2).

use std::cell::Cell;
use std::collections::HashMap;
use std::io::{self, BufReader, Read};
use std::path::Path;
use std::rc::Rc;

use corridor_ledger::receipt::ReceiptVerdict;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::build::CHUNK;
use super::{
    MANIFEST, MANIFEST_ROLE, METADATA_LIMIT, Manifest, ManifestFile, RECEIPT, RECORD, RECORD_KIND,
};
use crate::anchoring::record::LedgerRecord;
use crate::anchoring::verify::check;

/// A bundle that verified.
#[derive(Debug, Serialize)]
pub struct Outcome {
    pub subject: String,
    pub created_at: String,
    pub receipt: ReceiptVerdict,
    pub files: Vec<ManifestFile>,
}

/// An entry that is not as anchored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Altered {
    /// The entry's path in the archive.
    pub path: String,
    /// `content` (bytes or size differ), `added` (not in the manifest), `missing`, `duplicate`,
    /// or for the metadata entries `manifest` / `record`.
    pub change: &'static str,
}

impl Altered {
    fn new(path: &str, change: &'static str) -> Self {
        Self {
            path: path.to_string(),
            change,
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum Problem {
    /// The bundle is not what was anchored under this key. `altered` names the entries that
    /// changed, appeared or went missing (empty when the receipt itself fails, e.g. another key).
    NotValid {
        altered: Vec<Altered>,
        reason: String,
    },
    /// The input cannot be read as a bundle.
    Unreadable(String),
}

impl Problem {
    pub fn exit_code(&self) -> u8 {
        match self {
            Problem::NotValid { .. } => 1,
            Problem::Unreadable(_) => 2,
        }
    }

    fn altered(files: Vec<Altered>, reason: impl Into<String>) -> Self {
        Problem::NotValid {
            altered: files,
            reason: reason.into(),
        }
    }
}

fn unreadable(what: impl std::fmt::Display) -> Problem {
    Problem::Unreadable(what.to_string())
}

/// Remembers whether the archive's reader ever came to the end of its input: a complete tar ends
/// with a zero block, which the reader stops at, so reaching the end means the archive was cut.
struct EndSeen<R> {
    inner: R,
    seen: Rc<Cell<bool>>,
}

impl<R: Read> Read for EndSeen<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            self.seen.set(true);
        }
        Ok(n)
    }
}

fn hash_entry(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<(u64, String)> {
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    loop {
        let n = reader.read(buf)?;
        if n == 0 {
            return Ok((size, hex::encode(hasher.finalize())));
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
}

/// Longest GNU long name accepted (the builder's paths are at most 1,000 bytes).
const LONG_NAME_LIMIT: u64 = 4096;

/// The next entry and its full path. The archive is read raw and GNU long-name entries (which
/// the builder writes for paths over 100 bytes) are resolved here with a size cap: the tar crate
/// would read an extension entry of any size into memory, and a verifier must not trust the
/// bundle it checks. Other extension entries are not part of the format.
fn next_entry<'a, R: Read>(
    entries: &mut tar::Entries<'a, R>,
) -> Option<Result<(tar::Entry<'a, R>, String), Problem>> {
    let mut long_name: Option<Vec<u8>> = None;
    loop {
        let mut entry = match entries.next()? {
            Ok(entry) => entry,
            Err(e) => return Some(Err(unreadable(e))),
        };
        let kind = entry.header().entry_type();
        if kind.is_gnu_longname() {
            if entry.size() > LONG_NAME_LIMIT {
                return Some(Err(unreadable(format!(
                    "a long file name is larger than {LONG_NAME_LIMIT} bytes"
                ))));
            }
            let mut name = Vec::new();
            if let Err(e) = entry.read_to_end(&mut name) {
                return Some(Err(unreadable(e)));
            }
            while name.last() == Some(&0) {
                name.pop();
            }
            long_name = Some(name);
            continue;
        }
        if kind.is_gnu_longlink()
            || kind.is_pax_local_extensions()
            || kind.is_pax_global_extensions()
        {
            return Some(Err(unreadable(
                "extension entries other than GNU long names are not part of a bundle",
            )));
        }
        let path = match long_name.take() {
            Some(name) => String::from_utf8_lossy(&name).into_owned(),
            None => String::from_utf8_lossy(&entry.path_bytes()).into_owned(),
        };
        return Some(Ok((entry, path)));
    }
}

fn metadata<R: Read>(
    entries: &mut tar::Entries<'_, R>,
    expected: &str,
) -> Result<Vec<u8>, Problem> {
    let not_ours = || {
        unreadable(format!(
            "not a Corridor evidence bundle: it must begin with {MANIFEST}, {RECORD} and {RECEIPT} (missing {expected})"
        ))
    };
    let (mut entry, path) = next_entry(entries).ok_or_else(not_ours)??;
    if path != expected {
        return Err(not_ours());
    }
    let size = entry.size();
    if size > METADATA_LIMIT {
        return Err(unreadable(format!(
            "{expected} is larger than {METADATA_LIMIT} bytes"
        )));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    entry.read_to_end(&mut bytes).map_err(unreadable)?;
    if bytes.len() as u64 != size {
        return Err(unreadable(format!(
            "the archive is truncated (in {expected})"
        )));
    }
    Ok(bytes)
}

/// Verifies the bundle at `path`.
pub fn verify_path(
    path: &Path,
    vkey: &str,
    witnesses: &[String],
    quorum: usize,
) -> Result<Outcome, Problem> {
    let file =
        std::fs::File::open(path).map_err(|e| unreadable(format!("{}: {e}", path.display())))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(unreadable(format!("{} is a directory", path.display())));
    }
    verify_bundle(file, vkey, witnesses, quorum)
}

/// Verifies a bundle read from `input` against the log's verifier key (and, with `quorum` > 0,
/// cosignatures of the given witnesses).
pub fn verify_bundle(
    input: impl Read,
    vkey: &str,
    witnesses: &[String],
    quorum: usize,
) -> Result<Outcome, Problem> {
    let ended = Rc::new(Cell::new(false));
    let mut archive = tar::Archive::new(EndSeen {
        inner: BufReader::with_capacity(CHUNK, input),
        seen: ended.clone(),
    });
    let mut entries = archive.entries().map_err(unreadable)?.raw(true);
    let manifest_bytes = metadata(&mut entries, MANIFEST)?;
    let record = metadata(&mut entries, RECORD)?;
    let receipt = metadata(&mut entries, RECEIPT)?;
    let receipt =
        String::from_utf8(receipt).map_err(|_| unreadable(format!("{RECEIPT} is not text")))?;

    let verified = check(
        vkey,
        witnesses,
        quorum,
        &receipt,
        &record,
        &[(MANIFEST.to_string(), manifest_bytes.clone())],
    )
    .map_err(|f| match f.code {
        _ if f.unreadable => unreadable(format!("{}: {}", f.code, f.detail)),
        "file_not_in_record" => Problem::altered(
            vec![Altered::new(MANIFEST, "manifest")],
            "manifest.json is not the manifest the record anchors",
        ),
        "not_included" => Problem::altered(
            vec![Altered::new(RECORD, "record")],
            format!("{RECORD} is not in the log under {RECEIPT}: {}", f.detail),
        ),
        "record_unreadable" => unreadable(format!("{RECORD} is not a Corridor ledger record")),
        // Signed by another key, a bad checkpoint, too few witnesses: not proven by this log.
        _ => Problem::altered(vec![], format!("{}: {}", f.code, f.detail)),
    })?;
    let leaf = LedgerRecord::parse(&record).map_err(|e| unreadable(format!("{RECORD}: {e}")))?;
    if leaf.kind != RECORD_KIND || verified.files.iter().any(|(_, role)| role != MANIFEST_ROLE) {
        return Err(Problem::altered(
            vec![Altered::new(RECORD, "record")],
            format!("{RECORD} does not anchor an evidence bundle's manifest"),
        ));
    }
    let manifest: Manifest = serde_json::from_slice(&manifest_bytes)
        .map_err(|e| unreadable(format!("{MANIFEST}: {e}")))?;
    manifest
        .check()
        .map_err(|e| unreadable(format!("{MANIFEST}: {e}")))?;
    if manifest.subject != leaf.subject {
        return Err(Problem::altered(
            vec![Altered::new(MANIFEST, "manifest")],
            "the manifest's subject is not the record's",
        ));
    }

    let index: HashMap<&str, usize> = manifest
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.path.as_str(), i))
        .collect();
    let mut seen = vec![false; manifest.files.len()];
    let mut altered = Vec::new();
    let mut buf = vec![0u8; CHUNK];
    while let Some(next) = next_entry(&mut entries) {
        let (mut entry, path) = next?;
        let regular = entry.header().entry_type().is_file();
        let Some(&i) = index.get(path.as_str()).filter(|_| regular) else {
            altered.push(Altered::new(&path, "added"));
            continue;
        };
        if std::mem::replace(&mut seen[i], true) {
            altered.push(Altered::new(&path, "duplicate"));
            continue;
        }
        let header_size = entry.size();
        let (size, sha256) = hash_entry(&mut entry, &mut buf).map_err(unreadable)?;
        if size != header_size {
            return Err(unreadable(format!("the archive is truncated (in {path})")));
        }
        let want = &manifest.files[i];
        if size != want.size || sha256 != want.sha256 {
            altered.push(Altered::new(&path, "content"));
        }
    }
    if ended.get() {
        return Err(unreadable(
            "the archive is truncated (no end-of-archive marker)",
        ));
    }
    for (f, seen) in manifest.files.iter().zip(&seen) {
        if !seen {
            altered.push(Altered::new(&f.path, "missing"));
        }
    }
    if !altered.is_empty() {
        let named: Vec<String> = altered
            .iter()
            .map(|a| format!("{} ({})", a.path, a.change))
            .collect();
        let reason = format!("altered: {}", named.join(", "));
        return Err(Problem::altered(altered, reason));
    }
    Ok(Outcome {
        subject: manifest.subject,
        created_at: manifest.created_at,
        receipt: verified.receipt,
        files: manifest.files,
    })
}
