//! Corridor's tamper-evident ledger: the cryptographic formats a notarial
//! act log needs, plus durable storage, the sequencer, witnessing and
//! audit, as a library (no HTTP, no CLI).
//!
//! * [`merkle`]: RFC 9162 §2.1 tree math. Leaf/node hashing, roots, inclusion
//!   and consistency proofs (generated over a [`merkle::HashReader`] so any
//!   store can serve them, verified with the RFC algorithms plus hardening
//!   rules), an append-only [`merkle::MemoryTree`] and the O(log n)
//!   [`merkle::Frontier`] a sequencer persists.
//! * [`note`]: C2SP signed notes with Ed25519, `vkey`/`skey` strings;
//!   byte-for-byte compatible with Go's `golang.org/x/mod/sumdb/note`.
//! * [`checkpoint`]: C2SP tlog-checkpoint, the signed tree head.
//! * [`cosignature`]: C2SP tlog-cosignature `cosignature/v1` for witnesses.
//! * [`tiles`]: C2SP tlog-tiles paths, entry bundles, and reading a tree back
//!   from its tiles.
//! * [`receipt`]: the C2SP tlog-proof text a notary in another jurisdiction
//!   receives, and [`receipt::verify_receipt`] to check it offline.
//! * [`witness_request`]: the tlog-witness `add-checkpoint` request body.
//! * [`storage`]: the tlog-tiles layout and sequencer state over
//!   `object_store` (local filesystem with fsync, in-memory, or any store
//!   with conditional PUT), durable writes and compare-and-swap, and
//!   receipts / consistency proofs read from tiles.
//! * [`sequencer`]: the single writer. Group commit (an index is returned
//!   only once the entry is durable), checkpoint signing on a cadence,
//!   refusing to start over storage behind its signed checkpoints.
//! * [`witness`]: a C2SP tlog-witness, and attaching cosignatures.
//! * [`audit`]: recompute a stored log from its entries and check every
//!   tile and every checkpoint in the history.
//! * [`keys`]: key generation and 0600 key files, for note keys and, separately, cosignature
//!   keys.
//! * [`keyring`]: the log's key history, so a rotated key's checkpoints stay verifiable.
//!
//! # Serving a log (how the server should use this crate)
//!
//! ```no_run
//! # async fn serve() -> Result<(), Box<dyn std::error::Error>> {
//! use corridor_ledger::{keys, sequencer::*, storage::LedgerStore};
//! let origin = "corridor.example/ledger/2026";
//! let signer = keys::read_secret_key_file("/etc/corridor/ledger.key")?;
//! let store = LedgerStore::local("/var/lib/corridor/ledger/2026")?;
//! let lock = FileWriterLock::acquire("/var/lib/corridor/ledger/2026.lock")?;
//! let config = SequencerConfig {
//!     writer_lock: Some(std::sync::Arc::new(lock)),
//!     ..SequencerConfig::default() // checkpoints every 2 s
//! };
//! let seq = Sequencer::open(store, signer, origin, config).await?;
//! let index = seq.append(b"canonical act record".to_vec()).await?; // durable now
//! let receipt = seq.receipt_when_covered(index, std::time::Duration::from_secs(5)).await?;
//! println!("{}", receipt.encode()); // c2sp.org/tlog-proof@v1
//! // GET /checkpoint, /tile/...: seq.store().get_public(path)
//! seq.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! # Why the tree math is hand-written
//!
//! Everyone who relies on the ledger must be able to trust this part, for
//! decades. RFC 9162's tree is small and exactly specified, so the core here
//! is a few hundred lines written straight from the RFC text, with
//! `sha2` and `ed25519-dalek` as the only cryptographic dependencies,
//! instead of a 0.x crate shaped by someone else's log. Correctness is
//! pinned by published vectors (transparency-dev/merkle, the RFC §2.1.5
//! example, Go's sumdb note tests, real sum.golang.org checkpoints) copied
//! into `tests/vectors/`, and by property tests against the literal RFC
//! recursion in [`merkle::reference`].
//!
//! A Merkle path proves nothing on its own: the same path can verify for
//! two tree sizes with the same root. Only the checkpoint signature binds a
//! size to a root, so [`receipt::verify_receipt`] never skips it.

pub mod audit;
mod b64;
pub mod checkpoint;
pub mod cosignature;
pub mod keyring;
pub mod keys;
pub mod merkle;
pub mod note;
pub mod receipt;
pub mod sequencer;
pub mod storage;
pub mod tiles;
pub mod witness;
pub mod witness_request;
