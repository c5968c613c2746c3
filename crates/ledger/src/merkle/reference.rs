//! The RFC 9162 §2.1 definitions written as literal recursions over a slice
//! of leaf hashes. O(n) and recursive, so not for serving; they are the
//! oracle the tests compare the reader-based code against, and they let an
//! auditor recompute a root from every entry in one line.

use super::hash::{EMPTY_ROOT, Hash, node_hash};
use super::reader::split_point;

/// `MTH(D_n)` over leaf hashes.
pub fn mth(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => EMPTY_ROOT,
        1 => leaves[0],
        n => {
            let k = split_point(n as u64) as usize;
            node_hash(&mth(&leaves[..k]), &mth(&leaves[k..]))
        }
    }
}

/// `PATH(m, D_n)`; `None` if `m` is not a leaf index.
pub fn path(m: usize, leaves: &[Hash]) -> Option<Vec<Hash>> {
    let n = leaves.len();
    if m >= n {
        return None;
    }
    if n == 1 {
        return Some(Vec::new());
    }
    let k = split_point(n as u64) as usize;
    let mut p;
    if m < k {
        p = path(m, &leaves[..k])?;
        p.push(mth(&leaves[k..]));
    } else {
        p = path(m - k, &leaves[k..])?;
        p.push(mth(&leaves[..k]));
    }
    Some(p)
}

/// `PROOF(m, D_n)`; `None` unless `0 < m <= n` (empty for `m == n`).
pub fn proof(m: usize, leaves: &[Hash]) -> Option<Vec<Hash>> {
    if m == 0 || m > leaves.len() {
        return None;
    }
    Some(subproof(m, leaves, true))
}

fn subproof(m: usize, leaves: &[Hash], whole: bool) -> Vec<Hash> {
    let n = leaves.len();
    if m == n {
        return if whole { Vec::new() } else { vec![mth(leaves)] };
    }
    let k = split_point(n as u64) as usize;
    let mut p;
    if m <= k {
        p = subproof(m, &leaves[..k], whole);
        p.push(mth(&leaves[k..]));
    } else {
        p = subproof(m - k, &leaves[k..], false);
        p.push(mth(&leaves[..k]));
    }
    p
}
