//! Bundles built with a throwaway in-memory log and checked back: valid, each way of altering
//! one, and each way of being unreadable.

use std::io::Read;

use chrono::TimeZone;

use super::*;

struct Built {
    bytes: Vec<u8>,
    vkey: String,
    _dir: tempfile::TempDir,
}

const ORIGIN: &str = "corridor.test/ledger";

fn build(files: &[(&str, Vec<u8>)]) -> Built {
    let dir = tempfile::tempdir().unwrap();
    let inputs: Vec<BundleInput> = files
        .iter()
        .enumerate()
        .map(|(i, (name, bytes))| {
            let source = dir.path().join(format!("src-{i}"));
            std::fs::write(&source, bytes).unwrap();
            BundleInput {
                name: name.to_string(),
                source,
            }
        })
        .collect();
    let at = chrono::Utc.with_ymd_and_hms(2026, 12, 4, 6, 0, 0).unwrap();
    let prepared = prepare("ev-0193", at, &inputs).unwrap();
    let mut log = ThrowawayLog::new(ORIGIN, [7; 32]).unwrap();
    let (record, receipt) = log.anchor(&prepared.record).unwrap();
    let bytes = prepared.write(&record, &receipt, Vec::new()).unwrap();
    Built {
        bytes,
        vkey: log.vkey(),
        _dir: dir,
    }
}

fn sample() -> Built {
    // Over a megabyte, so hashing crosses the copy buffer's boundary.
    let big: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
    build(&[
        ("screenshot.png", b"PNG screenshot bytes".to_vec()),
        ("capture/page.har", big),
        ("收据/快递单-2026.pdf", b"courier receipt".to_vec()),
    ])
}

fn verify(bytes: &[u8], vkey: &str) -> Result<Outcome, Problem> {
    verify_bundle(bytes, vkey, &[], 0)
}

fn altered_paths(p: Problem) -> Vec<(String, &'static str)> {
    match p {
        Problem::NotValid { altered, .. } => {
            altered.into_iter().map(|a| (a.path, a.change)).collect()
        }
        Problem::Unreadable(r) => panic!("expected altered, got unreadable: {r}"),
    }
}

/// Rewrites the archive entry by entry: `change` may replace an entry's bytes or drop it.
fn rewrite(
    bytes: &[u8],
    change: impl Fn(&str, Vec<u8>) -> Option<Vec<u8>>,
    extra: Option<(&str, &[u8])>,
) -> Vec<u8> {
    let mut archive = tar::Archive::new(bytes);
    let mut out = tar::Builder::new(Vec::new());
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = String::from_utf8(entry.path_bytes().to_vec()).unwrap();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        if let Some(data) = change(&path, data) {
            let mut h = tar::Header::new_gnu();
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            out.append_data(&mut h, &path, data.as_slice()).unwrap();
        }
    }
    if let Some((path, data)) = extra {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        out.append_data(&mut h, path, data).unwrap();
    }
    out.into_inner().unwrap()
}

fn find(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("needle in the archive")
}

#[test]
fn a_fresh_bundle_verifies_and_lists_its_files() {
    let b = sample();
    let out = verify(&b.bytes, &b.vkey).unwrap();
    assert_eq!(out.subject, "ev-0193");
    assert_eq!(out.created_at, "2026-12-04T06:00:00Z");
    assert_eq!(out.receipt.origin, ORIGIN);
    let paths: Vec<&str> = out.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "files/screenshot.png",
            "files/capture/page.har",
            "files/收据/快递单-2026.pdf"
        ]
    );
    assert_eq!(out.files[1].size, 3_000_000);
}

#[test]
fn the_archive_is_a_plain_tar_with_the_metadata_first() {
    let b = sample();
    let mut archive = tar::Archive::new(b.bytes.as_slice());
    let names: Vec<String> = archive
        .entries()
        .unwrap()
        .map(|e| String::from_utf8(e.unwrap().path_bytes().to_vec()).unwrap())
        .collect();
    assert_eq!(&names[..3], [MANIFEST, RECORD, RECEIPT]);
    assert_eq!(names.len(), 6);
}

