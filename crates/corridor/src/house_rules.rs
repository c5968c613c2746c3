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

/// The `crate::<module>` paths a file's code names, outside comments and its test module
/// (by the house's habit, the `#[cfg(test)]` module comes last in a file).
fn crate_modules_named(text: &str) -> Vec<String> {
    let mut named = Vec::new();
    for line in text.lines() {
        let code = line.trim_start();
        if code.starts_with("#[cfg(test)]") {
            break;
        }
        if code.starts_with("//") {
            continue;
        }
        for (at, _) in line.match_indices("crate::") {
            if line[..at].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            let module: String = line[at + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            named.push(module);
        }
    }
    named
}

/// The modules every domain builds on. They name nothing above them (a domain, `web`, the
/// shared `state`, `app`), so none of them can be part of an import cycle with a domain, and
/// a change to a domain never reaches them.
const FOUNDATION: [&str; 9] = [
    "error", "text", "money", "ids", "slug", "db", "config", "objects", "pdf",
];

#[test]
fn the_foundation_names_nothing_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offences = Vec::new();
    for module in FOUNDATION {
        let mut files = Vec::new();
        let dir = src.join(module);
        if dir.is_dir() {
            rust_files(&dir, &mut files);
        } else {
            files.push(src.join(format!("{module}.rs")));
        }
        for path in files {
            let text = std::fs::read_to_string(&path).expect("source is readable");
            for named in crate_modules_named(&text) {
                let allowed = named == module
                    || FOUNDATION.contains(&named.as_str())
                    || ["Result", "AppError"].contains(&named.as_str());
                if !allowed {
                    offences.push(format!("{}: crate::{named}", path.display()));
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "foundation modules name modules above them:\n{}",
        offences.join("\n")
    );
}

/// `app` assembles the routers from every domain; a domain that named it back would close a
/// cycle through all of them. Only the binary's commands and the benchmarks start servers.
#[test]
fn only_the_commands_name_app() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let offences: Vec<String> = files
        .iter()
        .filter(|p| {
            let rel = p.strip_prefix(&src).expect("under src");
            ![
                "cli",
                "bench.rs",
                "app.rs",
                "main.rs",
                "lib.rs",
                "house_rules.rs",
            ]
            .iter()
            .any(|allowed| rel.starts_with(allowed))
                && !rel.to_str().is_some_and(|r| r.contains("/bench"))
        })
        .filter(|p| {
            let text = std::fs::read_to_string(p).expect("source is readable");
            crate_modules_named(&text).iter().any(|m| m == "app")
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(offences.is_empty(), "modules that name app: {offences:?}");
}

/// No source file, tests included, grows past what a newcomer reads in one sitting.
#[test]
fn no_source_file_is_over_600_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("tests"), &mut files);
    rust_files(&root.join("../ledger/src"), &mut files);
    rust_files(&root.join("../ledger/tests"), &mut files);
    let long: Vec<String> = files
        .iter()
        .filter_map(|p| {
            let lines = std::fs::read_to_string(p).ok()?.lines().count();
            (lines > 600).then(|| format!("{} ({lines} lines)", p.display()))
        })
        .collect();
    assert!(long.is_empty(), "files over 600 lines: {long:?}");
}

#[test]
fn crate_paths_are_read_from_code_not_comments_or_tests() {
    let text = "use crate::db::Store;\n// see crate::app\nlet x = crate::ids::new_id();\n\
                let y = my_crate::app::x;\n#[cfg(test)]\nmod tests { use crate::app; }";
    assert_eq!(crate_modules_named(text), ["db", "ids"]);
}
