//! Compare-and-swap for `LocalFileSystem`, which refuses `PutMode::Update`.
//!
//! An exclusive `flock` on a lock file in the store root serialises every
//! CAS on the host (flock locks belong to the open file description, so two
//! opens conflict even inside one process). Under the lock the current etag
//! is compared with the expected one and the new object is renamed into
//! place with fsync; the lock is released when the file is closed.
//!
//! [`rename_cas_locked`] is the same swap for an object already written and
//! fsynced under a staging name (see `local_batch`): under the lock only
//! the rename and the directory sync remain.

use std::fs::{File, OpenOptions};
use std::path::PathBuf;

use super::local_batch::{StagedFile, io_error, sync_dir};

use bytes::Bytes;
use object_store::path::Path;
use object_store::{ObjectStoreExt, PutPayload, UpdateVersion};

use super::{LedgerStore, ObjectVersion, StorageError};

fn lock_file(path: PathBuf) -> Result<File, StorageError> {
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(StorageError::Lock)?;
    file.lock().map_err(StorageError::Lock)?;
    Ok(file)
}

fn join_error(e: tokio::task::JoinError) -> StorageError {
    StorageError::Join(e.to_string())
}

/// Whether the object at `p` is still at `expected` (absent: not there).
async fn still_at(
    store: &LedgerStore,
    p: &Path,
    expected: &ObjectVersion,
) -> Result<bool, StorageError> {
    let current = match store.inner.head(p).await {
        Ok(meta) => Some(meta.e_tag),
        Err(object_store::Error::NotFound { .. }) => None,
        Err(e) => return Err(StorageError::store(p, e)),
    };
    Ok(match (&expected.0, &current) {
        (None, None) => true,
        (Some(want), Some(have)) => want.e_tag.is_some() && want.e_tag == *have,
        _ => false,
    })
}

/// Takes the lock file, then checks that `path` is still at `expected`: the first half of
/// every compare-and-swap here. The lock is held while the returned file is open.
async fn lock_if_still_at(
    store: &LedgerStore,
    lock: PathBuf,
    path: &str,
    expected: &ObjectVersion,
) -> Result<(File, Path), StorageError> {
    let guard = tokio::task::spawn_blocking(move || lock_file(lock))
        .await
        .map_err(join_error)??;
    let p = Path::from(path);
    if !still_at(store, &p, expected).await? {
        return Err(StorageError::CasFailed(path.to_owned()));
    }
    Ok((guard, p))
}

/// Compare-and-swap with a `staged` object that is already durable under
/// its staging name: under the lock, compare, rename it over `path`, fsync
/// the directory. The new version is read back, as `LocalFileSystem`
/// derives etags from file metadata.
pub(super) async fn rename_cas_locked(
    store: &LedgerStore,
    lock: PathBuf,
    path: &str,
    staged: StagedFile,
    expected: &ObjectVersion,
) -> Result<ObjectVersion, StorageError> {
    let (guard, p) = lock_if_still_at(store, lock, path, expected).await?;
    let dest = match &store.cas {
        super::CasMode::LocalLockFile { fs, .. } => fs
            .path_to_filesystem(&p)
            .map_err(|e| StorageError::store(&p, e))?,
        super::CasMode::Native => return Err(StorageError::CasFailed(path.to_owned())),
    };
    let Some(from) = staged.take() else {
        return Err(StorageError::CasFailed(path.to_owned()));
    };
    let renamed = tokio::task::spawn_blocking(move || {
        if let Err(e) = std::fs::rename(&from, &dest) {
            let _ = std::fs::remove_file(&from);
            return Err(io_error(&dest, e));
        }
        match dest.parent() {
            Some(dir) => sync_dir(dir),
            None => Ok(()),
        }
    });
    renamed.await.map_err(join_error)??;
    let meta = store
        .inner
        .head(&p)
        .await
        .map_err(|e| StorageError::store(&p, e))?;
    // Closing the file releases the lock, only after the rename is durable.
    drop(guard);
    Ok(ObjectVersion(Some(UpdateVersion {
        e_tag: meta.e_tag,
        version: meta.version,
    })))
}

pub(super) async fn put_cas_locked(
    store: &LedgerStore,
    lock: PathBuf,
    path: &str,
    bytes: Bytes,
    expected: &ObjectVersion,
) -> Result<ObjectVersion, StorageError> {
    let (guard, p) = lock_if_still_at(store, lock, path, expected).await?;
    let result = store
        .inner
        .put(&p, PutPayload::from(bytes))
        .await
        .map_err(|e| StorageError::store(&p, e))?;
    // Closing the file releases the lock, only after the rename is durable.
    drop(guard);
    Ok(ObjectVersion(Some(UpdateVersion::from(result))))
}

#[cfg(test)]
mod tests {
    use super::super::PreparedPut;
    use super::*;

    async fn prepare(store: &LedgerStore, data: &str, state: &str) -> PreparedPut {
        let writes = [(data.to_owned(), Bytes::from("d"))];
        let (conflicts, prepared) = store
            .put_once_all_preparing(&writes, Some(("state/s", Bytes::from(state.to_owned()))))
            .await
            .unwrap();
        assert!(conflicts.is_empty());
        prepared
    }

    #[tokio::test]
    async fn a_prepared_state_appears_only_through_its_compare_and_swap() {
        let dir = tempfile::tempdir().unwrap();
        let store = LedgerStore::local(dir.path()).unwrap();
        let absent = ObjectVersion::absent();

        let prepared = prepare(&store, "tile/0/000", "1").await;
        assert_eq!(store.get("state/s").await.unwrap(), None);
        let v1 = store
            .put_cas_prepared("state/s", "1".into(), prepared, &absent)
            .await
            .unwrap();
        let (bytes, read) = store.get_versioned("state/s").await.unwrap().unwrap();
        assert_eq!(bytes, "1");
        assert!(read.same_as(&v1), "the returned version is the stored one");

        let stale = prepare(&store, "tile/0/001", "2").await;
        let refused = store
            .put_cas_prepared("state/s", "2".into(), stale, &absent)
            .await;
        assert!(matches!(refused, Err(StorageError::CasFailed(_))));
        assert_eq!(store.get("state/s").await.unwrap().unwrap(), "1");
        let names = std::fs::read_dir(dir.path().join("state")).unwrap().count();
        assert_eq!(names, 1, "the refused staging file is gone");

        let next = prepare(&store, "tile/0/002", "3").await;
        store
            .put_cas_prepared("state/s", "3".into(), next, &v1)
            .await
            .unwrap();
        assert_eq!(store.get("state/s").await.unwrap().unwrap(), "3");
    }
}
