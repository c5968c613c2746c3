//! C2SP tlog-witness (<https://c2sp.org/tlog-witness>) as a library, and
//! the log's side of witnessing.
//!
//! The witness keeps, per log origin, the latest checkpoint it cosigned
//! (CAS-updated, so check-and-persist is atomic even with concurrent
//! requests or several witness processes on one store) and an append-only
//! archive of every validly log-signed checkpoint it was shown, including
//! the ones it refused: two log-signed checkpoints that are not consistent
//! are portable proof that the log forked (torchwood #72).
//!
//! ```text
//! <prefix>/logs/<sha256(origin) hex>/origin             the origin, for humans
//! <prefix>/logs/<sha256(origin) hex>/latest             latest cosigned note
//! <prefix>/logs/<sha256(origin) hex>/seen/<size>-<id>   every checkpoint seen
//! ```

mod client;
mod server;

pub use client::{AttachError, add_checkpoint_request, attach_cosignatures};
pub use server::{Witness, WitnessError};
