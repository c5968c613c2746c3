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

/// Parts in flight while the next one fills. Four (object_store's default) put the peak RSS of
/// a 1 GiB upload at 106 MB, two at 84 MB; the speed was the disk's either way.
const PARTS_IN_FLIGHT: usize = 2;
/// The size of the parts an upload is written in; what an upload holds in memory is a few of
/// them. S3 refuses parts under 5 MiB (but the last); smaller local parts slowed a 1 GiB
/// upload (285 MB/s at 1 MiB).
const PART_BYTES: usize = 5 * 1024 * 1024;

/// A completed upload, not yet under its hash.
#[derive(Debug)]
pub struct Staged {
    content: Content,
    pub sha256: String,
    pub size: u64,
}

#[derive(Debug)]
enum Content {
    /// Larger than one part: streamed into a temporary object.
    Stored(Path),
    /// One part or less (most documents): held in memory and written once, straight under its
    /// hash, when filed. A temporary object and its move cost a small upload four more trips
    /// to the store (on S3 a multipart upload, a copy and a delete).
    Held(Bytes),
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

/// What an upload has brought so far: its hash and size, checked against the limit.
struct Intake {
    hasher: Sha256,
    size: u64,
    limit: u64,
}

impl Intake {
    /// The next chunk, counted and hashed; `None` at the end.
    fn take<E: std::fmt::Display>(
        &mut self,
        chunk: Option<Result<Bytes, E>>,
    ) -> Result<Option<Bytes>, UploadError> {
        match chunk {
            None => Ok(None),
            Some(Err(e)) => Err(UploadError::Interrupted(e.to_string())),
            Some(Ok(chunk)) => {
                self.size += chunk.len() as u64;
                if self.size > self.limit {
                    return Err(UploadError::TooLarge(self.limit));
                }
                self.hasher.update(&chunk);
                Ok(Some(chunk))
            }
        }
    }
}

/// `blobs/<first two hex digits>/<sha256>`. With one folder for all content, concurrent
/// uploads queued on that folder's lock to create and rename their files (a seventh of the
/// server's time while filing small documents); 256 folders spread them out.
fn blob_path(sha256: &str) -> Path {
    let folder = sha256.get(..2).unwrap_or("00");
    Path::from(format!("blobs/{folder}/{sha256}"))
}

/// Where content filed before the folders were split lies: still read, never written.
fn flat_blob_path(sha256: &str) -> Path {
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

    /// Takes in `body`, hashing as it goes: up to one part is held in memory, a larger body is
    /// streamed into a temporary object. Over the limit, or cut off, anything written is
    /// removed and an error says which.
    pub async fn stage<S, E>(&self, body: S) -> Result<Staged, UploadError>
    where
        S: Stream<Item = Result<Bytes, E>>,
        E: std::fmt::Display,
    {
        let mut intake = Intake {
            hasher: Sha256::new(),
            size: 0,
            limit: self.limit_bytes,
        };
        let mut body = std::pin::pin!(body);
        let mut held = bytes::BytesMut::new();
        // The first part's worth stays in memory; most documents end there.
        let first = loop {
            match intake.take(body.next().await)? {
                None => {
                    return Ok(Staged {
                        content: Content::Held(held.freeze()),
                        sha256: hex::encode(intake.hasher.finalize()),
                        size: intake.size,
                    });
                }
                Some(chunk) => {
                    held.extend_from_slice(&chunk);
                    if held.len() > PART_BYTES {
                        break held.freeze();
                    }
                }
            }
        };
        let tmp = Path::from(format!("tmp/{}", crate::ids::new_id()));
        let upload = self.store.put_multipart(&tmp).await?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART_BYTES);
        writer.put(first);
        let failure = loop {
            match intake.take(body.next().await) {
                Ok(None) => break None,
                Err(e) => break Some(e),
                Ok(Some(chunk)) => {
                    // Back-pressure: at most a few parts in flight, so memory stays bounded.
                    if let Err(e) = writer.wait_for_capacity(PARTS_IN_FLIGHT).await {
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
            content: Content::Stored(tmp),
            sha256: hex::encode(intake.hasher.finalize()),
            size: intake.size,
        })
    }

    /// Puts a staged upload under its hash; if that content is stored already, the copy is
    /// dropped (same hash, same bytes).
    pub async fn commit(&self, staged: &Staged) -> Result<(), UploadError> {
        let target = blob_path(&staged.sha256);
        match &staged.content {
            // Writing the same bytes again under the same hash changes nothing, so no look
            // first; the local store writes a temporary file and renames it, S3 replaces whole.
            Content::Held(bytes) => {
                self.store.put(&target, bytes.clone().into()).await?;
            }
            Content::Stored(tmp) => match self.store.head(&target).await {
                Ok(_) => self.store.delete(tmp).await?,
                Err(object_store::Error::NotFound { .. }) => {
                    self.store.rename(tmp, &target).await?
                }
                Err(e) => return Err(e.into()),
            },
        }
        Ok(())
    }

    /// Drops a staged upload that will not be filed.
    pub async fn discard(&self, staged: &Staged) {
        if let Content::Stored(tmp) = &staged.content {
            let _ = self.store.delete(tmp).await;
        }
    }

    /// The content as a stream of chunks.
    ///
    /// From a local folder the file is read in 256 KiB chunks: `GetResult::into_stream` reads
    /// 8 KiB per blocking-pool round trip, which caps a download near 100 MB/s.
    pub async fn open_blob(
        &self,
        sha256: &str,
    ) -> Result<BoxStream<'static, Result<Bytes, object_store::Error>>, object_store::Error> {
        let got = match self.store.get(&blob_path(sha256)).await {
            Err(object_store::Error::NotFound { .. }) => {
                self.store.get(&flat_blob_path(sha256)).await?
            }
            got => got?,
        };
        Ok(match got.payload {
            GetResultPayload::File(file, path) => read_file(file, path, got.range),
            GetResultPayload::Stream(stream) => stream,
        })
    }

    /// Whether a blob is stored (tests and the benchmark check that nothing is left behind).
    pub async fn has_blob(&self, sha256: &str) -> bool {
        self.store.head(&blob_path(sha256)).await.is_ok()
            || self.store.head(&flat_blob_path(sha256)).await.is_ok()
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

    /// A blob's content, read back through `open_blob`.
    async fn read_all(files: &Files, sha256: &str) -> Vec<u8> {
        let chunks: Vec<Bytes> = files
            .open_blob(sha256)
            .await
            .unwrap()
            .map(|c| c.unwrap())
            .collect()
            .await;
        chunks.concat()
    }

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
        assert_eq!(read_all(&files, &a.sha256).await, b"hello world");
    }

    /// A document of one part or less never touches the store before it is filed; a larger
    /// one streams into a temporary object, which filing moves under its hash.
    #[tokio::test]
    async fn only_an_upload_over_one_part_is_staged_in_the_store() {
        let files = Files::with_store(Arc::new(InMemory::new()), 1 << 30);
        let small = files.stage(chunks(vec![b"a short letter"])).await.unwrap();
        assert_eq!(files.staged_count().await, 0);
        files.discard(&small).await;
        assert!(
            !files.has_blob(&small.sha256).await,
            "discarded before filing"
        );

        let part = vec![7u8; PART_BYTES / 2];
        let three_halves = (0..3).map(|_| Ok::<_, std::io::Error>(Bytes::from(part.clone())));
        let large = files
            .stage(futures_util::stream::iter(three_halves))
            .await
            .unwrap();
        assert_eq!(large.size, 3 * part.len() as u64);
        assert_eq!(files.staged_count().await, 1);
        files.commit(&large).await.unwrap();
        files
            .commit(&files.stage(chunks(vec![b"a short letter"])).await.unwrap())
            .await
            .unwrap();
        assert_eq!(files.staged_count().await, 0);
        assert!(files.has_blob(&large.sha256).await);
        assert!(files.has_blob(&small.sha256).await);
        assert_eq!(
            read_all(&files, &large.sha256).await,
            [part.clone(), part.clone(), part].concat()
        );
    }

    #[tokio::test]
    async fn content_filed_before_the_folders_were_split_still_reads() {
        let store = Arc::new(InMemory::new());
        let sha = "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9";
        store
            .put(
                &flat_blob_path(sha),
                Bytes::from_static(b"hello world").into(),
            )
            .await
            .unwrap();
        let files = Files::with_store(store.clone(), 1024);
        assert!(files.has_blob(sha).await);
        assert_eq!(read_all(&files, sha).await, b"hello world");
        let staged = files.stage(chunks(vec![b"hello world"])).await.unwrap();
        files.commit(&staged).await.unwrap();
        assert!(
            store
                .head(&Path::from(format!("blobs/b9/{sha}")))
                .await
                .is_ok()
        );
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
