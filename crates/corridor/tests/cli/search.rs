//! `corridor search` on a fresh data directory, and `corridor bench matters` at toy sizes.

use super::*;

/// `corridor search` answers from the shipped knowledge base on a fresh data directory, in
/// JSON for scripts; `search reindex` rebuilds the index; an unknown type is named.
#[test]
fn search_answers_in_json_reindexes_and_names_an_unknown_type() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let (code, out, err) = run(
        dir.path(),
        &["--data-dir", data, "search", "区块链 证据", "--json"],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let answer: serde_json::Value = serde_json::from_str(&out).expect("JSON on stdout");
    let results = answer["results"].as_array().expect("a results list");
    assert_eq!(
        results[0]["id"], "case:huatai-yimei-v-daotong-2018",
        "{out}"
    );
    assert!(answer["total"].as_u64().unwrap() >= results.len() as u64);

    let (code, out, err) = run(dir.path(), &["--data-dir", data, "search", "reindex"], None);
    assert_eq!(code, 0, "{err}");
    let n: u64 = out
        .split_whitespace()
        .skip_while(|w| *w != "indexed")
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("indexed N documents: {out}"));
    assert!(n > 100, "{out}");
    assert!(out.contains(&format!("indexed {n} documents")), "{out}");

    let (code, out, err) = run(
        dir.path(),
        &[
            "--data-dir",
            data,
            "search",
            "enforce award Vietnam",
            "--type",
            "guide",
            "--country",
            "VN",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("/guides/vn?lang=en#enforcement"), "{out}");

    let (code, out, err) = run(
        dir.path(),
        &["--data-dir", data, "search", "x", "--type", "novel"],
        None,
    );
    assert_ne!(code, 0, "{out}");
    assert!(err.contains("type"), "the message names the field: {err}");
    assert!(out.is_empty(), "{out}");
}

/// `corridor bench matters` at toy sizes, so the command cannot rot (numbers are not checked:
/// timed assertions do not belong in tests). It starts `corridor serve` as a child process.
#[test]
fn bench_matters_runs_at_tiny_sizes() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = run(
        dir.path(),
        &[
            "bench",
            "matters",
            "--file-mb",
            "3",
            "--matters",
            "300",
            "--mine",
            "30",
            "--requests",
            "5",
            "--documents",
            "20",
            "--clients",
            "4",
        ],
        None,
    );
    assert_eq!(code, 0, "{out}\n{err}");
    for line in [
        "my matters, first page (total 30)",
        "my matters ?role=member (total 15)",
        "upload 3 MiB",
        "download 3 MiB",
        "server peak RSS",
        "anchored documents, 4 clients",
    ] {
        assert!(out.contains(line), "missing {line:?} in\n{out}");
    }
}
