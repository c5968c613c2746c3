//! Document content in object storage, stored once per SHA-256 under `blobs/<sha256>`.
//!
//! An upload streams into a temporary object while its hash and size are computed, so memory
//! stays flat whatever the size; only when it is complete (and within the limit) is it moved
//! under its hash. A cut-off or oversize upload leaves no blob and no row. A temporary object
//! left by a crash is never referenced and can be swept (`tmp/`).
//!
//! The content of a matter whose kind seals it (notarization, evidence) is stored instead under
//! `sealed/<matter>/<sha256>`, encrypted with the matter's key as it streams ([`super::seal`]);
//! the hash is still the plaintext's. Shredding a matter removes that folder, and destroying
//! the key makes any copy of it unreadable.

use std::sync::Arc;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures_util::stream::BoxStream;
use futures_util::{Stream, StreamExt};
use object_store::path::Path;
use object_store::{GetResultPayload, ObjectStore, ObjectStoreExt, WriteMultipart};
use sha2::{Digest, Sha256};

use super::seal::{self, MatterKey, SealError, Sealer};
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

/// Where a matter's content is sealed: its id and its key.
#[derive(Clone, Debug)]
pub struct Seal {
    pub matter_id: String,
    pub key: MatterKey,
}

/// A completed upload, not yet under its hash.
#[derive(Debug)]
pub struct Staged {
    content: Content,
    seal: Option<Seal>,
    pub sha256: String,
    pub size: u64,
}

#[derive(Debug)]
enum Content {
    /// Larger than one part: streamed into a temporary object (sealed as it went, if sealed).
    Stored(Path),
    /// One part or less (most documents): held in memory (not yet sealed) and written once,
    /// straight under its hash, when filed. A temporary object and its move cost a small upload four more trips
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
    #[error("sealing: {0}")]
    Seal(#[from] SealError),
}

impl From<SealError> for object_store::Error {
    fn from(err: SealError) -> Self {
        object_store::Error::Generic {
            store: "sealed",
            source: Box::new(err),
        }
    }
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
            UploadError::Seal(e) => crate::AppError::Internal(e.into()),
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

/// Where a sealed matter's content lies: one folder per matter, so shredding is one sweep.
fn sealed_path(matter_id: &str, sha256: &str) -> Path {
    Path::from(format!("sealed/{matter_id}/{sha256}"))
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
        self.stage_sealed(body, None).await
    }

    /// As [`Files::stage`], for a matter whose content is sealed with `seal`'s key: what goes
    /// to the store is sealed as it streams; the hash and size are the plaintext's.
    pub async fn stage_sealed<S, E>(
        &self,
        body: S,
        seal: Option<Seal>,
    ) -> Result<Staged, UploadError>
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
                        seal,
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
        let mut sealer = seal.as_ref().map(|s| Sealer::new(&s.key));
        if let Some(sealer) = &sealer {
            writer.put(sealer.header());
        }
        let mut put = |writer: &mut WriteMultipart, chunk: Bytes| -> Result<(), UploadError> {
            match sealer.as_mut() {
                None => writer.put(chunk),
                Some(sealer) => {
                    for frame in sealer.push(&chunk)? {
                        writer.put(frame);
                    }
                }
            }
            Ok(())
        };
        let mut failure = put(&mut writer, first).err();
        while failure.is_none() {
            match intake.take(body.next().await) {
                Ok(None) => break,
                Err(e) => failure = Some(e),
                Ok(Some(chunk)) => {
                    // Back-pressure: at most a few parts in flight, so memory stays bounded.
                    if let Err(e) = writer.wait_for_capacity(PARTS_IN_FLIGHT).await {
                        failure = Some(UploadError::Store(e));
                    } else {
                        failure = put(&mut writer, chunk).err();
                    }
                }
            }
        }
        if failure.is_none()
            && let Some(sealer) = sealer.take()
        {
            match sealer.finish() {
                Ok(last) => writer.put(last),
                Err(e) => failure = Some(e.into()),
            }
        }
        if let Some(err) = failure {
            let _ = writer.abort().await;
            let _ = self.store.delete(&tmp).await;
            return Err(err);
        }
        writer.finish().await?;
        Ok(Staged {
            content: Content::Stored(tmp),
            seal,
            sha256: hex::encode(intake.hasher.finalize()),
            size: intake.size,
        })
    }

