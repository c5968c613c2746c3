//! Warm-up of the tile summaries after a restart.
//!
//! A process that wrote or read a log keeps a [`TileSummary`] per full
//! level-0 tile, so a proof hashes 15 nodes of its tile instead of 255.
//! After a restart the cache is empty and each tile's first proof pays the
//! 255 hashes again. [`LedgerStore::warm_tile_summaries`] fills the cache
//! in the background instead.
//!
//! * Newest tile first: receipts are mostly asked for recent entries, and
//!   when the log has more full tiles than the cache holds, the newest
//!   ones are those a long-running process would have kept.
//! * Bounded by the cache: a warm-up summary never evicts one (it stops
//!   when the cache is full) and is filed at the old end of the FIFO, so
//!   summaries that proofs and the sequencer add meanwhile stay.
//! * Checked: a tile's summary is kept only if the tile's root is its hash
//!   in the level-1 tile above, as for tiles a proof reads. A tampered tile
//!   gets no summary; its next proof reads it whole and fails the same
//!   link check as without warm-up. (A tile changed after warm-up is
//!   caught against its summary, see `reader`.)
//! * Cheap for the tasks it shares the runtime with: tiles are read a
//!   level-1 group (256 tiles, 2 MiB) at a time with a few reads in flight,
//!   and hashed on the blocking pool.
//!
//! Racing inserts are harmless: a full tile of a committed tree never
//! changes, so every summary of it is the same, and the cache keeps the
//! first.

use futures_util::{StreamExt, TryStreamExt};

use super::LedgerStore;
use super::reader::{StoredTilesError, fetch_tile};
use crate::merkle::Hash;
use crate::tiles::{TILE_WIDTH, TileNodes, TileSummary};

/// Tile reads in flight during warm-up: enough to hide a remote store's
/// latency, few enough to leave the store to appends and proofs.
const READS_IN_FLIGHT: usize = 8;

/// What a warm-up did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WarmUp {
    /// Full tiles warm-up left with a cached summary (added by it, or
    /// already there from a proof or the sequencer).
    pub summarized: u64,
    /// Full tiles whose root disagreed with the level-1 tile (left out).
    pub inconsistent: u64,
}

fn hashes(bytes: &[u8]) -> Vec<Hash> {
    bytes
        .chunks_exact(32)
        .filter_map(|c| Hash::from_slice(c).ok())
        .collect()
}

impl LedgerStore {
    /// Fills the summary cache with the full level-0 tiles of the committed
    /// tree of `size` leaves, newest first, until every tile has one or the
    /// cache is full (see the module docs). Meant to be spawned when a log
    /// opens ([`crate::sequencer::Sequencer::open`] does); proofs work
    /// meanwhile and get faster as it goes.
    pub async fn warm_tile_summaries(&self, size: u64) -> Result<WarmUp, StoredTilesError> {
        let cache = &self.tile_cache;
        let mut done = WarmUp::default();
        let full_tiles = size / u64::from(TILE_WIDTH);
        let groups = full_tiles.div_ceil(u64::from(TILE_WIDTH));
        for group in (0..groups).rev() {
            if !cache.has_room_for_summaries() {
                break;
            }
            let first = group * u64::from(TILE_WIDTH);
            let end = (first + u64::from(TILE_WIDTH)).min(full_tiles);
            let (_, parent) = fetch_tile(self, size, 1, group).await?;
            let tiles: Vec<_> = futures_util::stream::iter((first..end).rev())
                .map(|index| fetch_tile(self, size, 0, index))
                .buffered(READS_IN_FLIGHT)
                .try_collect()
                .await?;
            let summaries = tokio::task::spawn_blocking(move || {
                let parent = hashes(&parent);
                tiles
                    .into_iter()
                    .map(|(id, bytes)| {
                        let nodes = TileNodes::new(hashes(&bytes));
                        let linked =
                            parent.get((id.index % 256) as usize) == nodes.node(8, 0).as_ref();
                        (id.index, nodes.summary().filter(|_| linked))
                    })
                    .collect::<Vec<(u64, Option<TileSummary>)>>()
            })
            .await
            .map_err(|e| super::StorageError::Join(e.to_string()))?;
            for (index, summary) in summaries {
                let Some(summary) = summary else {
                    done.inconsistent += 1;
                    continue;
                };
                if !cache.insert_warm_summary(index, summary) {
                    return Ok(done);
                }
                done.summarized += 1;
            }
        }
        Ok(done)
    }

    /// How many level-0 tiles proofs have served from a cached summary.
    pub fn summarized_tile_reads(&self) -> u64 {
        self.tile_cache.summarized_reads()
    }
}
