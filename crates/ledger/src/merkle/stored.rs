//! The Crosby–Wallach stored-hash order used by Go's `sumdb/tlog`
//! (`StoredHashIndex`): record `n` appends its leaf hash and then the root
//! of every perfect subtree it completes. The result is one dense,
//! append-only array of about two hashes per record, where any
//! perfect-subtree hash has an O(1) position. [`MemoryTree`] stores exactly
//! this array, so a later file-backed store can share its layout.
//!
//! [`MemoryTree`]: super::MemoryTree

/// Position of `hash_at(level, n)` in the stored-hash array, or `None` if
/// the position would not fit in a u64.
pub fn stored_hash_index(level: u8, n: u64) -> Option<u64> {
    // Level L's n-th hash is written right after level L+1's (2n+1)-th
    // hash; walk down to the level-0 record that completes this subtree.
    let mut n = n;
    for _ in 0..level {
        n = n.checked_mul(2)?.checked_add(1)?;
    }
    // Level 0's n-th hash sits at n + n/2 + n/4 + ...
    let mut index = 0u64;
    let mut m = n;
    while m > 0 {
        index = index.checked_add(m)?;
        m >>= 1;
    }
    index.checked_add(u64::from(level))
}

/// Inverse of [`stored_hash_index`]: the `(level, n)` stored at `index`.
pub fn split_stored_hash_index(index: u64) -> (u8, u64) {
    // level0_index(n) < 2n, so record index/2 starts at or before `index`
    // and the record we want is at most about log2(index) records later.
    let mut n = index / 2;
    let mut at = level0_index(n);
    loop {
        // Record n occupies 1 + trailing_ones(n) slots.
        let next = at.checked_add(1 + u64::from(n.trailing_ones()));
        match next {
            Some(next) if next <= index => {
                n += 1;
                at = next;
            }
            _ => break,
        }
    }
    let level = (index - at) as u8;
    (level, n >> level)
}

fn level0_index(n: u64) -> u64 {
    let mut index = 0u64;
    let mut m = n;
    while m > 0 {
        index = index.saturating_add(m);
        m >>= 1;
    }
    index
}

/// Number of stored hashes for a tree of `size` records.
pub fn stored_hash_count(size: u64) -> u64 {
    if size == 0 {
        return 0;
    }
    let last = size - 1;
    level0_index(last) + 1 + u64::from(last.trailing_ones())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_records_store_fifteen_hashes_densely() {
        assert_eq!(stored_hash_count(8), 15);
        let expected = [
            (0, 0),
            (0, 1),
            (1, 0),
            (0, 2),
            (0, 3),
            (1, 1),
            (2, 0),
            (0, 4),
        ];
        for (i, (level, n)) in expected.into_iter().enumerate() {
            assert_eq!(stored_hash_index(level, n), Some(i as u64));
            assert_eq!(split_stored_hash_index(i as u64), (level, n));
        }
    }

    #[test]
    fn split_inverts_index_for_the_first_ten_thousand_positions() {
        for i in 0..10_000u64 {
            let (level, n) = split_stored_hash_index(i);
            assert_eq!(stored_hash_index(level, n), Some(i));
        }
    }

    #[test]
    fn counts_grow_by_one_plus_completed_subtrees() {
        for size in 1..200u64 {
            let grew = stored_hash_count(size) - stored_hash_count(size - 1);
            assert_eq!(grew, 1 + u64::from((size - 1).trailing_ones()));
        }
    }

    #[test]
    fn overflowing_positions_are_none() {
        assert_eq!(stored_hash_index(63, u64::MAX), None);
        assert_eq!(stored_hash_index(0, u64::MAX), None);
    }
}
