//! C2SP tlog-tiles (<https://c2sp.org/tlog-tiles>): paths, entry bundles,
//! and reading a tree back from its tiles.

mod bundle;
mod path;
#[cfg(test)]
mod tests;
mod tiled;

pub use bundle::{
    BundleError, MAX_ENTRY_LEN, decode_entry_bundle, decode_entry_bundle_of_width,
    encode_entry_bundle,
};
pub use path::{
    EntryBundleId, MAX_TILE_LEVEL, TILE_WIDTH, TileId, TilePathError, encode_tile_index,
};
pub use tiled::{
    LevelLayout, TileError, TiledTree, build_tiles, entry_bundles_for_size, tile_layout,
    tiles_for_size,
};
