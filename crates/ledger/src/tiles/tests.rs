//! Tiles against the in-memory tree: the same roots and proofs must come out
//! of either reader.

use super::*;
use crate::merkle::{HashReader, MemoryTree, consistency_proof, inclusion_proof};

fn memory_tree(size: u64) -> MemoryTree {
    let mut t = MemoryTree::new();
    for i in 0..size {
        t.append(format!("entry {i}").as_bytes()).unwrap();
    }
    t
}

#[test]
fn tiled_tree_gives_the_same_roots_and_proofs_as_memory() {
    for size in [1u64, 255, 256, 257, 700, 65_537] {
        let mem = memory_tree(size);
        let tiled = TiledTree::from_tiles(size, build_tiles(&mem, size).unwrap()).unwrap();
        assert_eq!(tiled.root().unwrap(), mem.root(), "size {size}");
        for index in [0, size / 2, size - 1] {
            assert_eq!(
                inclusion_proof(&tiled, index, size).unwrap(),
                mem.inclusion_proof(index, size).unwrap()
            );
        }
        assert_eq!(
            consistency_proof(&tiled, size / 3 + 1, size).unwrap(),
            mem.consistency_proof(size / 3 + 1, size).unwrap()
        );
    }
}

#[test]
fn a_full_tile_can_stand_in_for_a_partial_one() {
    let mem = memory_tree(512);
    let full = build_tiles(&mem, 512).unwrap();
    let (id, bytes) = full
        .iter()
        .find(|(t, _)| t.level == 0 && t.index == 1)
        .unwrap();
    let mut tiled = TiledTree::new(300);
    tiled.insert(*id, bytes).unwrap();
    assert_eq!(tiled.hash_at(0, 299).unwrap(), mem.hash_at(0, 299).unwrap());
}

#[test]
fn tiles_outside_the_tree_or_too_narrow_or_wrong_length_are_refused() {
    let mut tiled = TiledTree::new(300);
    let t = |level, index, width| TileId {
        level,
        index,
        width,
    };
    assert!(matches!(
        tiled.insert(t(0, 2, 256), &[0; 8192]),
        Err(TileError::NotInTree(..))
    ));
    assert!(matches!(
        tiled.insert(t(0, 1, 43), &[0; 43 * 32]),
        Err(TileError::TooNarrow { .. })
    ));
    assert!(matches!(
        tiled.insert(t(0, 1, 44), &[0; 43 * 32]),
        Err(TileError::WrongLength { .. })
    ));
    assert!(matches!(tiled.insert(t(1, 0, 1), &[0; 32]), Ok(())));
}

#[test]
fn a_tampered_lower_tile_is_caught_by_the_level_above() {
    let mem = memory_tree(600);
    let mut tiles = build_tiles(&mem, 600).unwrap();
    tiles[0].1[5] ^= 1;
    assert!(matches!(
        TiledTree::from_tiles(600, tiles),
        Err(TileError::Inconsistent(p)) if p == "tile/0/000"
    ));
}

#[test]
fn missing_tiles_surface_as_read_errors() {
    let tiled = TiledTree::new(1000);
    assert!(tiled.root().is_err());
    assert!(tiled.hash_at(0, 1000).is_err());
}

#[test]
fn a_summarized_tile_knows_only_the_groups_it_hashed() {
    let mem = memory_tree(256);
    let hashes: Vec<_> = (0..256).map(|i| mem.hash_at(0, i).unwrap()).collect();
    let whole = TileNodes::new(hashes.clone());
    let summary = whole.summary().unwrap();
    // Groups 0 and 5: hashes 0..16 and 80..96.
    let part = TileNodes::from_summary(hashes.clone(), &summary, 0b10_0001).unwrap();
    for sub in 0..=8u8 {
        for pos in 0..(256usize >> sub) {
            let group = (pos << sub) / 16;
            let known = sub >= SUMMARY_FROM || group == 0 || group == 5;
            let want = known.then(|| whole.node(sub, pos).unwrap());
            assert_eq!(part.node(sub, pos), want, "sub {sub} pos {pos}");
        }
    }
    let mut tampered = hashes;
    tampered[83].0[0] ^= 1;
    assert!(TileNodes::from_summary(tampered.clone(), &summary, 1 << 5).is_none());
    // A group nobody reads is not hashed, so it cannot be checked either.
    assert!(TileNodes::from_summary(tampered, &summary, 1).is_some());
}
