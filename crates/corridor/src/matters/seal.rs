//! Sealed content: a matter's documents encrypted with a key of the matter's own, so that
//! destroying the key at the end of retention destroys the content (crypto-shredding) wherever
//! copies of the store went, while the ledger keeps only hashes.
//!
//! The format is the STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015) over
//! XChaCha20-Poly1305: `CRDSEAL1`, a random 19-byte nonce prefix, then the content in 64 KiB
//! frames, each sealed under nonce = prefix ‖ frame counter (u32, big-endian) ‖ last-frame flag.
//! A frame moved, dropped or cut off fails to open; so does a file cut at a frame boundary,
//! because its new last frame was not sealed as last. The hash filed and anchored is the
//! plaintext's, so receipts verify what people read, not how it is stored.

use bytes::{Bytes, BytesMut};
use chacha20poly1305::aead::Aead;
use chacha20poly1305::{Key, KeyInit, XChaCha20Poly1305, XNonce};
use futures_util::{Stream, StreamExt};

const MAGIC: &[u8; 8] = b"CRDSEAL1";
const PREFIX: usize = 19;
pub const HEADER: usize = MAGIC.len() + PREFIX;
const FRAME_PLAIN: usize = 64 * 1024;
const TAG: usize = 16;
const FRAME_SEALED: usize = FRAME_PLAIN + TAG;

/// A matter's content key: 32 random bytes, wiped from memory when dropped.
#[derive(Clone)]
pub struct MatterKey(zeroize::Zeroizing<[u8; 32]>);

impl std::fmt::Debug for MatterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MatterKey(..)")
    }
}

impl MatterKey {
    pub fn generate() -> Self {
        let mut key = zeroize::Zeroizing::new([0u8; 32]);
        rand::fill(&mut key[..]);
        Self(key)
    }

    /// A stored key; `None` unless exactly 32 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let key: [u8; 32] = bytes.try_into().ok()?;
        Some(Self(zeroize::Zeroizing::new(key)))
    }

    pub fn bytes(&self) -> &[u8] {
        &self.0[..]
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&Key::from(*self.0))
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    #[error("not sealed content (no CRDSEAL1 header)")]
    NotSealed,
    #[error("sealed content altered, cut off or under another key (frame {0})")]
    Altered(u32),
    #[error("sealed content too long for one key and prefix")]
    TooLong,
}

fn nonce(prefix: &[u8; PREFIX], counter: u32, last: bool) -> XNonce {
    let mut n = [0u8; 24];
    n[..PREFIX].copy_from_slice(prefix);
    n[PREFIX..PREFIX + 4].copy_from_slice(&counter.to_be_bytes());
    n[23] = u8::from(last);
    XNonce::from(n)
}

/// Seals content as it streams: [`Sealer::header`] first, then what [`Sealer::push`] and
/// [`Sealer::finish`] return, in order. Holds at most one frame.
pub struct Sealer {
    cipher: XChaCha20Poly1305,
    prefix: [u8; PREFIX],
    counter: u32,
    held: BytesMut,
}

impl Sealer {
    pub fn new(key: &MatterKey) -> Self {
        let mut prefix = [0u8; PREFIX];
        rand::fill(&mut prefix);
        Self {
            cipher: key.cipher(),
            prefix,
            counter: 0,
            held: BytesMut::new(),
        }
    }

    pub fn header(&self) -> Bytes {
        [&MAGIC[..], &self.prefix[..]].concat().into()
    }

    fn frame(&mut self, plain: &[u8], last: bool) -> Result<Bytes, SealError> {
        let sealed = self
            .cipher
            .encrypt(&nonce(&self.prefix, self.counter, last), plain)
            .map_err(|_| SealError::TooLong)?;
        self.counter = self.counter.checked_add(1).ok_or(SealError::TooLong)?;
        Ok(sealed.into())
    }

    /// Takes more content; returns the frames it completed. A frame is sealed only once more
    /// content follows it, since the last one is sealed differently.
    pub fn push(&mut self, plain: &[u8]) -> Result<Vec<Bytes>, SealError> {
        self.held.extend_from_slice(plain);
        let mut out = Vec::new();
        while self.held.len() > FRAME_PLAIN {
            let frame = self.held.split_to(FRAME_PLAIN);
            out.push(self.frame(&frame, false)?);
        }
        Ok(out)
    }

    /// The last frame (sealed even when empty, so that a cut is always seen).
    pub fn finish(mut self) -> Result<Bytes, SealError> {
        let rest = std::mem::take(&mut self.held);
        self.frame(&rest, true)
    }
}

/// Seals a whole piece of content held in memory.
pub fn seal(key: &MatterKey, plain: &[u8]) -> Result<Bytes, SealError> {
    let mut sealer = Sealer::new(key);
    let mut out = BytesMut::with_capacity(sealed_len(plain.len() as u64) as usize);
    out.extend_from_slice(&sealer.header());
    for frame in sealer.push(plain)? {
        out.extend_from_slice(&frame);
    }
    out.extend_from_slice(&sealer.finish()?);
    Ok(out.freeze())
}

