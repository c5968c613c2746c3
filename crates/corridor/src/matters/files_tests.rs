//! Unit tests of [`super`]: content stored once per hash, staged uploads, sealed content.

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
    files.commit(&a, None).await.unwrap();
    let b = files.stage(chunks(vec![b"hello world"])).await.unwrap();
    files.commit(&b, None).await.unwrap();
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
    files.commit(&large, None).await.unwrap();
    files
        .commit(
            &files.stage(chunks(vec![b"a short letter"])).await.unwrap(),
            None,
        )
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
    files.commit(&staged, None).await.unwrap();
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
    files.commit(&staged, None).await.unwrap();
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

/// Sealed content is stored under the matter, never as plaintext, reads back whole with
/// the key, and is gone after shredding; small (held) and large (streamed) alike.
#[tokio::test]
async fn sealed_content_is_stored_encrypted_per_matter_and_shreds() {
    let files = Files::with_store(Arc::new(InMemory::new()), 1 << 30);
    let seal = Seal {
        matter_id: "m1".into(),
        key: MatterKey::generate(),
    };
    let small = b"passport page, Li Wei".to_vec();
    let large: Vec<u8> = (0..PART_BYTES + 70_000).map(|i| (i % 241) as u8).collect();
    let mut large_plain = large.clone();
    large_plain[0] = 1;
    // The last one is staged plain (a server-made file) and sealed when filed.
    for (content, sealed_as_it_streams) in [(small, true), (large, true), (large_plain, false)] {
        let staged = files
            .stage_sealed(
                futures_util::stream::iter(
                    content
                        .chunks(100_000)
                        .map(|c| Ok::<_, std::io::Error>(Bytes::copy_from_slice(c)))
                        .collect::<Vec<_>>(),
                ),
                sealed_as_it_streams.then(|| seal.clone()),
            )
            .await
            .unwrap();
        assert_eq!(staged.sha256, hex::encode(Sha256::digest(&content)));
        files.commit(&staged, Some(&seal)).await.unwrap();
        assert!(!files.has_blob(&staged.sha256).await, "no plaintext blob");
        let stored = files.stored_bytes("m1", &staged.sha256).await.unwrap();
        assert_eq!(stored.len() as u64, seal::sealed_len(content.len() as u64));
        assert!(!stored.windows(16).any(|w| w == &content[..16]));
        let back: Vec<Bytes> = files
            .open_content(&staged.sha256, Some(&seal))
            .await
            .unwrap()
            .map(|c| c.unwrap())
            .collect()
            .await;
        assert_eq!(back.concat(), content);
    }
    assert_eq!(files.staged_count().await, 0);
    assert_eq!(files.shred("m1").await.unwrap(), 3);
    assert_eq!(files.shred("m1").await.unwrap(), 0);
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
