//! RFC 9162 §2.1 Merkle tree math, hand-written from the RFC text.

mod error;
mod frontier;
mod hash;
mod memory;
mod prove;
mod reader;
pub mod reference;
mod stored;
mod verify;

pub use error::{HashRole, ProofError, ReadError, VerifyError};
pub use frontier::{Frontier, FrontierError};
pub use hash::{EMPTY_ROOT, HASH_LEN, Hash, HashLengthError, leaf_hash, node_hash, node_hash_raw};
pub use memory::MemoryTree;
pub use prove::{consistency_proof, inclusion_proof};
pub use reader::{HashReader, tree_root};
pub use stored::{split_stored_hash_index, stored_hash_count, stored_hash_index};
pub use verify::{
    MAX_CONSISTENCY_PROOF_LEN, MAX_INCLUSION_PROOF_LEN, verify_consistency, verify_inclusion,
};