/// The stored size of `plain` bytes of content.
pub fn sealed_len(plain: u64) -> u64 {
    let frames = plain.div_ceil(FRAME_PLAIN as u64).max(1);
    HEADER as u64 + plain + frames * TAG as u64
}

/// Opens sealed content as it streams, the mirror of [`Sealer`].
pub struct Opener {
    cipher: XChaCha20Poly1305,
    prefix: Option<[u8; PREFIX]>,
    counter: u32,
    held: BytesMut,
}

impl Opener {
    pub fn new(key: &MatterKey) -> Self {
        Self {
            cipher: key.cipher(),
            prefix: None,
            counter: 0,
            held: BytesMut::new(),
        }
    }

    fn frame(
        &mut self,
        prefix: &[u8; PREFIX],
        sealed: &[u8],
        last: bool,
    ) -> Result<Bytes, SealError> {
        let plain = self
            .cipher
            .decrypt(&nonce(prefix, self.counter, last), sealed)
            .map_err(|_| SealError::Altered(self.counter))?;
        self.counter = self.counter.checked_add(1).ok_or(SealError::TooLong)?;
        Ok(plain.into())
    }

    /// Takes more stored bytes; returns the content of the frames it completed.
    pub fn push(&mut self, sealed: &[u8]) -> Result<Vec<Bytes>, SealError> {
        self.held.extend_from_slice(sealed);
        let prefix = match self.prefix {
            Some(p) => p,
            None if self.held.len() < HEADER => return Ok(Vec::new()),
            None => {
                let header = self.held.split_to(HEADER);
                if &header[..MAGIC.len()] != MAGIC {
                    return Err(SealError::NotSealed);
                }
                let mut p = [0u8; PREFIX];
                p.copy_from_slice(&header[MAGIC.len()..]);
                self.prefix = Some(p);
                p
            }
        };
        let mut out = Vec::new();
        while self.held.len() > FRAME_SEALED {
            let frame = self.held.split_to(FRAME_SEALED);
            out.push(self.frame(&prefix, &frame, false)?);
        }
        Ok(out)
    }

    /// The last frame's content; an error if the stored bytes end early or were altered.
    pub fn finish(mut self) -> Result<Bytes, SealError> {
        let prefix = self.prefix.ok_or(SealError::NotSealed)?;
        let rest = std::mem::take(&mut self.held);
        self.frame(&prefix, &rest, true)
    }
}

/// Opens sealed content held in memory.
pub fn open(key: &MatterKey, sealed: &[u8]) -> Result<Bytes, SealError> {
    let mut opener = Opener::new(key);
    let mut out = BytesMut::new();
    for part in opener.push(sealed)? {
        out.extend_from_slice(&part);
    }
    out.extend_from_slice(&opener.finish()?);
    Ok(out.freeze())
}

