//! Document content in object storage, stored once per SHA-256 under `blobs/<sha256>`.
//!
//! An upload streams into a temporary object while its hash and size are computed, so memory
//! stays flat whatever the size; only when it is complete (and within the limit) is it moved
//! under its hash. A cut-off or oversize upload leaves no blob and no row. A temporary object
//! left by a crash is never referenced and can be swept (`tmp/`).

use std::sync::Arc;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures_util::stream::BoxStream;
use futures_util::{Stream, StreamExt};
use object_store::path::Path;
use object_store::{GetResultPayload, ObjectStore, ObjectStoreExt, WriteMultipart};
use sha2::{Digest, Sha256};

use crate::config::Settings;

#[derive(Clone, Debug)]
pub struct Files {
    store: Arc<dyn ObjectStore>,
    pub limit_bytes: u64,
}

/// A completed upload, still under its temporary name.
#[derive(Debug)]
pub struct Staged {
    tmp: Path,
    pub sha256: String,
    pub size: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("the upload is larger than {0} bytes")]
    TooLarge(u64),
    #[error("the upload was cut off: {0}")]
    Interrupted(String),
    #[error("object store: {0}")]
    Store(#[from] object_store::Error),
}

impl From<UploadError> for crate::AppError {
    fn from(err: UploadError) -> Self {
        use axum::http::StatusCode;
        match err {
            UploadError::TooLarge(limit) => crate::AppError::Unreadable {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                detail: format!("the limit is {} MiB", limit / (1024 * 1024)),
            },
            UploadError::Interrupted(detail) => crate::AppError::Unreadable {
                status: StatusCode::BAD_REQUEST,
                detail,
            },
            UploadError::Store(e) => crate::AppError::Internal(e.into()),
        }
    }
}

fn blob_path(sha256: &str) -> Path {
    Path::from(format!("blobs/{sha256}"))
}

impl Files {
    pub fn open(settings: &Settings) -> anyhow::Result<Self> {
        let location = crate::objects::Location::from_settings(settings)?;
        Ok(Self {
            store: location.open("documents")?,
            limit_bytes: settings.upload_limit_bytes(),
        })
    }

    pub fn with_store(store: Arc<dyn ObjectStore>, limit_bytes: u64) -> Self {
        Self { store, limit_bytes }
    }

    /// Streams `body` into a temporary object, hashing as it goes. Over the limit, or cut off,
    /// the partial object is removed and an error says which.
    pub async fn stage<S, E>(&self, body: S) -> Result<Staged, UploadError>
    where
        S: Stream<Item = Result<Bytes, E>>,
        E: std::fmt::Display,
    {
        let tmp = Path::from(format!("tmp/{}", crate::ids::new_id()));
        let upload = self.store.put_multipart(&tmp).await?;
        let mut writer = WriteMultipart::new(upload);
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        let mut body = std::pin::pin!(body);
        let failure = loop {
            match body.next().await {
                None => break None,
                Some(Err(e)) => break Some(UploadError::Interrupted(e.to_string())),
                Some(Ok(chunk)) => {
                    size += chunk.len() as u64;
                    if size > self.limit_bytes {
                        break Some(UploadError::TooLarge(self.limit_bytes));
                    }
                    hasher.update(&chunk);
                    // Back-pressure: at most a few parts in flight, so memory stays bounded.
                    if let Err(e) = writer.wait_for_capacity(4).await {
                        break Some(UploadError::Store(e));
                    }
                    writer.put(chunk);
                }
            }
        };
        if let Some(err) = failure {
            let _ = writer.abort().await;
            let _ = self.store.delete(&tmp).await;
            return Err(err);
        }
        writer.finish().await?;
        Ok(Staged {
            tmp,
            sha256: hex::encode(hasher.finalize()),
            size,
        })
    }

    /// Moves a staged upload under its hash; if that content is stored already, the copy
    /// is dropped (same hash, same bytes).
    pub async fn commit(&self, staged: &Staged) -> Result<(), UploadError> {
        let target = blob_path(&staged.sha256);
        match self.store.head(&target).await {
            Ok(_) => {
                self.store.delete(&staged.tmp).await?;
            }
            Err(object_store::Error::NotFound { .. }) => {
                self.store.rename(&staged.tmp, &target).await?;
            }
            Err(e) => return Err(e.into()),
        }
        Ok(())
    }

    /// Drops a staged upload that will not be filed.
    pub async fn discard(&self, staged: &Staged) {
        let _ = self.store.delete(&staged.tmp).await;
    }