#[test]
fn one_changed_byte_in_one_file_fails_naming_that_file() {
    let b = sample();
    let mut bytes = b.bytes.clone();
    let at = find(&bytes, b"courier receipt");
    bytes[at] ^= 0x01;
    let problem = verify(&bytes, &b.vkey).unwrap_err();
    assert_eq!(problem.exit_code(), 1);
    assert_eq!(
        altered_paths(problem),
        [("files/收据/快递单-2026.pdf".to_string(), "content")]
    );

    let mut bytes = b.bytes.clone();
    let at = find(&bytes, &[0u8, 1, 2, 3, 4, 5, 6, 7, 8]) + 2_000_000;
    bytes[at] = bytes[at].wrapping_add(1);
    assert_eq!(
        altered_paths(verify(&bytes, &b.vkey).unwrap_err()),
        [("files/capture/page.har".to_string(), "content")]
    );
}

#[test]
fn a_changed_manifest_fails_naming_the_manifest() {
    let b = sample();
    let mut bytes = b.bytes.clone();
    let at = find(&bytes, b"\"subject\":\"ev-0193\"");
    bytes[at + 17] = b'4';
    assert_eq!(
        altered_paths(verify(&bytes, &b.vkey).unwrap_err()),
        [(MANIFEST.to_string(), "manifest")]
    );
    // A manifest rewritten to match a swapped file still fails: its hash is anchored.
    let swapped = rewrite(
        &b.bytes,
        |path, data| {
            Some(match path {
                "files/screenshot.png" => b"forged".to_vec(),
                MANIFEST => {
                    let mut m: Manifest = serde_json::from_slice(&data).unwrap();
                    m.files[0].size = 6;
                    m.files[0].sha256 =
                        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(b"forged"));
                    serde_json::to_vec(&m).unwrap()
                }
                _ => data,
            })
        },
        None,
    );
    assert_eq!(
        altered_paths(verify(&swapped, &b.vkey).unwrap_err()),
        [(MANIFEST.to_string(), "manifest")]
    );
}

#[test]
fn a_changed_record_fails_naming_the_record() {
    let b = sample();
    let mut bytes = b.bytes.clone();
    let at = find(&bytes, b"\"kind\":\"evidence_bundle\"");
    bytes[at + 8] = b'E';
    let problem = verify(&bytes, &b.vkey).unwrap_err();
    assert_eq!(problem.exit_code(), 1, "{problem:?}");
    assert_eq!(altered_paths(problem), [(RECORD.to_string(), "record")]);
}

#[test]
fn an_added_or_removed_file_is_named() {
    let b = sample();
    let added = rewrite(
        &b.bytes,
        |_, d| Some(d),
        Some(("files/extra.txt", &b"planted"[..])),
    );
    assert_eq!(
        altered_paths(verify(&added, &b.vkey).unwrap_err()),
        [("files/extra.txt".to_string(), "added")]
    );
    let removed = rewrite(
        &b.bytes,
        |p, d| (p != "files/screenshot.png").then_some(d),
        None,
    );
    assert_eq!(
        altered_paths(verify(&removed, &b.vkey).unwrap_err()),
        [("files/screenshot.png".to_string(), "missing")]
    );
    let twice = rewrite(
        &b.bytes,
        |_, d| Some(d),
        Some(("files/screenshot.png", &b"PNG screenshot bytes"[..])),
    );
    assert_eq!(
        altered_paths(verify(&twice, &b.vkey).unwrap_err()),
        [("files/screenshot.png".to_string(), "duplicate")]
    );
}

#[test]
fn a_truncated_archive_is_unreadable_wherever_it_is_cut() {
    let b = sample();
    let har = find(&b.bytes, &[0u8, 1, 2, 3, 4, 5, 6, 7, 8]);
    let last_file = find(&b.bytes, b"courier receipt");
    // Nothing left, in the metadata, in the middle of a file, and on the block boundary after
    // the last file (every file whole, the end-of-archive marker gone).
    assert_eq!(last_file + 512, b.bytes.len() - 1024);
    for cut in [0, 700, har + 1_000_000, last_file + 512] {
        let problem = verify(&b.bytes[..cut], &b.vkey).unwrap_err();
        assert!(
            matches!(problem, Problem::Unreadable(_)),
            "cut at {cut}: {problem:?}"
        );
    }
}