    /// Puts a staged upload under its hash, sealed with `seal` where its matter seals content;
    /// if that content is stored already, the copy is dropped (same hash, same bytes). A large
    /// upload staged plain for a sealed matter is sealed here, in one more streaming pass.
    pub async fn commit(&self, staged: &Staged, seal: Option<&Seal>) -> Result<(), UploadError> {
        let target = match seal {
            Some(s) => sealed_path(&s.matter_id, &staged.sha256),
            None => blob_path(&staged.sha256),
        };
        let staged_for = staged.seal.as_ref().map(|s| s.matter_id.as_str());
        match &staged.content {
            // Writing the same bytes again under the same hash changes nothing, so no look
            // first; the local store writes a temporary file and renames it, S3 replaces whole.
            Content::Held(bytes) => {
                let stored = match seal {
                    Some(s) => seal::seal(&s.key, bytes)?,
                    None => bytes.clone(),
                };
                self.store.put(&target, stored.into()).await?;
            }
            Content::Stored(tmp) if staged_for != seal.map(|s| s.matter_id.as_str()) => {
                let (None, Some(seal)) = (&staged.seal, seal) else {
                    return Err(UploadError::Interrupted(
                        "staged for another matter than it is filed in".into(),
                    ));
                };
                self.seal_staged(tmp, &target, seal).await?;
                self.store.delete(tmp).await?;
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

    /// Writes a plain staged object again, sealed, part by part.
    async fn seal_staged(&self, tmp: &Path, target: &Path, seal: &Seal) -> Result<(), UploadError> {
        let mut plain = self.store.get(tmp).await?.into_stream();
        let upload = self.store.put_multipart(target).await?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART_BYTES);
        let mut sealer = Sealer::new(&seal.key);
        writer.put(sealer.header());
        let outcome = async {
            while let Some(chunk) = plain.next().await {
                let chunk = chunk?;
                writer.wait_for_capacity(PARTS_IN_FLIGHT).await?;
                for frame in sealer.push(&chunk)? {
                    writer.put(frame);
                }
            }
            writer.put(sealer.finish()?);
            Ok::<_, UploadError>(())
        }
        .await;
        match outcome {
            Ok(()) => Ok(writer.finish().await.map(|_| ())?),
            Err(e) => {
                let _ = writer.abort().await;
                Err(e)
            }
        }
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
        Ok(chunks(got))
    }

    /// A document's content: opened with the matter's key where it is sealed. Content filed
    /// before its matter's kind was sealed is still read from where it lies.
    pub async fn open_content(
        &self,
        sha256: &str,
        seal: Option<&Seal>,
    ) -> Result<BoxStream<'static, Result<Bytes, object_store::Error>>, object_store::Error> {
        let Some(s) = seal else {
            return self.open_blob(sha256).await;
        };
        let got = match self.store.get(&sealed_path(&s.matter_id, sha256)).await {
            Err(object_store::Error::NotFound { .. }) => return self.open_blob(sha256).await,
            got => got?,
        };
        Ok(seal::open_stream(&s.key, chunks(got)).boxed())
    }

    /// Whether a matter's sealed copy of some content is stored.
    pub async fn has_sealed(&self, matter_id: &str, sha256: &str) -> bool {
        self.store
            .head(&sealed_path(matter_id, sha256))
            .await
            .is_ok()
    }

    /// The bytes as stored, sealed or not (tests check that sealed content is not plaintext).
    pub async fn stored_bytes(&self, matter_id: &str, sha256: &str) -> Option<Bytes> {
        let got = self.store.get(&sealed_path(matter_id, sha256)).await.ok()?;
        got.bytes().await.ok()
    }

    /// How many sealed objects a matter has.
    pub async fn sealed_count(&self, matter_id: &str) -> Result<u64, object_store::Error> {
        let prefix = Path::from(format!("sealed/{matter_id}"));
        let mut listed = self.store.list(Some(&prefix));
        let mut count = 0;
        while let Some(meta) = listed.next().await {
            meta?;
            count += 1;
        }
        Ok(count)
    }

    /// Removes every sealed object of a matter (its key is destroyed separately); returns how
    /// many went. Safe to run again: what is gone stays gone.
    pub async fn shred(&self, matter_id: &str) -> Result<u64, object_store::Error> {
        let prefix = Path::from(format!("sealed/{matter_id}"));
        let mut listed = self.store.list(Some(&prefix));
        let mut removed = 0;
        while let Some(meta) = listed.next().await {
            match self.store.delete(&meta?.location).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => removed += 1,
                Err(e) => return Err(e),
            }
        }
        Ok(removed)
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

/// What was read, as a stream of chunks: a local file through [`read_file`], anything else as
/// the store streams it.
fn chunks(got: object_store::GetResult) -> BoxStream<'static, Result<Bytes, object_store::Error>> {
    match got.payload {
        GetResultPayload::File(file, path) => read_file(file, path, got.range),
        GetResultPayload::Stream(stream) => stream,
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
#[path = "files_tests.rs"]
mod tests;
