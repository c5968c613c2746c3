//! Single-writer enforcement.
//!
//! A log must have exactly one sequencer: two would assign the same index
//! to different entries. The state CAS catches a second writer at its next
//! commit, but only after it has written tiles; a writer lock keeps it from
//! starting at all. One node: [`FileWriterLock`]. Several nodes sharing an
//! object store: hold an external lock (e.g. a PostgreSQL session advisory
//! lock, `pg_try_advisory_lock`) and implement [`WriterLock`] over it, so
//! the sequencer stops committing as soon as the lock is lost.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::path::Path;

/// A lock held for the lifetime of a sequencer. Checked before every state
/// write; an error stops the commit and fails the batch.
pub trait WriterLock: Send + Sync + fmt::Debug {
    /// `Ok` while this process still holds the lock. Must not block for
    /// long (it runs on the commit path): keep the answer in an atomic
    /// updated by the task that keeps the external lock alive.
    fn check(&self) -> Result<(), String>;
}

/// An exclusive `flock` on a file, held until this value is dropped. Only
/// protects against writers on the same host (flock is not reliable over
/// NFS).
#[derive(Debug)]
pub struct FileWriterLock {
    _file: File,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("another process holds the writer lock {0}")]
    Held(String),
    #[error("cannot open writer lock {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl FileWriterLock {
    /// Takes the lock without waiting.
    pub fn acquire(path: impl AsRef<Path>) -> Result<Self, LockError> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(|source| LockError::Io {
                path: shown.clone(),
                source,
            })?;
        match file.try_lock() {
            Ok(()) => Ok(Self { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(LockError::Held(shown)),
            Err(std::fs::TryLockError::Error(source)) => Err(LockError::Io {
                path: shown,
                source,
            }),
        }
    }
}

impl WriterLock for FileWriterLock {
    fn check(&self) -> Result<(), String> {
        // Held for as long as the file is open, i.e. as long as `self` lives.
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_until_the_first_drops() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("writer.lock");
        let first = FileWriterLock::acquire(&path).unwrap();
        assert!(matches!(
            FileWriterLock::acquire(&path),
            Err(LockError::Held(_))
        ));
        drop(first);
        assert!(FileWriterLock::acquire(&path).is_ok());
    }
}
