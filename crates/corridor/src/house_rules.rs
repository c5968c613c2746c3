//! Rules of the house that the compiler does not check, checked over the source tree.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("source directory is readable") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// True when `word` occurs in `line` as a whole identifier.
fn has_word(line: &str, word: &str) -> bool {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    line.match_indices(word).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        let after = line[at + word.len()..].chars().next();
        !before.is_some_and(ident) && !after.is_some_and(ident)
    })
}

/// A line that names an `api` module: `super::api::X`, `use super::{api, ..}`, `api::x(..)`.
/// Addresses such as `"/api/v1/..."` and words in comments are not imports.
fn names_api_module(line: &str) -> bool {
    let code = line.trim_start();
    if code.starts_with("//") {
        return false;
    }
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let path_use = line
        .match_indices("api::")
        .any(|(at, _)| !line[..at].ends_with(ident));
    path_use || (code.starts_with("use ") && has_word(code, "api"))
}

/// Pages and the JSON API are two front ends over the same actions; what both need lives in a
/// module both use (`http.rs`, `params.rs`, a policy or domain module), so neither depends on
/// the other and a page never breaks because an API handler changed.
#[test]
fn pages_never_import_from_an_api_module() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let pages: Vec<&PathBuf> = files
        .iter()
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("pages"))
        })
        .collect();
    assert!(
        pages.len() >= 5,
        "the page modules were not found under {src:?}"
    );
    let mut offences = Vec::new();
    for path in pages {
        let text = std::fs::read_to_string(path).expect("page source is readable");
        for (n, line) in text.lines().enumerate() {
            if names_api_module(line) {
                offences.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        offences.is_empty(),
        "pages import from an API module:\n{}",
        offences.join("\n")
    );
}

#[test]
fn the_check_tells_an_import_from_an_address() {
    assert!(names_api_module("use super::api::SearchParams;"));
    assert!(names_api_module("use super::{api, model};"));
    assert!(names_api_module("    let x = super::api::today();"));
    assert!(names_api_module(
        "        .route(\"/x\", get(api::public_file))"
    ));
    assert!(!names_api_module("    \"/api/v1/jurisdiction/awards?{}\","));
    assert!(!names_api_module("// As in the API (see api.rs)."));
    assert!(!names_api_module("use crate::openapi::ErrorBody;"));
    assert!(!names_api_module("let x = crate::openapi::doc();"));
}
