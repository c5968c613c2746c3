//! Corridor's tamper-evident ledger core: the cryptographic formats a
//! notarial act log needs, and nothing else (no storage, sequencer, HTTP).
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

mod b64;
pub mod checkpoint;
pub mod cosignature;
pub mod merkle;
pub mod note;
pub mod receipt;
pub mod tiles;
pub mod witness_request;
