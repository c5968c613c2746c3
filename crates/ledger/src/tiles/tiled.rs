//! A tree read from tlog-tiles: which tiles a tree size has, building them
//! from any [`HashReader`], and answering [`HashReader`] from fetched tiles
//! so roots and proofs can be computed the same way as from memory.
//!
//! Tile level `L` holds tree level `8·L`; the seven tree levels between are
//! rehashed from the tile on read.

use std::collections::HashMap;
use std::sync::Arc;

use super::path::{EntryBundleId, TILE_WIDTH, TileId};
use crate::merkle::{Hash, HashReader, ProofError, ReadError, node_hash, tree_root};

/// How one tile level of a tree is split into full tiles and a partial one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LevelLayout {
    pub level: u8,
    pub full_tiles: u64,
    /// Width of the partial tile, 0 if there is none.
    pub partial_width: u16,
}

/// Hashes stored at tile level `level` for a tree of `size` leaves.
fn hashes_at_tile_level(size: u64, level: u8) -> u64 {
    size.checked_shr(8 * u32::from(level)).unwrap_or(0)
}

/// The tile levels of a tree of `size` leaves (empty for size 0).
pub fn tile_layout(size: u64) -> Vec<LevelLayout> {
    (0u8..8)
        .map(|level| (level, hashes_at_tile_level(size, level)))
        .take_while(|(_, count)| *count > 0)
        .map(|(level, count)| LevelLayout {
            level,
            full_tiles: count / 256,
            partial_width: (count % 256) as u16,
        })
        .collect()
}

/// Every hash tile of a tree of `size` leaves, level by level.
pub fn tiles_for_size(size: u64) -> Vec<TileId> {
    let mut tiles = Vec::new();
    for layout in tile_layout(size) {
        let full = (0..layout.full_tiles).map(|index| TileId {
            level: layout.level,
            index,
            width: TILE_WIDTH,
        });
        tiles.extend(full);
        if layout.partial_width > 0 {
            tiles.push(TileId {
                level: layout.level,
                index: layout.full_tiles,
                width: layout.partial_width,
            });
        }
    }
    tiles
}

/// Every entry bundle of a tree of `size` leaves.
pub fn entry_bundles_for_size(size: u64) -> Vec<EntryBundleId> {
    tiles_for_size(size)
        .into_iter()
        .filter(|t| t.level == 0)
        .map(|t| EntryBundleId {
            index: t.index,
            width: t.width,
        })
        .collect()
}

/// Builds the bytes of every tile of a tree of `size` leaves.
pub fn build_tiles<R: HashReader + ?Sized>(
    reader: &R,
    size: u64,
) -> Result<Vec<(TileId, Vec<u8>)>, ProofError> {
    let mut out = Vec::new();
    for tile in tiles_for_size(size) {
        let mut bytes = Vec::with_capacity(usize::from(tile.width) * 32);
        for i in 0..u64::from(tile.width) {
            let hash = reader.hash_at(8 * tile.level, tile.index * 256 + i)?;
            bytes.extend_from_slice(hash.as_bytes());
        }
        out.push((tile, bytes));
    }
    Ok(out)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TileError {
    #[error("tile {0} is not part of a tree of size {1}")]
    NotInTree(String, u64),
    #[error("tile {path} is {width} hashes wide, the tree needs {needed}")]
    TooNarrow {
        path: String,
        width: u16,
        needed: u16,
    },
    #[error("tile {path} has {len} bytes, want {want}")]
    WrongLength {
        path: String,
        len: usize,
        want: usize,
    },
    #[error("tile {0} does not hash to its entry in the level above")]
    Inconsistent(String),
}

/// The root of a perfect subtree given its 2^k bottom hashes.
pub(crate) fn perfect_root(hashes: &[Hash]) -> Hash {
    let mut row = hashes.to_vec();
    while row.len() > 1 {
        row = row.chunks(2).map(|p| node_hash(&p[0], &p[1])).collect();
    }
    row.first().copied().unwrap_or_default()
}

/// One tile's hashes and every node above them inside the tile:
/// `levels[0]` is the tile, `levels[k]` pairs up `levels[k - 1]` (only
/// complete pairs, so a partial tile has no node it cannot vouch for).
/// Built once per tile (255 node hashes for a full tile), after which every
/// hash a proof or a link check needs from the tile is a lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TileNodes {
    levels: Vec<Vec<Hash>>,
    /// `None`: every node is known. `Some(mask)`: built from a
    /// [`TileSummary`], and below [`SUMMARY_FROM`] only the 16-hash groups
    /// whose bit is set were hashed and checked; other nodes there are
    /// unknown.
    groups: Option<u16>,
}

/// The lowest in-tile level a [`TileSummary`] keeps: below it a proof
/// rehashes one group of 2^4 = 16 tile hashes (15 node hashes) instead of
/// the whole tile (255).
pub const SUMMARY_FROM: u8 = 4;
const SUMMARY_LEN: usize = 31;

