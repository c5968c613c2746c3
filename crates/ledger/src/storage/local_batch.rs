//! Durable write-once of a whole batch of objects on the local filesystem,
//! with far fewer flushes than one `put` per object.
//!
//! `LocalFileSystem::with_fsync(true)` makes each PUT durable on its own:
//! fsync the file, link it into place, fsync its directory. A commit of
//! the sequencer writes two new files per 256 entries (bundle and level-0
//! tile) plus the partial tiles, nearly all into the same two or three
//! directories, so per-object durability costs two flush rounds per file
//! and a directory sync per file where one per directory would do.
//!
//! Here the whole batch is made durable together, in an order that keeps
//! the per-object guarantee:
//!
//! 1. every object is written under a staging name (`<name>#<digits>`,
//!    which `LocalFileSystem` never lists) and fsynced, all concurrently,
//!    so the filesystem can fold the syncs into one journal commit;
//! 2. only then is each hard-linked to its name (failing if the name
//!    exists: write-once), so a name never points at data that a power cut
//!    could still lose;
//! 3. every directory that gained an entry is fsynced once.
//!
//! The call returns after step 3: an object reported written is durable,
//! exactly the contract of [`super::LedgerStore::put_once`].
//!
//! A batch may also carry the object its commit will compare-and-swap (the
//! sequencer's state): it is written and fsynced in step 1 with the others
//! but *not* put in place. It comes back as a [`StagedFile`] that
//! `cas::rename_cas_locked` later renames over the current object, once
//! the batch's objects are durable and only if the current object is still
//! the expected version. Until then it is an unlisted staging file; a
//! crash leaves it behind like any other, and it never becomes visible.

use std::collections::BTreeSet;
use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use futures_util::future::try_join_all;

use super::StorageError;

/// What became of one object of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Outcome {
    /// Written now, or already there with exactly these bytes (a retry).
    Written,
    /// The name already holds other bytes; nothing was changed.
    Conflict,
}

/// An object written and fsynced under a staging name, not yet in place.
/// Dropped unused, it removes its staging file.
#[derive(Debug)]
pub(crate) struct StagedFile {
    staged: Option<PathBuf>,
}

impl StagedFile {
    /// The staging file, now the caller's to rename or remove.
    pub(super) fn take(mut self) -> Option<PathBuf> {
        self.staged.take()
    }
}

impl Drop for StagedFile {
    fn drop(&mut self) {
        if let Some(staged) = self.staged.take() {
            let _ = std::fs::remove_file(staged);
        }
    }
}

/// One object of the batch after step 1.
struct Staged {
    dest: PathBuf,
    staged: PathBuf,
    /// Directories this object's staging had to create.
    created: Vec<PathBuf>,
}

pub(super) fn io_error(path: &Path, source: std::io::Error) -> StorageError {
    StorageError::LocalIo {
        path: path.display().to_string(),
        source,
    }
}

fn join_error(e: tokio::task::JoinError) -> StorageError {
    StorageError::Join(e.to_string())
}

