//! C2SP tlog-tiles (<https://c2sp.org/tlog-tiles>): paths, entry bundles,
//! reading a tree back from its tiles, and the incrementally maintained
//! right edge a sequencer writes tiles from.

mod bundle;
mod edge;
mod path;
#[cfg(test)]
mod tests;
mod tiled;

pub use bundle::{
    BundleError, MAX_ENTRY_LEN, decode_entry_bundle, decode_entry_bundle_of_width,
    encode_entry_bundle, split_entry_bundle, split_entry_bundle_of_width,
};
pub use edge::{EdgeError, TileEdge, TileHashes, tile_bytes};
pub use path::{
    EntryBundleId, MAX_TILE_LEVEL, TILE_WIDTH, TileId, TilePathError, encode_tile_index,
};
pub use tiled::{
    LevelLayout, SUMMARY_FROM, TileError, TileNodes, TileSummary, TiledTree, build_tiles,
    entry_bundles_for_size, tile_layout, tiles_for_size,
};
