//! Shared helpers: the vector files are compiled in, so tests do not depend
//! on the working directory.
#![allow(dead_code)]

use corridor_ledger::merkle::{Hash, MemoryTree};
use serde_json::Value;

pub fn vector(name: &str) -> Value {
    let text = match name {
        "tree" => include_str!("../vectors/rfc6962_reference_tree.json"),
        "proofs" => include_str!("../vectors/rfc6962_reference_proofs.json"),
        "all_proofs" => include_str!("../vectors/derived_all_proofs_sizes_1_to_8.json"),
        "stored" => include_str!("../vectors/derived_stored_hash_layout.json"),
        "tiles" => include_str!("../vectors/derived_tlog_tiles.json"),
        "notes" => include_str!("../vectors/signed_note_vectors.json"),
        "checkpoints" => include_str!("../vectors/derived_checkpoint_examples.json"),
        other => panic!("no vector file {other}"),
    };
    serde_json::from_str(text).expect("vector file is JSON")
}

pub fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is not a string"))
}

pub fn u64_of(v: &Value, key: &str) -> u64 {
    v[key]
        .as_u64()
        .unwrap_or_else(|| panic!("{key} is not a number"))
}

pub fn hash(hex: &str) -> Hash {
    Hash::from_hex(hex).unwrap_or_else(|| panic!("{hex} is not a 32-byte hex hash"))
}

pub fn hash_of(v: &Value, key: &str) -> Hash {
    hash(str_of(v, key))
}

pub fn hashes_of(v: &Value, key: &str) -> Vec<Hash> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} is not an array"))
        .iter()
        .map(|h| hash(h.as_str().expect("hash is a string")))
        .collect()
}

pub fn array<'a>(v: &'a Value, key: &str) -> &'a Vec<Value> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} is not an array"))
}

/// The eight RFC 6962 reference inputs ("", 00, 10, 2021, ...).
pub fn reference_inputs() -> Vec<Vec<u8>> {
    array(&vector("tree"), "leaf_inputs_hex")
        .iter()
        .map(|h| hex::decode(h.as_str().expect("hex string")).expect("hex"))
        .collect()
}

/// The reference tree holding the first `size` reference inputs.
pub fn reference_tree(size: usize) -> MemoryTree {
    let mut tree = MemoryTree::new();
    for input in &reference_inputs()[..size] {
        tree.append(input).expect("append");
    }
    tree
}
