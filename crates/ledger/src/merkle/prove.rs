//! Proof generation: RFC 9162 §2.1.3.1 `PATH` and §2.1.4.1 `PROOF` /
//! `SUBPROOF`, unrolled from recursion into loops over a [`HashReader`].
//!
//! The recursion appends the sibling of each level *after* the recursive
//! part, so walking from the root down collects siblings in reverse; each
//! function reverses once at the end.

use super::error::ProofError;
use super::hash::Hash;
use super::reader::{HashReader, range_hash, split_point};

/// `PATH(index, D[0:size])`: the inclusion proof for leaf `index`, leaf
/// sibling first.
pub fn inclusion_proof<R: HashReader + ?Sized>(
    reader: &R,
    index: u64,
    size: u64,
) -> Result<Vec<Hash>, ProofError> {
    if size == 0 {
        return Err(ProofError::EmptyTree);
    }
    if index >= size {
        return Err(ProofError::IndexOutOfRange { index, size });
    }
    let mut path = Vec::with_capacity(64 - (size - 1).leading_zeros() as usize);
    let (mut lo, mut hi) = (0u64, size);
    while hi - lo > 1 {
        let mid = lo + split_point(hi - lo);
        if index < mid {
            path.push(range_hash(reader, mid, hi)?);
            hi = mid;
        } else {
            path.push(range_hash(reader, lo, mid)?);
            lo = mid;
        }
    }
    path.reverse();
    Ok(path)
}

/// `PROOF(first, D[0:second])`: the consistency proof that the tree of
/// `first` leaves is a prefix of the tree of `second` leaves. Equal sizes
/// give the empty proof (the convention the verifier accepts).
pub fn consistency_proof<R: HashReader + ?Sized>(
    reader: &R,
    first: u64,
    second: u64,
) -> Result<Vec<Hash>, ProofError> {
    if first == 0 {
        return Err(ProofError::ZeroFirstSize);
    }
    if first > second {
        return Err(ProofError::SizesOutOfOrder { first, second });
    }
    let mut proof = Vec::with_capacity(65 - second.leading_zeros() as usize);
    // SUBPROOF(m, D[lo:hi], whole) where `whole` is the RFC's `b`: true
    // while D[lo:hi] starts at 0 and so is known to the verifier.
    let (mut m, mut lo, mut hi, mut whole) = (first, 0u64, second, true);
    while m != hi - lo {
        let k = split_point(hi - lo);
        if m <= k {
            proof.push(range_hash(reader, lo + k, hi)?);
            hi = lo + k;
        } else {
            proof.push(range_hash(reader, lo, lo + k)?);
            m -= k;
            lo += k;
            whole = false;
        }
    }
    if !whole {
        proof.push(range_hash(reader, lo, hi)?);
    }
    proof.reverse();
    Ok(proof)
}