/// Writes `targets` (absolute file paths) write-once and durably; see the
/// module docs. The outcomes are in the order of `targets`. An error means
/// nothing about the batch can be assumed durable, although some objects
/// may have been created: like any failed write, the sequencer treats them
/// as leftovers of an uncommitted batch.
///
/// `prepare`, if given, is staged and fsynced along with `targets` and
/// returned unlinked (see the module docs); the directories its staging
/// created are synced in step 3.
pub(super) async fn put_once_all(
    targets: Vec<(PathBuf, Bytes)>,
    prepare: Option<(PathBuf, Bytes)>,
) -> Result<(Vec<Outcome>, Option<StagedFile>), StorageError> {
    if targets.is_empty() && prepare.is_none() {
        return Ok((Vec::new(), None));
    }
    let staging = targets.iter().chain(&prepare).map(|(dest, bytes)| {
        let (dest, bytes) = (dest.clone(), bytes.clone());
        tokio::task::spawn_blocking(move || stage(dest, &bytes))
    });
    let mut staged = try_join_all(staging).await.map_err(join_error)?;
    let prepared = match prepare {
        Some(_) => staged.pop(),
        None => None,
    };
    let prepared = match prepared {
        Some(Ok(item)) => Some(item),
        Some(Err(e)) => {
            for item in staged.into_iter().flatten() {
                let _ = std::fs::remove_file(&item.staged);
            }
            return Err(e);
        }
        None => None,
    };
    let prepared_dirs: Vec<PathBuf> = prepared
        .iter()
        .flat_map(|item| item.created.iter().filter_map(|d| d.parent()))
        .map(Path::to_owned)
        .collect();
    let prepared = prepared.map(|item| StagedFile {
        staged: Some(item.staged),
    });
    let mut ok = Vec::with_capacity(staged.len());
    let mut failure = None;
    for result in staged {
        match result {
            Ok(item) => ok.push(item),
            Err(e) => failure = failure.or(Some(e)),
        }
    }
    if let Some(e) = failure {
        // Staging files are never listed, but need not pile up.
        for item in ok {
            let _ = std::fs::remove_file(&item.staged);
        }
        return Err(e);
    }
    let staged = ok;
    let (outcomes, mut dirs) = tokio::task::spawn_blocking(move || link(staged, targets))
        .await
        .map_err(join_error)??;
    dirs.extend(prepared_dirs);
    // Concurrently, like the files: a small batch touches as many
    // directories (bundles, and tiles of each level) as it writes files.
    let syncs = dirs
        .into_iter()
        .map(|dir| tokio::task::spawn_blocking(move || sync_dir(&dir)));
    for synced in try_join_all(syncs).await.map_err(join_error)? {
        synced?;
    }
    Ok((outcomes, prepared))
}

/// A process-wide counter keeps concurrent stagings of one name apart.
static NEXT_STAGING: AtomicU64 = AtomicU64::new(1);

/// Step 1 for one object: create a fresh staging file, write, fsync, close.
fn stage(dest: PathBuf, bytes: &[u8]) -> Result<Staged, StorageError> {
    let mut created = Vec::new();
    let (mut file, staged) = loop {
        let n = NEXT_STAGING.fetch_add(1, Ordering::Relaxed);
        let staged = staging_path(&dest, n);
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&staged)
        {
            Ok(file) => break (file, staged),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) if e.kind() == ErrorKind::NotFound => match dest.parent() {
                Some(dir) => create_dirs(dir, &mut created)?,
                None => return Err(io_error(&staged, e)),
            },
            Err(e) => return Err(io_error(&staged, e)),
        }
    };
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if let Err(e) = written {
        drop(file);
        let _ = std::fs::remove_file(&staged);
        return Err(io_error(&staged, e));
    }
    Ok(Staged {
        dest,
        staged,
        created,
    })
}

/// `<dest>#<n>`: the staging names `LocalFileSystem` itself uses, so a
/// leftover staging file is never listed as an object.
fn staging_path(dest: &Path, n: u64) -> PathBuf {
    let mut name = dest.as_os_str().to_owned();
    name.push(format!("#{n}"));
    name.into()
}

/// `create_dir_all` that records the directories it created: their
/// parents gained an entry and must be synced too.
fn create_dirs(dir: &Path, created: &mut Vec<PathBuf>) -> Result<(), StorageError> {
    match std::fs::create_dir(dir) {
        Ok(()) => {
            created.push(dir.to_owned());
            Ok(())
        }
        // Another object of the batch may have created it meanwhile; that
        // object's staging recorded it.
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(()),
        Err(e) if e.kind() == ErrorKind::NotFound => match dir.parent() {
            Some(parent) => {
                create_dirs(parent, created)?;
                create_dirs(dir, created)
            }
            None => Err(io_error(dir, e)),
        },
        Err(e) => Err(io_error(dir, e)),
    }
}

/// Step 2: links every staged file to its name. Returns the outcomes and
/// the directories that changed, for step 3.
fn link(
    staged: Vec<Staged>,
    targets: Vec<(PathBuf, Bytes)>,
) -> Result<(Vec<Outcome>, BTreeSet<PathBuf>), StorageError> {
    let mut dirs = BTreeSet::new();
    let mut outcomes = Vec::with_capacity(staged.len());
    let mut failure = None;
    for (item, (_, bytes)) in staged.iter().zip(&targets) {
        for dir in &item.created {
            dirs.extend(dir.parent().map(Path::to_owned));
        }
        let outcome = match std::fs::hard_link(&item.staged, &item.dest) {
            Ok(()) => Ok(Outcome::Written),
            Err(e) if e.kind() == ErrorKind::AlreadyExists => existing(&item.dest, bytes),
            Err(e) => Err(io_error(&item.dest, e)),
        };
        let _ = std::fs::remove_file(&item.staged);
        match outcome {
            Ok(o) => {
                if o == Outcome::Written {
                    dirs.extend(item.dest.parent().map(Path::to_owned));
                }
                outcomes.push(o);
            }
            // Keep going so every staging file is removed.
            Err(e) => failure = failure.or(Some(e)),
        }
    }
    match failure {
        Some(e) => Err(e),
        None => Ok((outcomes, dirs)),
    }
}