/// The nodes of a full level-0 tile at in-tile levels 4 to 8 (16 + 8 + 4 +
/// 2 + 1 hashes, 992 bytes): with them and the tile itself a proof needs
/// only the 16-hash group around its leaf hashed, not the whole tile. A
/// sixteenth of a decoded tile, so one can be kept for every tile of a
/// large log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TileSummary {
    nodes: Box<[Hash; SUMMARY_LEN]>,
}

impl TileSummary {
    /// The nodes at in-tile level `sub` (4 to 8).
    fn level(&self, sub: u8) -> &[Hash] {
        let (start, len) = match sub {
            4 => (0, 16),
            5 => (16, 8),
            6 => (24, 4),
            7 => (28, 2),
            _ => (30, 1),
        };
        &self.nodes[start..start + len]
    }
}

impl TileNodes {
    /// Computes the in-tile levels above `hashes` (at most 256 of them).
    pub fn new(hashes: Vec<Hash>) -> Self {
        let mut levels = vec![hashes];
        while let Some(row) = levels.last().filter(|row| row.len() >= 2) {
            let up = row
                .chunks_exact(2)
                .map(|p| node_hash(&p[0], &p[1]))
                .collect();
            levels.push(up);
        }
        Self {
            levels,
            groups: None,
        }
    }

    /// The summary of a full, completely known tile.
    pub fn summary(&self) -> Option<TileSummary> {
        if self.width() != usize::from(TILE_WIDTH) || self.groups.is_some() {
            return None;
        }
        let mut nodes = Box::new([Hash::default(); SUMMARY_LEN]);
        let upper = self.levels.get(usize::from(SUMMARY_FROM)..)?;
        for (slot, hash) in nodes.iter_mut().zip(upper.iter().flatten()) {
            *slot = *hash;
        }
        Some(TileSummary { nodes })
    }

    /// A full tile's `hashes` with the nodes of `summary` above level 4,
    /// hashing only the 16-hash groups set in `groups` (bit g: hashes
    /// 16g..16g+16). Each such group must hash to its node in the summary,
    /// so the hashes a proof reads are tied to the summary, and through
    /// its root (checked by [`TiledTree::check_links`]) to the tree; `None`
    /// if one does not, or if `hashes` is not a full tile.
    pub fn from_summary(hashes: Vec<Hash>, summary: &TileSummary, groups: u16) -> Option<Self> {
        if hashes.len() != usize::from(TILE_WIDTH) {
            return None;
        }
        let mut levels = vec![hashes];
        for sub in 1..SUMMARY_FROM {
            levels.push(vec![Hash::default(); 256 >> sub]);
        }
        for g in (0..16).filter(|g| groups & (1 << g) != 0) {
            for sub in 1..=SUMMARY_FROM {
                let width = 16 >> sub;
                for i in g * width..(g + 1) * width {
                    let below = &levels[usize::from(sub) - 1];
                    let up = node_hash(&below[2 * i], &below[2 * i + 1]);
                    if sub == SUMMARY_FROM {
                        if summary.level(sub)[i] != up {
                            return None;
                        }
                    } else {
                        levels[usize::from(sub)][i] = up;
                    }
                }
            }
        }
        for sub in SUMMARY_FROM..=8 {
            levels.push(summary.level(sub).to_vec());
        }
        Some(Self {
            levels,
            groups: Some(groups),
        })
    }

    /// Decodes a tile of tlog-tiles bytes, keeping the first `width` hashes.
    fn decode(bytes: &[u8], width: u16) -> Self {
        let hashes = bytes
            .chunks_exact(32)
            .take(usize::from(width))
            .filter_map(|c| Hash::from_slice(c).ok())
            .collect();
        Self::new(hashes)
    }

    /// Number of hashes in the tile.
    pub fn width(&self) -> usize {
        self.levels.first().map_or(0, Vec::len)
    }

    /// The `pos`-th node at `sub` levels above the tile's hashes.
    pub fn node(&self, sub: u8, pos: usize) -> Option<Hash> {
        if let Some(groups) = self.groups
            && sub < SUMMARY_FROM
            && groups & (1 << ((pos << sub) >> 4)) == 0
        {
            return None;
        }
        self.levels.get(usize::from(sub))?.get(pos).copied()
    }

    /// The root of a full tile (the hash one tile level up).
    fn full_root(&self) -> Option<Hash> {
        if self.width() != usize::from(TILE_WIDTH) {
            return None;
        }
        self.node(8, 0)
    }
}

/// Tiles of one tree size, answering [`HashReader`].
#[derive(Debug, Clone, Default)]
pub struct TiledTree {
    size: u64,
    tiles: HashMap<(u8, u64), Arc<TileNodes>>,
}

impl TiledTree {
    pub fn new(size: u64) -> Self {
        Self {
            size,
            tiles: HashMap::new(),
        }
    }

