//! Compare-and-swap for `LocalFileSystem`, which refuses `PutMode::Update`.
//!
//! An exclusive `flock` on a lock file in the store root serialises every
//! CAS on the host (flock locks belong to the open file description, so two
//! opens conflict even inside one process). Under the lock the current etag
//! is compared with the expected one and the new object is renamed into
//! place with fsync; the lock is released when the file is closed.

use std::fs::{File, OpenOptions};
use std::path::PathBuf;

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

pub(super) async fn put_cas_locked(
    store: &LedgerStore,
    lock: PathBuf,
    path: &str,
    bytes: Bytes,
    expected: &ObjectVersion,
) -> Result<ObjectVersion, StorageError> {
    let guard = tokio::task::spawn_blocking(move || lock_file(lock))
        .await
        .map_err(|e| StorageError::Join(e.to_string()))??;
    let p = Path::from(path);
    let current = match store.inner.head(&p).await {
        Ok(meta) => Some(meta.e_tag),
        Err(object_store::Error::NotFound { .. }) => None,
        Err(e) => return Err(StorageError::store(&p, e)),
    };
    let matches = match (&expected.0, &current) {
        (None, None) => true,
        (Some(want), Some(have)) => want.e_tag.is_some() && want.e_tag == *have,
        _ => false,
    };
    if !matches {
        return Err(StorageError::CasFailed(path.to_owned()));
    }
    let result = store
        .inner
        .put(&p, PutPayload::from(bytes))
        .await
        .map_err(|e| StorageError::store(&p, e))?;
    // Closing the file releases the lock, only after the rename is durable.
    drop(guard);
    Ok(ObjectVersion(Some(UpdateVersion::from(result))))
}
