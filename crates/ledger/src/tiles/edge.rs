//! The right edge of a tiled tree, maintained incrementally: the hashes of
//! the incomplete tile at every tile level. This is what a sequencer needs
//! (besides the frontier) to write the tiles a batch changes without
//! reading anything back, and what an auditor needs to rebuild every tile
//! from the entries in one streaming pass with O(8·256) memory.

use super::path::{TILE_WIDTH, TileId};
use super::tiled::perfect_root;
use crate::merkle::Hash;

/// A tile's hashes, ready to be written.
pub type TileHashes = (TileId, Vec<Hash>);

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TileEdge {
    size: u64,
    /// `partial[L]`: hashes of the incomplete tile at tile level L (< 256).
    partial: Vec<Vec<Hash>>,
}

/// Partial tiles that do not fit a tree size.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("partial tile at level {level} has {got} hashes, a tree of size {size} needs {want}")]
pub struct EdgeError {
    pub size: u64,
    pub level: u8,
    pub want: u16,
    pub got: usize,
}

/// Hashes at tile level `level` of a tree of `size` leaves.
fn count_at(size: u64, level: u8) -> u64 {
    size.checked_shr(8 * u32::from(level)).unwrap_or(0)
}

/// Serialises tile hashes as tlog-tiles bytes (32 bytes per hash).
pub fn tile_bytes(hashes: &[Hash]) -> Vec<u8> {
    hashes.iter().flat_map(|h| h.0).collect()
}

impl TileEdge {
    pub fn new() -> Self {
        Self::default()
    }

    /// Restores the edge of a tree of `size` from its partial tiles, lowest
    /// level first (levels without a partial tile hold an empty vector).
    pub fn from_partials(size: u64, partial: Vec<Vec<Hash>>) -> Result<Self, EdgeError> {
        for level in 0..8u8 {
            let want = (count_at(size, level) % 256) as u16;
            let got = partial.get(usize::from(level)).map_or(0, Vec::len);
            if got != usize::from(want) {
                return Err(EdgeError {
                    size,
                    level,
                    want,
                    got,
                });
            }
        }
        Ok(Self { size, partial })
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// Appends a leaf hash; full tiles it completes are pushed to `completed`.
    pub fn push(&mut self, leaf: Hash, completed: &mut Vec<TileHashes>) {
        self.size += 1;
        let mut carry = leaf;
        let mut level = 0u8;
        loop {
            let l = usize::from(level);
            if self.partial.len() <= l {
                self.partial.resize(l + 1, Vec::new());
            }
            self.partial[l].push(carry);
            if self.partial[l].len() < usize::from(TILE_WIDTH) {
                break;
            }
            let hashes = std::mem::take(&mut self.partial[l]);
            carry = perfect_root(&hashes);
            let index = count_at(self.size, level) / 256 - 1;
            completed.push((
                TileId {
                    level,
                    index,
                    width: TILE_WIDTH,
                },
                hashes,
            ));
            level += 1;
        }
    }

    /// The incomplete tiles of the current size, lowest level first.
    pub fn partial_tiles(&self) -> Vec<TileHashes> {
        self.partial
            .iter()
            .enumerate()
            .filter(|(_, h)| !h.is_empty())
            .map(|(level, hashes)| {
                let level = level as u8;
                let id = TileId {
                    level,
                    index: count_at(self.size, level) / 256,
                    width: hashes.len() as u16,
                };
                (id, hashes.clone())
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merkle::{MemoryTree, leaf_hash};
    use crate::tiles::build_tiles;

    #[test]
    fn full_and_partial_tiles_match_build_tiles() {
        for size in [1u64, 255, 256, 257, 65_536, 65_800] {
            let mut mem = MemoryTree::new();
            let mut edge = TileEdge::new();
            let mut tiles = Vec::new();
            for i in 0..size {
                let entry = i.to_be_bytes();
                mem.append(&entry).unwrap();
                edge.push(leaf_hash(&entry), &mut tiles);
            }
            tiles.extend(edge.partial_tiles());
            let mut got: Vec<_> = tiles
                .into_iter()
                .map(|(id, h)| (id, tile_bytes(&h)))
                .collect();
            got.sort();
            let mut want = build_tiles(&mem, size).unwrap();
            want.sort();
            assert_eq!(got, want, "size {size}");
            let restored = TileEdge::from_partials(size, edge.partial.clone()).unwrap();
            assert_eq!(restored.partial_tiles(), edge.partial_tiles());
        }
    }

    #[test]
    fn from_partials_refuses_wrong_widths() {
        assert!(TileEdge::from_partials(3, vec![vec![Hash::default(); 2]]).is_err());
        assert!(TileEdge::from_partials(256, vec![vec![], vec![Hash::default()]]).is_ok());
    }
}