    /// Loads the given tiles and checks that they agree across levels.
    pub fn from_tiles<I, B>(size: u64, tiles: I) -> Result<Self, TileError>
    where
        I: IntoIterator<Item = (TileId, B)>,
        B: AsRef<[u8]>,
    {
        let mut tree = Self::new(size);
        for (id, bytes) in tiles {
            tree.insert(id, bytes.as_ref())?;
        }
        tree.check_links()?;
        Ok(tree)
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// Adds one tile. A wider tile than the tree needs (e.g. the full tile
    /// where this size has a partial) is accepted and cut to the needed
    /// width: hashes never change once written.
    pub fn insert(&mut self, id: TileId, bytes: &[u8]) -> Result<(), TileError> {
        let needed = self.needed_width(id)?;
        let want = usize::from(id.width) * 32;
        if bytes.len() != want {
            return Err(TileError::WrongLength {
                path: id.path(),
                len: bytes.len(),
                want,
            });
        }
        let nodes = TileNodes::decode(bytes, needed);
        self.tiles.insert((id.level, id.index), Arc::new(nodes));
        Ok(())
    }

    /// Adds a full tile from its bytes and the [`TileSummary`] of it,
    /// hashing only the 16-hash `groups` a computation will read (see
    /// [`TileNodes::from_summary`]). Call [`Self::check_links`] after.
    pub fn insert_summarized(
        &mut self,
        id: TileId,
        bytes: &[u8],
        summary: &TileSummary,
        groups: u16,
    ) -> Result<(), TileError> {
        let needed = self.needed_width(id)?;
        let want = usize::from(TILE_WIDTH) * 32;
        if needed != TILE_WIDTH || bytes.len() != want || id.width != TILE_WIDTH {
            return Err(TileError::WrongLength {
                path: id.path(),
                len: bytes.len(),
                want,
            });
        }
        let hashes = bytes
            .chunks_exact(32)
            .filter_map(|c| Hash::from_slice(c).ok())
            .collect();
        let nodes = TileNodes::from_summary(hashes, summary, groups)
            .ok_or_else(|| TileError::Inconsistent(id.path()))?;
        self.tiles.insert((id.level, id.index), Arc::new(nodes));
        Ok(())
    }

    /// Adds one already decoded tile (e.g. from a cache), which must be
    /// exactly as wide as this tree needs. Call [`Self::check_links`] after.
    pub fn insert_nodes(&mut self, id: TileId, nodes: Arc<TileNodes>) -> Result<(), TileError> {
        let needed = self.needed_width(id)?;
        if nodes.width() != usize::from(needed) || id.width != needed {
            return Err(TileError::WrongLength {
                path: id.path(),
                len: nodes.width() * 32,
                want: usize::from(needed) * 32,
            });
        }
        self.tiles.insert((id.level, id.index), nodes);
        Ok(())
    }

    /// The decoded tile at (`level`, `index`), if loaded.
    pub fn nodes(&self, level: u8, index: u64) -> Option<&Arc<TileNodes>> {
        self.tiles.get(&(level, index))
    }

    /// How many hashes of tile `id` a tree of this size uses.
    fn needed_width(&self, id: TileId) -> Result<u16, TileError> {
        let count = hashes_at_tile_level(self.size, id.level);
        let full = count / 256;
        let needed = match id.index {
            i if i < full => TILE_WIDTH,
            i if i == full && !count.is_multiple_of(256) => (count % 256) as u16,
            _ => return Err(TileError::NotInTree(id.path(), self.size)),
        };
        if id.width < needed {
            return Err(TileError::TooNarrow {
                path: id.path(),
                width: id.width,
                needed,
            });
        }
        Ok(needed)
    }

    /// Checks every full tile against its hash in the loaded tile above.
    /// With all tiles loaded and [`root`](Self::root) matching a signed
    /// checkpoint, every hash in every tile is then authenticated.
    pub fn check_links(&self) -> Result<(), TileError> {
        for (&(level, index), nodes) in &self.tiles {
            let Some(root) = nodes.full_root() else {
                continue;
            };
            let Some(parent) = self.tiles.get(&(level + 1, index / 256)) else {
                continue;
            };
            if parent.node(0, (index % 256) as usize) != Some(root) {
                let path = TileId {
                    level,
                    index,
                    width: TILE_WIDTH,
                }
                .path();
                return Err(TileError::Inconsistent(path));
            }
        }
        Ok(())
    }

    /// The tree root computed from the loaded tiles.
    pub fn root(&self) -> Result<Hash, ProofError> {
        tree_root(self, self.size)
    }
}

impl HashReader for TiledTree {
    fn hash_at(&self, level: u8, index: u64) -> Result<Hash, ReadError> {
        let missing = ReadError::Missing { level, index };
        let inside = level < 64
            && index
                .checked_add(1)
                .and_then(|end| end.checked_mul(1u64 << level))
                .is_some_and(|end| end <= self.size);
        if !inside {
            return Err(missing);
        }
        let (tile_level, sub) = (level / 8, level % 8);
        let first = index << sub;
        let pos = ((first % 256) >> sub) as usize;
        self.tiles
            .get(&(tile_level, first / 256))
            .and_then(|tile| tile.node(sub, pos))
            .ok_or(missing)
    }
}
