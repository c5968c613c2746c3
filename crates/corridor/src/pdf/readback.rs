//! Test support: the shared renderer, and PDFs read back with poppler's `pdftotext` and
//! `pdfinfo`, as a reader's PDF tool would, for every module's PDF tests.

use std::process::Command;
use std::sync::OnceLock;

use super::Renderer;

/// The renderer made once for all tests, as the server does. Fails, saying what to install,
/// when this machine has no Chinese font or no `pdftotext`.
pub(crate) fn renderer() -> &'static Renderer {
    static RENDERER: OnceLock<Result<Renderer, String>> = OnceLock::new();
    let renderer = RENDERER.get_or_init(|| Renderer::new(None).map_err(|e| e.to_string()));
    let renderer = renderer.as_ref().unwrap_or_else(|why| panic!("{why}"));
    assert!(
        Command::new("pdftotext").arg("-v").output().is_ok(),
        "pdftotext is not installed: apt-get install poppler-utils"
    );
    renderer
}

/// The text of a PDF as `pdftotext` extracts it, one string per page.
pub(crate) fn pages(pdf: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&file)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "pdftotext failed: {:?}", out);
    let text = String::from_utf8(out.stdout).unwrap();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
    // pdftotext ends every page with a form feed, so the last piece is empty.
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// What `pdfinfo` says about a PDF: page count, page size, title.
pub(crate) fn pdfinfo(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = Command::new("pdfinfo").arg(&file).output().unwrap();
    assert!(out.status.success(), "pdfinfo failed: {:?}", out);
    String::from_utf8(out.stdout).unwrap()
}