    /// The content as a stream of chunks.
    ///
    /// From a local folder the file is read in 256 KiB chunks: `GetResult::into_stream` reads
    /// 8 KiB per blocking-pool round trip, which caps a download near 100 MB/s.
    pub async fn open_blob(
        &self,
        sha256: &str,
    ) -> Result<BoxStream<'static, Result<Bytes, object_store::Error>>, object_store::Error> {
        let got = self.store.get(&blob_path(sha256)).await?;
        Ok(match got.payload {
            GetResultPayload::File(file, path) => read_file(file, path, got.range),
            GetResultPayload::Stream(stream) => stream,
        })
    }

    /// Whether a blob is stored (tests and the benchmark check that nothing is left behind).
    pub async fn has_blob(&self, sha256: &str) -> bool {
        self.store.head(&blob_path(sha256)).await.is_ok()
    }

    /// Removes temporary objects last written before `before`: uploads a node that died
    /// mid-request left behind. A live upload is moved or removed within its request, so a
    /// cut-off well past the request timeout never touches one. Returns how many went.
    pub async fn sweep_staged(&self, before: DateTime<Utc>) -> Result<u64, object_store::Error> {
        let prefix = Path::from("tmp");
        let mut listed = self.store.list(Some(&prefix));
        let mut removed = 0;
        while let Some(meta) = listed.next().await {
            let meta = meta?;
            if meta.last_modified < before {
                match self.store.delete(&meta.location).await {
                    // Another node's sweep was first: the object is gone all the same.
                    Ok(()) | Err(object_store::Error::NotFound { .. }) => removed += 1,
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(removed)
    }

    /// Number of temporary objects (a finished or failed upload leaves none).
    pub async fn staged_count(&self) -> usize {
        let prefix = Path::from("tmp");
        self.store.list(Some(&prefix)).count().await
    }
}

/// Reads `range` of a local file in `READ_CHUNK` pieces on the blocking pool; one chunk is in
/// hand at a time, so memory stays flat.
fn read_file(
    file: std::fs::File,
    path: std::path::PathBuf,
    range: std::ops::Range<u64>,
) -> BoxStream<'static, Result<Bytes, object_store::Error>> {
    const READ_CHUNK: u64 = 256 * 1024;
    let failed = |path: &std::path::Path, e: std::io::Error| object_store::Error::Generic {
        store: "LocalFileSystem",
        source: format!("reading {}: {e}", path.display()).into(),
    };
    futures_util::stream::try_unfold(
        (file, path, range.start, range.end),
        move |(mut file, path, at, end)| async move {
            if at >= end {
                return Ok(None);
            }
            tokio::task::spawn_blocking(move || {
                use std::io::{Read, Seek, SeekFrom};
                let want = (end - at).min(READ_CHUNK);
                let mut buffer = Vec::with_capacity(want as usize);
                let read = file
                    .seek(SeekFrom::Start(at))
                    .and_then(|_| (&mut file).take(want).read_to_end(&mut buffer))
                    .map_err(|e| failed(&path, e))?;
                if read == 0 {
                    return Err(failed(
                        &path,
                        std::io::Error::from(std::io::ErrorKind::UnexpectedEof),
                    ));
                }
                Ok(Some((
                    Bytes::from(buffer),
                    (file, path, at + read as u64, end),
                )))
            })
            .await
            .map_err(|e| object_store::Error::JoinError { source: e })?
        },
    )
    .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use object_store::memory::InMemory;

    fn chunks(parts: Vec<&'static [u8]>) -> impl Stream<Item = Result<Bytes, std::io::Error>> {
        futures_util::stream::iter(parts.into_iter().map(|p| Ok(Bytes::from_static(p))))
    }

    #[tokio::test]
    async fn content_is_stored_once_under_its_hash() {
        let files = Files::with_store(Arc::new(InMemory::new()), 1024);
        let a = files
            .stage(chunks(vec![b"hello ", b"world"]))
            .await
            .unwrap();
        assert_eq!(
            a.sha256,
            "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
        );
        assert_eq!(a.size, 11);
        files.commit(&a).await.unwrap();
        let b = files.stage(chunks(vec![b"hello world"])).await.unwrap();
        files.commit(&b).await.unwrap();
        assert!(files.has_blob(&a.sha256).await);
        assert_eq!(files.staged_count().await, 0);
        let read: Vec<Bytes> = files
            .open_blob(&a.sha256)
            .await
            .unwrap()
            .map(|c| c.unwrap())
            .collect()
            .await;
        assert_eq!(read.concat(), b"hello world");
    }

    #[tokio::test]
    async fn a_local_blob_reads_back_whole_in_large_chunks() {
        let dir = tempfile::tempdir().unwrap();
        let local = object_store::local::LocalFileSystem::new_with_prefix(dir.path()).unwrap();
        let files = Files::with_store(Arc::new(local), 1 << 30);
        let content: Vec<u8> = (0..600 * 1024u32).map(|i| (i % 251) as u8).collect();
        let staged = files
            .stage(futures_util::stream::iter(
                content
                    .chunks(100_000)
                    .map(|c| Ok::<_, std::io::Error>(Bytes::copy_from_slice(c))),
            ))
            .await
            .unwrap();
        files.commit(&staged).await.unwrap();
        let chunks: Vec<Bytes> = files
            .open_blob(&staged.sha256)
            .await
            .unwrap()
            .map(|c| c.unwrap())
            .collect()
            .await;
        assert_eq!(chunks.len(), 3, "256 KiB, 256 KiB, the rest");
        assert_eq!(chunks.concat(), content);
    }

    #[tokio::test]
    async fn an_oversize_upload_keeps_nothing() {
        let files = Files::with_store(Arc::new(InMemory::new()), 8);
        let err = files
            .stage(chunks(vec![b"12345", b"67890"]))
            .await
            .unwrap_err();
        assert!(matches!(err, UploadError::TooLarge(8)));
        assert_eq!(files.staged_count().await, 0);
    }

    #[tokio::test]
    async fn a_cut_off_upload_keeps_nothing() {
        let files = Files::with_store(Arc::new(InMemory::new()), 1024);
        let body = futures_util::stream::iter(vec![
            Ok(Bytes::from_static(b"part")),
            Err(std::io::Error::other("connection reset")),
        ]);
        let err = files.stage(body).await.unwrap_err();
        assert!(matches!(err, UploadError::Interrupted(_)), "{err}");
        assert_eq!(files.staged_count().await, 0);
    }
}
