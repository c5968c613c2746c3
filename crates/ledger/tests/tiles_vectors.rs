//! tlog-tiles: the spec's path and layout examples and a derived 1,000-entry
//! log with its tile bytes, level-1 hashes and first entry bundle.

mod common;

use common::*;
use corridor_ledger::merkle::{Hash, MemoryTree};
use corridor_ledger::tiles::{
    EntryBundleId, TileId, TiledTree, build_tiles, decode_entry_bundle_of_width,
    encode_entry_bundle, encode_tile_index, entry_bundles_for_size, tile_layout, tiles_for_size,
};
use sha2::{Digest, Sha256};

#[test]
fn spec_path_and_layout_examples_hold() {
    let v = vector("tiles");
    let spec = &v["spec_examples_checked"];
    assert_eq!(
        encode_tile_index(1_234_067),
        str_of(spec, "index_1234067_path")
    );
    for (size, key) in [(70_000u64, "size_70000"), (256, "size_256")] {
        let layout = tile_layout(size);
        let want = array(spec, key);
        assert_eq!(layout.len(), want.len(), "{key}");
        for (got, want) in layout.iter().zip(want) {
            assert_eq!(u64::from(got.level), u64_of(want, "level"));
            assert_eq!(got.full_tiles, u64_of(want, "full_tiles"));
            assert_eq!(u64::from(got.partial_width), u64_of(want, "partial_width"));
        }
    }
    let paths = &v["path_examples"];
    let tile = |level, index, width| {
        TileId {
            level,
            index,
            width,
        }
        .path()
    };
    assert_eq!(tile(0, 0, 256), str_of(paths, "tile(0,0)"));
    assert_eq!(tile(0, 1_234_067, 256), str_of(paths, "tile(0,1234067)"));
    assert_eq!(tile(1, 5, 17), str_of(paths, "tile(1,5,w=17)"));
    let bundle = EntryBundleId {
        index: 3,
        width: 232,
    }
    .path();
    assert_eq!(bundle, str_of(paths, "entries(3,w=232)"));
}

fn entries() -> Vec<Vec<u8>> {
    (0..1000)
        .map(|i| format!("entry {i}").into_bytes())
        .collect()
}

#[test]
fn thousand_entry_log_tiles_match() {
    let v = &vector("tiles")["log_1000_entries"];
    let mut tree = MemoryTree::new();
    for e in entries() {
        tree.append(&e).unwrap();
    }
    assert_eq!(tree.root(), hash_of(v, "root_hex"));

    let paths: Vec<String> = tiles_for_size(1000).iter().map(TileId::path).collect();
    let want: Vec<&str> = array(v, "tiles_needed_for_size_1000")
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(paths, want);

    let tiles = build_tiles(&tree, 1000).unwrap();
    let by_path = |p: &str| &tiles.iter().find(|(t, _)| t.path() == p).unwrap().1;
    for (path, digest) in v["sha256_of_tile_bytes_hex"].as_object().unwrap() {
        assert_eq!(
            hex::encode(Sha256::digest(by_path(path))),
            digest.as_str().unwrap()
        );
    }
    for (path, len) in v["tile_sizes_bytes"].as_object().unwrap() {
        assert_eq!(by_path(path).len() as u64, len.as_u64().unwrap());
    }
    let level1: Vec<Hash> = by_path("tile/1/000.p/3")
        .chunks(32)
        .map(|c| Hash::from_slice(c).unwrap())
        .collect();
    assert_eq!(level1, hashes_of(v, "level1_hashes_hex"));

    let tiled = TiledTree::from_tiles(1000, tiles.clone()).unwrap();
    assert_eq!(tiled.root().unwrap(), tree.root());
}

#[test]
fn first_entry_bundle_matches() {
    let v = &vector("tiles")["log_1000_entries"];
    let all = entries();
    let bundle = encode_entry_bundle(&all[..256]).unwrap();
    assert_eq!(bundle.len() as u64, u64_of(v, "entry_bundle_0_len"));
    assert_eq!(
        hex::encode(Sha256::digest(&bundle)),
        str_of(v, "entry_bundle_0_sha256_hex")
    );
    assert_eq!(
        decode_entry_bundle_of_width(&bundle, 256).unwrap(),
        &all[..256]
    );
    let bundles: Vec<String> = entry_bundles_for_size(1000)
        .iter()
        .map(|b| b.path())
        .collect();
    assert_eq!(bundles.last().unwrap(), "tile/entries/003.p/232");
}