/// The content of a stream of stored bytes, frame by frame; a frame that fails to open ends
/// the stream with an error, so a reader never gets altered content as if it were whole.
pub fn open_stream<S, E>(
    key: &MatterKey,
    stored: S,
) -> impl Stream<Item = Result<Bytes, E>> + use<S, E>
where
    S: Stream<Item = Result<Bytes, E>> + Send + 'static,
    E: From<SealError>,
{
    let opener = Some(Opener::new(key));
    futures_util::stream::unfold(
        (Box::pin(stored), opener),
        |(mut stored, mut opener)| async move {
            let o = opener.as_mut()?;
            loop {
                match stored.next().await {
                    Some(Ok(bytes)) => match o.push(&bytes) {
                        Ok(parts) if parts.is_empty() => continue,
                        Ok(parts) => {
                            let joined: Bytes = if parts.len() == 1 {
                                parts.into_iter().next().unwrap_or_default()
                            } else {
                                parts.concat().into()
                            };
                            return Some((Ok(joined), (stored, opener)));
                        }
                        Err(e) => return Some((Err(E::from(e)), (stored, None))),
                    },
                    Some(Err(e)) => return Some((Err(e), (stored, None))),
                    None => {
                        let last = opener.take()?.finish();
                        return Some((last.map_err(E::from), (stored, None)));
                    }
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(n: usize) -> Vec<u8> {
        (0..n).map(|i| (i % 251) as u8).collect()
    }

    #[test]
    fn content_of_every_awkward_size_comes_back_whole() {
        let key = MatterKey::generate();
        for n in [
            0,
            1,
            FRAME_PLAIN - 1,
            FRAME_PLAIN,
            FRAME_PLAIN + 1,
            3 * FRAME_PLAIN,
            200_000,
        ] {
            let plain = content(n);
            let sealed = seal(&key, &plain).unwrap();
            assert_eq!(sealed.len() as u64, sealed_len(n as u64), "size {n}");
            if n > 0 {
                assert_ne!(&sealed[HEADER..HEADER + n.min(16)], &plain[..n.min(16)]);
            }
            assert_eq!(open(&key, &sealed).unwrap(), plain, "size {n}");
        }
    }

    #[test]
    fn pieces_of_any_size_seal_and_open_as_one() {
        let key = MatterKey::generate();
        let plain = content(300_000);
        let mut sealer = Sealer::new(&key);
        let mut stored = sealer.header().to_vec();
        for piece in plain.chunks(7_777) {
            for f in sealer.push(piece).unwrap() {
                stored.extend_from_slice(&f);
            }
        }
        stored.extend_from_slice(&sealer.finish().unwrap());
        let mut opener = Opener::new(&key);
        let mut back = Vec::new();
        for piece in stored.chunks(1_000) {
            for p in opener.push(piece).unwrap() {
                back.extend_from_slice(&p);
            }
        }
        back.extend_from_slice(&opener.finish().unwrap());
        assert_eq!(back, plain);
    }

    #[test]
    fn the_same_content_seals_differently_each_time() {
        let key = MatterKey::generate();
        assert_ne!(seal(&key, b"same").unwrap(), seal(&key, b"same").unwrap());
    }

    #[test]
    fn one_changed_byte_anywhere_is_refused() {
        let key = MatterKey::generate();
        let sealed = seal(&key, &content(150_000)).unwrap().to_vec();
        for at in [HEADER + 3, HEADER + FRAME_SEALED + 10, sealed.len() - 1, 12] {
            let mut bad = sealed.clone();
            bad[at] ^= 1;
            assert!(
                matches!(open(&key, &bad), Err(SealError::Altered(_))),
                "byte {at}"
            );
        }
        let mut magic = sealed.clone();
        magic[0] = b'X';
        assert_eq!(open(&key, &magic), Err(SealError::NotSealed));
    }

    #[test]
    fn content_cut_at_a_frame_boundary_or_reordered_is_refused() {
        let key = MatterKey::generate();
        let sealed = seal(&key, &content(3 * FRAME_PLAIN + 5)).unwrap();
        let cut = &sealed[..HEADER + 2 * FRAME_SEALED];
        assert!(matches!(open(&key, cut), Err(SealError::Altered(1))));
        let mut swapped = sealed[..HEADER].to_vec();
        swapped.extend_from_slice(&sealed[HEADER + FRAME_SEALED..HEADER + 2 * FRAME_SEALED]);
        swapped.extend_from_slice(&sealed[HEADER..HEADER + FRAME_SEALED]);
        swapped.extend_from_slice(&sealed[HEADER + 2 * FRAME_SEALED..]);
        assert!(matches!(open(&key, &swapped), Err(SealError::Altered(0))));
    }

    /// What crypto-shredding rests on: without the matter's key the content cannot be read.
    #[test]
    fn another_key_opens_nothing() {
        let sealed = seal(&MatterKey::generate(), b"a will").unwrap();
        assert!(matches!(
            open(&MatterKey::generate(), &sealed),
            Err(SealError::Altered(0))
        ));
    }

    #[test]
    fn a_key_is_32_bytes_and_never_printed() {
        let key = MatterKey::generate();
        assert_eq!(
            MatterKey::from_bytes(key.bytes()).unwrap().bytes(),
            key.bytes()
        );
        assert!(MatterKey::from_bytes(&[0u8; 31]).is_none());
        assert_eq!(format!("{key:?}"), "MatterKey(..)");
    }

    #[tokio::test]
    async fn a_stream_opens_frame_by_frame_and_ends_with_an_error_when_altered() {
        let key = MatterKey::generate();
        let plain = content(200_000);
        let sealed = seal(&key, &plain).unwrap();
        let pieces = |s: Bytes| {
            futures_util::stream::iter(
                s.chunks(50_000)
                    .map(|c| Ok::<_, SealError>(Bytes::copy_from_slice(c)))
                    .collect::<Vec<_>>(),
            )
        };
        let back: Vec<Result<Bytes, SealError>> =
            open_stream(&key, pieces(sealed.clone())).collect().await;
        let back: Vec<u8> = back.into_iter().flat_map(|r| r.unwrap().to_vec()).collect();
        assert_eq!(back, plain);

        let mut bad = sealed.to_vec();
        bad[HEADER + FRAME_SEALED + 1] ^= 1;
        let out: Vec<Result<Bytes, SealError>> =
            open_stream(&key, pieces(bad.into())).collect().await;
        assert_eq!(out.len(), 2, "frame 0, then the error");
        assert!(out[0].is_ok());
        assert_eq!(out[1], Err(SealError::Altered(1)));
    }
}