/// A name that already exists: an idempotent retry if it holds exactly
/// `bytes`. Such a file may come from a run that died before syncing it,
/// so it is synced (its directory is, in step 3) before it counts.
fn existing(dest: &Path, bytes: &[u8]) -> Result<Outcome, StorageError> {
    let current = std::fs::read(dest).map_err(|e| io_error(dest, e))?;
    if current != bytes {
        return Ok(Outcome::Conflict);
    }
    File::open(dest)
        .and_then(|f| f.sync_all())
        .map_err(|e| io_error(dest, e))?;
    Ok(Outcome::Written)
}

/// Makes a directory's entries durable. Directories cannot be opened and
/// synced portably outside unix; there, as in `LocalFileSystem`, the
/// renames and links are as durable as the platform makes them.
pub(super) fn sync_dir(dir: &Path) -> Result<(), StorageError> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| io_error(dir, e))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(s: &str) -> Bytes {
        Bytes::from(s.to_owned())
    }

    #[tokio::test]
    async fn a_batch_creates_every_object_and_its_directories() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("tile/0/x001/234");
        let b = dir.path().join("tile/entries/x001/234");
        let c = dir.path().join("tile/0/x001/235");
        let (got, _) = put_once_all(
            vec![
                (a.clone(), bytes("a")),
                (b.clone(), bytes("b")),
                (c.clone(), bytes("c")),
            ],
            None,
        )
        .await
        .unwrap();
        assert_eq!(got, vec![Outcome::Written; 3]);
        assert_eq!(std::fs::read(&a).unwrap(), b"a");
        assert_eq!(std::fs::read(&b).unwrap(), b"b");
        assert_eq!(std::fs::read(&c).unwrap(), b"c");
        // No staging file is left behind.
        let left = std::fs::read_dir(a.parent().unwrap()).unwrap().count();
        assert_eq!(left, 2);
    }

    #[tokio::test]
    async fn an_existing_object_is_a_retry_if_equal_and_a_conflict_otherwise() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("x/a");
        let b = dir.path().join("x/b");
        put_once_all(vec![(a.clone(), bytes("a")), (b.clone(), bytes("b"))], None)
            .await
            .unwrap();
        let (got, _) = put_once_all(
            vec![(a.clone(), bytes("a")), (b.clone(), bytes("other"))],
            None,
        )
        .await
        .unwrap();
        assert_eq!(got, vec![Outcome::Written, Outcome::Conflict]);
        assert_eq!(
            std::fs::read(&b).unwrap(),
            b"b",
            "a conflict never overwrites"
        );
    }

    #[tokio::test]
    async fn a_prepared_object_is_staged_durably_but_never_put_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("tile/0/000");
        let state = dir.path().join("state/state");
        let (_, prepared) = put_once_all(
            vec![(a.clone(), bytes("a"))],
            Some((state.clone(), bytes("s"))),
        )
        .await
        .unwrap();
        assert!(
            !state.exists(),
            "only the compare-and-swap puts it in place"
        );
        let staged = prepared.unwrap().take().unwrap();
        assert_eq!(std::fs::read(&staged).unwrap(), b"s");
        assert!(staged.starts_with(state.parent().unwrap()));

        let (_, unused) = put_once_all(vec![], Some((state.clone(), bytes("t"))))
            .await
            .unwrap();
        drop(unused);
        let left = std::fs::read_dir(state.parent().unwrap()).unwrap().count();
        assert_eq!(left, 1, "an unused staging file is removed when dropped");
    }

    #[test]
    fn staging_names_are_ones_object_store_never_lists() {
        let p = staging_path(Path::new("/r/tile/0/001"), 42);
        assert_eq!(p, Path::new("/r/tile/0/001#42"));
    }
}