#[test]
fn a_key_of_another_log_is_not_valid_and_a_malformed_key_is_unreadable() {
    let b = sample();
    let other = ThrowawayLog::new(ORIGIN, [8; 32]).unwrap().vkey();
    let problem = verify(&b.bytes, &other).unwrap_err();
    assert_eq!(problem.exit_code(), 1);
    assert!(
        altered_paths(problem).is_empty(),
        "no file is blamed for the wrong key"
    );
    let problem = verify(&b.bytes, "not a key").unwrap_err();
    assert_eq!(problem.exit_code(), 2);
}

#[test]
fn anything_but_a_bundle_is_unreadable() {
    let b = sample();
    let not_tar: Vec<u8> = (0..4096u32).map(|i| (i * 7) as u8).collect();
    let reordered = {
        let mut archive = tar::Archive::new(b.bytes.as_slice());
        let mut out = tar::Builder::new(Vec::new());
        let mut entries: Vec<(String, Vec<u8>)> = archive
            .entries()
            .unwrap()
            .map(|e| {
                let mut e = e.unwrap();
                let p = String::from_utf8(e.path_bytes().to_vec()).unwrap();
                let mut d = Vec::new();
                e.read_to_end(&mut d).unwrap();
                (p, d)
            })
            .collect();
        entries.swap(0, 1);
        for (p, d) in entries {
            let mut h = tar::Header::new_gnu();
            h.set_size(d.len() as u64);
            out.append_data(&mut h, p, d.as_slice()).unwrap();
        }
        out.into_inner().unwrap()
    };
    for bytes in [Vec::new(), not_tar, reordered] {
        let problem = verify(&bytes, &b.vkey).unwrap_err();
        assert_eq!(problem.exit_code(), 2, "{problem:?}");
    }
}

#[test]
fn long_and_chinese_names_survive_the_round_trip() {
    let long = format!("{}/evidence.bin", "a".repeat(150));
    let b = build(&[(long.as_str(), b"x".to_vec()), ("证据.txt", Vec::new())]);
    let out = verify(&b.bytes, &b.vkey).unwrap();
    assert_eq!(out.files[0].path, format!("files/{long}"));
    assert_eq!(out.files[1].size, 0);
}

#[test]
fn names_that_could_escape_the_folder_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("f");
    std::fs::write(&source, b"x").unwrap();
    for name in ["../etc/passwd", "/abs", "a//b", "a/./b", "a\\b", "", "dir/"] {
        let input = [BundleInput {
            name: name.into(),
            source: source.clone(),
        }];
        assert!(
            matches!(
                prepare("ev-1", chrono::Utc::now(), &input),
                Err(BuildError::Name(_))
            ),
            "{name:?}"
        );
    }
    let twice = [
        BundleInput {
            name: "a".into(),
            source: source.clone(),
        },
        BundleInput {
            name: "a".into(),
            source: source.clone(),
        },
    ];
    assert!(matches!(
        prepare("ev-1", chrono::Utc::now(), &twice),
        Err(BuildError::Duplicate(_))
    ));
    let input = [BundleInput {
        name: "a".into(),
        source,
    }];
    assert!(matches!(
        prepare("张三", chrono::Utc::now(), &input),
        Err(BuildError::Subject)
    ));
}

#[test]
fn the_public_record_names_only_the_manifest_hash() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("f");
    std::fs::write(&source, b"x").unwrap();
    let input = [BundleInput {
        name: "张三的护照.pdf".into(),
        source,
    }];
    let p = prepare("ev-1", chrono::Utc::now(), &input).unwrap();
    let leaf = String::from_utf8(p.record.canonical_bytes()).unwrap();
    assert!(!leaf.contains("护照"), "{leaf}");
    assert_eq!(p.record.files.len(), 1);
    assert_eq!(p.record.files[0].role, MANIFEST_ROLE);
    assert_eq!(p.record.kind, RECORD_KIND);
}

#[test]
fn an_oversized_long_name_entry_is_refused_without_reading_it() {
    let b = sample();
    let mut out = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(tar::EntryType::GNULongName);
    h.set_size(1 << 20);
    out.append_data(&mut h, "longlink", std::io::repeat(b'a').take(1 << 20))
        .unwrap();
    let mut h = tar::Header::new_gnu();
    h.set_size(2);
    out.append_data(&mut h, "x", &b"{}"[..]).unwrap();
    let bytes = out.into_inner().unwrap();
    let problem = verify(&bytes, &b.vkey).unwrap_err();
    assert!(
        matches!(&problem, Problem::Unreadable(r) if r.contains("long file name")),
        "{problem:?}"
    );
}
