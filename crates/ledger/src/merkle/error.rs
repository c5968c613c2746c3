//! Typed failures of proof generation and verification. Verification errors
//! name the rule that failed so a verdict can say *why* a proof was refused.

use std::fmt;

use super::hash::Hash;

/// Which input of a verification a malformed hash came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashRole {
    Leaf,
    Root,
    FirstRoot,
    SecondRoot,
    /// The proof element at this position.
    ProofElement(usize),
}

impl fmt::Display for HashRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HashRole::Leaf => f.write_str("leaf"),
            HashRole::Root => f.write_str("root"),
            HashRole::FirstRoot => f.write_str("first root"),
            HashRole::SecondRoot => f.write_str("second root"),
            HashRole::ProofElement(i) => write!(f, "proof element {i}"),
        }
    }
}

/// Why an inclusion or consistency proof was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("{role} hash is {len} bytes, want 32")]
    HashLength { role: HashRole, len: usize },
    #[error("tree size is zero: no leaf can be included")]
    EmptyTree,
    #[error("leaf index {index} is not below tree size {size}")]
    IndexOutOfRange { index: u64, size: u64 },
    #[error("first tree size is zero")]
    ZeroFirstSize,
    #[error("first tree size {first} is larger than second tree size {second}")]
    SizesOutOfOrder { first: u64, second: u64 },
    #[error("tree sizes are equal but the proof is not empty")]
    NonEmptyProofForEqualSizes,
    #[error("consistency proof between different sizes is empty")]
    EmptyProof,
    #[error("proof has {len} hashes, more than the {max} any tree of u64 size can need")]
    ProofExceedsBound { len: usize, max: usize },
    #[error("proof is longer than the tree shape allows")]
    ProofTooLong,
    #[error("proof is shorter than the tree shape requires")]
    ProofTooShort,
    #[error("proof leads to root {computed}, expected {expected}")]
    RootMismatch { computed: Hash, expected: Hash },
    #[error("proof leads to first root {computed}, expected {expected}")]
    FirstRootMismatch { computed: Hash, expected: Hash },
}

/// A stored hash could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("no stored hash at level {level} index {index}")]
    Missing { level: u8, index: u64 },
    #[error("hash storage failed: {0}")]
    Storage(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Why a proof or root could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ProofError {
    #[error("tree size is zero: no leaf can be included")]
    EmptyTree,
    #[error("leaf index {index} is not below tree size {size}")]
    IndexOutOfRange { index: u64, size: u64 },
    #[error("first tree size is zero")]
    ZeroFirstSize,
    #[error("first tree size {first} is larger than second tree size {second}")]
    SizesOutOfOrder { first: u64, second: u64 },
    #[error("tree size {requested} is larger than the {available} leaves available")]
    SizeBeyondTree { requested: u64, available: u64 },
    #[error(transparent)]
    Read(#[from] ReadError),
}
